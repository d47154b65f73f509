"""The store interface every backend implements, and how to open one.

A store runs parameterised Cypher and groups writes into transactions. The
only backend-specific operations are creating the schema and bulk-inserting
new rows (``COPY`` on LadybugDB, batched ``UNWIND ... CREATE`` on Neo4j); all
other Cypher is shared, so what the embedded tests exercise is what a Neo4j
deployment runs.
"""

from __future__ import annotations

import math
import os
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union

import pandas as pd

DEFAULT_DB = "findings-db"


class StoreError(Exception):
    """A database that cannot be opened or a query that fails; one clear line."""


@dataclass
class QueryResult:
    columns: list[str]
    rows: list[list[Any]]

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row)) for row in self.rows]

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=self.columns)

    def scalar(self) -> Any:
        return self.rows[0][0] if self.rows else None


Rows = Union[pd.DataFrame, Sequence[Mapping[str, Any]]]


def as_records(rows: Rows, columns: list[str]) -> list[dict[str, Any]]:
    """Rows as dicts with exactly ``columns``; absent values and NaN become None."""
    if isinstance(rows, pd.DataFrame):
        rows = rows.to_dict("records")
    return [
        {c: (None if isinstance(v := row.get(c), float) and math.isnan(v) else v) for c in columns} for row in rows
    ]


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
    def query(self, cypher: str, params: dict[str, Any] | None = None) -> QueryResult: ...

    @abstractmethod
    def transaction(self) -> Any:
        """Context manager yielding a :class:`Transaction`; commits on success."""

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(db: str | Path | None = None, neo4j: str | None = None, *, read_only: bool = False) -> GraphStore:
    """Open the Neo4j store when a URI is given (or in the environment), else LadybugDB.

    An embedded database opened read-only must already exist: queries against
    a path with no database are an error, not a silently created empty store.
    """
    uri = neo4j or os.environ.get("FINDINGS_NEO4J_URI")
    if uri:
        from graph.neo4j_store import Neo4jStore

        return Neo4jStore(uri, read_only=read_only)
    from graph.ladybug_store import LadybugStore

    path = Path(db or os.environ.get("FINDINGS_DB") or DEFAULT_DB)
    if read_only and not path.exists():
        raise StoreError(f"{path}: no database here (run `findings ingest` first, or pass --db)")
    return LadybugStore(path, read_only=read_only)

