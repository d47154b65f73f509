"""REFI-QDA projects built here: codings land on the right paragraphs with the right coder.

A small builder writes .qdpx archives and bare .qde files from texts and
fragments to code, so every expected offset is computed, not typed.
Hostile projects (entity expansion, external entities, zip bombs, lying or
damaged archives) give one IngestError naming the file and the problem.
"""

from __future__ import annotations

import io
import json
import logging
import struct
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.store import open_store
from ingest.detect import sniff
from ingest.records import CodeDefinition, Coding, IngestError, ProjectCodebook, TranscriptRecord
from ingest.refi_qda import MAX_MEMBERS, parse_refi_qda
from ingest.source import ReadLimits
from tests.conftest import run_cli

LOGGER = "ingest.refi_qda"
FAST = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Inline source: a line before any speaker, a non-ASCII word and an emoji
# before a selection (offsets count Unicode characters, not bytes or UTF-16
# units), a blank line, a misspelt interviewer label and a named speaker.
INLINE_TEXT = (
    "Recorded on site\n"
    "Interviewer 1: What went wrong with the data?\n"
    "Interviewee: The labels were noisy 🙂, naïve annotators mislabelled night images.\n"
    "\n"
    "Interviewee: We relabelled with two annotators.\n"
    "interviewr 2: Did that help?\n"
    "Maria: It did, mostly.\n"
    "And the rest we dropped.\n"
)
# File source in Sources/, with Windows line endings.
FILE_TEXT = "Interviewer: And the model?\r\nInterviewee: It was not robust at night.\r\n"
UNCODED_TEXT = "Moderator: Welcome everyone.\nParticipant A: Thanks.\n"


@dataclass
class Source:
    """One source of a project under construction; ``select`` codes a fragment of its text."""

    name: str
    text: str = ""
    kind: str = "TextSource"
    member: str | None = None  # stored as Sources/<member> instead of inline
    selections: list[str] = field(default_factory=list)

    def select(self, fragment: str, code: str, user: str | None, *, on: str = "coding", nth: int = 0) -> Source:
        start = -1
        for _ in range(nth + 1):
            start = self.text.index(fragment, start + 1)
        return self.select_range(start, start + len(fragment), code, user, on=on)

    def select_range(self, start: int, end: int, code: str, user: str | None, *, on: str = "coding") -> Source:
        """``on`` says where the user sits: on the Coding, or only on the selection (the fallback)."""
        user_attr = f' creatingUser="{user}"' if user else ""
        guid = f"{self.name}-sel-{len(self.selections)}"
        self.selections.append(
            f'<PlainTextSelection guid={quoteattr(guid)} startPosition="{start}" endPosition="{end}"'
            f'{user_attr if on == "selection" else ""}>'
            f'<Coding guid={quoteattr(guid + "-c")}{user_attr if on == "coding" else ""}><CodeRef targetGUID="{code}"/></Coding>'
            "</PlainTextSelection>"
        )
        return self

    def xml(self, guid: str) -> str:
        attrs = f"guid={quoteattr(guid)} name={quoteattr(self.name)}"
        if self.kind != "TextSource":
            return f'<{self.kind} {attrs} path="internal://{guid}.pdf"/>'
        if self.member is not None:
            return f'<TextSource {attrs} plainTextPath="internal://{self.member}">{"".join(self.selections)}</TextSource>'
        content = f"<PlainTextContent>{escape(self.text)}</PlainTextContent>"
        return f"<TextSource {attrs}>{content}{''.join(self.selections)}</TextSource>"


@dataclass
class ProjectBuilder:
    """A REFI-QDA project: users, a nested codebook, sources; written as .qdpx or .qde."""

    users: dict[str, str] = field(default_factory=dict)
    codebook: str = ""
    sources: list[Source] = field(default_factory=list)
    missing: set[str] = field(default_factory=set)  # members named by a source but left out of the archive
    cases: dict[str, str] = field(default_factory=dict)  # guid: name

    def source(self, name: str, text: str = "", **kwargs) -> Source:
        self.sources.append(Source(name, text, **kwargs))
        return self.sources[-1]

    def xml(self) -> str:
        users = "".join(f"<User guid={quoteattr(g)} name={quoteattr(n)}/>" for g, n in self.users.items())
        sources = "".join(s.xml(f"src-{i}") for i, s in enumerate(self.sources))
        cases = "".join(f"<Case guid={quoteattr(g)} name={quoteattr(n)}/>" for g, n in self.cases.items())
        return (
            '<?xml version="1.0" encoding="utf-8"?>\n'
            '<Project xmlns="urn:QDA-XML:project:1.0" name="Study" origin="findings-graph tests">\n'
            f"<Users>{users}</Users>\n<CodeBook><Codes>{self.codebook}</Codes></CodeBook>\n"
            + (f"<Cases>{cases}</Cases>\n" if cases else "") + f"<Sources>{sources}</Sources>\n"
            "</Project>"
        )

    def members(self) -> dict[str, bytes]:
        return {
            f"Sources/{s.member}": s.text.encode()
            for s in self.sources
            if s.member is not None and s.member not in self.missing
        }

    def write_qdpx(self, path: Path | io.BytesIO) -> Path | io.BytesIO:
        write_zip(path, {"project.qde": self.xml().encode(), **self.members()})
        return path

    def write_qde(self, path: Path) -> Path:
        path.write_text(self.xml(), encoding="utf-8")
        return path


def write_zip(path: Path | io.BytesIO, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def code(guid: str, name: str, *children: str, description: str = "", colour: str = "#ff0000") -> str:
    described = f"<Description>{escape(description)}</Description>" if description else ""
    return (f'<Code guid="{guid}" name={quoteattr(name)} isCodable="true" color={quoteattr(colour)}>'
            f'{described}{"".join(children)}</Code>')


CODEBOOK = code(
    "c-data",
    "Data-issues",
    code("c-noisy", "Data-noisy-labels", code("c-noisy-fix", "Data-noisy-labels-fix"), description="Wrong labels."),
    code("c-missing", "Data-missing-values"),
    description="Problems with the data.",
) + code("c-robust", "QM-robustness")


def study() -> ProjectBuilder:
    """Two users, nested codes, an inline and an archived source, an uncoded one, a missing one, a PDF."""
    project = ProjectBuilder(users={"u-po": "PO", "u-ilan": "Ilan"}, codebook=CODEBOOK, missing={"gone.txt"})
    project.source("Interview 3.txt", INLINE_TEXT).select("labels were noisy", "c-noisy", "u-po").select(
        "mislabelled night images.\n\nInterviewee: We relabelled", "c-noisy", "u-ilan"
    ).select("relabelled with two annotators", "c-noisy-fix", "u-ilan").select(
        "It did, mostly.\nAnd the rest", "c-missing", "u-po", on="selection"
    )
    project.source("Interview 4 - notes.txt", FILE_TEXT, member="src-1.txt").select("not robust", "c-robust", "u-po")
    project.source("Focus group.txt", UNCODED_TEXT)
    project.source("Interview 5.txt", "Interviewee: lost.\n", member="gone.txt")
    project.source("Interview 6.pdf", kind="PDFSource")
    return project


@pytest.fixture
def qdpx(tmp_path: Path) -> Path:
    return study().write_qdpx(tmp_path / "study.qdpx")


def by_key(records: list[TranscriptRecord]) -> dict[tuple[str, str | None], TranscriptRecord]:
    keys = [(r.interview, r.coder) for r in records]
    assert len(set(keys)) == len(keys), keys
    return dict(zip(keys, records, strict=True))


def coded(record: TranscriptRecord) -> dict[int, list[Coding]]:
    return {p.position: list(p.codings) for p in record.paragraphs if p.codings}


def test_codings_land_on_their_paragraphs_with_their_coder_and_quote(qdpx):
    records = by_key(parse_refi_qda(qdpx))
    assert sniff(qdpx) == "refi-qda"
    assert set(records) == {("Interview 3", "PO"), ("Interview 3", "Ilan"), ("Interview 4", "PO"), ("Focus group", None)}
    po = records[("Interview 3", "PO")]
    assert [(p.position, p.speaker, p.text) for p in po.paragraphs] == [
        (0, "", "Recorded on site"),
        (1, "Interviewer 1", "What went wrong with the data?"),
        (2, "Interviewee", "The labels were noisy 🙂, naïve annotators mislabelled night images."),
        (3, "Interviewee", "We relabelled with two annotators."),
        (4, "Interviewer 2", "Did that help?"),
        (5, "Maria", "It did, mostly."),
        (6, "Maria", "And the rest we dropped."),  # no prefix: the speaker goes on
    ]
    # The second PO selection names its user only on the selection, and spans two paragraphs.
    assert coded(po) == {
        2: [Coding("Data-noisy-labels", "labels were noisy")],
        5: [Coding("Data-missing-values", "It did, mostly.\nAnd the rest")],
        6: [Coding("Data-missing-values", "It did, mostly.\nAnd the rest")],
    }
    spanning = "mislabelled night images.\n\nInterviewee: We relabelled"
    assert coded(records[("Interview 3", "Ilan")]) == {
        2: [Coding("Data-noisy-labels", spanning)],
        3: [Coding("Data-noisy-labels", spanning), Coding("Data-noisy-labels-fix", "relabelled with two annotators")],
    }
    from_file = records[("Interview 4", "PO")]
    assert [(p.speaker, p.text) for p in from_file.paragraphs] == [
        ("Interviewer", "And the model?"),
        ("Interviewee", "It was not robust at night."),
    ]
    assert coded(from_file) == {1: [Coding("QM-robustness", "not robust")]}


def test_every_record_names_the_project_file_and_its_digest(qdpx):
    import hashlib

    records = parse_refi_qda(qdpx, consensus=True)
    digest = hashlib.sha256(qdpx.read_bytes()).hexdigest()
    assert {(r.source, r.sha256, r.format, r.consensus) for r in records} == {(str(qdpx), digest, "refi-qda", True)}
    assert all([p.position for p in r.paragraphs] == list(range(len(r.paragraphs))) for r in records)


def test_uncoded_source_gives_one_record_without_coder(qdpx):
    uncoded = by_key(parse_refi_qda(qdpx))[("Focus group", None)]
    assert not uncoded.coded
    assert [(p.speaker, p.text) for p in uncoded.paragraphs] == [("Moderator", "Welcome everyone."), ("Participant A", "Thanks.")]


def test_code_hierarchy_keeps_parents_and_descriptions(qdpx):
    records = parse_refi_qda(qdpx)
    assert records[0].code_definitions == (
        CodeDefinition("Data-issues", None, "Problems with the data.", "#ff0000"),
        CodeDefinition("Data-noisy-labels", "Data-issues", "Wrong labels.", "#ff0000"),
        CodeDefinition("Data-noisy-labels-fix", "Data-noisy-labels", "", "#ff0000"),
        CodeDefinition("Data-missing-values", "Data-issues", "", "#ff0000"),
        CodeDefinition("QM-robustness", None, "", "#ff0000"),
    )
    assert all(r.code_definitions == records[0].code_definitions for r in records)


def test_missing_and_non_text_sources_are_skipped_with_a_warning_naming_them(qdpx, caplog):
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        records = parse_refi_qda(qdpx)
    assert {r.interview for r in records} == {"Interview 3", "Interview 4", "Focus group"}
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert f"{qdpx}: source 'Interview 5.txt' skipped: its text 'Sources/gone.txt' is missing from the archive" in warnings
    assert f"{qdpx}: source 'Interview 6.pdf' skipped: PDFSource is not text" in warnings
    assert len(warnings) == 2


def test_coder_option_merges_every_user_into_one_record_per_source(qdpx):
    records = by_key(parse_refi_qda(qdpx, coder="Moderator", consensus=True))
    assert set(records) == {("Interview 3", "Moderator"), ("Interview 4", "Moderator"), ("Focus group", "Moderator")}
    merged = records[("Interview 3", "Moderator")]
    assert merged.consensus
    spanning = Coding("Data-noisy-labels", "mislabelled night images.\n\nInterviewee: We relabelled")
    # PO and Ilan selected different spans for one code: both quotes are kept (the loader counts the code once).
    assert coded(merged) == {
        2: [Coding("Data-noisy-labels", "labels were noisy"), spanning],
        3: [spanning, Coding("Data-noisy-labels-fix", "relabelled with two annotators")],
        5: [Coding("Data-missing-values", "It did, mostly.\nAnd the rest")],
        6: [Coding("Data-missing-values", "It did, mostly.\nAnd the rest")],
    }


def test_bare_qde_reads_its_inline_sources(tmp_path, caplog):
    path = study().write_qde(tmp_path / "project.qde")
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        records = by_key(parse_refi_qda(path))
    assert set(records) == {("Interview 3", "PO"), ("Interview 3", "Ilan"), ("Focus group", None)}
    assert coded(records[("Interview 3", "PO")])[2] == [Coding("Data-noisy-labels", "labels were noisy")]
    assert any("'Interview 4 - notes.txt' skipped" in m and "bare .qde" in m for m in caplog.messages)


def test_bad_selections_and_unreadable_text_are_warned_not_fatal(tmp_path, caplog):
    project = ProjectBuilder(users={"u": "PO"}, codebook=CODEBOOK)
    text = "Interviewee: short.\n"
    project.source("Interview 7", text).select_range(5, 500, "c-noisy", "u").select_range(3, 2, "c-noisy", "u").select(
        "short", "c-unknown", "u"
    )
    project.source("Interview 8", "x", member="latin1.txt")
    path = tmp_path / "odd.qdpx"
    write_zip(path, {"project.qde": project.xml().encode(), "Sources/latin1.txt": "Interviewee: caf\xe9\n".encode("latin-1")})
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        records = parse_refi_qda(path)
    assert [(r.interview, r.coder, r.coded) for r in records] == [("Interview 7", None, False)]
    messages = " ".join(caplog.messages)
    assert "'Interview 7': 2 selection(s) cover no paragraph" in messages
    assert "'Interview 7': 1 coding(s) refer to no code" in messages
    assert "'Interview 8' skipped: its text 'Sources/latin1.txt' is unreadable (not UTF-8 text" in messages


def test_two_sources_of_one_interview_and_coder_are_reported(tmp_path, caplog):
    project = ProjectBuilder(users={"u": "PO"}, codebook=CODEBOOK)
    project.source("Interview 9 - part 1", "Interviewee: a.\n").select("a", "c-noisy", "u")
    project.source("Interview 9 - part 2", "Interviewee: b.\n").select("b", "c-noisy", "u")
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        parse_refi_qda(project.write_qde(tmp_path / "parts.qde"))
    assert "sources 'Interview 9 - part 1' and 'Interview 9 - part 2' are both Interview 9 coded by PO" in caplog.text


def test_project_with_neither_text_nor_codes_is_an_error(tmp_path):
    project = ProjectBuilder()
    project.source("Interview 6.pdf", kind="PDFSource")
    path = project.write_qdpx(tmp_path / "pdf-only.qdpx")
    with pytest.raises(IngestError, match="no text source that can be read and no code") as info:
        parse_refi_qda(path)
    assert info.value.path == str(path)


# A project as ATLAS.ti exchanges it: sources are Word files, PDFs and media whose text was not exported.
ATLAS_CODEBOOK = code(
    "k-data", "Data-issues",
    code("k-noisy", "Data-noisy-labels", code("k-noisy-fix", "Data-noisy-labels-fix", colour="#00aa00"),
         description="Wrong labels.", colour="#cc3333"),
    description="Problems with the data.", colour="#3366ff",
) + code("k-robust", "QM-robustness", colour="#ffaa00")


def atlas_like_project(tmp_path: Path) -> Path:
    project = ProjectBuilder(users={"u-1": "Mouna", "u-2": "Rached"}, codebook=ATLAS_CODEBOOK,
                             cases={"case-1": "Participant 1", "case-2": "Participant 2"}, missing={"int-1.txt"})
    project.source("Interview 1.docx", "Interviewee: never exported.\n", member="int-1.txt")
    project.source("Field notes.pdf", kind="PDFSource")
    project.source("Interview 2 audio.m4a", kind="AudioSource")
    project.source("Site visit.mp4", kind="VideoSource")
    return project.write_qdpx(tmp_path / "atlas-sample.qdpx")


MISSING_SOURCES = ["Interview 1.docx", "Field notes.pdf", "Interview 2 audio.m4a", "Site visit.mp4"]


def test_a_project_without_readable_text_gives_its_codebook_users_and_cases(tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        [project] = parse_refi_qda(atlas_like_project(tmp_path))
    assert isinstance(project, ProjectCodebook)
    assert project.code_definitions == (
        CodeDefinition("Data-issues", None, "Problems with the data.", "#3366ff"),
        CodeDefinition("Data-noisy-labels", "Data-issues", "Wrong labels.", "#cc3333"),
        CodeDefinition("Data-noisy-labels-fix", "Data-noisy-labels", "", "#00aa00"),
        CodeDefinition("QM-robustness", None, "", "#ffaa00"),
    )
    assert project.users == ("Mouna", "Rached") and project.cases == ("Participant 1", "Participant 2")
    assert list(project.missing_sources) == MISSING_SOURCES
    for name in MISSING_SOURCES:  # each source is named with why it was left out
        assert f"source {name!r} skipped" in caplog.text
    assert "importing its codebook only (4 codes, 2 users, 2 cases)" in caplog.text


def test_codebook_only_import_loads_the_codes_and_exits_0(tmp_path):
    db = tmp_path / "db"
    result = run_cli("ingest", str(atlas_like_project(tmp_path)), "--db", str(db), "--format", "json")
    assert result.returncode == 0, result.stderr
    for name in MISSING_SOURCES:
        assert repr(name) in result.stderr
    summary = {row["item"]: row["value"] for row in json.loads(result.stdout)}
    assert summary["files: refi-qda"] == 1 and summary["transcripts added"] == 0
    assert "4 codes, users Mouna, Rached, cases Participant 1, Participant 2; 4 sources" in summary["codebook only"]
    with open_store(db, read_only=True) as store:
        codes = {name: (parent, description, colour) for name, parent, description, colour in store.run(
            "MATCH (c:Code) RETURN c.name, c.parent, c.description, c.colour").rows}
        assert codes == {
            "Data-issues": (None, "Problems with the data.", "#3366ff"),
            "Data-noisy-labels": ("Data-issues", "Wrong labels.", "#cc3333"),
            "Data-noisy-labels-fix": ("Data-noisy-labels", "", "#00aa00"),
            "QM-robustness": (None, "", "#ffaa00"),
        }
        assert sorted(store.run("MATCH (a:Code)-[:SUBCODE_OF]->(b:Code) RETURN a.name, b.name").rows) == [
            ["Data-noisy-labels", "Data-issues"], ["Data-noisy-labels-fix", "Data-noisy-labels"]]
        assert store.run("MATCH (t:Transcript) RETURN count(t)").scalar() == 0
        # The codebook classifies the imported codes as it would coded ones.
        kinds = dict(store.run("MATCH (c:Code) RETURN c.name, c.kind").rows)
        assert kinds["QM-robustness"] == "issue" and kinds["Data-noisy-labels-fix"] == "fix"
    # Transcripts ingested later meet the same codes, which keep the project's descriptions.
    later = tmp_path / "Interview 7 - Mouna.md"
    later.write_text("## Interview 7 - Mouna\n\n### Interviewee\n\nThe model broke at night.\n\nQM-robustness\n",
                     encoding="utf-8")
    assert run_cli("ingest", str(later), "--db", str(db)).returncode == 0
    with open_store(db, read_only=True) as store:
        assert store.run("MATCH (:Excerpt)-[:CODED_AS]->(c:Code {name: 'QM-robustness'}) RETURN c.colour").rows == [
            ["#ffaa00"]]


def test_project_loads_into_the_graph(qdpx, store):
    from tests.conftest import load_paths

    report = load_paths(store, [qdpx])
    assert sorted(report.added) == ["focus-group/raw", "interview-3/ilan", "interview-3/po", "interview-4/po"]
    rows = store.run("MATCH (c:Code)-[:SUBCODE_OF]->(p:Code) RETURN c.name, p.name ORDER BY c.name").rows
    assert rows == [
        ["Data-missing-values", "Data-issues"],
        ["Data-noisy-labels", "Data-issues"],
        ["Data-noisy-labels-fix", "Data-noisy-labels"],
    ]
    quotes = store.run("MATCH (e:Excerpt)-[r:CODED_AS]->(c:Code {id: 'QM-robustness'}) RETURN r.quote").rows
    assert quotes == [["not robust"]]


# --- hostile projects -------------------------------------------------------

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE Project [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<Project xmlns="urn:QDA-XML:project:1.0"><Sources><TextSource name="Interview 1">
<PlainTextContent>&lol4;</PlainTextContent></TextSource></Sources></Project>"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE Project [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Project xmlns="urn:QDA-XML:project:1.0"><Sources><TextSource name="Interview 1">
<PlainTextContent>&secret;</PlainTextContent></TextSource></Sources></Project>"""


@pytest.mark.parametrize("container", [".qde", ".qdpx"])
@pytest.mark.parametrize(
    ("xml", "problem"),
    [
        (BILLION_LAUGHS, "XML declares entity 'lol', refused (possible entity-expansion attack)"),
        (
            EXTERNAL_ENTITY,
            "XML declares an external entity 'secret' ('file:///etc/passwd'), refused (possible external-entity attack)",
        ),
    ],
    ids=["billion-laughs", "external-entity"],
)
def test_hostile_xml_is_refused(tmp_path, container, xml, problem):
    path = tmp_path / f"hostile{container}"
    if container == ".qde":
        path.write_text(xml, encoding="utf-8")
    else:
        write_zip(path, {"project.qde": xml.encode()})
    with pytest.raises(IngestError) as info:
        parse_refi_qda(path)
    assert str(info.value) == f"{path}: {problem}"


@pytest.fixture(scope="module")
def zip_bomb(tmp_path_factory) -> Path:
    """200 MB of zeros deflated to about 200 KB, streamed so the test never holds them in memory."""
    path = tmp_path_factory.mktemp("bomb") / "bomb.qdpx"
    project = study()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", project.xml())
        with archive.open("Sources/src-1.txt", "w", force_zip64=True) as member:
            megabyte = bytes(1 << 20)
            for _ in range(200):
                member.write(megabyte)
    return path


def test_zip_bomb_is_refused_from_its_headers(zip_bomb):
    assert zip_bomb.stat().st_size < 1 << 20
    with pytest.raises(IngestError) as info:
        parse_refi_qda(zip_bomb)
    assert str(info.value).startswith(f"{zip_bomb}: archive member 'Sources/src-1.txt' would inflate ")
    assert "over 100:1: refused (zip bomb?)" in str(info.value)


def test_archive_unpacking_past_the_total_limit_is_refused(tmp_path):
    limits = ReadLimits(0.01)  # an archive may unpack to ten times that: ~100 KB
    path = tmp_path / "big.qdpx"
    write_zip(path, {"project.qde": study().xml().encode(), "Sources/src-1.txt": b"Interviewee: " + b"a" * 200_000})
    with pytest.raises(IngestError, match=r"archive would unpack to 0\.19 MB, over the 0\.1 MB limit: refused") as info:
        parse_refi_qda(path, limits=limits)
    assert info.value.path == str(path)


def test_member_past_the_file_limit_is_stopped_while_inflating(tmp_path):
    limits = ReadLimits(0.05)  # members up to ~52 KB, archive up to ~520 KB
    path = tmp_path / "big-member.qdpx"
    text = "".join(f"Interviewee: answer number {i}.\n" for i in range(4000)).encode()  # ~130 KB
    write_zip(path, {"project.qde": study().xml().encode(), "Sources/src-1.txt": text})
    with pytest.raises(IngestError, match=r"'Sources/src-1.txt' unpacks past the 0\.05 MB limit: refused \(zip bomb\?\)"):
        parse_refi_qda(path, limits=limits)


def declare_size(archive: bytes, member: str, size: int) -> bytes:
    """Rewrite the uncompressed size a central-directory header declares for ``member``."""
    data = bytearray(archive)
    entry = data.index(b"PK\x01\x02")
    while True:
        name_length = struct.unpack_from("<H", data, entry + 28)[0]
        if data[entry + 46 : entry + 46 + name_length] == member.encode():
            struct.pack_into("<I", data, entry + 24, size)
            return bytes(data)
        entry = data.index(b"PK\x01\x02", entry + 4)


@pytest.mark.parametrize(("change", "problem"), [(-10, "is damaged (Bad CRC-32"), (+1000, "not the")])
def test_member_whose_header_lies_about_its_size_is_refused(tmp_path, change, problem):
    buffer = study().write_qdpx(io.BytesIO())
    path = tmp_path / "liar.qdpx"
    path.write_bytes(declare_size(buffer.getvalue(), "Sources/src-1.txt", len(FILE_TEXT) + change))
    with pytest.raises(IngestError, match=r"archive member 'Sources/src-1.txt' ") as info:
        parse_refi_qda(path)
    assert problem in str(info.value) and info.value.path == str(path)


def test_archive_with_absurdly_many_members_is_refused(tmp_path):
    path = tmp_path / "crowd.qdpx"
    write_zip(path, {"project.qde": study().xml().encode(), **{f"Sources/{i}.txt": b"" for i in range(MAX_MEMBERS)}})
    with pytest.raises(IngestError, match=f"archive has {MAX_MEMBERS + 1} members, over the {MAX_MEMBERS} limit: refused"):
        parse_refi_qda(path)


def test_traversal_names_are_only_looked_up_in_memory(tmp_path):
    project = ProjectBuilder(users={"u": "PO"}, codebook=CODEBOOK)
    project.source("Interview 1", "Interviewee: inside.\n", member="../../escape.txt").select("inside", "c-noisy", "u")
    path = tmp_path / "sub" / "traversal.qdpx"
    path.parent.mkdir()
    project.write_qdpx(path)
    records = parse_refi_qda(path)
    assert coded(records[0]) == {0: [Coding("Data-noisy-labels", "inside")]}
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["sub", "traversal.qdpx"]


@pytest.mark.parametrize(
    ("kind", "problem"),
    [
        ("truncated", r"not a readable zip archive, truncated or damaged \("),
        ("not-a-zip", r"not a readable zip archive, truncated or damaged \(File is not a zip file\)"),
        ("no-project", r"zip archive holds no project.qde: not a REFI-QDA project"),
        ("not-refi", r"XML is not a REFI-QDA project \(root element 'html'"),
        ("malformed", r"malformed XML: .*line \d+, column \d+"),
    ],
)
def test_damaged_or_foreign_archives_are_refused(tmp_path, qdpx, kind, problem):
    path = tmp_path / f"{kind}.qdpx"
    if kind == "truncated":
        path.write_bytes(qdpx.read_bytes()[: qdpx.stat().st_size // 2])
    elif kind == "not-a-zip":
        path.write_text("Interviewee: this is a transcript, not a project\n")
    elif kind == "no-project":
        write_zip(path, {"readme.txt": b"hello", "Sources/a.txt": b"Interviewee: hi\n"})
    elif kind == "not-refi":
        write_zip(path, {"project.qde": b'<?xml version="1.0"?><html><body/></html>'})
    else:
        write_zip(path, {"project.qde": study().xml().encode()[:-40]})
    with pytest.raises(IngestError, match=problem) as info:
        parse_refi_qda(path)
    assert str(info.value).startswith(f"{path}: ")


# --- property-based: anything in, records or IngestError out ----------------

VALID_XML = study().xml().encode()
VALID_QDPX = study().write_qdpx(io.BytesIO()).getvalue()


def outcome(path: Path) -> list[TranscriptRecord] | IngestError:
    """Parse ``path``; any exception other than IngestError fails the test."""
    try:
        records = parse_refi_qda(path)
    except IngestError as exc:
        assert exc.path == str(path) and exc.problem and "\n" not in str(exc)
        return exc
    assert records and all(isinstance(r, TranscriptRecord) and r.paragraphs for r in records)
    return records


@st.composite
def mutated(draw, seed: bytes) -> bytes:
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 6))):
        position = draw(st.integers(0, max(len(data) - 1, 0)))
        action = draw(st.sampled_from(["flip", "cut", "insert"]))
        if action == "flip" and data:
            data[position] = draw(st.integers(0, 255))
        elif action == "cut":
            del data[position : position + draw(st.integers(1, 200))]
        else:
            data[position:position] = draw(st.sampled_from([b"<", b"&", b'"', b"\x00", b"\xff", b"-1", b"999999"]))
    return bytes(data)


@FAST
@given(data=st.binary(max_size=2048), suffix=st.sampled_from([".qdpx", ".qde"]))
def test_random_bytes_give_records_or_ingest_error(tmp_path, data, suffix):
    path = tmp_path / f"random{suffix}"
    path.write_bytes(data)
    outcome(path)


@FAST
@given(data=st.one_of(mutated(VALID_QDPX), mutated(VALID_XML)))
def test_mutated_project_files_give_records_or_ingest_error(tmp_path, data):
    path = tmp_path / "mutant.qdpx"
    path.write_bytes(data)
    outcome(path)


@FAST
@given(xml=mutated(VALID_XML))
def test_mutated_xml_in_a_sound_archive_gives_records_or_ingest_error(tmp_path, xml):
    # The archive stays valid so the mutations reach the XML, codebook and selection mapping.
    path = tmp_path / "mutant.qdpx"
    write_zip(path, {"project.qde": xml, **study().members()})
    outcome(path)


@FAST
@given(start=st.integers(-50, 400), end=st.integers(-50, 400))
def test_any_selection_codes_exactly_the_paragraphs_it_overlaps(tmp_path, start, end):
    project = ProjectBuilder(users={"u": "PO"}, codebook=CODEBOOK)
    project.source("Interview 3", INLINE_TEXT).select_range(start, end, "c-noisy", "u")
    records = parse_refi_qda(project.write_qde(tmp_path / "one.qde"))
    lines = [(offset, line) for offset, line in line_offsets(INLINE_TEXT) if line.strip()]
    fits = 0 <= start < end <= len(INLINE_TEXT)
    expected = [i for i, (offset, line) in enumerate(lines) if fits and start < offset + len(line) and end > offset]
    (record,) = records
    assert sorted(coded(record)) == expected
    assert all(c.quote == INLINE_TEXT[start:end] for found in coded(record).values() for c in found)


def line_offsets(text: str) -> list[tuple[int, str]]:
    offsets, position = [], 0
    for line in text.splitlines(keepends=True):
        offsets.append((position, line.rstrip("\r\n")))
        position += len(line)
    return offsets
