"""The explorer in a real browser: `findings explore` served locally, headless Chromium driving it.

What only a browser can show: that the pyvis network is really drawn
(vis-network inlined, nothing fetched from a CDN), with the nodes the
database holds, and then stops moving; that a click on a node of the
drawing reaches Python; that a library query runs from the Cypher page and
its result reaches the grid, that the page refuses the issue's hostile
queries and answers the next one; and that no request leaves 127.0.0.1.
Screenshots (they show the study's quotes) go outside the working tree:
``$FINDINGS_TEST_ARTIFACTS``, else ``findings-graph-test-artifacts`` in the
system's temporary folder.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from explorer.network import NODE_CAP, node_key
from graph.analytics.views import build_view
from graph.queries import library
from graph.store import open_store
from tests.browser import CHROMIUM, Traffic, chromium, explorer, settled_network, streamlit_script
from tests.conftest import EXAMPLES, FIXTURES, load_paths

ARTIFACTS = Path(os.environ.get("FINDINGS_TEST_ARTIFACTS", Path(tempfile.gettempdir()) / "findings-graph-test-artifacts"))

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} not installed (`make test` installs Debian's chromium)"),
]
pytest.importorskip("playwright", reason="the Python playwright package is in the test extra: pip install -e '.[test]'")


@pytest.fixture(scope="module")
def study_db(request, tmp_path_factory):
    """The reference fixtures' database; in a clone without them, the shipped synthetic study's."""
    if (FIXTURES / "delve-pdf" / "codings").is_dir() and (FIXTURES / "delve-pdf" / "consensus").is_dir():
        return request.getfixturevalue("fixture_db")
    path = tmp_path_factory.mktemp("demo") / "findings-db"
    with open_store(path) as store:
        load_paths(store, [EXAMPLES / "synthetic-study"])
    return path


@pytest.fixture(scope="module")
def browsed(study_db, tmp_path_factory):
    """The explorer on the study database (it opens it read-only), and a browser recording its traffic."""
    traffic = Traffic()
    with explorer(study_db) as url, chromium(tmp_path_factory.mktemp("chromium-profile"), traffic) as context:
        yield url, context, study_db, traffic


def test_network_page_draws_the_default_view_stops_moving_and_lists_the_quotes_of_a_click(browsed):
    url, context, db, traffic = browsed
    with open_store(db, read_only=True) as store:
        graph = build_view(store, "mitigation")
    assert 0 < graph.number_of_nodes() <= NODE_CAP, "the fixture view should be drawn whole, uncapped"
    page = context.new_page()
    page.goto(f"{url}/network")
    frame, settled = settled_network(page)

    drawn = frame.evaluate("() => nodes.getIds()")
    assert sorted(drawn) == sorted(node_key(n) for n in graph)
    assert settled["nodes"] == graph.number_of_nodes() and settled["edges"] == graph.number_of_edges()
    assert frame.evaluate("() => edges.length") == graph.number_of_edges()
    # Physics is off once stabilised: positions hold still.
    before = frame.evaluate("() => network.getPositions()")
    page.wait_for_timeout(600)
    assert frame.evaluate("() => network.getPositions()") == before
    assert frame.evaluate("() => typeof vis.Network") == "function"  # drawn by the inlined library

    # Clicking a strategy lists its quotes beside the drawing: one per excerpt that suggests it.
    with open_store(db, read_only=True) as store:
        suggested = store.run("MATCH (:Excerpt)-[s:SUGGESTS]->(m:Mitigation) RETURN m.id, m.name, count(s)").rows
    strategy, name, quotes = max(suggested, key=lambda row: (row[2], row[0]))
    key = node_key(("Mitigation", strategy))
    position = frame.evaluate("(key) => network.canvasToDOM(network.getPositions([key])[key])", key)
    box = frame.frame_element().bounding_box()
    page.mouse.click(box["x"] + position["x"], box["y"] + position["y"])
    page.get_by_text(f"(Mitigation, {strategy})").wait_for()
    # The node's header and its quote table arrive in separate renders: wait for the count, don't poll once.
    page.get_by_text(f"{quotes} quotes", exact=True).wait_for(state="visible", timeout=30_000)
    assert name in page.get_by_role("combobox", name="Node", exact=True).input_value()

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "explorer-network.png"), full_page=True)
    assert any(u.startswith(f"{url}/") for u in traffic.urls), "the page's own requests were recorded"
    assert any(u.startswith("ws://127.0.0.1:") for u in traffic.urls), "Streamlit's socket was recorded"
    assert not traffic.remote, f"requests left 127.0.0.1: {traffic.remote}"
    page.close()


def test_cypher_page_runs_a_library_query(browsed):
    url, context, db, traffic = browsed
    query = library()["issue-prevalence"]
    with open_store(db, read_only=True) as store:
        expected = store.run(query.text, query.examples).rows
    assert expected, "the fixture database has issues"
    page = context.new_page()
    page.goto(f"{url}/cypher")
    picker = page.get_by_role("combobox", name="Library query")
    picker.click()
    page.keyboard.type(query.name)
    page.keyboard.press("Enter")
    editor = page.get_by_role("textbox", name="Query")
    page.wait_for_function("(el) => el.value.includes('How many interviews raised each issue')", arg=editor.element_handle())
    page.get_by_role("button", name="Run").click()

    # st.dataframe draws on a canvas and mirrors the cells in an accessible table (row 1 is the header).
    first = page.locator('[data-testid="stDataFrame"] [role="gridcell"][aria-colindex="1"]').first
    first.wait_for(state="attached")
    headers = page.locator('[data-testid="stDataFrame"] [role="columnheader"]').all_text_contents()
    assert [h.strip() for h in headers][: len(expected[0])] == ["issue", "category", "interviews", "excerpts"]
    row = page.locator('[data-testid="stDataFrame"] [aria-rowindex="2"] [role="gridcell"]').all_text_contents()
    assert [cell.strip() for cell in row] == [str(value) for value in expected[0]]

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "explorer-cypher.png"), full_page=True)
    assert not traffic.remote, f"requests left 127.0.0.1: {traffic.remote}"
    page.close()


def type_and_run(page, cypher: str) -> None:
    """Type ``cypher`` into the editor (Ctrl+Enter commits a Streamlit text area) and press Run."""
    editor = page.get_by_role("textbox", name="Query")
    editor.fill(cypher)
    editor.press("Control+Enter")
    page.get_by_role("button", name="Run").click()


def test_cypher_page_refuses_the_issues_hostile_queries_and_answers_the_next(browsed):
    url, context, db, traffic = browsed
    with open_store(db, read_only=True) as store:
        first = store.run("MATCH (i:Interview) RETURN i.name AS name ORDER BY name LIMIT 1").scalar()
    page = context.new_page()
    page.goto(f"{url}/cypher")
    page.get_by_role("textbox", name="Query").wait_for()
    for cypher, reason in [
        (("MATCH (i:Interview) WHERE i.number = 1LOAD FROM '/etc/passwd' (file_format='csv', delim=':', header=false) "
          "RETURN *"), "column 39: LOAD is not a read clause"),
        ("CALL READ_CSV_SERIAL('/etc/passwd') RETURN *", "not READ_CSV_SERIAL"),
        ("CALL READ_PARQUET('/etc/passwd') RETURN *", "not READ_PARQUET"),
    ]:
        type_and_run(page, cypher)
        alert = page.locator('[data-testid="stAlert"]', has_text=reason)
        alert.wait_for(timeout=30_000)
        assert alert.inner_text().startswith("Read-only: this query was refused at line 1")
        assert page.locator('[data-testid="stDataFrame"]').count() == 0
    type_and_run(page, "MATCH (i:Interview) RETURN i.name AS name ORDER BY name")
    page.locator('[data-testid="stDataFrame"] [role="gridcell"]', has_text=first).first.wait_for(state="attached", timeout=30_000)
    assert page.locator('[data-testid="stAlert"]').count() == 0
    assert not traffic.remote, f"requests left 127.0.0.1: {traffic.remote}"
    page.close()


CLICK_APP = """
import json, os
import streamlit as st
from explorer.network import network_component, network_html
from graph.analytics.centrality import compute_measures
from graph.analytics.views import build_view
from graph.store import open_store

with open_store(os.environ["FINDINGS_DB"], read_only=True) as store:
    measures = compute_measures(build_view(store, "mitigation"))
clicked = network_component(network_html(measures.graph, measures), key="click")
st.text("clicked " + json.dumps(clicked))
"""


def test_a_click_on_a_node_of_the_drawing_reaches_python(browsed, tmp_path, monkeypatch):
    _, context, db, traffic = browsed  # one Playwright per process: the module's browser
    monkeypatch.setenv("FINDINGS_DB", str(db))
    script = tmp_path / "click.py"
    script.write_text(CLICK_APP, encoding="utf-8")
    with open_store(db, read_only=True) as store:
        graph = build_view(store, "mitigation")
    target = max(graph, key=lambda n: (graph.degree(n), n))  # the hub: large enough to hit
    with streamlit_script(script) as url:
        page = context.new_page()
        page.goto(url)
        frame, _ = settled_network(page)
        key = node_key(target)
        position = frame.evaluate("(key) => network.canvasToDOM(network.getPositions([key])[key])", key)
        box = frame.frame_element().bounding_box()
        page.mouse.click(box["x"] + position["x"], box["y"] + position["y"])
        shown = page.get_by_text('clicked {"node"')
        shown.wait_for()
        assert f'"node": "{key}"' in shown.inner_text()
        page.close()
    assert not traffic.remote, f"requests left 127.0.0.1: {traffic.remote}"
