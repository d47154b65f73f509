"""Inter-coder agreement: can the codes be trusted?

For every interview with two or more coded copies (each coder's, and the
moderated consensus copy, which counts as one more coder), the copies are
compared paragraph by paragraph. All copies of an interview come from the
same transcript, so paragraph positions align; copies whose paragraph
counts differ cannot be aligned and the interview is skipped, with why.
Uncoded copies (a print without codes) say nothing about agreement: they
are excluded and named.

Each code is a yes/no decision per paragraph. Per code, and overall (every
paragraph-code decision pooled, codes being those any coder used):

- percent agreement: share of paragraphs on which the coders decided alike;
- Cohen's kappa, per pair of coders: agreement corrected for chance,
  ``(p_o - p_e) / (1 - p_e)`` with ``p_e = sum_c p_a(c) p_b(c)``;
- Krippendorff's alpha (nominal), across all coders:
  ``1 - D_o / D_e`` from the coincidence matrix of values within paragraphs.

Kappa and alpha are undefined (None) when chance agreement is total, e.g.
every coder left a code off every paragraph.

The same is computed at the level of normalised issues (``level="issue"``):
coders spell one issue differently (``Data-missing-value`` and
``Data-missing-values``), and two spellings of one issue on one paragraph
are agreement about the issue, which code-level figures count as a miss.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import PurePath

from graph import reads
from graph.store import Reader

__all__ = [
    "LEVELS",
    "OVERALL",
    "percent_agreement",
    "cohen_kappa",
    "krippendorff_alpha",
    "Copy",
    "InterviewCodings",
    "AgreementRow",
    "COLUMNS",
    "AgreementResult",
    "read_codings",
    "compare",
    "agreement",
]

LEVELS = ("code", "issue")
OVERALL = "(overall)"


def percent_agreement(units: Sequence[Sequence[Hashable]]) -> float:
    """Share of units on which every coder gave the same value."""
    return sum(len(set(values)) == 1 for values in units) / len(units)


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float | None:
    """Cohen's kappa of two coders' values on the same units (nominal)."""
    n = len(a)
    observed = sum(x == y for x, y in zip(a, b, strict=True))
    count_a, count_b = Counter(a), Counter(b)
    chance = sum(count_a[c] * count_b[c] for c in count_a)  # p_e times n squared, kept exact
    if chance == n * n:
        return None
    return (observed / n - chance / n**2) / (1 - chance / n**2)


def krippendorff_alpha(units: Sequence[Sequence[Hashable]]) -> float | None:
    """Krippendorff's alpha (nominal) of units, each a sequence of the coders' values.

    Coincidences: within a unit of ``m`` values, each ordered pair of values
    from different coders adds ``1 / (m - 1)``. Then ``D_o`` is the mass off
    the diagonal and ``D_e = sum_{c != k} n_c n_k / (n - 1)``.
    """
    coincidence: Counter[tuple[Hashable, Hashable]] = Counter()
    # Units repeat (two coders give four yes/no patterns): count each pattern once, times its frequency.
    for values, times in Counter(tuple(values) for values in units).items():
        m = len(values)
        if m < 2:
            continue  # a value nobody else rated cannot agree or disagree
        counts = Counter(values)
        for c, n_c in counts.items():
            for k, n_k in counts.items():
                coincidence[c, k] += times * n_c * (n_k - (c == k)) / (m - 1)
    totals: Counter[Hashable] = Counter()
    for (c, _), mass in coincidence.items():
        totals[c] += mass
    n = sum(totals.values())
    observed = sum(mass for (c, k), mass in coincidence.items() if c != k)
    expected = sum(totals[c] * totals[k] for c in totals for k in totals if c != k) / (n - 1) if n > 1 else 0.0
    if expected == 0:
        return None
    return 1 - observed / expected


@dataclass(frozen=True)
class Copy:
    transcript: str
    coder: str
    consensus: bool
    paragraphs: int

    @property
    def label(self) -> str:
        return f"{self.coder} (consensus)" if self.consensus else self.coder


@dataclass
class InterviewCodings:
    """The coded copies of one interview and what each put on each paragraph."""

    interview: str  # Interview name
    copies: list[Copy]
    excluded: list[str]  # uncoded copies, named
    values: dict[str, dict[str, dict[int, set[str]]]] = field(default_factory=dict)  # level -> transcript -> pos -> set


@dataclass(frozen=True)
class AgreementRow:
    interview: str
    level: str
    code: str  # a code, an issue id, or OVERALL
    scope: str  # "pair" (kappa) or "all" (alpha)
    coders: str
    units: int
    agreement: float
    kappa: float | None
    alpha: float | None
    excluded: str


COLUMNS = ["interview", "level", "code", "scope", "coders", "units", "agreement", "kappa", "alpha", "excluded"]


@dataclass
class AgreementResult:
    rows: list[AgreementRow]
    skipped: dict[str, str]  # interview -> why no agreement could be computed


def read_codings(source: Reader, interview: str | None = None) -> tuple[list[InterviewCodings], dict[str, str]]:
    """Copies and codings of every interview (or the one named), and interviews that cannot be compared."""
    rows = reads.interview_copy_details(source)
    wanted = (interview or "").strip().casefold()
    found: dict[str, InterviewCodings] = {}
    for iid, name, number, tid, coder, consensus, coded, paragraphs, path in rows:
        if wanted and wanted not in {iid.casefold(), (name or "").casefold(), str(number)}:
            continue
        entry = found.setdefault(iid, InterviewCodings(name or iid, [], []))
        label = f"{coder or 'raw'}{' (consensus)' if consensus else ''}"
        if coded:
            entry.copies.append(Copy(tid, coder or "raw", bool(consensus), paragraphs or 0))
        else:
            entry.excluded.append(f"{label}: uncoded print ({PurePath(path or tid).name})")
    skipped: dict[str, str] = {}
    comparable: list[InterviewCodings] = []
    for entry in found.values():
        entry.copies.sort(key=lambda c: (c.consensus, c.coder.casefold()))
        counts = {c.paragraphs for c in entry.copies}
        if len(entry.copies) < 2:
            skipped[entry.interview] = f"{len(entry.copies)} coded cop{'y' if len(entry.copies) == 1 else 'ies'}"
        elif len(counts) > 1:
            sizes = ", ".join(f"{c.label} {c.paragraphs}" for c in entry.copies)
            skipped[entry.interview] = f"copies do not align by position (paragraphs: {sizes})"
        else:
            comparable.append(entry)
    queries = {"code": reads.paragraph_code_rows, "issue": reads.paragraph_issue_rows}
    by_transcript = {c.transcript: entry for entry in comparable for c in entry.copies}
    for level, query in queries.items():
        for entry in comparable:
            entry.values[level] = {c.transcript: defaultdict(set) for c in entry.copies}
        # Filtered here: LadybugDB's ``t.id IN $ids`` grows with rows times copies.
        for tid, position, value in query(source):
            if tid in by_transcript:
                by_transcript[tid].values[level][tid][position].add(value)
    if wanted and not found:
        skipped[interview or ""] = "no such interview"
    return comparable, skipped


def compare(codings: InterviewCodings, level: str) -> list[AgreementRow]:
    """Agreement rows of one interview at one level: overall first, then per code."""
    copies = codings.copies
    n = copies[0].paragraphs
    values = codings.values[level]
    categories = sorted({v for copy in copies for per in values[copy.transcript].values() for v in per})
    # One yes/no vector per coder and category, over paragraph positions.
    decisions = {
        (copy.transcript, c): [c in values[copy.transcript].get(p, ()) for p in range(n)]
        for copy in copies
        for c in categories
    }
    excluded = "; ".join(codings.excluded)

    def rows_for(name: str, picked: list[str]) -> list[AgreementRow]:
        vectors = {copy.transcript: [d for c in picked for d in decisions[copy.transcript, c]] for copy in copies}
        rows = []
        for a, b in combinations(copies, 2):
            pair = list(zip(vectors[a.transcript], vectors[b.transcript]))
            rows.append(
                AgreementRow(codings.interview, level, name, "pair", f"{a.label}, {b.label}", len(pair),
                             percent_agreement(pair), cohen_kappa(vectors[a.transcript], vectors[b.transcript]), None,
                             excluded)
            )
        units = list(zip(*(vectors[copy.transcript] for copy in copies)))
        rows.append(
            AgreementRow(codings.interview, level, name, "all", ", ".join(c.label for c in copies), len(units),
                         percent_agreement(units), None, krippendorff_alpha(units), excluded)
        )
        return rows

    if not categories:
        return []
    rows = rows_for(OVERALL, categories)
    for category in categories:
        rows += rows_for(category, [category])
    return rows


def agreement(source: Reader, interview: str | None = None) -> AgreementResult:
    """Agreement of every comparable interview (or the one named), at code and issue level."""
    comparable, skipped = read_codings(source, interview)
    rows = [row for codings in comparable for level in LEVELS for row in compare(codings, level)]
    return AgreementResult(rows, skipped)
