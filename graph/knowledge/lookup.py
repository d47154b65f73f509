"""Answer "which fixes address this issue?" and the reverse, from the graph.

The CLI (``findings fixes``, ``findings issues``) and the explorer share
these functions. People type an issue the way they think of it: a code as
spelled by a coder (``Data-missing-value``), the readable name ("missing
values") or a fragment ("missing"); a strategy by its name, a fragment, or
even the words an interviewee used ("data mutation"). Exact matches win
over fragments; a fragment may match several issues, and then all are shown.
"""

from __future__ import annotations

from typing import Any

from graph.knowledge.catalog import load_catalog
from graph.knowledge.textnorm import stem_text, stems
from graph.store import GraphStore

FIXES_COLUMNS = ["issue", "mitigation", "provenance", "interviews", "excerpts", "confidence", "quote"]
ISSUES_COLUMNS = ["mitigation", "issue", "category", "provenance", "interviews", "excerpts", "confidence", "quote"]


class NotFound(Exception):
    """Nothing in the graph matches what the user typed; the message says what exists."""


def _pick(candidates: dict[str, set[str]], text: str) -> list[str]:
    """Ids whose names match ``text``: exactly, else as a fragment, else by stemmed words."""
    wanted = text.strip().casefold()
    exact = [key for key, names in candidates.items() if wanted in names]
    if exact:
        return sorted(exact)
    fragment = [key for key, names in candidates.items() if any(wanted in n for n in names)]
    if fragment:
        return sorted(fragment)
    words = set(stems(text))
    return sorted(key for key, names in candidates.items() if words and any(words <= set(stems(n)) for n in names))


def resolve_issues(store: GraphStore, text: str) -> list[str]:
    names: dict[str, set[str]] = {}
    for issue, name, code in store.query("MATCH (i:Issue) RETURN i.id, i.name, i.code").rows:
        names[issue] = {v.casefold() for v in (issue, name, code) if v}
    for rel in ("INDICATES", "FIX_FOR"):
        for issue, spelling in store.query(f"MATCH (c:Code)-[:{rel}]->(i:Issue) RETURN i.id, c.name").rows:
            names[issue].add(spelling.casefold())
    found = _pick(names, text)
    if not found:
        known = ", ".join(sorted(n for n, *_ in store.query("MATCH (i:Issue) RETURN i.name").rows)[:20])
        raise NotFound(f"no issue matches {text!r} (issues include: {known or 'none, ingest transcripts first'})")
    return found


def resolve_mitigations(store: GraphStore, text: str) -> list[str]:
    names = {
        m: {v.casefold() for v in (m, name) if v}
        for m, name in store.query("MATCH (m:Mitigation) RETURN m.id, m.name").rows
    }
    found = _pick(names, text)
    if not found:
        # The words an interviewee would use: "data mutation" finds augmentation.
        found = sorted(s.id for s in load_catalog().named_in(stem_text(text)) if s.id in names)
    if not found:
        known = ", ".join(sorted(n for ids in names.values() for n in ids if " " in n)[:20])
        raise NotFound(f"no mitigation matches {text!r} (mitigations include: {known or 'none yet'})")
    return found


_LINKS = (
    "MATCH (m:Mitigation)-[a:ADDRESSES]->(i:Issue) WHERE {where} "
    "RETURN m.name AS mitigation, i.name AS issue, i.category AS category, a.provenance AS provenance, "
    "a.interviews AS interviews, a.excerpts AS excerpts, a.confidence AS confidence, a.quote AS quote "
    "ORDER BY interviews DESC, excerpts DESC, confidence DESC, mitigation, issue"
)


def fixes_for(store: GraphStore, text: str) -> list[list[Any]]:
    """Strategies addressing the issue(s) ``text`` names, most interviews first."""
    result = store.query(_LINKS.format(where="i.id IN $ids"), {"ids": resolve_issues(store, text)})
    return [[r[c] for c in FIXES_COLUMNS] for r in result.records()]


def issues_for(store: GraphStore, text: str) -> list[list[Any]]:
    """Issues the strategy (or strategies) ``text`` names address, most interviews first."""
    result = store.query(_LINKS.format(where="m.id IN $ids"), {"ids": resolve_mitigations(store, text)})
    return [[r[c] for c in ISSUES_COLUMNS] for r in result.records()]
