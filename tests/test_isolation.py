"""Work run in a child process: its answer, its exception, or one clear error when it dies or hangs."""

from __future__ import annotations

import faulthandler
import os
import signal
import sys
import time
import types

import pytest

from graph.isolation import ChildCrashed, ChildTimedOut, run_isolated

START_METHODS = ["fork", "forkserver"]


def rows(n: int) -> list[list[int]]:
    return [[i, i * i] for i in range(n)]


def refuse() -> None:
    raise ValueError("refused in the child")


def segfault() -> None:
    faulthandler.disable()  # pytest's traceback dump of the dying child is noise here
    os.kill(os.getpid(), signal.SIGSEGV)


def abort() -> None:
    faulthandler.disable()
    os.abort()


def hang() -> None:
    time.sleep(60)


@pytest.mark.parametrize("start_method", START_METHODS)
def test_answer_comes_back_whole_even_when_large(start_method):
    assert run_isolated(rows, 3, start_method=start_method) == [[0, 0], [1, 1], [2, 4]]
    # Larger than a pipe's buffer: read before the child is joined, or both wait for ever.
    assert len(run_isolated(rows, 200_000, start_method=start_method)) == 200_000


@pytest.mark.parametrize("start_method", START_METHODS)
def test_exception_is_raised_in_the_parent(start_method):
    with pytest.raises(ValueError, match="refused in the child"):
        run_isolated(refuse, start_method=start_method)


@pytest.mark.parametrize("start_method", START_METHODS)
@pytest.mark.parametrize(("work", "how"), [(segfault, "killed by SIGSEGV"), (abort, "killed by SIGABRT")])
def test_native_crash_ends_the_child_only(start_method, work, how):
    with pytest.raises(ChildCrashed, match=how):
        run_isolated(work, start_method=start_method)
    assert run_isolated(rows, 1, start_method=start_method) == [[0, 0]]  # and the parent goes on


def test_a_hanging_child_is_stopped():
    started = time.monotonic()
    with pytest.raises(ChildTimedOut, match="no answer within 0.5 s"):
        run_isolated(hang, timeout=0.5)
    assert time.monotonic() - started < 30


def test_a_forkserver_child_does_not_run_the_parents_main_script_again(tmp_path, monkeypatch):
    """Streamlit runs each page as ``__main__`` from its file; multiprocessing would run that file in the child."""
    script = tmp_path / "page.py"
    ran = tmp_path / "ran"
    script.write_text(f"open({str(ran)!r}, 'w').close()\n", encoding="utf-8")
    page = types.ModuleType("__main__")
    page.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", page)
    assert run_isolated(rows, 1, start_method="forkserver", timeout=60) == [[0, 0]]
    assert not ran.exists()
    assert sys.modules["__main__"] is page
