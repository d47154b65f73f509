"""Bulk inserts keep every value exactly: missing values stay NULL, long texts stay whole, nothing crashes.

Above :data:`~graph.ladybug_store.COPY_FROM_ROWS` rows the embedded store
inserts with ``COPY ... FROM`` a table. Built as an untyped pandas frame,
a column of missing values and text was stored as the string "nan" (short
texts) or crashed the engine with a segmentation fault (texts longer than
12 bytes); these tests go through that path for every property of every
node and relationship table of the schema, with rows that mix missing,
short, long and non-ASCII values.
"""

from __future__ import annotations

import math

import pytest

from benchmarks.bench_scale import write_delve_markdown
from benchmarks.synthetic import generate_study
from graph.ladybug_store import COPY_FROM_ROWS
from graph.schema import KEY, NODES, RELATIONSHIPS
from ingest.delve_pdf import parse_delve_pdf
from tests.conftest import fixture_path, load_paths

ROWS = COPY_FROM_ROWS + 200
LONG = "a quote longer than twelve bytes, with ünïcödé and a \"quoted\" word"


def value(kind: str, i: int):
    """A value of ``kind`` for row ``i``: missing every third row, otherwise short, long or edge-case."""
    if i % 3 == 0:
        return None
    if kind == "STRING":
        return [f"s{i}", f"{LONG} #{i}", "nan", ""][i % 4]
    if kind == "INT64":
        return [i, -i, 2**62][i % 3]
    if kind == "DOUBLE":
        return [i / 7, -0.0, 1e300][i % 3]
    if kind == "BOOL":
        return i % 2 == 0
    if kind == "STRING[]":
        return [[], [f"{LONG} {i}"], ["x", None, "y"]][i % 3]
    raise AssertionError(kind)


@pytest.mark.parametrize("label", list(NODES))
def test_bulk_node_insert_keeps_every_value(store, label):
    node = NODES[label]
    rows = [{KEY: f"{label}-{i}", **{p: value(kind, i) for p, kind in node.properties.items()}} for i in range(ROWS)]
    with store.transaction() as tx:
        tx.insert_nodes(label, rows)
    props = list(node.properties)
    stored = store.run(f"MATCH (n:{label}) RETURN n.{KEY}, {', '.join(f'n.{p}' for p in props)}").rows
    by_id = {row[0]: row[1:] for row in stored}
    assert len(by_id) == ROWS
    for i in range(ROWS):
        want = [value(node.properties[p], i) for p in props]
        assert by_id[f"{label}-{i}"] == want, (label, i)


@pytest.mark.parametrize("name", list(RELATIONSHIPS))
def test_bulk_relationship_insert_keeps_every_value(store, name):
    rel = RELATIONSHIPS[name]
    with store.transaction() as tx:
        for label in {rel.source, rel.target}:
            tx.insert_nodes(label, [{KEY: f"{label}-{i}"} for i in range(ROWS)])
        tx.insert_relationships(
            name,
            [{"source": f"{rel.source}-{i}", "target": f"{rel.target}-{(i * 7) % ROWS}",
              **{p: value(kind, i) for p, kind in rel.properties.items()}} for i in range(ROWS)],
        )
    props = list(rel.properties)
    columns = "".join(f", r.{p}" for p in props)
    stored = store.run(f"MATCH (a:{rel.source})-[r:{name}]->(b:{rel.target}) RETURN a.{KEY}, b.{KEY}{columns}").rows
    assert len(stored) == ROWS
    by_source = {row[0]: row[1:] for row in stored}
    for i in range(ROWS):
        want = [f"{rel.target}-{(i * 7) % ROWS}", *(value(rel.properties[p], i) for p in props)]
        got = by_source[f"{rel.source}-{i}"]
        assert got == want and not any(isinstance(v, float) and math.isnan(v) for v in got), (name, i)


def test_one_ingest_mixing_unquoted_and_quoted_codings_keeps_every_quote(store, tmp_path):
    """Delve Markdown carries no quotes, a Delve print does: over a thousand coded pairs in one COPY."""
    study = tmp_path / "study"
    study.mkdir()
    for record in generate_study(60, seed=2):
        write_delve_markdown(record, study)
    pdf = fixture_path("delve-pdf", "codings", "2023-06-04-Interview 35 - Ilan.pdf")
    [record] = parse_delve_pdf(pdf)
    load_paths(store, [study, pdf])
    pairs = store.run("MATCH (:Excerpt)-[r:CODED_AS]->(:Code) RETURN count(r)").scalar()
    assert pairs >= COPY_FROM_ROWS
    assert store.run("MATCH (:Excerpt)-[r:CODED_AS]->(:Code) WHERE r.quote = 'nan' RETURN count(r)").scalar() == 0
    stored = store.run(
        "MATCH (t:Transcript {coder: 'Ilan'})-[:HAS_EXCERPT]->(e:Excerpt)-[r:CODED_AS]->(c:Code) "
        "RETURN e.position, c.name, r.quote"
    ).rows
    quotes = {(p.position, c.code): c.quote for p in record.paragraphs for c in p.codings}
    assert {(position, code): quote for position, code, quote in stored} == quotes
    assert any(quote and len(quote.encode()) > 12 for quote in quotes.values())
    unquoted = store.run(
        "MATCH (t:Transcript {coder: 'C1'})-[:HAS_EXCERPT]->(:Excerpt)-[r:CODED_AS]->(:Code) "
        "RETURN count(r), count(r.quote)"
    ).rows
    assert unquoted[0][0] > 0 and unquoted[0][1] == 0
