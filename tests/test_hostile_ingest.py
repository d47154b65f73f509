"""Every hostile file, given to the real `findings ingest`, is one clear line and leaves the store as it was.

The parsers' own tests show each refusal in detail; this one checks the
promise a user meets on the command line, case by case: exit status 1,
exactly one line on stderr naming the file and the problem, and a store
that holds, row for row, what it held before. The explorer, serving the
same store all along, keeps answering after every one of them.
"""

from __future__ import annotations

import os
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.browser import explorer
from tests.conftest import EXAMPLES, fixture_path, run_cli
from tests.test_durability import dump
from tests.test_refi_qda import BILLION_LAUGHS, EXTERNAL_ENTITY, study, write_zip

MARKDOWN = (EXAMPLES / "synthetic-study" / "Interview 1 - Ana.md").read_bytes()


def _text(data: bytes, name: str = "Interview 9 - PO.md") -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    return write


def _fifo(folder: Path) -> Path:
    path = folder / "Interview 9 - PO.md"
    os.mkfifo(path)
    return path


def _zip_bomb(folder: Path) -> Path:
    path = folder / "bomb.qdpx"
    write_zip(path, {"project.qde": study().xml().encode(), "Sources/src-1.txt": bytes(64 << 20)})
    return path


def _truncated_pdf(folder: Path) -> Path:
    data = fixture_path("delve-pdf", "codings", "2023-06-04-Interview 12 - Rached.pdf").read_bytes()
    return _text(data[: len(data) // 2], "Interview 9 - PO.pdf")(folder)


# (id, how to make the file, a fragment the one error line must hold)
CASES: list[tuple[str, Callable[[Path], Path], str]] = [
    ("empty file", _text(b""), "empty file"),
    ("only whitespace", _text(b" \n\t\n"), "empty file"),
    ("binary", _text(bytes(range(256)) * 8), "binary"),
    ("NUL after 8 KB", _text(MARKDOWN * 20 + b"\x00" + MARKDOWN), "NUL byte at offset"),
    ("Latin-1 text", _text("## Interview 9 - PO\n\n**Interviewee**\n\nCaf\xe9 au lait.\n".encode("latin-1")), "not UTF-8 text"),
    ("UTF-16 without BOM", _text(MARKDOWN.decode().encode("utf-16-le")), "without a byte-order mark"),
    ("corrupt PDF", _text(b"%PDF-1.7\n garbage", "Interview 9 - PO.pdf"), "PDF"),
    ("truncated PDF", _truncated_pdf, "PDF"),
    ("zip bomb", _zip_bomb, "zip bomb"),
    ("billion laughs", _text(BILLION_LAUGHS.encode(), "bomb.qde"), "entity-expansion attack"),
    ("external entity", _text(EXTERNAL_ENTITY.encode(), "xxe.qde"), "external-entity attack"),
    ("qdpx without project", lambda folder: _zipped(folder, {"Sources/a.txt": b"hello"}), "no project.qde"),
    ("FIFO", _fifo, "not a regular file (a FIFO)"),
    ("escape codes in the name", _text(b"", "Interview 9 \x1b[31mred.md"), "\\x1b[31m"),
]


def _zipped(folder: Path, members: dict[str, bytes]) -> Path:
    path = folder / "study.qdpx"
    write_zip(path, members)
    return path


@pytest.fixture(scope="module")
def served_store(tmp_path_factory):
    """A store holding the synthetic study, its state, and the explorer serving it."""
    db = tmp_path_factory.mktemp("hostile") / "findings-db"
    result = run_cli("ingest", str(EXAMPLES / "synthetic-study"), "--db", str(db))
    assert result.returncode == 0, result.stderr
    with explorer(db) as url:
        yield db, dump(db), url


@pytest.mark.parametrize(("make", "fragment"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_hostile_file_is_one_line_and_leaves_the_store_as_it_was(served_store, tmp_path, make, fragment):
    db, before, url = served_store
    path = make(tmp_path)
    result = run_cli("ingest", str(path), "--db", str(db), timeout=120)
    assert result.returncode == 1, result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith("findings: error: ") and fragment in line, line
    assert str(path.parent) in line
    assert dump(db) == before
    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=10) as response:
        assert response.read().strip() == b"ok"
