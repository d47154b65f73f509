"""Network measures: how central each node of a projection is.

- ``degree``: how many neighbours; ``weighted_degree``: the sum of edge
  weights (e.g. how many paragraphs an issue shares with others).
- ``betweenness``: how often a node lies on shortest paths between others,
  i.e. bridges between groups of issues. Weighted edges are read as
  closeness, so a path's length is the sum of ``1 / weight``. Exact below
  ``exact_limit`` nodes (cost grows with nodes times edges); above it,
  estimated from ``samples`` seeded source nodes, and the result says which.
- ``eigenvector``: central when joined to other central nodes (power
  iteration on A + I, which also converges on bipartite graphs).
- ``pagerank``: the same idea with damping 0.85, robust on disconnected graphs.
- ``community``: Louvain community number (:mod:`.communities`).

All are networkx's own implementations, normalised as networkx does, so the
numbers can be checked against networkx called directly.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import networkx as nx

from graph.analytics.communities import louvain

EXACT_LIMIT = 1000
SAMPLES = 200


@dataclass
class Measures:
    """Every measure for every node of one projection, and how betweenness was obtained."""

    graph: nx.Graph
    values: dict[Hashable, dict[str, Any]]  # node -> measure name -> value
    betweenness_method: str
    modularity: float | None

    @property
    def communities(self) -> int:
        return len({v["community"] for v in self.values.values()})

    def ranked(self, top: int | None = None) -> list[tuple[Hashable, dict[str, Any]]]:
        """Nodes by PageRank, highest first (ties by label and id, so the order is stable)."""
        order = sorted(self.values.items(), key=lambda item: (-item[1]["pagerank"], repr(item[0])))
        return order[:top] if top else order


def distance(u: Hashable, v: Hashable, data: dict[str, Any]) -> float:
    """Path length of an edge: the stronger the tie, the shorter."""
    weight = data.get("weight", 1.0)
    return 1.0 / weight if weight > 0 else float("inf")


def betweenness(
    graph: nx.Graph, *, seed: int = 0, exact_limit: int = EXACT_LIMIT, samples: int = SAMPLES
) -> tuple[dict[Hashable, float], str]:
    """Betweenness per node and a statement of how it was computed."""
    n = graph.number_of_nodes()
    if n <= exact_limit:
        return nx.betweenness_centrality(graph, weight=distance), "exact"
    values = nx.betweenness_centrality(graph, k=samples, weight=distance, seed=seed)
    return values, f"sampled: {samples} of {n} source nodes (seed {seed})"


def compute_measures(
    graph: nx.Graph, *, seed: int = 0, exact_limit: int = EXACT_LIMIT, samples: int = SAMPLES
) -> Measures:
    """Degree, weighted degree, betweenness, eigenvector, PageRank and community of every node."""
    if graph.number_of_nodes() == 0:
        return Measures(graph, {}, "exact", None)
    between, method = betweenness(graph, seed=seed, exact_limit=exact_limit, samples=samples)
    eigen = nx.eigenvector_centrality(graph, weight="weight", max_iter=1000)
    rank = nx.pagerank(graph, weight="weight")
    community, modularity = louvain(graph, seed=seed)
    weighted = dict(graph.degree(weight="weight"))
    values = {
        node: {
            "degree": degree,
            "weighted_degree": float(weighted[node]),
            "pagerank": rank[node],
            "betweenness": between[node],
            "eigenvector": eigen[node],
            "community": community[node],
        }
        for node, degree in graph.degree()
    }
    return Measures(graph, values, method, modularity)
