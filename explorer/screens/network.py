"""Network: one projection drawn with pyvis, filtered, sized by a centrality, with the chosen node's quotes.

Measures are computed on the whole view (a node's centrality in the study),
then the filters choose what is drawn. The interview filter keeps the nodes
those interviews gave evidence for; weights stay study-wide.
"""

from __future__ import annotations

import streamlit as st

from explorer import data
from explorer.connection import current_source
from explorer.network import (
    COLOUR_MODES,
    NODE_CAP,
    SIZE_MEASURES,
    filter_graph,
    legend,
    network_component,
    network_html,
    node_key,
)
from graph.analytics.names import network_view
from graph.analytics.selection import CONSENSUS

PROVENANCES = ["coded", "catalog", "inferred"]
# Nodes whose id starts with their interview's id (graph/identity.py): "interview-35/po/<sha>/12".
_BY_ID_PREFIX = {"Interview", "Transcript", "Excerpt"}

where = current_source()
st.title("Network")

top = st.columns([2, 1.4, 1, 1.6])
views = data.labelled([(v, label) for v, label in data.VIEW_LABELS.items()])
view = views[top[0].selectbox("View", list(views), key="view")]
size_by = top[1].selectbox("Node size", SIZE_MEASURES, key="size_by")
colour_by = top[2].selectbox("Colour", COLOUR_MODES, key="colour_by")
rules = data.copies_choices(where)
rule_choice = top[3].selectbox(
    "Copies counted", list(rules), key="coder", disabled=not network_view(view).copies,
    help="Which coded copies to read: the consensus copy, else the union of coders (default); every coded copy; "
         "or one coder's. The mitigation view reads the knowledge layer's links (consensus, else every coder).",
)
copies = rules[rule_choice] if network_view(view).copies else str(CONSENSUS)

try:
    slow = " (the whole graph of a large study can take a minute, once)" if view == "full" else ""
    with st.spinner(f"Computing the view and its measures{slow}..."):
        measures = data.view(where, view, copies)
except ValueError as exc:
    st.warning(str(exc))
    st.stop()
graph = measures.graph
evidence = data.evidence(where, copies)
categories = data.issue_categories(where)
interviews = data.interviews(where)

with st.expander("Filters", expanded=False):
    columns = st.columns(4)
    chosen_categories = columns[0].multiselect("Issue category", sorted(set(categories.values())), key="categories",
                                               placeholder="all categories")
    chosen_interviews = columns[1].multiselect("Interviews", list(interviews["name"]), key="interviews",
                                               placeholder="all interviews", help="Nodes these interviews gave evidence for.")
    chosen_provenance = columns[2].multiselect("Provenance (issue - mitigation links)", PROVENANCES, key="provenance",
                                               placeholder="every provenance")
    heaviest = max((w for *_, w in graph.edges(data="weight", default=1.0)), default=1.0)
    min_weight = columns[3].number_input("Minimum link weight", min_value=0.0, max_value=float(heaviest), value=0.0,
                                         step=1.0, key="min_weight")

interview_ids = set(interviews.loc[interviews["name"].isin(chosen_interviews), "id"])


def keep(node: tuple[str, str], attributes: dict) -> bool:
    label, node_id = node
    if chosen_categories and label == "Issue" and categories.get(node_id) not in chosen_categories:
        return False
    if interview_ids:
        if label in _BY_ID_PREFIX:
            return node_id.split("/")[0] in interview_ids
        if node in evidence:
            return bool(evidence[node][0] & interview_ids)
    return True


shown = filter_graph(graph, keep_node=keep, provenances=chosen_provenance, min_weight=float(min_weight))


def counts(node: tuple[str, str]) -> dict[str, int]:
    if node not in evidence:
        return {}
    found, paragraphs = evidence[node]
    return {"interviews": len(found), "paragraphs": paragraphs}


st.caption(
    f"{data.VIEW_LABELS[view]}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges in the view; "
    f"{shown.number_of_nodes()} nodes and {shown.number_of_edges()} edges after the filters. "
    f"Edge weight: {graph.graph.get('weighting')}. Copies read: {graph.graph.get('selection')}. "
    f"{measures.communities} communities ({measures.community_method}); betweenness {measures.betweenness_method}."
)
if shown.number_of_nodes() == 0:
    st.info("Nothing to draw: the view is empty or the filters leave no node.")
    st.stop()

drawing = network_html(shown, measures, size_by=size_by, colour_by=colour_by, counts=counts, cap=NODE_CAP)
if drawing.message:
    st.warning(drawing.message)



def clicked() -> None:
    """A click on a node in the drawing chooses it in the node list (before that widget is drawn again)."""
    click = st.session_state.get("network_click") or {}
    option = st.session_state.get("node_options", {}).get(click.get("node"))
    if option is not None:
        st.session_state["node"] = option


left, right = st.columns([3, 2])
with left:
    network_component(drawing, height=640, key="network_click", on_change=clicked)
    st.caption(legend(colour_by, {n[0] for n in shown}), unsafe_allow_html=True)
with right:
    ranked = sorted(shown, key=lambda n: (-measures.values[n][size_by], repr(n)))[:NODE_CAP]
    choices = data.labelled([(n, f"{shown.nodes[n].get('name') or n[1]} ({n[0]})") for n in ranked])
    st.session_state["node_options"] = {node_key(n): option for option, n in choices.items()}
    node = choices[st.selectbox("Node", list(choices), key="node",
                                help="Nodes in the drawing, largest first; clicking a node in the drawing chooses it. "
                                     "Hover a node for its counts.")]
    values = measures.values[node]
    st.markdown(
        f"**{shown.nodes[node].get('name', node[1])}** ({node[0]}, `{node[1]}`)  \n"
        + ", ".join(f"{k.replace('_', ' ')} {v:.3g}" for k, v in values.items())
        + "".join(f", {k} {v}" for k, v in counts(node).items())
    )
    found = data.quotes(where, node[0], node[1], copies)
    if found is None:
        st.caption(f"{node[0]} nodes carry no quotes; pick an issue, strategy, interviewee, project or code.")
    elif found.empty:
        st.caption("No quotes on the copies read.")
    else:
        st.caption(f"{len(found)} quotes")
        # A static table: each quote wrapped in full, as many rows as quotes (a grid cuts a quote to its
        # column and pads a fixed height with empty rows).
        st.table(data.quote_table(found), hide_index=True)
