"""Derive the classification of codes and the issues they indicate.

Run inside every load's transaction, over all codes in the store rather than
only the new ones: a new spelling can change which spelling names an issue,
and a new codebook reclassifies everything. The code set of a study is a few
hundred names, so rebuilding is cheap and keeps the derived layer exactly in
step with the data.
"""

from __future__ import annotations

from collections import defaultdict

from graph.codebook import Codebook, CodeClass
from graph.schema import merge_relationship_statement
from graph.store import Transaction

def _issue_rows(codes: dict[str, CodeClass], uses: dict[str, int]) -> dict[str, dict]:
    """One row per issue key, named after its most used issue spelling."""
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
        issues[key] = {
            "id": key,
            "name": cls.issue_name,
            "code": best if cls.kind == "issue" else None,
            "category": cls.category,
            "family": cls.family,
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
        for row in tx.run(
            "MATCH (c:Code) WHERE c.id IN $ids AND c.parent IS NULL RETURN c.id", {"ids": [r["source"] for r in rows]}
        ).rows
    }
    rows = [r for r in rows if r["source"] in orphans]
    if rows:
        tx.run("UNWIND $rows AS row MATCH (c:Code {id: row.source}) SET c.parent = row.target", {"rows": rows})
        tx.run(merge_relationship_statement("SUBCODE_OF"), {"rows": rows})


def derive_codes(tx: Transaction, codebook: Codebook) -> None:
    """Classify every code, and rebuild ``Issue`` nodes with INDICATES/FIX_FOR."""
    uses = {
        row[0]: row[1]
        for row in tx.run("MATCH (c:Code) OPTIONAL MATCH (e:Excerpt)-[:CODED_AS]->(c) RETURN c.id, count(e)").rows
    }
    codes = {name: codebook.classify(name) for name in uses}
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
    issues = _issue_rows(codes, uses)
    existing = {row[0] for row in tx.run("MATCH (i:Issue) RETURN i.id").rows}
    stale = sorted(existing - set(issues))
    if stale:
        tx.run("MATCH (i:Issue) WHERE i.id IN $ids DETACH DELETE i", {"ids": stale})
    kept = [row for key, row in issues.items() if key in existing]
    if kept:
        tx.run(
            "UNWIND $rows AS row MATCH (i:Issue {id: row.id}) "
            "SET i.name = row.name, i.code = row.code, i.category = row.category, i.family = row.family",
            {"rows": kept},
        )
    tx.insert_nodes("Issue", [r for k, r in issues.items() if k not in existing])
    tx.run("MATCH (:Code)-[r:INDICATES]->(:Issue) DELETE r")
    tx.run("MATCH (:Code)-[r:FIX_FOR]->(:Issue) DELETE r")
    for kind, rel in (("issue", "INDICATES"), ("fix", "FIX_FOR")):
        links = [(name, cls.issue_key) for name, cls in codes.items() if cls.kind == kind and cls.issue_key]
        tx.insert_relationships(rel, [{"source": name, "target": key} for name, key in links])
