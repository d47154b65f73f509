"""Code suggestions learned from the study's own coding: a second coder to review, never counted as one.

For each code that the coded copies in the store applied often enough, a
logistic regression learns from the study's own coded paragraphs whether a
paragraph carries that code. Features are TF-IDF word unigrams and bigrams
of the paragraph, plus those of the paragraph before it at half weight
(coders often code an answer for the question that prompted it). Nothing is
downloaded: the model is the study's coding and nothing else.

Rules that make the suggestions honest:

- **It never learns from the interview it suggests for.** Every copy of the
  target interview (each coder's, the consensus) is left out of training, so
  a coded interview can be scored against its coders
  (:func:`evaluate`, leave-one-interview-out).
- **Only codes with enough examples are suggested**: at least
  :data:`MIN_EXAMPLES` training paragraphs in at least
  :data:`MIN_INTERVIEWS` interviews. A code seen on three paragraphs of one
  interview is one coder's habit in one conversation, not a pattern.
- **A suggestion is a call, not a ranking**: classes are weighted by their
  frequency (a code on 10 of 1,300 paragraphs weighs as much as its
  absence), and a code is suggested where its score reaches
  :data:`THRESHOLD`, where presence and absence are equally likely under
  that weighting. (Thresholds tuned per code on held-out training
  interviews were tried: with a few examples per code the held-out models
  are too weak, and the tuned thresholds fell so low that nearly every
  paragraph got every code.)
- **A reason per suggestion**: the training paragraph, coded with that code,
  whose words are nearest (cosine of TF-IDF) to the one suggested for:
  ``coded Data-drift in Interview 12 by PO: "..."``.
- **Stored apart, counted nowhere.** :func:`write_suggestions` stores
  suggestions as ``SUGGESTED_AS`` relationships (provenance
  ``suggested``, the coder :data:`SUGGESTED_CODER`), never as ``CODED_AS``.
  Every count, measure and knowledge link reads ``CODED_AS`` only, and the
  whole-graph projection, which walks every relationship type, leaves the
  suggestions out (:data:`graph.schema.NOT_EVIDENCE`), so nothing changes
  after ``findings suggest --write``; a user opts in by
  querying ``SUGGESTED_AS`` (``findings query "MATCH (e:Excerpt)-[r:SUGGESTED_AS]->(c:Code) ..."``),
  on the explorer's Interviews page, or by reviewing them in a QDA tool
  (the REFI-QDA export gives them a user of their own).

Which coded copies teach the model is the copies rule of the analyses
(:mod:`graph.analytics.selection`, default: the consensus copy, else the
union of coders): one training example per interview paragraph, its codes
those the selected copies put on it.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from graph import reads
from graph.analytics.agreement import OVERALL, Copy, InterviewCodings, compare, read_codings
from graph.analytics.selection import CONSENSUS, Copies, select
from graph.schema import delete_relationships_below_statement
from graph.store import GraphStore, Reader

__all__ = [
    "MIN_EXAMPLES",
    "MIN_INTERVIEWS",
    "PROVENANCE",
    "SUGGESTED_CODER",
    "CONTEXT_WEIGHT",
    "THRESHOLD",
    "REASON_CHARS",
    "COLUMNS",
    "EVALUATION_COLUMNS",
    "TrainingParagraph",
    "Target",
    "Suggestion",
    "Model",
    "read_training",
    "train",
    "suggest_for",
    "targets",
    "code_names",
    "SuggestResult",
    "suggest",
    "write_suggestions",
    "stored_transcripts",
    "stored_suggestions",
    "f1_of_pairs",
    "EvaluationRow",
    "Evaluation",
    "evaluate",
]

MIN_EXAMPLES = 5  # training paragraphs carrying the code
MIN_INTERVIEWS = 2  # distinct training interviews they come from
PROVENANCE = "suggested"
SUGGESTED_CODER = "findings suggest"  # the coder name suggestions carry, in rows, the store and exports
CONTEXT_WEIGHT = 0.5  # weight of the previous paragraph's words
THRESHOLD = 0.5
REASON_CHARS = 160

COLUMNS = ["interview", "coder", "transcript", "position", "code", "score", "quote", "reason"]
EVALUATION_COLUMNS = [
    "interview", "level", "compared", "pairs_a", "pairs_b", "f1", "kappa", "human_f1", "human_kappa", "reaches",
    "why",
]


@dataclass(frozen=True)
class TrainingParagraph:
    """One paragraph of an interview as the selected copies coded it."""

    interview: str  # Interview id
    interview_name: str
    position: int
    text: str
    previous: str  # the text of the paragraph before it ("" for the first)
    codes: frozenset[str]  # code ids
    coders: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)  # code id -> coder labels


@dataclass(frozen=True)
class Target:
    """A transcript copy to suggest codes for."""

    interview: str  # Interview id
    interview_name: str
    transcript: str
    coder: str
    positions: tuple[int, ...]
    texts: tuple[str, ...]


@dataclass(frozen=True)
class Suggestion:
    interview: str  # Interview name
    coder: str  # the coder of the copy suggested for (with the transcript, it locates the Excerpt)
    transcript: str
    position: int
    code: str
    score: float
    quote: str
    reason: str

    def row(self) -> list[Any]:
        return [self.interview, self.coder, self.transcript, self.position, self.code, round(self.score, 3),
                self.quote, self.reason]


@dataclass
class Model:
    """Per-code classifiers trained on some interviews, and what it needs to explain a suggestion."""

    trained_on: tuple[str, ...]  # interview ids
    codes: list[str]  # suggestable code ids
    too_rare: dict[str, int]  # code id -> training paragraphs, for codes left out
    vectorizer: Any = None
    classifiers: dict[str, Any] = field(default_factory=dict)
    paragraph_vectors: Any = None  # TF-IDF of the training paragraphs (rows L2-normalised)
    paragraphs: list[TrainingParagraph] = field(default_factory=list)

    def features(self, texts: list[str], previous: list[str]) -> Any:
        own = self.vectorizer.transform(texts)
        before = self.vectorizer.transform(previous)
        from scipy.sparse import hstack

        return hstack([own, before * CONTEXT_WEIGHT]).tocsr()


def _words(speaker: str | None, text: str | None) -> str:
    # Only the words: a speaker label would teach "the interviewer's turns carry Q-codes", not the content.
    return (text or "").strip()


def read_training(source: Reader, copies: Copies = CONSENSUS) -> list[TrainingParagraph]:
    """Every paragraph of every interview with a selected coded copy, with the codes those copies gave it."""
    selection = select(source, copies)
    interview_of = selection.interview_of
    names = reads.interview_names(source)
    coder_of = {
        tid: f"{coder or 'raw'}{' (consensus)' if consensus else ''}"
        for tid, coder, consensus in reads.copy_coders(source)
    }
    texts: dict[str, dict[int, str]] = defaultdict(dict)
    first_copy = {interview: ids[0] for interview, ids in selection.transcripts.items()}
    wanted = set(first_copy.values())
    for tid, position, speaker, text in reads.all_excerpts(source):
        if tid in wanted:
            texts[interview_of[tid]][position] = _words(speaker, text)
    codes: dict[tuple[str, int], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for tid, position, code in reads.paragraph_code_rows(source):
        if tid in interview_of:
            codes[interview_of[tid], position][code].append(coder_of.get(tid, tid))
    paragraphs = []
    for interview, by_position in sorted(texts.items()):
        previous = ""
        for position in sorted(by_position):
            text = by_position[position]
            found = codes.get((interview, position), {})
            paragraphs.append(TrainingParagraph(
                interview, names.get(interview) or interview, position, text, previous, frozenset(found),
                {code: tuple(sorted(set(who))) for code, who in found.items()},
            ))
            previous = text
    return paragraphs


def _examples(paragraphs: Iterable[TrainingParagraph]) -> dict[str, tuple[int, set[str]]]:
    counted: dict[str, list[Any]] = defaultdict(lambda: [0, set()])
    for paragraph in paragraphs:
        for code in paragraph.codes:
            counted[code][0] += 1
            counted[code][1].add(paragraph.interview)
    return {code: (n, interviews) for code, (n, interviews) in counted.items()}


def _classifier() -> Any:
    from sklearn.linear_model import LogisticRegression

    # The dual problem: far fewer paragraphs than words, so it solves some 30 times faster than the primal.
    return LogisticRegression(C=4.0, class_weight="balanced", solver="liblinear", dual=True, max_iter=500)


def train(paragraphs: list[TrainingParagraph], exclude: str | None = None) -> Model:
    """Classifiers for every code with enough examples, learned without interview ``exclude``."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    kept = [p for p in paragraphs if p.interview != exclude]
    examples = _examples(kept)
    codes = sorted(c for c, (n, interviews) in examples.items() if n >= MIN_EXAMPLES and len(interviews) >= MIN_INTERVIEWS)
    model = Model(tuple(sorted({p.interview for p in kept})), codes,
                  {c: n for c, (n, _) in sorted(examples.items()) if c not in codes}, paragraphs=kept)
    if not codes:
        return model
    model.vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, lowercase=True)
    model.vectorizer.fit([p.text for p in kept])
    features = model.features([p.text for p in kept], [p.previous for p in kept])
    model.paragraph_vectors = model.vectorizer.transform([p.text for p in kept])
    for code in codes:
        labels = np.array([code in p.codes for p in kept], dtype=int)
        model.classifiers[code] = _classifier().fit(features, labels)
    return model


def _quote(text: str, limit: int = REASON_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def suggest_for(model: Model, target: Target, code_names: dict[str, str] | None = None) -> list[Suggestion]:
    """The codes the model calls on each paragraph of ``target``, best first per paragraph, each with its reason."""
    if target.interview in model.trained_on:
        raise ValueError(f"the model learned from {target.interview_name}; it cannot suggest codes for it")
    if not model.codes or not target.texts:
        return []
    names = code_names or {}
    texts = list(target.texts)
    previous = ["", *texts[:-1]]
    features = model.features(texts, previous)
    own = model.vectorizer.transform(texts)
    similarity = (own @ model.paragraph_vectors.T).toarray()  # cosine: TF-IDF rows are unit length
    found: list[Suggestion] = []
    for code in model.codes:
        scores = model.classifiers[code].predict_proba(features)[:, 1]
        positives = np.array([code in p.codes for p in model.paragraphs])
        for row in np.nonzero(scores >= THRESHOLD)[0]:
            nearest = int(np.argmax(np.where(positives, similarity[row], -1.0)))
            example = model.paragraphs[nearest]
            coders = ", ".join(example.coders.get(code, ())) or "?"
            reason = (f"coded {names.get(code, code)} in {example.interview_name} by {coders} "
                      f"(paragraph {example.position}, similarity {similarity[row, nearest]:.2f}): "
                      f"\"{_quote(example.text)}\"")
            found.append(Suggestion(target.interview_name, target.coder, target.transcript, target.positions[row],
                                    names.get(code, code), float(scores[row]), _quote(texts[row]), reason))
    found.sort(key=lambda s: (s.position, -s.score, s.code))
    return found


# --- choosing what to suggest for -------------------------------------------------------------------


def _copies_of(source: Reader) -> list[tuple[str, str, int | None, str, str | None, bool, bool]]:
    return reads.copies_with_interviews(source)


def _matches(wanted: str, iid: str, name: str | None, number: int | None) -> bool:
    key = wanted.strip().casefold()
    return key in {iid.casefold(), (name or "").casefold(), str(number)}


def targets(
    source: Reader, *, interview: str | None = None, transcript: str | None = None, uncoded: bool = False
) -> list[Target]:
    """The copies to suggest for: one transcript, one copy of an interview, or every uncoded print.

    For an interview, the copy waiting for codes is chosen: an uncoded print
    when there is one, else the consensus copy, else the first coder's (all
    copies share the transcript's paragraphs).
    """
    chosen: list[tuple[str, str, str, str | None, bool]] = []
    by_interview: dict[str, list[tuple[str, str, str, str | None, bool, bool]]] = defaultdict(list)
    for iid, name, number, tid, coder, consensus, coded in _copies_of(source):
        label = f"{coder or 'raw'}{' (consensus)' if consensus else ''}"
        if transcript is not None and tid == transcript:
            chosen.append((iid, name or iid, tid, label, bool(coded)))
        if uncoded and not coded:
            chosen.append((iid, name or iid, tid, label, False))
        if interview is not None and _matches(interview, iid, name, number):
            by_interview[iid].append((iid, name or iid, tid, label, bool(consensus), bool(coded)))
    for copies in by_interview.values():
        copies.sort(key=lambda c: (c[5], not c[4], c[2]))  # uncoded first, then consensus, then by id
        iid, name, tid, label, _, coded = copies[0]
        chosen.append((iid, name, tid, label, coded))
    seen: set[str] = set()
    found = []
    for iid, name, tid, label, _ in chosen:
        if tid in seen:
            continue
        seen.add(tid)
        rows = reads.excerpts_of_transcript(source, tid).rows
        found.append(Target(iid, name, tid, label, tuple(r[0] for r in rows),
                            tuple(_words(r[1], r[2]) for r in rows)))
    return found


def code_names(source: Reader) -> dict[str, str]:
    return reads.code_names(source)


@dataclass
class SuggestResult:
    suggestions: list[Suggestion]
    targets: list[Target]
    models: dict[str, Model]  # target interview id -> the model used
    seconds: dict[str, float]  # transcript id -> training and suggesting time


def suggest(source: Reader, chosen: list[Target], copies: Copies = CONSENSUS) -> SuggestResult:
    """Suggestions for each target, from a model that never saw the target's interview."""
    paragraphs = read_training(source, copies)
    names = code_names(source)
    trained_interviews = {p.interview for p in paragraphs}
    models: dict[str | None, Model] = {}
    result = SuggestResult([], chosen, {}, {})
    for target in chosen:
        started = time.perf_counter()
        # Interviews without a selected coded copy teach nothing: one model, trained on all, serves them all.
        key = target.interview if target.interview in trained_interviews else None
        if key not in models:
            models[key] = train(paragraphs, exclude=key)
        result.models[target.interview] = models[key]
        result.suggestions += suggest_for(models[key], target, names)
        result.seconds[target.transcript] = time.perf_counter() - started
    return result


# --- storing -------------------------------------------------------------------------------------


def write_suggestions(store: GraphStore, suggestions: list[Suggestion]) -> int:
    """Store suggestions as ``SUGGESTED_AS`` (provenance ``suggested``), replacing earlier ones of those transcripts.

    Codes are matched by name (suggestions only name codes the store has).
    """
    transcripts = sorted({s.transcript for s in suggestions})
    by_name = {name: cid for cid, name in code_names(store).items()}
    with store.transaction() as tx:
        tx.run(delete_relationships_below_statement(["HAS_EXCERPT"], "SUGGESTED_AS"), {"ids": transcripts})
        wanted = set(transcripts)
        excerpts = {(tid, position): eid for tid, position, eid in reads.excerpt_keys(tx) if tid in wanted}
        rows = [
            {"source": excerpts[s.transcript, s.position], "target": by_name[s.code], "provenance": PROVENANCE,
             "coder": SUGGESTED_CODER, "score": s.score, "reason": s.reason}
            for s in suggestions
            if (s.transcript, s.position) in excerpts and s.code in by_name
        ]
        if rows:
            tx.insert_relationships("SUGGESTED_AS", rows)
    return len(rows)


def stored_transcripts(source: Reader, interview: str) -> list[str]:
    """The copies of an interview (id, name or number) that carry stored suggestions."""
    return [
        tid for iid, name, number, tid in reads.copies_with_suggestions(source)
        if _matches(interview, iid, name, number)
    ]


def stored_suggestions(source: Reader, transcript: str | None = None) -> list[Suggestion]:
    """Suggestions stored by ``findings suggest --write`` (of one transcript, or all)."""
    rows = reads.stored_suggestions(source)
    return [
        Suggestion(name, f"{coder or 'raw'}{' (consensus)' if consensus else ''}", tid, position, code, score or 0.0,
                   _quote(text or ""), reason or "")
        for name, coder, consensus, tid, position, code, score, text, reason in rows
        if transcript is None or tid == transcript
    ]


# --- agreement with the coders, leave one interview out -------------------------------------------


def f1_of_pairs(a: set[tuple[int, str]], b: set[tuple[int, str]]) -> float | None:
    """F1 of two coders' (paragraph, code) pairs: symmetric, 2|A and B| / (|A| + |B|); None when both are empty."""
    if not a and not b:
        return None
    return 2 * len(a & b) / (len(a) + len(b))


def _pairs(values: dict[int, set[str]]) -> set[tuple[int, str]]:
    return {(position, code) for position, codes in values.items() for code in codes}


def _overall_kappa(codings: InterviewCodings, level: str) -> dict[str, float | None]:
    """Pooled Cohen's kappa per pair of copies, as ``findings agreement`` computes it (its overall rows)."""
    return {row.coders: row.kappa for row in compare(codings, level) if row.code == OVERALL and row.scope == "pair"}


@dataclass(frozen=True)
class EvaluationRow:
    interview: str
    level: str
    compared: str  # "A, B"
    pairs_a: int
    pairs_b: int
    f1: float | None
    kappa: float | None
    human_f1: float | None  # the coders' agreement with each other on this interview (mean over pairs)
    human_kappa: float | None
    reaches: str  # "yes", "no" or "" (for rows between humans)
    why: str

    def row(self) -> list[Any]:
        return [getattr(self, c) if not isinstance(getattr(self, c), float) else round(getattr(self, c), 3)
                for c in EVALUATION_COLUMNS]


@dataclass
class Evaluation:
    rows: list[EvaluationRow]
    skipped: dict[str, str]
    seconds: dict[str, float]  # interview name -> training and suggesting time
    min_examples: int = MIN_EXAMPLES
    min_interviews: int = MIN_INTERVIEWS


def _issue_of(source: Reader) -> dict[str, set[str]]:
    issues: dict[str, set[str]] = defaultdict(set)
    for code, issue in source.run("MATCH (c:Code)-[:INDICATES]->(i:Issue) RETURN c.id, i.id", None).rows:
        issues[code].add(issue)
    return issues


def _mean(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def _why(human: dict[int, set[str]], suggested: dict[int, set[str]], model: Model, level: str,
         issue_of: dict[str, set[str]]) -> str:
    """Where the coder's pairs that the suggestions missed come from: codes too rare to learn, or learned and missed."""
    pairs = _pairs(human)
    if not pairs:
        return "the coder applied nothing"
    missed = pairs - _pairs(suggested)
    if level == "code":
        rare = {(p, c) for p, c in missed if c not in model.codes}
    else:
        learnable = {issue for code in model.codes for issue in issue_of.get(code, ())}
        rare = {(p, c) for p, c in missed if c not in learnable}
    extra = len(_pairs(suggested) - pairs)
    runs = _long_runs(human)
    # Suggesting every pair of a learned code and nothing else would reach at most this F1.
    reachable = len(pairs) - len({(p, c) for p, c in pairs if (p, c) in rare})
    ceiling = 2 * reachable / (len(pairs) + reachable)
    return (f"{len(missed)} of {len(pairs)} pairs missed: {len(rare)} on codes too rare to learn "
            f"(< {MIN_EXAMPLES} paragraphs in {MIN_INTERVIEWS}+ other interviews), {len(missed) - len(rare)} on learned "
            f"codes; {extra} suggested pairs the coder did not apply; F1 at most {ceiling:.2f} with the codes learnable"
            + (f"; long codes (runs of 4+ paragraphs): {runs}" if runs else ""))


def _long_runs(values: dict[int, set[str]]) -> str:
    by_code: dict[str, list[int]] = defaultdict(list)
    for position, codes in values.items():
        for code in codes:
            by_code[code].append(position)
    long = []
    for code, positions in sorted(by_code.items()):
        positions.sort()
        run = best = 1
        for a, b in zip(positions, positions[1:]):
            run = run + 1 if b == a + 1 else 1
            best = max(best, run)
        if best >= 4:
            long.append(f"{code} ({best})")
    return ", ".join(long)


def evaluate(source: Reader, copies: Copies = CONSENSUS, interview: str | None = None) -> Evaluation:
    """Leave one interview out: for each interview with two or more coded copies, suggestions from the others.

    Rows compare the suggestions with each human copy (F1 over (paragraph,
    code) pairs and pooled Cohen's kappa, at code and issue level) beside
    the human copies' agreement with each other, and an ``(overall)`` row
    per level: the mean over interviews and copies.
    """
    comparable, skipped = read_codings(source, interview)
    paragraphs = read_training(source, copies)
    names = code_names(source)
    issue_of = _issue_of(source)
    interview_ids = {tid: iid for iid, _, _, tid, *_ in _copies_of(source)}
    rows: list[EvaluationRow] = []
    seconds: dict[str, float] = {}
    for codings in comparable:
        first = codings.copies[0]
        iid = interview_ids[first.transcript]
        started = time.perf_counter()
        model = train(paragraphs, exclude=iid)
        target = targets(source, transcript=first.transcript)[0]
        suggested = suggest_for(model, target, names)
        seconds[codings.interview] = time.perf_counter() - started
        by_name = {name: cid for cid, name in names.items()}
        code_values: dict[int, set[str]] = defaultdict(set)
        for s in suggested:
            code_values[s.position].add(by_name[s.code])
        issue_values = {p: {i for c in codes for i in issue_of.get(c, ())} for p, codes in code_values.items()}
        machine = Copy("(suggestions)", SUGGESTED_CODER, False, first.paragraphs)
        for level, values in (("code", code_values), ("issue", issue_values)):
            human_kappa = _overall_kappa(codings, level)
            human_f1 = {
                f"{a.label}, {b.label}": f1_of_pairs(_pairs(codings.values[level][a.transcript]),
                                                     _pairs(codings.values[level][b.transcript]))
                for i, a in enumerate(codings.copies) for b in codings.copies[i + 1:]
            }
            mean_f1, mean_kappa = _mean(list(human_f1.values())), _mean(list(human_kappa.values()))
            for pair, f1 in human_f1.items():
                a, b = pair.split(", ", 1)
                rows.append(EvaluationRow(codings.interview, level, pair,
                                          len(_pairs(codings.values[level][_transcript(codings, a)])),
                                          len(_pairs(codings.values[level][_transcript(codings, b)])),
                                          f1, human_kappa.get(pair), None, None, "", "coders with each other"))
            for human in codings.copies:
                pair_codings = InterviewCodings(codings.interview, [human, machine], [], {
                    level: {human.transcript: codings.values[level][human.transcript], machine.transcript: values}
                })
                kappa = _overall_kappa(pair_codings, level).get(f"{human.label}, {machine.label}")
                human_values = codings.values[level][human.transcript]
                f1 = f1_of_pairs(_pairs(human_values), _pairs(values))
                reaches = "yes" if _at_least(f1, mean_f1) and _at_least(kappa, mean_kappa) else "no"
                rows.append(EvaluationRow(
                    codings.interview, level, f"{machine.label}, {human.label}", len(_pairs(values)),
                    len(_pairs(human_values)), f1, kappa, mean_f1, mean_kappa, reaches,
                    "" if reaches == "yes" else _why(human_values, values, model, level, issue_of),
                ))
    for level in ("code", "issue"):
        machine_rows = [r for r in rows if r.level == level and r.reaches]
        human_rows = [r for r in rows if r.level == level and not r.reaches]
        if machine_rows:
            f1, kappa = _mean([r.f1 for r in machine_rows]), _mean([r.kappa for r in machine_rows])
            human_f1, human_kappa = _mean([r.f1 for r in human_rows]), _mean([r.kappa for r in human_rows])
            reaches = "yes" if _at_least(f1, human_f1) and _at_least(kappa, human_kappa) else "no"
            rows.append(EvaluationRow(OVERALL, level, f"{SUGGESTED_CODER} vs each coder (mean)",
                                      sum(r.pairs_a for r in machine_rows), sum(r.pairs_b for r in machine_rows),
                                      f1, kappa, human_f1, human_kappa, reaches,
                                      f"mean over {len(machine_rows)} comparisons in {len(comparable)} interviews"))
    return Evaluation(rows, skipped, seconds)


def _at_least(value: float | None, reference: float | None) -> bool:
    return reference is None or (value is not None and value >= reference)


def _transcript(codings: InterviewCodings, label: str) -> str:
    return next(c.transcript for c in codings.copies if c.label == label)
