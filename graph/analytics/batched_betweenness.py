"""Betweenness of an unweighted graph from many sources at once, with sparse matrices.

networkx's ``betweenness_centrality`` runs Brandes' algorithm one source at a
time in Python: on the whole knowledge graph of a 10,000-interview study
(about 250,000 nodes) each source costs seconds, and even a 200-source
sample takes many minutes. This module runs the same algorithm for a batch
of sources together, one sparse matrix product per breadth-first level:

- forward: ``sigma`` (nodes x sources) counts shortest paths from each
  source; the next level's counts are ``A @ frontier`` on the nodes not yet
  reached, exactly Brandes' ``sigma[w] += sigma[v]`` over the BFS edges;
- backward: from the deepest level up, every node ``v`` one level above
  ``w`` receives ``sigma[v] / sigma[w] * (1 + delta[w])``, again one product
  with ``A`` restricted to the two levels.

The sources are chosen as networkx chooses them for the same ``k`` and
``seed``, and the sums are rescaled by networkx's own rescaling, so the
result equals ``nx.betweenness_centrality(G, k=k, seed=seed)`` up to
floating-point rounding (the tests compare the two). Weighted graphs stay
with networkx: Dijkstra's order does not batch.

Each level costs work on whole (nodes x batch) arrays, however few nodes it
reaches, so a batch costs its depth times the graph. Knowledge graphs are a
few hops across, but a long chain (paragraph after paragraph each sharing an
issue with the next) is thousands of levels deep, which makes the batch
quadratic in the nodes. A batch still going after ``MAX_LEVELS`` levels is
given up and its sources are run one at a time by networkx's own
breadth-first search and accumulation, which costs only the edges walked.
"""

from __future__ import annotations

import random
from collections.abc import Hashable, Sequence

import networkx as nx
import numpy as np

# networkx's own normalisation (including its correction for sampled sources) and its own
# one-source search, so the numbers are networkx's by construction rather than by a copied formula.
from networkx.algorithms.centrality.betweenness import (
    _accumulate_basic,
    _rescale,
    _single_source_shortest_path_basic,
)

__all__ = ["BATCH", "MAX_LEVELS", "sampled_sources", "batched_betweenness"]

# Sources per batch: the dense (nodes x batch) arrays of a 250,000-node graph stay near 60 MB each.
BATCH = 32
# Past this depth one source at a time is cheaper: measured on chains, one batched level
# costs about a five-hundredth of networkx's search from every source of the batch.
MAX_LEVELS = 500


def sampled_sources(graph: nx.Graph, k: int, seed: int) -> list[Hashable]:
    """The ``k`` sources ``nx.betweenness_centrality(graph, k=k, seed=seed)`` would use."""
    return random.Random(seed).sample(list(graph.nodes()), k)


def batched_betweenness(graph: nx.Graph, sources: Sequence[Hashable] | None = None) -> dict[Hashable, float]:
    """Normalised betweenness of an undirected graph, hop distances, from ``sources`` (all nodes if None)."""
    nodes = list(graph)
    n = len(nodes)
    if n == 0:
        return {}
    index = {node: i for i, node in enumerate(nodes)}
    adjacency = nx.to_scipy_sparse_array(graph, nodelist=nodes, weight=None, format="csr").astype(np.float64)
    chosen = nodes if sources is None else list(sources)
    totals = np.zeros(n)
    for start in range(0, len(chosen), BATCH):
        batch = chosen[start:start + BATCH]
        dependencies = _batch_dependencies(adjacency, [index[s] for s in batch])
        totals += _one_by_one(graph, batch) if dependencies is None else dependencies
    raw = dict(zip(nodes, totals.tolist()))
    return _rescale(
        raw, n, normalized=True, directed=False, endpoints=False,
        sampled_nodes=None if sources is None or len(chosen) == n else chosen,
    )


def _one_by_one(graph: nx.Graph, sources: Sequence[Hashable]) -> np.ndarray:
    """Brandes' dependencies summed over ``sources`` by networkx itself, in the order of ``graph``'s nodes."""
    totals = dict.fromkeys(graph, 0.0)
    for source in sources:
        order, predecessors, sigma, _ = _single_source_shortest_path_basic(graph, source)
        totals, _ = _accumulate_basic(totals, order, predecessors, sigma, source)
    return np.fromiter(totals.values(), dtype=float, count=len(totals))


def _batch_dependencies(adjacency, sources: list[int]) -> np.ndarray | None:
    """Brandes' dependencies summed over ``sources``, one column per source, sources excluded.

    None when the search goes deeper than ``MAX_LEVELS``.
    """
    n, b = adjacency.shape[0], len(sources)
    columns = np.arange(b)
    sigma = np.zeros((n, b))
    sigma[sources, columns] = 1.0
    depth = np.full((n, b), -1, dtype=np.int32)
    depth[sources, columns] = 0
    frontier = sigma.copy()
    level = 0
    while True:
        reached = adjacency @ frontier
        reached[depth >= 0] = 0.0
        new = reached > 0
        if not new.any():
            break
        level += 1
        if level > MAX_LEVELS:
            return None
        depth[new] = level
        sigma += reached
        frontier = reached
    delta = np.zeros((n, b))
    with np.errstate(divide="ignore", invalid="ignore"):
        for d in range(level, 0, -1):
            # Each node w at depth d hands (1 + delta[w]) / sigma[w] to its predecessors at depth d - 1.
            share = np.where(depth == d, (1.0 + delta) / sigma, 0.0)
            pulled = adjacency @ share
            above = depth == d - 1
            delta[above] += sigma[above] * pulled[above]
    delta[sources, columns] = 0.0  # a source is not between itself and others
    return delta.sum(axis=1)
