"""Saturation: would more interviews still bring up new issues?

Interviews are added one at a time and the number of distinct issues (and
of distinct codes) seen so far is counted. In interview-number order this
is the curve of the study as it was run; averaged over seeded random orders,
with a band holding the middle ``band`` share of them, it shows what does
not depend on which interviews happened to come first. The saturation point
is the number of interviews after which ``k`` consecutive interviews added
nothing new (None when the study never reached it).

Issues are those the selected copies' codes indicate (:mod:`.selection`);
codes are counted as the coders spelled them, leaving out interview-guide
questions, meta codes and family names, which are structure, not findings.
Interviews without a coded copy are left out (and named): counting them would
show "nothing new" where nobody looked.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from graph import reads
from graph.analytics.selection import CONSENSUS, Copies, paragraph_codes, paragraph_issues, select
from graph.store import Reader

__all__ = [
    "FINDING_KINDS",
    "COLUMNS",
    "cumulative",
    "saturation_point",
    "Curve",
    "Saturation",
    "saturation",
    "plot_saturation",
]

FINDING_KINDS = ["issue", "fix", "mitigation", "context", "other"]
COLUMNS = [
    "interviews", "interview", "new_issues", "issues", "new_codes", "codes",
    "random_issues", "random_issues_low", "random_issues_high",
    "random_codes", "random_codes_low", "random_codes_high",
    "issues_saturated", "codes_saturated",
]


def cumulative(sets: list[set[str]]) -> list[int]:
    """Distinct items seen after each of ``sets`` in turn (never decreases)."""
    seen: set[str] = set()
    counts = []
    for items in sets:
        seen |= items
        counts.append(len(seen))
    return counts


def saturation_point(curve: list[int], k: int) -> int | None:
    """Smallest ``n`` such that interviews ``n+1 .. n+k`` add nothing; None if there is none."""
    for n in range(1, len(curve) - k + 1):
        if curve[n + k - 1] == curve[n - 1]:
            return n
    return None


@dataclass(frozen=True)
class Curve:
    """One measure's saturation: in number order, and over random orders."""

    ordered: list[int]
    mean: list[float]
    low: list[float]
    high: list[float]
    point: int | None  # in number order
    random_share: float  # share of random orders that saturate
    random_median: float | None  # median point among those


@dataclass(frozen=True)
class Saturation:
    interviews: list[str]  # names, in number order
    issues: Curve
    codes: Curve
    new_issues: list[int]
    new_codes: list[int]
    k: int
    orders: int
    seed: int
    band: float
    selection: str
    left_out: dict[str, str]

    def rows(self) -> list[list[object]]:
        rows = []
        for i, name in enumerate(self.interviews):
            rows.append([
                i + 1, name, self.new_issues[i], self.issues.ordered[i], self.new_codes[i], self.codes.ordered[i],
                round(self.issues.mean[i], 3), self.issues.low[i], self.issues.high[i],
                round(self.codes.mean[i], 3), self.codes.low[i], self.codes.high[i],
                self.issues.point == i + 1, self.codes.point == i + 1,
            ])
        return rows


def _curve(sets: list[set[str]], k: int, orders: int, rng: random.Random, band: float) -> Curve:
    ordered = cumulative(sets)
    runs = []
    points = []
    for _ in range(orders):
        shuffled = rng.sample(sets, len(sets))
        run = cumulative(shuffled)
        runs.append(run)
        points.append(saturation_point(run, k))
    matrix = np.array(runs, dtype=float).reshape(orders, len(sets))
    tail = (1 - band) / 2
    reached = [p for p in points if p is not None]
    return Curve(
        ordered,
        matrix.mean(axis=0).tolist() if orders else [float(v) for v in ordered],
        np.quantile(matrix, tail, axis=0).tolist() if orders else [float(v) for v in ordered],
        np.quantile(matrix, 1 - tail, axis=0).tolist() if orders else [float(v) for v in ordered],
        saturation_point(ordered, k),
        len(reached) / orders if orders else 0.0,
        float(np.median(reached)) if reached else None,
    )


def saturation(
    source: Reader, *, copies: Copies = CONSENSUS, k: int = 3, orders: int = 200, seed: int = 0, band: float = 0.9
) -> Saturation:
    """Cumulative distinct issues and codes as interviews are added."""
    if k < 1 or orders < 0 or not 0 < band <= 1:
        raise ValueError("k must be at least 1, orders at least 0 and band in (0, 1]")
    selection = select(source, copies)
    info = {
        row[0]: (row[1] or row[0], row[2])
        for row in reads.interview_numbers(source)
    }
    # Interview number first; interviews without a number after, by name.
    order = sorted(selection.transcripts, key=lambda i: (info[i][1] is None, info[i][1] or 0, info[i][0]))
    per_interview: dict[str, dict[str, set[str]]] = {"issues": defaultdict(set), "codes": defaultdict(set)}
    for name, paragraphs in (
        ("issues", paragraph_issues(source, selection)),
        ("codes", paragraph_codes(source, selection, FINDING_KINDS)),
    ):
        for (interview, _), values in paragraphs.items():
            per_interview[name][interview] |= values
    issue_sets = [per_interview["issues"][i] for i in order]
    code_sets = [per_interview["codes"][i] for i in order]
    rng = random.Random(seed)
    issues = _curve(issue_sets, k, orders, rng, band)
    codes = _curve(code_sets, k, orders, rng, band)
    return Saturation(
        [info[i][0] for i in order], issues, codes,
        _increments(issues.ordered), _increments(codes.ordered),
        k, orders, seed, band, selection.rule,
        {info.get(i, (i,))[0]: why for i, why in selection.left_out.items()},
    )


def _increments(curve: list[int]) -> list[int]:
    return [b - a for a, b in zip([0, *curve], curve)]


def plot_saturation(result: Saturation, path: Path) -> None:
    """Write the two curves (issues, codes) with their random-order band as a PNG."""
    # The object-oriented API renders with Agg and never touches a display or pyplot's global state.
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(10, 4.2), layout="constrained")
    axes = figure.subplots(1, 2, sharex=True)
    x = np.arange(1, len(result.interviews) + 1)
    for ax, (title, curve) in zip(axes, (("Distinct issues", result.issues), ("Distinct codes", result.codes))):
        if result.orders:
            ax.fill_between(x, curve.low, curve.high, alpha=0.25, color="tab:blue",
                            label=f"random orders, middle {result.band:.0%}")
            ax.plot(x, curve.mean, color="tab:blue", label=f"mean of {result.orders} random orders")
        ax.plot(x, curve.ordered, color="black", marker="o", markersize=3, label="interview-number order")
        if curve.point is not None:
            ax.axvline(curve.point, color="tab:red", linestyle="--",
                       label=f"saturation after {curve.point} (k={result.k})")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_title(title)
        ax.set_xlabel("interviews added")
        ax.set_ylabel("cumulative distinct")
        ax.legend(loc="lower right", fontsize="small")
    figure.savefig(path, format="png", dpi=120)
