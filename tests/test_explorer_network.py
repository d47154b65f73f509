"""The network drawing: offline HTML, the nodes of the view, sizes, filters and the cap.

Views and measures come from the analytics on a real store of the shipped
synthetic study; the drawing is checked by reading back the vis-network
data set it embeds.
"""

from __future__ import annotations

import json
import re

import networkx as nx
import pytest
from pyvis.network import Network

from explorer.network import (
    EDGE_CAP,
    NODE_CAP,
    cap_graph,
    central_core,
    filter_graph,
    link_key,
    network_html,
    node_key,
    offline,
)
from graph.analytics.centrality import compute_measures
from graph.analytics.views import build_view
from tests.conftest import EXAMPLES, load_paths
from tests.drawings import drawn_nodes


@pytest.fixture(scope="module")
def study_store(tmp_path_factory):
    from graph.store import open_store

    with open_store(tmp_path_factory.mktemp("study") / "findings-db") as store:
        load_paths(store, [EXAMPLES / "synthetic-study"])
        yield store


def _data_set(html: str, name: str) -> list[dict]:
    match = re.search(rf"{name} = new vis\.DataSet\((\[.*?\])\);", html, re.DOTALL)
    return json.loads(match.group(1))


def test_pyvis_links_a_cdn_even_inline_and_offline_removes_it():
    raw = Network(cdn_resources="in_line").generate_html()
    assert re.search(r'(src|href)="https://cdn\.jsdelivr\.net', raw), "pyvis's template links Bootstrap from a CDN"
    html = offline(raw)
    assert not re.search(r'(src|href)="https?://', html)
    assert "vis.Network" in html and "stabilizationIterationsDone" in html  # the library is inline, the hook added
    assert len(html) > 300_000  # vis-network's code itself, not a link to it


def test_drawing_has_every_node_and_link_of_the_view_sized_by_the_measure(study_store):
    measures = compute_measures(build_view(study_store, "cooccurrence"))
    graph = measures.graph
    assert graph.number_of_nodes() <= NODE_CAP and graph.number_of_edges() > 0
    drawing = network_html(graph, measures, size_by="degree", counts=lambda node: {"interviews": 7})
    assert drawing.message is None
    assert (drawing.nodes, drawing.edges) == (graph.number_of_nodes(), graph.number_of_edges())
    assert sorted(drawn_nodes(drawing.html)) == sorted(node_key(n) for n in graph)
    edges = _data_set(drawing.html, "edges")
    assert sorted(e["id"] for e in edges) == sorted(link_key(a, b) for a, b in graph.edges)
    nodes = {n["id"]: n for n in _data_set(drawing.html, "nodes")}
    by_degree = sorted(graph, key=lambda n: measures.values[n]["degree"])
    assert nodes[node_key(by_degree[-1])]["size"] == 46.0 and nodes[node_key(by_degree[0])]["size"] == 12.0
    name = graph.nodes[by_degree[-1]]["name"]
    assert nodes[node_key(by_degree[-1])]["title"].startswith(f"{name}\nIssue\ninterviews: 7\n")


def test_filters_drop_light_links_and_the_nodes_they_orphan_but_keep_nodes_the_view_left_alone():
    graph = nx.Graph()
    graph.add_edge(("Mitigation", "m1"), ("Issue", "a"), weight=3.0, provenance="coded")
    graph.add_edge(("Mitigation", "m2"), ("Issue", "a"), weight=1.0, provenance="inferred")
    graph.add_edge(("Mitigation", "m3"), ("Issue", "b"), weight=2.0, provenance="catalog+coded")
    graph.add_node(("Issue", "lonely"))
    heavy = filter_graph(graph, min_weight=2.0)
    assert set(heavy) == {("Mitigation", "m1"), ("Issue", "a"), ("Mitigation", "m3"), ("Issue", "b"), ("Issue", "lonely")}
    coded = filter_graph(graph, provenances=["coded"])
    assert set(coded.edges) == {(("Mitigation", "m1"), ("Issue", "a")), (("Mitigation", "m3"), ("Issue", "b"))}
    no_b = filter_graph(graph, keep_node=lambda node, _: node != ("Issue", "b"))
    assert ("Mitigation", "m3") not in no_b and ("Issue", "lonely") in no_b
    assert graph.number_of_edges() == 3  # the view itself is untouched


def test_cap_keeps_the_most_central_nodes_and_heaviest_links_and_says_so():
    graph = nx.complete_graph(8)
    graph = nx.relabel_nodes(graph, {i: ("Issue", f"i{i}") for i in graph})
    for weight, (a, b) in enumerate(sorted(graph.edges, key=repr), start=1):
        graph.edges[a, b]["weight"] = float(weight)
    score = {("Issue", f"i{i}"): float(i) for i in range(8)}
    shown, message = cap_graph(graph, score, max_nodes=5, max_edges=4)
    assert set(shown) == {("Issue", f"i{i}") for i in range(3, 8)}
    top_links = sorted(graph.subgraph(shown).edges(data="weight"), key=lambda e: -e[2])[:4]
    assert {frozenset(e[:2]) for e in top_links} == {frozenset(e) for e in shown.edges}
    assert message.startswith("Showing the 5 most central of 8 nodes that hang together and the 4 heaviest of 10 links")
    assert cap_graph(graph, score) == (graph, None) and 8 < NODE_CAP and 28 < EDGE_CAP


def test_capped_nodes_hang_together_around_the_most_central():
    # Hub a with its neighbours b and c; d and e more central than b and c but linked to nothing.
    graph = nx.Graph([("a", "b"), ("a", "c")])
    graph.add_nodes_from(["d", "e"])
    score = {"a": 10.0, "d": 9.0, "e": 8.0, "b": 5.0, "c": 4.0}
    assert central_core(graph, score, 3) == {"a", "b", "c"}
    assert central_core(graph, score, 4) == {"a", "b", "c", "d"}  # then the most central of the rest
    assert central_core(graph, score, 10) == set(graph)
