"""Killing the command kills its write, and a failure inside the transaction writes nothing.

`findings ingest` writes in a child process (:mod:`graph.isolation`). Here
the command itself, not its writer, is killed while the writer is inside
its transaction: the writer must die with it (it would otherwise finish
the write unseen, holding the lock), and the store must be as before.
Every other kill point is in tests/test_durability.py.
"""

import os
import signal
import subprocess
import sys
import time

import pytest

from graph.store import StoreError, open_store
from tests.conftest import EXAMPLES, REPO, load_paths
from tests.test_loader import snapshot

CHILD = """
import sys, time, pathlib
from graph.ladybug_store import _LadybugTransaction

marker = pathlib.Path(sys.argv[1])
original = _LadybugTransaction.insert_relationships

def insert_then_stall(self, name, rows):
    original(self, name, rows)
    if name == "CODED_AS":
        marker.write_text(str(__import__("os").getpid()))
        time.sleep(120)

_LadybugTransaction.insert_relationships = insert_then_stall
from graph.cli import main
main(["ingest", *sys.argv[2:]])
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_killing_the_command_kills_its_writer_and_leaves_the_store_as_before(tmp_path):
    db = tmp_path / "db"
    with open_store(db) as store:
        load_paths(store, [EXAMPLES / "synthetic-study" / "Interview 1 - Ana.md"])
        before = snapshot(store)
    marker = tmp_path / "marker"
    command = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(marker), str(EXAMPLES / "synthetic-study"), "--db", str(db)],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while not marker.exists() or not marker.read_text():
            assert command.poll() is None, command.stderr.read().decode()
            assert time.monotonic() < deadline, "the ingest never reached its write transaction"
            time.sleep(0.05)
        writer = int(marker.read_text())
        assert writer != command.pid  # the write runs in a child of the command
        os.kill(command.pid, signal.SIGKILL)
    finally:
        command.wait(timeout=30)
    deadline = time.monotonic() + 30
    while _alive(writer):
        assert time.monotonic() < deadline, "the writer outlived its command"
        time.sleep(0.05)
    with open_store(db, read_only=True) as store:
        assert snapshot(store) == before
    # The lock died with the writer: the same ingest runs normally afterwards.
    with open_store(db) as store:
        report = load_paths(store, [EXAMPLES / "synthetic-study"])
        files = len(list((EXAMPLES / "synthetic-study").glob("*.md")))  # one transcript per file
        assert len(report.added) == files - 1 and report.unchanged == ["interview-1/ana"]


def test_failed_load_rolls_back(tmp_path, monkeypatch):
    """A failure inside the transaction (here: a bulk insert that raises) writes nothing."""
    from graph import ladybug_store

    db = tmp_path / "db"
    with open_store(db) as store:
        load_paths(store, [EXAMPLES / "synthetic-study" / "Interview 1 - Ana.md"])
        before = snapshot(store)

        def refuse(self, name, rows):
            raise StoreError("refused (simulated)")

        monkeypatch.setattr(ladybug_store._LadybugTransaction, "insert_relationships", refuse)
        with pytest.raises(StoreError, match="refused"):
            load_paths(store, [EXAMPLES / "synthetic-study"])
        assert snapshot(store) == before
