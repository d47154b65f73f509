"""A query typed on the Cypher page runs in a child process: a native crash there is an error, not a dead server.

LadybugDB ends the process with a segmentation fault on some table
functions (``CALL READ_CSV_SERIAL('/etc/passwd')``, which the guard refuses
before it gets this far). Here the guard is bypassed on purpose, to show
the second line of defence holds with the real crash.
"""

from __future__ import annotations

import pytest

from explorer import data
from explorer.connection import Source
from graph.store import StoreError, open_store
from tests.conftest import EXAMPLES, load_paths


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Source:
    path = tmp_path_factory.mktemp("typed") / "findings-db"
    with open_store(path) as store:
        load_paths(store, [EXAMPLES / "synthetic-study"])
    return Source(str(path), None, (None, None))


def test_a_typed_query_that_crashes_the_engine_is_one_clear_error(source):
    with pytest.raises(data.QueryFailed) as failed:
        data.typed_query(source, "CALL READ_CSV_SERIAL('/etc/passwd') RETURN *", {})
    assert str(failed.value) == ("the database engine crashed on this query (killed by SIGSEGV); "
                                 "the explorer is still running")
    # The next query runs as if nothing happened.
    frame = data.typed_query(source, "MATCH (i:Interview) RETURN i.name AS name ORDER BY name", {})
    assert list(frame["name"]) == sorted({f.name.split(" - ")[0] for f in (EXAMPLES / "synthetic-study").glob("*.md")})


def test_a_typed_query_the_database_rejects_keeps_its_message(source):
    with pytest.raises(StoreError, match="Binder exception: Table NoSuchLabel does not exist"):
        data.typed_query(source, "MATCH (n:NoSuchLabel) RETURN n", {})


def test_a_typed_query_past_its_time_is_stopped(source, monkeypatch):
    monkeypatch.setattr(data, "TYPED_QUERY_SECONDS", 0.001)
    with pytest.raises(data.QueryFailed, match="the query was stopped: no answer within 0.001 s"):
        data.typed_query(source, "MATCH (a:Excerpt), (b:Excerpt) RETURN count(*) AS pairs", {})
