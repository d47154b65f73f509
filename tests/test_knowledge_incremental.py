"""An ingest re-derives only the interviews it touched, and ends exactly where a rebuild from scratch ends."""

from __future__ import annotations

import dataclasses

import ladybug
import pytest

from benchmarks.synthetic import generate_study
from graph import reads
from graph.codebook import load_codebook
from graph.knowledge import load_catalog
from graph.knowledge.catalog import Catalog
from graph.ladybug_store import schema_statements
from graph.pipeline import update_graph
from graph.store import StoreError, open_store
from ingest.batch import parse_sources
from tests.conftest import fixture_path

# Everything the knowledge layer writes, as comparable rows.
DERIVED = {
    "SUGGESTS": "MATCH (e:Excerpt)-[r:SUGGESTS]->(m:Mitigation) "
                "RETURN e.id, m.id, r.issue, r.provenance, r.confidence, r.quote",
    "ADDRESSES": "MATCH (m:Mitigation)-[r:ADDRESSES]->(i:Issue) "
                 "RETURN m.id, i.id, r.excerpts, r.interviews, r.provenance, r.confidence, r.quote",
    "Mitigation": "MATCH (m:Mitigation) RETURN m.id, m.name, m.kind, m.families",
    "Project": "MATCH (p:Project) RETURN p.id, p.name, p.domain, p.interview",
    "ABOUT": "MATCH (e:Excerpt)-[:ABOUT]->(p:Project) RETURN e.id, p.id",
    "FACED": "MATCH (p:Project)-[:FACED]->(i:Issue) RETURN p.id, i.id",
    "WORKED_ON": "MATCH (w:Interviewee)-[:WORKED_ON]->(p:Project) RETURN w.id, p.id",
    "Interviewee": "MATCH (w:Interviewee) RETURN w.id, w.roles, w.summary",
}


def snapshot(store) -> dict[str, list]:
    return {name: sorted(map(repr, store.run(cypher).rows)) for name, cypher in DERIVED.items()}


def ingest(store, records, catalog: Catalog | None = None):
    return update_graph(store, records, load_codebook(), catalog or load_catalog()).knowledge


def from_scratch(tmp_path, name, records, catalog=None):
    with open_store(tmp_path / name) as store:
        ingest(store, records, catalog)
        return snapshot(store)


@pytest.fixture(scope="module")
def study():
    records = generate_study(12, seed=3, coders=2)
    # Interview 5 gets a moderated copy later: its coders' copies stop being read.
    moderated = dataclasses.replace(next(r for r in records if r.interview == "Interview 5"), coder="Mod",
                                    consensus=True, sha256="moderated")
    # Interview 8's first copy is re-coded later: its codes change, and so must what they gave.
    first = next(r for r in records if r.interview == "Interview 8")
    recoded = dataclasses.replace(first, paragraphs=[dataclasses.replace(p, codings=[]) for p in first.paragraphs],
                                  sha256="recoded")
    return records, moderated, first, recoded


@pytest.mark.parametrize("by_key", [100, 0], ids=["copies read by key", "copies read in one pass"])
def test_piecewise_ingest_equals_a_rebuild_from_scratch(tmp_path, study, monkeypatch, by_key):
    monkeypatch.setattr(reads, "_BY_KEY", by_key)
    records, moderated, first, recoded = study
    final = [r for r in records if r is not first] + [moderated, recoded]
    expected = from_scratch(tmp_path, "whole", final)
    assert expected["SUGGESTS"] and expected["ADDRESSES"]  # the comparison has something to compare
    with open_store(tmp_path / "pieces") as store:
        assert ingest(store, records[:10]).interviews == 5
        # 7 of 12 interviews are new: more than half, so all are read in one pass.
        assert ingest(store, records[10:]).interviews == 12
        # Only interviews 5 and 8 are read again.
        assert ingest(store, [moderated, recoded]).interviews == 2
        assert snapshot(store) == expected
        # Nothing new: nothing is read, nothing changes.
        assert ingest(store, [moderated]).interviews == 0
        assert snapshot(store) == expected


def test_a_new_catalog_re_derives_every_interview(tmp_path, study):
    records = study[0]
    full = load_catalog()
    smaller = Catalog({k: v for i, (k, v) in enumerate(full.strategies.items()) if i % 2})
    with open_store(tmp_path / "db") as store:
        ingest(store, records[:6])
        assert ingest(store, records[6:8], smaller).interviews == 4
        assert snapshot(store) == from_scratch(tmp_path, "smaller", records[:8], smaller)


def test_fixtures_consensus_copies_after_codings_equal_one_ingest(tmp_path):
    root = fixture_path("delve-pdf")
    parsed = parse_sources([root / "codings"], consensus_paths=[root / "consensus"], workers=1)
    assert not parsed.failed
    codings = [r for r in parsed.records if not r.consensus]
    consensus = [r for r in parsed.records if r.consensus]
    expected = from_scratch(tmp_path, "once", parsed.records)
    assert expected["Project"] and any("professor" in row for row in expected["Interviewee"])
    with open_store(tmp_path / "in steps") as store:
        ingest(store, codings)
        # One consensus copy at a time: each re-reads its own interview only.
        for copy in consensus:
            assert ingest(store, [copy]).interviews == 1
        assert snapshot(store) == expected


def test_a_store_made_before_knowledge_basis_existed_gains_it(tmp_path, study):
    old = ladybug.Database(str(tmp_path / "old"))
    connection = ladybug.Connection(old)
    for statement in schema_statements():
        connection.execute(statement.replace(", knowledge_basis STRING", ""))
    connection.close()
    old.close()
    with pytest.raises(StoreError, match=r"earlier version \(no Transcript.knowledge_basis\); open it once for writing"):
        open_store(tmp_path / "old", read_only=True)
    with open_store(tmp_path / "old") as store:
        ingest(store, study[0][:2])
        assert store.run("MATCH (t:Transcript) RETURN DISTINCT t.knowledge_basis IS NULL").rows == [[False]]


def test_a_change_to_the_derivation_code_re_derives_every_interview(tmp_path, study, monkeypatch):
    """The basis hashes the knowledge package's own source: edit a module and every interview is read again,
    with no version to bump by hand."""
    import shutil
    from importlib import resources

    from graph.knowledge import build

    records = study[0]
    package = resources.files("graph.knowledge")
    copy = tmp_path / "knowledge"
    shutil.copytree(str(package), copy, ignore=shutil.ignore_patterns("__pycache__"))
    files = resources.files
    monkeypatch.setattr(build.resources, "files", lambda name: copy if name == "graph.knowledge" else files(name))
    with open_store(tmp_path / "db") as store:
        ingest(store, records[:6])
        interviews = lambda batch: len({r.interview for r in batch})  # noqa: E731
        assert ingest(store, records[6:8]).interviews == interviews(records[6:8])  # same code: the new ones only
        (copy / "linking.py").write_text((copy / "linking.py").read_text() + "\n# a change in how links are made\n")
        assert ingest(store, records[8:10]).interviews == interviews(records[:10])  # changed code: all again
