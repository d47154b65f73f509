"""Rebuild the knowledge layer from what the store holds.

Mitigations with SUGGESTS and ADDRESSES, projects with ABOUT, FACED and
WORKED_ON, and the interviewees' roles and summaries are all derived from
the ingested transcripts. Everything is read with Cypher and written in the
ingest's transaction. Nodes keep their identity across rebuilds (stale ones
are deleted, kept ones updated, new ones inserted), so properties other
parts of the system write on them, such as network measures, are only
touched by the next refresh.

What one interview yields (its SUGGESTS, its projects, its interviewee's
profile) depends only on its own copies, the catalog, the vocabularies and
the codebook's reading of its codes into issues. Each Transcript records a
fingerprint of these (``knowledge_basis``, :func:`knowledge_bases`), and an
ingest re-reads only the interviews with a copy that is new, replaced, or
derived on another basis: adding one interview to a study of thousands takes seconds, and a
new catalog or codebook still re-derives everything. Mitigations and
ADDRESSES, which aggregate over the whole study, are always recomputed from
the stored and the new SUGGESTS.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from importlib import resources

from graph import reads
from graph.knowledge.catalog import Catalog
from graph.knowledge.grouping import is_said, phrase_for, representative
from graph.knowledge.interviewees import Profile, profile
from graph.knowledge.lemmas import lemma_dictionary_version
from graph.knowledge.linking import Suggestion, aggregate, link
from graph.knowledge.projects import ProjectFinding, find_projects, merge_copies
from graph.knowledge.transcript import IssueView, read_issues, read_selected
from graph.schema import (
    delete_nodes_statement,
    delete_relationships_below_statement,
    delete_relationships_statement,
    merge_node_statement,
    set_node_properties_statement,
)
from graph.store import GraphStore, Transaction

__all__ = [
    "KnowledgeReport",
    "derive_knowledge",
    "knowledge_bases",
    "RebuildPlan",
    "Derived",
    "plan_rebuild",
    "derive",
    "write_knowledge",
    "rebuild_knowledge",
]

_DERIVED_RELATIONSHIPS = ("SUGGESTS", "ADDRESSES", "ABOUT", "FACED", "WORKED_ON")

@dataclass
class KnowledgeReport:
    mitigations: int = 0
    links: int = 0
    suggestions: int = 0
    projects: int = 0  # found in the interviews read by this rebuild
    interviewees: int = 0  # profiled by this rebuild
    interviews: int = 0  # read by this rebuild (all of them when the basis changed)


def derive_knowledge(store: GraphStore, catalog: Catalog) -> KnowledgeReport:
    """Bring mitigations, projects and interviewee profiles up to date in one transaction."""
    with store.transaction() as tx:
        return rebuild_knowledge(tx, catalog)


def knowledge_bases(tx: Transaction, catalog: Catalog) -> dict[str, str]:
    """Per transcript, a fingerprint of what its knowledge depends on besides its own words.

    The catalog, the shipped vocabularies and the derivation's own code (the
    source of every module of this package, so a change to how knowledge is
    found re-derives stores made before it, with nothing to bump by hand),
    and what the codebook makes of the codes the transcript uses (the issues
    they indicate or fix, with their names and families). A code added by
    another interview leaves this transcript's basis alone.
    """
    common = hashlib.sha256()
    for strategy in sorted(catalog.strategies.values(), key=lambda s: s.id):
        common.update(repr((strategy.id, strategy.name, strategy.description, strategy.families,
                            sorted(strategy.issue_lemmas), [m.source for m in strategy.matchers])).encode())
    for part in sorted(resources.files("graph.knowledge").iterdir(), key=lambda f: f.name):
        if part.name.endswith((".yaml", ".py")):
            common.update(part.name.encode() + b"\0" + part.read_bytes())
    # The lemma dictionary is part of how strategies are matched: another version may read words otherwise.
    common.update(lemma_dictionary_version().encode())
    meaning: dict[str, list] = defaultdict(list)
    for rel in ("INDICATES", "FIX_FOR"):
        for code, *issue in reads.code_issue_meanings(tx, rel):
            meaning[code].append((rel, *issue))
    used: dict[str, set[str]] = defaultdict(set)
    for tid, code in reads.codes_used_by_copies(tx):
        used[tid].add(code)
    bases = {}
    for tid in reads.node_keys(tx, "Transcript"):
        digest = common.copy()
        digest.update(repr(sorted((code, sorted(meaning[code])) for code in used[tid])).encode())
        bases[tid] = digest.hexdigest()
    return bases


@dataclass
class RebuildPlan:
    """Which interviews a rebuild reads: those whose copies were derived on another basis, with every interview
    of their interviewees (a profile reads them together); all of them when that is most."""

    bases: dict[str, str]  # transcript -> knowledge basis now
    copies: list[tuple[str, str]]  # (interview, transcript)
    interviewee_of: dict[str, str]  # interview -> interviewee
    stale: set[str]  # interviews to read
    people: set[str]  # interviewees to profile
    interviews: set[str]
    everything: bool  # read (and rewrite) every interview

    @property
    def derived(self) -> list[dict[str, str]]:
        """The new basis of every copy that is read."""
        return [{"id": tid, "knowledge_basis": self.bases[tid]} for interview, tid in self.copies if interview in self.stale]


@dataclass
class Derived:
    """What a rebuild found: this rebuild's SUGGESTS (``found``), all of them (``suggestions``), the links and
    mitigations aggregated over the study, the projects and profiles of the interviews read."""

    found: list[Suggestion]
    suggestions: list[Suggestion]
    links: list
    mitigations: dict[str, dict]
    projects: dict[str, ProjectFinding]
    profiles: dict[str, Profile]
    issues: dict[str, IssueView]


def plan_rebuild(tx: Transaction, catalog: Catalog) -> RebuildPlan:
    """Compare every copy's stored basis with its basis now: what must be read again."""
    bases = knowledge_bases(tx, catalog)
    copies = reads.copies_with_bases(tx)
    gave = [(interview, person) for person, _, interview in reads.interviewees_of_interviews(tx)]
    interviewee_of = dict(gave)
    stale = {interview for interview, tid, derived_with in copies if derived_with != bases[tid]}
    # A profile reads the interviewee's first interview: all their interviews are read again together.
    people = {interviewee_of[i] for i in stale if i in interviewee_of}
    stale |= {interview for interview, person in gave if person in people}
    interviews = {interview for interview, _, _ in copies}
    # When most interviews are to be read anyway, one pass over everything beats picking them out.
    everything = 2 * len(stale) > len(interviews)
    return RebuildPlan(bases, [(i, t) for i, t, _ in copies], interviewee_of, stale, people, interviews, everything)


def derive(tx: Transaction, plan: RebuildPlan, catalog: Catalog) -> Derived:
    """Read the planned interviews' copies and derive their knowledge (nothing is written)."""
    views = read_selected(tx, None if plan.everything else plan.stale)
    issues = read_issues(tx)
    found = link(views, catalog, issues)
    suggestions = found if plan.everything else _stored_suggestions(tx, keep_unless=plan.stale) + found
    # Coders' copies of one interview find the same projects: merge them.
    projects = {p.id: p for p in merge_copies([p for view in views for p in find_projects(view)])}
    profiles = {}
    for view in views:
        # One copy per interview is enough: all copies share the words.
        profiles.setdefault(plan.interviewee_of.get(view.interview), profile(view))
    profiles.pop(None, None)
    return Derived(found, suggestions, aggregate(suggestions), _mitigations(suggestions, catalog, issues), projects,
                   profiles, issues)


def write_knowledge(tx: Transaction, plan: RebuildPlan, derived: Derived) -> None:
    """Replace what the planned interviews gave with what was derived; mitigations and ADDRESSES whole."""
    projects = derived.projects
    project_rows = [
        {"id": p.id, "name": p.name, "domain": p.domain, "domain_cues": p.domain_cues, "interview": p.interview}
        for p in projects.values()
    ]
    if plan.everything:
        for name in _DERIVED_RELATIONSHIPS:
            tx.run(delete_relationships_statement(name))
        _replace_nodes(tx, "Project", project_rows)
    else:
        ids = {"ids": sorted(plan.stale)}
        tx.run(delete_relationships_below_statement(["HAS_TRANSCRIPT", "HAS_EXCERPT"], "SUGGESTS"), ids)
        tx.run(delete_relationships_statement("ADDRESSES"))
        # Deleting a project takes its ABOUT, FACED and WORKED_ON with it.
        tx.run(delete_nodes_statement("Project", by="interview"), ids)
        tx.insert_nodes("Project", project_rows)
    _replace_nodes(tx, "Mitigation", list(derived.mitigations.values()))
    tx.insert_relationships(
        "SUGGESTS",
        [
            {"source": s.excerpt, "target": s.mitigation, "provenance": s.provenance, "issue": s.issue,
             "confidence": s.confidence, "quote": s.quote}
            for s in derived.found
        ],
    )
    tx.insert_relationships(
        "ADDRESSES",
        [
            {"source": k.mitigation, "target": k.issue, "excerpts": k.excerpts, "interviews": k.interviews,
             "provenance": k.provenance, "confidence": k.confidence, "quote": k.quote}
            for k in derived.links
        ],
    )
    about = {(e.id, p.id) for p in projects.values() for e in p.excerpts}
    tx.insert_relationships("ABOUT", [{"source": e, "target": p} for e, p in sorted(about)])
    tx.insert_relationships(
        "FACED",
        [{"source": p.id, "target": i} for p in projects.values() for i in sorted(p.issues & derived.issues.keys())],
    )
    tx.insert_relationships(
        "WORKED_ON",
        [{"source": plan.interviewee_of[p.interview], "target": p.id}
         for p in projects.values() if p.interview in plan.interviewee_of],
    )
    unknown = Profile([], None)
    profiled = [person for person in reads.node_keys(tx, "Interviewee") if plan.everything or person in plan.people]
    if profiled:
        profiles = {k: derived.profiles.get(k, unknown) for k in profiled}
        tx.run(set_node_properties_statement("Interviewee", ["roles", "past_roles", "summary"]),
               {"rows": [{"id": k, "roles": p.roles, "past_roles": p.past_roles, "summary": p.summary}
                         for k, p in profiles.items()]})
    if plan.derived:
        tx.run(set_node_properties_statement("Transcript", ["knowledge_basis"]), {"rows": plan.derived})


def rebuild_knowledge(tx: Transaction, catalog: Catalog) -> KnowledgeReport:
    """Bring the knowledge layer up to date inside an open transaction (an ingest's own): plan, derive, write."""
    plan = plan_rebuild(tx, catalog)
    derived = derive(tx, plan, catalog)
    write_knowledge(tx, plan, derived)
    return KnowledgeReport(
        len(derived.mitigations), len(derived.links), len(derived.suggestions), len(derived.projects),
        len(derived.profiles), len(plan.interviews) if plan.everything else len(plan.stale),
    )


def _mitigations(suggestions: list[Suggestion], catalog: Catalog, issues: dict[str, IssueView]) -> dict[str, dict]:
    """The Mitigation rows the suggestions point to: catalog strategies, and groups of the interviewees' phrases.

    A group's name is its most representative phrase (:mod:`.grouping`),
    recovered from each suggestion's quote, so that a rebuild of some
    interviews names a group exactly as a rebuild of all of them would.
    """
    mitigations: dict[str, dict] = {}
    phrases: dict[str, list[str]] = defaultdict(list)
    families: dict[str, set[str]] = defaultdict(set)
    for suggestion in suggestions:
        if is_said(suggestion.mitigation):
            phrase = phrase_for(suggestion.quote, suggestion.mitigation)
            phrases[suggestion.mitigation].append(phrase or suggestion.mitigation.removeprefix("said-").replace("-", " "))
            issue = issues.get(suggestion.issue)
            families[suggestion.mitigation].add((issue.category if issue else None) or "other")
        else:
            strategy = catalog.strategies[suggestion.mitigation]
            mitigations[strategy.id] = {
                "id": strategy.id,
                "name": strategy.name,
                "description": strategy.description,
                "kind": "catalog",
                "families": list(strategy.families),
            }
    for mitigation, said in phrases.items():
        name = representative(said)
        mitigations[mitigation] = {
            "id": mitigation,
            "name": name,
            "description": f"In the interviewees' words: said {len(said)} time(s) in fix-coded passages.",
            "kind": "said",
            "families": sorted(families[mitigation]),
        }
    return mitigations


def _stored_suggestions(tx: Transaction, *, keep_unless: set[str]) -> list[Suggestion]:
    """The SUGGESTS already derived for every interview not in ``keep_unless``."""
    rows = reads.derived_suggestions(tx)
    # Filtered here: LadybugDB's ``IN $ids`` would scan the list once per row.
    return [Suggestion(*row) for row in rows if row[1] not in keep_unless]


def _replace_nodes(tx: Transaction, label: str, rows: list[dict]) -> None:
    """Make ``label``'s nodes exactly ``rows``: delete stale, update kept, insert new."""
    existing = set(reads.node_keys(tx, label))
    wanted = {row["id"] for row in rows}
    stale = sorted(existing - wanted)
    if stale:
        tx.run(delete_nodes_statement(label), {"ids": stale})
    kept = [row for row in rows if row["id"] in existing]
    if kept:
        tx.run(merge_node_statement(label, [k for k in rows[0] if k != "id"]), {"rows": kept})
    tx.insert_nodes(label, [row for row in rows if row["id"] not in existing])
