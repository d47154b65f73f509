"""Run work that touches the database engine in a child process, so a native crash ends the child only.

LadybugDB is a C++ library inside the Python process. Some of its failures
are not exceptions: measured on ladybug 0.22, a write-ahead log that cannot
be written on a full disk makes it call ``std::terminate`` (SIGABRT), and a
few table functions and bulk inserts of malformed columns end in a
segmentation fault. In-process, either would end ``findings`` without a word,
or take the explorer's server and every open page down with it. Work run
through :func:`run_isolated` meets those crashes in a child; the parent gets
:class:`ChildCrashed` and can say, in one line, what happened.

Two ways to start the child: ``fork`` (the default) shares the parent's
memory copy-on-write, so an ingest's parsed records reach the writer without
being pickled; ``forkserver`` forks from a clean single-threaded server and
is the safe choice inside a multi-threaded process such as Streamlit's. The
work then travels by name, so it must be importable; and the child does not
run the parent's ``__main__`` script first, as multiprocessing would: under
Streamlit that is the page being shown (measured: the explorer's app.py
ran again in every child, and failed there when the environment differed).
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import types
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from multiprocessing.connection import Connection
from typing import Any, TypeVar

__all__ = ["PR_SET_PDEATHSIG", "ChildCrashed", "ChildTimedOut", "run_isolated"]

T = TypeVar("T")

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


class ChildCrashed(Exception):
    """The child ended without an answer: killed by a signal, or it exited on its own."""

    def __init__(self, how: str) -> None:
        super().__init__(how)
        self.how = how


class ChildTimedOut(Exception):
    """The child had no answer within the time allowed and was stopped."""


def _die_with_parent(parent: int | None) -> None:
    """Have the kernel kill this child when its parent dies (Linux), so killing a command kills its work.

    Without it, a writer whose command was killed would go on and finish
    the write unseen, holding the store's lock meanwhile. ``parent`` is the
    pid a forked child expects as its parent; a forkserver's child has the
    server as parent, which dies with the process that started it.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return  # not Linux: the child outlives a killed parent and finishes its work
    if parent is not None and os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _answer(channel: Connection, work: Callable[..., Any], args: tuple[Any, ...], parent: int | None) -> None:
    _die_with_parent(parent)
    try:
        outcome: tuple[str, Any] = ("ok", work(*args))
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent, which re-raises it there
        outcome = ("error", exc)
    try:
        channel.send(outcome)
    except Exception as exc:  # noqa: BLE001 - an answer or exception that cannot be pickled reaches the parent as text
        channel.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
    channel.close()


def _how_it_ended(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            return f"killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"killed by signal {-exitcode}"
    return f"exited with status {exitcode} without an answer"


_MAIN_SWAP = threading.Lock()


@contextmanager
def _main_left_behind(start_method: str) -> Iterator[None]:
    """While a non-fork child starts, hide a ``__main__`` that is only a file (a script, a Streamlit page).

    multiprocessing tells such a child to run that file before the work; a ``__main__`` run as a module
    (``python -m graph.cli``) is imported by name and needs no hiding.
    """
    main = sys.modules["__main__"]
    if start_method == "fork" or getattr(getattr(main, "__spec__", None), "name", None) is not None:
        yield
        return
    with _MAIN_SWAP:
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            yield
        finally:
            sys.modules["__main__"] = main


def run_isolated(
    work: Callable[..., T],
    *args: Any,
    start_method: str = "fork",
    timeout: float | None = None,
    while_waiting: AbstractContextManager[Any] | None = None,
) -> T:
    """``work(*args)`` in a child process: its result, or its exception raised here.

    Raises :class:`ChildCrashed` when the child dies without answering and
    :class:`ChildTimedOut` (after killing it) when ``timeout`` seconds pass.
    ``while_waiting`` (a spinner, say) is entered only once the child runs,
    so no thread of it is forked. A Ctrl-C reaches the child too (same
    process group); the parent waits for it to finish rolling back before
    the interrupt goes on.
    """
    context = multiprocessing.get_context(start_method)
    receiver, sender = context.Pipe(duplex=False)
    parent = os.getpid() if start_method == "fork" else None
    child = context.Process(target=_answer, args=(sender, work, args, parent), daemon=True)
    with _main_left_behind(start_method):
        child.start()
    sender.close()
    try:
        # Read before joining: a large answer fills the pipe, and the child exits only once it is read.
        with while_waiting or contextlib.nullcontext():
            answered = receiver.poll(timeout)
        if not answered:
            child.kill()
            child.join()
            raise ChildTimedOut(f"no answer within {timeout:g} s")
        try:
            kind, value = receiver.recv()
        except EOFError:
            child.join()
            raise ChildCrashed(_how_it_ended(child.exitcode)) from None
    except KeyboardInterrupt:
        child.join(timeout=60)
        raise
    finally:
        receiver.close()
    child.join()
    if kind == "error":
        raise value
    return value
