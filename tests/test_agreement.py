"""Coder agreement: hand-worked cases, scikit-learn and the krippendorff package as independent references."""

from __future__ import annotations

import itertools
import json
import math
import random
import warnings
from collections import defaultdict

import krippendorff
import pytest
from sklearn.metrics import cohen_kappa_score

from graph.analytics.agreement import OVERALL, agreement, cohen_kappa, krippendorff_alpha, percent_agreement
from graph.codebook import load_codebook
from graph.store import open_store
from ingest.batch import parse_sources
from tests.conftest import EXAMPLES, fixture_path, load_paths, run_cli
from tests.handmade import load

A = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0]
B = [1, 1, 1, 0, 1, 0, 0, 0, 0, 0]


def test_hand_worked_two_coders():
    # p_o = 8/10; p_e = 0.4*0.4 + 0.6*0.6 = 0.52; kappa = 0.28 / 0.48 = 7/12.
    assert cohen_kappa(A, B) == pytest.approx(7 / 12)
    # n = 20 values (8 ones, 12 zeros); two disagreeing units give 4 off-diagonal coincidences:
    # alpha = 1 - (n - 1) * 4 / (2 * 8 * 12) = 1 - 76/192 = 29/48.
    assert krippendorff_alpha(list(zip(A, B))) == pytest.approx(29 / 48)
    assert percent_agreement(list(zip(A, B))) == 0.8


def test_hand_worked_three_coders():
    # One split unit (1,1,0) adds 2*1/(3-1) to each off-diagonal cell; n = 12, five ones, seven zeros:
    # alpha = 1 - 11 * 2 / (2 * 5 * 7) = 48/70.
    units = [(1, 1, 1), (0, 0, 0), (1, 1, 0), (0, 0, 0)]
    assert krippendorff_alpha(units) == pytest.approx(48 / 70)
    assert percent_agreement(units) == 0.75


def test_undefined_when_chance_agreement_is_total():
    assert cohen_kappa([0, 0, 0], [0, 0, 0]) is None
    assert krippendorff_alpha([(0, 0), (0, 0)]) is None
    assert percent_agreement([(0, 0), (0, 0)]) == 1.0


def test_against_scikit_learn_and_krippendorff_on_random_ratings():
    rng = random.Random(42)
    for trial in range(30):
        coders, units, values = rng.randint(2, 5), rng.randint(5, 60), rng.randint(2, 4)
        data = [[rng.randrange(values) for _ in range(units)] for _ in range(coders)]
        # Make the coders agree more than chance, as real coders do.
        for row in data[1:]:
            for i in range(units):
                if rng.random() < 0.6:
                    row[i] = data[0][i]
        if len({v for row in data for v in row}) < 2:
            continue
        assert cohen_kappa(data[0], data[1]) == pytest.approx(cohen_kappa_score(data[0], data[1])), trial
        expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
        assert krippendorff_alpha(list(zip(*data))) == pytest.approx(expected), trial


def test_skips_and_names_what_cannot_be_compared(store):
    load(store, {
        ("Interview 1", "Ana"): ["QM-robustness", "", "Data-noisy-labels"],
        ("Interview 1", "Ben"): ["QM-robustness", ""],  # one paragraph short: no alignment
        ("Interview 2", "Ana"): ["QM-robustness", ""],
        ("Interview 2", "Mod"): ["", ""],  # an uncoded print: one coded copy left
        ("Interview 3", "Ana"): ["QM-robustness", "QM-efficiency"],
        ("Interview 3", "Ben"): ["QM-robustness", ""],
        ("Interview 3", "Mod"): ["", ""],
    }, consensus={"Mod"})
    result = agreement(store)
    assert result.skipped == {
        "Interview 1": "copies do not align by position (paragraphs: Ana 3, Ben 2)",
        "Interview 2": "1 coded copy",
    }
    rows = {(r.level, r.code, r.scope): r for r in result.rows}
    assert {r.interview for r in result.rows} == {"Interview 3"}
    assert all(r.excluded == "Mod (consensus): uncoded print (Interview 3 - Mod.md)" for r in result.rows)
    robustness = rows["code", "QM-robustness", "pair"]
    assert (robustness.units, robustness.agreement, robustness.kappa) == (2, 1.0, 1.0)
    efficiency = rows["code", "QM-efficiency", "all"]
    # Ana (0, 1), Ben (0, 0): n = 4, one 1, one split unit -> alpha = 1 - 3 * 2 / (2 * 1 * 3) = 0.
    assert (efficiency.agreement, efficiency.alpha) == (0.5, pytest.approx(0.0))
    overall = rows["issue", OVERALL, "pair"]
    assert overall.units == 4 and overall.agreement == 0.75
    assert overall.kappa == pytest.approx(cohen_kappa_score([1, 0, 0, 1], [1, 0, 0, 0]))


def _fixture_records() -> dict[tuple[str, str], object]:
    root = fixture_path("delve-pdf")
    records = parse_sources([root / "codings"], workers=1).records
    records += parse_sources([root / "consensus"], consensus=True, workers=1).records
    return {(r.interview, r.coder): r for r in records}


def _vectors(record, level: str) -> dict[str, list[int]]:
    """Per code (or issue), 1 where the paragraph carries it: read from the parsed file, not the store."""
    book = load_codebook()
    marks: dict[str, set[int]] = defaultdict(set)
    for paragraph in record.paragraphs:
        for code in paragraph.codes:
            if level == "code":
                marks[code].add(paragraph.position)
            elif (cls := book.classify(code)).kind == "issue":
                marks[cls.issue_key].add(paragraph.position)
    return {c: [int(p.position in marks[c]) for p in record.paragraphs] for c in marks}


def _same(value: float | None, reference: float) -> bool:
    return math.isnan(reference) if value is None else value == pytest.approx(reference)


@pytest.mark.parametrize(
    "interview, coders",
    [("Interview 35", ["Ilan", "PO"]), ("Interview 12", ["PO", "Rached", "Amin"])],
)
def test_fixture_agreement_matches_independent_implementations(fixture_db, interview, coders):
    matches_independent_implementations(fixture_db, _fixture_records(), interview, coders)


def test_demo_agreement_matches_independent_implementations(tmp_path):
    """The same check on every interview of the shipped synthetic study, where the two coders disagree on purpose."""
    files = sorted((EXAMPLES / "synthetic-study").glob("*.md"))
    records = {(r.interview, r.coder): r for r in parse_sources(files, workers=1).records}
    db = tmp_path / "db"
    with open_store(db) as opened:
        load_paths(opened, files)
    for interview in sorted({i for i, _ in records}):
        matches_independent_implementations(db, records, interview, sorted(c for i, c in records if i == interview))
    result = run_cli("agreement", "--db", str(db), "--overall", "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert {r["interview"] for r in rows} == {i for i, _ in records}
    assert any(r["kappa"] is not None and r["kappa"] < 1 for r in rows)  # real disagreement


def matches_independent_implementations(db, records, interview, coders):
    """Percent agreement, Cohen's kappa (scikit-learn) and Krippendorff's alpha (krippendorff) from the parsed files."""
    with open_store(db, read_only=True) as opened:
        result = agreement(opened, interview)
    assert result.skipped == {}
    rows = {(r.level, r.code, r.scope, r.coders): r for r in result.rows}
    labels = [f"{c} (consensus)" if records[interview, c].consensus else c for c in coders]
    for level in ("code", "issue"):
        vectors = {c: _vectors(records[interview, c], level) for c in coders}
        categories = sorted(set().union(*vectors.values()))
        n = len(records[interview, coders[0]].paragraphs)
        full = {c: {k: vectors[c].get(k, [0] * n) for k in categories} for c in coders}
        for category in [*categories, OVERALL]:
            picked = categories if category == OVERALL else [category]
            data = [[v for k in picked for v in full[c][k]] for c in coders]
            for i, j in itertools.combinations(range(len(coders)), 2):
                row = rows[level, category, "pair", f"{labels[i]}, {labels[j]}"]
                assert row.units == len(data[i])
                assert row.agreement == pytest.approx(sum(a == b for a, b in zip(data[i], data[j])) / len(data[i]))
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # scikit-learn warns, then gives nan, where kappa is undefined
                    reference = cohen_kappa_score(data[i], data[j])
                assert _same(row.kappa, reference), (level, category, coders[i], coders[j])
            everyone = rows[level, category, "all", ", ".join(labels)]
            assert everyone.alpha == pytest.approx(krippendorff.alpha(reliability_data=data,
                                                                       level_of_measurement="nominal"))
        assert len([r for r in result.rows if r.level == level and r.scope == "all"]) == len(categories) + 1


def test_fixture_interview_35_excludes_the_uncoded_consensus_print(fixture_db):
    with open_store(fixture_db, read_only=True) as opened:
        result = agreement(opened, "35")
    assert {r.interview for r in result.rows} == {"Interview 35"}
    assert {r.excluded for r in result.rows} == {"Amin (consensus): uncoded print (2023-06-04-Interview 35 - Amin.pdf)"}
    assert {r.coders for r in result.rows} == {"Ilan, PO"}
    # Codes: PO used 14, Ilan 13, 20 between them; 153 paragraphs.
    overall = next(r for r in result.rows if r.level == "code" and r.code == OVERALL and r.scope == "all")
    assert overall.units == 20 * 153


def test_fixture_issue_level_meets_spellings(fixture_db):
    # Amin wrote Data-missing-value where PO wrote Data-missing-values: different codes, one issue.
    with open_store(fixture_db, read_only=True) as opened:
        rows = agreement(opened, "Interview 12").rows
    pair = "PO, Amin (consensus)"
    by = {(r.level, r.code): r for r in rows if r.scope == "pair" and r.coders == pair}
    assert by["code", "Data-missing-value"].kappa == pytest.approx(0.0)
    assert by["code", "Data-missing-values"].kappa == pytest.approx(0.0)
    assert by["issue", "data-missing-value"].kappa > 0.5


def test_agreement_cli(fixture_db):
    result = run_cli("agreement", "--db", str(fixture_db), "--interview", "Interview 35", "--overall", "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [(r["level"], r["scope"]) for r in rows] == [("code", "pair"), ("code", "all"), ("issue", "pair"),
                                                        ("issue", "all")]
    assert "excluded from Interview 35: Amin (consensus): uncoded print" in result.stderr
    missing = run_cli("agreement", "--db", str(fixture_db), "--interview", "Interview 99")
    assert missing.returncode == 1 and "no such interview" in missing.stderr
