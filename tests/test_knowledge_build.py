"""Rebuilding the knowledge layer from the store: idempotent, in step with the data, one copy per interview."""

from __future__ import annotations

import json
import shutil

from graph.codebook import load_codebook
from graph.knowledge import derive_knowledge, load_catalog
from graph.knowledge.selection import TranscriptInfo, select_transcripts
from graph.loader import write_records
from ingest.batch import parse_sources
from tests.conftest import EXAMPLES, fixture_path, load_paths, run_cli
from tests.test_loader import snapshot

SYNTHETIC = EXAMPLES / "synthetic-study"
KNOWLEDGE = (
    "MATCH (m:Mitigation)-[a:ADDRESSES]->(i:Issue) "
    "RETURN m.id, i.id, a.provenance, a.excerpts, a.interviews, a.confidence ORDER BY m.id, i.id"
)


def test_selection_prefers_coded_consensus_then_all_coded_copies():
    copies = [
        TranscriptInfo("i1/ana", "i1", "Ana", False, True),
        TranscriptInfo("i1/ben", "i1", "Ben", False, True),
        TranscriptInfo("i1/mod", "i1", "Mod", True, False),  # an uncoded consensus print
        TranscriptInfo("i2/ana", "i2", "Ana", False, True),
        TranscriptInfo("i2/mod", "i2", "Mod", True, True),
        TranscriptInfo("i3/raw", "i3", None, False, False),
    ]
    chosen = {k: [t.id for t in v] for k, v in select_transcripts(copies).items()}
    assert chosen == {"i1": ["i1/ana", "i1/ben"], "i2": ["i2/mod"], "i3": ["i3/raw"]}


def test_rebuild_is_idempotent_and_keeps_node_properties(store):
    load_paths(store, [SYNTHETIC])
    derive_knowledge(store, load_catalog())
    with store.transaction() as tx:
        tx.run("MATCH (m:Mitigation {id: 'data-augmentation'}) SET m.pagerank = 0.5")
    before = snapshot(store), store.run(KNOWLEDGE).rows
    derive_knowledge(store, load_catalog())
    assert (snapshot(store), store.run(KNOWLEDGE).rows) == before
    # Measures written by analytics survive a rebuild: node identity is kept.
    assert store.run("MATCH (m:Mitigation {id: 'data-augmentation'}) RETURN m.pagerank").scalar() == 0.5


def test_two_coders_count_a_paragraph_once(store):
    load_paths(store, sorted(SYNTHETIC.glob("Interview 1 - *.md")))  # Ana's and Ben's copies of one interview
    derive_knowledge(store, load_catalog())
    [[excerpts, interviews]] = store.run(
        "MATCH (:Mitigation {id: 'data-augmentation'})-[a:ADDRESSES]->(:Issue {id: 'qm-robustness'}) "
        "RETURN a.excerpts, a.interviews"
    ).rows
    # Ana and Ben both coded the same paragraph of interview 1.
    assert (excerpts, interviews) == (1, 1)
    coders = store.run(
        "MATCH (t:Transcript)-[:HAS_EXCERPT]->(:Excerpt)-[:SUGGESTS]->(:Mitigation {id: 'data-augmentation'}) "
        "RETURN t.coder ORDER BY t.coder"
    ).rows
    assert coders == [["Ana"], ["Ben"]]


def test_coded_consensus_copy_is_the_only_one_read(store, tmp_path):
    agreed = tmp_path / "Interview 1 - Mod.md"
    agreed.write_text(
        (SYNTHETIC / "Interview 1 - Ana.md").read_text("utf-8").replace("Interview 1 - Ana", "Interview 1 - Mod"),
        encoding="utf-8",
    )
    load_paths(store, [SYNTHETIC / "Interview 1 - Ana.md", SYNTHETIC / "Interview 1 - Ben.md"])
    load_paths(store, [agreed], consensus=True)
    derive_knowledge(store, load_catalog())
    sources = store.run(
        "MATCH (t:Transcript)-[:HAS_EXCERPT]->(:Excerpt)-[:SUGGESTS]->(:Mitigation) RETURN DISTINCT t.coder"
    ).rows
    assert sources == [["Mod"]]
    about = store.run("MATCH (t:Transcript)-[:HAS_EXCERPT]->(:Excerpt)-[:ABOUT]->(:Project) RETURN DISTINCT t.coder").rows
    assert about == [["Mod"]]


def test_changed_data_changes_the_knowledge(store, tmp_path):
    path = tmp_path / "Interview 35 - PO.md"
    shutil.copy(fixture_path("delve-markdown", "Interview 35 - PO.md"), path)
    load_paths(store, [path])
    derive_knowledge(store, load_catalog())
    assert store.run("MATCH (m:Mitigation {id: 'efficient-architecture'}) RETURN count(m)").scalar() == 1
    # The coder takes the efficiency codes back: MobileNet no longer addresses anything.
    path.write_text(
        path.read_text("utf-8").replace("QM-efficiency-fix\n", "").replace("QM-efficiency\n", ""), encoding="utf-8"
    )
    load_paths(store, [path])
    derive_knowledge(store, load_catalog())
    assert store.run("MATCH (m:Mitigation {id: 'efficient-architecture'}) RETURN count(m)").scalar() == 0
    assert store.run("MATCH ()-[s:SUGGESTS]->() RETURN count(s)").scalar() > 0


def test_interviewee_without_words_has_no_roles(store, tmp_path):
    path = tmp_path / "Interview 8 - X.md"
    path.write_text("## Interview 8 - X\n\n**Interviewer 1**\n\nHello?\n\nMD-data-drift\n", encoding="utf-8")
    load_paths(store, [path])
    derive_knowledge(store, load_catalog())
    assert store.run("MATCH (p:Interviewee) RETURN p.roles, p.summary").rows == [[[], None]]


def test_codebook_overrides_issue_names_and_categories(store, tmp_path):
    book = tmp_path / "book.yaml"
    book.write_text(
        "families:\n  QM: model properties\ncodes:\n  QM-robustness:\n    kind: issue\n    name: brittleness\n",
        encoding="utf-8",
    )
    parsed = parse_sources([SYNTHETIC], workers=1)
    with store.transaction() as tx:
        write_records(tx, parsed.records, load_codebook(book))
    rows = store.run("MATCH (i:Issue {id: 'qm-robustness'}) RETURN i.name, i.category").rows
    assert rows == [["brittleness", "model properties"]]


def test_ingest_cli_rebuilds_with_a_user_catalog(db_path, tmp_path):
    catalog = tmp_path / "mine.yaml"
    catalog.write_text(
        "mitigations:\n  operator-review:\n    name: review with the plant operators\n"
        "    description: Sit with the people who run the process.\n    families: [deployment, maintenance]\n"
        "    patterns: ['sat|sit|sitting ... operators']\n",
        encoding="utf-8",
    )
    drift = tmp_path / "Interview 9 - Zoe.md"
    drift.write_text(
        "## Interview 9 - Zoe\n\n### Interviewee\n\nWe sat together with the plant operators.\n\nMD-data-drift-fix\n",
        encoding="utf-8",
    )
    plain = run_cli("ingest", str(drift), "--db", str(db_path))
    assert plain.returncode == 0, plain.stderr
    # No catalog entry says it: the strategy is named in the interviewee's words.
    said = json.loads(run_cli("fixes", "drift", "--db", str(db_path), "--format", "json").stdout)
    assert [(r["mitigation"], r["provenance"]) for r in said] == [("sat together with the plant operators", "coded")]
    again = run_cli("ingest", str(drift), "--catalog", str(catalog), "--db", str(db_path))
    assert again.returncode == 0, again.stderr
    named = json.loads(run_cli("fixes", "MD-data-drift", "--db", str(db_path), "--format", "json").stdout)
    assert [(r["mitigation"], r["provenance"]) for r in named] == [("review with the plant operators", "coded")]


def test_bad_catalog_fails_before_writing(db_path, tmp_path):
    catalog = tmp_path / "bad.yaml"
    catalog.write_text("mitigations:\n  x:\n    name: x\n", encoding="utf-8")
    result = run_cli("ingest", str(SYNTHETIC), "--catalog", str(catalog), "--db", str(db_path))
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and str(catalog) in result.stderr
    assert not db_path.exists()


def test_fixes_and_issues_commands(db_path):
    assert run_cli("ingest", str(fixture_path("delve-markdown", "Interview 35 - PO.md")), "--db", str(db_path)).returncode == 0
    by_code = run_cli("fixes", "QM-robustness", "--db", str(db_path), "--format", "json")
    assert by_code.returncode == 0, by_code.stderr
    rows = json.loads(by_code.stdout)
    assert {r["mitigation"] for r in rows} == {
        "data augmentation", "collect more data for the failing condition", "test robustness under input variations"
    }
    assert all(r["quote"] and r["provenance"] == "coded" for r in rows)
    for spelling in ("robustness", "robust", "qm-robustness"):
        assert json.loads(run_cli("fixes", spelling, "--db", str(db_path), "--format", "json").stdout) == rows
    missing = json.loads(run_cli("fixes", "missing value", "--db", str(db_path), "--format", "json").stdout)
    assert {r["mitigation"] for r in missing} == {"drop incomplete records", "consult the data owner or domain expert"}
    reverse = json.loads(run_cli("issues", "mobile net", "--db", str(db_path), "--format", "json").stdout)
    assert [(r["mitigation"], r["issue"]) for r in reverse] == [
        ("smaller, efficient architecture (e.g. MobileNet)", "efficiency")
    ]
    unknown = run_cli("fixes", "teleportation", "--db", str(db_path))
    assert unknown.returncode == 1 and "no issue matches 'teleportation'" in unknown.stderr
    table = run_cli("fixes", "robustness", "--db", str(db_path), env={"COLUMNS": "250"})
    assert table.returncode == 0 and "data augmentation" in table.stdout


def test_fixes_quotes_are_verbatim_with_interview_coder_and_position(db_path):
    """Each link's quotes are paragraphs as transcribed (fillers kept), named by interview, coder and position."""
    assert run_cli("ingest", str(SYNTHETIC), "--db", str(db_path)).returncode == 0
    from graph.knowledge.lookup import FIXES_COLUMNS, fixes_for
    from graph.store import open_store

    with open_store(db_path, read_only=True) as store:
        paragraphs = {
            (interview, coder, position): text
            for interview, coder, position, text in store.run(
                "MATCH (v:Interview)-[:HAS_TRANSCRIPT]->(t:Transcript)-[:HAS_EXCERPT]->(e:Excerpt) "
                "RETURN v.name, t.coder, e.position, e.text").rows
        }
        suggested = {
            (interview, coder, position, mitigation, issue)
            for interview, coder, position, mitigation, issue in store.run(
                "MATCH (v:Interview)-[:HAS_TRANSCRIPT]->(t:Transcript)-[:HAS_EXCERPT]->(e:Excerpt)-[s:SUGGESTS]->"
                "(m:Mitigation) RETURN v.name, t.coder, e.position, m.name, s.issue").rows
        }
        issue_ids = {n: i for i, n in store.run("MATCH (i:Issue) RETURN i.id, i.name").rows}
        links = store.run("MATCH ()-[a:ADDRESSES]->() RETURN count(a)").scalar()
        every = [dict(zip(FIXES_COLUMNS, row)) for name in issue_ids
                 for row in fixes_for(store, issue_ids[name], every_quote=True)]
    # Fix passages that name no strategy come after the links (tests/test_knowledge_strategies.py checks them).
    every = [r for r in every if r["mitigation"] is not None]
    assert links and len({(r["mitigation"], r["issue"]) for r in every}) == links  # every link, none twice
    for row in every:
        for coder in row["coder"].split(", "):
            assert paragraphs[row["interview"], coder, row["position"]] == row["quote"]
            assert (row["interview"], coder, row["position"], row["mitigation"], issue_ids[row["issue"]]) in suggested
    # The shown quote is the transcript's, fillers and all: "uh" stays (the matching text drops it).
    assert any(" uh, " in r["quote"] for r in every)

    best = json.loads(run_cli("fixes", "robustness", "--db", str(db_path), "--format", "json").stdout)
    assert best and all(set(QUOTE_KEYS) <= set(r) for r in best)
    assert len(best) == len({(r["mitigation"], r["issue"]) for r in best})  # one row per link without --full
    table = run_cli("fixes", "robustness", "--full", "--db", str(db_path), env={"COLUMNS": "100"})
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert max(len(line) for line in lines) <= 100
    flowing = " ".join(table.stdout.split())
    for row in json.loads(run_cli("fixes", "robustness", "--full", "--db", str(db_path), "--format", "json").stdout):
        assert " ".join(row["quote"].split()) in flowing  # every quote whole, wrapped at word boundaries
        assert f"{row['interview']}, coder" in flowing and f"position {row['position']}:" in flowing


QUOTE_KEYS = ("interview", "coder", "position", "quote")
