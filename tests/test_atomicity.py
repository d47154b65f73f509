"""An ingest killed half-way leaves the database exactly as it was before.

The ingest runs in a child process whose loader is made to stop inside its
write transaction, after excerpts and their links are written; the test then
kills it with SIGKILL, the way a crash or an impatient ``kill -9`` would, and
reopens the database.
"""

import os
import signal
import subprocess
import sys
import time

import pytest

from graph.store import open_store
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
        marker.write_text("inside the transaction")
        time.sleep(120)

_LadybugTransaction.insert_relationships = insert_then_stall
from graph.cli import main
main(["ingest", *sys.argv[2:]])
"""


def test_killed_ingest_leaves_database_as_before(tmp_path):
    db = tmp_path / "db"
    with open_store(db) as store:
        load_paths(store, [EXAMPLES / "synthetic-study" / "Interview 1 - Ana.md"])
        before = snapshot(store)
    marker = tmp_path / "marker"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(marker), str(EXAMPLES / "synthetic-study"), "--db", str(db)],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert child.poll() is None, child.stderr.read().decode()
            assert time.monotonic() < deadline, "the ingest never reached its write transaction"
            time.sleep(0.05)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    with open_store(db, read_only=True) as store:
        assert snapshot(store) == before
    # And the database still takes the same ingest normally afterwards.
    with open_store(db) as store:
        report = load_paths(store, [EXAMPLES / "synthetic-study"])
        assert len(report.added) == 5 and report.unchanged == ["interview-1/ana"]


def test_failed_load_rolls_back(tmp_path, monkeypatch):
    """A failure inside the transaction (here: a bulk insert that raises) writes nothing."""
    from graph import ladybug_store

    db = tmp_path / "db"
    with open_store(db) as store:
        load_paths(store, [EXAMPLES / "synthetic-study" / "Interview 1 - Ana.md"])
        before = snapshot(store)

        def refuse(self, name, rows):
            raise ladybug_store.StoreError("disk full (simulated)")

        monkeypatch.setattr(ladybug_store._LadybugTransaction, "insert_relationships", refuse)
        with pytest.raises(ladybug_store.StoreError, match="disk full"):
            load_paths(store, [EXAMPLES / "synthetic-study"])
        assert snapshot(store) == before
