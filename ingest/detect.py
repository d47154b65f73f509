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
import zipfile
from collections.abc import Callable
from pathlib import Path

from ingest.records import IngestError, TranscriptRecord, UnknownFormat
from ingest.source import head_text, read_head

Parser = Callable[..., list[TranscriptRecord]]

# Files a folder walk skips without comment: they are never sources.
IGNORED_NAMES = re.compile(r"^(\.|~\$|thumbs\.db$|desktop\.ini$)", re.IGNORECASE)

_DELVE_MD = re.compile(r"^\s*#{1,2}\s+\S|created with the delve", re.IGNORECASE | re.MULTILINE)
_SPEAKER_LINE = re.compile(r"^\s*[A-Za-z][\w.' -]{0,40}:\s", re.MULTILINE)
_HEAD_BYTES = 64 * 1024
# Said of a zip that is no REFI-QDA project, by detection and by the parser alike.
NO_PROJECT = "zip archive holds no project.qde: not a REFI-QDA project"


def detect_format(path: str | Path, head: bytes) -> str | None:
    """Name the format of a file whose first bytes are ``head``, or None."""
    if head.startswith(b"%PDF-"):
        return "delve-pdf"
    if head.startswith(b"PK\x03\x04"):
        return "refi-qda" if _zip_is_project(path) else None
    text = head_text(head)
    if text.lstrip().startswith("<"):
        return "refi-qda" if "urn:QDA-XML:project" in text else None
    if _DELVE_MD.search(text):
        return "delve-markdown"
    if _SPEAKER_LINE.search(text):
        return "plain"
    return None


def _zip_is_project(path: str | Path) -> bool:
    """Whether a zip is meant as a REFI-QDA project: it holds a .qde, or its name says so.

    A .qdpx without its project file, or a damaged .qdpx or .zip, goes to
    the REFI-QDA parser, which says what is wrong with it.
    """
    suffix = Path(path).suffix.lower()
    if suffix == ".qdpx":
        return True
    try:
        with zipfile.ZipFile(path) as archive:
            return any(name.lower().endswith(".qde") for name in archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return suffix == ".zip"


def parser_for(fmt: str) -> Parser:
    """The entry point of one format's module (imported lazily: pdfium is heavy)."""
    if fmt == "delve-pdf":
        from ingest.delve_pdf import parse_delve_pdf

        return parse_delve_pdf
    if fmt == "refi-qda":
        from ingest.refi_qda import parse_refi_qda

        return parse_refi_qda
    if fmt == "delve-markdown":
        from ingest.delve_markdown import parse_delve_markdown

        return parse_delve_markdown
    if fmt == "plain":
        from ingest.plain_transcript import parse_plain_transcript

        return parse_plain_transcript
    raise ValueError(f"unknown format {fmt!r}")


def sniff(path: str | Path) -> str:
    """Return the format of ``path`` or raise IngestError saying why it has none."""
    p = Path(path)
    head = read_head(p, _HEAD_BYTES)
    text = head_text(head)
    if not text.strip():
        raise IngestError(str(p), "empty file")
    fmt = detect_format(p, head)
    if fmt is None and head.startswith(b"PK\x03\x04"):
        raise UnknownFormat(str(p), NO_PROJECT)
    if fmt is None:
        kind = "binary file of unknown format" if "\x00" in text else "unknown format"
        raise UnknownFormat(
            str(p), f"{kind} (expected a Delve PDF or Markdown export, a plain transcript or a REFI-QDA project)"
        )
    return fmt


def parse_file(path: str | Path, *, coder: str | None = None, consensus: bool = False) -> list[TranscriptRecord]:
    """Detect the format of ``path`` and parse it into transcript records."""
    return parser_for(sniff(path))(path, coder=coder, consensus=consensus)


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
