"""Issue co-occurrence: which issues travel together.

Two issues co-occur when a coder put both on the same paragraph (they were
talked about in one breath) or when both were coded in the same interview
(the same practitioner faced both). Each edge carries both counts,
``excerpts`` and ``interviews``; ``weighting`` picks which one is the
``weight`` the measures use. With ``excerpts`` only pairs that share a
paragraph are joined: sharing an interview is weaker evidence and would
otherwise join nearly every pair in a long interview.

Pairs grow with the square of the issues that meet: a paragraph with k
issues gives k (k - 1) / 2 of them, and an export with 2,000 issue codes on
one paragraph would make two million edges, every one of them stored and
measured. A paragraph coded with that many issues says nothing about which
of them travel together, so a paragraph with more than
``MAX_PARAGRAPH_ISSUES`` distinct issues is left out of co-occurrence (its
issues stay nodes and count everywhere else) and named in the graph's
``left_out`` and ``crowded``. The reference study has at most three issues
on a paragraph and twelve in an interview, so real codings are far below
the limits. Weighting by interviews joins every pair of an interview's
issues; an interview with more than ``MAX_INTERVIEW_ISSUES`` is left out of
that weighting the same way. With ``excerpts`` the ``interviews`` count is
taken for the joined pairs only, so no interview is left out. What remains
grows with the number of codings, not with its square.

Every Issue of the store is a node, joined or not, so every Issue gets
measures and Cypher can sort all of them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from itertools import combinations
from typing import TypeVar

import networkx as nx

from graph import reads
from graph.analytics.names import WEIGHTINGS
from graph.analytics.selection import CONSENSUS, Copies, Paragraph, paragraph_issues, select
from graph.store import Reader

__all__ = [
    "VIEW",
    "MAX_PARAGRAPH_ISSUES",
    "MAX_INTERVIEW_ISSUES",
    "Pair",
    "Unit",
    "Cooccurrence",
    "issue_nodes",
    "cooccurrence_counts",
    "cooccurrence_graph",
]

VIEW = "cooccurrence"  # its name in graph.analytics.names.VIEW_REGISTRY

MAX_PARAGRAPH_ISSUES = 20
MAX_INTERVIEW_ISSUES = 100

Pair = tuple[str, str]
Unit = TypeVar("Unit", bound=Hashable)


@dataclass(frozen=True)
class Cooccurrence:
    """Per unordered issue pair ``(a, b)`` with ``a < b``: paragraphs shared, interviews shared.

    ``interviews`` holds every pair of an interview's issues when weighting by
    interviews, else the pairs of ``excerpts`` only. ``crowded`` names what
    was left out for carrying too many issues, with why.
    """

    excerpts: Counter[Pair]
    interviews: Counter[Pair]
    crowded: dict[str, str]


def issue_nodes(source: Reader) -> list[tuple[str, str | None]]:
    """Every Issue as (id, name)."""
    return [(row[0], row[1]) for row in reads.issue_names(source)]


def _within(units: dict[Unit, set[str]], limit: int) -> tuple[dict[Unit, set[str]], dict[Unit, int]]:
    """The units with at most ``limit`` issues, and the issue count of each of the others."""
    kept = {unit: issues for unit, issues in units.items() if len(issues) <= limit}
    return kept, {unit: len(issues) for unit, issues in units.items() if len(issues) > limit}


def _pairs(issue_sets: Iterable[set[str]]) -> Counter[Pair]:
    counts: Counter[Pair] = Counter()
    for issues in issue_sets:
        counts.update(combinations(sorted(issues), 2))
    return counts


def _shared_interviews(pairs: Iterable[Pair], per_interview: dict[str, set[str]]) -> Counter[Pair]:
    """For each of ``pairs``, the interviews in which both issues were coded, without visiting other pairs."""
    interviews_of: dict[str, set[str]] = defaultdict(set)
    for interview, issues in per_interview.items():
        for issue in issues:
            interviews_of[issue].add(interview)
    return Counter({(a, b): len(interviews_of[a] & interviews_of[b]) for a, b in pairs})


def cooccurrence_counts(paragraphs: dict[Paragraph, set[str]], weighting: str = "excerpts") -> Cooccurrence:
    """Pair counts of the paragraphs' issues, leaving out paragraphs (and interviews) with too many."""
    kept, crowded_paragraphs = _within(paragraphs, MAX_PARAGRAPH_ISSUES)
    crowded = {
        f"{interview}, paragraph at position {position}": f"{n:,} distinct issues on one paragraph, more than "
        f"{MAX_PARAGRAPH_ISSUES} (too many to say which travel together)"
        for (interview, position), n in sorted(crowded_paragraphs.items())
    }
    excerpts = _pairs(kept.values())
    per_interview: dict[str, set[str]] = defaultdict(set)
    for (interview, _), issues in kept.items():
        per_interview[interview] |= issues
    if weighting == "excerpts":
        return Cooccurrence(excerpts, _shared_interviews(excerpts, per_interview), crowded)
    joined, crowded_interviews = _within(per_interview, MAX_INTERVIEW_ISSUES)
    crowded |= {
        interview: f"{n:,} distinct issues, more than {MAX_INTERVIEW_ISSUES} (too many to join every pair by interviews)"
        for interview, n in sorted(crowded_interviews.items())
    }
    return Cooccurrence(excerpts, _pairs(joined.values()), crowded)


def cooccurrence_graph(source: Reader, *, copies: Copies = CONSENSUS, weighting: str = "excerpts") -> nx.Graph:
    """The issue co-occurrence graph of the selected copies, weighted by ``weighting``."""
    if weighting not in WEIGHTINGS:
        raise ValueError(f"weighting must be one of {', '.join(WEIGHTINGS)}, not {weighting!r}")
    selection = select(source, copies)
    counts = cooccurrence_counts(paragraph_issues(source, selection), weighting)
    graph = nx.Graph(view="cooccurrence", weighting=weighting, selection=selection.rule,
                     left_out={**selection.left_out, **counts.crowded}, crowded=counts.crowded)
    for issue_id, name in issue_nodes(source):
        graph.add_node(("Issue", issue_id), label="Issue", id=issue_id, name=name or issue_id)
    chosen = counts.excerpts if weighting == "excerpts" else counts.interviews
    for (a, b), count in sorted(chosen.items()):
        graph.add_edge(
            ("Issue", a), ("Issue", b), weight=float(count), excerpts=counts.excerpts.get((a, b), 0),
            interviews=counts.interviews[(a, b)],
        )
    return graph
