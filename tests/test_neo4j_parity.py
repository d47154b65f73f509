"""Parity between the embedded store and Neo4j: same ingest, same answers.

Runs only when ``FINDINGS_NEO4J_URI`` (with ``FINDINGS_NEO4J_USER`` and
``FINDINGS_NEO4J_PASSWORD``) points at a Neo4j 5 server, e.g. the one
``docker compose up`` starts. It WIPES that database first: point it at a
scratch server. Every ``cypher/`` file runs on both backends with the example
parameters its header documents, and the rows must match.
"""

from __future__ import annotations

import math
import os

import pytest

from graph.config import store_target
from graph.export import dump_graph
from graph.queries import graph_counts, library
from graph.store import StoreError, open_store
from tests.conftest import EXAMPLES, FIXTURES, load_paths

pytestmark = pytest.mark.skipif(
    not os.environ.get("FINDINGS_NEO4J_URI"),
    reason="FINDINGS_NEO4J_URI is not set: no Neo4j server to compare with (start one with `docker compose up -d`)",
)


def sources() -> list[tuple[list, bool]]:
    batches = [([EXAMPLES / "synthetic-study"], False)]
    if (FIXTURES / "delve-pdf").exists():
        batches += [([FIXTURES / "delve-pdf" / "codings"], False), ([FIXTURES / "delve-pdf" / "consensus"], True)]
    return batches


def canonical(rows: list[list]) -> list[str]:
    """Rows as sortable text: floats rounded, list order kept (queries order their collects)."""

    def value(v):
        if isinstance(v, float):
            return None if math.isnan(v) else round(v, 6)
        if isinstance(v, list):
            return [value(x) for x in v]
        return v

    return sorted(repr([value(v) for v in row]) for row in rows)


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    embedded = open_store(tmp_path_factory.mktemp("parity") / "db")
    neo4j = open_store(store_target(neo4j=os.environ["FINDINGS_NEO4J_URI"]))
    with neo4j.transaction() as tx:
        tx.run("MATCH (n) DETACH DELETE n")
    for store in (embedded, neo4j):
        for paths, consensus in sources():
            load_paths(store, paths, consensus=consensus)
    yield embedded, neo4j
    embedded.close()
    neo4j.close()


def test_same_graph(both):
    embedded, neo4j = both
    assert graph_counts(neo4j) == graph_counts(embedded)
    assert dump_graph(neo4j).counts() == dump_graph(embedded).counts()


@pytest.mark.parametrize("name", sorted(library()))
def test_library_query_parity(both, name):
    embedded, neo4j = both
    query = library()[name]
    params = query.examples
    assert set(params) == set(query.parameters), f"cypher/{name}.cypher: document an example (e.g. ...) for every parameter"
    assert canonical(neo4j.run(query.text, params).rows) == canonical(embedded.run(query.text, params).rows)


def test_read_only_session_refuses_writes():
    with open_store(store_target(neo4j=os.environ["FINDINGS_NEO4J_URI"]), read_only=True) as store:
        with pytest.raises(StoreError):
            store.run("CREATE (n:Scratch {id: 'x'})")


def test_every_named_read_parity(both):
    """Each read of graph.reads answers the same on both backends (the arguments come from the embedded store)."""
    from graph import reads
    from tests.named_reads import read_calls, rows_of

    embedded, neo4j = both
    for name, args in read_calls(embedded):
        read = getattr(reads, name)
        assert canonical(rows_of(read(neo4j, *args))) == canonical(rows_of(read(embedded, *args))), name


@pytest.mark.parametrize("rows", ["issues", "codes", "themes"])
@pytest.mark.parametrize("columns", ["none", "coder", "role", "domain", "interview"])
def test_table_query_parity(both, rows, columns):
    """`findings table --show-query` prints one query for both backends: it gives the same figures on each."""
    from graph.analytics.selection import Copies
    from graph.analytics.tables import table_query

    embedded, neo4j = both
    for rule in ("consensus", "union", "coder:PO"):
        text, params = table_query(embedded, rows, columns, copies=Copies.parse(rule))
        assert canonical(neo4j.run(text, params).rows) == canonical(embedded.run(text, params).rows), (rule, text)


def test_stored_themes_parity(both):
    """The same themes file, stored in each backend, is read back and counted alike (last: it adds Theme nodes)."""
    from graph.analytics.selection import Copies
    from graph.analytics.tables import table_query
    from graph.themes import load_themes, store_themes

    embedded, neo4j = both
    themes = load_themes(EXAMPLES / "themes" / "study-families.yaml")
    for store in (embedded, neo4j):
        store_themes(store, themes)
    text, params = table_query(embedded, "themes", "coder", copies=Copies("union"))
    assert "Theme" in text and canonical(neo4j.run(text, params).rows) == canonical(embedded.run(text, params).rows)
