"""The embedded backend: LadybugDB, an on-disk property graph with Cypher.

Large inserts go in through ``COPY ... FROM`` a DataFrame, about ten times
faster per row than ``UNWIND ... CREATE``; but each ``COPY`` costs a fixed
~10 ms, so small inserts (an interview's few nodes) use ``UNWIND`` instead.
``COPY`` aborts the process on a duplicate primary key, so callers only ever
insert keys they have checked are new; the loader does that.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import ladybug
import pandas as pd

from graph.schema import KEY, NODES, RELATIONSHIPS, create_nodes_statement, create_relationships_statement
from graph.store import GraphStore, QueryResult, Rows, StoreError, Transaction, as_records

# Measured: COPY's fixed cost equals UNWIND ... CREATE of about a thousand rows.
COPY_FROM_ROWS = 1000


def schema_statements() -> list[str]:
    """DDL for every node and relationship table of the schema."""
    statements = []
    for node in NODES.values():
        columns = ", ".join(f"{name} {kind}" for name, kind in [(KEY, "STRING"), *node.properties.items()])
        statements.append(f"CREATE NODE TABLE IF NOT EXISTS {node.label}({columns}, PRIMARY KEY({KEY}))")
    for rel in RELATIONSHIPS.values():
        props = "".join(f", {name} {kind}" for name, kind in rel.properties.items())
        statements.append(f"CREATE REL TABLE IF NOT EXISTS {rel.name}(FROM {rel.source} TO {rel.target}{props})")
    return statements


def _plain(value: Any) -> Any:
    """Turn LadybugDB node/relationship values into plain dicts without internals."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k not in {"_ID", "_SRC", "_DST"}}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


class _LadybugTransaction(Transaction):
    def __init__(self, store: LadybugStore) -> None:
        self._store = store

    def run(self, cypher: str, params: dict[str, Any] | None = None) -> QueryResult:
        return self._store.query(cypher, params)

    def insert_nodes(self, label: str, rows: Rows) -> None:
        self._insert(label, NODES[label].columns, create_nodes_statement(label), rows)

    def insert_relationships(self, name: str, rows: Rows) -> None:
        columns = ["source", "target", *RELATIONSHIPS[name].properties]
        self._insert(name, columns, create_relationships_statement(name), rows)

    def _insert(self, table: str, columns: list[str], create: str, rows: Rows) -> None:
        records = as_records(rows, columns)
        if len(records) >= COPY_FROM_ROWS:
            self._store.query(f"COPY {table} FROM $rows", {"rows": pd.DataFrame(records, columns=columns)})
        elif records:
            self._store.query(create, {"rows": records})


class LadybugStore(GraphStore):
    """A LadybugDB database in one file on disk (``./findings-db`` by default)."""

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.location = str(path)
        self.read_only = read_only
        try:
            self._db = ladybug.Database(self.location, read_only=read_only)
            self._conn = ladybug.Connection(self._db)
        except RuntimeError as exc:
            raise StoreError(f"{self.location}: cannot open database ({_first_line(exc)})") from None
        if not read_only:
            for statement in schema_statements():
                self._conn.execute(statement)
        missing = self._missing_properties()
        if missing and read_only:
            raise StoreError(
                f"{self.location}: written by an earlier version (no {', '.join(f'{t}.{p}' for t, p, _ in missing)}); "
                f"open it once for writing to upgrade it, e.g. findings centrality --write --db {self.location}"
            )
        for label, name, kind in missing:
            # A store made by an earlier version gains the properties the schema has gained since.
            self._conn.execute(f"ALTER TABLE {label} ADD {name} {kind}")

    def _missing_properties(self) -> list[tuple[str, str, str]]:
        """(label, property, type) of every schema property the store's tables lack."""
        tables = {row[0] for row in self._conn.execute("CALL show_tables() RETURN name").get_all()}
        missing = []
        for node in NODES.values():
            if node.label not in tables:
                continue  # an empty read-only store: nothing to read, nothing to upgrade
            present = {row[1] for row in self._conn.execute(f"CALL table_info('{node.label}') RETURN *").get_all()}
            missing += [(node.label, name, kind) for name, kind in node.properties.items() if name not in present]
        return missing

    def query(self, cypher: str, params: dict[str, Any] | None = None) -> QueryResult:
        try:
            result = self._conn.execute(cypher, params or {})
        except RuntimeError as exc:
            raise StoreError(_first_line(exc)) from None
        columns = result.get_column_names()
        rows = [[_plain(v) for v in row] for row in result.get_all()]
        return QueryResult(columns, rows)

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        if self.read_only:
            raise StoreError(f"{self.location}: database is open read-only")
        self._conn.execute("BEGIN TRANSACTION")
        try:
            yield _LadybugTransaction(self)
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    def close(self) -> None:
        self._conn.close()
        self._db.close()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return " ".join(text.splitlines()[:1]) if text else type(exc).__name__
