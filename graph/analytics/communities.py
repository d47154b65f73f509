"""Communities: groups of nodes more tightly joined to each other than to the rest.

Louvain modularity optimisation (networkx's ``louvain_communities``), seeded
so the same graph always gives the same groups: a researcher who cites
"community 2" must find it again tomorrow. Communities are numbered by size,
largest first, ties broken by their smallest member, so the numbers do not
depend on the order Louvain happened to find them in.
"""

from __future__ import annotations

from collections.abc import Hashable

import networkx as nx


def louvain(graph: nx.Graph, *, seed: int = 0, weight: str = "weight") -> tuple[dict[Hashable, int], float | None]:
    """Community number per node, and the partition's modularity (None without edges)."""
    if graph.number_of_nodes() == 0:
        return {}, None
    groups = nx.community.louvain_communities(graph, weight=weight, seed=seed)
    ordered = sorted(groups, key=lambda group: (-len(group), min(map(repr, group))))
    membership = {node: number for number, group in enumerate(ordered) for node in group}
    quality = nx.community.modularity(graph, ordered, weight=weight) if graph.number_of_edges() else None
    return membership, quality
