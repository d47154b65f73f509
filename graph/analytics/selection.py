"""Which coded copies of each interview the analyses read, and what their paragraphs carry.

Every projection and saturation read the store through this module, so they
all count the same evidence. Which copies count is the *copies rule*
(:class:`Copies`), an option of every measure that counts interviews:

- ``consensus`` (the default, the knowledge layer's rule,
  :func:`graph.knowledge.selection.select_transcripts`): the coded consensus
  copies of an interview when it has any, else the union of every coder's
  coded copy. What the coders agreed on, where they met.
- ``union``: every coded copy of the interview, the consensus copy
  included. A paragraph counts once whoever coded it, so what only one coder
  saw still counts (an issue the moderation dropped, or one a coder added
  that never reached the moderated copy). The consensus copy is included so
  that union counts are never below consensus counts: the union is the
  widest reading, an upper bound on the other two.
- ``coder:NAME``: that one coder's copies (coder names compared without
  case), for a researcher who wants to see the study through one pair of eyes.

The unit of evidence is the paragraph of an interview, ``(interview id,
position)``: all copies of an interview come from one transcript, so the
same position is the same paragraph whoever coded it. When several copies
are read, a paragraph carries every issue any of them saw on it, counted
once, rather than once per copy.

Interviews with no selected coded copy (uncoded prints only, or not coded
by the named coder) are left out and named, never counted as interviews
that raised nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from graph import reads
from graph.knowledge.selection import TranscriptInfo, select_transcripts
from graph.store import Reader

__all__ = ["Paragraph", "RULES", "Copies", "CONSENSUS", "Selection", "select", "paragraph_issues", "paragraph_codes"]

Paragraph = tuple[str, int]  # (interview id, position)

RULES = ("consensus", "union", "coder")
_CODER_PREFIX = "coder:"


@dataclass(frozen=True)
class Copies:
    """A copies rule: ``consensus``, ``union`` or ``coder`` with the coder's name. Written ``str(copies)``
    as the CLI's ``--copies`` and the ``$copies`` parameter of ``cypher/issue-prevalence.cypher`` take it."""

    rule: str = "consensus"
    coder: str | None = None

    def __post_init__(self) -> None:
        if self.rule not in RULES or (self.rule == "coder") != bool(self.coder):
            raise ValueError(f"a copies rule is consensus, union or coder:NAME, not {str(self)!r}")

    @classmethod
    def parse(cls, text: str) -> Copies:
        """``consensus``, ``union`` or ``coder:NAME``; ValueError for anything else."""
        rule = text.strip()
        if rule.casefold().startswith(_CODER_PREFIX):
            return cls("coder", rule[len(_CODER_PREFIX):].strip())
        return cls(rule.casefold())

    def __str__(self) -> str:
        return f"{_CODER_PREFIX}{self.coder or ''}" if self.rule == "coder" else self.rule

    @property
    def description(self) -> str:
        """What the rule reads, in words, for the CLI's and the explorer's "which copies were counted"."""
        if self.rule == "union":
            return "union of every coded copy (consensus and coders; a paragraph counts once)"
        if self.rule == "coder":
            return f"copies coded by {self.coder}"
        return "consensus copies, else the union of coders"


CONSENSUS = Copies()


@dataclass(frozen=True)
class Selection:
    """The copies read per interview, and the interviews left out with why."""

    rule: str  # the rule in words (Copies.description)
    transcripts: dict[str, list[str]]  # interview id -> transcript ids
    left_out: dict[str, str] = field(default_factory=dict)  # interview id -> reason

    @property
    def transcript_ids(self) -> list[str]:
        return sorted(t for ids in self.transcripts.values() for t in ids)

    @property
    def interview_of(self) -> dict[str, str]:
        return {t: interview for interview, ids in self.transcripts.items() for t in ids}


def _candidates(copies: Copies, infos: list[TranscriptInfo]) -> dict[str, list[TranscriptInfo]]:
    """Per interview, the copies the rule would read before uncoded ones are set aside."""
    if copies.rule == "consensus":
        return select_transcripts(infos)
    by_interview: dict[str, list[TranscriptInfo]] = defaultdict(list)
    for info in sorted(infos, key=lambda t: t.id):
        # Coder names come from file titles, whose case varies ("PO", "po").
        if copies.rule == "union" or (info.coder or "").casefold() == (copies.coder or "").casefold():
            by_interview[info.interview].append(info)
        else:
            by_interview.setdefault(info.interview, [])
    return by_interview


def _why_left_out(copies: Copies, candidates: list[TranscriptInfo]) -> str:
    if copies.rule != "coder":
        return "no coded copy (uncoded prints only)"
    return f"{copies.coder}'s copy is uncoded" if candidates else f"not coded by {copies.coder}"


def select(source: Reader, copies: Copies = CONSENSUS) -> Selection:
    """Choose the copies to read by the copies rule (default: consensus, else union of coders)."""
    infos = [
        TranscriptInfo(tid, interview, name, bool(consensus), bool(coded))
        for tid, interview, name, consensus, coded in reads.interview_copies(source)
    ]
    chosen: dict[str, list[str]] = {}
    left_out: dict[str, str] = {}
    for interview, candidates in _candidates(copies, infos).items():
        coded = sorted(t.id for t in candidates if t.coded)
        if coded:
            chosen[interview] = coded
        else:
            left_out[interview] = _why_left_out(copies, candidates)
    return Selection(copies.description, dict(sorted(chosen.items())), dict(sorted(left_out.items())))


def paragraph_issues(source: Reader, selection: Selection) -> dict[Paragraph, set[str]]:
    """Issue ids per paragraph of the selected copies (paragraphs with at least one issue).

    An excerpt carries an issue when one of its codes INDICATES it; a fix code
    says the paragraph is about the remedy, which the mitigation view covers.
    """
    return _paragraph_values(reads.paragraph_issue_rows(source), selection)


def paragraph_codes(source: Reader, selection: Selection, kinds: list[str]) -> dict[Paragraph, set[str]]:
    """Code names of the given kinds per paragraph of the selected copies."""
    return _paragraph_values(reads.paragraph_code_rows(source, kinds), selection)


def _paragraph_values(rows: list[list[Any]], selection: Selection) -> dict[Paragraph, set[str]]:
    # Copies are kept here rather than with ``WHERE t.id IN $ids``: LadybugDB tests IN against a
    # list parameter element by element, so that filter grows with rows times copies.
    interview_of = selection.interview_of
    values: dict[Paragraph, set[str]] = defaultdict(set)
    for tid, position, value in rows:
        if tid in interview_of:
            values[(interview_of[tid], position)].add(value)
    return dict(values)
