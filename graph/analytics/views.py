"""The projections by name, as the CLI and the explorer choose them (``--view``).

- ``cooccurrence``: issues joined by shared paragraphs or interviews (:mod:`.cooccurrence`);
- ``mitigation``: strategies and the issues they address (:mod:`.mitigation_projection`);
- ``interviewee``: interviewees and the issues they raised (:mod:`.interviewee_projection`);
- ``full``: the whole knowledge graph (:mod:`.knowledge_projection`).
"""

from __future__ import annotations

import networkx as nx

from graph.analytics.cooccurrence import cooccurrence_graph
from graph.analytics.interviewee_projection import interviewee_graph
from graph.analytics.knowledge_projection import knowledge_graph
from graph.analytics.mitigation_projection import mitigation_graph
from graph.analytics.names import VIEWS
from graph.analytics.selection import CONSENSUS, Copies, Source



def build_view(
    source: Source, view: str, *, copies: Copies = CONSENSUS, weighting: str | None = None
) -> nx.Graph:
    """The named projection of ``source`` read by the copies rule; ValueError for an unknown view or an option
    it cannot honour.

    ``weighting`` (``excerpts`` by default, or ``interviews``) only exists for the co-occurrence view.
    """
    if view == "cooccurrence":
        return cooccurrence_graph(source, copies=copies, weighting=weighting or "excerpts")
    if weighting is not None:
        raise ValueError(f"--weighting only applies to the cooccurrence view, not {view}")
    if view == "mitigation":
        if copies != CONSENSUS:
            raise ValueError("the mitigation view reads the knowledge layer's links, which use consensus "
                             "copies or else every coder; --copies or --coder does not apply to it")
        return mitigation_graph(source)
    if view == "interviewee":
        return interviewee_graph(source, copies=copies)
    if view == "full":
        return knowledge_graph(source, copies=copies)
    raise ValueError(f"unknown view {view!r} (one of {', '.join(VIEWS)})")
