"""The explorer's read-only connection, on real LadybugDB stores.

The connection must follow an ingest that happens while the explorer is
open (a held read-only connection keeps its old snapshot), and refuse
writes (behind the guard, tests/test_cypher_guard.py).
"""

from __future__ import annotations

import pytest

from explorer.connection import connect, current_source
from graph.store import StoreError, open_store
from tests.conftest import EXAMPLES, load_paths

STUDY = sorted((EXAMPLES / "synthetic-study").glob("*.md"))
INTERVIEWS = "MATCH (i:Interview) RETURN count(i)"


def test_an_ingest_beside_the_explorer_shows_up_on_the_next_read(db_path, monkeypatch):
    monkeypatch.setenv("FINDINGS_DB", str(db_path))
    monkeypatch.delenv("FINDINGS_NEO4J_URI", raising=False)
    with open_store(db_path) as store:
        load_paths(store, STUDY[:2])  # Interview 1, both coders
    before = current_source()
    held = connect(before)
    assert held.read_only and held.run(INTERVIEWS).scalar() == 1

    with open_store(db_path) as writer:  # an ingest while the explorer holds its connection
        load_paths(writer, STUDY[2:])
    after = current_source()
    assert after != before and after.db == str(db_path.resolve())
    assert connect(after).run(INTERVIEWS).scalar() == len({f.name.split(" - ")[0] for f in STUDY})
    assert held.run(INTERVIEWS).scalar() == 1  # why the explorer reopens: a held connection keeps its snapshot
    assert current_source() == after  # nothing changed since: the same connection and cached answers


def test_the_read_only_store_refuses_writes(db_path):
    with open_store(db_path) as store:
        load_paths(store, STUDY[:2])
    with open_store(db_path, read_only=True) as store, pytest.raises(StoreError, match="read-only"):
        store.run("CREATE (n:Issue {id: 'x'})")
