"""What the explorer's drawings look like in a real browser, on data a clone has (no reference fixtures).

Measured in headless Chromium, in screen pixels: the network's most central
labels are legible at the default zoom on a study of the reference size (89
nodes, 80 links in the issue - mitigation view) and lie inside the canvas,
the other labels appear on zoom; the quotes under the network are wrapped
in full, one row per quote; the prevalence chart names every bar.
"""

from __future__ import annotations

import random
import re

import networkx as nx
import pytest
from playwright.sync_api import expect

from explorer.network import LABEL_MIN_PX, LABEL_PX, LABELLED_TOP, network_html, node_key
from graph.analytics.centrality import compute_measures
from graph.store import open_store
from tests.browser import CHROMIUM, LABELS_JS, Traffic, chromium, explorer, settled_network
from tests.conftest import EXAMPLES, load_paths

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} not installed (`make test` installs Debian's chromium)"),
]
pytest.importorskip("playwright", reason="the Python playwright package is in the test extra: pip install -e '.[test]'")

# The drawing's frame on the Network page at 1400 x 1000: the left column, 620 px high.
FRAME = {"width": 556, "height": 660}
LEGIBLE_PX = 11.0


def reference_sized_view(seed: int = 3) -> nx.Graph:
    """An issue - mitigation view of the reference study's size: 89 nodes, 80 links, hubs and a long tail."""
    rng = random.Random(seed)
    graph = nx.Graph()
    issues = [("Issue", f"issue-{i}") for i in range(37)]
    strategies = [("Mitigation", f"strategy-{i}") for i in range(52)]
    for label, key in issues + strategies:
        graph.add_node((label, key), name=f"{key.split('-')[0]} number {key.split('-')[1]} of the study")
    for strategy in strategies:  # every strategy addresses an issue; popular issues draw more (1/rank)
        graph.add_edge(strategy, rng.choices(issues, weights=[1 / (r + 1) for r in range(len(issues))])[0],
                       weight=float(rng.randint(1, 4)))
    while graph.number_of_edges() < 80:
        graph.add_edge(rng.choice(strategies), rng.choice(issues), weight=1.0)
    return graph


def labels_of(frame) -> dict:
    measured = frame.evaluate(LABELS_JS)
    measured["by_id"] = {label["id"]: label for label in measured["labels"]}
    return measured


def inside(label: dict, canvas: dict) -> bool:
    return label["left"] >= 0 and label["top"] >= 0 and label["right"] <= canvas["width"] and label["bottom"] <= canvas["height"]


def check_labels(frame, central: list[str]) -> dict:
    """The ``central`` nodes (most central first) are labelled legibly inside the canvas; the rest wait for zoom."""
    measured = labels_of(frame)
    top = central[:LABELLED_TOP]
    for key in top:
        label = measured["by_id"][key]
        assert label["drawn"] and label["px"] >= LEGIBLE_PX, label
    assert measured["by_id"][top[0]]["px"] >= LABEL_PX[0] - 2  # the most central is the largest
    drawn = [label for label in measured["labels"] if label["drawn"]]
    assert {label["id"] for label in drawn} == set(top)  # the others would be unreadable specks
    outside = [label["id"] for label in drawn if not inside(label, measured)]
    assert not outside, f"labels cut at the canvas edge: {outside}"
    return measured


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    traffic = Traffic()
    with chromium(tmp_path_factory.mktemp("chromium-profile"), traffic) as context:
        yield context, traffic
    assert not traffic.remote, f"requests left 127.0.0.1: {traffic.remote}"


def test_a_reference_sized_network_labels_its_centre_legibly_and_the_rest_on_zoom(browser):
    context, _ = browser
    graph = reference_sized_view()
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (89, 80)
    measures = compute_measures(graph)
    central = [node_key(n) for n in sorted(graph, key=lambda n: (-measures.values[n]["pagerank"], repr(n)))]
    page = context.new_page()
    page.set_viewport_size(FRAME)
    page.set_content(network_html(graph, measures).html)
    frame, settled = settled_network(page)
    assert settled["nodes"] == 89 and settled["edges"] == 80
    measured = check_labels(frame, central)
    # Without sizing, vis-network's 14-unit labels at this zoom would be a few pixels high.
    assert 14 * measured["scale"] < LABEL_MIN_PX

    # Zooming in to full size draws every label, at vis-network's own size.
    frame.evaluate("() => network.moveTo({scale: 1.0, animation: false})")
    zoomed = labels_of(frame)
    assert all(label["drawn"] for label in zoomed["labels"])
    assert min(label["px"] for label in zoomed["labels"]) >= 14 - 0.01
    page.close()


@pytest.fixture(scope="module")
def demo(tmp_path_factory, browser):
    """The explorer on the shipped synthetic study."""
    path = tmp_path_factory.mktemp("demo") / "findings-db"
    with open_store(path) as store:
        load_paths(store, [EXAMPLES / "synthetic-study"])
    with explorer(path) as url:
        yield url, path


def test_the_demo_network_is_labelled_and_its_quotes_are_wrapped_in_full(browser, demo):
    context, _ = browser
    url, db = demo
    page = context.new_page()
    page.goto(f"{url}/network")
    frame, _ = settled_network(page)
    from explorer.network import SIZE_MEASURES  # the page sizes by the first one by default

    view = frame.evaluate("() => nodes.get().map(n => [n.id, n.labelPx === undefined ? null : n.labelPx])")
    central = [key for key, px in sorted((v for v in view if v[1] is not None), key=lambda v: -v[1])]
    assert len(central) == LABELLED_TOP and SIZE_MEASURES[0] == "pagerank"
    check_labels(frame, central)

    # The chosen node's quotes: one table row per quote, each quote whole and wrapped in its cell.
    caption = page.get_by_text(re.compile(r"^\d+ quotes$"))
    caption.wait_for()
    count = int(caption.inner_text().split()[0])
    table = page.locator("[data-testid='stTable'] table").last
    cells = table.locator("tbody tr td:last-child").evaluate_all(
        "(cells) => cells.map(c => ({text: c.innerText, width: c.clientWidth, scroll: c.scrollWidth, height: c.clientHeight,"
        " line: parseFloat(getComputedStyle(c).lineHeight)}))")
    assert len(cells) == count
    with open_store(db, read_only=True) as store:
        paragraphs = {text for (text,) in store.run("MATCH (e:Excerpt) RETURN e.text").rows}
    for cell in cells:
        assert cell["text"].strip() in paragraphs  # the whole paragraph, as transcribed
        assert cell["scroll"] <= cell["width"]  # nothing runs past the cell
        # A quote longer than a line of its cell wraps onto more lines instead of being cut.
        if len(cell["text"]) * 5 > cell["width"]:
            assert cell["height"] > 1.5 * cell["line"], cell

    # A node with a single quote: a single row, and nothing below it.
    with open_store(db, read_only=True) as store:
        single = sorted(name for name, n in store.run(
            "MATCH (t:Transcript)-[:HAS_EXCERPT]->(:Excerpt)-[:SUGGESTS]->(m:Mitigation) RETURN m.name, count(t)").rows
            if n == 1 and re.fullmatch(r"[a-z ]+", name))  # typed into the select box's filter: plain words only
    assert single, "the demo has a strategy suggested once"
    node = page.get_by_role("combobox", name="Node", exact=True)
    node.click()
    page.keyboard.type(f"{single[0]} (Mitigation)")
    page.keyboard.press("Enter")
    page.get_by_text("1 quotes", exact=True).wait_for(timeout=30_000)
    rows = page.locator("[data-testid='stTable'] table").last.locator("tbody tr")
    # The caption can show before the table under it is redrawn: wait for the table itself.
    expect(rows).to_have_count(1, timeout=30_000)
    assert rows.first.locator("td").last.inner_text().strip()
    page.close()


def test_the_prevalence_chart_names_every_bar(browser, demo):
    context, _ = browser
    url, db = demo
    page = context.new_page()
    page.goto(f"{url}/")
    chart = page.locator("[data-testid='stVegaLiteChart']").first
    chart.locator("svg g.mark-rect path").first.wait_for(timeout=60_000)
    with open_store(db, read_only=True) as store:
        issues = store.run("MATCH (i:Issue) RETURN count(i)").scalar()
    bars = chart.locator("svg g.mark-rect path").count()
    axes = chart.locator("svg g.role-axis")
    names = [axes.nth(i).locator("g.role-axis-label text").evaluate_all("(texts) => texts.map(t => t.textContent)")
             for i in range(axes.count())]
    issue_axis = max(names, key=len)
    assert bars == min(20, issues) > 10
    assert len(issue_axis) == bars and all(name.strip() for name in issue_axis)
    with open_store(db, read_only=True) as store:
        known = {name for (name,) in store.run("MATCH (i:Issue) RETURN i.name").rows}
    assert set(issue_axis) <= known and len(set(issue_axis)) == bars  # one issue's name per bar
    page.close()
