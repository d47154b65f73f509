"""The explorer's read-only connection to the graph, and the key its caches hang on.

`findings explore` passes the database through the environment
(``FINDINGS_DB`` or ``FINDINGS_NEO4J_URI``); this module is the explorer's
edge, where it is read, with the same resolution as the command line
(:func:`graph.config.store_target`). The explorer only ever opens it
read-only, so an ingest can run beside it.

A writer never touches the store file in place: it builds a working copy
and swaps it in with a rename (:mod:`graph.ladybug_store`). So a read-only
open always finds one complete file, and a connection held open keeps
reading the file it opened, never a later one. The explorer therefore keys
its connection on the identity of the store file (inode, modification time,
size, and those of a ``.wal`` beside it) and opens a fresh one when they
change. A store left by an older version that wrote in place can still be
found mid-checkpoint ("checkpoint recovery is pending"): :func:`connect`
retries for a few seconds before it gives up with the database's own
message.

Query results are cached on :class:`Source`, which carries that state, so a
finished ingest shows up on the next interaction without a restart.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import NamedTuple

import streamlit as st

from graph.config import StoreTarget, store_target
from graph.store import GraphStore, StoreError, file_identity, open_store

__all__ = ["RETRY_SECONDS", "NEO4J_TTL_SECONDS", "Source", "current_source", "connect"]

RETRY_SECONDS = 6.0
# Neo4j has no file to watch: its results are re-read after this many seconds.
NEO4J_TTL_SECONDS = 60


class Source(NamedTuple):
    """Which graph, and (embedded store) the state of its files; hashable, so caches key on it."""

    db: str | None
    neo4j: str | None
    stamp: tuple[tuple[int, int, int] | None, ...] | int

    @property
    def label(self) -> str:
        return f"Neo4j {self.neo4j}" if self.neo4j else f"LadybugDB {self.db}"

    @property
    def target(self) -> StoreTarget:
        """The store to open; a Neo4j server's credentials come from the environment, as on the command line."""
        return store_target(neo4j=self.neo4j) if self.neo4j else StoreTarget(db=Path(self.db or ""))


def current_source() -> Source:
    """The graph named by the environment, with the current state of its files."""
    target = store_target()
    if not target.embedded:
        return Source(None, target.neo4j_uri, int(time.time() // NEO4J_TTL_SECONDS))
    path = target.db.resolve()
    return Source(str(path), None, (file_identity(path), file_identity(Path(f"{path}.wal"))))


@st.cache_resource(max_entries=2, show_spinner=False)
def _open(source: Source) -> GraphStore:
    """A read-only store for this state of the files (one driver for Neo4j); retried while a writer checkpoints."""
    deadline = time.monotonic() + RETRY_SECONDS
    while True:
        try:
            return open_store(source.target, read_only=True)
        except StoreError:
            if source.neo4j or not Path(source.db or "").exists() or time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def connect(source: Source) -> GraphStore:
    """The store for ``source``; on failure the page shows why and stops."""
    try:
        # Neo4j's stamp only times out cached answers; its driver (a connection pool) is kept.
        return _open(source._replace(stamp=0) if source.neo4j else source)
    except StoreError as exc:
        st.error(
            f"Cannot open the graph ({source.label}): {exc}\n\n"
            "If an ingest is finishing, reload the page in a moment."
        )
        st.stop()
        raise  # st.stop() raises; this line keeps type checkers honest
