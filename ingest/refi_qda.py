"""REFI-QDA projects: the exchange format of NVivo, ATLAS.ti, MAXQDA and QualCoder.

A project is either a ``.qdpx`` zip holding ``project.qde`` and a ``Sources/``
folder, or a bare ``.qde`` XML file (namespace ``urn:QDA-XML:project:1.0``).
It carries a nested codebook, the users who coded, text sources (inline
``PlainTextContent`` or ``plainTextPath="internal://x.txt"``, the archive's
``Sources/x.txt``) and ``PlainTextSelection`` codings: ranges of Unicode
characters of a source's plain text, each coded by a user.

Each text source is split into paragraphs, one per non-blank line; a
``speaker:`` prefix names the speaker exactly as in plain transcripts
(interviewer/interviewee labels canonicalised, other names kept, a line
without a prefix continuing the previous speaker because transcripts break
long answers into several paragraphs). A selection codes every paragraph it
overlaps and keeps its exact text as the coding's quote. Every (source,
user) pair with codings becomes one :class:`TranscriptRecord`, the user
being the coder, so two researchers' codings of one interview become two
transcripts; an uncoded text source still gives one record, its coder
the one its title names ("Interview 35 - Amin.txt"), as for a Delve print.

Two user names are read as ``findings export --format qdpx`` writes them:
``NAME (consensus)`` codes the consensus copy of NAME, and codings by
``findings suggest (suggested)`` (any user ending in ``(suggested)``) are
machine suggestions, never read as coding.

What a project repeats is read once, the first occurrence winning, with a
warning: a guid given to two codes, users or sources, and a code name in two
places of the codebook or nested inside itself (which, codes being known by
name, would make the hierarchy a cycle).

A project none of whose sources can be read as text (Word files, PDFs or
media whose text was not exported, or text files left out of the archive)
is no error: its codebook (hierarchy, descriptions, colours), users and
cases are read as a :class:`ProjectCodebook`, a *codebook-only* import, with
a warning naming the sources left out.

Sources that cannot be read are skipped, never fatal, and reported through
``logging.getLogger(__name__)`` warnings naming them (logging rather than
``warnings.warn`` so the CLI and worker processes report every occurrence,
not just the first): sources that are not text (PDF, audio, video,
pictures), text missing from the archive or not UTF-8, and text outside the
project. The last are never opened: a project comes from someone else's
machine, and a path it names (``file:///home/...``, ``../../.ssh``) must not
make ingest read local files into the graph. For the same reason the XML is
parsed with defusedxml (no entity expansion, no external entities) and the
archive is read in memory only, with limits on member count, unpacked size
and compression ratio checked from the headers and again while inflating,
and the names its warnings quote are escaped for the terminal.
"""

from __future__ import annotations

import bisect
import io
import logging
import lzma
import re
import struct
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as safe_xml
from defusedxml import DefusedXmlException, EntitiesForbidden

from ingest.formats import SourceFormat
from ingest.naming import parse_title
from ingest.plain_transcript import split_speaker
from ingest.records import CodeDefinition, Coding, IngestError, Paragraph, ProjectCodebook, TranscriptRecord
from ingest.source import DEFAULT_LIMITS, ReadLimits, decode_text, head_text, read_source, sha256_of
from ingest.terminal import printable

__all__ = [
    "FORMAT",
    "NO_PROJECT",
    "NS",
    "log",
    "MAX_MEMBERS",
    "MAX_RATIO",
    "RATIO_CHECKED_FROM",
    "NOT_TEXT",
    "INTERNAL",
    "CONSENSUS_MARK",
    "SUGGESTED_MARK",
    "SUGGESTED_USER",
    "CodingsByCoder",
    "parse_refi_qda",
    "recognises",
    "SOURCE_FORMAT",
]

FORMAT = "refi-qda"
# Said of a zip that is no REFI-QDA project, by detection and by the parser alike.
NO_PROJECT = "zip archive holds no project.qde: not a REFI-QDA project"
NS = "{urn:QDA-XML:project:1.0}"
log = logging.getLogger(__name__)

# A real project has a few hundred sources; a zip bomb has huge member
# counts or members that inflate a thousandfold. Text and XML deflate about
# 3-20:1, so 100:1 on a member past 1 MB is no transcript.
MAX_MEMBERS = 10_000
MAX_RATIO = 100
RATIO_CHECKED_FROM = 1 << 20
NOT_TEXT = frozenset({"PDFSource", "AudioSource", "VideoSource", "PictureSource"})
INTERNAL = "internal://"

# What zipfile and its decompressors raise on damaged archives: bad headers,
# bad deflate/bzip2/lzma streams, CRC mismatches, encryption, unknown methods,
# undecodable member names.
_DAMAGED_ZIP = (
    zipfile.BadZipFile, zlib.error, lzma.LZMAError, struct.error,
    OSError, EOFError, RuntimeError, NotImplementedError, ValueError,
)
_INTERVIEW = re.compile(r"Interview \d+")
# How ``findings export --format qdpx`` marks users, read back here: a consensus copy is coded by
# "NAME (consensus)", and machine suggestions by SUGGESTED_USER, whose codings are never read as coding.
CONSENSUS_MARK = " (consensus)"
SUGGESTED_MARK = " (suggested)"
SUGGESTED_USER = f"findings suggest{SUGGESTED_MARK}"
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,5}$")


class _Span(NamedTuple):
    """One paragraph of a source: its character range and what it says."""

    start: int
    end: int
    speaker: str
    text: str


class _Archive:
    """The members of a .qdpx, inflated on demand in memory, within limits."""

    def __init__(self, path: str, data: bytes, limits: ReadLimits) -> None:
        self.path = path
        self.limits = limits
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except _DAMAGED_ZIP as exc:
            raise IngestError(path, f"not a readable zip archive, truncated or damaged ({exc})") from None
        _check_headers(path, infos, limits)
        # Exporters differ in case and some write Windows separators.
        self.members = {_member_key(i.filename): i for i in infos}
        self.unpacked = 0

    def project_xml(self) -> bytes:
        """``project.qde``, or the one ``.qde`` a tool named otherwise."""
        names = [key for key in self.members if key.endswith(".qde")]
        if not names:
            raise IngestError(self.path, NO_PROJECT)
        return self._inflate(self.members["project.qde" if "project.qde" in names else names[0]])

    def read(self, name: str) -> bytes | None:
        """The bytes of member ``name``, None if absent; IngestError past the limits."""
        info = self.members.get(_member_key(name))
        return self._inflate(info) if info is not None else None

    def _inflate(self, info: zipfile.ZipInfo) -> bytes:
        cap = min(self.limits.file_bytes, self.limits.unpacked_bytes - self.unpacked)
        try:
            with self.zip.open(info) as stream:
                # Headers can lie: read at most one byte past the cap, so
                # memory stays bounded whatever the member inflates to.
                data = stream.read(cap + 1)
        except _DAMAGED_ZIP as exc:
            raise IngestError(self.path, f"archive member {info.filename!r} is damaged ({exc})") from None
        if len(data) > cap:
            raise IngestError(
                self.path, f"archive member {info.filename!r} unpacks past the {_megabytes(cap)} limit: refused (zip bomb?)"
            )
        if len(data) != info.file_size:
            raise IngestError(
                self.path,
                f"archive member {info.filename!r} unpacks to {len(data)} bytes, not the {info.file_size} its header declares",
            )
        self.unpacked += len(data)
        return data


def _megabytes(size: int) -> str:
    return f"{round(size / 2**20, 2):g} MB"


def _member_key(name: str) -> str:
    return name.replace("\\", "/").lower()


def _check_headers(path: str, infos: list[zipfile.ZipInfo], limits: ReadLimits) -> None:
    """Refuse an archive whose headers already show it is a bomb, before inflating anything."""
    if len(infos) > MAX_MEMBERS:
        raise IngestError(path, f"archive has {len(infos)} members, over the {MAX_MEMBERS} limit: refused")
    declared = sum(i.file_size for i in infos)
    if declared > limits.unpacked_bytes:
        limit = _megabytes(limits.unpacked_bytes)
        raise IngestError(path, f"archive would unpack to {_megabytes(declared)}, over the {limit} limit: refused (zip bomb?)")
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_CHECKED_FROM and ratio > MAX_RATIO:
            raise IngestError(
                path, f"archive member {info.filename!r} would inflate {ratio:.0f}:1, over {MAX_RATIO}:1: refused (zip bomb?)"
            )


def _is_archive(path: str | Path, data: bytes) -> bool:
    """Content decides; a .qdpx that is not XML either is reported as a broken zip."""
    if data.startswith(b"PK"):
        return True
    looks_like_xml = head_text(data[:1024]).lstrip().startswith("<")
    return Path(path).suffix.lower() == ".qdpx" and not looks_like_xml


def _parse_project(path: str, xml: bytes) -> Element:
    try:
        root = safe_xml.fromstring(xml)
    except EntitiesForbidden as exc:
        if exc.sysid:
            problem = f"XML declares an external entity {exc.name!r} ({exc.sysid!r}), refused (possible external-entity attack)"
        else:
            problem = f"XML declares entity {exc.name!r}, refused (possible entity-expansion attack)"
        raise IngestError(path, problem) from None
    except DefusedXmlException as exc:
        raise IngestError(path, f"XML refers to external resources, refused ({exc})") from None
    except ParseError as exc:
        raise IngestError(path, f"malformed XML: {exc}") from None
    except (LookupError, ValueError) as exc:  # an encoding expat cannot read
        raise IngestError(path, f"XML in an unreadable encoding ({exc})") from None
    if root.tag != f"{NS}Project":
        raise IngestError(
            path, f"XML is not a REFI-QDA project (root element {root.tag!r}, expected Project in urn:QDA-XML:project:1.0)"
        )
    return root


def _users(path: str, root: Element) -> dict[str, str]:
    """User names by guid; a user without a name is known by its guid, a guid met again keeps its first user."""
    users: dict[str, str] = {}
    for user in root.iterfind(f"{NS}Users/{NS}User"):
        guid = user.get("guid", "")
        name = user.get("name") or guid
        if guid in users:
            _warn(f"{path}: user {name!r} ignored: guid {guid!r} already names user {users[guid]!r}")
        elif guid:
            users[guid] = name
    return users


def _place(parent: str | None) -> str:
    return f"under {parent!r}" if parent else "at the top level"


class _Codebook:
    """A nested codebook read in one iterative pass, linear in its size.

    A codebook nested 100,000 deep must neither hit the recursion limit nor
    cost more than its size. The graph has one Code per name, so a name met
    again keeps its first place: since a code's first place comes before its
    children's in this walk, the parents kept can form no cycle, not even
    when a name is nested inside itself (A > B > A). A guid met again names
    its first code. Each kind of repeat is warned about once per project.
    """

    def __init__(self, root: Element) -> None:
        self.names: dict[str, str] = {}  # code name by guid
        self.definitions: dict[str, CodeDefinition] = {}  # by name, in codebook order
        self._enclosing: Counter[str] = Counter()  # names of the codes around the one being read
        self._repeats: dict[str, list[str]] = {"guid": [], "cycle": [], "place": []}
        self._walk(root.findall(f"{NS}CodeBook/{NS}Codes/{NS}Code"))

    def _walk(self, top: list[Element]) -> None:
        # (code, parent name) to read, or (None, name) once every child of that code is read.
        stack: list[tuple[Element | None, str | None]] = [(code, None) for code in reversed(top)]
        while stack:
            code, parent = stack.pop()
            if code is None:
                self._enclosing[parent] -= 1
                continue
            name = self._read(code, parent)
            if name:
                self._enclosing[name] += 1
                stack.append((None, name))
            # Children of a nameless code hang under the nearest named ancestor.
            stack.extend((child, name or parent) for child in reversed(code.findall(f"{NS}Code")))

    def _read(self, code: Element, parent: str | None) -> str:
        """Take in one code; its name ("" for none), under which its children hang."""
        name = (code.get("name") or "").strip()
        if not name:
            return ""
        guid = code.get("guid", "")
        if guid in self.names:
            self._repeats["guid"].append(f"{guid!r} to {self.names[guid]!r} and to {name!r}")
        elif guid:
            self.names[guid] = name
        kept = self.definitions.get(name)
        if kept is None:
            description = (code.findtext(f"{NS}Description") or "").strip()
            self.definitions[name] = CodeDefinition(name, parent, description, code.get("color") or None)
        elif self._enclosing[name]:
            self._repeats["cycle"].append(f"{name!r} again {_place(parent)}")
        elif kept.parent != parent:
            self._repeats["place"].append(f"{name!r} {_place(kept.parent)} and {_place(parent)}")
        return name

    def warn(self, path: str) -> None:
        """One warning per kind of repeat, with a count and the first example."""
        outcomes = {
            "guid": "code guid(s) given to more than one code, e.g. {}: a coding with such a guid is read as its first code",
            "cycle": "code(s) nested inside themselves, e.g. {}: each stays in its first place, so the code hierarchy "
            "has no cycle",
            "place": "code(s) in more than one place, e.g. {}: the graph has one Code per name, kept in its first place",
        }
        for kind, examples in self._repeats.items():
            if examples:
                _warn(f"{path}: {len(examples)} {outcomes[kind].format(examples[0])}")


def _cases(root: Element) -> tuple[str, ...]:
    """The names of the project's cases (the people or units coded), in project order."""
    names = (case.get("name") or case.get("guid") or "" for case in root.iterfind(f"{NS}Cases/{NS}Case"))
    return tuple(dict.fromkeys(name.strip() for name in names if name.strip()))


def _sources_named(root: Element) -> list[str]:
    return [s.get("name") or s.get("guid") or s.tag.removeprefix(NS) for s in root.iterfind(f"{NS}Sources/*")]


def _text_sources(path: str, root: Element) -> Iterator[tuple[str, Element]]:
    """(name, element) of each TextSource; other sources, and a guid met again, are warned about and skipped."""
    labels: dict[str, str] = {}  # by guid, to read each source once
    for source in root.iterfind(f"{NS}Sources/*"):
        kind = source.tag.removeprefix(NS)
        guid = source.get("guid")
        label = source.get("name") or guid or kind
        if guid in labels:
            _skip(path, label, f"guid {guid!r} already names source {labels[guid]!r}")
            continue
        if guid:
            labels[guid] = label
        if kind == "TextSource":
            yield label, source
        elif kind in NOT_TEXT:
            _skip(path, label, f"{kind} is not text")
        else:
            _skip(path, label, f"unknown source kind {kind!r}")


def _skip(path: str, label: str, reason: str) -> None:
    _warn(f"{path}: source {label!r} skipped: {reason}")


def _warn(message: str) -> None:
    """Log a warning; the names in it come from the project, so they are escaped for the terminal it goes to."""
    log.warning("%s", printable(message))


def _source_text(path: str, label: str, source: Element, archive: _Archive | None) -> str | None:
    """The plain text of a source, or None (with a warning) when it cannot be had."""
    inline = source.find(f"{NS}PlainTextContent")
    if inline is not None and inline.text:
        return inline.text
    location = source.get("plainTextPath") or ""
    if not location:
        _skip(path, label, "it has no plain text (no PlainTextContent, no plainTextPath)")
        return None
    if not location.startswith(INTERNAL):
        _skip(path, label, f"its text {location!r} is outside the project; files outside a project are never opened")
        return None
    member = f"Sources/{location.removeprefix(INTERNAL)}"
    data = archive.read(member) if archive is not None else None
    if data is None:
        where = "is missing from the archive" if archive is not None else "would be in a .qdpx archive, but this is a bare .qde"
        _skip(path, label, f"its text {member!r} {where}")
        return None
    try:
        return decode_text(f"{path}!{member}", data)
    except IngestError as exc:
        _skip(path, label, f"its text {member!r} is unreadable ({exc.problem})")
        return None


def _paragraphs(text: str) -> list[_Span]:
    """One span per non-blank line, its offsets counted in characters of ``text``."""
    spans: list[_Span] = []
    speaker = ""
    offset = 0
    for line in text.splitlines(keepends=True):
        start, body = offset, line.rstrip("\r\n")
        offset += len(line)
        label, content = split_speaker(body)
        speaker = label if label is not None else speaker
        # A line holding only "Interviewer:" names the speaker of the lines after it.
        if content:
            spans.append(_Span(start, start + len(body), speaker, content))
    return spans


def _overlapped(spans: list[_Span], ends: list[int], start: int, end: int) -> list[int]:
    """Indexes of the spans that share at least one character with [start, end)."""
    index = bisect.bisect_right(ends, start)
    hit = []
    while index < len(spans) and spans[index].start < end:
        hit.append(index)
        index += 1
    return hit


def _position(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


# Per coder (None: no user named), the codings on each paragraph index, as
# an ordered set (dict keys): thousands of codes on one paragraph stay linear.
CodingsByCoder = dict[str | None, dict[int, dict[Coding, None]]]


def _codings(
    path: str, label: str, source: Element, text: str, spans: list[_Span], users: dict[str, str], codes: dict[str, str]
) -> CodingsByCoder:
    """Map every selection of ``source`` onto the paragraphs it overlaps, per coder."""
    by_coder: CodingsByCoder = {}
    ends = [span.end for span in spans]
    off_text = unknown_codes = suggested = 0
    for selection in source.iterfind(f"{NS}PlainTextSelection"):
        start, end = _position(selection.get("startPosition")), _position(selection.get("endPosition"))
        fits = start is not None and end is not None and 0 <= start < end <= len(text)
        hit = _overlapped(spans, ends, start, end) if fits else []
        if not hit:
            off_text += 1
            continue
        quote = text[start:end]
        for coding in selection.iterfind(f"{NS}Coding"):
            ref = coding.find(f"{NS}CodeRef")
            code = codes.get(ref.get("targetGUID", "")) if ref is not None else None
            if code is None:
                unknown_codes += 1
                continue
            user = coding.get("creatingUser") or selection.get("creatingUser")
            name = users.get(user, user) if user else None
            if name is not None and name.endswith(SUGGESTED_MARK):
                suggested += 1
                continue
            paragraphs = by_coder.setdefault(name, {})
            for index in hit:
                # The same selection listed twice is one coding.
                paragraphs.setdefault(index, {})[Coding(code, quote)] = None
    if off_text:
        _warn(f"{path}: source {label!r}: {off_text} selection(s) cover no paragraph of its text and were skipped")
    if suggested:
        log.info("%s", printable(f"{path}: source {label!r}: {suggested} machine suggestion(s) not read as coding"))
    if unknown_codes:
        _warn(f"{path}: source {label!r}: {unknown_codes} coding(s) refer to no code of the codebook and were skipped")
    return by_coder


def _merged(by_coder: CodingsByCoder, coder: str) -> CodingsByCoder:
    """All users' codings as one coder's, for ``--coder``."""
    merged: dict[int, dict[Coding, None]] = {}
    for paragraphs in by_coder.values():
        for index, found in paragraphs.items():
            merged.setdefault(index, {}).update(found)
    return {coder: merged}


def _interview_name(label: str) -> str:
    """The interview a source is: "Interview 35 - PO.txt" is "Interview 35", "Focus group.txt" is "Focus group"."""
    interview, _ = parse_title(label)
    if _INTERVIEW.fullmatch(interview):
        return interview
    return _EXTENSION.sub("", label.strip()) or label


def parse_refi_qda(
    path: str | Path, *, coder: str | None = None, consensus: bool = False, limits: ReadLimits = DEFAULT_LIMITS
) -> list[TranscriptRecord] | list[ProjectCodebook]:
    """Parse a .qdpx or .qde project into one record per (text source, coder).

    ``coder`` replaces every user's name, merging their codings into one
    record per source. Sources that cannot be read are skipped with a logged
    warning. A project left with no text source that can be read gives its
    codebook, users and cases (one :class:`ProjectCodebook`); one with
    neither a readable source nor a code is an IngestError.
    """
    name = str(path)
    data = read_source(path, limits)
    archive = _Archive(name, data, limits) if _is_archive(path, data) else None
    root = _parse_project(name, archive.project_xml() if archive is not None else data)
    users = _users(name, root)
    codebook = _Codebook(root)
    codebook.warn(name)
    codes, definitions = codebook.names, tuple(codebook.definitions.values())
    digest = sha256_of(data)
    records: list[TranscriptRecord] = []
    seen: dict[tuple[str, str | None], str] = {}
    for label, source in _text_sources(name, root):
        text = _source_text(name, label, source, archive)
        spans = _paragraphs(text) if text is not None else []
        if text is not None and not spans:
            _skip(name, label, "its text has no non-blank line")
        if not spans:
            continue
        by_coder = _codings(name, label, source, text, spans, users, codes)
        if coder is not None:
            by_coder = _merged(by_coder, coder)
        interview = _interview_name(label)
        # An uncoded source is known by its title's coder ("Interview 35 - Amin (consensus).txt"), as a print is.
        uncoded_coder = coder if coder is not None else parse_title(label)[1]
        for who in sorted(by_coder or {uncoded_coder: {}}, key=lambda c: (c is not None, c or "")):
            paragraphs = by_coder.get(who, {})
            marked = who is not None and who.endswith(CONSENSUS_MARK) and len(who) > len(CONSENSUS_MARK)
            records.append(
                TranscriptRecord(
                    interview=interview,
                    coder=who.removesuffix(CONSENSUS_MARK) if marked else who,
                    consensus=consensus or marked,
                    source=name,
                    sha256=digest,
                    format=FORMAT,
                    paragraphs=tuple(
                        Paragraph(i, span.speaker, span.text, tuple(paragraphs.get(i, ()))) for i, span in enumerate(spans)
                    ),
                    code_definitions=definitions,
                )
            )
            _note_duplicate(name, seen, (interview, who), label)
    if records:
        return records
    if not definitions:
        raise IngestError(name, "project has no text source that can be read and no code (see the warnings for skipped sources)")
    missing = tuple(_sources_named(root))
    users_named, cases = tuple(dict.fromkeys(users.values())), _cases(root)
    _warn(
        f"{name}: no source of the project can be read as text; importing its codebook only "
        f"({len(definitions)} codes, {len(users_named)} users, {len(cases)} cases)"
        + (f"; sources left out: {', '.join(repr(s) for s in missing)}" if missing else "")
    )
    return [ProjectCodebook(name, digest, FORMAT, definitions, users_named, cases, missing)]


def _note_duplicate(path: str, seen: dict[tuple[str, str | None], str], key: tuple[str, str | None], label: str) -> None:
    """Warn when two sources give one interview and coder: the graph holds one transcript per pair."""
    if key in seen:
        _warn(
            f"{path}: sources {seen[key]!r} and {label!r} are both {key[0]} coded by {key[1] or 'nobody'}; "
            "the graph keeps only one of them"
        )
    seen[key] = label


def recognises(path: Path, head: bytes, text: str) -> bool:
    """A zip meant as a project (it holds a .qde, or its name says .qdpx) or XML in the REFI-QDA namespace."""
    if head.startswith(b"PK\x03\x04"):
        return _zip_is_project(path)
    return text.lstrip().startswith("<") and "urn:QDA-XML:project" in text


def _zip_is_project(path: Path) -> bool:
    """Whether a zip is meant as a REFI-QDA project: it holds a .qde, or its name says so.

    A .qdpx without its project file, or a damaged .qdpx or .zip, goes to
    the REFI-QDA parser, which says what is wrong with it.
    """
    suffix = path.suffix.lower()
    if suffix == ".qdpx":
        return True
    try:
        with zipfile.ZipFile(path) as archive:
            return any(name.lower().endswith(".qde") for name in archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return suffix == ".zip"


SOURCE_FORMAT = SourceFormat(FORMAT, recognises, parse_refi_qda)
