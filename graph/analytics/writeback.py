"""Store the network measures in the graph, so Cypher and the explorer can use them.

:func:`refresh_analytics` runs inside every ingest's transaction (see
:func:`graph.pipeline.update_graph`), right after the knowledge layer, so a
query can sort issues by PageRank as soon as an ingest finishes:

- measures of the co-occurrence view (weighted by shared paragraphs) go onto
  ``Issue``; measures of the mitigation view go onto ``Mitigation``. Issues
  keep the co-occurrence measures only: one property cannot hold two views'
  values, and co-occurrence is the view about issues themselves;
- ``CO_OCCURS_WITH`` is rebuilt as a whole (deleted, then bulk-inserted),
  one edge per pair that shares a paragraph, from the lower issue id to the
  higher, with ``weight`` (= ``excerpts``), ``excerpts`` and ``interviews``
  (interviews in which both issues were coded). Paragraphs coded with too
  many issues to say which travel together are left out of it
  (:mod:`.cooccurrence`); ``AnalyticsReport.warnings`` names each of them,
  so every ingest says so while they are in the store.

Every Issue and every Mitigation is a node of its view, so every one of
them gets every measure and none is left with a stale value.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from graph.analytics.centrality import Measures, compute_measures
from graph.analytics.cooccurrence import cooccurrence_graph
from graph.analytics.mitigation_projection import mitigation_graph
from graph.schema import MEASURES, delete_relationships_statement, set_node_properties_statement
from graph.store import GraphStore, Transaction

__all__ = ["AnalyticsReport", "refresh_analytics", "refresh_store", "write_measures", "write_cooccurrences"]


@dataclass
class AnalyticsReport:
    issues: int
    mitigations: int
    cooccurrences: int
    betweenness: dict[str, str]  # view -> how betweenness was computed
    warnings: list[str]  # evidence left out of the stored views, with why


def refresh_analytics(tx: Transaction, *, seed: int = 0) -> AnalyticsReport:
    """Recompute the stored views' measures and write them back, inside ``tx``."""
    cooccurrence = compute_measures(cooccurrence_graph(tx), seed=seed)
    mitigation = compute_measures(mitigation_graph(tx), seed=seed)
    issues = write_measures(tx, "Issue", cooccurrence)
    mitigations = write_measures(tx, "Mitigation", mitigation)
    pairs = write_cooccurrences(tx, cooccurrence.graph)
    return AnalyticsReport(
        issues, mitigations, pairs,
        {"cooccurrence": cooccurrence.betweenness_method, "mitigation": mitigation.betweenness_method},
        [f"{where}: {why}; left out of co-occurrence (CO_OCCURS_WITH and the issues' measures)"
         for where, why in cooccurrence.graph.graph["crowded"].items()],
    )


def refresh_store(store: GraphStore, *, seed: int = 0) -> AnalyticsReport:
    """:func:`refresh_analytics` in a transaction of its own (for stores ingested earlier)."""
    with store.transaction() as tx:
        return refresh_analytics(tx, seed=seed)


def write_measures(tx: Transaction, label: str, measures: Measures) -> int:
    """Set every measure on the ``label`` nodes of ``measures``; returns how many nodes."""
    rows = [{"id": node[1], **values} for node, values in measures.values.items() if node[0] == label]
    if rows:
        tx.run(set_node_properties_statement(label, list(MEASURES)), {"rows": rows})
    return len(rows)


def write_cooccurrences(tx: Transaction, graph: nx.Graph) -> int:
    """Replace every CO_OCCURS_WITH edge with the edges of a co-occurrence view."""
    tx.run(delete_relationships_statement("CO_OCCURS_WITH"))
    rows = []
    for a, b, data in graph.edges(data=True):
        low, high = sorted((a[1], b[1]))
        rows.append({"source": low, "target": high, "weight": data["weight"], "excerpts": data["excerpts"],
                     "interviews": data["interviews"]})
    tx.insert_relationships("CO_OCCURS_WITH", sorted(rows, key=lambda row: (row["source"], row["target"])))
    return len(rows)
