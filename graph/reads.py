"""Every traversal of the graph the code needs, named once.

Analytics, knowledge, the command line and the explorer pages ask the graph
through these functions and hold no Cypher of their own; writes are
generated from :mod:`graph.schema`, and the ``cypher/`` library is the
user-facing subset. A read runs on anything with ``run(cypher, params)``
(:class:`graph.store.Reader`): a store, or an open transaction, which must
see its own uncommitted writes while an ingest derives knowledge.

Each function returns plain rows (lists in the RETURN order its docstring
gives) or a :class:`~graph.store.QueryResult` where callers want a table.
Filtering by the copies rule stays with the callers, in Python: LadybugDB
tests ``t.id IN $ids`` element by element, so that filter in Cypher grows
with rows times copies.
"""

from __future__ import annotations

from typing import Any

from graph.schema import KEY, NODES, RELATIONSHIPS, RelType
from graph.store import QueryResult, Reader

__all__ = [
    "interview_copies",
    "interview_copy_details",
    "copies_of_interview",
    "copy_coverage",
    "human_coders",
    "interviews",
    "interview_numbers",
    "interviewees_of_interviews",
    "interviewee_of_interview",
    "excerpts_of_transcript",
    "paragraph_issue_rows",
    "paragraph_code_rows",
    "codings_of_interview",
    "issues_of_interview",
    "issue_names",
    "issue_categories",
    "issues_with_strategy_counts",
    "strategies_with_issue_counts",
    "mitigations",
    "mitigation_links",
    "excerpt_links_by_interview",
    "QUOTED_LABELS",
    "node_quotes",
    "relationship_ends",
    "linked_excerpt_ends",
    "node_names",
    "node_keys",
    "transcript_digests",
    "code_uses",
    "codes_without_parent",
    "node_count",
    "relationship_count",
    "code_counts",
    "code_issue_links",
    "fix_coded_excerpts_of_issue",
    "excerpts_suggesting_for_issue",
    "suggestions_of_transcript",
    "interviewee_roles_and_projects",
    "issues_by_code",
    "codes_of_kinds",
    "issue_spellings",
    "issue_families",
    "interviewee_roles",
    "interview_domains",
    "all_excerpts",
    "themes",
    "theme_members",
    "interview_names",
    "copy_coders",
    "copies_with_interviews",
    "code_names",
    "excerpt_keys",
    "copies_with_suggestions",
    "stored_suggestions",
    "strategy_links_with_evidence",
    "suggestion_quotes",
    "copies_for_export",
    "suggested_codings",
    "codebook",
    "codings_with_quotes",
    "code_issue_meanings",
    "codes_used_by_copies",
    "copies_with_bases",
    "derived_suggestions",
    "issue_names_and_synonyms",
    "mitigation_names",
    "suggestions_of_mitigations",
    "strategy_links_of_issues",
    "strategy_links_of_mitigations",
    "excerpts_of_copies",
    "excerpt_issues_of_copies",
    "issues_with_categories",
]


# --- interviews and their copies ---------------------------------------------------------------


def interview_copies(source: Reader) -> list[list[Any]]:
    """Every transcript copy with its interview: ``t.id, i.id, t.coder, t.consensus, t.coded``."""
    return source.run(
        "MATCH (i:Interview)-[:HAS_TRANSCRIPT]->(t:Transcript) RETURN t.id, i.id, t.coder, t.consensus, t.coded"
    ).rows


def interview_copy_details(source: Reader) -> list[list[Any]]:
    """Every copy with what agreement needs: ``i.id, i.name, i.number, t.id, t.coder, t.consensus, t.coded,
    t.paragraphs, t.source``, by interview and copy."""
    return source.run(
        "MATCH (i:Interview)-[:HAS_TRANSCRIPT]->(t:Transcript) "
        "RETURN i.id, i.name, i.number, t.id, t.coder, t.consensus, t.coded, t.paragraphs, t.source ORDER BY i.id, t.id"
    ).rows


def copies_of_interview(source: Reader, interview: str) -> QueryResult:
    """The copies of one interview (``id, coder, consensus, coded``), consensus last, by coder."""
    return source.run(
        "MATCH (i:Interview {id: $id})-[:HAS_TRANSCRIPT]->(t:Transcript) "
        "RETURN t.id AS id, t.coder AS coder, t.consensus AS consensus, t.coded AS coded ORDER BY consensus, coder",
        {"id": interview},
    )


def copy_coverage(source: Reader) -> QueryResult:
    """Per copy: ``interview, number`` (1,000,000 when it has none), ``coder, consensus, coded`` and its
    paragraph-code ``pairs``."""
    return source.run(
        "MATCH (i:Interview)-[:HAS_TRANSCRIPT]->(t:Transcript) OPTIONAL MATCH (t)-[:HAS_EXCERPT]->(:Excerpt)-[r:CODED_AS]->() "
        "RETURN i.name AS interview, coalesce(i.number, 1000000) AS number, t.coder AS coder, t.consensus AS consensus, "
        "t.coded AS coded, count(r) AS pairs"
    )


def human_coders(source: Reader) -> list[str]:
    """The names of coders of coded, non-consensus copies."""
    return [coder for [coder] in source.run(
        "MATCH (t:Transcript) WHERE NOT t.consensus AND t.coded RETURN DISTINCT t.coder"
    ).rows if coder]


def interviews(source: Reader) -> QueryResult:
    """Every interview (``id, name, number``) in number order, unnumbered ones last by name."""
    return source.run(
        "MATCH (i:Interview) RETURN i.id AS id, i.name AS name, i.number AS number "
        "ORDER BY coalesce(i.number, 1000000), name"
    )


def interview_numbers(source: Reader) -> list[list[Any]]:
    """``i.id, i.name, i.number`` of every interview."""
    return source.run("MATCH (i:Interview) RETURN i.id, i.name, i.number").rows


def interviewees_of_interviews(source: Reader) -> list[list[Any]]:
    """``p.id, p.name, i.id``: who gave each interview."""
    return source.run("MATCH (p:Interviewee)-[:GAVE]->(i:Interview) RETURN p.id, p.name, i.id").rows


def interviewee_of_interview(source: Reader, interview: str) -> QueryResult:
    """The interviewee of one interview: ``id, roles, summary``."""
    return source.run(
        "MATCH (p:Interviewee)-[:GAVE]->(i:Interview {id: $id}) RETURN p.id AS id, p.roles AS roles, p.summary AS summary",
        {"id": interview},
    )


# --- excerpts and their codes -------------------------------------------------------------------


def excerpts_of_transcript(source: Reader, transcript: str) -> QueryResult:
    """The paragraphs of one copy in order: ``position, speaker, text``."""
    return source.run(
        "MATCH (t:Transcript {id: $id})-[:HAS_EXCERPT]->(e:Excerpt) "
        "RETURN e.position AS position, e.speaker AS speaker, e.text AS text ORDER BY position",
        {"id": transcript},
    )


def paragraph_issue_rows(source: Reader) -> list[list[Any]]:
    """``t.id, e.position, i.id``: each issue a paragraph's codes indicate, once per paragraph."""
    return source.run(
        "MATCH (t:Transcript)-[:HAS_EXCERPT]->(e:Excerpt)-[:CODED_AS]->(:Code)-[:INDICATES]->(i:Issue) "
        "RETURN DISTINCT t.id, e.position, i.id"
    ).rows


def paragraph_code_rows(source: Reader, kinds: list[str] | None = None) -> list[list[Any]]:
    """``t.id, e.position, c.id``: each code on each paragraph (of the given kinds, or all)."""
    if kinds is None:
        return source.run(
            "MATCH (t:Transcript)-[:HAS_EXCERPT]->(e:Excerpt)-[:CODED_AS]->(c:Code) RETURN t.id, e.position, c.id"
        ).rows
    return source.run(
        "MATCH (t:Transcript)-[:HAS_EXCERPT]->(e:Excerpt)-[:CODED_AS]->(c:Code) WHERE c.kind IN $kinds "
        "RETURN t.id, e.position, c.id",
        {"kinds": kinds},
    ).rows


def codings_of_interview(source: Reader, interview: str) -> QueryResult:
    """Every code on every paragraph of one interview's copies: ``transcript, position, code, kind``."""
    return source.run(
        "MATCH (i:Interview {id: $id})-[:HAS_TRANSCRIPT]->(t:Transcript)-[:HAS_EXCERPT]->(e:Excerpt)-[:CODED_AS]->(c:Code) "
        "RETURN t.id AS transcript, e.position AS position, c.name AS code, c.kind AS kind",
        {"id": interview},
    )


def issues_of_interview(source: Reader, interview: str) -> QueryResult:
    """Every issue coded in one interview's copies: ``transcript, issue, category, position``."""
    return source.run(
        "MATCH (i:Interview {id: $id})-[:HAS_TRANSCRIPT]->(t:Transcript)-[:HAS_EXCERPT]->(e:Excerpt)-[:CODED_AS]->(:Code)"
        "-[:INDICATES]->(s:Issue) RETURN t.id AS transcript, s.name AS issue, s.category AS category, e.position AS position",
        {"id": interview},
    )


# --- issues and mitigations -------------------------------------------------------------------------


def issue_names(source: Reader) -> list[list[Any]]:
    """``i.id, i.name`` of every issue, by id."""
    return source.run("MATCH (i:Issue) RETURN i.id, i.name ORDER BY i.id").rows


def issue_categories(source: Reader) -> list[list[Any]]:
    """``i.id, i.category`` of every issue."""
    return source.run("MATCH (i:Issue) RETURN i.id, i.category").rows


def issues_with_strategy_counts(source: Reader) -> QueryResult:
    """Every issue (``id, name``) with the number of ``strategies`` addressing it, most first."""
    return source.run(
        "MATCH (i:Issue) OPTIONAL MATCH (m:Mitigation)-[:ADDRESSES]->(i) "
        "RETURN i.id AS id, i.name AS name, count(m) AS strategies ORDER BY strategies DESC, name"
    )


def strategies_with_issue_counts(source: Reader) -> QueryResult:
    """Every mitigation (``id, name``) with the number of ``issues`` it addresses, most first."""
    return source.run(
        "MATCH (m:Mitigation) OPTIONAL MATCH (m)-[:ADDRESSES]->(i:Issue) "
        "RETURN m.id AS id, m.name AS name, count(i) AS issues ORDER BY issues DESC, name"
    )


def mitigations(source: Reader) -> list[list[Any]]:
    """``m.id, m.name, m.kind`` of every mitigation, by id."""
    return source.run("MATCH (m:Mitigation) RETURN m.id, m.name, m.kind ORDER BY m.id").rows


def mitigation_links(source: Reader) -> list[list[Any]]:
    """``m.id, i.id, i.name, r.interviews, r.excerpts, r.provenance`` of every ADDRESSES link."""
    return source.run(
        "MATCH (m:Mitigation)-[r:ADDRESSES]->(i:Issue) "
        "RETURN m.id, i.id, i.name, r.interviews, r.excerpts, r.provenance ORDER BY m.id, i.id"
    ).rows


def excerpt_links_by_interview(source: Reader, relationship: str) -> list[list[Any]]:
    """``n.id, i.id, count(DISTINCT e)`` for the nodes excerpts point at through ``relationship``
    (SUGGESTS -> Mitigation, ABOUT -> Project): which interviews each comes from, and how many paragraphs."""
    rel = RELATIONSHIPS[relationship]
    return source.run(
        "MATCH (i:Interview)-[:HAS_TRANSCRIPT]->(:Transcript)-[:HAS_EXCERPT]->(e:Excerpt)"
        f"-[:{rel.name}]->(n:{rel.target}) RETURN n.id, i.id, count(DISTINCT e)"
    ).rows


# --- the quotes behind a node -------------------------------------------------------------------------

_QUOTE_COLUMNS = "t.id AS transcript, t.interview AS interview, t.coder AS coder, e.position AS position, "
_NODE_QUOTES = {
    "Issue": "MATCH (t:Transcript)-[:HAS_EXCERPT]->(e:Excerpt)-[:CODED_AS]->(c:Code)-[:INDICATES]->(n:Issue {id: $id}) "
             f"RETURN {_QUOTE_COLUMNS}c.name AS code, e.text AS quote",
    "Mitigation": "MATCH (t:Transcript)-[:HAS_EXCERPT]->(e:Excerpt)-[s:SUGGESTS]->(n:Mitigation {id: $id}) "
                  f"RETURN {_QUOTE_COLUMNS}s.issue AS code, s.provenance AS provenance, e.text AS quote",
    "Interviewee": "MATCH (n:Interviewee {id: $id})-[:GAVE]->(:Interview)-[:HAS_TRANSCRIPT]->(t:Transcript)"
                   "-[:HAS_EXCERPT]->(e:Excerpt)-[:CODED_AS]->(c:Code)-[:INDICATES]->(:Issue) "
                   f"RETURN {_QUOTE_COLUMNS}c.name AS code, e.text AS quote",
    "Project": "MATCH (t:Transcript)-[:HAS_EXCERPT]->(e:Excerpt)-[:ABOUT]->(n:Project {id: $id}) "
               f"RETURN {_QUOTE_COLUMNS}'' AS code, e.text AS quote",
    "Code": "MATCH (t:Transcript)-[:HAS_EXCERPT]->(e:Excerpt)-[r:CODED_AS]->(n:Code {id: $id}) "
            f"RETURN {_QUOTE_COLUMNS}n.name AS code, e.text AS quote",
    "Excerpt": "MATCH (t:Transcript)-[:HAS_EXCERPT]->(e:Excerpt {id: $id}) "
               f"RETURN {_QUOTE_COLUMNS}'' AS code, e.text AS quote",
}
QUOTED_LABELS = tuple(_NODE_QUOTES)


def node_quotes(source: Reader, label: str, node_id: str) -> QueryResult:
    """The paragraphs that put one node in the graph: ``transcript, interview, coder, position, code, quote``
    (a mitigation's also ``provenance``); every quote is the paragraph as transcribed. KeyError for a label without quotes."""
    return source.run(_NODE_QUOTES[label], {"id": node_id})


# --- generated from the schema: whole relationships, node names -----------------------------------


def relationship_ends(source: Reader, rel: RelType, extra: str | None = None) -> list[list[Any]]:
    """``a.id, b.id`` (and the column ``extra`` of ``a`` or ``b``, e.g. ``a.transcript``) of every
    ``rel`` relationship."""
    columns = f"a.id, b.id, {extra}" if extra else "a.id, b.id"
    return source.run(f"MATCH (a:{rel.source})-[:{rel.name}]->(b:{rel.target}) RETURN {columns}").rows


def linked_excerpt_ends(source: Reader, rel: RelType, onward: list[str]) -> list[list[Any]]:
    """``a.id, b.id`` of the ``rel`` relationships into excerpts that have one of the ``onward``
    relationships out of them."""
    return source.run(
        f"MATCH (a:{rel.source})-[:{rel.name}]->(b:Excerpt)-[:{'|'.join(onward)}]->() RETURN DISTINCT a.id, b.id"
    ).rows


def node_names(source: Reader, label: str) -> dict[str, Any]:
    """id -> name of every node of ``label`` (empty when the label has no name)."""
    if "name" not in NODES[label].properties:
        return {}
    return dict(source.run(f"MATCH (n:{label}) RETURN n.id, n.name").rows)


# --- what a write needs to know ------------------------------------------------------------------


def node_keys(source: Reader, label: str) -> list[str]:
    """The keys of every ``label`` node."""
    return [key for [key] in source.run(f"MATCH (n:{label}) RETURN n.{KEY}").rows]


def transcript_digests(source: Reader) -> list[list[Any]]:
    """``t.id, t.sha256, t.consensus, t.coder``: what decides whether a copy is unchanged."""
    return source.run("MATCH (t:Transcript) RETURN t.id, t.sha256, t.consensus, t.coder").rows


def code_uses(source: Reader) -> list[list[Any]]:
    """``c.id, count(e)``: every code with the number of excerpts coded with it."""
    return source.run("MATCH (c:Code) OPTIONAL MATCH (e:Excerpt)-[:CODED_AS]->(c) RETURN c.id, count(e)").rows


def codes_without_parent(source: Reader, codes: list[str]) -> list[list[Any]]:
    """Which of ``codes`` have no parent code yet (one row each)."""
    return source.run("MATCH (c:Code) WHERE c.id IN $ids AND c.parent IS NULL RETURN c.id", {"ids": codes}).rows


# --- counts and readings ----------------------------------------------------------------------------------


def node_count(source: Reader, label: str) -> int:
    """How many ``label`` nodes."""
    return source.run(f"MATCH (n:{label}) RETURN count(n)").scalar()


def relationship_count(source: Reader, rel: RelType) -> int:
    """How many ``rel`` relationships."""
    return source.run(f"MATCH (:{rel.source})-[r:{rel.name}]->(:{rel.target}) RETURN count(r)").scalar()


def code_counts(source: Reader) -> list[list[Any]]:
    """``name, kind, n``: every code with its number of coded excerpts, most used first."""
    return source.run(
        "MATCH (c:Code) OPTIONAL MATCH (e:Excerpt)-[:CODED_AS]->(c) "
        "RETURN c.name AS name, c.kind AS kind, count(e) AS n ORDER BY n DESC, name"
    ).rows


def code_issue_links(source: Reader, relationship: str) -> list[list[Any]]:
    """``c.name, i.id`` for every code that INDICATES (or is a FIX_FOR) an issue."""
    rel = RELATIONSHIPS[relationship]
    return source.run(f"MATCH (c:Code)-[:{rel.name}]->(i:Issue) RETURN c.name, i.id").rows


def fix_coded_excerpts_of_issue(source: Reader, issue: str) -> list[list[Any]]:
    """``t.id, e.id, e.position, e.speaker, e.text`` of every excerpt coded as a fix for one issue (by id)."""
    return source.run(
        "MATCH (t:Transcript)-[:HAS_EXCERPT]->(e:Excerpt)-[:CODED_AS]->(:Code)-[:FIX_FOR]->(:Issue {id: $issue}) "
        "RETURN DISTINCT t.id, e.id, e.position, e.speaker, e.text",
        {"issue": issue},
    ).rows


def excerpts_suggesting_for_issue(source: Reader, issue: str) -> list[str]:
    """Ids of the excerpts that suggest a strategy for one issue (by id)."""
    return [eid for [eid] in source.run(
        "MATCH (e:Excerpt)-[s:SUGGESTS]->(:Mitigation) WHERE s.issue = $issue RETURN DISTINCT e.id", {"issue": issue}
    ).rows]


def suggestions_of_transcript(source: Reader, transcript: str) -> list[list[Any]]:
    """``m.id, m.name, m.kind, s.issue, e.text, s.quote`` of every strategy one copy's excerpts suggest, in
    paragraph order."""
    return source.run(
        "MATCH (:Transcript {id: $t})-[:HAS_EXCERPT]->(e:Excerpt)-[s:SUGGESTS]->(m:Mitigation) "
        "RETURN m.id, m.name, m.kind, s.issue, e.text, s.quote ORDER BY e.position",
        {"t": transcript},
    ).rows


def interviewee_roles_and_projects(source: Reader, interview: str) -> list[list[Any]]:
    """``p.roles, count(DISTINCT project)`` of the interviewee of one interview (no row without one)."""
    return source.run(
        "MATCH (p:Interviewee)-[:GAVE]->(:Interview {id: $i}) OPTIONAL MATCH (p)-[:WORKED_ON]->(pr:Project) "
        "RETURN p.roles, count(DISTINCT pr)",
        {"i": interview},
    ).rows


# --- for tables and themes ---------------------------------------------------------------------------------


def issues_by_code(source: Reader) -> list[list[Any]]:
    """``i.id, i.name, c.id``: each issue with each code that indicates it."""
    return source.run("MATCH (c:Code)-[:INDICATES]->(i:Issue) RETURN i.id, i.name, c.id").rows


def codes_of_kinds(source: Reader, kinds: list[str]) -> list[list[Any]]:
    """``c.id, c.name`` of the codes of the given kinds."""
    return source.run("MATCH (c:Code) WHERE c.kind IN $kinds RETURN c.id, c.name", {"kinds": kinds}).rows


def issue_spellings(source: Reader) -> list[list[Any]]:
    """``i.id, i.name, i.code``: each issue with its name and the code spelling that named it."""
    return source.run("MATCH (i:Issue) RETURN i.id, i.name, i.code").rows


def issue_families(source: Reader) -> list[list[Any]]:
    """``i.id, i.family, i.category`` of the issues that have a family, by family and id."""
    return source.run(
        "MATCH (i:Issue) WHERE i.family IS NOT NULL RETURN i.id, i.family, i.category ORDER BY i.family, i.id"
    ).rows


def interviewee_roles(source: Reader) -> list[list[Any]]:
    """``i.id, p.roles``: the roles of the interviewee of each interview."""
    return source.run("MATCH (p:Interviewee)-[:GAVE]->(i:Interview) RETURN i.id, p.roles").rows


def interview_domains(source: Reader) -> list[list[Any]]:
    """``i.id, pr.domain``: the domains of the projects the interviewee of each interview worked on."""
    return source.run(
        "MATCH (p:Interviewee)-[:GAVE]->(i:Interview) MATCH (p)-[:WORKED_ON]->(pr:Project) RETURN i.id, pr.domain"
    ).rows


def all_excerpts(source: Reader) -> list[list[Any]]:
    """``t.id, e.position, e.speaker, e.text`` of every excerpt."""
    return source.run("MATCH (t:Transcript)-[:HAS_EXCERPT]->(e:Excerpt) RETURN t.id, e.position, e.speaker, e.text").rows


def themes(source: Reader) -> list[list[Any]]:
    """``th.id, th.name, th.description, th.parent, th.rank, th.source`` of the stored themes, in rank order."""
    return source.run(
        "MATCH (th:Theme) RETURN th.id, th.name, th.description, th.parent, th.rank, th.source ORDER BY th.rank, th.id"
    ).rows


def theme_members(source: Reader, relationship: str) -> list[list[Any]]:
    """``th.id, member id`` of each code (GROUPS_CODE) or issue (GROUPS) a theme groups, by member."""
    rel = RELATIONSHIPS[relationship]
    return source.run(f"MATCH (th:Theme)-[:{rel.name}]->(m:{rel.target}) RETURN th.id, m.id ORDER BY m.id").rows


# --- suggestions and the REFI-QDA export -------------------------------------------------------------------


def interview_names(source: Reader) -> dict[str, str]:
    """Interview id -> name."""
    return dict(source.run("MATCH (i:Interview) RETURN i.id, i.name").rows)


def copy_coders(source: Reader) -> list[list[Any]]:
    """``t.id, t.coder, t.consensus`` of every copy."""
    return source.run("MATCH (t:Transcript) RETURN t.id, t.coder, t.consensus").rows


def copies_with_interviews(source: Reader) -> list[list[Any]]:
    """``i.id, i.name, i.number, t.id, t.coder, t.consensus, t.coded`` of every copy, by interview and copy."""
    return source.run(
        "MATCH (i:Interview)-[:HAS_TRANSCRIPT]->(t:Transcript) "
        "RETURN i.id, i.name, i.number, t.id, t.coder, t.consensus, t.coded ORDER BY i.id, t.id"
    ).rows


def code_names(source: Reader) -> dict[str, str]:
    """Code id -> name."""
    return dict(source.run("MATCH (c:Code) RETURN c.id, c.name").rows)


def excerpt_keys(source: Reader) -> list[list[Any]]:
    """``t.id, e.position, e.id`` of every excerpt: where each one sits."""
    return source.run("MATCH (t:Transcript)-[:HAS_EXCERPT]->(e:Excerpt) RETURN t.id, e.position, e.id").rows


def copies_with_suggestions(source: Reader) -> list[list[Any]]:
    """``i.id, i.name, i.number, t.id`` of the copies that carry stored suggestions (SUGGESTED_AS)."""
    return source.run(
        "MATCH (i:Interview)-[:HAS_TRANSCRIPT]->(t:Transcript)-[:HAS_EXCERPT]->(:Excerpt)-[:SUGGESTED_AS]->(:Code) "
        "RETURN DISTINCT i.id, i.name, i.number, t.id ORDER BY t.id"
    ).rows


def stored_suggestions(source: Reader) -> list[list[Any]]:
    """``i.name, t.coder, t.consensus, t.id, e.position, c.name, r.score, e.text, r.reason`` of every stored
    suggestion, by copy, paragraph and score."""
    return source.run(
        "MATCH (i:Interview)-[:HAS_TRANSCRIPT]->(t:Transcript)-[:HAS_EXCERPT]->(e:Excerpt)-[r:SUGGESTED_AS]->(c:Code) "
        "RETURN i.name, t.coder, t.consensus, t.id, e.position, c.name, r.score, e.text, r.reason "
        "ORDER BY t.id, e.position, r.score DESC"
    ).rows


def strategy_links_with_evidence(source: Reader) -> list[list[Any]]:
    """``m.id, m.name, i.id, i.name, r.provenance, r.excerpts, r.interviews, r.confidence, r.quote`` of every
    ADDRESSES link, by issue and strategy."""
    return source.run(
        "MATCH (m:Mitigation)-[r:ADDRESSES]->(i:Issue) "
        "RETURN m.id, m.name, i.id, i.name, r.provenance, r.excerpts, r.interviews, r.confidence, r.quote "
        "ORDER BY i.id, m.id"
    ).rows


def suggestion_quotes(source: Reader) -> list[list[Any]]:
    """``m.id, r.issue, interview name, e.position, r.quote`` of every SUGGESTS link, by interview and paragraph."""
    return source.run(
        "MATCH (n:Interview)-[:HAS_TRANSCRIPT]->(:Transcript)-[:HAS_EXCERPT]->(e:Excerpt)-[r:SUGGESTS]->(m:Mitigation) "
        "RETURN m.id, r.issue, n.name, e.position, r.quote ORDER BY n.name, e.position"
    ).rows


def copies_for_export(source: Reader) -> list[list[Any]]:
    """``t.id, i.name, t.coder, t.consensus, t.coded, t.source`` of every copy, in interview order."""
    return source.run(
        "MATCH (i:Interview)-[:HAS_TRANSCRIPT]->(t:Transcript) "
        "RETURN t.id, i.name, t.coder, t.consensus, t.coded, t.source ORDER BY i.number, i.name, t.consensus, t.id"
    ).rows


def suggested_codings(source: Reader) -> list[list[Any]]:
    """``t.id, e.position, c.id, r.score, r.reason`` of every stored suggestion."""
    return source.run(
        "MATCH (t:Transcript)-[:HAS_EXCERPT]->(e:Excerpt)-[r:SUGGESTED_AS]->(c:Code) "
        "RETURN t.id, e.position, c.id, r.score, r.reason ORDER BY t.id, e.position, c.id"
    ).rows


def codebook(source: Reader) -> list[list[Any]]:
    """``c.id, c.name, c.kind, c.parent, c.issue, c.description`` of every code, by name."""
    return source.run("MATCH (c:Code) RETURN c.id, c.name, c.kind, c.parent, c.issue, c.description ORDER BY c.name").rows


def codings_with_quotes(source: Reader) -> list[list[Any]]:
    """``t.id, e.position, c.id, r.quote`` of every coding, by copy, paragraph and code."""
    return source.run(
        "MATCH (t:Transcript)-[:HAS_EXCERPT]->(e:Excerpt)-[r:CODED_AS]->(c:Code) RETURN t.id, e.position, c.id, r.quote "
        "ORDER BY t.id, e.position, c.id"
    ).rows


# --- what the knowledge layer is derived from ---------------------------------------------------------------


def code_issue_meanings(source: Reader, relationship: str) -> list[list[Any]]:
    """``c.id, i.id, i.name, i.category`` for every code that INDICATES (or is a FIX_FOR) an issue."""
    rel = RELATIONSHIPS[relationship]
    return source.run(f"MATCH (c:Code)-[:{rel.name}]->(i:Issue) RETURN c.id, i.id, i.name, i.category").rows


def codes_used_by_copies(source: Reader) -> list[list[Any]]:
    """``t.id, c.id``: each code used somewhere in each copy, once."""
    return source.run(
        "MATCH (t:Transcript)-[:HAS_EXCERPT]->(:Excerpt)-[:CODED_AS]->(c:Code) RETURN DISTINCT t.id, c.id"
    ).rows


def copies_with_bases(source: Reader) -> list[list[Any]]:
    """``i.id, t.id, t.knowledge_basis``: what each copy's knowledge was last derived on."""
    return source.run("MATCH (i:Interview)-[:HAS_TRANSCRIPT]->(t:Transcript) RETURN i.id, t.id, t.knowledge_basis").rows


def derived_suggestions(source: Reader) -> list[list[Any]]:
    """``e.id, i.id, e.position, m.id, s.issue, s.provenance, s.confidence, s.quote`` of every SUGGESTS."""
    return source.run(
        "MATCH (i:Interview)-[:HAS_TRANSCRIPT]->(:Transcript)-[:HAS_EXCERPT]->(e:Excerpt)-[s:SUGGESTS]->(m:Mitigation) "
        "RETURN e.id, i.id, e.position, m.id, s.issue, s.provenance, s.confidence, s.quote"
    ).rows


# --- looking up issues and strategies by name ---------------------------------------------------------------


def issue_names_and_synonyms(source: Reader) -> list[list[Any]]:
    """``i.id, i.name, i.code, i.synonyms`` of every issue: the words that name it."""
    return source.run("MATCH (i:Issue) RETURN i.id, i.name, i.code, i.synonyms").rows


def mitigation_names(source: Reader) -> dict[str, str]:
    """Mitigation id -> name."""
    return dict(source.run("MATCH (m:Mitigation) RETURN m.id, m.name").rows)


def suggestions_of_mitigations(source: Reader, mitigations: list[str]) -> list[list[Any]]:
    """``m.id, s.issue, interview name, interview number, t.coder, e.position, e.text, s.quote, s.confidence`` of
    every SUGGESTS of the given strategies."""
    return source.run(
        "MATCH (v:Interview)-[:HAS_TRANSCRIPT]->(t:Transcript)-[:HAS_EXCERPT]->(e:Excerpt)-[s:SUGGESTS]->(m:Mitigation) "
        "WHERE m.id IN $mitigations "
        "RETURN m.id, s.issue, v.name, v.number, t.coder, e.position, e.text, s.quote, s.confidence",
        {"mitigations": mitigations},
    ).rows


_STRATEGY_LINKS = (
    "MATCH (m:Mitigation)-[a:ADDRESSES]->(i:Issue) WHERE {where} IN $ids "
    "RETURN m.id AS mitigation_id, i.id AS issue_id, "
    "m.name AS mitigation, i.name AS issue, i.category AS category, a.provenance AS provenance, "
    "a.interviews AS interviews, a.excerpts AS excerpts, a.confidence AS confidence, a.quote AS quote "
    "ORDER BY interviews DESC, excerpts DESC, confidence DESC, mitigation, issue"
)


def strategy_links_of_issues(source: Reader, issues: list[str]) -> QueryResult:
    """The ADDRESSES links into the given issues (``mitigation_id, issue_id, mitigation, issue, category,
    provenance, interviews, excerpts, confidence, quote``), most interviews first."""
    return source.run(_STRATEGY_LINKS.format(where="i.id"), {"ids": issues})


def strategy_links_of_mitigations(source: Reader, mitigations: list[str]) -> QueryResult:
    """The ADDRESSES links out of the given strategies, as :func:`strategy_links_of_issues` gives them."""
    return source.run(_STRATEGY_LINKS.format(where="m.id"), {"ids": mitigations})


# --- what the knowledge layer reads of the selected copies --------------------------------------------------

# A few copies (one more interview added to a large study) are looked up by key; more, in one pass over all
# excerpts, filtered in Python (LadybugDB tests ``t.id IN $ids`` element by element, excerpts times copies).
_BY_KEY = 100


def _of_copies(source: Reader, transcripts: set[str] | dict[str, Any], match: str, returns: str) -> list[list[Any]]:
    if len(transcripts) <= _BY_KEY:
        keyed = match.replace("(t:Transcript)", "(t:Transcript {id: $id})", 1)
        return [row for tid in sorted(transcripts) for row in source.run(f"{keyed} {returns}", {"id": tid}).rows]
    return [row for row in source.run(f"{match} {returns}").rows if row[0] in transcripts]


def excerpts_of_copies(source: Reader, transcripts: set[str] | dict[str, Any]) -> list[list[Any]]:
    """``t.id, e.id, e.position, e.speaker, e.text`` of every excerpt of the given copies, in order."""
    return _of_copies(source, transcripts, "MATCH (t:Transcript)-[:HAS_EXCERPT]->(e:Excerpt)",
                      "RETURN t.id, e.id, e.position, e.speaker, e.text ORDER BY t.id, e.position")


def excerpt_issues_of_copies(source: Reader, transcripts: set[str] | dict[str, Any], relationship: str) -> list[list[Any]]:
    """``t.id, e.id, i.id``: each issue the codes of each excerpt of the given copies INDICATE (or are a FIX_FOR)."""
    rel = RELATIONSHIPS[relationship]
    return _of_copies(source, transcripts,
                      f"MATCH (t:Transcript)-[:HAS_EXCERPT]->(e:Excerpt)-[:CODED_AS]->(:Code)-[:{rel.name}]->(i:Issue)",
                      "RETURN DISTINCT t.id, e.id, i.id")


def issues_with_categories(source: Reader) -> list[list[Any]]:
    """``i.id, i.name, i.category`` of every issue."""
    return source.run("MATCH (i:Issue) RETURN i.id, i.name, i.category").rows
