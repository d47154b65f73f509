"""What `findings ingest` says about odd but plausible input, end to end through the real command.

Each case is a file made here: it must give one line naming the file and
the problem (or load sensibly), never a generic message or one from deep
inside the database.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, run_cli
from tests.test_refi_qda import write_zip

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
