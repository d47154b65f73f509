"""What `findings ingest` says about odd but plausible input, end to end through the real command.

Each case is a file made here: it must give one line naming the file and
the problem (or load sensibly), never a generic message or one from deep
inside the database.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import EXAMPLES, run_cli
from tests.test_refi_qda import ProjectBuilder, code, write_zip

NO_PROJECT = "zip archive holds no project.qde: not a REFI-QDA project"
SOURCE = EXAMPLES / "synthetic-study" / "Interview 1 - Ana.md"


def summary(result) -> list[dict]:
    return json.loads(result.stdout)


@pytest.mark.parametrize("name", ["study.qdpx", "study.zip"])
def test_a_zip_without_project_named_on_the_command_line(tmp_path, db_path, name):
    path = tmp_path / name
    write_zip(path, {"readme.txt": b"hello", "Sources/a.txt": b"Interviewee: hi\n"})
    result = run_cli("ingest", str(path), "--db", str(db_path))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [f"findings: error: {path}: {NO_PROJECT}"]
    assert not db_path.exists()


def test_a_zip_without_project_in_a_folder(tmp_path, db_path):
    """A .qdpx was meant as a project, so it fails; another zip (.docx, .zip) is only not a source, so it is skipped."""
    folder = tmp_path / "study"
    folder.mkdir()
    (folder / SOURCE.name).write_bytes(SOURCE.read_bytes())
    for name in ["broken.qdpx", "notes.docx"]:
        write_zip(folder / name, {"word/document.xml": b"<w:document/>"})
    result = run_cli("ingest", str(folder), "--db", str(db_path), "--format", "json")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [f"findings: error: {folder / 'broken.qdpx'}: {NO_PROJECT}"]
    rows = summary(result)
    assert {"item": "failed", "value": f"{folder / 'broken.qdpx'}: {NO_PROJECT}"} in rows
    assert {"item": "skipped", "value": f"{folder / 'notes.docx'}: {NO_PROJECT}"} in rows
    assert {"item": "transcripts added", "value": 1} in rows


def test_an_interview_number_past_int64_is_a_name_without_number(tmp_path, db_path):
    """It used to fail in the database ("Unable to cast Python instance of type <class 'int'>"), naming no file."""
    big = "99999999999999999999"
    text = SOURCE.read_text("utf-8").replace("## Interview 1 - Ana", f"## Interview {big} - PO")
    (tmp_path / "coded.md").write_text(text, encoding="utf-8")
    (tmp_path / f"Notes {big}.txt").write_text("Interviewer: hello\nInterviewee: hi\n", encoding="utf-8")
    result = run_cli("ingest", str(tmp_path), "--db", str(db_path))
    assert result.returncode == 0, result.stderr
    rows = run_cli(
        "query", "MATCH (i:Interview)-[:HAS_TRANSCRIPT]->(t:Transcript) RETURN i.name AS name, i.number AS number, "
        "t.coder AS coder ORDER BY name", "--db", str(db_path), "--format", "json",
    )
    assert json.loads(rows.stdout) == [
        {"name": f"Interview {big}", "number": None, "coder": "PO"},
        {"name": f"Notes {big}", "number": None, "coder": None},
    ]


# --- text from files reaches the terminal escaped ----------------------------

OSC = "\x1b]0;pwned\x07"  # sets the terminal's title; click does not strip it
CSI = "\x1b[2J"  # clears the screen


def assert_no_controls(*outputs: str) -> None:
    for output in outputs:
        assert not {"\x1b", "\x07", "\r", "\u202e"} & set(output), output


def test_file_names_with_escape_codes_are_escaped_in_errors_and_summary(tmp_path, db_path):
    folder = tmp_path / "study"
    (folder / "[").mkdir(parents=True)
    (folder / SOURCE.name).write_bytes(SOURCE.read_bytes())
    bad = folder / f"Interview 7 - {OSC}PO.md"
    bad.write_bytes("## Interview 7 - PO\n\n**Interviewee**\n\nCaf\xe9\n".encode("latin-1"))
    (folder / f"notes{CSI}\n.bin").write_bytes(b"\x00\x01")
    (folder / "[" / "x]notes.bin").write_bytes(b"\x00\x01")  # "[/x]" in the path is rich markup
    table = run_cli("ingest", str(folder), "--db", str(db_path))
    assert table.returncode == 1 and "Traceback" not in table.stderr
    assert table.stderr.strip().splitlines() == [
        (
            f"findings: error: {folder}/Interview 7 - \\x1b]0;pwned\\x07PO.md: not UTF-8 text (byte 0xe9 at offset 41); "
            "re-save it as UTF-8"
        )
    ]
    assert_no_controls(table.stdout)
    assert "[/x]" in table.stdout.replace("│\n│", "")
    as_json = run_cli("ingest", str(folder), "--db", str(db_path), "--format", "json")
    skipped = {row["value"].split(": ")[0] for row in summary(as_json) if row["item"] == "skipped"}
    assert skipped == {f"{folder}/notes{CSI}\n.bin", f"{folder}/[/x]notes.bin"}


def test_coder_and_code_names_are_escaped_in_tables_and_real_in_json(tmp_path, db_path):
    codes = [f"Data-{CSI}-wipe", "Data-[/]-closing", "Data-[bold]-loud"]
    path = tmp_path / "coded.md"
    path.write_text(
        f"## Interview 7 - {OSC}PO\n\n**Interviewee**\n\nThe labels were noisy.\n\n" + "\n\n".join(codes) + "\n",
        encoding="utf-8",
    )
    assert run_cli("ingest", str(path), "--db", str(db_path)).returncode == 0
    query = "MATCH (t:Transcript)-[:HAS_EXCERPT]->()-[:CODED_AS]->(c:Code) RETURN t.coder AS coder, c.name AS code ORDER BY code"
    table = run_cli("query", query, "--db", str(db_path))
    assert table.returncode == 0, table.stderr
    assert_no_controls(table.stdout, table.stderr)
    for shown in ["\\x1b]0;pwned\\x07PO", "Data-\\x1b[2J-wipe", "Data-[/]-closing", "Data-[bold]-loud"]:
        assert shown in table.stdout
    as_json = run_cli("query", query, "--db", str(db_path), "--format", "json")
    assert json.loads(as_json.stdout) == [{"coder": f"{OSC}PO", "code": code} for code in sorted(codes)]


def test_warnings_name_files_escaped(tmp_path, db_path):
    project = ProjectBuilder(codebook=code("c1", "Data-noisy-labels"))
    project.source("Interview 3.txt", "Interviewee: hi\n")
    project.source("Interview 6\u202egpj.pdf", kind="PDFSource")  # XML forbids ESC; a bidi override reverses text
    archive = project.write_qdpx(tmp_path / "study\x1b[31m.qdpx")
    twin = tmp_path / f"twin{OSC}.md"
    twin.write_bytes(SOURCE.read_bytes().replace(b"Ana", b"Ana "))  # same interview and coder as SOURCE
    result = run_cli("ingest", str(archive), str(SOURCE), str(twin), "--db", str(db_path))
    assert result.returncode == 0, result.stderr
    assert_no_controls(result.stderr)
    assert f"{tmp_path}/study\\x1b[31m.qdpx: source 'Interview 6\\u202egpj.pdf' skipped: PDFSource is not text" in result.stderr
    assert f"findings: warning: {tmp_path}/twin\\x1b]0;pwned\\x07.md: same interview and coder" in result.stderr
