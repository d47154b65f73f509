"""What the command line and the explorer offer to choose in analytics, named without importing the analytics.

The views, the co-occurrence weightings and the betweenness sampling limits
are options of ``findings centrality`` and choices on the Network page. They
live here, free of networkx and numpy, so that ``findings --help`` and every
command that does not compute measures start at once; the modules that use
them import them from here.

Each network view is one module that names itself (``VIEW``) and builds its
graph; :data:`VIEW_REGISTRY` lists them, so adding a view is one module plus
one line here.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["WEIGHTINGS", "EXACT_LIMIT", "SAMPLES", "NetworkView", "VIEW_REGISTRY", "VIEWS", "network_view"]

WEIGHTINGS = ("excerpts", "interviews")
EXACT_LIMIT = 1000  # nodes up to which betweenness is exact
SAMPLES = 200  # source nodes sampled for betweenness above EXACT_LIMIT


@dataclass(frozen=True)
class NetworkView:
    """A projection by name: ``builder`` is ``module:function``, called as ``function(source, **options)``.

    ``copies``: whether the view reads excerpts by a copies rule (else it reads the knowledge layer's
    links, which have their own rule); ``weightings``: the edge weightings it can be asked for, the
    first being its default.
    """

    name: str
    label: str
    builder: str
    copies: bool = True
    weightings: tuple[str, ...] = ()

    @property
    def module(self) -> str:
        return self.builder.partition(":")[0]


VIEW_REGISTRY = (
    NetworkView("mitigation", "Issue - mitigation", "graph.analytics.mitigation_projection:mitigation_graph",
                copies=False),
    NetworkView("cooccurrence", "Issue co-occurrence", "graph.analytics.cooccurrence:cooccurrence_graph",
                weightings=WEIGHTINGS),
    NetworkView("interviewee", "Interviewee - issue", "graph.analytics.interviewee_projection:interviewee_graph"),
    NetworkView("projects", "Projects", "graph.analytics.project_projection:project_graph"),
    NetworkView("full", "Whole knowledge graph", "graph.analytics.knowledge_projection:knowledge_graph"),
)
VIEWS = tuple(view.name for view in VIEW_REGISTRY)


def network_view(name: str) -> NetworkView:
    """The registered view called ``name``; ValueError naming the views otherwise."""
    for view in VIEW_REGISTRY:
        if view.name == name:
            return view
    raise ValueError(f"unknown view {name!r} (one of {', '.join(VIEWS)})")
