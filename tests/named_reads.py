"""Every named read of graph.reads with arguments taken from the store itself, for tests that run them all."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from typing import Any

from graph import reads
from graph.schema import RELATIONSHIPS


def named_reads() -> dict[str, Callable[..., Any]]:
    """The public read functions of graph.reads, by name."""
    return {
        name: fn for name, fn in inspect.getmembers(reads, inspect.isfunction)
        if not name.startswith("_") and fn.__module__ == reads.__name__
    }


def read_calls(source: Any) -> Iterator[tuple[str, tuple[Any, ...]]]:
    """(name, arguments) for every named read; arguments are ids found in ``source``. A read missing here
    makes the caller's check fail, so a new read cannot go untested."""
    [interview, transcript] = source.run(
        "MATCH (i:Interview)-[:HAS_TRANSCRIPT]->(t:Transcript) WHERE t.coded RETURN i.id, t.id ORDER BY i.id, t.id LIMIT 1"
    ).rows[0]
    [issue] = source.run("MATCH (i:Issue) RETURN i.id ORDER BY i.id LIMIT 1").rows[0]
    no_args = ("interview_copies", "interview_copy_details", "copy_coverage", "human_coders", "interviews",
               "interview_numbers", "interviewees_of_interviews", "paragraph_issue_rows", "issue_names",
               "issue_categories", "issues_with_strategy_counts", "strategies_with_issue_counts", "mitigations",
               "mitigation_links")
    for name in no_args:
        yield name, ()
    for relationship in ("INDICATES", "FIX_FOR"):
        yield "code_issue_meanings", (relationship,)
    yield "issue_names_and_synonyms", ()
    yield "issues_with_categories", ()
    yield "excerpts_of_copies", ({transcript},)
    for relationship in ("INDICATES", "FIX_FOR"):
        yield "excerpt_issues_of_copies", ({transcript}, relationship)
    yield "mitigation_names", ()
    [mitigation] = source.run("MATCH (m:Mitigation) RETURN m.id ORDER BY m.id LIMIT 1").rows[0]
    yield "suggestions_of_mitigations", ([mitigation],)
    yield "strategy_links_of_issues", ([issue],)
    yield "strategy_links_of_mitigations", ([mitigation],)
    for name in ("codes_used_by_copies", "copies_with_bases", "derived_suggestions"):
        yield name, ()
    yield "paragraph_code_rows", (["issue"],)
    for name in ("copies_of_interview", "interviewee_of_interview", "codings_of_interview", "issues_of_interview"):
        yield name, (interview,)
    yield "excerpts_of_transcript", (transcript,)
    for relationship in ("SUGGESTS", "ABOUT"):
        yield "excerpt_links_by_interview", (relationship,)
    for label in reads.QUOTED_LABELS:
        [node] = source.run(f"MATCH (n:{label}) RETURN n.id ORDER BY n.id LIMIT 1").rows[0] if label != "Issue" else [issue]
        yield "node_quotes", (label, node)
    for rel in RELATIONSHIPS.values():
        yield "relationship_ends", (rel, None)
        if rel.target == "Excerpt":
            yield "linked_excerpt_ends", (rel, ["CODED_AS"])
    for label in ("Issue", "Excerpt"):
        yield "node_names", (label,)
        yield "node_keys", (label,)
    yield "transcript_digests", ()
    yield "node_count", ("Excerpt",)
    yield "relationship_count", (RELATIONSHIPS["CODED_AS"],)
    yield "code_counts", ()
    for relationship in ("INDICATES", "FIX_FOR"):
        yield "code_issue_links", (relationship,)
    yield "suggestions_of_transcript", (transcript,)
    for name in ("fix_coded_excerpts_of_issue", "excerpts_suggesting_for_issue"):
        yield name, (issue,)
    yield "interviewee_roles_and_projects", (interview,)
    for name in ("issues_by_code", "issue_spellings", "issue_families", "interviewee_roles", "interview_domains",
                 "all_excerpts", "themes"):
        yield name, ()
    yield "codes_of_kinds", (["issue", "fix"],)
    for name in ("interview_names", "copy_coders", "copies_with_interviews", "code_names", "excerpt_keys",
                 "copies_with_suggestions", "stored_suggestions", "strategy_links_with_evidence", "suggestion_quotes",
                 "copies_for_export", "suggested_codings", "codebook", "codings_with_quotes"):
        yield name, ()
    for relationship in ("GROUPS", "GROUPS_CODE"):
        yield "theme_members", (relationship,)
    yield "code_uses", ()
    yield "codes_without_parent", ([issue],)


def rows_of(result: Any) -> list[Any]:
    """The rows a read returned, whatever its shape (rows, a QueryResult, a dict, names, a count)."""
    if hasattr(result, "rows"):
        return result.rows
    if isinstance(result, dict):
        return sorted(result.items())
    if isinstance(result, int):
        return [[result]]
    return list(result)
