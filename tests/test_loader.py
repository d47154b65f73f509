"""Loading records into a real LadybugDB: idempotence, replacement, derived issues."""

import shutil
from collections import Counter

from graph.codebook import load_codebook
from graph.loader import write_records
from ingest.delve_markdown import parse_delve_markdown
from tests.conftest import EXAMPLES, fixture_path, load_paths

CODE_PAIRS = (
    "MATCH (t:Transcript)-[:HAS_EXCERPT]->(e:Excerpt)-[:CODED_AS]->(c:Code) "
    "RETURN c.name AS code, count(e) AS n ORDER BY code"
)


def snapshot(store):
    """Every node id per label and every relationship count: the whole graph's identity."""
    nodes = store.run("MATCH (n) RETURN label(n) AS l, n.id AS id ORDER BY l, id").rows
    rels = store.run("MATCH ()-[r]->() RETURN label(r) AS l, count(*) AS n ORDER BY l").rows
    return nodes, rels


def test_seed_transcript_properties_and_order(store):
    load_paths(store, [fixture_path("delve-markdown", "Interview 35 - PO.md")])
    [[interview, coder, consensus, fmt, paragraphs]] = store.run(
        "MATCH (i:Interview)-[:HAS_TRANSCRIPT]->(t:Transcript) "
        "RETURN t.interview, t.coder, t.consensus, t.format, t.paragraphs"
    ).rows
    assert (interview, coder, consensus, fmt, paragraphs) == ("Interview 35", "PO", False, "delve-markdown", 153)
    excerpts = store.run(
        "MATCH (t:Transcript)-[:HAS_EXCERPT]->(e:Excerpt) RETURN e.position, e.speaker, e.text ORDER BY e.position"
    ).rows
    assert [row[0] for row in excerpts] == list(range(153))
    assert excerpts[2][1] == "Interviewee" and "full professor" in excerpts[2][2]
    assert store.run("MATCH (p:Interviewee)-[:GAVE]->(i:Interview {name: 'Interview 35'}) RETURN count(p)").scalar() == 1


def test_reingest_changes_nothing(store):
    path = fixture_path("delve-markdown", "Interview 35 - PO.md")
    load_paths(store, [path])
    before = snapshot(store)
    report = load_paths(store, [path])
    assert report.unchanged == ["interview-35/po"] and not report.added and not report.replaced
    assert snapshot(store) == before
    assert sum(n for _, n in store.run(CODE_PAIRS).rows) == 30


def test_fix_codes_link_to_their_issues(store):
    load_paths(store, [fixture_path("delve-markdown", "Interview 35 - PO.md")])
    links = store.run(
        "MATCH (c:Code)-[:FIX_FOR]->(i:Issue) RETURN c.name AS fix, i.code AS issue ORDER BY fix"
    ).rows
    assert links == [["QM-efficiency-fix", "QM-efficiency"], ["QM-robustness-fix", "QM-robustness"]]
    indicated = store.run("MATCH (c:Code)-[:INDICATES]->(i:Issue) RETURN c.name, i.name ORDER BY c.name").rows
    assert ["Data-missing-values", "missing values"] in indicated
    assert ["QM-robustness", "robustness"] in indicated
    # Context and meta codes indicate nothing.
    assert not any(name.startswith("Data-collection") or name == "last-question-answers" for name, _ in indicated)


def test_spelling_variants_meet_in_one_issue(store):
    load_paths(store, [EXAMPLES / "synthetic-study"])
    rows = store.run(
        "MATCH (c:Code)-[:INDICATES]->(i:Issue {id: 'data-missing-value'}) RETURN c.name ORDER BY c.name"
    ).rows
    assert rows == [["Data-missing-value"], ["Data-missing-values"]]
    fixes = store.run("MATCH (c:Code)-[:FIX_FOR]->(i:Issue {id: 'data-missing-value'}) RETURN count(c)").scalar()
    assert fixes == 2
    interviews = store.run("MATCH (i:Interview)-[:HAS_TRANSCRIPT]->(t) RETURN i.name, count(t) ORDER BY i.name").rows
    files = Counter(f.name.split(" - ")[0] for f in (EXAMPLES / "synthetic-study").glob("*.md"))  # one copy per coder
    assert interviews == [[name, files[name]] for name in sorted(files)]


def test_changed_transcript_replaces_its_excerpts(store, tmp_path):
    original = EXAMPLES / "synthetic-study" / "Interview 3 - Ana.md"
    path = tmp_path / "Interview 3 - Ana.md"
    shutil.copy(original, path)
    load_paths(store, [path])
    path.write_text(
        original.read_text("utf-8").replace("Data-duplicates-fix\n", "Data-duplicates-fix\n\nQM-robustness\n"),
        encoding="utf-8",
    )
    report = load_paths(store, [path])
    assert report.replaced == ["interview-3/ana"]
    assert store.run("MATCH (t:Transcript) RETURN count(t)").scalar() == 1
    [record] = parse_delve_markdown(path)
    assert store.run("MATCH (e:Excerpt) RETURN count(e)").scalar() == len(record.paragraphs)
    pairs = dict(store.run(CODE_PAIRS).rows)
    assert pairs["QM-robustness"] == 1 and pairs["Data-duplicates"] == 1
    assert store.run("MATCH (i:Issue {id: 'qm-robustness'}) RETURN count(i)").scalar() == 1


def test_issue_without_codes_left_is_removed(store, tmp_path):
    path = tmp_path / "Interview 9 - X.md"
    path.write_text("## Interview 9 - X\n\n**Interviewee**\n\nIt drifts.\n\nMD-data-drift\n", encoding="utf-8")
    load_paths(store, [path])
    assert store.run("MATCH (i:Issue) RETURN i.id").rows == [["md-data-drift"]]
    path.write_text("## Interview 9 - X\n\n**Interviewee**\n\nIt drifts.\n\nMT-underfitting\n", encoding="utf-8")
    load_paths(store, [path])
    # The old code node stays (codes are never dropped) but no longer indicates a live issue.
    assert store.run("MATCH (i:Issue) RETURN i.id ORDER BY i.id").rows == [["md-data-drift"], ["mt-underfitting"]]
    [[uses]] = store.run("MATCH (c:Code {id: 'MD-data-drift'}) OPTIONAL MATCH (e)-[:CODED_AS]->(c) RETURN count(e)").rows
    assert uses == 0


def test_same_transcript_twice_in_one_batch_keeps_the_last(store):
    path = EXAMPLES / "synthetic-study" / "Interview 1 - Ana.md"
    [record] = parse_delve_markdown(path)
    with store.transaction() as tx:
        report = write_records(tx, [record, record], load_codebook())
    assert report.added == ["interview-1/ana"] and len(report.warnings) == 1
    assert store.run("MATCH (e:Excerpt) RETURN count(e)").scalar() == len(record.paragraphs)


def test_family_category_code_becomes_parent(store, tmp_path):
    path = tmp_path / "Interview 12 - PO.md"
    path.write_text(
        "## Interview 12 - PO\n\n**Interviewee**\n\nThe metrics meant nothing to them.\n\n"
        "Model-Evaluation-issues [ME]\n\nME-metrics-meaningless-for-stakeholder\n\nQ2.1\n",
        encoding="utf-8",
    )
    load_paths(store, [path])
    rows = store.run(
        "MATCH (c:Code)-[:SUBCODE_OF]->(p:Code) RETURN c.name, p.name, p.kind, p.category ORDER BY c.name"
    ).rows
    assert rows == [["ME-metrics-meaningless-for-stakeholder", "Model-Evaluation-issues [ME]", "category", "evaluation"]]
    kinds = dict(store.run("MATCH (c:Code) RETURN c.name, c.kind").rows)
    assert kinds["Q2.1"] == "question" and kinds["Model-Evaluation-issues [ME]"] == "category"
    # A category names a family; it is not an issue.
    assert store.run("MATCH (:Code {id: 'Model-Evaluation-issues [ME]'})-[:INDICATES]->(i) RETURN count(i)").scalar() == 0
