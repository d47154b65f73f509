"""Named points of the write path where a test can make ``findings`` die or a write fail.

Durability is tested the way databases test it: kill a real ingest at every
step (before and after the commit, the checkpoint, the swap) and check that
the store holds exactly the state before or exactly the state after. A kill
at a chosen instant needs a hook at that instant; these are they. Each point
is named once, here, in the order an ingest reaches them.

``FINDINGS_CRASH_AT=<point>`` makes the process kill itself with SIGKILL on
reaching the point (nothing runs after it: no ``finally``, no ``atexit``);
``FINDINGS_FAIL_AT=<point>`` raises the error a full disk raises there. Both
are read on every call, so a test can set them for one child process only.
"""

from __future__ import annotations

import errno
import os
import signal

__all__ = ["CRASH_AT", "FAIL_AT", "POINTS", "reach"]

CRASH_AT = "FINDINGS_CRASH_AT"
FAIL_AT = "FINDINGS_FAIL_AT"

POINTS = (
    "parsed",        # sources parsed, nothing opened yet
    "locked",        # the writer lock is held
    "copied",        # the working copy of the store is made
    "loaded",        # transcripts written, inside the transaction
    "derived",       # knowledge and measures written, before COMMIT
    "committed",     # COMMIT returned, before the checkpoint
    "checkpointed",  # the working copy is checkpointed, still open
    "closed",        # the working copy is closed: one complete file
    "verified",      # the working copy reopened read-only and counted
    "synced",        # the working copy is on disk, before the swap
    "swapped",       # the working copy has replaced the store, before the folder is synced
    "published",     # the swap is on disk
)


def reach(point: str) -> None:
    """Die or fail here if a test asked for it; otherwise do nothing."""
    if point not in POINTS:
        raise ValueError(f"unknown fault point {point!r}")
    if os.environ.get(CRASH_AT) == point:
        os.kill(os.getpid(), signal.SIGKILL)
    if os.environ.get(FAIL_AT) == point:
        raise OSError(errno.ENOSPC, f"No space left on device (simulated at {point})")
