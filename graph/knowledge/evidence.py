"""Fix passages without a named strategy: what the coders marked as a fix where no action is said.

Coders mark a passage as a fix for an issue ("QM-robustness-fix") when it
talks about dealing with the issue, also when it names nothing done ("it is
an ongoing process", "we have yet to use any tool", an interviewer's turn).
Such a passage gives no Mitigation (:mod:`.linking` only makes strategies of
stated actions), but it is still evidence on its issue that a reader must
be able to find: this module lists those passages, with their quotes, from
the store alone (through :mod:`graph.reads`). The quote is shown verbatim (only
white space joined); normalised text is for matching only.

A *passage* is a run of consecutive excerpts of one copy carrying a fix code
for the issue; it has no named strategy when none of its excerpts SUGGESTS a
strategy for that issue. Copies are chosen as the knowledge layer chooses
them (:mod:`.selection`). The quote is the interviewee's words in the passage
(the whole passage when the interviewee says nothing in it).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from graph import reads
from graph.knowledge.selection import TranscriptInfo, select_transcripts
from graph.knowledge.transcript import INTERVIEWER, speaker_role
from graph.store import Reader

__all__ = ["QUOTE_CHARS", "COLUMNS", "FixPassage", "fix_passages_without_strategy"]

QUOTE_CHARS = 600
COLUMNS = ["issue", "interview", "coder", "positions", "quote"]


@dataclass(frozen=True)
class FixPassage:
    issue: str  # Issue id
    interview: str  # Interview id
    coder: str | None
    positions: tuple[int, ...]  # the excerpts' positions in the copy
    quote: str

    def row(self) -> list:
        return [self.issue, self.interview, self.coder, list(self.positions), self.quote]


def fix_passages_without_strategy(store: Reader, issue: str) -> list[FixPassage]:
    """Every fix-coded passage on the Issue ``issue`` (an id) that names no strategy, in transcript order."""
    infos = [
        TranscriptInfo(tid, interview, coder, bool(consensus), bool(coded))
        for tid, interview, coder, consensus, coded in reads.interview_copies(store)
    ]
    chosen = {t.id: t for copies in select_transcripts(infos).values() for t in copies}
    excerpts = reads.fix_coded_excerpts_of_issue(store, issue)
    suggesting = set(reads.excerpts_suggesting_for_issue(store, issue))
    by_copy: dict[str, list[tuple[int, str, str, str]]] = defaultdict(list)
    for tid, eid, position, speaker, text in excerpts:
        if tid in chosen:
            by_copy[tid].append((position, eid, speaker or "", text or ""))
    found = []
    for tid in sorted(by_copy):
        for run in _runs(sorted(by_copy[tid])):
            if any(eid in suggesting for _, eid, _, _ in run):
                continue
            spoken = [text for _, _, speaker, text in run if speaker_role(speaker) != INTERVIEWER] or [t for *_, t in run]
            info = chosen[tid]
            found.append(FixPassage(
                issue, info.interview, info.coder, tuple(p for p, *_ in run), " ".join(" ".join(spoken).split())[:QUOTE_CHARS]
            ))
    return found


def _runs(excerpts: list[tuple[int, str, str, str]]) -> list[list[tuple[int, str, str, str]]]:
    """Consecutive positions grouped into runs."""
    runs: list[list[tuple[int, str, str, str]]] = []
    for excerpt in excerpts:
        if runs and runs[-1][-1][0] == excerpt[0] - 1:
            runs[-1].append(excerpt)
        else:
            runs.append([excerpt])
    return runs
