"""The issue-mitigation bipartite graph: which strategies reach which issues.

Built from the knowledge layer's ``(Mitigation)-[:ADDRESSES {interviews}]->(Issue)``
links, weighted by the number of interviews that support each link: a
strategy that several practitioners used against an issue is stronger
evidence than one mentioned once. Every Mitigation is a node (so each gets
measures); an Issue is a node when some strategy addresses it. A store
without mitigations gives an empty graph.

The knowledge layer derives ADDRESSES from the consensus copies, else the
union of coders; that selection is fixed when the links are built, so this
view cannot be re-read by another copies rule (:mod:`.selection`).
"""

from __future__ import annotations

import networkx as nx

from graph import reads
from graph.store import Reader

__all__ = ["VIEW", "mitigation_graph"]

VIEW = "mitigation"  # its name in graph.analytics.names.VIEW_REGISTRY


def mitigation_graph(source: Reader) -> nx.Graph:
    """Bipartite graph: Mitigation nodes (``bipartite=0``), Issue nodes (``bipartite=1``)."""
    graph = nx.Graph(view="mitigation", weighting="interviews", selection="the knowledge layer's links")
    for mitigation_id, name, kind in reads.mitigations(source):
        graph.add_node(("Mitigation", mitigation_id), label="Mitigation", id=mitigation_id, name=name or mitigation_id,
                       kind=kind, bipartite=0)
    for mitigation_id, issue_id, issue_name, interviews, excerpts, provenance in reads.mitigation_links(source):
        graph.add_node(("Issue", issue_id), label="Issue", id=issue_id, name=issue_name or issue_id, bipartite=1)
        graph.add_edge(
            ("Mitigation", mitigation_id),
            ("Issue", issue_id),
            weight=float(interviews or 0),
            interviews=interviews or 0,
            excerpts=excerpts or 0,
            provenance=provenance,
        )
    return graph
