"""Raw, uncoded transcripts: one paragraph per line, ``speaker: text``.

This is what transcription services and the study's replication package
give before any coding. Each non-blank line is a paragraph; a ``speaker:``
prefix (any case, e.g. ``Interviewer 1:``, ``interviewee:``, ``Maria:``)
names who speaks, and a line without one continues with the previous
speaker. The interview name comes from the file name ("Interview 35.txt").
"""

from __future__ import annotations

import re
from pathlib import Path

from ingest.formats import SourceFormat
from ingest.naming import speaker_role
from ingest.records import IngestError, Paragraph, TranscriptRecord
from ingest.source import DEFAULT_LIMITS, ReadLimits, decode_text, read_source, single_transcript

__all__ = ["FORMAT", "SPEAKER_LINE", "split_speaker", "parse_plain_transcript", "recognises", "SOURCE_FORMAT"]

FORMAT = "plain"

# A label of at most four words before the colon; longer "labels" are prose
# that happens to contain a colon.
SPEAKER_LINE = re.compile(r"^\s*([A-Za-z][\w.'’-]*(?:[ \t][\w.'’-]+){0,3})[ \t]*:[ \t]*(.*)$")


def split_speaker(line: str) -> tuple[str | None, str]:
    """Return (canonical speaker or None, text) for one transcript line."""
    match = SPEAKER_LINE.match(line)
    if not match:
        return None, line.strip()
    label, text = match.group(1).strip(), match.group(2).strip()
    return speaker_role(label) or label, text


def parse_plain_transcript(
    path: str | Path, *, coder: str | None = None, consensus: bool = False, limits: ReadLimits = DEFAULT_LIMITS
) -> list[TranscriptRecord]:
    """Parse one raw transcript into a single uncoded :class:`TranscriptRecord`."""
    data = read_source(path, limits)
    text = decode_text(path, data)
    paragraphs: list[Paragraph] = []
    speaker = ""
    for line in text.splitlines():
        if not line.strip():
            continue
        label, body = split_speaker(line)
        if label is not None:
            speaker = label
        if body:
            paragraphs.append(Paragraph(position=len(paragraphs), speaker=speaker, text=body))
    if not paragraphs:
        raise IngestError(str(path), "transcript has no text lines")
    return single_transcript(
        path, data, title=Path(path).stem, fmt=FORMAT, paragraphs=paragraphs, coder=coder, consensus=consensus
    )


_SPEAKER_LINE = re.compile(r"^\s*[A-Za-z][\w.' -]{0,40}:\s", re.MULTILINE)


def recognises(path: Path, head: bytes, text: str) -> bool:
    """Text (not XML) made of ``speaker: text`` lines."""
    return not text.lstrip().startswith("<") and bool(_SPEAKER_LINE.search(text))


SOURCE_FORMAT = SourceFormat(FORMAT, recognises, parse_plain_transcript)
