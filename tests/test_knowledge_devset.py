"""The strategies read from the development set, scored by ``graph.evaluate`` against its gold readings.

The measure is the one ``findings evaluate`` reports (recall with the quote
rule, precision of the named links on gold issues), taken on the six dev
prints with interview 35 (PO's Markdown and Ilan's print), micro-averaged.
The floors are the targets the knowledge layer is held to; the figures are
computed, never written down here. Run with ``-s`` to see them.
"""

from __future__ import annotations

import pytest

from graph.evaluate import COLUMNS, OVERALL, evaluate, load_golds, rows
from graph.store import open_store
from tests.conftest import fixture_path, load_paths

RECALL_FLOOR = 0.8
PRECISION_FLOOR = 0.75


@pytest.fixture(scope="module")
def devset(tmp_path_factory):
    sources = [
        fixture_path("delve-pdf", "dev"),
        fixture_path("delve-markdown", "Interview 35 - PO.md"),
        fixture_path("delve-pdf", "codings", "2023-06-04-Interview 35 - Ilan.pdf"),
    ]
    with open_store(tmp_path_factory.mktemp("devset") / "findings-db") as store:
        load_paths(store, sources)
        yield store


def test_strategies_reach_the_targets_on_the_dev_set(devset):
    table = rows(evaluate(devset, load_golds(fixture_path("gold"))))
    overall = dict(zip(COLUMNS, next(r for r in table if r[0] == OVERALL)))
    for row in table:
        r = dict(zip(COLUMNS, row))
        print(f"{r['interview']:14} {r['found']}/{r['gold']} found, {r['matching']}/{r['named']} named links match")
    assert overall["status"] == "7 scored"
    assert overall["recall"] >= RECALL_FLOOR, overall
    assert overall["precision"] >= PRECISION_FLOOR, overall


def test_no_placeholder_strategies(devset):
    kinds = {k for [k] in devset.run("MATCH (m:Mitigation) RETURN DISTINCT m.kind").rows}
    assert kinds <= {"catalog", "said"}
    for [name] in devset.run("MATCH (m:Mitigation) RETURN m.name").rows:
        assert not name.lower().startswith("unnamed") and len(name) <= 60, name
