"""Which coded copies of each interview the knowledge layer reads.

An interview can have several coded copies: one per coder and, once the
coders have met, a moderated consensus copy. Reading all of them would count
one interviewee's sentence once per coder; reading one arbitrary coder would
lose what the others saw. The rule (the one analytics uses too): the coded
consensus copies when the interview has any, else every coded copy. A
consensus print without codes (common in the reference study) does not
count as having a consensus. An interview with no coded copy at all still
gives one copy, so its projects and the interviewee's roles can be read.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

__all__ = ["TranscriptInfo", "select_transcripts"]


@dataclass(frozen=True)
class TranscriptInfo:
    id: str
    interview: str  # Interview node id
    coder: str | None
    consensus: bool
    coded: bool


def select_transcripts(transcripts: list[TranscriptInfo]) -> dict[str, list[TranscriptInfo]]:
    """Per interview id, the copies to read, ordered by transcript id."""
    by_interview: dict[str, list[TranscriptInfo]] = defaultdict(list)
    for transcript in sorted(transcripts, key=lambda t: t.id):
        by_interview[transcript.interview].append(transcript)
    chosen: dict[str, list[TranscriptInfo]] = {}
    for interview, copies in by_interview.items():
        consensus = [t for t in copies if t.consensus and t.coded]
        coded = [t for t in copies if t.coded]
        chosen[interview] = consensus or coded or copies[:1]
    return chosen
