"""The explorer's read-only connection and its Cypher guard, on real LadybugDB stores.

The connection must follow an ingest that happens while the explorer is
open (a held read-only connection keeps its old snapshot), and the guard
must refuse what LadybugDB's read-only mode lets through while letting
every query of the library run.
"""

from __future__ import annotations

import pytest

from explorer.connection import connect, current_source
from graph.cypher_guard import SECOND_STATEMENT, is_write_refusal, refused_clauses
from graph.queries import library
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
    assert held.read_only and held.query(INTERVIEWS).scalar() == 1

    with open_store(db_path) as writer:  # an ingest while the explorer holds its connection
        load_paths(writer, STUDY[2:])
    after = current_source()
    assert after != before and after.db == str(db_path.resolve())
    assert connect(after).query(INTERVIEWS).scalar() == 3
    assert held.query(INTERVIEWS).scalar() == 1  # why the explorer reopens: a held connection keeps its snapshot
    assert current_source() == after  # nothing changed since: the same connection and cached answers


def test_the_read_only_store_refuses_writes_in_words_the_page_recognises(db_path):
    with open_store(db_path) as store:
        load_paths(store, STUDY[:2])
    with open_store(db_path, read_only=True) as store, pytest.raises(StoreError) as refusal:
        store.query("CREATE (n:Issue {id: 'x'})")
    assert is_write_refusal(str(refusal.value))
    assert not is_write_refusal("Parser exception: extraneous input 'MATC'")


@pytest.mark.parametrize(
    ("cypher", "refused"),
    [
        ("CREATE (n:X)", ["CREATE"]),
        ("MATCH (n:Issue) SET n.name = 'x'", ["SET"]),
        ("MATCH (n) DETACH DELETE n", ["DETACH", "DELETE"]),
        ("checkpoint", ["CHECKPOINT"]),
        ('EXPORT DATABASE "/tmp/out"', ["EXPORT"]),
        ("INSTALL httpfs", ["INSTALL"]),
        ('LOAD FROM "/etc/passwd" RETURN *', ["LOAD"]),
        ("MATCH (a:Issue) WITH a MERGE (a)-[:X]->(b:Issue)", ["MERGE"]),
        # Words in strings, comments, property names, labels, parameters and map keys are not clauses.
        ("MATCH (n:Issue) WHERE n.name = 'create set' // delete\nRETURN n.set, {remove: $load} AS `drop`", []),
        ("MATCH (n) /* MERGE */ RETURN n", []),
        ("MATCH (n:Issue) RETURN n.name AS set, count(*) AS load", []),
        # LadybugDB runs every statement of a query: a harmless first one must not carry a second.
        ("MATCH (n) RETURN n; CHECKPOINT", ["CHECKPOINT", SECOND_STATEMENT]),
        ("RETURN 1; RETURN 2", [SECOND_STATEMENT]),
        ("MATCH (n) WHERE n.name = 'a; b' RETURN n;", []),
    ],
)
def test_guard_refuses_clauses_outside_reading(cypher, refused):
    assert refused_clauses(cypher) == refused


def test_guard_lets_every_library_query_run():
    assert {name: refused_clauses(q.text) for name, q in library().items() if refused_clauses(q.text)} == {}
