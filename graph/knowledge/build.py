"""Rebuild the knowledge layer from what the store holds.

Mitigations with SUGGESTS and ADDRESSES, projects with ABOUT, FACED and
WORKED_ON, and the interviewees' roles and summaries are all derived from
the ingested transcripts, so they are rebuilt as a whole after every ingest:
a new transcript, a replaced one or a new catalog can change any of them.
Everything is read with Cypher and written in one transaction. Nodes keep
their identity across rebuilds (stale ones are deleted, kept ones updated,
new ones inserted), so properties other parts of the system write on them,
such as network measures, are only touched by the next refresh.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.knowledge.catalog import Catalog
from graph.knowledge.interviewees import Profile, profile
from graph.knowledge.linking import CATALOG, aggregate, link, unnamed_id
from graph.knowledge.projects import ProjectFinding, find_projects
from graph.knowledge.transcript import read_issues, read_selected
from graph.schema import merge_node_statement
from graph.store import GraphStore, Transaction

_DERIVED_RELATIONSHIPS = ("SUGGESTS", "ADDRESSES", "ABOUT", "FACED", "WORKED_ON")


@dataclass
class KnowledgeReport:
    mitigations: int = 0
    links: int = 0
    suggestions: int = 0
    projects: int = 0
    interviewees: int = 0


def derive_knowledge(store: GraphStore, catalog: Catalog) -> KnowledgeReport:
    """Rebuild mitigations, projects and interviewee profiles in one transaction."""
    with store.transaction() as tx:
        return rebuild_knowledge(tx, catalog)


def rebuild_knowledge(tx: Transaction, catalog: Catalog) -> KnowledgeReport:
    """Rebuild the knowledge layer inside an open transaction (an ingest's own)."""
    views = read_selected(tx)
    issues = read_issues(tx)
    suggestions = link(views, catalog, issues)
    links = aggregate(suggestions)

    mitigations = {}
    for suggestion in suggestions:
        if suggestion.provenance == CATALOG:
            issue = issues[suggestion.issue]
            mitigations[suggestion.mitigation] = {
                "id": unnamed_id(issue.id),
                "name": f"unnamed fix for {issue.name}",
                "description": "A fix the coders marked for this issue, naming no strategy of the catalog.",
                "kind": "unnamed",
                "families": [issue.category or "other"],
            }
        else:
            strategy = catalog.strategies[suggestion.mitigation]
            mitigations[strategy.id] = {
                "id": strategy.id,
                "name": strategy.name,
                "description": strategy.description,
                "kind": "catalog",
                "families": list(strategy.families),
            }

    projects: dict[str, ProjectFinding] = {}
    for view in views:
        for project in find_projects(view):
            # Coders' copies of one interview find the same projects: merge them.
            if project.id in projects:
                projects[project.id].excerpts += project.excerpts
            else:
                projects[project.id] = project

    interviewee_of = dict(tx.run("MATCH (p:Interviewee)-[:GAVE]->(i:Interview) RETURN i.id, p.id").rows)
    profiles = {}
    for view in views:
        # One copy per interview is enough: all copies share the words.
        profiles.setdefault(interviewee_of.get(view.interview), profile(view))
    profiles.pop(None, None)

    for name in _DERIVED_RELATIONSHIPS:
        tx.run(f"MATCH ()-[r:{name}]->() DELETE r")
    _replace_nodes(tx, "Mitigation", list(mitigations.values()))
    _replace_nodes(
        tx,
        "Project",
        [{"id": p.id, "name": p.name, "domain": p.domain, "interview": p.interview} for p in projects.values()],
    )
    tx.insert_relationships(
        "SUGGESTS",
        [
            {"source": s.excerpt, "target": s.mitigation, "provenance": s.provenance, "issue": s.issue,
             "confidence": s.confidence, "quote": s.quote}
            for s in suggestions
        ],
    )
    tx.insert_relationships(
        "ADDRESSES",
        [
            {"source": k.mitigation, "target": k.issue, "excerpts": k.excerpts, "interviews": k.interviews,
             "provenance": k.provenance, "confidence": k.confidence, "quote": k.quote}
            for k in links
        ],
    )
    about = {(e.id, p.id) for p in projects.values() for e in p.excerpts}
    tx.insert_relationships("ABOUT", [{"source": e, "target": p} for e, p in sorted(about)])
    tx.insert_relationships(
        "FACED", [{"source": p.id, "target": i} for p in projects.values() for i in sorted(p.issues & set(issues))]
    )
    tx.insert_relationships(
        "WORKED_ON",
        [{"source": interviewee_of[p.interview], "target": p.id} for p in projects.values() if p.interview in interviewee_of],
    )
    unknown = Profile([], None)
    everyone = [row[0] for row in tx.run("MATCH (p:Interviewee) RETURN p.id").rows]
    tx.run(
        "UNWIND $rows AS row MATCH (p:Interviewee {id: row.id}) SET p.roles = row.roles, p.summary = row.summary",
        {
            "rows": [
                {"id": k, "roles": profiles.get(k, unknown).roles, "summary": profiles.get(k, unknown).summary}
                for k in everyone
            ]
        },
    )
    return KnowledgeReport(len(mitigations), len(links), len(suggestions), len(projects), len(profiles))


def _replace_nodes(tx: Transaction, label: str, rows: list[dict]) -> None:
    """Make ``label``'s nodes exactly ``rows``: delete stale, update kept, insert new."""
    existing = {row[0] for row in tx.run(f"MATCH (n:{label}) RETURN n.id").rows}
    wanted = {row["id"] for row in rows}
    stale = sorted(existing - wanted)
    if stale:
        tx.run(f"MATCH (n:{label}) WHERE n.id IN $ids DETACH DELETE n", {"ids": stale})
    kept = [row for row in rows if row["id"] in existing]
    if kept:
        tx.run(merge_node_statement(label, [k for k in rows[0] if k != "id"]), {"rows": kept})
    tx.insert_nodes(label, [row for row in rows if row["id"] not in existing])
