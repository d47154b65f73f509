"""Hostile shapes cost work in proportion to their size, and loops are refused, not followed.

A REFI-QDA codebook nested 20,000 deep used to take 110 s to ingest: not
the parse, but LadybugDB planning ``MATCH (a {id: ..}), (b {id: ..})`` as a
cross product of every Code with every Code. Work is counted, never timed:
the engine's own PROFILE counts of tuples, and comparisons of codings.
Cycles and repeated GUIDs in a codebook get a warning and a defined outcome.
"""

from __future__ import annotations

import logging
import re

import networkx as nx
import pytest

from graph.schema import create_relationships_statement, merge_relationship_statement
from graph.store import open_store
from ingest.delve_markdown import parse_delve_markdown
from ingest.records import CodeDefinition, Coding
from ingest.refi_qda import parse_refi_qda
from tests.conftest import load_paths
from tests.test_refi_qda import LOGGER, ProjectBuilder, code

DEEP = 20_000
TEXT = "Interviewer: What went wrong?\nInterviewee: The labels were noisy.\n"


def nested(depth: int) -> str:
    """A chain of codes, each the only child of the one before: Data-level-0 > Data-level-1 > ..."""
    opening = "".join(f'<Code guid="g{i}" name="Data-level-{i}" isCodable="true">' for i in range(depth))
    return opening + "</Code>" * depth


def deep_project(depth: int) -> ProjectBuilder:
    project = ProjectBuilder(users={"u": "PO"}, codebook=nested(depth))
    project.source("Interview 3.txt", TEXT).select("labels were noisy", f"g{depth - 1}", "u")
    return project


def test_a_codebook_nested_20000_deep_is_read_whole(tmp_path):
    [record] = parse_refi_qda(deep_project(DEEP).write_qdpx(tmp_path / "deep.qdpx"))
    assert record.code_definitions == tuple(
        CodeDefinition(f"Data-level-{i}", f"Data-level-{i - 1}" if i else None) for i in range(DEEP)
    )
    assert record.paragraphs[1].codings == (Coding(f"Data-level-{DEEP - 1}", "labels were noisy"),)


def test_a_codebook_nested_20000_deep_loads_its_whole_hierarchy(tmp_path, store):
    load_paths(store, [deep_project(DEEP).write_qdpx(tmp_path / "deep.qdpx")])
    edges = store.run("MATCH (c:Code)-[:SUBCODE_OF]->(p:Code) RETURN count(*)").rows
    assert edges == [[DEEP - 1]]


def profiled_tuples(tx, statement: str, rows: list[dict]) -> int:
    """Tuples every operator of ``statement`` produced, as LadybugDB's PROFILE counts them."""
    [[plan]] = tx.run(f"PROFILE {statement}", {"rows": rows}).rows
    return sum(int(n) for n in re.findall(r"NumOutputTuples: (\d+)", plan))


@pytest.mark.parametrize("statement", [merge_relationship_statement, create_relationships_statement])
def test_relationship_statements_do_work_linear_in_their_rows(tmp_path, statement):
    """Ten times the rows, about ten times the tuples (a cross product of both ends made it a hundred)."""
    work = []
    for size in (200, 2_000):
        with open_store(tmp_path / f"db-{size}") as store:
            with store.transaction() as tx:
                tx.insert_nodes("Code", [{"id": f"c{i}", "name": f"c{i}"} for i in range(size)])
                chain = [{"source": f"c{i}", "target": f"c{i - 1}"} for i in range(1, size)]
                work.append(profiled_tuples(tx, statement("SUBCODE_OF"), chain))
    assert work[1] < 15 * work[0], work


def test_codings_on_one_paragraph_are_compared_a_linear_number_of_times(tmp_path, monkeypatch):
    """Thousands of codes on one paragraph: each coding is checked against the others once, by hash."""
    comparisons = []
    equal = Coding.__eq__
    monkeypatch.setattr(Coding, "__eq__", lambda a, b: comparisons.append(1) or equal(a, b))
    for size in (1_000, 4_000):
        project = ProjectBuilder(users={"u": "PO"}, codebook="".join(code(f"g{i}", f"Data-c{i}") for i in range(size)))
        source = project.source("Interview 3.txt", TEXT)
        for i in range(size):
            source.select("labels were noisy", f"g{i}", "u")
        comparisons.clear()
        [record] = parse_refi_qda(project.write_qde(tmp_path / f"many-{size}.qde"))
        assert len(record.paragraphs[1].codings) == size
        assert len(comparisons) <= size


def test_thousands_of_codes_on_one_markdown_paragraph_are_kept_once_each(tmp_path):
    codes = [f"Data-c{i}" for i in range(20_000)]
    path = tmp_path / "many.md"
    path.write_text("## Interview 3 - PO\n\n**Interviewee**\n\nNoisy labels.\n\n" + "\n\n".join(codes + codes) + "\n")
    [record] = parse_delve_markdown(path)
    assert record.paragraphs[0].codes == tuple(codes)


# --- cycles and repeated guids ------------------------------------------------

def parents(definitions: tuple[CodeDefinition, ...]) -> dict[str, str | None]:
    assert len({d.name for d in definitions}) == len(definitions), "one definition per code name"
    return {d.name: d.parent for d in definitions}


def warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == LOGGER]


def parse_codebook(tmp_path, codebook: str, caplog, **select: str) -> tuple[dict[str, str | None], list, list[str]]:
    project = ProjectBuilder(users={"u": "PO", "u2": "Ilan"}, codebook=codebook)
    source = project.source("Interview 3.txt", TEXT)
    for guid, fragment in select.items():
        source.select(fragment, guid, "u")
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        records = parse_refi_qda(project.write_qde(tmp_path / "project.qde"))
    return parents(records[0].code_definitions), records, warnings(caplog)


def test_a_code_nested_inside_itself_keeps_its_first_place(tmp_path, caplog):
    """A > B > A and C > C: codes are named, so nesting a name inside itself would be a cycle."""
    codebook = code("a", "Data-a", code("b", "Data-b", code("a2", "Data-a", code("d", "Data-d")))) + code(
        "c", "Data-c", code("c2", "Data-c")
    )
    found, records, said = parse_codebook(tmp_path, codebook, caplog, a2="labels")
    assert found == {"Data-a": None, "Data-b": "Data-a", "Data-d": "Data-a", "Data-c": None}
    assert records[0].paragraphs[1].codes == ("Data-a",)  # a coding of the inner A is one of A
    graph = nx.DiGraph([(child, parent) for child, parent in found.items() if parent])
    assert nx.is_directed_acyclic_graph(graph)
    assert said == [
        (
            f"{tmp_path / 'project.qde'}: 2 code(s) nested inside themselves, e.g. 'Data-a' again under 'Data-b': "
            "each stays in its first place, so the code hierarchy has no cycle"
        )
    ]


def test_a_code_in_two_places_keeps_the_first(tmp_path, caplog):
    codebook = code("a", "Data-a", code("o1", "Other")) + code("b", "Data-b", code("o2", "Other"))
    found, _, said = parse_codebook(tmp_path, codebook, caplog)
    assert found == {"Data-a": None, "Other": "Data-a", "Data-b": None}
    assert said == [
        (
            f"{tmp_path / 'project.qde'}: 1 code(s) in more than one place, e.g. 'Other' under 'Data-a' and under "
            "'Data-b': the graph has one Code per name, kept in its first place"
        )
    ]


def test_a_repeated_code_guid_names_its_first_code(tmp_path, caplog):
    codebook = code("g", "Data-a") + code("g", "Data-b", code("c", "Data-c"))
    found, records, said = parse_codebook(tmp_path, codebook, caplog, g="labels")
    assert found == {"Data-a": None, "Data-b": None, "Data-c": "Data-b"}
    assert records[0].paragraphs[1].codes == ("Data-a",)
    assert said == [
        (
            f"{tmp_path / 'project.qde'}: 1 code guid(s) given to more than one code, e.g. 'g' to 'Data-a' and to "
            "'Data-b': a coding with such a guid is read as its first code"
        )
    ]


def test_repeated_source_and_user_guids_keep_the_first(tmp_path, caplog):
    project = ProjectBuilder(users={"u": "PO"}, codebook=code("c", "Data-a"))
    project.source("Interview 3.txt", TEXT).select("labels", "c", "u")
    project.source("Interview 4.txt", TEXT).select("noisy", "c", "u")
    xml = project.xml().replace('guid="src-1"', 'guid="src-0"').replace(
        "</Users>", '<User guid="u" name="Impostor"/></Users>'
    )
    path = tmp_path / "project.qde"
    path.write_text(xml, encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        records = parse_refi_qda(path)
    assert [(r.interview, r.coder) for r in records] == [("Interview 3", "PO")]
    assert warnings(caplog) == [
        f"{path}: user 'Impostor' ignored: guid 'u' already names user 'PO'",
        f"{path}: source 'Interview 4.txt' skipped: guid 'src-0' already names source 'Interview 3.txt'",
    ]


def test_cycles_and_repeats_load_as_an_acyclic_hierarchy(tmp_path, store):
    project = ProjectBuilder(
        users={"u": "PO"},
        codebook=code("a", "Data-a", code("b", "Data-b", code("a2", "Data-a"))) + code("a", "Data-x"),
    )
    project.source("Interview 3.txt", TEXT).select("labels", "a2", "u")
    load_paths(store, [project.write_qde(tmp_path / "project.qde")])
    edges = store.run("MATCH (c:Code)-[:SUBCODE_OF]->(p:Code) RETURN c.name, p.name").rows
    assert edges == [["Data-b", "Data-a"]]
