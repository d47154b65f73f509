"""Exports: GraphML and JSON readable by networkx, neo4j-admin CSV, Cypher round trip."""

import csv
import json

import networkx as nx
import pytest

from graph.export import dump_graph, export_graph, import_cypher_script
from graph.store import StoreError, open_store
from tests.conftest import EXAMPLES, load_paths, run_cli


@pytest.fixture
def example_store(store, tmp_path):
    load_paths(store, [EXAMPLES / "synthetic-study"])
    # A text with every character a literal must escape.
    with store.transaction() as tx:
        tx.run("MATCH (e:Excerpt) WITH e ORDER BY e.id LIMIT 1 SET e.text = $t", {"t": "it's a \\ \"test\"\nnew line\tté"})
    return store


def total_nodes_and_edges(dump):
    return sum(len(v) for v in dump.nodes.values()), sum(len(v) for v in dump.relationships.values())


def test_cypher_script_round_trip(example_store, tmp_path):
    script = tmp_path / "graph.cypher"
    export_graph(example_store, "cypher", script)
    with open_store(tmp_path / "rebuilt-db") as rebuilt:
        count = import_cypher_script(rebuilt, script)
        assert count == sum(total_nodes_and_edges(dump_graph(example_store)))
        assert dump_graph(rebuilt) == dump_graph(example_store)


def test_import_refuses_a_non_empty_store(example_store, tmp_path):
    script = tmp_path / "graph.cypher"
    export_graph(example_store, "cypher", script)
    with pytest.raises(StoreError, match="not empty"):
        import_cypher_script(example_store, script)


def test_graphml_and_json_open_in_networkx(example_store, tmp_path):
    dump = dump_graph(example_store)
    nodes, edges = total_nodes_and_edges(dump)
    export_graph(example_store, "graphml", tmp_path / "g.graphml")
    graph = nx.read_graphml(tmp_path / "g.graphml")
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (nodes, edges)
    assert graph.nodes["Issue:qm-robustness"]["name"] == "robustness"
    export_graph(example_store, "json", tmp_path / "g.json")
    linked = nx.node_link_graph(json.loads((tmp_path / "g.json").read_text("utf-8")), edges="links")
    assert (linked.number_of_nodes(), linked.number_of_edges()) == (nodes, edges)


def test_neo4j_admin_csv_layout(example_store, tmp_path):
    export_graph(example_store, "csv", tmp_path / "csv")
    with (tmp_path / "csv" / "nodes-Transcript.csv").open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][0] == "id:ID(Transcript)" and rows[0][-1] == ":LABEL"
    assert "consensus:boolean" in rows[0] and "paragraphs:long" in rows[0]
    assert len(rows) == 1 + len(list((EXAMPLES / "synthetic-study").glob("*.md")))  # a header, a row per file
    with (tmp_path / "csv" / "relationships-CODED_AS.csv").open(encoding="utf-8") as handle:
        rels = list(csv.reader(handle))
    assert rels[0] == [":START_ID(Excerpt)", ":END_ID(Code)", "quote:string", ":TYPE"]
    assert len(rels) - 1 == len(dump_graph(example_store).relationships["CODED_AS"])


def test_export_and_import_commands(tmp_path):
    db = tmp_path / "db"
    assert run_cli("ingest", str(EXAMPLES / "synthetic-study"), "--db", str(db)).returncode == 0
    assert run_cli("export", "--format", "cypher", str(tmp_path / "g.cypher"), "--db", str(db)).returncode == 0
    result = run_cli("import", str(tmp_path / "g.cypher"), "--db", str(tmp_path / "copy"))
    assert result.returncode == 0, result.stderr
    stats = [run_cli("stats", "--db", str(path), "--format", "json").stdout for path in (db, tmp_path / "copy")]
    assert json.loads(stats[0]) == json.loads(stats[1])
