"""The in-memory view of selected transcripts that the knowledge layer reasons on.

Read once from the store with Cypher (never from the source files), so the
knowledge always reflects what was ingested: excerpts in order with their
speaker's part in the conversation, their sentences pre-normalised for
matching, and the issues their codes indicate or fix.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from graph import reads
from graph.knowledge.selection import TranscriptInfo, select_transcripts
from graph.knowledge.textnorm import sentences, stem_text, stems
from graph.store import Transaction

__all__ = ["speaker_role", "ExcerptView", "TranscriptView", "IssueView", "read_issues", "read_selected"]

INTERVIEWEE, INTERVIEWER, OTHER = "interviewee", "interviewer", "other"

# Words of issue names that say nothing about which issue is meant.
_GENERIC = frozenset(stems("issue issues problem problems of the and for to in with on a an"))
_UNSPECIFIC = _GENERIC | frozenset(stems("data model quality value values low high lack poor bad ml system"))


@lru_cache(maxsize=4096)  # a transcript has a handful of speakers, each labelling many excerpts
def speaker_role(speaker: str) -> str:
    """"Interviewee1", "interviewee" -> interviewee; "Interviewer 2", "interviewr" -> interviewer."""
    letters = re.sub(r"[^a-z]", "", speaker.lower())
    if letters.startswith("interviewee"):
        return INTERVIEWEE
    if letters.startswith("interview"):
        return INTERVIEWER
    return OTHER


@dataclass
class ExcerptView:
    id: str
    transcript: str
    interview: str
    position: int
    speaker: str
    text: str
    issues: set[str] = field(default_factory=set)  # issues its codes indicate
    fixes: set[str] = field(default_factory=set)  # issues its fix codes address

    def __post_init__(self) -> None:
        self.role = speaker_role(self.speaker)

    # Computed when first asked for: most excerpts are read by only some of the matchers (the
    # interviewer's by almost none), and stemming the texts of a study is a costly part.
    @cached_property
    def sentences(self) -> list[str]:
        return sentences(self.text)

    @cached_property
    def stemmed(self) -> str:
        return stem_text(self.text)

    @property
    def speaks_for_interviewee(self) -> bool:
        # Unlabelled or named speakers are taken as the interviewee: the
        # interviewer is the one party transcripts reliably label.
        return self.role != INTERVIEWER


@dataclass
class TranscriptView:
    id: str
    interview: str
    excerpts: list[ExcerptView]

    @property
    def issues(self) -> set[str]:
        return {i for e in self.excerpts for i in e.issues | e.fixes}


@dataclass(frozen=True)
class IssueView:
    id: str
    name: str
    category: str | None
    name_stems: frozenset[str]  # content words of the name
    cue_stems: frozenset[str]  # the words that show the issue is being talked about

    def mentioned_in(self, stemmed: str) -> bool:
        return any(f" {s} " in stemmed for s in self.cue_stems)


def read_issues(tx: Transaction) -> dict[str, IssueView]:
    issues = {}
    for issue_id, name, category in reads.issues_with_categories(tx):
        words = set(stems(name or issue_id))
        issues[issue_id] = IssueView(
            issue_id, name or issue_id, category, frozenset(words - _GENERIC), frozenset(words - _UNSPECIFIC)
        )
    return issues


def read_selected(tx: Transaction, interviews: set[str] | None = None) -> list[TranscriptView]:
    """The selected copies of every interview (or of ``interviews``), excerpts in order, with their issues."""
    infos = [
        TranscriptInfo(tid, interview, coder, bool(consensus), bool(coded))
        for tid, interview, coder, consensus, coded in reads.interview_copies(tx)
    ]
    chosen = [
        t for interview, copies in select_transcripts(infos).items() if interviews is None or interview in interviews
        for t in copies
    ]
    interview_of = {t.id: t.interview for t in chosen}
    excerpts: dict[str, ExcerptView] = {}
    by_transcript: dict[str, list[ExcerptView]] = defaultdict(list)
    for tid, eid, position, speaker, text in reads.excerpts_of_copies(tx, interview_of):
        view = ExcerptView(eid, tid, interview_of[tid], position, speaker or "", text or "")
        excerpts[eid] = view
        by_transcript[tid].append(view)
    for rel, attribute in (("INDICATES", "issues"), ("FIX_FOR", "fixes")):
        for _, eid, issue in reads.excerpt_issues_of_copies(tx, interview_of, rel):
            getattr(excerpts[eid], attribute).add(issue)
    return [TranscriptView(t.id, t.interview, by_transcript[t.id]) for t in chosen]
