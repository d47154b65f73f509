"""Code suggestions: learned from other interviews only, scored against each coder, stored apart from coding."""

from __future__ import annotations

import hashlib
import json
import random
import shutil
from pathlib import Path

import pytest

from graph.analytics.agreement import agreement
from graph.codebook import load_codebook
from graph.knowledge import load_catalog
from graph.pipeline import update_graph
from graph.store import open_store
from graph.suggest import (
    MIN_INTERVIEWS,
    SUGGESTED_CODER,
    evaluate,
    f1_of_pairs,
    read_training,
    stored_suggestions,
    suggest,
    suggest_for,
    targets,
    train,
)
from ingest.records import Coding, Paragraph, TranscriptRecord
from tests.conftest import fixture_path, load_paths, run_cli

# Topics a coder codes, each said in many ways; filler is talk about nothing codable.
TOPICS = {
    "Data-drift": ["the distribution shifted after a few months", "new data looked different from training data",
                   "the input distribution changed over time", "drift in the incoming data broke the model",
                   "customers changed behaviour so the data drifted"],
    "QM-latency": ["the response time was too slow for users", "inference took hundreds of milliseconds",
                   "latency was a problem in production", "predictions came back too slowly",
                   "we had to make the model respond faster"],
}
ONLY_HERE = "Only-in-two-interviews"  # coded in interviews 1 and 2 only: never learnable for either
FILLER = ["thank you for joining today", "could you tell me about your role", "yes that makes sense",
          "we work in a small team", "okay let us move to the next question", "I studied computer science"]


def _study(seed: int = 3) -> list[TranscriptRecord]:
    rng = random.Random(seed)
    records = []
    for number in range(1, 7):
        paragraphs, truth = [], []
        for position in range(36):
            roll = rng.random()
            if roll < 0.15:
                code = "Data-drift"
            elif roll < 0.30:
                code = "QM-latency"
            else:
                code = None
            if code is not None:
                text = f"{rng.choice(TOPICS[code])}, {rng.choice(FILLER)}."
            elif number <= 2 and position % 6 == 0:
                code, text = ONLY_HERE, f"the zebra protocol number {position} was peculiar."
            else:
                text = f"{rng.choice(FILLER)}, {rng.choice(FILLER)}."
            paragraphs.append(text)
            truth.append(code)
        coders = {"Ana": truth}
        if number <= 2:  # a second coder who misses a third and codes some filler
            coders["Ben"] = [c if c and rng.random() > 0.35 else (rng.choice(list(TOPICS)) if rng.random() < 0.06 else None)
                             for c in truth]
        for coder, codes in coders.items():
            body = tuple(Paragraph(p, "Interviewee" if p % 2 else "Interviewer 1", text,
                                   (Coding(codes[p]),) if codes[p] else ())
                         for p, text in enumerate(paragraphs))
            digest = hashlib.sha256(repr((number, coder, codes)).encode()).hexdigest()
            records.append(TranscriptRecord(f"Interview {number}", coder, False, f"Interview {number} - {coder}.md",
                                            digest, "handmade", body))
    # An uncoded print of a seventh interview, about both topics.
    texts = [f"{TOPICS['Data-drift'][i % 5]}." if i % 3 == 0 else f"{FILLER[i % 6]}." for i in range(12)]
    body = tuple(Paragraph(p, "Interviewee", t, ()) for p, t in enumerate(texts))
    records.append(TranscriptRecord("Interview 7", "Cleo", False, "Interview 7 - Cleo.pdf", "7" * 64, "handmade", body))
    return records


@pytest.fixture(scope="module")
def study_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("suggest") / "findings-db"
    with open_store(path) as store:
        update_graph(store, _study(), load_codebook(), load_catalog())
    return path


def test_f1_of_pairs_is_symmetric_and_exact():
    a, b = {(1, "x"), (2, "x"), (3, "y")}, {(1, "x"), (3, "y"), (4, "z"), (5, "z")}
    assert f1_of_pairs(a, b) == f1_of_pairs(b, a) == pytest.approx(2 * 2 / 7)
    assert f1_of_pairs(set(), set()) is None


def test_never_learns_from_the_interview_it_suggests_for(study_db):
    with open_store(study_db, read_only=True) as store:
        paragraphs = read_training(store)
        target = targets(store, transcript="interview-1/ana")[0]
        model = train(paragraphs, exclude="interview-1")
        assert "interview-1" not in model.trained_on and all(p.interview != "interview-1" for p in model.paragraphs)
        # Coded in interviews 1 and 2 only: without interview 1 it is one interview's code, too rare to learn.
        assert ONLY_HERE not in model.codes and ONLY_HERE in model.too_rare
        found = suggest_for(model, target)
        assert found and ONLY_HERE not in {s.code for s in found}
        assert all("in Interview 1 " not in s.reason for s in found)  # every reason cites another interview
        with pytest.raises(ValueError, match="learned from"):
            suggest_for(train(paragraphs), target)


def test_only_codes_with_enough_examples_are_learned(study_db):
    with open_store(study_db, read_only=True) as store:
        model = train(read_training(store), exclude="interview-7")
    # The code of interviews 1 and 2 has 12 paragraphs in MIN_INTERVIEWS interviews: enough when both are trained on.
    assert MIN_INTERVIEWS == 2 and ONLY_HERE in model.codes
    assert {"Data-drift", "QM-latency"} <= set(model.codes)


def test_evaluation_reaches_the_coders_where_the_words_carry_the_codes(study_db):
    with open_store(study_db, read_only=True) as store:
        result = evaluate(store)
        human = {(r.interview, r.level): r for r in agreement(store).rows if r.code == "(overall)" and r.scope == "pair"}
    assert set(result.seconds) == {"Interview 1", "Interview 2"}
    assert set(result.skipped) >= {"Interview 3", "Interview 7"}
    machine = [r for r in result.rows if r.reaches and r.interview != "(overall)"]
    assert {r.compared for r in machine} == {f"{SUGGESTED_CODER}, Ana", f"{SUGGESTED_CODER}, Ben"}
    for row in result.rows:
        if not row.reaches and row.interview != "(overall)":
            # The coders' own kappa is the one `findings agreement` computes.
            assert row.kappa == pytest.approx(human[row.interview, row.level].kappa)
    ana = [r for r in machine if r.compared.endswith("Ana") and r.level == "code"]
    assert all(r.f1 > 0.8 for r in ana), ana
    overall = {r.level: r for r in result.rows if r.interview == "(overall)"}
    assert overall["code"].reaches == "yes" and overall["code"].f1 >= overall["code"].human_f1


def test_uncoded_prints_get_suggestions_with_reasons(study_db):
    with open_store(study_db, read_only=True) as store:
        chosen = targets(store, uncoded=True)
        assert [t.transcript for t in chosen] == ["interview-7/cleo"]
        found = suggest(store, chosen).suggestions
    drift = {s.position for s in found if s.code == "Data-drift"}
    assert drift and drift <= {p for p in range(12) if p % 3 == 0}
    assert all(s.reason.startswith("coded ") and " by " in s.reason for s in found)


def test_cli_rows_and_write_are_marked_as_suggestions(study_db, tmp_path):
    db = tmp_path / "db"
    shutil.copyfile(study_db, db)
    shown = run_cli("suggest", "--interview", "Interview 7", "--format", "json", "--db", str(db))
    assert shown.returncode == 0, shown.stderr
    rows = json.loads(shown.stdout)
    assert rows and set(rows[0]) >= {"interview", "coder", "position", "code", "score", "quote", "reason"}
    assert {r["interview"] for r in rows} == {"Interview 7"} and {r["coder"] for r in rows} == {"Cleo"}
    with open_store(db, read_only=True) as store:
        assert stored_suggestions(store) == []  # nothing stored unless asked
    written = run_cli("suggest", "--interview", "7", "--write", "--format", "json", "--db", str(db))
    assert written.returncode == 0, written.stderr
    with open_store(db, read_only=True) as store:
        kept = stored_suggestions(store)
        marks = store.run("MATCH ()-[r:SUGGESTED_AS]->() RETURN DISTINCT r.provenance, r.coder").rows
    assert len(kept) == len(rows) and marks == [["suggested", SUGGESTED_CODER]]
    assert run_cli("suggest", "--db", str(db)).returncode != 0  # nothing named to suggest for


# --- every measure is the same after suggest --write ------------------------------------------------

LIBRARY = [
    ("issue-prevalence", {"copies": "union"}),
    ("issue-prevalence", {"copies": "consensus"}),
    ("code-counts", {}),
]
KNOWLEDGE = [
    "MATCH (m:Mitigation)-[r:ADDRESSES]->(i:Issue) RETURN m.id, i.id, r.excerpts, r.interviews, r.provenance "
    "ORDER BY m.id, i.id",
    "MATCH (e:Excerpt)-[r:SUGGESTS]->(m:Mitigation) RETURN e.id, m.id, r.issue ORDER BY e.id, m.id",
    "MATCH (i:Issue) RETURN i.id, i.degree, i.weighted_degree, i.pagerank, i.betweenness, i.community ORDER BY i.id",
    "MATCH (a:Issue)-[r:CO_OCCURS_WITH]->(b:Issue) RETURN a.id, b.id, r.weight ORDER BY a.id, b.id",
    "MATCH (p:Project)-[:FACED]->(i:Issue) RETURN p.id, i.id ORDER BY p.id, i.id",
]


def _measures(db: Path) -> dict[str, object]:
    """Every count, measure and knowledge link, computed by the functions the CLI and explorer use."""
    from graph.analytics.centrality import compute_measures
    from graph.analytics.names import VIEW_REGISTRY
    from graph.analytics.saturation import saturation
    from graph.analytics.selection import Copies
    from graph.analytics.views import build_view
    from graph.queries import graph_counts, library

    found: dict[str, object] = {}
    with open_store(db, read_only=True) as store:
        # The one row that counts suggestions themselves; every other count must not move.
        found["stats"] = [row for row in graph_counts(store) if row[1] != "SUGGESTED_AS"]
        for rule in ("consensus", "union"):
            copies = Copies.parse(rule)
            for view in (v.name for v in VIEW_REGISTRY if v.copies or rule == "consensus"):
                measures = compute_measures(build_view(store, view, copies=copies), seed=0)
                found[f"centrality {view} {rule}"] = sorted((repr(node), values) for node, values in measures.values.items())
            curve = saturation(store, copies=copies, k=3, orders=20, seed=0)
            found[f"saturation {rule}"] = curve.rows()
        found["agreement"] = agreement(store).rows
        for name, params in LIBRARY:
            found[f"query {name} {params}"] = store.run(library()[name].text, params).rows
        for query in KNOWLEDGE:
            found[query] = store.run(query).rows
    return found


def _fixture_study(path: Path) -> None:
    root = fixture_path("delve-pdf")
    with open_store(path) as store:
        load_paths(store, [root / "codings", root / "dev"])
        load_paths(store, [root / "consensus"], consensus=True)


def _handmade_study(path: Path) -> None:
    with open_store(path) as store:
        update_graph(store, _study(), load_codebook(), load_catalog())


@pytest.mark.parametrize("build", [_handmade_study, _fixture_study], ids=["handmade", "fixtures"])
def test_every_measure_is_unchanged_after_suggest_write(build, tmp_path):
    db = tmp_path / "db"
    build(db)
    before = _measures(db)
    done = run_cli("suggest", "--uncoded", "--write", "--format", "json", "--db", str(db))
    assert done.returncode == 0, done.stderr
    also = run_cli("suggest", "--interview", "12" if build is _fixture_study else "1", "--write", "--db", str(db))
    assert also.returncode == 0, also.stderr
    with open_store(db, read_only=True) as store:
        stored = store.run("MATCH ()-[r:SUGGESTED_AS]->() RETURN count(r)").scalar()
    assert stored > 0
    assert _measures(db) == before
    # Measures recomputed and stored again, with suggestions in the store, are the same too.
    assert run_cli("centrality", "--write", "--db", str(db)).returncode == 0
    assert _measures(db) == before


# --- the explorer's Interviews page ------------------------------------------------------------------


def test_interviews_page_shows_suggestions_beside_the_codes_for_an_uncoded_print(study_db, monkeypatch):
    from tests.test_explorer_apptest import open_app, rerun

    app = open_app(study_db, monkeypatch, "interviews")
    app.selectbox(key="interview").set_value("Interview 7")
    rerun(app)
    with open_store(study_db, read_only=True) as store:
        expected = suggest(store, targets(store, interview="Interview 7")).suggestions
    assert expected
    table = next(df.value for df in app.dataframe if list(df.value.columns) == ["position", "code", "score", "reason"])
    assert sorted(zip(table["position"], table["code"])) == sorted((s.position, s.code) for s in expected)
    assert all(r.startswith("coded ") for r in table["reason"])
    side = next(df.value for df in app.dataframe if "suggested (not coding)" in df.value.columns)
    assert set(side.index) == {s.position for s in expected}  # the print is uncoded: only suggestions
    transcript = app.get("html")[0].proto.body
    assert transcript.count('class="suggested"') == len(expected)
    assert 'class="paragraph coded"' not in transcript  # a suggestion does not make a paragraph coded
    assert any("never this one" in c.value for c in app.caption)
    app.toggle(key="suggestions").set_value(False)
    rerun(app)
    assert 'class="suggested"' not in app.get("html")[0].proto.body


def test_interviews_page_beside_human_codes(study_db, monkeypatch):
    from tests.test_explorer_apptest import open_app, rerun

    app = open_app(study_db, monkeypatch, "interviews")
    app.selectbox(key="interview").set_value("Interview 1")
    rerun(app)
    side = next(df.value for df in app.dataframe if "suggested (not coding)" in df.value.columns)
    assert {"Ana", "Ben"} <= set(side.columns)
