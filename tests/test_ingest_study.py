"""The reference study's prints, codings and consensus copies, in one command."""

import json

import pytest

from graph.store import open_store
from tests.conftest import fixture_path, run_cli

# (interview, coder): (distinct codes, paragraph-code pairs), from fixtures/README.md.
EXPECTED = {
    ("Interview 35", "PO"): (14, 30),
    ("Interview 35", "Ilan"): (13, 47),
    ("Interview 12", "PO"): (14, 33),
    ("Interview 12", "Rached"): (8, 14),
    ("Interview 12", "Amin"): (12, 34),
    ("Interview 35", "Amin"): (0, 0),
}


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    root = fixture_path("delve-pdf")
    db = tmp_path_factory.mktemp("study") / "db"
    result = run_cli(
        "ingest", str(root / "codings"), "--consensus-from", str(root / "consensus"), "--db", str(db), "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    return db, {row["item"]: row["value"] for row in json.loads(result.stdout)}, json.loads(result.stdout)


def test_summary_reports_the_uncoded_print(study):
    _, summary, rows = study
    assert summary["files: delve-pdf"] == 6 and summary["transcripts added"] == 6
    assert summary["uncoded prints"] == 1
    assert [r["value"] for r in rows if r["item"] == "uncoded"][0].endswith("Interview 35 - Amin.pdf")


def test_codes_and_pairs_per_transcript(study):
    db, _, _ = study
    with open_store(db, read_only=True) as store:
        rows = store.run(
            "MATCH (t:Transcript)-[:HAS_EXCERPT]->(e:Excerpt) OPTIONAL MATCH (e)-[:CODED_AS]->(c:Code) "
            "RETURN t.interview, t.coder, count(DISTINCT c), count(c)"
        ).rows
    assert {(i, c): (n, pairs) for i, c, n, pairs in rows} == EXPECTED


def test_interview_35_has_three_copies_under_one_interview(study):
    db, _, _ = study
    with open_store(db, read_only=True) as store:
        copies = store.run(
            "MATCH (i:Interview {name: 'Interview 35'})-[:HAS_TRANSCRIPT]->(t) RETURN t.coder, t.consensus ORDER BY t.coder"
        ).rows
        assert copies == [["Amin", True], ["Ilan", False], ["PO", False]]
        assert store.run("MATCH (i:Interview) RETURN count(i)").scalar() == 2
        assert store.run("MATCH (p:Interviewee)-[:GAVE]->(:Interview {name: 'Interview 35'}) RETURN count(p)").scalar() == 1


def test_family_codes_are_whole_category_codes(study):
    db, _, _ = study
    with open_store(db, read_only=True) as store:
        kinds = dict(store.run("MATCH (c:Code) RETURN c.name, c.kind").rows)
    assert kinds["ML-pipeline-issues [MLP]"] == "category"
    assert kinds["Model-Evaluation-issues [ME]"] == "category"
    assert kinds["Data-missing-value"] == "issue"


def test_pdf_and_markdown_give_the_same_code_table(tmp_path):
    tables = []
    for source in (
        fixture_path("delve-pdf", "codings", "2023-06-04-Interview 35 - PO.pdf"),
        fixture_path("delve-markdown", "Interview 35 - PO.md"),
    ):
        db = tmp_path / source.suffix.strip(".")
        assert run_cli("ingest", str(source), "--db", str(db)).returncode == 0
        result = run_cli("query", "code-counts", "--db", str(db), "--format", "json")
        tables.append({row["code"]: row["paragraphs"] for row in json.loads(result.stdout)})
    assert tables[0] == tables[1] and sum(tables[0].values()) == 30
