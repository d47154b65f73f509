"""Which coded copies of each interview the analyses read, and what their paragraphs carry.

Every projection and saturation read the store through this module, so they
all count the same evidence. The rule is the knowledge layer's
(:func:`graph.knowledge.selection.select_transcripts`): the coded consensus
copies of an interview when it has any, else the union of every coder's
coded copy. ``coder=NAME`` instead reads that one coder's copies, for a
researcher who wants to see the study through one pair of eyes.

The unit of evidence is the paragraph of an interview, ``(interview id,
position)``: all copies of an interview come from one transcript, so the
same position is the same paragraph whoever coded it. In the union of
coders a paragraph carries every issue any coder saw on it, counted once,
rather than once per coder.

Interviews with no selected coded copy (uncoded prints only, or not coded
by the named coder) are left out and named, never counted as interviews
that raised nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Union

from graph.knowledge.selection import TranscriptInfo, select_transcripts
from graph.store import GraphStore, QueryResult, Transaction

# Projections read either from a store (the CLI's read-only commands) or from
# the open transaction of an ingest, which must see its own uncommitted writes.
Source = Union[GraphStore, Transaction]
Paragraph = tuple[str, int]  # (interview id, position)


def cypher(source: Source) -> Callable[[str, dict[str, Any] | None], QueryResult]:
    """The function that runs Cypher on ``source``."""
    return source.run if isinstance(source, Transaction) else source.query


@dataclass(frozen=True)
class Selection:
    """The copies read per interview, and the interviews left out with why."""

    rule: str
    transcripts: dict[str, list[str]]  # interview id -> transcript ids
    left_out: dict[str, str] = field(default_factory=dict)  # interview id -> reason

    @property
    def transcript_ids(self) -> list[str]:
        return sorted(t for ids in self.transcripts.values() for t in ids)

    @property
    def interview_of(self) -> dict[str, str]:
        return {t: interview for interview, ids in self.transcripts.items() for t in ids}


def select(source: Source, coder: str | None = None) -> Selection:
    """Choose the copies to read: consensus, else union of coders; or the named ``coder``'s."""
    infos = [
        TranscriptInfo(tid, interview, name, bool(consensus), bool(coded))
        for tid, interview, name, consensus, coded in cypher(source)(
            "MATCH (i:Interview)-[:HAS_TRANSCRIPT]->(t:Transcript) RETURN t.id, i.id, t.coder, t.consensus, t.coded",
            None,
        ).rows
    ]
    chosen: dict[str, list[str]] = {}
    left_out: dict[str, str] = {}
    if coder is None:
        rule = "consensus copies, else the union of coders"
        for interview, copies in select_transcripts(infos).items():
            coded = [t.id for t in copies if t.coded]
            if coded:
                chosen[interview] = coded
            else:
                left_out[interview] = "no coded copy (uncoded prints only)"
    else:
        rule = f"copies coded by {coder}"
        by_interview: dict[str, list[TranscriptInfo]] = defaultdict(list)
        for info in infos:
            by_interview[info.interview].append(info)
        for interview, copies in sorted(by_interview.items()):
            # Coder names come from file titles, whose case varies ("PO", "po").
            mine = [t for t in copies if (t.coder or "").casefold() == coder.casefold()]
            coded = sorted(t.id for t in mine if t.coded)
            if coded:
                chosen[interview] = coded
            else:
                left_out[interview] = f"{coder}'s copy is uncoded" if mine else f"not coded by {coder}"
    return Selection(rule, dict(sorted(chosen.items())), dict(sorted(left_out.items())))


def paragraph_issues(source: Source, selection: Selection) -> dict[Paragraph, set[str]]:
    """Issue ids per paragraph of the selected copies (paragraphs with at least one issue).

    An excerpt carries an issue when one of its codes INDICATES it; a fix code
    says the paragraph is about the remedy, which the mitigation view covers.
    """
    return _paragraph_values(
        source,
        selection,
        "MATCH (t:Transcript)-[:HAS_EXCERPT]->(e:Excerpt)-[:CODED_AS]->(:Code)-[:INDICATES]->(i:Issue) "
        "RETURN t.id, e.position, i.id",
    )


def paragraph_codes(source: Source, selection: Selection, kinds: list[str]) -> dict[Paragraph, set[str]]:
    """Code names of the given kinds per paragraph of the selected copies."""
    return _paragraph_values(
        source,
        selection,
        "MATCH (t:Transcript)-[:HAS_EXCERPT]->(e:Excerpt)-[:CODED_AS]->(c:Code) "
        "WHERE c.kind IN $kinds RETURN t.id, e.position, c.id",
        {"kinds": kinds},
    )


def _paragraph_values(
    source: Source, selection: Selection, query: str, params: dict[str, Any] | None = None
) -> dict[Paragraph, set[str]]:
    # Copies are kept here rather than with ``WHERE t.id IN $ids``: LadybugDB tests IN against a
    # list parameter element by element, so that filter grows with rows times copies.
    interview_of = selection.interview_of
    values: dict[Paragraph, set[str]] = defaultdict(set)
    for tid, position, value in cypher(source)(query, params).rows:
        if tid in interview_of:
            values[(interview_of[tid], position)].add(value)
    return dict(values)
