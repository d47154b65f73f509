"""Issue co-occurrence: which issues travel together.

Two issues co-occur when a coder put both on the same paragraph (they were
talked about in one breath) or when both were coded in the same interview
(the same practitioner faced both). Each edge carries both counts,
``excerpts`` and ``interviews``; ``weighting`` picks which one is the
``weight`` the measures use. With ``excerpts`` only pairs that share a
paragraph are joined: sharing an interview is weaker evidence and would
otherwise join nearly every pair in a long interview.

Every Issue of the store is a node, joined or not, so every Issue gets
measures and Cypher can sort all of them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import combinations

import networkx as nx

from graph.analytics.selection import CONSENSUS, Copies, Source, cypher, paragraph_issues, select

WEIGHTINGS = ("excerpts", "interviews")


def issue_nodes(source: Source) -> list[tuple[str, str | None]]:
    """Every Issue as (id, name)."""
    return [(row[0], row[1]) for row in cypher(source)("MATCH (i:Issue) RETURN i.id, i.name ORDER BY i.id", None).rows]


def cooccurrence_counts(
    paragraphs: dict[tuple[str, int], set[str]],
) -> tuple[Counter[tuple[str, str]], Counter[tuple[str, str]]]:
    """Per unordered issue pair ``(a, b)`` with ``a < b``: paragraphs shared, interviews shared."""
    excerpts: Counter[tuple[str, str]] = Counter()
    per_interview: dict[str, set[str]] = defaultdict(set)
    for (interview, _), issues in paragraphs.items():
        excerpts.update(combinations(sorted(issues), 2))
        per_interview[interview] |= issues
    interviews: Counter[tuple[str, str]] = Counter()
    for issues in per_interview.values():
        interviews.update(combinations(sorted(issues), 2))
    return excerpts, interviews


def cooccurrence_graph(source: Source, *, copies: Copies = CONSENSUS, weighting: str = "excerpts") -> nx.Graph:
    """The issue co-occurrence graph of the selected copies, weighted by ``weighting``."""
    if weighting not in WEIGHTINGS:
        raise ValueError(f"weighting must be one of {', '.join(WEIGHTINGS)}, not {weighting!r}")
    selection = select(source, copies)
    excerpts, interviews = cooccurrence_counts(paragraph_issues(source, selection))
    graph = nx.Graph(view="cooccurrence", weighting=weighting, selection=selection.rule, left_out=selection.left_out)
    for issue_id, name in issue_nodes(source):
        graph.add_node(("Issue", issue_id), label="Issue", id=issue_id, name=name or issue_id)
    chosen = excerpts if weighting == "excerpts" else interviews
    for (a, b), count in sorted(chosen.items()):
        graph.add_edge(
            ("Issue", a), ("Issue", b), weight=float(count), excerpts=excerpts.get((a, b), 0), interviews=interviews[(a, b)]
        )
    return graph
