"""The interviewee-issue bipartite graph: who reported what.

An interviewee is joined to each issue coded in their interview, weighted by
the number of paragraphs carrying it: how much of the conversation the issue
took. Issues central here are the ones many practitioners raised; the
interviewees central here are those whose experience spans many issues.
"""

from __future__ import annotations

from collections import Counter

import networkx as nx

from graph import reads
from graph.analytics.selection import CONSENSUS, Copies, paragraph_issues, select
from graph.store import Reader

__all__ = ["VIEW", "interviewee_graph"]

VIEW = "interviewee"  # its name in graph.analytics.names.VIEW_REGISTRY


def interviewee_graph(source: Reader, *, copies: Copies = CONSENSUS) -> nx.Graph:
    """Bipartite graph: Interviewee nodes (``bipartite=0``), Issue nodes (``bipartite=1``)."""
    selection = select(source, copies)
    graph = nx.Graph(view="interviewee", weighting="excerpts", selection=selection.rule, left_out=selection.left_out)
    interviewee_of = {
        interview: (person, name)
        for person, name, interview in reads.interviewees_of_interviews(source)
    }
    names = dict(reads.issue_names(source))
    weights: Counter[tuple[str, str]] = Counter()
    for (interview, _), issues in paragraph_issues(source, selection).items():
        if interview in interviewee_of:
            weights.update((interviewee_of[interview][0], issue) for issue in issues)
    for interview in selection.transcripts:
        if interview in interviewee_of:
            person, name = interviewee_of[interview]
            graph.add_node(("Interviewee", person), label="Interviewee", id=person, name=name or person, bipartite=0)
    for (person, issue), count in sorted(weights.items()):
        graph.add_node(("Issue", issue), label="Issue", id=issue, name=names.get(issue) or issue, bipartite=1)
        graph.add_edge(("Interviewee", person), ("Issue", issue), weight=float(count), excerpts=count)
    return graph
