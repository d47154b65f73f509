"""REFI-QDA projects: the exchange format of NVivo, ATLAS.ti, MAXQDA and QualCoder.

A project is either a ``.qdpx`` zip holding ``project.qde`` and a ``Sources/``
folder, or a bare ``.qde`` XML file (namespace ``urn:QDA-XML:project:1.0``).
It carries a nested codebook, the users who coded, text sources (inline
``PlainTextContent`` or a file in ``Sources/``) and ``PlainTextSelection``
codings: character ranges of the source text, each coded by a user.

Each source is split into paragraphs (one per non-blank line, ``speaker:``
prefixes read as in plain transcripts); a selection codes every paragraph it
overlaps and keeps its own text as the coding's quote. Every (source, user)
pair becomes one :class:`TranscriptRecord`, the user being the coder, so
two researchers' codings of one interview become two transcripts.

Sources that are not text (PDF, audio, video, pictures) or whose file is
missing from the archive are skipped with a logged warning naming them.
Projects come from other people's machines, so the XML is parsed with
defusedxml (no entity expansion, no external entities) and archives are
read with limits on member count, size and compression ratio.
"""

from __future__ import annotations

import io
import logging
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as safe_xml
from defusedxml import DefusedXmlException

from ingest.naming import parse_title
from ingest.plain_transcript import split_speaker
from ingest.records import CodeDefinition, Coding, IngestError, Paragraph, TranscriptRecord
from ingest.source import decode_text, max_file_bytes, read_source, sha256_of

FORMAT = "refi-qda"
NS = "{urn:QDA-XML:project:1.0}"
log = logging.getLogger(__name__)

# A real project has a few hundred sources; a bomb has millions of members
# or members that inflate a thousandfold.
MAX_MEMBERS = 10_000
MAX_RATIO = 200
_RATIO_FLOOR = 1 << 20  # small members may compress well without being suspicious
_NOT_TEXT = ("PDFSource", "AudioSource", "VideoSource", "PictureSource")
# What zipfile and zlib raise on damaged archives (bad headers, bad deflate
# streams, CRC mismatches, unsupported compression or encryption).
_DAMAGED_ZIP = (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, NotImplementedError, ValueError)


def max_unpacked_bytes() -> int:
    """What a whole archive may unpack to: ten times the file size limit."""
    return 10 * max_file_bytes()


@dataclass
class _Archive:
    """The members of a .qdpx, read lazily with size caps; empty for a bare .qde."""

    path: str
    zip: zipfile.ZipFile | None = None
    unpacked: int = 0
    names: dict[str, str] = field(default_factory=dict)  # lower-case name -> real name

    def read(self, name: str) -> bytes | None:
        if self.zip is None:
            return None
        real = self.names.get(name.lower())
        if real is None:
            return None
        info = self.zip.getinfo(real)
        budget = max_unpacked_bytes() - self.unpacked
        chunks, size = [], 0
        try:
            with self.zip.open(info) as member:
                # Declared sizes can lie; count what actually comes out.
                while chunk := member.read(1 << 16):
                    size += len(chunk)
                    if size > budget or size > info.file_size:
                        raise IngestError(self.path, f"archive member {real!r} unpacks beyond its size (zip bomb?)")
                    chunks.append(chunk)
        except _DAMAGED_ZIP as exc:
            raise IngestError(self.path, f"archive member {real!r} is damaged ({exc})") from None
        self.unpacked += size
        return b"".join(chunks)


def _open_archive(path: str, data: bytes) -> tuple[_Archive, bytes]:
    """Return the archive and the project XML, refusing damaged or absurd zips."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except _DAMAGED_ZIP as exc:
        raise IngestError(path, f"not a readable zip archive ({exc})") from None
    if len(infos) > MAX_MEMBERS:
        raise IngestError(path, f"archive has {len(infos)} members, more than {MAX_MEMBERS}: refused")
    declared = sum(i.file_size for i in infos)
    if declared > max_unpacked_bytes():
        raise IngestError(path, f"archive would unpack to {declared / 2**20:.0f} MB: refused (zip bomb?)")
    for info in infos:
        if info.file_size > _RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise IngestError(path, f"archive member {info.filename!r} compresses {info.file_size // max(info.compress_size, 1)}:1: refused (zip bomb?)")
    result = _Archive(path, archive, names={i.filename.lower(): i.filename for i in infos})
    project = next((i.filename for i in infos if i.filename.lower() == "project.qde"), None)
    project = project or next((i.filename for i in infos if i.filename.lower().endswith(".qde")), None)
    if project is None:
        raise IngestError(path, "zip archive holds no project.qde: not a REFI-QDA project")
    xml = result.read(project)
    assert xml is not None
    return result, xml


def _parse_xml(path: str, xml: bytes) -> Element:
    try:
        root = safe_xml.fromstring(xml)
    except DefusedXmlException as exc:
        raise IngestError(path, f"XML uses entities or external references, refused ({type(exc).__name__})") from None
    except ParseError as exc:
        line, column = exc.position
        raise IngestError(path, f"malformed XML at line {line}, column {column}") from None
    if root.tag != f"{NS}Project":
        raise IngestError(path, "XML is not a REFI-QDA project (no Project element in urn:QDA-XML:project:1.0)")
    return root


def _codebook(root: Element) -> tuple[dict[str, str], tuple[CodeDefinition, ...]]:
    """Code names by guid, and every code with its parent and description."""
    names: dict[str, str] = {}
    definitions: list[CodeDefinition] = []

    def walk(element: Element, parent: str | None) -> None:
        for code in element.findall(f"{NS}Code"):
            name = (code.get("name") or "").strip()
            if not name:
                continue
            names[code.get("guid", "")] = name
            description = code.findtext(f"{NS}Description") or ""
            definitions.append(CodeDefinition(name, parent, " ".join(description.split())))
            walk(code, name)

    codes = root.find(f"{NS}CodeBook/{NS}Codes")
    if codes is not None:
        walk(codes, None)
    return names, tuple(definitions)


def _source_text(path: str, source: Element, archive: _Archive) -> str | None:
    inline = source.find(f"{NS}PlainTextContent")
    if inline is not None and inline.text:
        return inline.text
    location = source.get("plainTextPath") or ""
    name = source.get("name") or location
    if not location.startswith("internal://"):
        log.warning("%s: source %r skipped: its text is outside the project (%s)", path, name, location or "no path")
        return None
    member = PurePosixPath("Sources", location.removeprefix("internal://")).as_posix()
    data = archive.read(member)
    if data is None:
        log.warning("%s: source %r skipped: %s is missing from the archive", path, name, member)
        return None
    return decode_text(f"{path}!{member}", data)


def _paragraphs(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, speaker, text) of each non-blank line, offsets into ``text``."""
    spans = []
    speaker = ""
    offset = 0
    for line in text.splitlines(keepends=True):
        start, body = offset, line.rstrip("\r\n")
        offset += len(line)
        if not body.strip():
            continue
        label, content = split_speaker(body)
        speaker = label if label is not None else speaker
        if content:
            spans.append((start, start + len(body), speaker, content))
    return spans


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _codings_by_coder(
    source: Element, text: str, spans: list[tuple[int, int, str, str]], users: dict[str, str], codes: dict[str, str]
) -> dict[str | None, dict[int, list[Coding]]]:
    """Per coder, the codings landing on each paragraph index."""
    by_coder: dict[str | None, dict[int, list[Coding]]] = {}
    for selection in source.findall(f"{NS}PlainTextSelection"):
        start, end = _int(selection.get("startPosition")), _int(selection.get("endPosition"))
        if start is None or end is None or end <= start:
            continue
        quote = " ".join(text[start:end].split()) or None
        hit = [i for i, (s, e, _, _) in enumerate(spans) if start < e and end > s]
        for coding in selection.findall(f"{NS}Coding"):
            ref = coding.find(f"{NS}CodeRef")
            name = codes.get(ref.get("targetGUID", "")) if ref is not None else None
            if name is None:
                continue
            user = coding.get("creatingUser") or selection.get("creatingUser")
            coder = users.get(user or "", user)
            for index in hit:
                by_coder.setdefault(coder, {}).setdefault(index, []).append(Coding(name, quote))
    return by_coder


def parse_refi_qda(path: str | Path, *, coder: str | None = None, consensus: bool = False) -> list[TranscriptRecord]:
    """Parse a .qdpx or .qde project into one record per (text source, coder)."""
    name = str(path)
    data = read_source(path)
    if data.startswith(b"PK"):
        archive, xml = _open_archive(name, data)
    else:
        archive, xml = _Archive(name), data
    root = _parse_xml(name, xml)
    users = {u.get("guid", ""): (u.get("name") or u.get("guid") or "") for u in root.iter(f"{NS}User")}
    codes, definitions = _codebook(root)
    digest = sha256_of(data)
    records: list[TranscriptRecord] = []
    sources = root.find(f"{NS}Sources")
    for source in list(sources) if sources is not None else []:
        kind = source.tag.removeprefix(NS)
        label = source.get("name") or source.get("guid") or kind
        if kind in _NOT_TEXT:
            log.warning("%s: source %r skipped: %s is not text", name, label, kind)
            continue
        if kind != "TextSource":
            continue
        text = _source_text(name, source, archive)
        if text is None:
            continue
        spans = _paragraphs(text)
        if not spans:
            log.warning("%s: source %r skipped: it has no text", name, label)
            continue
        by_coder = _codings_by_coder(source, text, spans, users, codes)
        if coder is not None:
            merged: dict[int, list[Coding]] = {}
            for codings in by_coder.values():
                for index, found in codings.items():
                    merged.setdefault(index, []).extend(found)
            by_coder = {coder: merged}
        interview, title_coder = parse_title(Path(label).name)
        for who, codings in sorted(by_coder.items() or [(None, {})], key=lambda item: item[0] or ""):
            records.append(
                TranscriptRecord(
                    interview=interview,
                    coder=who or title_coder,
                    consensus=consensus,
                    source=f"{name}!{label}",
                    sha256=digest,
                    format=FORMAT,
                    paragraphs=tuple(
                        Paragraph(i, speaker, content, tuple(_distinct(codings.get(i, []))))
                        for i, (_, _, speaker, content) in enumerate(spans)
                    ),
                    code_definitions=definitions,
                )
            )
    if not records and not definitions:
        raise IngestError(name, "project has no text source and no codes")
    return records


def _distinct(codings: list[Coding]) -> list[Coding]:
    """One coding per code on a paragraph; quotes of several selections are joined."""
    merged: dict[str, Coding] = {}
    for coding in codings:
        if coding.code in merged and coding.quote and merged[coding.code].quote != coding.quote:
            merged[coding.code] = Coding(coding.code, f"{merged[coding.code].quote} … {coding.quote}")
        else:
            merged.setdefault(coding.code, coding)
    return list(merged.values())
