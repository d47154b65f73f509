"""Every explorer page on the shipped synthetic study, with Streamlit's AppTest: what a clone can test.

The reference fixtures are real data a clone does not have; the pages are
also run here on ``examples/synthetic-study`` (eight interviews, two coders
who disagree) with a moderated consensus copy of one interview added in
``tmp_path``, so the consensus paths run too. What a page shows is compared
with answers read from the store with Cypher written here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.data import VIEW_LABELS
from explorer.network import NODE_CAP
from graph.analytics.views import build_view
from graph.store import open_store
from tests.conftest import EXAMPLES, load_paths
from tests.test_explorer_apptest import button, drawn, open_app, rerun, rows, scalar

STUDY = EXAMPLES / "synthetic-study"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    """The synthetic study, and Ana's copy of interview 2 as its moderated (consensus) copy, minus one code."""
    root = tmp_path_factory.mktemp("demo")
    agreed = (STUDY / "Interview 2 - Ana.md").read_text("utf-8").replace("## Interview 2 - Ana", "## Interview 2 - Mod")
    agreed = agreed.replace("\nQM-reproducibility-fix\n", "\n", 1)
    (root / "consensus").mkdir()
    (root / "consensus" / "Interview 2 - Mod.md").write_text(agreed, encoding="utf-8")
    path = root / "findings-db"
    with open_store(path) as store:
        load_paths(store, [STUDY])
        load_paths(store, [root / "consensus"], consensus=True)
    return path


def test_overview_counts_what_the_store_holds(demo_db, monkeypatch):
    app = open_app(demo_db, monkeypatch)
    metrics = {m.label: int(m.value) for m in app.metric}
    for label in ("Interview", "Transcript", "Excerpt", "Code", "Issue", "Mitigation", "Project"):
        assert metrics[f"{label}s"] == scalar(demo_db, f"MATCH (n:{label}) RETURN count(n)"), label
    assert metrics["Projects"] > 0 and metrics["Mitigations"] > 0
    coverage = app.dataframe[-1].value
    assert "Mod (consensus)" in coverage.columns


def test_network_draws_every_view_and_its_filters_keep_what_they_say(demo_db, monkeypatch):
    app = open_app(demo_db, monkeypatch, "network")
    for view, label in VIEW_LABELS.items():
        app.selectbox(key="view").set_value(label)
        rerun(app)
        with open_store(demo_db, read_only=True) as store:
            graph = build_view(store, view)
        nodes = set(graph)
        assert nodes, view
        if len(nodes) <= NODE_CAP:
            assert drawn(app) == nodes, view  # every node of the view
        else:  # the whole graph (every excerpt) is capped
            assert drawn(app) < nodes and len(drawn(app)) == NODE_CAP, view

    # Category filter on the co-occurrence view: only data issues (and none that lost every link to it).
    app.selectbox(key="view").set_value(VIEW_LABELS["cooccurrence"])
    app.multiselect(key="categories").set_value(["data"])
    rerun(app)
    categories = dict(rows(demo_db, "MATCH (i:Issue) RETURN i.id, i.category"))
    assert drawn(app) and {categories[n[1]] for n in drawn(app)} == {"data"}

    # Interview filter on the interviewee view: that interviewee and issues of that interview.
    app.multiselect(key="categories").set_value([])
    app.selectbox(key="view").set_value(VIEW_LABELS["interviewee"])
    app.multiselect(key="interviews").set_value(["Interview 6"])
    rerun(app)
    raised = {("Issue", i) for (i,) in rows(
        demo_db, "MATCH (t:Transcript {interview: 'Interview 6'})-[:HAS_EXCERPT]->(:Excerpt)-[:CODED_AS]->(:Code)"
                 "-[:INDICATES]->(i:Issue) RETURN DISTINCT i.id")}
    assert drawn(app) == {("Interviewee", "interviewee-interview-6")} | raised

    # Provenance filter on the mitigation view: only inferred links, and the nodes they join.
    app.multiselect(key="interviews").set_value([])
    app.selectbox(key="view").set_value(VIEW_LABELS["mitigation"])
    app.multiselect(key="provenance").set_value(["inferred"])
    rerun(app)
    inferred = rows(demo_db, "MATCH (m:Mitigation)-[a:ADDRESSES]->(i:Issue) WHERE a.provenance CONTAINS 'inferred' "
                             "RETURN m.id, i.id")
    assert inferred
    assert drawn(app) == {("Mitigation", m) for m, _ in inferred} | {("Issue", i) for _, i in inferred}


def test_network_caps_a_large_view_and_offers_each_coder(demo_db, monkeypatch):
    monkeypatch.setattr("explorer.network.NODE_CAP", 30)
    app = open_app(demo_db, monkeypatch, "network")
    assert app.selectbox(key="coder").disabled  # the mitigation view reads the knowledge layer's links
    app.selectbox(key="view").set_value(VIEW_LABELS["full"])
    rerun(app)
    total = build_view_size(demo_db, "full")
    assert len(drawn(app)) == 30 and any(f"the 30 most central of {total} nodes" in w.value for w in app.warning)
    app.selectbox(key="view").set_value(VIEW_LABELS["cooccurrence"])
    rerun(app)
    assert set(app.selectbox(key="coder").options) >= {"Ana", "Ben"}
    app.selectbox(key="coder").set_value("Ben")
    rerun(app)
    assert any("Copies read:" in c.value and "Ben" in c.value for c in app.caption)


def build_view_size(db: Path, view: str) -> int:
    with open_store(db, read_only=True) as store:
        return build_view(store, view).number_of_nodes()


def test_fixes_page_ranks_strategies_with_their_quotes_and_reverses(demo_db, monkeypatch):
    app = open_app(demo_db, monkeypatch, "fixes")
    missing = next(o for o in app.selectbox(key="issue").options if o.startswith("missing values "))
    app.selectbox(key="issue").set_value(missing)
    rerun(app)
    expected = rows(demo_db, "MATCH (m:Mitigation)-[a:ADDRESSES]->(:Issue {id: 'data-missing-value'}) "
                             "RETURN m.name ORDER BY a.interviews DESC, a.excerpts DESC, a.confidence DESC, m.name")
    ranked = app.dataframe[0].value
    assert list(ranked["mitigation"]) == [m for (m,) in expected] and len(expected) >= 2
    assert [e.label.split(":")[0] for e in app.expander] == list(ranked["mitigation"])
    texts = {t for (t,) in rows(demo_db, "MATCH (e:Excerpt) RETURN e.text")}
    for quotes, name in zip(app.table, ranked["mitigation"]):  # each strategy's passages, verbatim
        assert len(quotes.value) == scalar(
            demo_db, "MATCH (:Excerpt)-[s:SUGGESTS]->(:Mitigation {name: $m}) WHERE s.issue = 'data-missing-value' "
                     "RETURN count(s)", {"m": name})
        assert set(quotes.value["quote"]) <= texts
    strategy = app.selectbox(key="strategy").options[0]  # the strategy serving the most issues
    app.selectbox(key="strategy").set_value(strategy)
    rerun(app)
    served = app.dataframe[-1].value
    name = strategy.rsplit(" (", 1)[0]
    assert set(served["issue"]) == {i for (i,) in rows(
        demo_db, "MATCH (:Mitigation {name: $m})-[:ADDRESSES]->(i:Issue) RETURN i.name", {"m": name})}
    # Each row carries its quote verbatim, with interview, coder and position.
    texts = {(i, c, p): t for i, c, p, t in rows(
        demo_db, "MATCH (v:Interview)-[:HAS_TRANSCRIPT]->(t:Transcript)-[:HAS_EXCERPT]->(e:Excerpt) "
                 "RETURN v.name, t.coder, e.position, e.text")}
    for interview, coder, position, quote in served[["interview", "coder", "position", "quote"]].itertuples(index=False):
        assert all(texts[interview, who, position] == quote for who in coder.split(", "))


def test_interview_page_shows_projects_roles_agreement_and_the_transcript(demo_db, monkeypatch):
    app = open_app(demo_db, monkeypatch, "interviews")
    app.selectbox(key="interview").set_value("Interview 5")
    rerun(app)
    roles = scalar(demo_db, "MATCH (p:Interviewee {id: 'interviewee-interview-5'}) RETURN p.roles")
    assert roles and any(f"**Roles:** {', '.join(roles)}" in m.value for m in app.markdown)
    transcript = app.get("html")[0].proto.body
    copy = app.selectbox(key="copy_interview-5").value
    paragraphs, coded = rows(demo_db, "MATCH (t:Transcript {interview: 'Interview 5', coder: $c})-[:HAS_EXCERPT]->(e:Excerpt) "
                                      "OPTIONAL MATCH (e)-[r:CODED_AS]->() "
                                      "RETURN count(DISTINCT e), count(DISTINCT CASE WHEN r IS NULL THEN NULL ELSE e END)",
                             {"c": copy})[0]
    assert transcript.count('class="paragraph') == paragraphs
    assert transcript.count('class="paragraph coded"') == coded
    tables = {tuple(df.value.columns): df.value for df in app.dataframe}
    overall = tables[("level", "scope", "coders", "decisions", "agreement", "kappa", "alpha")]
    assert set(overall["coders"]) == {"Ana, Ben"}
    assert (overall["kappa"].dropna() < 1).any()  # the coders disagree on this interview
    projects = {name for (name,) in rows(demo_db, "MATCH (p:Project {interview: 'interview-5'}) RETURN p.name")}
    page = " ".join([*(m.value for m in app.markdown), *(str(df.value.to_dict()) for df in app.dataframe)])
    assert all(name in page for name in projects)


def test_cypher_page_runs_a_library_query_and_refuses_a_write(demo_db, monkeypatch):
    app = open_app(demo_db, monkeypatch, "cypher")
    choice = next(o for o in app.selectbox(key="query_name").options if o.startswith("fixes-for-issue:"))
    app.selectbox(key="query_name").set_value(choice)
    rerun(app)
    assert app.text_input(key="param_fixes-for-issue_issue").value == "robustness"  # the documented example
    button(app, "Run").click()
    rerun(app)
    assert list(app.dataframe[0].value["mitigation"]) == [m for (m,) in rows(
        demo_db, "MATCH (m:Mitigation)-[a:ADDRESSES]->(:Issue {name: 'robustness'}) RETURN m.name "
                 "ORDER BY a.interviews DESC, a.excerpts DESC, a.confidence DESC, m.name")]
    app.text_area(key="editor").set_value("CREATE (n:Interview {id: 'x'})")
    rerun(app)
    button(app, "Run").click()
    rerun(app)
    assert app.error and app.error[0].value.startswith("Read-only: this query was refused")
    assert scalar(demo_db, "MATCH (n:Interview) RETURN count(n)") == len({f.name.split(" - ")[0] for f in STUDY.glob("*.md")})
