"""The whole knowledge graph as one undirected network.

Every node and relationship of the model (interviews, interviewees, the
selected transcripts and their excerpts, codes, issues, mitigations,
projects) except ``CO_OCCURS_WITH``, which analytics derive from this very
graph, and suggested codes (``SUGGESTED_AS``), which nobody coded. Measures here say which elements hold the
study together: an issue
that links many interviews, codes and strategies scores higher than one
that is only frequent.

Two choices keep the network about knowledge rather than bookkeeping:
only the selected copies' excerpts take part (a paragraph coded by three
coders is one piece of evidence, not three), and an excerpt takes part only
when something links it beyond its transcript (a code, a strategy, a
project): an uncoded paragraph is a leaf that adds nodes but no paths.
Parallel relationships between two nodes collapse into one edge whose
``weight`` counts them. Paths, and so betweenness, are counted in hops: a
second relationship between two nodes says how they are linked, not that
they are closer (and hop counts let betweenness run batched, which the
whole graph of a large study needs).
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from graph import reads
from graph.analytics.selection import CONSENSUS, Copies, select
from graph.schema import NOT_EVIDENCE, RELATIONSHIPS
from graph.store import Reader

__all__ = ["VIEW", "knowledge_graph"]

VIEW = "full"  # its name in graph.analytics.names.VIEW_REGISTRY

# Derived by analytics from this graph, so not part of it; suggestions are no one's coding.
_EXCLUDED = {"CO_OCCURS_WITH", *NOT_EVIDENCE}


def _copy_column(source_label: str, target_label: str) -> str | None:
    """The column naming the transcript copy a relationship belongs to, if it belongs to one."""
    if source_label == "Excerpt":
        return "a.transcript"
    if source_label == "Transcript":
        return "a.id"
    if target_label == "Transcript":
        return "b.id"
    return None


def knowledge_graph(source: Reader, *, copies: Copies = CONSENSUS) -> nx.Graph:
    """The knowledge graph of the selected copies, nodes keyed ``(label, id)``."""
    selection = select(source, copies)
    selected = set(selection.transcript_ids)
    graph = nx.Graph(view="full", weighting="relationships", paths="hops", selection=selection.rule, left_out=selection.left_out)
    # Copies are filtered here, not with ``WHERE ... IN $ids``: LadybugDB tests IN against
    # a list parameter element by element, which grows with rows times copies.
    for rel in RELATIONSHIPS.values():
        if rel.name in _EXCLUDED or rel.target == "Excerpt":
            continue
        copy = _copy_column(rel.source, rel.target)
        for row in reads.relationship_ends(source, rel, copy):
            if not copy or row[2] in selected:
                _add(graph, (rel.source, row[0]), (rel.target, row[1]), rel.name)
    # The excerpts' own transcripts, for the excerpts linked above only.
    links = [r.name for r in RELATIONSHIPS.values() if r.source == "Excerpt" and r.name not in _EXCLUDED]
    for rel in RELATIONSHIPS.values():
        if rel.target == "Excerpt" and rel.name not in _EXCLUDED:
            for a, b in reads.linked_excerpt_ends(source, rel, links):
                if a in selected:
                    _add(graph, (rel.source, a), ("Excerpt", b), rel.name)
    _name_nodes(graph, source)
    return graph


def _add(graph: nx.Graph, a: tuple[str, str], b: tuple[str, str], relationship: str) -> None:
    if graph.has_edge(a, b):
        data = graph.edges[a, b]
        data["weight"] += 1.0
        data["relationships"] = sorted({*data["relationships"], relationship})
    else:
        graph.add_edge(a, b, weight=1.0, relationships=[relationship])


def _name_nodes(graph: nx.Graph, source: Reader) -> None:
    """Give every node ``label``, ``id`` and ``name`` (the id where the label has no name)."""
    by_label: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for node in graph.nodes:
        by_label[node[0]].append(node)
    for label, nodes in by_label.items():
        names = reads.node_names(source, label)
        for node in nodes:
            graph.nodes[node].update(label=label, id=node[1], name=names.get(node[1]) or node[1])
