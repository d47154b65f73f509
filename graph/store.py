"""The store interface every backend implements, and how to open one.

A store runs parameterised Cypher and groups writes into transactions. The
only backend-specific operations are creating the schema and bulk-inserting
new rows (``COPY`` on LadybugDB, batched ``UNWIND ... CREATE`` on Neo4j); all
other Cypher is shared, so what the embedded tests exercise is what a Neo4j
deployment runs.
"""

from __future__ import annotations

import math
import shutil
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, Union

from graph.config import DEFAULT_DB, StoreTarget
from graph.errors import FindingsError

if TYPE_CHECKING:  # pandas costs a third of a second to import; only bulk loads and tables need it
    import pandas as pd

__all__ = [
    "StoreError",
    "QueryResult",
    "Rows",
    "as_records",
    "Reader",
    "Transaction",
    "GraphStore",
    "as_target",
    "open_store",
    "write_store",
    "file_identity",
    "free_space",
]

T = TypeVar("T")


class StoreError(FindingsError):
    """A database that cannot be opened or a query that fails; one clear line."""


@dataclass
class QueryResult:
    columns: list[str]
    rows: list[list[Any]]

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row)) for row in self.rows]

    def frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(self.rows, columns=self.columns)

    def scalar(self) -> Any:
        return self.rows[0][0] if self.rows else None


Rows = Union["pd.DataFrame", Sequence[Mapping[str, Any]]]


def as_records(rows: Rows, columns: list[str]) -> list[dict[str, Any]]:
    """Rows as dicts with exactly ``columns``; absent values and NaN become None."""
    if hasattr(rows, "to_dict"):  # a DataFrame
        rows = rows.to_dict("records")
    return [
        {c: (None if isinstance(v := row.get(c), float) and math.isnan(v) else v) for c in columns} for row in rows
    ]


class Reader(Protocol):
    """Anything that runs one parameterised Cypher statement: a store, or an open transaction (which sees its
    own uncommitted writes). The named reads of :mod:`graph.reads` run on either."""

    def run(self, cypher: str, params: dict[str, Any] | None = None) -> QueryResult: ...


class Transaction(ABC):
    """Writes that become visible together, or not at all."""

    @abstractmethod
    def run(self, cypher: str, params: dict[str, Any] | None = None) -> QueryResult: ...

    @abstractmethod
    def insert_nodes(self, label: str, rows: Rows) -> None:
        """Insert nodes whose keys do not exist yet; keys are the schema's columns."""

    @abstractmethod
    def insert_relationships(self, name: str, rows: Rows) -> None:
        """Insert relationships; keys ``source``, ``target`` (node ids), then properties."""


class GraphStore(ABC):
    """A property graph that answers Cypher."""

    read_only: bool
    location: str

    @abstractmethod
    def run(self, cypher: str, params: dict[str, Any] | None = None) -> QueryResult:
        """Run a read query; writes go through :meth:`transaction`, which makes them atomic."""

    @abstractmethod
    def transaction(self) -> Any:
        """Context manager yielding a :class:`Transaction`; commits on success."""

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def as_target(target: StoreTarget | str | Path | None) -> StoreTarget:
    """A resolved target as it is; a path names an embedded database (None: ``./findings-db``)."""
    if isinstance(target, StoreTarget):
        return target
    return StoreTarget(db=Path(target or DEFAULT_DB))


def open_store(target: StoreTarget | str | Path | None = None, *, read_only: bool = False) -> GraphStore:
    """Open the graph ``target`` names: a Neo4j server, or a LadybugDB file (a plain path is one).

    An embedded database opened read-only must already exist: queries against
    a path with no database are an error, not a silently created empty store.
    """
    target = as_target(target)
    if not target.embedded:
        from graph.neo4j_store import Neo4jStore

        return Neo4jStore(target.neo4j_uri, user=target.neo4j_user, password=target.neo4j_password,
                          read_only=read_only)
    from graph.ladybug_store import LadybugStore

    path = target.db
    if read_only and not path.exists():
        raise StoreError(f"{path}: no database here (run `findings ingest` first, or pass --db)")
    return LadybugStore(path, read_only=read_only)



def write_store(
    target: StoreTarget | str | Path | None,
    work: Callable[[GraphStore], T],
    *,
    while_waiting: AbstractContextManager[Any] | None = None,
) -> T:
    """``work(store)`` on the store opened for writing, and what it returns.

    On the embedded store the work runs in a child process
    (:mod:`graph.isolation`): should it die (the engine aborts on a full
    disk; the kernel kills it when memory runs out), the caller gets one
    :class:`StoreError` saying so and whether the database was left as
    before, which it is unless the death came after the new state was
    swapped in.
    """
    target = as_target(target)

    def opened() -> T:
        with open_store(target) as store:
            return work(store)

    if not target.embedded:
        return opened()
    path = target.db
    from graph.isolation import ChildCrashed, run_isolated

    before = file_identity(path)
    try:
        return run_isolated(opened, while_waiting=while_waiting)
    except ChildCrashed as exc:
        state = "as it was" if file_identity(path) == before else "holding the whole write, which finished first"
        raise StoreError(
            f"{path}: the process writing the database died ({exc.how}; {free_space(path)}); "
            f"the database is {state}"
        ) from None


def file_identity(path: Path) -> tuple[int, int, int] | None:
    """Inode, modification time and size of a file: changes whenever a write swaps in a new store."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    return info.st_ino, info.st_mtime_ns, info.st_size


def free_space(path: Path) -> str:
    """Free space on the disk holding ``path``, as a message names it."""
    folder = path.resolve().parent
    try:
        return f"{shutil.disk_usage(folder).free / 2**20:.1f} MB free in {folder}"
    except OSError:
        return f"free space in {folder} unknown"
