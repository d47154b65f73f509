"""Delve's Markdown export of one coded transcript.

The export is a title heading (``## Interview 35 - PO``), then speaker
headings in several forms (``### Interviewer 1``, ``#### Interviewee``,
``**Interviewee**``), each followed by paragraphs. A coded paragraph is
followed by its codes, one per block, with nothing marking them as codes; a
paragraph may continue after a blank line without a new heading (one Delve
paragraph holding a line break), and the file
ends with a "Created with the Delve..." footer.

Codes are told from prose by shape: a block that follows a paragraph or
another code, fits on one line and reads like a label (no sentence
punctuation, a few words at most) is a code. The first block under a heading
is always prose, so short answers ("you.", "Okay") are never taken for codes.
"""

from __future__ import annotations

import re
from pathlib import Path

from ingest.formats import SourceFormat
from ingest.naming import speaker_role
from ingest.records import Coding, IngestError, Paragraph, TranscriptRecord
from ingest.source import DEFAULT_LIMITS, ReadLimits, decode_text, read_source, single_transcript

__all__ = ["FORMAT", "looks_like_code", "parse_delve_markdown", "recognises", "SOURCE_FORMAT"]

FORMAT = "delve-markdown"

_TITLE = re.compile(r"^#{1,2}\s+(.+?)\s*#*\s*$")
_HEADING = re.compile(r"^#{3,6}\s+(.+?)\s*#*\s*$")
_BOLD_LINE = re.compile(r"^\*\*(.+?)\*\*\s*$")
_FOOTER = re.compile(r"^created with (the )?delve", re.IGNORECASE)
_RULE = re.compile(r"^(-{3,}|\*{3,}|_{3,})$")
_CODE_SHAPE = re.compile(r"^[^\s.,;:?!\"“”][^,;\"“”]*$")
_MAX_CODE_CHARS = 80
_MAX_CODE_WORDS = 6


def looks_like_code(block: str) -> bool:
    """Whether a one-line block reads as a code label rather than speech."""
    if "\n" in block or len(block) > _MAX_CODE_CHARS:
        return False
    if block[-1] in ".?!…:" or not _CODE_SHAPE.match(block):
        return False
    return len(block.split()) <= _MAX_CODE_WORDS


def _blocks(text: str) -> list[str]:
    """Split Markdown into blank-line separated blocks, lines joined by spaces."""
    blocks: list[str] = []
    current: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if line:
            current.append(line)
            continue
        if current:
            blocks.append(" ".join(current))
            current = []
    if current:
        blocks.append(" ".join(current))
    return blocks


def _speaker_heading(block: str) -> str | None:
    match = _HEADING.match(block) or _BOLD_LINE.match(block)
    if not match:
        return None
    label = match.group(1).strip().strip("*").strip()
    return speaker_role(label) or label


def parse_delve_markdown(
    path: str | Path, *, coder: str | None = None, consensus: bool = False, limits: ReadLimits = DEFAULT_LIMITS
) -> list[TranscriptRecord]:
    """Parse one Delve Markdown export into a single :class:`TranscriptRecord`."""
    data = read_source(path, limits)
    text = decode_text(path, data)
    title: str | None = None
    speaker = ""
    # Each entry: (speaker, text, codes); codes, an ordered set (dict keys) so
    # that thousands on one paragraph stay linear, grow while they follow.
    paragraphs: list[tuple[str, str, dict[str, None]]] = []
    # What the previous block was decides how a code-shaped block is read.
    previous = "start"
    for block in _blocks(text):
        if _FOOTER.match(block):
            break
        if _RULE.match(block):
            continue
        if title is None and not paragraphs and (match := _TITLE.match(block)):
            title = match.group(1)
            continue
        heading = _speaker_heading(block)
        if heading is not None:
            speaker, previous = heading, "heading"
            continue
        if previous in {"text", "code"} and looks_like_code(block):
            paragraphs[-1][2][block] = None
            previous = "code"
            continue
        if previous == "text":
            # Prose straight after prose, with no heading between: Delve wrote
            # a line break inside one paragraph, so it continues that paragraph.
            last_speaker, last_text, last_codes = paragraphs[-1]
            paragraphs[-1] = (last_speaker, f"{last_text}\n{block}", last_codes)
        else:
            paragraphs.append((speaker, block, {}))
        previous = "text"
    if title is None:
        raise IngestError(str(path), "no '## Interview ...' title line: not a Delve Markdown export")
    if not paragraphs:
        raise IngestError(str(path), "Delve Markdown export has no paragraphs")
    return single_transcript(
        path,
        data,
        title=title,
        fmt=FORMAT,
        paragraphs=[
            Paragraph(position=i, speaker=s, text=t, codings=tuple(Coding(c) for c in codes))
            for i, (s, t, codes) in enumerate(paragraphs)
        ],
        coder=coder,
        consensus=consensus,
    )


# A Markdown title line, or Delve's footer anywhere in the head.
_DELVE_MARKDOWN_HEAD = re.compile(r"^\s*#{1,2}\s+\S|created with the delve", re.IGNORECASE | re.MULTILINE)


def recognises(path: Path, head: bytes, text: str) -> bool:
    """Text (not XML) with a Markdown title or the Delve footer."""
    return not text.lstrip().startswith("<") and bool(_DELVE_MARKDOWN_HEAD.search(text))


SOURCE_FORMAT = SourceFormat(FORMAT, recognises, parse_delve_markdown)
