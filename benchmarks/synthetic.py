"""Synthetic coded studies of any size, shaped like the reference study, for benchmarks.

:func:`generate_study` makes ``n_interviews`` interviews of about 150
paragraphs each (interviewer and interviewee taking turns), coded with 15 to
30 paragraph-code pairs from a codebook of 60 issue codes in the study's
families (Data-, QM-, ME-, MLP-, MD-, MT-), their ``-fix`` codes, context and
interview-guide question codes. What makes it realistic enough to measure
analytics on:

- issues are not equally common: popularity falls off as 1/rank, and each
  interviewee leans towards one or two families (their project's domain),
  so co-occurrence has communities and a long tail;
- some paragraphs carry two or three issues, so issues co-occur on excerpts;
- a fix code follows some issue mentions, in a paragraph naming a strategy
  of the shipped mitigation catalog, so the knowledge layer finds
  mitigations;
- a few spelling variants (``Data-missing-value`` / ``-values``) that the
  codebook folds into one issue.

With ``coders`` > 1 every interview gets further copies by other coders,
who miss, add and shift some codes, as two real coders do (for agreement).
Paragraph text is one short sentence: the benchmarks measure analytics and
loading, not text size. Deterministic for a given ``seed``.

    python -m benchmarks.synthetic N [--seed S] [--coders C]   # prints counts
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
from collections import Counter, defaultdict

from graph.codebook import load_codebook
from ingest.naming import slug
from ingest.records import Coding, Paragraph, TranscriptRecord

FAMILIES = {
    "Data": ["missing-values", "noisy-labels", "noisy-features", "duplicates", "imbalance", "low-quantity",
             "drift", "inconsistent-formats", "outliers", "bias"],
    "QM": ["robustness", "reproducibility", "efficiency", "explainability", "fairness", "data-privacy",
           "scalability", "stability", "latency", "calibration"],
    "ME": ["metrics-mismatch", "test-set-leakage", "small-test-set", "offline-online-gap", "no-ground-truth",
           "unstable-metrics", "slice-blindness", "benchmark-overfitting", "costly-evaluation", "human-evaluation"],
    "MLP": ["artefact-management", "costly-platforms", "unstable-external-dependency", "pipeline-debt",
            "environment-mismatch", "versioning", "monitoring-gaps", "orchestration", "tooling-lock-in", "storage"],
    "MD": ["configuration-issue", "model-serving", "rollback", "hardware-constraints", "integration",
           "model-staleness", "feedback-loops", "edge-deployment", "ab-testing", "compliance"],
    "MT": ["overfitting", "underfitting", "hyperparameter-tuning", "long-training", "non-convergence",
           "transfer-learning", "catastrophic-forgetting", "label-scarcity", "class-confusion", "training-cost"],
}
ISSUE_CODES = [f"{family}-{name}" for family, names in FAMILIES.items() for name in names]
# Spellings a second hand writes for the same issue; the codebook folds them.
VARIANTS = {"Data-missing-values": "Data-missing-value", "Data-noisy-labels": "Data-noisy-label",
            "MLP-costly-platforms": "MLP-costly-platform"}
CONTEXT_CODES = ["Data-collection-external", "Data-collection-manual", "Data-collection-public-datasets"]
QUESTION_CODES = ["Q1", "Q2.1", "Q2.2", "Q3", "Q4.1", "Q4.3", "Q5"]
# Names of strategies in graph/knowledge/mitigations.yaml, as an interviewee would say them.
STRATEGIES = ["data augmentation", "collect more data", "robustness testing", "quantization", "cross validation",
              "version control", "experiment tracking", "fix the seed", "docker", "imputation", "relabeling",
              "data cleaning", "remove duplicates", "outlier detection", "data validation", "oversampling",
              "early stopping", "hyperparameter tuning", "domain experts", "feature selection"]
PARAGRAPHS = 150
_WORDS = ("we the model data team pipeline project customer results accuracy training production users "
          "dataset features labels system quality time process metrics version").split()


def _popularity() -> list[float]:
    # 1/rank over a fixed shuffle, so every family has common and rare issues.
    order = random.Random(0).sample(range(len(ISSUE_CODES)), len(ISSUE_CODES))
    return [1.0 / (order[i] + 1) for i in range(len(ISSUE_CODES))]


_POPULARITY = _popularity()


def _sentence(rng: random.Random, extra: str = "") -> str:
    words = rng.choices(_WORDS, k=rng.randint(8, 14))
    return (" ".join(words).capitalize() + (f", and we used {extra}" if extra else "") + ".")


def _interview_codes(rng: random.Random) -> dict[int, list[str]]:
    """Codes per paragraph position for one interview (the reference coding)."""
    focus = set(rng.sample(list(FAMILIES), rng.randint(1, 2)))
    weights = [p * (4.0 if code.split("-")[0] in focus else 1.0) for code, p in zip(ISSUE_CODES, _POPULARITY)]
    target = rng.randint(15, 30)
    codes: dict[int, list[str]] = {}
    interviewee = list(range(1, PARAGRAPHS, 2))
    interviewer = list(range(0, PARAGRAPHS, 2))
    pairs = 0
    for position in rng.sample(interviewer, rng.randint(3, 6)):
        codes[position] = [rng.choice(QUESTION_CODES)]
        pairs += 1
    if rng.random() < 0.5:
        codes.setdefault(rng.choice(interviewee), []).append(rng.choice(CONTEXT_CODES))
        pairs += 1
    free = [p for p in interviewee if p not in codes]
    rng.shuffle(free)
    while pairs < target and len(free) > 2:
        position = free.pop()
        # One issue mostly, sometimes two or three discussed together.
        chosen = {rng.choices(ISSUE_CODES, weights)[0] for _ in range(rng.choices([1, 2, 3], [0.6, 0.3, 0.1])[0])}
        codes[position] = sorted(chosen)
        pairs += len(chosen)
        if pairs < target and rng.random() < 0.3:
            fixed = rng.choice(sorted(chosen))
            after = position + 2 if position + 2 < PARAGRAPHS else position
            if after in free:
                free.remove(after)
            codes.setdefault(after, []).append(f"{fixed}-fix")
            pairs += 1
    return codes


def _other_coder(rng: random.Random, codes: dict[int, list[str]]) -> dict[int, list[str]]:
    """A second coder's view: misses some codes, shifts a few, spells some differently, adds one or two."""
    mine: dict[int, list[str]] = {}
    for position, names in codes.items():
        for name in names:
            roll = rng.random()
            if roll < 0.2:
                continue
            if roll < 0.3:
                position = min(position + 2, PARAGRAPHS - 1)
            mine.setdefault(position, []).append(VARIANTS.get(name, name) if rng.random() < 0.5 else name)
    for _ in range(rng.randint(0, 2)):
        mine.setdefault(rng.randrange(1, PARAGRAPHS, 2), []).append(rng.choice(ISSUE_CODES))
    return {p: sorted(set(n)) for p, n in mine.items()}


def _record(interview: str, coder: str, codes: dict[int, list[str]], texts: list[str]) -> TranscriptRecord:
    paragraphs = tuple(
        Paragraph(
            position,
            "Interviewer 1" if position % 2 == 0 else "Interviewee",
            texts[position],
            tuple(Coding(code) for code in codes.get(position, ())),
        )
        for position in range(PARAGRAPHS)
    )
    digest = hashlib.sha256(repr((interview, coder, sorted(codes.items()))).encode()).hexdigest()
    return TranscriptRecord(interview, coder, False, f"synthetic/{interview} - {coder}", digest, "synthetic", paragraphs)


def generate_study(n_interviews: int, seed: int, *, coders: int = 1) -> list[TranscriptRecord]:
    """``n_interviews`` interviews ("Interview 1" ...), each coded by ``coders`` coders ("C1", "C2", ...)."""
    rng = random.Random(seed)
    records = []
    for number in range(1, n_interviews + 1):
        interview = f"Interview {number}"
        codes = _interview_codes(rng)
        texts = [
            _sentence(rng, rng.choice(STRATEGIES) if any(c.endswith("-fix") for c in codes.get(p, ())) else "")
            for p in range(PARAGRAPHS)
        ]
        records.append(_record(interview, "C1", codes, texts))
        for other in range(2, coders + 1):
            records.append(_record(interview, f"C{other}", _other_coder(rng, codes), texts))
    return records


_STRATEGY_SAID = re.compile(r", and we used (.+)\.$")


def strategy_links(records: list[TranscriptRecord]) -> tuple[list[dict], list[dict]]:
    """Mitigation and ADDRESSES rows for the strategies named next to fix codes (first coder's copies).

    What the knowledge layer would find in these texts, without its text
    analysis, for benchmarks that need the mitigation view at sizes where
    rebuilding the knowledge layer would dominate the run.
    """
    book = load_codebook()
    evidence: dict[tuple[str, str], set[tuple[str, int]]] = defaultdict(set)
    for record in records:
        if record.coder != "C1":
            continue
        for paragraph in record.paragraphs:
            said = _STRATEGY_SAID.search(paragraph.text)
            for code in paragraph.codes:
                if said and code.endswith("-fix"):
                    evidence[(slug(said.group(1)), book.classify(code).issue_key)].add(
                        (record.interview, paragraph.position)
                    )
    used = {strategy for strategy, _ in evidence}
    names = {slug(name): name for name in STRATEGIES}
    mitigations = [
        {"id": strategy, "name": names[strategy], "description": "synthetic", "kind": "catalog", "families": []}
        for strategy in sorted(used)
    ]
    addresses = [
        {"source": strategy, "target": issue, "excerpts": len(found), "interviews": len({i for i, _ in found}),
         "provenance": "catalog", "confidence": 0.9, "quote": names[strategy]}
        for (strategy, issue), found in sorted(evidence.items())
    ]
    return mitigations, addresses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("interviews", type=int)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--coders", type=int, default=1)
    args = parser.parse_args()
    records = generate_study(args.interviews, args.seed, coders=args.coders)
    pairs = Counter(len(p.codings) for r in records for p in r.paragraphs)
    print(f"{len(records)} transcripts, {sum(len(r.paragraphs) for r in records)} paragraphs, "
          f"{sum(k * v for k, v in pairs.items())} paragraph-code pairs")


if __name__ == "__main__":
    main()
