"""The explorer's pages, run headless with Streamlit's AppTest on real databases.

Each page is opened on the reference fixtures (the session ``fixture_db``)
and on the shipped synthetic study, and what it shows (metrics, table rows,
chart data, the nodes in the network drawing) is compared with answers read
from the store directly, with Cypher written here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from graph.analytics.cooccurrence import cooccurrence_graph
from graph.store import open_store
from tests.conftest import EXAMPLES, REPO, load_paths
from tests.drawings import drawn_nodes

APP = REPO / "explorer" / "app.py"
TIMEOUT = 120


def open_app(db: Path, monkeypatch: pytest.MonkeyPatch, page: str | None = None) -> AppTest:
    monkeypatch.setenv("FINDINGS_DB", str(db))
    monkeypatch.delenv("FINDINGS_NEO4J_URI", raising=False)
    app = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    if page:
        app.switch_page(f"screens/{page}.py").run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def rerun(app: AppTest) -> AppTest:
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def scalar(db: Path, cypher: str, params: dict | None = None):
    with open_store(db, read_only=True) as store:
        return store.run(cypher, params).scalar()


def rows(db: Path, cypher: str, params: dict | None = None) -> list[list]:
    with open_store(db, read_only=True) as store:
        return store.run(cypher, params).rows


def chart_data(app: AppTest) -> list[pd.DataFrame]:
    """The data of every chart on the page, as Streamlit sent it to the browser."""
    frames = []
    for chart in app.get("vega_lite_chart"):
        proto = chart.proto
        payload = proto.datasets[0].data.data if proto.datasets else proto.data.data
        frames.append(pa.ipc.open_stream(payload).read_all().to_pandas())
    return frames


def curves(frame: pd.DataFrame) -> pd.DataFrame:
    """A line chart's data back in wide form: one column per line, indexed by x."""
    colour = next(c for c in frame.columns if c.startswith("color"))
    value = next(c for c in frame.columns if c.startswith("value"))
    return frame.pivot(index=frame.columns[0], columns=colour, values=value)


def drawn(app: AppTest) -> set[tuple[str, str]]:
    """The (label, id) of every node in the page's network drawing."""
    (drawing,) = app.get("component_instance")
    return {tuple(key.split(":", 1)) for key in drawn_nodes(json.loads(drawing.proto.json_args)["html"])}


def button(app: AppTest, label: str):
    return next(b for b in app.button if b.label == label)


# The shipped synthetic study, counted from its files: one per interview and coder.
SYNTHETIC_FILES = sorted((EXAMPLES / "synthetic-study").glob("*.md"))
SYNTHETIC_INTERVIEWS = sorted({f.name.split(" - ")[0] for f in SYNTHETIC_FILES})


@pytest.fixture(scope="module")
def synthetic_db(tmp_path_factory) -> Path:
    """The shipped synthetic study (no reference fixtures needed)."""
    path = tmp_path_factory.mktemp("synthetic") / "findings-db"
    with open_store(path) as store:
        load_paths(store, [EXAMPLES / "synthetic-study"])
    return path


# Overview

def test_overview_counts_prevalence_saturation_and_coverage(fixture_db, monkeypatch):
    app = open_app(fixture_db, monkeypatch)
    metrics = {m.label: int(m.value) for m in app.metric}
    for label in ("Interview", "Transcript", "Excerpt", "Code", "Issue", "Mitigation", "Project"):
        assert metrics[f"{label}s"] == scalar(fixture_db, f"MATCH (n:{label}) RETURN count(n)"), label
    assert metrics["Interviews"] == 2 and metrics["Transcripts"] == 6  # interviews 12 and 35; 4 codings, 2 consensus

    bars, issues_curve, codes_curve = chart_data(app)
    # Interviews per issue, counted here: the coded consensus copy when there is one, else every coded copy.
    expected: dict[str, set[str]] = {}
    for interview, issue, consensus in rows(
        fixture_db,
        "MATCH (t:Transcript)-[:HAS_EXCERPT]->(:Excerpt)-[:CODED_AS]->(:Code)-[:INDICATES]->(i:Issue) "
        "RETURN DISTINCT t.interview, i.name, t.consensus",
    ):
        has_consensus = scalar(fixture_db, "MATCH (t:Transcript {interview: $i}) WHERE t.consensus AND t.coded "
                                           "RETURN count(t)", {"i": interview})
        if consensus or not has_consensus:
            expected.setdefault(issue, set()).add(interview)
    shown = dict(zip(bars["issue"], bars["interviews"]))
    assert shown == {issue: len(found) for issue, found in expected.items()}
    assert max(shown.values()) == 2  # some issues were raised in both interviews

    # Saturation in interview order: distinct issues after interview 12, then after 12 and 35.
    assert list(curves(issues_curve)["interview order"]) == [len({i for i, f in expected.items() if "Interview 12" in f}),
                                                      len(expected)]
    assert len(curves(codes_curve)) == 2
    assert (curves(issues_curve)["random, low"] <= curves(issues_curve)["random, high"]).all()

    (counts, coverage) = app.dataframe
    assert len(counts.value) > 20  # every label, relationship and code
    table = coverage.value
    assert list(table.index) == ["Interview 12", "Interview 35"]
    assert table.loc["Interview 35", "Amin (consensus)"] == "uncoded"  # the print without codes
    assert table.loc["Interview 35", "PO"] == "30"  # the fixtures README: 30 paragraph-code pairs
    assert table.loc["Interview 35", "Ilan"] == "47"


def test_overview_counts_by_the_copies_rule_chosen_and_says_which(fixture_db, monkeypatch):
    app = open_app(fixture_db, monkeypatch)
    choice = app.selectbox(key="copies")
    assert choice.value == "consensus copies, else the union of coders"
    assert {"PO", "Ilan", "Rached"} <= set(choice.options)
    union = next(o for o in choice.options if o.startswith("union of every coded copy"))
    choice.set_value(union)
    rerun(app)
    bars, issues_curve, _ = chart_data(app)
    # Interviews per issue on every coded copy, counted here.
    expected: dict[str, set[str]] = {}
    for interview, issue in rows(fixture_db, "MATCH (t:Transcript)-[:HAS_EXCERPT]->(:Excerpt)-[:CODED_AS]->(:Code)"
                                             "-[:INDICATES]->(i:Issue) RETURN DISTINCT t.interview, i.name"):
        expected.setdefault(issue, set()).add(interview)
    shown = dict(zip(bars["issue"], bars["interviews"]))  # the 20 issues raised in most interviews
    assert len(shown) == min(20, len(expected))
    assert shown == {issue: len(expected[issue]) for issue in shown}
    assert min(shown.values()) >= max(len(found) for issue, found in expected.items() if issue not in shown)
    assert list(curves(issues_curve)["interview order"])[-1] == len(expected)
    captions = [c.value for c in app.caption]
    assert sum(c.startswith("Copies counted: union of every coded copy") for c in captions) == 2  # prevalence, saturation
    app.selectbox(key="copies").set_value("PO")
    rerun(app)
    assert any(c.startswith("Copies counted: copies coded by PO") for c in (c.value for c in app.caption))


def test_overview_on_the_synthetic_study(synthetic_db, monkeypatch):
    app = open_app(synthetic_db, monkeypatch)
    metrics = {m.label: int(m.value) for m in app.metric}
    assert metrics["Interviews"] == len(SYNTHETIC_INTERVIEWS)
    assert metrics["Transcripts"] == len(SYNTHETIC_FILES)  # Ana and Ben coded each interview: one copy per file
    bars = chart_data(app)[0]
    assert len(bars) == min(20, scalar(synthetic_db, "MATCH (i:Issue) RETURN count(i)"))


# Network

def test_network_draws_the_mitigation_view_and_lists_a_nodes_quotes(fixture_db, monkeypatch):
    app = open_app(fixture_db, monkeypatch, "network")
    assert app.selectbox(key="view").value == "Issue - mitigation"
    mitigations = {("Mitigation", m) for (m,) in rows(fixture_db, "MATCH (m:Mitigation) RETURN m.id")}
    addressed = {("Issue", i) for (i,) in rows(fixture_db, "MATCH (:Mitigation)-[:ADDRESSES]->(i:Issue) RETURN DISTINCT i.id")}
    assert drawn(app) == mitigations | addressed
    assert len(mitigations) == 12

    # Choosing a node lists the paragraphs coded with it on the copies read: interview 35's consensus
    # print is uncoded, so both coders' copies; interview 12's consensus copy.
    app.selectbox(key="node").set_value("robustness (Issue)")
    rerun(app)
    quotes = app.table[0].value  # a static table: every quote wrapped in full, one row each
    expected = rows(
        fixture_db,
        "MATCH (t:Transcript)-[:HAS_EXCERPT]->(e:Excerpt)-[:CODED_AS]->(c:Code)-[:INDICATES]->(:Issue {id: 'qm-robustness'}) "
        "WHERE (t.interview = 'Interview 35' AND NOT t.consensus) OR (t.interview = 'Interview 12' AND t.consensus) "
        "RETURN t.interview, t.coder, e.position, c.name, e.text ORDER BY t.interview, t.coder, e.position",
    )
    assert [list(r) for r in quotes[["from", "quote"]].itertuples(index=False)] == [
        [f"{interview}, {coder}, position {position}, {code}", text] for interview, coder, position, code, text in expected]
    assert len(expected) == 9  # robustness: PO 5 (fixtures README) and Ilan 4


def test_network_views_and_filters(fixture_db, monkeypatch):
    app = open_app(fixture_db, monkeypatch, "network")
    app.selectbox(key="view").set_value("Issue co-occurrence")
    rerun(app)
    issues = {("Issue", i) for (i,) in rows(fixture_db, "MATCH (i:Issue) RETURN i.id")}
    assert drawn(app) == issues  # every issue, joined or not

    # Category filter: other categories go, and so do data issues whose only links were to them.
    categories = dict(rows(fixture_db, "MATCH (i:Issue) RETURN i.id, i.category"))
    with open_store(fixture_db, read_only=True) as store:
        graph = cooccurrence_graph(store)
    data = graph.subgraph(n for n in graph if categories[n[1]] == "data")
    app.multiselect(key="categories").set_value(["data"])
    rerun(app)
    assert drawn(app) == {n for n in data if data.degree(n) > 0 or graph.degree(n) == 0}
    assert drawn(app) and len(drawn(app)) < len(issues)

    # Interview filter on the interviewee view: that interviewee and the issues of their interview.
    app.multiselect(key="categories").set_value([])
    app.selectbox(key="view").set_value("Interviewee - issue")
    app.multiselect(key="interviews").set_value(["Interview 12"])
    rerun(app)
    raised = {("Issue", i) for (i,) in rows(
        fixture_db,
        "MATCH (t:Transcript {interview: 'Interview 12'})-[:HAS_EXCERPT]->(:Excerpt)-[:CODED_AS]->(:Code)"
        "-[:INDICATES]->(i:Issue) WHERE t.consensus RETURN DISTINCT i.id")}
    assert drawn(app) == {("Interviewee", "interviewee-interview-12")} | raised

    # Minimum weight on the co-occurrence view: links of two shared paragraphs or more, and the
    # issues the view itself left unlinked.
    app.multiselect(key="interviews").set_value([])
    app.selectbox(key="view").set_value("Issue co-occurrence")
    app.number_input(key="min_weight").set_value(2.0)
    rerun(app)
    strong = [(a, b) for a, b, w in graph.edges(data="weight") if w >= 2]
    assert strong and len(strong) < graph.number_of_edges()
    assert drawn(app) == {n for edge in strong for n in edge} | {n for n in graph if graph.degree(n) == 0}


def test_network_caps_a_large_view_with_a_message(fixture_db, monkeypatch):
    # The fixtures' whole graph has a few hundred nodes; a cap of 100 stands for a large study.
    from graph.analytics.views import build_view

    with open_store(fixture_db, read_only=True) as store:
        whole = build_view(store, "full").number_of_nodes()
    assert whole > 200
    monkeypatch.setattr("explorer.network.NODE_CAP", 100)
    app = open_app(fixture_db, monkeypatch, "network")
    app.selectbox(key="view").set_value("Whole knowledge graph")
    rerun(app)
    assert len(drawn(app)) == 100
    assert any(f"the 100 most central of {whole} nodes" in w.value for w in app.warning)
    assert len(app.selectbox(key="node").options) == 100  # the node list follows the drawing


def test_network_refuses_a_coder_the_view_cannot_honour_by_disabling_it(fixture_db, monkeypatch):
    app = open_app(fixture_db, monkeypatch, "network")
    assert app.selectbox(key="coder").disabled  # the mitigation view reads the knowledge layer's links
    app.selectbox(key="view").set_value("Issue co-occurrence")
    rerun(app)
    assert not app.selectbox(key="coder").disabled
    assert set(app.selectbox(key="coder").options) >= {"PO", "Ilan", "Rached"}
    union = next(o for o in app.selectbox(key="coder").options if o.startswith("union of every coded copy"))
    app.selectbox(key="coder").set_value(union)
    rerun(app)
    assert any("Copies read: union of every coded copy" in c.value for c in app.caption)


# Fixes

def test_fixes_ranks_strategies_for_an_issue_with_quotes_and_reverses(fixture_db, monkeypatch):
    app = open_app(fixture_db, monkeypatch, "fixes")
    robustness = next(o for o in app.selectbox(key="issue").options if o.startswith("robustness "))
    app.selectbox(key="issue").set_value(robustness)
    rerun(app)
    expected = rows(fixture_db, "MATCH (m:Mitigation)-[a:ADDRESSES]->(:Issue {id: 'qm-robustness'}) "
                                "RETURN m.name, a.interviews, a.provenance ORDER BY a.interviews DESC, a.excerpts DESC")
    ranked = app.dataframe[0].value
    assert list(ranked["mitigation"]) == [name for name, *_ in expected]
    assert list(ranked["provenance"]) == [p for *_, p in expected]
    assert len(ranked) == 4
    # One expander of quotes per strategy, each with the excerpts that suggest it for the issue.
    assert [e.label.split(":")[0] for e in app.expander] == list(ranked["mitigation"])
    for quotes, name in zip(app.table, ranked["mitigation"]):
        assert len(quotes.value) == scalar(
            fixture_db,
            "MATCH (e:Excerpt)-[s:SUGGESTS]->(m:Mitigation {name: $m}) WHERE s.issue = 'qm-robustness' RETURN count(s)",
            {"m": name})

    strategy = next(o for o in app.selectbox(key="strategy").options if o.startswith("data augmentation "))
    app.selectbox(key="strategy").set_value(strategy)
    rerun(app)
    served = app.dataframe[-1].value
    assert set(served["issue"]) == {i for (i,) in rows(
        fixture_db, "MATCH (m:Mitigation {name: 'data augmentation'})-[:ADDRESSES]->(i:Issue) RETURN i.name")}


# Interviews

def test_interview_page_shows_transcript_coders_and_agreement(fixture_db, monkeypatch):
    app = open_app(fixture_db, monkeypatch, "interviews")
    app.selectbox(key="interview").set_value("Interview 35")
    rerun(app)
    assert app.selectbox(key="copy_interview-35").value == "Ilan"  # the first coded copy
    app.selectbox(key="copy_interview-35").set_value("PO")
    rerun(app)
    transcript = app.get("html")[0].proto.body
    assert transcript.count('class="paragraph') == 153  # the fixtures README: 153 paragraphs
    coded = scalar(fixture_db, "MATCH (t:Transcript {id: 'interview-35/po'})-[:HAS_EXCERPT]->(e:Excerpt)-[:CODED_AS]->() "
                               "RETURN count(DISTINCT e)")
    assert transcript.count('class="paragraph coded"') == coded
    assert any(f"153 paragraphs, {coded} coded" in c.value for c in app.caption)

    tables = {tuple(df.value.columns): df.value for df in app.dataframe}
    overall = tables[("level", "scope", "coders", "decisions", "agreement", "kappa", "alpha")]
    # Two coded copies (the consensus print is uncoded): one pair and the all-coders row, per level.
    assert list(overall["level"]) == ["code", "code", "issue", "issue"]
    assert list(overall["coders"]) == ["Ilan, PO"] * 4
    assert any("uncoded print" in c.value for c in app.caption)
    side = next(df.value for df in app.dataframe if list(df.value.columns) == ["Ilan", "PO"])
    positions = {p for (p,) in rows(fixture_db, "MATCH (t:Transcript)-[:HAS_EXCERPT]->(e:Excerpt)-[:CODED_AS]->() "
                                                "WHERE t.interview = 'Interview 35' RETURN DISTINCT e.position")}
    assert set(side.index) == positions

    roles = scalar(fixture_db, "MATCH (p:Interviewee {id: 'interviewee-interview-35'}) RETURN p.roles")
    assert any(f"**Roles:** {', '.join(roles)}" in m.value for m in app.markdown)


# Cypher

def test_cypher_page_runs_a_library_query_with_its_example_parameters(fixture_db, monkeypatch):
    app = open_app(fixture_db, monkeypatch, "cypher")
    choice = next(o for o in app.selectbox(key="query_name").options if o.startswith("fixes-for-issue:"))
    app.selectbox(key="query_name").set_value(choice)
    rerun(app)
    assert app.text_area(key="editor").value.startswith("// Which strategies address an issue")
    assert app.text_input(key="param_fixes-for-issue_issue").value == "robustness"  # the documented example
    button(app, "Run").click()
    rerun(app)
    result = app.dataframe[0].value
    assert list(result["mitigation"]) == [m for (m,) in rows(
        fixture_db, "MATCH (m:Mitigation)-[a:ADDRESSES]->(:Issue {name: 'robustness'}) RETURN m.name "
                    "ORDER BY a.interviews DESC, a.excerpts DESC, a.confidence DESC, m.name")]
    assert len(result) == 4
    assert any(b.label == "Download CSV" for b in app.get("download_button"))


def run_typed_query(app, text: str):
    """Type ``text`` into the Cypher page's editor and press Run, as a user would."""
    app.text_area(key="editor").set_value(text)
    rerun(app)
    button(app, "Run").click()
    rerun(app)
    return app


def test_cypher_page_refuses_a_write(fixture_db, monkeypatch):
    app = run_typed_query(open_app(fixture_db, monkeypatch, "cypher"), "CREATE (n:X)")
    assert [e.value for e in app.error]
    assert app.error[0].value.startswith("Read-only: this query was refused at line 1, column 1: CREATE is not a read clause")
    assert not app.dataframe
    assert scalar(fixture_db, "MATCH (n:Interview) RETURN count(n)") == 2  # nothing written


PASSWD = "'/etc/passwd' (file_format='csv', delim=':', header=false)"
# The issue's bypasses and the rest of what LadybugDB's read-only mode lets through, each with the reason shown.
HOSTILE = [
    (f"MATCH (i:Interview) WHERE i.number = 1LOAD FROM {PASSWD} RETURN *", "column 39: LOAD is not a read clause"),
    ("CALL READ_CSV_SERIAL('/etc/passwd') RETURN *", "CALL runs only catalogue functions"),
    ("CALL READ_PARQUET('/etc/passwd') RETURN *", "CALL runs only catalogue functions"),
    (f"LOAD FROM {PASSWD} RETURN *", "LOAD is not a read clause"),
    ("CHECKPOINT", "CHECKPOINT is not a read clause"),
    ("EXPORT DATABASE '/tmp/findings-export'", "EXPORT is not a read clause"),
    ("INSTALL httpfs", "INSTALL is not a read clause"),
    ("LOAD EXTENSION httpfs", "LOAD is not a read clause"),
    ("COPY Interview FROM '/tmp/interviews.csv'", "COPY is not a read clause"),
    ("ATTACH '/tmp/other.db' AS other (dbtype duckdb)", "ATTACH is not a read clause"),
    ("CALL threads = 1", "CALL runs only catalogue functions"),
    ("MATCH (n:Interview) RETURN count(n); CHECKPOINT", "a second statement after ';'"),
    ("MATCH (n) /* a **/ RETURN n UNION LOAD FROM '/etc/passwd' RETURN * /* b */",
     "which LadybugDB and Neo4j end in different places"),
    ("MATCH (i:Interview) sEt\ti.name = 'x'", "SET is not a read clause"),
    ("MATCH (i:Interview) DETACH DELETE i", "DETACH is not a read clause"),
]


def test_cypher_page_refuses_every_hostile_query_and_answers_the_next(synthetic_db, monkeypatch):
    app = open_app(synthetic_db, monkeypatch, "cypher")
    for cypher, reason in HOSTILE:
        run_typed_query(app, cypher)
        assert [e.value for e in app.error] and app.error[0].value.startswith("Read-only: this query was refused"), cypher
        assert reason in app.error[0].value, (cypher, app.error[0].value)
        assert not app.dataframe
    run_typed_query(app, "MATCH (i:Interview) RETURN i.name AS name ORDER BY name")
    assert not app.error
    assert list(app.dataframe[0].value["name"]) == SYNTHETIC_INTERVIEWS


def test_cypher_page_survives_a_query_that_crashes_the_engine(synthetic_db, monkeypatch):
    """Were the guard to miss a query that crashes LadybugDB, the child dies and the page says so."""
    import explorer.data
    import graph.cypher_guard

    monkeypatch.setattr(graph.cypher_guard, "check_read_query", lambda cypher: None)
    children = []
    isolated = explorer.data.run_isolated

    def counted(*args, **kwargs):
        children.append(args)
        return isolated(*args, **kwargs)

    monkeypatch.setattr(explorer.data, "run_isolated", counted)
    app = run_typed_query(open_app(synthetic_db, monkeypatch, "cypher"), "CALL READ_CSV_SERIAL('/etc/passwd') RETURN *")
    crashed = ("The query failed: the database engine crashed on this query (killed by SIGSEGV); "
               "the explorer is still running")
    assert [e.value for e in app.error] == [crashed] and len(children) == 1
    rerun(app)  # any click reruns the page: the crash is shown again, not run again
    assert [e.value for e in app.error] == [crashed] and len(children) == 1
    button(app, "Run").click()
    rerun(app)  # Run tries again
    assert [e.value for e in app.error] == [crashed] and len(children) == 2
    run_typed_query(app, "MATCH (i:Interview) RETURN count(i) AS n")
    assert not app.error and app.dataframe[0].value["n"].tolist() == [len(SYNTHETIC_INTERVIEWS)]


def test_cypher_page_reports_a_failing_query(synthetic_db, monkeypatch):
    app = run_typed_query(open_app(synthetic_db, monkeypatch, "cypher"), "MATCH (n:NoSuchLabel) RETURN n")
    assert app.error and app.error[0].value.startswith("The query failed")
