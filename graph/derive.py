"""Derive the classification of codes and the issues they indicate.

Run inside every load's transaction, over all codes in the store rather than
only the new ones: a new spelling can change which spelling names an issue,
a new issue code can give a lone fix code its issue, and a new codebook
reclassifies everything. The code set of a study is a few hundred names, so
rebuilding is cheap and keeps the derived layer exactly in step with the data.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from graph import reads
from graph.codebook import Codebook, CodeClass
from graph.schema import (
    delete_nodes_statement,
    delete_relationships_statement,
    merge_relationship_statement,
    set_node_properties_statement,
)
from graph.store import Transaction

__all__ = ["join_fixes", "derive_codes"]


def _by_use(codes: dict[str, CodeClass], uses: dict[str, int]) -> list[tuple[str, CodeClass]]:
    """Codes most used first (ties by name), so the spelling named first is the coders' usual one."""
    return sorted(codes.items(), key=lambda item: (-uses.get(item[0], 0), item[0]))


def join_fixes(codes: dict[str, CodeClass], uses: dict[str, int], codebook: Codebook) -> tuple[dict[str, CodeClass], list[str]]:
    """Point each fix code whose issue no issue code spells at its family's closest issue code, or leave it alone.

    Returns the classification with those fixes re-pointed, and one line per
    decision (joined or alone) for the ingest summary: these are guesses a
    researcher should see, and can overrule with a ``codes`` entry naming
    the fix's ``issue``.
    """
    spelled = {cls.issue_key for cls in codes.values() if cls.kind == "issue"}
    candidates: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for name, cls in _by_use(codes, uses):
        if cls.kind == "issue" and cls.family and cls.issue_key:
            candidates[cls.family][cls.issue_key].append(name)
    joined = dict(codes)
    decisions = []
    for name, cls in sorted(codes.items()):
        if cls.kind != "fix" or not cls.issue_key or cls.issue_key in spelled or cls.issue_from_codebook:
            continue
        closest = codebook.closest_issue(name, cls.family, candidates.get(cls.family or "", {}))
        if closest.issue_key and closest.code:
            joined[name] = replace(cls, issue_key=closest.issue_key, issue_name=codes[closest.code].issue_name)
            decisions.append(f"{name} joins {closest.code}: {closest.reason}")
        else:
            decisions.append(f"{name} stands alone as issue {cls.issue_name!r}: no issue code spells its issue; {closest.reason}")
    return joined, decisions


def _issue_rows(codes: dict[str, CodeClass], uses: dict[str, int], codebook: Codebook) -> dict[str, dict]:
    """One row per issue key, named after its most used issue spelling, described by the codebook."""
    spellings: dict[str, list[str]] = defaultdict(list)
    for name, cls in codes.items():
        if cls.issue_key:
            spellings[cls.issue_key].append(name)
    issues = {}
    for key, names in spellings.items():
        # Prefer a spelling coded as the issue itself over its fix code, then
        # the most used one; ties go to the longer (plural) spelling.
        best = max(names, key=lambda n: (codes[n].kind == "issue", uses.get(n, 0), len(n), n))
        cls = codes[best]
        entry = codebook.issue_entry(key)
        issues[key] = {
            "id": key,
            "name": cls.issue_name,
            "code": best if cls.kind == "issue" else None,
            "category": cls.category,
            "family": cls.family,
            # Issues the codebook does not describe still say where they come from, in one line.
            "description": entry.description or f"Coded as {', '.join(sorted(names))}.",
            "synonyms": list(entry.synonyms),
        }
    return issues


def _link_family_categories(tx: Transaction, codes: dict[str, CodeClass]) -> None:
    """Make a family's category code (``Model-Evaluation-issues [ME]``) the parent of its codes.

    Only codes without a parent get one: a hierarchy that came with the
    source (a REFI-QDA codebook) is the coders' own and wins.
    """
    categories = {cls.family: name for name, cls in sorted(codes.items()) if cls.kind == "category" and cls.family}
    rows = [
        {"source": name, "target": categories[cls.family]}
        for name, cls in codes.items()
        if cls.kind != "category" and cls.family in categories
    ]
    if not rows:
        return
    orphans = {
        row[0]
        for row in reads.codes_without_parent(tx, [r["source"] for r in rows])
    }
    rows = [r for r in rows if r["source"] in orphans]
    if rows:
        tx.run(set_node_properties_statement("Code", ["parent"]),
               {"rows": [{"id": r["source"], "parent": r["target"]} for r in rows]})
        tx.run(merge_relationship_statement("SUBCODE_OF"), {"rows": rows})


def derive_codes(tx: Transaction, codebook: Codebook) -> list[str]:
    """Classify every code, and rebuild ``Issue`` nodes with INDICATES/FIX_FOR.

    Returns the closest-issue decisions of :func:`join_fixes`, one line each.
    """
    uses = {
        row[0]: row[1]
        for row in reads.code_uses(tx)
    }
    codes, decisions = join_fixes({name: codebook.classify(name) for name in uses}, uses, codebook)
    if codes:
        tx.run(
            "UNWIND $rows AS row MATCH (c:Code {id: row.id}) "
            "SET c.kind = row.kind, c.category = row.category, c.family = row.family, c.issue = row.issue, "
            "c.description = CASE WHEN row.description = '' THEN c.description ELSE row.description END",
            {
                "rows": [
                    {
                        "id": name,
                        "kind": cls.kind,
                        "category": cls.category,
                        "family": cls.family,
                        "issue": cls.issue_key,
                        "description": cls.description,
                    }
                    for name, cls in codes.items()
                ]
            },
        )
    _link_family_categories(tx, codes)
    issues = _issue_rows(codes, uses, codebook)
    existing = set(reads.node_keys(tx, "Issue"))
    stale = sorted(existing - set(issues))
    if stale:
        tx.run(delete_nodes_statement("Issue"), {"ids": stale})
    kept = [row for key, row in issues.items() if key in existing]
    if kept:
        tx.run(set_node_properties_statement("Issue", ["name", "code", "category", "family", "description", "synonyms"]),
               {"rows": kept})
    tx.insert_nodes("Issue", [r for k, r in issues.items() if k not in existing])
    tx.run(delete_relationships_statement("INDICATES"))
    tx.run(delete_relationships_statement("FIX_FOR"))
    for kind, rel in (("issue", "INDICATES"), ("fix", "FIX_FOR")):
        links = [(name, cls.issue_key) for name, cls in codes.items() if cls.kind == kind and cls.issue_key]
        tx.insert_relationships(rel, [{"source": name, "target": key} for name, key in links])
    return decisions
