"""REFI-QDA projects built here: codings land on the right paragraphs with the right coder.

Hostile projects (entity expansion, external entities, zip bombs, damaged
archives) give one clear error and load nothing.
"""

from __future__ import annotations

import io
import logging
import zipfile
from xml.sax.saxutils import escape, quoteattr

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.detect import sniff
from ingest.records import Coding, IngestError
from ingest.refi_qda import parse_refi_qda

INLINE_TEXT = (
    "Interviewer 1: What went wrong?\n"
    "Interviewee: The labels were noisy.\n"
    "\n"
    "Interviewee: We relabelled with two annotators.\n"
)
FILE_TEXT = "Interviewer: And the model?\nInterviewee: It was not robust at night.\n"


def span(text: str, fragment: str) -> tuple[int, int]:
    start = text.index(fragment)
    return start, start + len(fragment)


def selection(guid: str, text: str, fragment: str, code: str, user: str) -> str:
    start, end = span(text, fragment)
    return (
        f'<PlainTextSelection guid="{guid}" startPosition="{start}" endPosition="{end}" creatingUser="{user}">'
        f'<Coding guid="{guid}-c" creatingUser="{user}"><CodeRef targetGUID="{code}"/></Coding>'
        "</PlainTextSelection>"
    )


def project_xml(*, file_source: str = "internal://src-2.txt") -> str:
    inline_codings = "".join(
        [
            selection("s1", INLINE_TEXT, "labels were noisy", "c-noisy", "u-po"),
            selection("s2", INLINE_TEXT, "noisy.\n\nInterviewee: We relabelled", "c-noisy", "u-ilan"),
            selection("s3", INLINE_TEXT, "relabelled with two annotators", "c-noisy-fix", "u-ilan"),
        ]
    )
    file_codings = selection("s4", FILE_TEXT, "not robust", "c-robust", "u-po")
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Study" origin="test">
  <Users><User guid="u-po" name="PO"/><User guid="u-ilan" name="Ilan"/></Users>
  <CodeBook><Codes>
    <Code guid="c-data" name="Data-issues" isCodable="false">
      <Description>Problems with the data.</Description>
      <Code guid="c-noisy" name="Data-noisy-labels" isCodable="true"><Description>Wrong labels.</Description>
        <Code guid="c-noisy-fix" name="Data-noisy-labels-fix" isCodable="true"/>
      </Code>
    </Code>
    <Code guid="c-robust" name="QM-robustness" isCodable="true"/>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="src-1" name="Interview 3.txt"><PlainTextContent>{escape(INLINE_TEXT)}</PlainTextContent>{inline_codings}</TextSource>
    <TextSource guid="src-2" name={quoteattr("Interview 4 - notes.txt")} plainTextPath="{file_source}">{file_codings}</TextSource>
    <TextSource guid="src-3" name="Interview 5.txt" plainTextPath="internal://missing.txt"/>
    <PDFSource guid="src-4" name="Interview 6.pdf" path="internal://src-4.pdf"/>
  </Sources>
</Project>"""


def write_qdpx(path, xml: str, members: dict[str, bytes] | None = None) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", xml)
        for name, data in (members or {"Sources/src-2.txt": FILE_TEXT.encode()}).items():
            archive.writestr(name, data)


@pytest.fixture
def qdpx(tmp_path):
    path = tmp_path / "study.qdpx"
    write_qdpx(path, project_xml())
    return path


def by_key(records):
    return {(r.interview, r.coder): r for r in records}


def test_codings_land_on_paragraphs_with_their_coder(qdpx, caplog):
    with caplog.at_level(logging.WARNING, logger="ingest.refi_qda"):
        records = by_key(parse_refi_qda(qdpx))
    assert sniff(qdpx) == "refi-qda"
    assert set(records) == {("Interview 3", "PO"), ("Interview 3", "Ilan"), ("Interview 4", "PO")}
    po = records[("Interview 3", "PO")]
    assert [(p.position, p.speaker, p.text) for p in po.paragraphs] == [
        (0, "Interviewer 1", "What went wrong?"),
        (1, "Interviewee", "The labels were noisy."),
        (2, "Interviewee", "We relabelled with two annotators."),
    ]
    assert [p.codings for p in po.paragraphs] == [(), (Coding("Data-noisy-labels", "labels were noisy"),), ()]
    ilan = records[("Interview 3", "Ilan")]
    # One selection spanning two paragraphs codes both, and keeps its whole text as the quote.
    assert [[c.code for c in p.codings] for p in ilan.paragraphs] == [
        [],
        ["Data-noisy-labels"],
        ["Data-noisy-labels", "Data-noisy-labels-fix"],
    ]
    assert ilan.paragraphs[1].codings[0].quote == "noisy. Interviewee: We relabelled"
    assert ilan.paragraphs[2].codings[1].quote == "relabelled with two annotators"
    from_file = records[("Interview 4", "PO")]
    assert from_file.paragraphs[1].codings[0].code == "QM-robustness"
    assert all(r.format == "refi-qda" and r.sha256 == po.sha256 for r in records.values())
    # The missing source and the PDF source are named in warnings, not loaded.
    messages = " ".join(caplog.messages)
    assert "'Interview 5.txt' skipped" in messages and "missing from the archive" in messages
    assert "'Interview 6.pdf' skipped" in messages and "PDFSource is not text" in messages


def test_code_hierarchy_and_descriptions(qdpx):
    definitions = {d.name: d for d in parse_refi_qda(qdpx)[0].code_definitions}
    assert definitions["Data-issues"].parent is None
    assert definitions["Data-noisy-labels"].parent == "Data-issues"
    assert definitions["Data-noisy-labels-fix"].parent == "Data-noisy-labels"
    assert definitions["Data-noisy-labels"].description == "Wrong labels."


def test_coder_option_merges_users(qdpx):
    records = by_key(parse_refi_qda(qdpx, coder="Moderator", consensus=True))
    assert set(records) == {("Interview 3", "Moderator"), ("Interview 4", "Moderator")}
    merged = records[("Interview 3", "Moderator")]
    assert merged.consensus
    assert [c.code for c in merged.paragraphs[2].codings] == ["Data-noisy-labels", "Data-noisy-labels-fix"]


def test_bare_qde_with_inline_source(tmp_path, caplog):
    path = tmp_path / "project.qde"
    path.write_text(project_xml(), encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="ingest.refi_qda"):
        records = by_key(parse_refi_qda(path))
    # Without an archive, only the inline source has text.
    assert set(records) == {("Interview 3", "PO"), ("Interview 3", "Ilan")}
    assert "'Interview 4 - notes.txt' skipped" in " ".join(caplog.messages)


def test_project_loads_into_the_graph(qdpx, store):
    from tests.conftest import load_paths

    report = load_paths(store, [qdpx])
    assert sorted(report.added) == ["interview-3/ilan", "interview-3/po", "interview-4/po"]
    rows = store.query(
        "MATCH (c:Code)-[:SUBCODE_OF]->(p:Code) RETURN c.name, p.name ORDER BY c.name"
    ).rows
    assert rows == [["Data-noisy-labels", "Data-issues"], ["Data-noisy-labels-fix", "Data-noisy-labels"]]
    quotes = store.query("MATCH (e:Excerpt)-[r:CODED_AS]->(c:Code {id: 'QM-robustness'}) RETURN r.quote").rows
    assert quotes == [["not robust"]]


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<Project xmlns="urn:QDA-XML:project:1.0"><Sources><TextSource name="x"><PlainTextContent>&lol3;</PlainTextContent></TextSource></Sources></Project>"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE p [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Project xmlns="urn:QDA-XML:project:1.0"><Sources><TextSource name="x"><PlainTextContent>&secret;</PlainTextContent></TextSource></Sources></Project>"""


@pytest.mark.parametrize(("xml", "problem"), [(BILLION_LAUGHS, "entities"), (EXTERNAL, "entities or external")])
def test_hostile_xml_is_refused(tmp_path, xml, problem):
    for path in (tmp_path / "bomb.qde", tmp_path / "bomb.qdpx"):
        if path.suffix == ".qde":
            path.write_text(xml, encoding="utf-8")
        else:
            write_qdpx(path, xml)
        with pytest.raises(IngestError, match=problem) as info:
            parse_refi_qda(path)
        assert str(path) in str(info.value)


def test_zip_bomb_is_refused(tmp_path):
    path = tmp_path / "bomb.qdpx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", project_xml())
        with archive.open("Sources/src-2.txt", "w") as member:
            zeros = bytes(1 << 20)
            for _ in range(64):
                member.write(zeros)
    assert path.stat().st_size < 1 << 20
    with pytest.raises(IngestError, match="zip bomb") as info:
        parse_refi_qda(path)
    assert str(path) in str(info.value)


def test_member_lying_about_its_size_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("FINDINGS_MAX_FILE_MB", "0.01")  # archives may unpack to 100 KB
    path = tmp_path / "big.qdpx"
    write_qdpx(path, project_xml(), {"Sources/src-2.txt": b"Interviewee: " + b"a" * 200_000})
    with pytest.raises(IngestError, match="refused|beyond"):
        parse_refi_qda(path)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("truncated", "not a readable zip"),
        ("no-project", "no project.qde"),
        ("not-refi", "not a REFI-QDA project"),
        ("malformed", "malformed XML at line"),
    ],
)
def test_damaged_projects(tmp_path, qdpx, content, problem):
    path = tmp_path / f"{content}.qdpx"
    if content == "truncated":
        path.write_bytes(qdpx.read_bytes()[: qdpx.stat().st_size // 2])
    elif content == "no-project":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("readme.txt", "hello")
    elif content == "not-refi":
        write_qdpx(path, '<?xml version="1.0"?><html><body/></html>')
    else:
        write_qdpx(path, project_xml()[:-40])
    with pytest.raises(IngestError, match=problem) as info:
        parse_refi_qda(path)
    assert str(path) in str(info.value)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(0, 4000), flips=st.lists(st.tuples(st.integers(0, 4000), st.integers(0, 255)), max_size=6))
def test_mutated_projects_load_or_fail_cleanly(tmp_path, cut, flips):
    buffer = io.BytesIO()
    write_qdpx(buffer, project_xml())
    data = bytearray(buffer.getvalue())
    for position, value in flips:
        if position < len(data):
            data[position] = value
    path = tmp_path / "mutant.qdpx"
    path.write_bytes(bytes(data[: max(cut, 1)] if cut < len(data) else data))
    try:
        records = parse_refi_qda(path)
    except IngestError as exc:
        assert str(path) in str(exc)
    else:
        assert all(r.paragraphs for r in records)
