"""Who worked on which project, and what each project faced.

The part of the whole knowledge graph (:mod:`.knowledge_projection`) made
of interviewees, projects and issues: interviewees linked to the projects
they worked on, projects to the issues raised in their excerpts, and
interviewees to the issues they raised. Measures here say which projects
and people carry the most problems, without the excerpts and codes that
make the full graph hard to read.
"""

from __future__ import annotations

import networkx as nx

from graph.analytics.knowledge_projection import knowledge_graph
from graph.analytics.selection import CONSENSUS, Copies
from graph.store import Reader

__all__ = ["VIEW", "PROJECT_LABELS", "project_graph"]

VIEW = "projects"  # its name in graph.analytics.names.VIEW_REGISTRY
PROJECT_LABELS = {"Interviewee", "Project", "Issue"}


def project_graph(source: Reader, *, copies: Copies = CONSENSUS) -> nx.Graph:
    """The interviewee - project - issue part of the knowledge graph of the selected copies."""
    full = knowledge_graph(source, copies=copies)
    graph = full.subgraph(node for node in full if node[0] in PROJECT_LABELS).copy()
    graph.graph.update(view=VIEW)
    return graph
