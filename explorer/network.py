"""Draw a projection as an interactive network: pyvis HTML that works offline and settles.

The projections and their measures come from :mod:`graph.analytics`; this
module only decides what to draw and how:

- display filters (:func:`filter_graph`): which nodes a page keeps, the
  provenance of a link, a minimum weight. A node that loses every link to a
  filter goes too; a node the view itself left unlinked stays (an issue
  nobody co-coded is a finding);
- a cap (:func:`cap_graph`): beyond ``NODE_CAP`` nodes a connected core of
  the most central is kept (by the measure nodes are sized by,
  :func:`central_core`) and beyond ``EDGE_CAP`` the heaviest links, with a
  message saying what was left out, so a large study never freezes the tab;
- the HTML (:func:`network_html`): pyvis with vis-network inlined
  (``cdn_resources="in_line"``) and every remote asset of pyvis's template
  removed (it always links Bootstrap from a CDN), so nothing leaves the
  machine. Physics lays the graph out, and once stabilisation ends it is
  switched off, so the drawing holds still instead of drifting and burning
  CPU. ``window.findingsSettled`` records when (epoch ms, and ms since the frame
  began loading) and how many nodes and links were drawn.

Labels: fitting a study of ~90 nodes into the frame zooms out to a fifth,
where vis-network's fixed 14-unit labels come out at 3 px. So the
``LABELLED_TOP`` most central nodes get labels sized on the screen, from
``LABEL_PX[0]`` px for the most central down to ``LABEL_PX[1]``, set once the
layout settles (font size = wanted px / zoom scale), and the drawing is
fitted again so that those labels lie inside the canvas. Every other label is
drawn only once zooming makes it at least ``LABEL_MIN_PX`` px (hovering any
node shows its name), so the default view is the study's centre, readable.

Nodes are addressed in the browser as ``"Label:id"`` (:func:`node_key`) and
links as the JSON pair of their ends (:func:`link_key`), so what the browser
shows can be traced back to the graph and its quotes.
"""

from __future__ import annotations

import heapq
import json
import re
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

import networkx as nx
import streamlit.components.v1 as components
from pyvis.network import Network

from graph.analytics.centrality import Measures

__all__ = [
    "Node",
    "SIZE_MEASURES",
    "COLOUR_MODES",
    "NODE_CAP",
    "EDGE_CAP",
    "STABILIZATION_ITERATIONS",
    "LABELLED_TOP",
    "LABEL_PX",
    "LABEL_MIN_PX",
    "LABEL_MAX_PX",
    "TYPE_COLOURS",
    "COMMUNITY_COLOURS",
    "node_key",
    "link_key",
    "filter_graph",
    "cap_graph",
    "central_core",
    "Drawing",
    "network_html",
    "top_label_px",
    "offline",
    "legend",
    "network_component",
]

Node = tuple[str, str]  # (label, id), as graph.analytics keys nodes

# Measures a node can be sized by (graph.analytics.centrality), and what can colour it.
SIZE_MEASURES = ("pagerank", "degree", "weighted_degree", "betweenness", "eigenvector")
COLOUR_MODES = ("type", "community")
NODE_CAP = 250
EDGE_CAP = 1500
STABILIZATION_ITERATIONS = 300
LABELLED_TOP = 12
LABEL_PX = (16.0, 12.0)  # screen px of the most central label and of the last of the top ones
LABEL_MIN_PX = 8  # a label smaller than this on the screen is not drawn (vis-network's drawThreshold, minus one)
LABEL_MAX_PX = 22  # nor larger than this when zoomed in

# One colour per node type, and a qualitative palette for communities.
TYPE_COLOURS = {
    "Issue": "#d9534f",
    "Mitigation": "#2e9e5b",
    "Interviewee": "#3b7dd8",
    "Project": "#8e5cc4",
    "Interview": "#e69138",
    "Transcript": "#a0785a",
    "Code": "#8c8c8c",
    "Excerpt": "#c9c9c9",
}
COMMUNITY_COLOURS = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2", "#c7c7c7", "#dbdb8d", "#9edae5",
]

_REMOTE_TAG = re.compile(
    r"<link\b[^>]*\bhref=\"https?://[^\"]*\"[^>]*>|<script\b[^>]*\bsrc=\"https?://[^\"]*\"[^>]*>\s*</script>", re.IGNORECASE
)
_REMOTE_ATTRIBUTE = re.compile(r"\b(?:src|href)=\"https?://", re.IGNORECASE)

_STYLE = """<style>
  body { margin: 0; font-family: sans-serif; }
  center:has(> h1:empty) { display: none; }
  #mynetwork { border: 0 !important; }
  div.vis-tooltip { white-space: pre-line; font-family: sans-serif; font-size: 13px; max-width: 420px; }
</style>
"""
# vis-network stabilises before the first drawing; afterwards physics would keep nudging nodes forever.
# Then the most central nodes' labels (those with labelPx) get that size on the screen, and the
# drawing is fitted again, labels included; fitting changes the zoom, so size and fit alternate a few times.
_SETTLE = """<script>
(function () {
  function sizeLabels() {
    var scale = network.getScale();
    nodes.update(nodes.get({filter: function (n) { return n.labelPx !== undefined; }}).map(function (n) {
      return {id: n.id, font: {size: n.labelPx / scale}};
    }));
  }
  function settle() {
    network.setOptions({physics: false});
    for (var round = 0; round < 4; round++) {
      sizeLabels();
      network.redraw();  // measures the labels, which fit() then counts in
      network.fit({animation: false});
    }
    // at: epoch ms; layout: ms since this frame began loading (parse, draw and stabilise).
    window.findingsSettled = {at: Date.now(), layout: performance.now(), nodes: nodes.length, edges: edges.length};
  }
  if (nodes.length === 0) { settle(); } else { network.once("stabilizationIterationsDone", settle); }
})();
</script>
"""


def node_key(node: Node) -> str:
    return f"{node[0]}:{node[1]}"


def link_key(a: Node, b: Node) -> str:
    return json.dumps([node_key(a), node_key(b)])


def filter_graph(
    graph: nx.Graph,
    *,
    keep_node: Callable[[Node, dict], bool] | None = None,
    provenances: Iterable[str] | None = None,
    min_weight: float = 0.0,
) -> nx.Graph:
    """The part of ``graph`` the filters keep (a new graph; ``graph`` is not changed).

    ``keep_node(node, attributes)`` decides on nodes; ``provenances`` keeps the
    links that carry a provenance (issue - mitigation) when any of theirs is
    chosen; ``min_weight`` drops lighter links.
    """
    kept = nx.Graph(graph)
    if keep_node is not None:
        kept.remove_nodes_from([n for n, attributes in graph.nodes(data=True) if not keep_node(n, attributes)])
    chosen = set(provenances or ())
    kept.remove_edges_from(
        [
            (a, b)
            for a, b, data in kept.edges(data=True)
            if data.get("weight", 1.0) < min_weight
            # A link found several ways lists them ("coded+catalog"): any chosen one keeps it.
            or (chosen and "provenance" in data and not set(re.split(r"[+,; ]+", data["provenance"] or "")) & chosen)
        ]
    )
    kept.remove_nodes_from([n for n in list(kept) if kept.degree(n) == 0 and graph.degree(n) > 0])
    return kept


def cap_graph(
    graph: nx.Graph, score: dict[Hashable, float], max_nodes: int = NODE_CAP, max_edges: int = EDGE_CAP
) -> tuple[nx.Graph, str | None]:
    """At most ``max_nodes`` central nodes that hang together and the heaviest ``max_edges`` links, and what was left out."""
    notes = []
    shown = graph
    if graph.number_of_nodes() > max_nodes:
        shown = graph.subgraph(central_core(graph, score, max_nodes)).copy()
        notes.append(f"the {max_nodes:,} most central of {graph.number_of_nodes():,} nodes that hang together")
    if shown.number_of_edges() > max_edges:
        heaviest = sorted(shown.edges(data=True), key=lambda e: (-e[2].get("weight", 1.0), repr(e[:2])))[:max_edges]
        total = shown.number_of_edges()
        shown = nx.Graph(shown)
        shown.remove_edges_from(list(shown.edges()))
        shown.add_edges_from(heaviest)
        notes.append(f"the {max_edges:,} heaviest of {total:,} links")
    if not notes:
        return shown, None
    return shown, "Showing " + " and ".join(notes) + ": narrow the filters or raise the minimum weight to see the rest."


def central_core(graph: nx.Graph, score: dict[Hashable, float], size: int) -> set[Hashable]:
    """``size`` nodes grown best-first from the most central: each next node is the most
    central neighbour of those chosen, or, when they have none left, the most central of the rest.

    The ``size`` most central nodes alone can have almost no links between them (in the whole
    knowledge graph the hubs are joined through excerpts, which score low), which draws as
    scattered dots; growing through links keeps the drawing a network around its centres.
    """
    def rank(node: Hashable) -> tuple[float, str]:
        return -score.get(node, 0.0), repr(node)

    remaining = iter(sorted(graph, key=rank))
    chosen: set[Hashable] = set()
    frontier: list[tuple[tuple[float, str], Hashable]] = []
    while len(chosen) < min(size, graph.number_of_nodes()):
        while frontier and frontier[0][1] in chosen:
            heapq.heappop(frontier)
        node = heapq.heappop(frontier)[1] if frontier else next(n for n in remaining if n not in chosen)
        chosen.add(node)
        for neighbour in graph[node]:
            if neighbour not in chosen:
                heapq.heappush(frontier, (rank(neighbour), neighbour))
    return chosen


def _scale(values: dict[Hashable, float], low: float, high: float) -> dict[Hashable, float]:
    if not values:
        return {}
    least, most = min(values.values()), max(values.values())
    if most == least:
        return {k: (low + high) / 2 for k in values}
    return {k: low + (high - low) * (v - least) / (most - least) for k, v in values.items()}


def _short(text: str, limit: int = 32) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Drawing:
    """The HTML to embed, and what the cap left out (None when everything is drawn)."""

    html: str
    message: str | None
    nodes: int
    edges: int


def network_html(
    graph: nx.Graph,
    measures: Measures,
    *,
    size_by: str = "pagerank",
    colour_by: str = "type",
    counts: Callable[[Node], dict[str, int]] = lambda node: {},
    cap: int = NODE_CAP,
    edge_cap: int = EDGE_CAP,
    height: int = 620,
) -> Drawing:
    """Self-contained HTML drawing ``graph`` (a filtered part of ``measures.graph``).

    Nodes are sized by the measure ``size_by`` (computed on the whole view),
    coloured by type or Louvain community, and their tooltip gives the name,
    type, ``counts(node)`` and the measures.
    """
    score = {n: measures.values[n][size_by] for n in graph}
    shown, message = cap_graph(graph, score, cap, edge_cap)
    net = Network(height=f"{height}px", width="100%", cdn_resources="in_line", heading="")
    sizes = _scale({n: score[n] for n in shown}, 12.0, 46.0)
    label_px = top_label_px(shown, score)
    for node in sorted(shown, key=repr):
        name = str(shown.nodes[node].get("name") or node[1])
        lines = [name, node[0], *(f"{k}: {v:,}" for k, v in counts(node).items())]
        lines += [f"{k.replace('_', ' ')}: {v:.3g}" for k, v in measures.values[node].items()]
        colour = _community_colour(measures.values[node]["community"]) if colour_by == "community" else _type_colour(node)
        extra = {"labelPx": label_px[node]} if node in label_px else {}
        net.add_node(node_key(node), label=_short(name), title="\n".join(lines), color=colour, size=sizes[node], **extra)
    weights = {(a, b): data.get("weight", 1.0) for a, b, data in shown.edges(data=True)}
    widths = _scale(weights, 1.0, 8.0)
    # Appended directly: Network.add_edge looks for duplicates edge by edge (quadratic), and a
    # networkx graph has none.
    net.edges.extend(
        {"from": node_key(a), "to": node_key(b), "id": link_key(a, b), "width": widths[(a, b)],
         "title": _link_title(shown, a, b, data)}
        for a, b, data in sorted(shown.edges(data=True), key=lambda e: repr(e[:2]))
    )
    net.options = {
        "physics": {
            "solver": "barnesHut",
            "barnesHut": {"gravitationalConstant": -9000, "springLength": 140, "springConstant": 0.03,
                          "damping": 0.25, "avoidOverlap": 0.3},
            "stabilization": {"enabled": True, "iterations": STABILIZATION_ITERATIONS, "updateInterval": 25,
                              "fit": True},
            "minVelocity": 1.0,
        },
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": True, "multiselect": False},
        "nodes": {
            "shape": "dot", "borderWidth": 1,
            # A white halo keeps a label readable where it crosses links and other nodes.
            "font": {"size": 14, "face": "sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
            "scaling": {"label": {"enabled": False, "drawThreshold": LABEL_MIN_PX + 1, "maxVisible": LABEL_MAX_PX}},
        },
        "edges": {"smooth": False, "color": {"color": "#b5b5b5", "highlight": "#333333", "hover": "#555555"}},
    }
    return Drawing(offline(net.generate_html()), message, shown.number_of_nodes(), shown.number_of_edges())


def top_label_px(graph: nx.Graph, score: dict[Hashable, float], top: int = LABELLED_TOP) -> dict[Hashable, float]:
    """Screen px for the labels of the ``top`` most central nodes: the most central largest, evenly down."""
    ranked = sorted(graph, key=lambda n: (-score.get(n, 0.0), repr(n)))[:top]
    high, low = LABEL_PX
    step = (high - low) / max(len(ranked) - 1, 1)
    return {node: round(high - rank * step, 2) for rank, node in enumerate(ranked)}


def _link_title(graph: nx.Graph, a: Node, b: Node, data: dict) -> str:
    names = [str(graph.nodes[n].get("name") or n[1]) for n in (a, b)]
    lines = [" - ".join(names)]
    lines += [f"{k}: {v:g}" if isinstance(v, float) else f"{k}: {v}" for k, v in sorted(data.items())
              if isinstance(v, (int, float, str))]
    return "\n".join(lines)


def offline(html: str) -> str:
    """pyvis HTML without remote assets, with the explorer's style and the settle hook."""
    html = _REMOTE_TAG.sub("", html)
    if _REMOTE_ATTRIBUTE.search(html):
        raise ValueError("the network HTML still loads a remote asset; pyvis's template changed")
    return html.replace("</head>", _STYLE + "</head>", 1).replace("</body>", _SETTLE + "</body>", 1)


def _type_colour(node: Node) -> str:
    return TYPE_COLOURS.get(node[0], "#999999")


def _community_colour(number: int) -> str:
    return COMMUNITY_COLOURS[number % len(COMMUNITY_COLOURS)]


def legend(colour_by: str, labels: Iterable[str]) -> str:
    """HTML explaining the colours of a drawing, to show beside it."""
    if colour_by == "community":
        return "Colour: Louvain community of the whole view (hover a node for its number)."
    return " ".join(
        f'<span style="white-space:nowrap"><span style="display:inline-block;width:0.8em;height:0.8em;'
        f'border-radius:50%;background:{TYPE_COLOURS.get(label, "#999999")};margin-right:0.3em"></span>'
        f"{escape(label)}</span>&nbsp;"
        for label in sorted(labels)
    )


# Declared once per process; Streamlit serves the folder's index.html to the page's frame.
_COMPONENT = components.declare_component("findings_network", path=str(Path(__file__).resolve().parent / "frontend"))


def network_component(
    drawing: Drawing, *, height: int = 640, key: str | None = None, on_change: Callable[[], None] | None = None
) -> dict[str, Any] | None:
    """Show ``drawing`` in the page; the last click on it: ``{"node": node_key}`` or ``{"link": link_key}``.

    A plain ``st.iframe`` cannot answer back; this component (``frontend/index.html``)
    shows the same HTML in a nested frame and returns what the researcher clicked,
    so the page can list that node's or link's quotes beside the drawing.
    """
    return _COMPONENT(html=drawing.html, height=height, key=key, on_change=on_change, default=None)
