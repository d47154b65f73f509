"""Batched betweenness gives networkx's numbers: exact and sampled, on graphs of every shape."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.analytics import batched_betweenness as batched
from graph.analytics.batched_betweenness import batched_betweenness, sampled_sources
from graph.analytics.centrality import compute_measures

SHAPES = {
    "karate club": nx.karate_club_graph(),
    "barbell": nx.barbell_graph(5, 3),
    "star and path, disconnected": nx.disjoint_union(nx.star_graph(4), nx.path_graph(5)),
    "grid (many equal shortest paths)": nx.convert_node_labels_to_integers(nx.grid_2d_graph(6, 7)),
    "random sparse": nx.gnm_random_graph(120, 200, seed=4),
    "isolated nodes": nx.empty_graph(5),
}


@pytest.mark.parametrize("name", SHAPES)
def test_exact_equals_networkx(name):
    graph = SHAPES[name]
    assert batched_betweenness(graph) == pytest.approx(nx.betweenness_centrality(graph), abs=1e-12)


@pytest.mark.parametrize("name", [n for n in SHAPES if SHAPES[n].number_of_nodes() > 10])
def test_sampled_equals_networkx_with_the_same_seed(name):
    graph = SHAPES[name]
    sources = sampled_sources(graph, 7, seed=3)
    assert batched_betweenness(graph, sources) == pytest.approx(
        nx.betweenness_centrality(graph, k=7, seed=3), abs=1e-12
    )


def test_sources_span_several_batches(monkeypatch):
    # A batch of 4 forces 30 sources through 8 batches, the last one short.
    monkeypatch.setattr(batched, "BATCH", 4)
    graph = nx.connected_watts_strogatz_graph(80, 4, 0.3, seed=2)
    sources = sampled_sources(graph, 30, seed=9)
    assert batched_betweenness(graph, sources) == pytest.approx(nx.betweenness_centrality(graph, k=30, seed=9))


def test_node_labels_of_any_kind():
    graph = nx.Graph([(("Issue", "a"), ("Code", "b")), (("Code", "b"), ("Excerpt", "c")), (("Excerpt", "c"), "d")])
    assert batched_betweenness(graph) == pytest.approx(nx.betweenness_centrality(graph))


def test_hop_views_ignore_weights_and_weighted_views_keep_them():
    graph = nx.Graph()
    graph.add_edge("a", "b", weight=4.0)
    graph.add_edge("b", "c", weight=4.0)
    graph.add_edge("a", "c", weight=1.0)
    # Weighted: the strong a-b-c path is shorter than the weak edge, so b lies between a and c.
    assert compute_measures(graph).values["b"]["betweenness"] == 1.0
    graph.graph["paths"] = "hops"
    # In hops a and c are neighbours: nobody lies between anybody.
    assert compute_measures(graph).values["b"]["betweenness"] == 0.0


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 40), st.integers(0, 120), st.integers(0, 10**6))
def test_random_graphs(nodes, edges, seed):
    graph = nx.gnm_random_graph(nodes, edges, seed=seed)
    assert batched_betweenness(graph) == pytest.approx(nx.betweenness_centrality(graph), abs=1e-12)
    k = max(1, nodes // 3)
    assert batched_betweenness(graph, sampled_sources(graph, k, seed)) == pytest.approx(
        nx.betweenness_centrality(graph, k=k, seed=seed), abs=1e-12, nan_ok=True
    )


@pytest.mark.parametrize("name", SHAPES)
def test_batches_deeper_than_the_limit_run_one_source_at_a_time_with_the_same_numbers(name, monkeypatch):
    # A long chain would cost a batch its depth times the graph: past MAX_LEVELS networkx walks each source.
    monkeypatch.setattr(batched, "MAX_LEVELS", 2)
    graph = SHAPES[name]
    assert batched_betweenness(graph) == pytest.approx(nx.betweenness_centrality(graph), abs=1e-12)
    if graph.number_of_nodes() > 10:
        sources = sampled_sources(graph, 7, seed=3)
        assert batched_betweenness(graph, sources) == pytest.approx(
            nx.betweenness_centrality(graph, k=7, seed=3), abs=1e-12
        )


def test_only_deep_batches_leave_the_matrices(monkeypatch):
    walked = []
    one_by_one = batched._one_by_one
    monkeypatch.setattr(batched, "_one_by_one", lambda graph, sources: walked.extend(sources) or one_by_one(graph, sources))
    chain = nx.path_graph(batched.MAX_LEVELS + 10)
    shallow = nx.star_graph(batched.MAX_LEVELS + 10)
    batched_betweenness(shallow)
    assert walked == []
    batched_betweenness(chain)
    # Sources near the middle of the chain reach both ends within the limit and stay batched.
    assert 0 < len(walked) < chain.number_of_nodes() and 0 in walked
