"""FIFOs, sockets and devices are refused from their stat, never opened.

Opening a FIFO blocks until a writer comes (for ever, on the command line),
a socket cannot be opened at all and /dev/zero never ends. Named on the
command line such a file is one error line; met in a folder (here through
symlinks, for the devices) it is listed as skipped and the rest is loaded.
Every run has a timeout, so a hang fails the test instead of stalling it.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, run_cli

# Far more than an ingest of one small file takes; a hang is killed here.
TIMEOUT = 60
SOURCE = EXAMPLES / "synthetic-study" / "Interview 1 - Ana.md"


@pytest.fixture
def special(tmp_path: Path) -> Iterator[dict[str, tuple[Path, str]]]:
    """Each kind of special file, by name: its path and the kind the error must name."""
    fifo = tmp_path / "Interview 9 - fifo.md"
    os.mkfifo(fifo)
    bound = tmp_path / "sock"  # short: socket paths are limited to about 100 bytes
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(bound))
    try:
        yield {
            "fifo": (fifo, "a FIFO"),
            "socket": (bound, "a socket"),
            "zero": (Path("/dev/zero"), "a character device"),
            "null": (Path("/dev/null"), "a character device"),
        }
    finally:
        server.close()


@pytest.mark.parametrize("kind", ["fifo", "socket", "zero", "null"])
def test_special_file_named_on_the_command_line_is_one_error(special, db_path, kind):
    path, what = special[kind]
    result = run_cli("ingest", str(path), "--db", str(db_path), timeout=TIMEOUT)
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert line == f"findings: error: {path}: not a regular file ({what})"
    assert not db_path.exists()


def test_special_files_in_a_folder_are_skipped_and_the_rest_loaded(special, tmp_path, db_path):
    folder = tmp_path / "study"
    folder.mkdir()
    shutil.copy(SOURCE, folder / SOURCE.name)
    for kind, (path, _) in special.items():
        if kind in {"zero", "null"}:
            (folder / f"{kind}.md").symlink_to(path)
        else:
            path.rename(folder / path.name)
    result = run_cli("ingest", str(folder), "--db", str(db_path), "--format", "json", timeout=TIMEOUT)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert {"item": "transcripts added", "value": 1} in summary
    skipped = sorted(row["value"] for row in summary if row["item"] == "skipped")
    assert skipped == sorted(
        [
            f"{folder / 'Interview 9 - fifo.md'}: not a regular file (a FIFO)",
            f"{folder / 'sock'}: not a regular file (a socket)",
            f"{folder / 'null.md'}: not a regular file (a character device)",
            f"{folder / 'zero.md'}: not a regular file (a character device)",
        ]
    )


def test_a_dangling_symlink_in_a_folder_is_reported_as_unreadable(tmp_path, db_path):
    folder = tmp_path / "study"
    folder.mkdir()
    shutil.copy(SOURCE, folder / SOURCE.name)
    (folder / "gone.md").symlink_to(tmp_path / "nowhere.md")
    result = run_cli("ingest", str(folder), "--db", str(db_path), "--format", "json", timeout=TIMEOUT)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"findings: error: {folder / 'gone.md'}: cannot read file (No such file or directory)"
    ]
    assert {"item": "transcripts added", "value": 1} in json.loads(result.stdout)
