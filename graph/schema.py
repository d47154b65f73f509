"""The graph model, written once: node labels, keys, properties, relationships.

Every backend creates its tables or constraints from these definitions, the
loader builds its rows and MERGE statements from them, and the exporters walk
them. Property types use LadybugDB's names; Neo4j is schemaless and only
needs the keys.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "KEY",
    "MEASURES",
    "NodeType",
    "RelType",
    "NODES",
    "RELATIONSHIPS",
    "SUGGESTIONS",
    "NOT_EVIDENCE",
    "DEFAULTS",
    "merge_node_statement",
    "create_nodes_statement",
    "create_relationships_statement",
    "merge_relationship_statement",
    "set_node_properties_statement",
    "delete_relationships_statement",
    "delete_nodes_statement",
    "delete_children_statement",
    "delete_all_nodes_statement",
    "delete_relationships_below_statement",
]

KEY = "id"

# Network measures that analytics write back onto nodes so Cypher can sort by them.
MEASURES: dict[str, str] = {
    "degree": "INT64",
    "weighted_degree": "DOUBLE",
    "pagerank": "DOUBLE",
    "betweenness": "DOUBLE",
    "eigenvector": "DOUBLE",
    "community": "INT64",
}


@dataclass(frozen=True)
class NodeType:
    label: str
    properties: dict[str, str]
    doc: str

    @property
    def columns(self) -> list[str]:
        return [KEY, *self.properties]


@dataclass(frozen=True)
class RelType:
    name: str
    source: str
    target: str
    properties: dict[str, str]
    doc: str


NODES: dict[str, NodeType] = {
    n.label: n
    for n in (
        NodeType("Interview", {"name": "STRING", "number": "INT64"}, "One interview session."),
        NodeType(
            "Interviewee",
            {"name": "STRING", "roles": "STRING[]", "past_roles": "STRING[]", "summary": "STRING"},
            "The (anonymous) person interviewed; roles are the current ones in their own words, past_roles "
            "those they say they held before.",
        ),
        NodeType(
            "Transcript",
            {
                "interview": "STRING",
                "coder": "STRING",
                "consensus": "BOOL",
                "source": "STRING",
                "format": "STRING",
                "sha256": "STRING",
                "coded": "BOOL",
                "paragraphs": "INT64",
                "knowledge_basis": "STRING",
            },
            "One coded copy of an interview: one per coder, consensus marks the moderated copy; "
            "knowledge_basis fingerprints the catalog and codebook its knowledge was derived with.",
        ),
        NodeType(
            "Excerpt",
            {"text": "STRING", "speaker": "STRING", "position": "INT64", "transcript": "STRING"},
            "One paragraph of a transcript, coded or not.",
        ),
        NodeType(
            "Code",
            {
                "name": "STRING",
                "kind": "STRING",
                "category": "STRING",
                "family": "STRING",
                "issue": "STRING",
                "parent": "STRING",
                "description": "STRING",
                "colour": "STRING",
            },
            "A code exactly as the coders spelled it; parent, description and colour from a project's own codebook.",
        ),
        NodeType(
            "Issue",
            {
                "name": "STRING",
                "code": "STRING",
                "category": "STRING",
                "family": "STRING",
                "description": "STRING",
                "synonyms": "STRING[]",
                **MEASURES,
            },
            "A normalised quality issue; several code spellings can indicate one issue. name, description and "
            "synonyms (the words people use for it) come from the codebook.",
        ),
        NodeType(
            "Mitigation",
            {"name": "STRING", "description": "STRING", "kind": "STRING", "families": "STRING[]", **MEASURES},
            "A concrete strategy against an issue; kind 'catalog' (named by the catalog) or 'said' (in the interviewees' words).",
        ),
        NodeType(
            "Project",
            {"name": "STRING", "domain": "STRING", "domain_cues": "STRING[]", "interview": "STRING"},
            "A project an interviewee talked about, named in their words; domain from the vocabulary of domains "
            "(none when the words do not support one), domain_cues the words that decided it.",
        ),
        NodeType(
            "Theme",
            {"name": "STRING", "description": "STRING", "parent": "STRING", "rank": "INT64", "source": "STRING"},
            "A researcher's grouping of issues and codes (an aspect, a theme), from a themes file (findings themes); "
            "parent is the enclosing theme's id, rank its place in the file, source the file.",
        ),
    )
}

RELATIONSHIPS: dict[str, RelType] = {
    r.name: r
    for r in (
        RelType("GAVE", "Interviewee", "Interview", {}, "The interviewee gave this interview."),
        RelType("HAS_TRANSCRIPT", "Interview", "Transcript", {}, "A coded copy of the interview."),
        RelType("HAS_EXCERPT", "Transcript", "Excerpt", {}, "A paragraph of the transcript."),
        RelType("CODED_AS", "Excerpt", "Code", {"quote": "STRING"}, "A coder applied the code to the excerpt."),
        RelType("SUBCODE_OF", "Code", "Code", {}, "Code hierarchy from a codebook."),
        RelType("INDICATES", "Code", "Issue", {}, "The code names this issue."),
        RelType("FIX_FOR", "Code", "Issue", {}, "The code marks a fix for this issue."),
        RelType(
            "SUGGESTS",
            "Excerpt",
            "Mitigation",
            {"provenance": "STRING", "issue": "STRING", "confidence": "DOUBLE", "quote": "STRING"},
            "The excerpt names the strategy against the issue (Issue id); one per excerpt, strategy and issue.",
        ),
        RelType(
            "ADDRESSES",
            "Mitigation",
            "Issue",
            {"excerpts": "INT64", "interviews": "INT64", "provenance": "STRING", "confidence": "DOUBLE", "quote": "STRING"},
            "The strategy is used against the issue.",
        ),
        RelType(
            "SUGGESTED_AS",
            "Excerpt",
            "Code",
            {"provenance": "STRING", "coder": "STRING", "score": "DOUBLE", "reason": "STRING"},
            "A code `findings suggest --write` proposes for the excerpt (provenance 'suggested'): a machine's "
            "suggestion for review, never coding; no count, measure or knowledge link reads it.",
        ),
        RelType("WORKED_ON", "Interviewee", "Project", {}, "The interviewee worked on the project."),
        RelType("ABOUT", "Excerpt", "Project", {}, "The excerpt talks about the project."),
        RelType("FACED", "Project", "Issue", {}, "The issue was raised about the project."),
        RelType("GROUPS", "Theme", "Issue", {}, "The theme holds the issue (and so every code that indicates it)."),
        RelType("GROUPS_CODE", "Theme", "Code", {}, "The theme holds the code."),
        RelType("SUBTHEME_OF", "Theme", "Theme", {}, "The theme is nested in another; it counts towards the other."),
        RelType(
            "CO_OCCURS_WITH",
            "Issue",
            "Issue",
            {"weight": "DOUBLE", "excerpts": "INT64", "interviews": "INT64"},
            "Both issues were coded on the same excerpts or interviews.",
        ),
    )
}

# Machine suggestions for review (``findings suggest --write``), not evidence: every projection,
# count and measure that walks the schema's relationships leaves these out.
SUGGESTIONS = "SUGGESTED_AS"
NOT_EVIDENCE = frozenset({SUGGESTIONS})

# Values used when a property is absent, so bulk loads have complete columns.
DEFAULTS: dict[str, object] = {"STRING": None, "BOOL": False, "INT64": None, "DOUBLE": None, "STRING[]": None}


def merge_node_statement(label: str, properties: list[str] | None = None) -> str:
    """``UNWIND $rows ... MERGE`` for one label, setting the given properties.

    Both backends accept this form; the property list is spelled out because
    LadybugDB has no ``SET n += map``.
    """
    props = properties if properties is not None else list(NODES[label].properties)
    sets = ", ".join(f"n.{p} = row.{p}" for p in props)
    statement = f"UNWIND $rows AS row MERGE (n:{label} {{{KEY}: row.{KEY}}})"
    return f"{statement} SET {sets}" if sets else statement


def create_nodes_statement(label: str) -> str:
    """``UNWIND $rows ... CREATE`` for new nodes of one label (all schema columns)."""
    props = ", ".join(f"{c}: row.{c}" for c in NODES[label].columns)
    return f"UNWIND $rows AS row CREATE (n:{label} {{{props}}})"


def _match_ends(rel: RelType) -> str:
    """``UNWIND $rows`` and a MATCH of each row's two ends by key, in two clauses.

    One clause with both patterns (``MATCH (a {..}), (b {..})``) makes
    LadybugDB scan both labels and join them as a cross product, so 20,000
    rows cost 400 million tuples; two clauses look each end up by its key.
    """
    return (
        f"UNWIND $rows AS row MATCH (a:{rel.source} {{{KEY}: row.source}}) "
        f"MATCH (b:{rel.target} {{{KEY}: row.target}})"
    )


def create_relationships_statement(name: str) -> str:
    """``UNWIND $rows ... CREATE`` for new relationships between existing nodes."""
    rel = RELATIONSHIPS[name]
    props = ", ".join(f"{p}: row.{p}" for p in rel.properties)
    return f"{_match_ends(rel)} CREATE (a)-[r:{rel.name}{f' {{{props}}}' if props else ''}]->(b)"


def merge_relationship_statement(name: str) -> str:
    """``UNWIND $rows ... MERGE`` for one relationship type between existing nodes."""
    rel = RELATIONSHIPS[name]
    statement = f"{_match_ends(rel)} MERGE (a)-[r:{rel.name}]->(b)"
    sets = ", ".join(f"r.{p} = row.{p}" for p in rel.properties)
    return f"{statement} SET {sets}" if sets else statement


def set_node_properties_statement(label: str, properties: list[str]) -> str:
    """``UNWIND $rows ... SET`` of the given properties on existing ``label`` nodes, matched by key."""
    unknown = [p for p in properties if p not in NODES[label].properties]
    if unknown:
        raise ValueError(f"{label} has no properties {', '.join(unknown)}")
    sets = ", ".join(f"n.{p} = row.{p}" for p in properties)
    return f"UNWIND $rows AS row MATCH (n:{label} {{{KEY}: row.{KEY}}}) SET {sets}"


def delete_relationships_statement(name: str) -> str:
    """Delete every relationship of one type (derived layers are rewritten whole)."""
    rel = RELATIONSHIPS[name]
    return f"MATCH (:{rel.source})-[r:{rel.name}]->(:{rel.target}) DELETE r"


def delete_nodes_statement(label: str, by: str = KEY) -> str:
    """Delete the ``label`` nodes whose ``by`` property (the key by default) is in ``$ids``, with their
    relationships."""
    if by != KEY and by not in NODES[label].properties:
        raise ValueError(f"{label} has no property {by}")
    return f"MATCH (n:{label}) WHERE n.{by} IN $ids DETACH DELETE n"


def delete_children_statement(name: str) -> str:
    """Delete what the nodes with keys in ``$ids`` hold through relationship ``name`` (a transcript's
    excerpts), with the children's relationships."""
    rel = RELATIONSHIPS[name]
    return f"MATCH (a:{rel.source})-[:{rel.name}]->(b:{rel.target}) WHERE a.{KEY} IN $ids DETACH DELETE b"


def delete_all_nodes_statement(label: str) -> str:
    """Delete every ``label`` node with its relationships (a layer rewritten whole, like the themes)."""
    return f"MATCH (n:{NODES[label].label}) DETACH DELETE n"


def delete_relationships_below_statement(path: list[str], name: str) -> str:
    """Delete the ``name`` relationships out of what the nodes with keys in ``$ids`` reach along ``path`` (the
    SUGGESTS of some interviews' excerpts: path HAS_TRANSCRIPT, HAS_EXCERPT)."""
    steps = [RELATIONSHIPS[step] for step in path]
    rel = RELATIONSHIPS[name]
    if any(a.target != b.source for a, b in zip(steps, steps[1:])) or steps[-1].target != rel.source:
        raise ValueError(f"{' -> '.join(path)} does not lead to where {name} starts")
    walk = "".join(f"-[:{step.name}]->(:{step.target})" for step in steps)
    return f"MATCH (a:{steps[0].source}){walk}-[r:{rel.name}]->(:{rel.target}) WHERE a.{KEY} IN $ids DELETE r"
