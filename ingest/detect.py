"""Recognise a source file's format from its content and parse it.

Extensions lie (a ``.txt`` that is a Delve export, a PDF renamed ``.md``), so
the first bytes decide: ``%PDF-`` is a Delve print, a zip holding
``project.qde`` or XML in the REFI-QDA namespace is a REFI-QDA project, text
with a ``## Interview`` title or Delve's footer is a Delve Markdown export,
and text made of ``speaker: text`` lines is a plain transcript. Text is
recognised once decoded (UTF-16 exports read like UTF-8 ones); whether it
decodes cleanly is the parser's to say.
"""

from __future__ import annotations

import re
from pathlib import Path

from ingest.formats import source_format, source_formats
from ingest.records import IngestError, TranscriptRecord, UnknownFormat
from ingest.source import DEFAULT_LIMITS, ReadLimits, head_text, read_head

__all__ = ["IGNORED_NAMES", "detect_format", "sniff", "parse_source", "walk_sources"]

# Files a folder walk skips without comment: they are never sources.
IGNORED_NAMES = re.compile(r"^(\.|~\$|thumbs\.db$|desktop\.ini$)", re.IGNORECASE)

_HEAD_BYTES = 64 * 1024


def detect_format(path: str | Path, head: bytes) -> str | None:
    """Name the format of a file whose first bytes are ``head``, or None: the first registered format that
    recognises it."""
    text = head_text(head)
    for fmt in source_formats():
        if fmt.recognises(Path(path), head, text):
            return fmt.name
    return None


def sniff(path: str | Path) -> str:
    """Return the format of ``path`` or raise IngestError saying why it has none."""
    p = Path(path)
    head = read_head(p, _HEAD_BYTES)
    text = head_text(head)
    if not text.strip():
        raise IngestError(str(p), "empty file")
    fmt = detect_format(p, head)
    if fmt is None and head.startswith(b"PK\x03\x04"):
        from ingest.refi_qda import NO_PROJECT

        raise UnknownFormat(str(p), NO_PROJECT)
    if fmt is None:
        kind = "binary file of unknown format" if "\x00" in text else "unknown format"
        raise UnknownFormat(
            str(p), f"{kind} (expected a Delve PDF or Markdown export, a plain transcript or a REFI-QDA project)"
        )
    return fmt


def parse_source(
    path: str | Path, *, coder: str | None = None, consensus: bool = False, limits: ReadLimits = DEFAULT_LIMITS
) -> tuple[str, list[TranscriptRecord]]:
    """Detect the format of ``path`` and parse it within ``limits``: the format's name and the transcript
    records."""
    fmt = sniff(path)
    return fmt, source_format(fmt).parse(path, coder=coder, consensus=consensus, limits=limits)


def walk_sources(paths: list[str | Path]) -> list[Path]:
    """Expand folders recursively into the files under them, in a stable order.

    Every entry that is not a folder is kept, FIFOs and devices too: sniffing
    them reports them (from their stat, without opening them) instead of
    leaving them out unsaid.
    """
    found: list[Path] = []
    for entry in map(Path, paths):
        if entry.is_dir():
            found.extend(
                sorted(
                    p
                    for p in entry.rglob("*")
                    if not p.is_dir() and not any(IGNORED_NAMES.match(part) for part in p.relative_to(entry).parts)
                )
            )
        else:
            found.append(entry)
    return found
