"""The shared-server backend: Neo4j 5 through the official driver.

Kept thin on purpose: it runs the same Cypher as the embedded store. The
only differences live here: uniqueness constraints instead of table DDL, and
bulk inserts always as batched ``UNWIND ... CREATE`` because Neo4j has no
``COPY``.
Credentials come from ``FINDINGS_NEO4J_USER`` / ``FINDINGS_NEO4J_PASSWORD``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from graph.schema import KEY, NODES, RELATIONSHIPS, create_nodes_statement, create_relationships_statement
from graph.store import GraphStore, QueryResult, Rows, StoreError, Transaction, as_records

__all__ = ["BATCH", "schema_statements", "Neo4jStore"]

BATCH = 5000


def schema_statements() -> list[str]:
    """A uniqueness constraint (which is also an index) on every node key."""
    return [
        f"CREATE CONSTRAINT {node.label.lower()}_{KEY} IF NOT EXISTS FOR (n:{node.label}) REQUIRE n.{KEY} IS UNIQUE"
        for node in NODES.values()
    ]


def _plain(value: Any) -> Any:
    import neo4j.graph

    if isinstance(value, (neo4j.graph.Node, neo4j.graph.Relationship)):
        return dict(value.items())
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _result(result: Any) -> QueryResult:
    columns = list(result.keys())
    return QueryResult(columns, [[_plain(v) for v in record.values()] for record in result])


class _Neo4jTransaction(Transaction):
    def __init__(self, tx: Any) -> None:
        self._tx = tx

    def run(self, cypher: str, params: dict[str, Any] | None = None) -> QueryResult:
        try:
            return _result(self._tx.run(cypher, params or {}))
        except Exception as exc:  # noqa: BLE001 - driver and server errors alike carry the message to show
            raise StoreError(str(getattr(exc, "message", exc))) from None

    def insert_nodes(self, label: str, rows: Rows) -> None:
        self._insert(create_nodes_statement(label), as_records(rows, NODES[label].columns))

    def insert_relationships(self, name: str, rows: Rows) -> None:
        columns = ["source", "target", *RELATIONSHIPS[name].properties]
        self._insert(create_relationships_statement(name), as_records(rows, columns))

    def _insert(self, statement: str, records: list[dict[str, Any]]) -> None:
        for start in range(0, len(records), BATCH):
            self.run(statement, {"rows": records[start : start + BATCH]})


class Neo4jStore(GraphStore):
    def __init__(self, uri: str, *, user: str = "neo4j", password: str | None = None, read_only: bool = False) -> None:
        import neo4j

        self.location = uri
        self.read_only = read_only
        if password is None:
            raise StoreError(f"{uri}: set FINDINGS_NEO4J_PASSWORD (and FINDINGS_NEO4J_USER) in the environment")
        try:
            self._driver = neo4j.GraphDatabase.driver(uri, auth=(user, password))
            self._driver.verify_connectivity()
        except Exception as exc:  # noqa: BLE001 - whatever stops the connection is said in one line
            raise StoreError(f"{uri}: cannot connect to Neo4j ({exc})") from None
        self._access = neo4j.READ_ACCESS if read_only else neo4j.WRITE_ACCESS
        if not read_only:
            with self._driver.session() as session:
                for statement in schema_statements():
                    session.run(statement).consume()

    def run(self, cypher: str, params: dict[str, Any] | None = None) -> QueryResult:
        with self._driver.session(default_access_mode=self._access) as session:
            if self.read_only:
                return session.execute_read(lambda tx: _Neo4jTransaction(tx).run(cypher, params))
            return _Neo4jTransaction(session).run(cypher, params)

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        if self.read_only:
            raise StoreError(f"{self.location}: store is open read-only")
        with self._driver.session() as session, session.begin_transaction() as tx:
            yield _Neo4jTransaction(tx)
            tx.commit()

    def close(self) -> None:
        self._driver.close()
