"""The source formats findings reads, each registered by its own module.

A format module names itself (``FORMAT``), says from a file's first bytes
whether a file is in its format (``recognises``) and parses it into
transcript records (its one entry point). It ends by declaring those three
as ``SOURCE_FORMAT``; this registry lists the modules, in the order
detection asks them, so adding a format is one module plus one line here.
The order matters where formats overlap: a REFI-QDA project is XML before
it is text, a Delve Markdown export has speaker lines like a plain
transcript but a title or footer first.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ingest.records import TranscriptRecord

__all__ = ["Parser", "FORMAT_MODULES", "SourceFormat", "source_formats", "source_format"]

Parser = Callable[..., list[TranscriptRecord]]

FORMAT_MODULES = (
    "ingest.delve_pdf",
    "ingest.refi_qda",
    "ingest.delve_markdown",
    "ingest.plain_transcript",
)


@dataclass(frozen=True)
class SourceFormat:
    """One format: its name, how it is recognised, and its parser.

    ``recognises(path, head, text)`` gets the file's path, its first bytes
    and those bytes decoded as text (empty if they do not decode).
    """

    name: str
    recognises: Callable[[Path, bytes, str], bool]
    parse: Parser


@cache
def source_formats() -> tuple[SourceFormat, ...]:
    """Every registered format, in detection order (modules are imported on first use)."""
    return tuple(importlib.import_module(module).SOURCE_FORMAT for module in FORMAT_MODULES)


def source_format(name: str) -> SourceFormat:
    """The format called ``name``; ValueError for a name no module registers."""
    for fmt in source_formats():
        if fmt.name == name:
            return fmt
    raise ValueError(f"unknown format {name!r} (one of {', '.join(f.name for f in source_formats())})")
