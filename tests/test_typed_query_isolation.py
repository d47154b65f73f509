"""A query typed on the Cypher page runs in a child process: a native crash there is an error, not a dead server.

LadybugDB ends the process with a segmentation fault on some table
functions (``CALL READ_CSV_SERIAL('/etc/passwd')``, which the guard refuses
before it gets this far). Here the guard is bypassed on purpose, to show
the second line of defence holds with the real crash.
"""

from __future__ import annotations

import faulthandler
import os
import signal
import sys
import time
import types

import pytest

from explorer import data
from explorer.connection import Source
from graph.isolation import ChildCrashed, ChildTimedOut, run_isolated
from graph.store import StoreError, open_store
from tests.conftest import EXAMPLES, load_paths


def _segfault() -> None:
    faulthandler.disable()  # pytest's handler would print a traceback; a native crash says nothing
    os.kill(os.getpid(), signal.SIGSEGV)


def _sleep(seconds: float) -> str:
    time.sleep(seconds)
    return "woke"


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Source:
    path = tmp_path_factory.mktemp("typed") / "findings-db"
    with open_store(path) as store:
        load_paths(store, [EXAMPLES / "synthetic-study"])
    return Source(str(path), None, (None, None))


@pytest.mark.parametrize("start_method", ["fork", "forkserver"])
def test_a_child_that_segfaults_becomes_an_error_naming_the_signal(start_method):
    with pytest.raises(ChildCrashed, match="killed by SIGSEGV") as crashed:
        run_isolated(_segfault, start_method=start_method, timeout=60)
    assert crashed.value.how == "killed by SIGSEGV"
    assert run_isolated(_sleep, 0, start_method=start_method, timeout=60) == "woke"  # and the parent goes on


def test_a_forkserver_child_does_not_run_the_parents_main_script_again(tmp_path, monkeypatch):
    """Streamlit runs each page as ``__main__`` from its file; multiprocessing would run that file in the child."""
    script = tmp_path / "page.py"
    ran = tmp_path / "ran"
    script.write_text(f"open({str(ran)!r}, 'w').close()\n", encoding="utf-8")
    page = types.ModuleType("__main__")
    page.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", page)
    assert run_isolated(_sleep, 0, start_method="forkserver", timeout=60) == "woke"
    assert not ran.exists()
    assert sys.modules["__main__"] is page


def test_a_child_past_its_time_is_stopped():
    started = time.monotonic()
    with pytest.raises(ChildTimedOut, match="no answer within 0.5 s"):
        run_isolated(_sleep, 30, start_method="forkserver", timeout=0.5)
    assert time.monotonic() - started < 15


def test_a_typed_query_that_crashes_the_engine_is_one_clear_error(source):
    with pytest.raises(data.QueryFailed) as failed:
        data.typed_query(source, "CALL READ_CSV_SERIAL('/etc/passwd') RETURN *", {})
    assert str(failed.value) == ("the database engine crashed on this query (killed by SIGSEGV); "
                                 "the explorer is still running")
    # The next query runs as if nothing happened.
    frame = data.typed_query(source, "MATCH (i:Interview) RETURN i.name AS name ORDER BY name", {})
    assert list(frame["name"]) == ["Interview 1", "Interview 2", "Interview 3"]


def test_a_typed_query_the_database_rejects_keeps_its_message(source):
    with pytest.raises(StoreError, match="Binder exception: Table NoSuchLabel does not exist"):
        data.typed_query(source, "MATCH (n:NoSuchLabel) RETURN n", {})


def test_a_typed_query_past_its_time_is_stopped(source, monkeypatch):
    monkeypatch.setattr(data, "TYPED_QUERY_SECONDS", 0.001)
    with pytest.raises(data.QueryFailed, match="the query was stopped: no answer within 0.001 s"):
        data.typed_query(source, "MATCH (a:Excerpt), (b:Excerpt) RETURN count(*) AS pairs", {})
