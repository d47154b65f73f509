"""Projections and network measures: checked against networkx called directly and against counts made by hand."""

from __future__ import annotations

import json
import random

import networkx as nx
import pytest

from benchmarks.synthetic import generate_study
from graph.analytics.centrality import canonical, compute_measures, distance
from graph.analytics.communities import communities, louvain
from graph.analytics.cooccurrence import cooccurrence_graph
from graph.analytics.interviewee_projection import interviewee_graph
from graph.analytics.knowledge_projection import knowledge_graph
from graph.analytics.mitigation_projection import mitigation_graph
from graph.analytics.selection import Copies, select
from graph.analytics.views import build_view
from graph.analytics.writeback import refresh_store
from graph.codebook import load_codebook
from graph.knowledge import load_catalog
from graph.pipeline import update_graph
from graph.schema import MEASURES
from graph.store import open_store
from tests.conftest import run_cli
from tests.handmade import load

# Interview 1: two coders, no consensus -> union by paragraph position.
# Interview 2: a coded consensus copy -> only it is read (Ana's copy would add noisy-label+robustness).
# Interview 3: an uncoded consensus print -> Ana's coded copy is read.
# Interview 10: one coder; sorts after 3 by number.
STUDY = {
    ("Interview 1", "Ana"): ["", "QM-robustness Data-noisy-labels", "QM-robustness", "Data-missing-values"],
    ("Interview 1", "Ben"): ["", "QM-robustness Data-noisy-labels", "Data-missing-values QM-robustness", ""],
    ("Interview 2", "Ana"): ["QM-robustness Data-noisy-labels Data-missing-value", "", ""],
    ("Interview 2", "Mod"): ["", "Data-missing-value QM-efficiency", "QM-efficiency"],
    ("Interview 3", "Ana"): ["QM-efficiency", "Q1"],
    ("Interview 3", "Mod"): ["", ""],
    ("Interview 10", "Ana"): ["QM-robustness Data-noisy-labels", "ME-overfitting"],
}
ISSUES = ["data-missing-value", "data-noisy-label", "me-overfitting", "qm-efficiency", "qm-robustness"]
# (a, b): (paragraphs shared, interviews shared), counted on paper from STUDY.
PAIRS = {
    ("data-noisy-label", "qm-robustness"): (2, 2),
    ("data-missing-value", "qm-robustness"): (1, 1),
    ("data-missing-value", "qm-efficiency"): (1, 1),
    ("data-missing-value", "data-noisy-label"): (0, 1),
    ("data-noisy-label", "me-overfitting"): (0, 1),
    ("me-overfitting", "qm-robustness"): (0, 1),
}


@pytest.fixture
def study(store):
    load(store, STUDY, consensus={"Mod"})
    return store


def edges(graph: nx.Graph) -> dict[tuple[str, str], tuple[int, int]]:
    return {tuple(sorted((a[1], b[1]))): (d["excerpts"], d["interviews"]) for a, b, d in graph.edges(data=True)}


def hand_graph() -> nx.Graph:
    graph = nx.Graph()
    graph.add_edge("a", "b", weight=3.0)
    graph.add_edge("b", "c", weight=2.0)
    graph.add_edge("c", "a", weight=2.0)
    graph.add_edge("c", "d", weight=1.0)
    graph.add_edge("d", "e", weight=2.0)
    graph.add_edge("e", "f", weight=4.0)
    graph.add_edge("f", "d", weight=2.0)
    graph.add_node("g")
    return graph


def test_measures_match_networkx_on_a_hand_made_graph():
    graph = hand_graph()
    measures = compute_measures(graph, seed=7)
    assert measures.betweenness_method == "exact"
    pagerank = nx.pagerank(graph, weight="weight")
    eigen = nx.eigenvector_centrality(graph, weight="weight", max_iter=1000)
    between = nx.betweenness_centrality(graph, weight=lambda u, v, d: 1 / d["weight"])
    for node, values in measures.values.items():
        assert set(values) == set(MEASURES)
        assert values["degree"] == graph.degree(node)
        assert values["weighted_degree"] == graph.degree(node, weight="weight")
        assert values["pagerank"] == pytest.approx(pagerank[node])
        assert values["eigenvector"] == pytest.approx(eigen[node])
        assert values["betweenness"] == pytest.approx(between[node])
    # c and d join the two triangles: every path between them runs through both.
    assert measures.values["c"]["betweenness"] == measures.values["d"]["betweenness"] == max(between.values())
    assert measures.values["g"]["degree"] == 0
    # Louvain finds the two triangles, and the isolated node alone.
    groups = {frozenset(n for n, v in measures.values.items() if v["community"] == c) for c in range(3)}
    assert groups == {frozenset("abc"), frozenset("def"), frozenset("g")}
    assert measures.values["g"]["community"] == 2  # numbered by size, largest first
    partition = nx.community.louvain_communities(canonical(graph), weight="weight", seed=7)
    assert sorted(map(sorted, partition)) == sorted(map(sorted, groups))


def test_weighted_betweenness_prefers_strong_ties():
    # a-b-c strongly tied, a-c weakly: the path through b is shorter than the direct edge.
    graph = nx.Graph()
    graph.add_edge("a", "b", weight=4.0)
    graph.add_edge("b", "c", weight=4.0)
    graph.add_edge("a", "c", weight=1.0)
    assert distance("a", "b", graph.edges["a", "b"]) == 0.25
    assert compute_measures(graph).values["b"]["betweenness"] == 1.0


def test_betweenness_is_sampled_above_the_limit_and_says_so():
    graph = nx.connected_watts_strogatz_graph(60, 4, 0.2, seed=3)
    nx.set_edge_attributes(graph, 1.0, "weight")
    measures = compute_measures(graph, seed=5, exact_limit=50, samples=20)
    assert measures.betweenness_method == "sampled: 20 of 60 source nodes (seed 5)"
    expected = nx.betweenness_centrality(canonical(graph), k=20, weight=distance, seed=5)
    assert {n: v["betweenness"] for n, v in measures.values.items()} == pytest.approx(expected)
    assert compute_measures(graph, seed=5, exact_limit=60).betweenness_method == "exact"


def test_measures_do_not_depend_on_the_order_nodes_were_added_in():
    graph = nx.connected_watts_strogatz_graph(70, 4, 0.3, seed=1)
    for a, b in graph.edges:
        graph.edges[a, b]["weight"] = 1.0 + (a * b) % 3
    shuffled = nx.Graph()
    order = list(graph.nodes(data=True))
    random.Random(4).shuffle(order)
    shuffled.add_nodes_from(order)
    edges = list(graph.edges(data=True))
    random.Random(5).shuffle(edges)
    shuffled.add_edges_from((b, a, d) for a, b, d in edges)
    first = compute_measures(graph, seed=2, exact_limit=50, samples=15)
    second = compute_measures(shuffled, seed=2, exact_limit=50, samples=15)
    assert first.betweenness_method.startswith("sampled")
    assert second.values == first.values


def test_louvain_is_seeded_and_repeats():
    graph = nx.karate_club_graph()
    first, quality = louvain(graph, seed=11)
    assert louvain(graph, seed=11) == (first, quality)
    sizes = [sum(1 for c in first.values() if c == number) for number in range(max(first.values()) + 1)]
    assert sizes == sorted(sizes, reverse=True)
    assert quality == pytest.approx(
        nx.community.modularity(graph, nx.community.louvain_communities(graph, seed=11), weight="weight")
    )


def test_very_large_graphs_get_label_propagation_and_say_so():
    graph = nx.connected_caveman_graph(8, 6)  # 8 cliques of 6, joined in a ring
    membership, quality, method = communities(graph, seed=3, louvain_limit=47)
    assert method == "label propagation (above 47 nodes, seed 3)"
    expected = list(nx.community.fast_label_propagation_communities(graph, seed=3))
    assert len(set(membership.values())) == len(expected)
    assert quality == pytest.approx(nx.community.modularity(graph, expected))
    assert communities(graph, seed=3, louvain_limit=47) == (membership, quality, method)
    assert communities(graph, seed=3, louvain_limit=48)[2] == "louvain"
    assert communities(graph, seed=3, louvain_limit=48)[:2] == louvain(graph, seed=3)


def test_empty_graph_has_no_measures():
    measures = compute_measures(nx.Graph())
    assert measures.values == {} and measures.ranked() == []


def test_selection_reads_consensus_else_union_else_named_coder(study):
    default = select(study)
    assert default.transcripts == {
        "interview-1": ["interview-1/ana", "interview-1/ben"],
        "interview-10": ["interview-10/ana"],
        "interview-2": ["interview-2/mod"],
        "interview-3": ["interview-3/ana"],
    }
    ben = select(study, Copies("coder", "ben"))
    assert ben.transcripts == {"interview-1": ["interview-1/ben"]}
    assert ben.left_out == {"interview-10": "not coded by ben", "interview-2": "not coded by ben",
                            "interview-3": "not coded by ben"}
    assert select(study, Copies("coder", "Mod")).left_out == {
        "interview-1": "not coded by Mod", "interview-10": "not coded by Mod", "interview-3": "Mod's copy is uncoded",
    }


def test_cooccurrence_counts_paragraphs_and_interviews(study):
    by_excerpt = cooccurrence_graph(study)
    assert sorted(n[1] for n in by_excerpt.nodes) == ISSUES  # every issue, joined or not
    assert edges(by_excerpt) == {pair: counts for pair, counts in PAIRS.items() if counts[0]}
    assert all(d["weight"] == d["excerpts"] for _, _, d in by_excerpt.edges(data=True))
    by_interview = cooccurrence_graph(study, weighting="interviews")
    assert edges(by_interview) == PAIRS
    assert all(d["weight"] == d["interviews"] for _, _, d in by_interview.edges(data=True))
    # Ana alone: interview 2's first paragraph now counts, interview 1 loses Ben's paragraph 2.
    ana = edges(cooccurrence_graph(study, copies=Copies("coder", "Ana")))
    assert ana == {
        ("data-noisy-label", "qm-robustness"): (3, 3),
        ("data-missing-value", "qm-robustness"): (1, 2),
        ("data-missing-value", "data-noisy-label"): (1, 2),
    }
    with pytest.raises(ValueError):
        cooccurrence_graph(study, weighting="sentences")


def test_ingest_writes_measures_and_cooccurrence_back(study):
    expected = nx.Graph()
    expected.add_nodes_from(ISSUES)
    for (a, b), (shared, _) in PAIRS.items():
        if shared:
            expected.add_edge(a, b, weight=float(shared))
    pagerank = nx.pagerank(expected, weight="weight")
    stored = study.run("MATCH (i:Issue) RETURN i.id, i.name, i.pagerank ORDER BY i.pagerank DESC LIMIT 5").rows
    assert [row[0] for row in stored] == sorted(pagerank, key=lambda n: (-pagerank[n], n))
    assert {row[0]: row[2] for row in stored} == pytest.approx(pagerank)
    [[name]] = study.run("MATCH (i:Issue {id: 'qm-robustness'}) RETURN i.name").rows
    assert stored[0][:2] == ["qm-robustness", name]
    rows = study.run(
        "MATCH (a:Issue)-[r:CO_OCCURS_WITH]->(b:Issue) RETURN a.id, b.id, r.weight, r.excerpts, r.interviews"
    ).rows
    assert {(a, b): (w, e, i) for a, b, w, e, i in rows} == {
        pair: (float(e), e, i) for pair, (e, i) in PAIRS.items() if e
    }
    every = study.run(
        "MATCH (i:Issue) RETURN count(i), count(i.degree), count(i.betweenness), count(i.eigenvector), "
        "count(i.community), count(i.weighted_degree)"
    ).rows[0]
    assert every == [len(ISSUES)] * 6


def test_writeback_follows_the_data(study):
    # Ben re-codes interview 1 without noisy labels: the stored edge weight drops with it.
    changed = {key: codes for key, codes in STUDY.items() if key[0] == "Interview 1"}
    changed[("Interview 1", "Ana")] = ["", "QM-robustness", "QM-robustness", "Data-missing-values"]
    changed[("Interview 1", "Ben")] = ["", "QM-robustness", "QM-robustness", ""]
    load(study, changed)
    [[weight, interviews]] = study.run(
        "MATCH (:Issue {id: 'data-noisy-label'})-[r:CO_OCCURS_WITH]->(:Issue {id: 'qm-robustness'}) "
        "RETURN r.weight, r.interviews"
    ).rows
    assert (weight, interviews) == (1.0, 1)  # interview 10 only


def test_interviewee_projection_weights_by_paragraphs(study):
    graph = interviewee_graph(study)
    assert graph.edges[("Interviewee", "interviewee-interview-1"), ("Issue", "qm-robustness")]["weight"] == 2.0
    assert graph.edges[("Interviewee", "interviewee-interview-2"), ("Issue", "qm-efficiency")]["weight"] == 2.0
    assert not graph.has_edge(("Interviewee", "interviewee-interview-2"), ("Issue", "qm-robustness"))
    assert {n for n, d in graph.nodes(data=True) if d["bipartite"] == 0} == {
        ("Interviewee", f"interviewee-interview-{n}") for n in (1, 2, 3, 10)
    }
    assert nx.is_bipartite(graph)


def test_full_projection_keeps_selected_copies_and_linked_excerpts(study):
    graph = knowledge_graph(study)
    labels = {node[0] for node in graph.nodes}
    assert {"Interview", "Interviewee", "Transcript", "Excerpt", "Code", "Issue"} <= labels
    transcripts = {node[1] for node in graph.nodes if node[0] == "Transcript"}
    assert transcripts == {"interview-1/ana", "interview-1/ben", "interview-2/mod", "interview-3/ana", "interview-10/ana"}
    excerpts = [node for node in graph.nodes if node[0] == "Excerpt"]
    # Coded paragraphs of the selected copies: 3 (Ana) + 2 (Ben) + 2 (Mod) + 2 (interview 3, Q1 too) + 2.
    assert len(excerpts) == 11
    assert all(graph.degree(e) >= 2 for e in excerpts)  # its transcript and at least one code
    assert not any(set(d["relationships"]) & {"CO_OCCURS_WITH"} for _, _, d in graph.edges(data=True))
    code = ("Code", "QM-robustness")
    assert graph.edges[code, ("Issue", "qm-robustness")]["relationships"] == ["INDICATES"]
    assert graph.nodes[("Issue", "qm-robustness")]["name"] == "robustness"


def test_mitigation_view_is_empty_without_mitigations(store):
    load(store, {("Interview 1", "Ana"): ["QM-robustness Data-noisy-labels"]})
    assert store.run("MATCH (m:Mitigation) RETURN count(m)").scalar() == 0
    graph = mitigation_graph(store)
    assert graph.number_of_nodes() == 0
    assert compute_measures(graph).values == {}


def test_mitigation_view_reads_addresses_weighted_by_interviews(store):
    load(store, {("Interview 1", "Ana"): ["QM-robustness Data-noisy-labels", "QM-efficiency"]})
    with store.transaction() as tx:
        tx.insert_nodes("Mitigation", [
            {"id": "data-augmentation", "name": "data augmentation", "kind": "catalog"},
            {"id": "relabel", "name": "relabelling", "kind": "catalog"},
            {"id": "unused", "name": "an unused strategy", "kind": "catalog"},
        ])
        tx.insert_relationships("ADDRESSES", [
            {"source": "data-augmentation", "target": "qm-robustness", "interviews": 3, "excerpts": 4,
             "provenance": "catalog", "confidence": 0.9, "quote": "we augment"},
            {"source": "relabel", "target": "data-noisy-label", "interviews": 1, "excerpts": 1,
             "provenance": "coded", "confidence": 1.0, "quote": "we relabel"},
            {"source": "relabel", "target": "qm-robustness", "interviews": 2, "excerpts": 2,
             "provenance": "inferred", "confidence": 0.5, "quote": "relabelling helped"},
        ])
    graph = mitigation_graph(store)
    assert nx.is_bipartite(graph)
    assert {n for n, d in graph.nodes(data=True) if d["bipartite"] == 0} == {
        ("Mitigation", "data-augmentation"), ("Mitigation", "relabel"), ("Mitigation", "unused")
    }
    assert ("Issue", "qm-efficiency") not in graph  # nothing addresses it
    assert graph.edges[("Mitigation", "data-augmentation"), ("Issue", "qm-robustness")]["weight"] == 3.0
    refresh_store(store)
    expected = nx.pagerank(graph, weight="weight")
    stored = dict(store.run("MATCH (m:Mitigation) RETURN m.id, m.pagerank").rows)
    assert stored == pytest.approx({node[1]: v for node, v in expected.items() if node[0] == "Mitigation"})
    assert store.run("MATCH (m:Mitigation {id: 'relabel'}) RETURN m.degree").scalar() == 2
    # Issues keep the co-occurrence view's measures.
    cooc = nx.Graph()
    cooc.add_nodes_from(["data-noisy-label", "qm-efficiency", "qm-robustness"])
    cooc.add_edge("data-noisy-label", "qm-robustness", weight=1.0)
    issues = dict(store.run("MATCH (i:Issue) RETURN i.id, i.pagerank").rows)
    assert issues == pytest.approx(nx.pagerank(cooc, weight="weight"))


def test_views_by_name_refuse_options_they_cannot_honour(study):
    assert build_view(study, "full").graph["view"] == "full"
    with pytest.raises(ValueError, match="--coder does not apply"):
        build_view(study, "mitigation", copies=Copies("coder", "Ana"))
    with pytest.raises(ValueError, match="does not apply to the interviewee view"):
        build_view(study, "interviewee", weighting="interviews")


def test_centrality_cli(db_path):
    with open_store(db_path) as opened:
        load(opened, STUDY, consensus={"Mod"})
    result = run_cli("centrality", "--db", str(db_path), "--top", "3", "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [r["rank"] for r in rows] == [1, 2, 3]
    assert rows[0]["id"] == "qm-robustness" and rows[0]["betweenness_method"] == "exact"
    assert "by louvain; betweenness exact" in result.stderr
    with open_store(db_path, read_only=True) as opened:
        stored = dict(opened.run("MATCH (i:Issue) RETURN i.id, i.pagerank").rows)
    assert all(r["pagerank"] == pytest.approx(stored[r["id"]]) for r in rows)
    full = run_cli("centrality", "--db", str(db_path), "--view", "interviewee", "--coder", "Ben", "--top", "0",
                   "--format", "json")
    assert full.returncode == 0, full.stderr
    assert {(r["label"], r["id"]) for r in json.loads(full.stdout)} == {
        ("Interviewee", "interviewee-interview-1"), ("Issue", "qm-robustness"), ("Issue", "data-noisy-label"),
        ("Issue", "data-missing-value"),
    }
    assert "left out interview-2: not coded by Ben" in full.stderr
    refused = run_cli("centrality", "--db", str(db_path), "--view", "mitigation", "--coder", "Ana")
    assert refused.returncode == 1 and refused.stdout == ""
    assert refused.stderr.startswith("findings: error: the mitigation view")


def test_centrality_write_refreshes_stored_measures(db_path):
    with open_store(db_path) as opened:
        load(opened, STUDY, consensus={"Mod"})
        with opened.transaction() as tx:
            tx.run("MATCH (i:Issue) SET i.pagerank = NULL")
            tx.run("MATCH (:Issue)-[r:CO_OCCURS_WITH]->(:Issue) DELETE r")
    result = run_cli("centrality", "--db", str(db_path), "--write")
    assert result.returncode == 0, result.stderr
    assert "3 CO_OCCURS_WITH edges" in result.stderr
    with open_store(db_path, read_only=True) as opened:
        assert opened.run("MATCH (i:Issue) RETURN count(i.pagerank)").scalar() == len(ISSUES)


def test_fixtures_pagerank_query_after_ingest(fixture_db):
    with open_store(fixture_db, read_only=True) as opened:
        rows = opened.run("MATCH (i:Issue) RETURN i.name, i.pagerank ORDER BY i.pagerank DESC LIMIT 5").rows
        graph = cooccurrence_graph(opened)
    assert len(rows) == 5 and all(value is not None for _, value in rows)
    expected = nx.pagerank(graph, weight="weight")
    top = sorted(expected.values(), reverse=True)[:5]
    assert [value for _, value in rows] == pytest.approx(top)
    # Interview 12's consensus and interview 35's two coders both put missing values next to low quality.
    assert graph.edges[("Issue", "data-low-quality"), ("Issue", "data-missing-value")]["interviews"] == 2


def test_eigenvector_on_heavy_bipartite_graph_where_power_iteration_crawls():
    # A strategy supported by many interviews: eigenvalues +-l with l large, so (A + I) iterates too slowly.
    graph = nx.Graph()
    for issue in range(30):
        graph.add_edge("strategy", f"issue-{issue}", weight=400.0 + issue)
    graph.add_edge("other", "issue-0", weight=50.0)
    with pytest.raises(nx.PowerIterationFailedConvergence):
        nx.eigenvector_centrality(graph, weight="weight", max_iter=1000)
    measures = compute_measures(graph)
    expected = nx.eigenvector_centrality_numpy(graph, weight="weight")
    assert {n: v["eigenvector"] for n, v in measures.values.items()} == pytest.approx(expected, abs=1e-9)


def test_centrality_cli_samples_the_whole_graph_of_a_larger_study(db_path):
    with open_store(db_path) as opened:
        update_graph(opened, generate_study(60, seed=2), load_codebook(), load_catalog())
        graph = knowledge_graph(opened)
    assert graph.number_of_nodes() > 1000  # above the exact limit: betweenness is sampled
    result = run_cli("centrality", "--db", str(db_path), "--view", "full", "--samples", "40", "--top", "0",
                     "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = {(r["label"], r["id"]): r for r in json.loads(result.stdout)}
    assert f"betweenness sampled: 40 of {graph.number_of_nodes()} source nodes (seed 0)" in result.stderr
    # The whole graph counts paths in hops: networkx on the same sources, unweighted, agrees.
    expected = nx.betweenness_centrality(canonical(graph), k=40, seed=0)
    assert {node: row["betweenness"] for node, row in rows.items()} == pytest.approx(expected, abs=1e-12)
    bad = run_cli("centrality", "--db", str(db_path), "--samples", "0")
    assert bad.returncode == 2 and "--samples" in bad.stderr


def test_every_registered_view_module_names_itself():
    """The registry and the modules agree: each entry's module declares the view's name as its own VIEW."""
    import importlib

    from graph.analytics.names import VIEW_REGISTRY

    for entry in VIEW_REGISTRY:
        module, _, function = entry.builder.partition(":")
        loaded = importlib.import_module(module)
        assert loaded.VIEW == entry.name
        assert callable(getattr(loaded, function))


def test_projects_view_keeps_interviewees_projects_and_issues(study):
    """The projects view is the full graph cut to who worked on what and what it faced."""
    full = build_view(study, "full")
    projects = build_view(study, "projects")
    assert projects.graph["view"] == "projects"
    assert {label for label, _ in projects} <= {"Interviewee", "Project", "Issue"}
    assert set(projects) == {node for node in full if node[0] in {"Interviewee", "Project", "Issue"}}
    assert set(projects.edges) <= set(full.edges)
