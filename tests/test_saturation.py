"""Saturation curves: counted by hand, seeded random orders, a real PNG, and curves that never fall."""

from __future__ import annotations

import json

import pytest
from matplotlib.image import imread

from graph.analytics.saturation import COLUMNS, cumulative, saturation, saturation_point
from graph.analytics.selection import Copies
from graph.store import open_store
from tests.conftest import run_cli
from tests.handmade import load

# Interview 4 has only an uncoded copy: left out, not counted as "nothing new".
# Interview 10 sorts last by number; it brings a new spelling but no new issue.
STUDY = {
    ("Interview 1", "Ana"): ["QM-robustness Data-noisy-labels", "Q1"],
    ("Interview 2", "Ana"): ["Data-missing-values", "QM-robustness-fix"],
    ("Interview 10", "Ana"): ["Data-missing-value", ""],
    ("Interview 3", "Ana"): ["QM-robustness", ""],
    ("Interview 4", "Ana"): ["", ""],
    ("Interview 5", "Ana"): ["QM-robustness Data-noisy-labels", "last-question-answers"],
}


def test_cumulative_and_saturation_point():
    assert cumulative([{"a", "b"}, {"a"}, {"c"}, set()]) == [2, 2, 3, 3]
    assert saturation_point([2, 3, 3, 3, 3], 2) == 2
    assert saturation_point([2, 3, 3, 3, 3], 3) == 2
    assert saturation_point([2, 3, 3, 3, 3], 4) is None
    assert saturation_point([1, 2, 3], 1) is None
    assert saturation_point([], 1) is None


def test_curves_in_interview_number_order(store):
    load(store, STUDY)
    result = saturation(store, k=2, orders=50, seed=1)
    assert result.interviews == ["Interview 1", "Interview 2", "Interview 3", "Interview 5", "Interview 10"]
    assert result.left_out == {"Interview 4": "no coded copy (uncoded prints only)"}
    assert result.issues.ordered == [2, 3, 3, 3, 3]
    assert result.new_issues == [2, 1, 0, 0, 0]
    # Codes as spelled, without the question and meta codes: the fix code and the singular spelling are new.
    assert result.codes.ordered == [2, 4, 4, 4, 5]
    assert (result.issues.point, result.codes.point) == (2, 2)
    assert saturation(store, k=3, orders=0).codes.point is None
    rows = result.rows()
    assert [r[COLUMNS.index("issues_saturated")] for r in rows] == [False, True, False, False, False]


def test_random_orders_are_seeded_and_banded(store):
    load(store, STUDY)
    first = saturation(store, orders=40, seed=3)
    assert saturation(store, orders=40, seed=3) == first
    for curve, total in ((first.issues, 3), (first.codes, 5)):
        assert all(lo <= mean <= hi for lo, mean, hi in zip(curve.low, curve.mean, curve.high))
        assert curve.mean[-1] == curve.low[-1] == curve.high[-1] == total  # every order ends with everything
        assert curve.mean == sorted(curve.mean)
        assert 0.0 <= curve.random_share <= 1.0
    # Any first interview brings 1 or 2 issues, so the mean after one interview lies between.
    assert 1.0 < first.issues.mean[0] < 2.0
    with pytest.raises(ValueError):
        saturation(store, k=0)


def test_named_coder_and_empty_store(store):
    assert saturation(store).interviews == []
    load(store, {("Interview 1", "Ana"): ["QM-robustness"], ("Interview 1", "Ben"): ["Data-noisy-labels"]})
    assert saturation(store, copies=Copies("coder", "Ben"), orders=5).issues.ordered == [1]
    assert saturation(store, orders=5).issues.ordered == [2]  # the union of coders


def test_saturation_cli_writes_png_and_monotone_json(db_path, tmp_path):
    with open_store(db_path) as opened:
        load(opened, STUDY)
    png = tmp_path / "s.png"
    result = run_cli("saturation", "--db", str(db_path), "--plot", str(png), "--k", "2", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    height, width, _ = imread(png).shape
    assert width > 800 and height > 300
    rows = json.loads(result.stdout)
    assert list(rows[0]) == COLUMNS
    assert [r["issues"] for r in rows] == [2, 3, 3, 3, 3]
    assert "issues: saturated after 2 interviews in interview-number order (k=2)" in result.stderr
    assert "left out Interview 4: no coded copy" in result.stderr
    bad = run_cli("saturation", "--db", str(db_path), "--plot", str(tmp_path / "missing" / "s.png"))
    assert bad.returncode == 1 and "cannot write the plot" in bad.stderr


def test_fixture_curve_never_decreases(fixture_db, tmp_path):
    png = tmp_path / "s.png"
    result = run_cli("saturation", "--db", str(fixture_db), "--plot", str(png), "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [r["interview"] for r in rows] == ["Interview 12", "Interview 35"]
    for column in ("issues", "codes", "random_issues", "random_codes"):
        values = [r[column] for r in rows]
        assert values == sorted(values), column
    assert png.stat().st_size > 10_000
