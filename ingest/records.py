"""Plain records that every source format produces.

An ingestor turns one file into a list of :class:`TranscriptRecord`: one per
coder found in the file (a Delve export has one coder, a REFI-QDA project can
hold several users' codings of several sources). Records carry no database
notions; the graph loader decides identities and relationships.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "Coding",
    "Paragraph",
    "CodeDefinition",
    "TranscriptRecord",
    "ProjectCodebook",
    "IngestError",
    "UnknownFormat",
]


@dataclass(frozen=True)
class Coding:
    """One code applied to a paragraph.

    ``quote`` is the coded span when the source says which part of the
    paragraph was selected (REFI-QDA selections, Delve underlines); ``None``
    when the whole paragraph carries the code.
    """

    code: str
    quote: str | None = None


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of a transcript, in reading order (``position`` from 0)."""

    position: int
    speaker: str
    text: str
    codings: tuple[Coding, ...] = ()

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.codings)


@dataclass(frozen=True)
class CodeDefinition:
    """A code as a source's own codebook defines it (REFI-QDA has one)."""

    name: str
    parent: str | None = None
    description: str = ""
    colour: str | None = None  # as the QDA tool shows it, e.g. "#ff0000"


@dataclass(frozen=True)
class TranscriptRecord:
    """One coded copy of one interview, as read from one source file.

    ``interview`` is the normalised interview name ("Interview 35"); ``coder``
    is who coded this copy (``None`` for a raw transcript); ``consensus``
    marks the moderated copy. ``sha256`` is the digest of the source file, so
    that re-ingesting an unchanged file is recognised and skipped.
    """

    interview: str
    coder: str | None
    consensus: bool
    source: str
    sha256: str
    format: str
    paragraphs: tuple[Paragraph, ...]
    code_definitions: tuple[CodeDefinition, ...] = field(default=())

    @property
    def coded(self) -> bool:
        """Whether any paragraph carries a code (uncoded prints are reported)."""
        return any(p.codings for p in self.paragraphs)


@dataclass(frozen=True)
class ProjectCodebook:
    """What a QDA project holds besides transcripts, read when it has none that can be read.

    A REFI-QDA project whose sources are Word files, PDFs or media (their
    text not exported) still carries the codebook a team spent weeks on, and
    the users who coded and the cases they coded: a *codebook-only* import
    loads the codes (hierarchy, descriptions, colours) so that transcripts
    ingested later meet the same codes; users and cases are reported.
    """

    source: str
    sha256: str
    format: str
    code_definitions: tuple[CodeDefinition, ...]
    users: tuple[str, ...] = ()
    cases: tuple[str, ...] = ()
    missing_sources: tuple[str, ...] = ()  # the sources named but not readable as text


class IngestError(Exception):
    """A source file that cannot be read; the message names file and problem."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem

    def __reduce__(self):  # so errors cross the process boundary of parallel parsing
        return (type(self), (self.path, self.problem))


class UnknownFormat(IngestError):
    """A file that is no source findings-graph reads, of no known format or no regular file (skipped in folder walks)."""
