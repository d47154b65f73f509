"""Reading source files safely: size limits, digests, strict text decoding.

Every ingestor reads its file through these functions so that an empty file,
a FIFO or device, a file too large to be a transcript, a binary file or a
wrong encoding all fail the same way: one :class:`IngestError` naming the
file and the problem.
"""

from __future__ import annotations

import codecs
import hashlib
import stat
from dataclasses import dataclass
from pathlib import Path

from ingest.naming import parse_title
from ingest.records import IngestError, Paragraph, TranscriptRecord, UnknownFormat

__all__ = [
    "DEFAULT_MAX_FILE_MB",
    "ReadLimits",
    "DEFAULT_LIMITS",
    "regular_file_size",
    "read_head",
    "read_source",
    "sha256_of",
    "text_encoding",
    "head_text",
    "decode_text",
    "single_transcript",
]

# Byte-order marks and the codec of the text after them. UTF-32-LE's mark
# begins with UTF-16-LE's, so it is tried first.
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# The first bytes that tell UTF-16 without a BOM from UTF-8.
_UTF16_SAMPLE = 4096
# What a file that is not a regular one is, for its refusal.
_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)

# Transcripts and QDA projects are megabytes; anything past this is refused
# before it is read into memory. The command line sets it (FINDINGS_MAX_FILE_MB).
DEFAULT_MAX_FILE_MB = 200.0


@dataclass(frozen=True)
class ReadLimits:
    """How much a source may be: ``file_mb`` per file (or archive member); an archive may unpack to
    ``archive_factor`` times that in all."""

    file_mb: float = DEFAULT_MAX_FILE_MB
    archive_factor: int = 10

    @property
    def file_bytes(self) -> int:
        return int(self.file_mb * 1024 * 1024)

    @property
    def unpacked_bytes(self) -> int:
        return self.archive_factor * self.file_bytes


DEFAULT_LIMITS = ReadLimits()


def regular_file_size(path: Path) -> int:
    """The size of ``path``, once its stat shows a regular file; anything else is refused unopened.

    Opening a FIFO blocks until someone writes to it, a socket cannot be
    opened, /dev/zero never ends: none is a source, and only the stat can
    tell without the risk. They are UnknownFormat, so a folder walk lists
    them as skipped while a file named on the command line is an error.
    """
    try:
        info = path.stat()
    except OSError as exc:
        raise IngestError(str(path), f"cannot read file ({exc.strerror or exc})") from None
    if not stat.S_ISREG(info.st_mode):
        kind = next((name for test, name in _KINDS if test(info.st_mode)), "a special file")
        raise UnknownFormat(str(path), f"not a regular file ({kind})")
    return info.st_size


def read_head(path: Path, size: int) -> bytes:
    """The first ``size`` bytes of a regular file, for recognising its format."""
    regular_file_size(path)
    try:
        with path.open("rb") as handle:
            return handle.read(size)
    except OSError as exc:
        raise IngestError(str(path), f"cannot read file ({exc.strerror or exc})") from None


def read_source(path: str | Path, limits: ReadLimits = DEFAULT_LIMITS) -> bytes:
    """Return the bytes of ``path`` or raise IngestError if it cannot be a source."""
    p = Path(path)
    size = regular_file_size(p)
    if size == 0:
        raise IngestError(str(p), "empty file")
    limit = limits.file_bytes
    if size > limit:
        raise IngestError(str(p), f"file is {size / 2**20:.0f} MB, over the {limit / 2**20:.0f} MB limit")
    try:
        return p.read_bytes()
    except OSError as exc:
        raise IngestError(str(p), f"cannot read file ({exc.strerror or exc})") from None


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def text_encoding(data: bytes) -> tuple[str, int]:
    """The codec of text ``data`` and the length of its byte-order mark (0: none).

    Windows QDA tools export UTF-16, always with a BOM, so a BOM decides.
    Without one the text should be UTF-8; NUL bytes in most odd (or even)
    positions and hardly any in the others are the zero high bytes of UTF-16
    without a BOM, named here so that the refusal can say so.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec, len(bom)
    sample = data[:_UTF16_SAMPLE]
    half, even, odd = len(sample) // 2, sample[0::2].count(0), sample[1::2].count(0)
    if half and odd * 4 >= half and even * 10 <= odd:
        return "utf-16-le", 0
    if half and even * 4 >= half and odd * 10 <= even:
        return "utf-16-be", 0
    return "utf-8", 0


def head_text(head: bytes) -> str:
    """The first bytes of a file as text, to recognise its format (the cut may split a character)."""
    codec, start = text_encoding(head)
    return head[start:].decode(codec, errors="replace")


def decode_text(path: str | Path, data: bytes) -> str:
    """Decode UTF-8, or what a byte-order mark names, strictly; anything else is an error.

    Guessing an encoding would silently corrupt quotes, which are the evidence
    the whole graph rests on, so a wrong encoding is refused with the offset
    of the first bad byte, and a NUL, wherever it is, as binary data.
    """
    codec, start = text_encoding(data)
    if codec != "utf-8" and not start:
        raise IngestError(
            str(path), f"{codec.upper()} text without a byte-order mark; re-save it as UTF-8 (or as UTF-16 with a BOM)"
        )
    try:
        text = data[start:].decode(codec)
    except UnicodeDecodeError as exc:
        raise IngestError(str(path), _undecodable(codec, data, start + exc.start, exc.reason)) from None
    nul = text.find("\x00")
    if nul >= 0:
        offset = start + len(text[:nul].encode(codec))
        raise IngestError(str(path), f"binary data, not text (NUL byte at offset {offset})")
    if not text.strip():
        raise IngestError(str(path), "file contains only whitespace")
    return text


def _undecodable(codec: str, data: bytes, offset: int, reason: str) -> str:
    """Why text does not decode: for UTF-8 the bad byte, for UTF-16/32 the codec's reason (a cut, a lone surrogate)."""
    if codec == "utf-8":
        return f"not UTF-8 text (byte 0x{data[offset]:02x} at offset {offset}); re-save it as UTF-8"
    return f"not {codec.upper()} text ({reason} at offset {offset}); re-save it as UTF-8"


def single_transcript(
    path: str | Path,
    data: bytes,
    *,
    title: str,
    fmt: str,
    paragraphs: list[Paragraph],
    coder: str | None,
    consensus: bool,
) -> list[TranscriptRecord]:
    """The one record of a file that holds one transcript, named by its title.

    The coder named in the title is used unless ``coder`` overrides it.
    """
    interview, title_coder = parse_title(title)
    return [
        TranscriptRecord(
            interview=interview,
            coder=coder or title_coder,
            consensus=consensus,
            source=str(path),
            sha256=sha256_of(data),
            format=fmt,
            paragraphs=tuple(paragraphs),
        )
    ]
