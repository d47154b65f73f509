"""Which strategies address which issues, with the excerpts that say so.

Three kinds of evidence, named by ``provenance`` on every SUGGESTS and
ADDRESSES relationship:

- ``coded``: an interviewee excerpt carries a fix code (``QM-robustness-fix``)
  and names a catalog strategy; the strategy addresses the fix code's issue.
- ``catalog``: a passage of excerpts carries a fix code but names no strategy
  the catalog knows. The link is kept, to an *unnamed* strategy of that
  issue, so that nothing the coders marked is lost.
- ``inferred``: no fix code, but the interviewee names a strategy right after
  an issue-coded excerpt (or in it), or in the answer to the interviewer
  asking how they dealt with a problem. The strategy is linked to the
  issues at hand that it serves: the issue must be in one of its families
  and either be among the issues it usually serves (``issue_words``) or be
  named in the words around it.

Only the interviewee's words name strategies: an interviewer's "did you use
quantization?" is a question, not the interviewee's practice.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from graph.knowledge.catalog import Catalog, Strategy
from graph.knowledge.textnorm import clean, stem_text
from graph.knowledge.transcript import INTERVIEWER, ExcerptView, IssueView, TranscriptView

CODED, CATALOG, INFERRED = "coded", "catalog", "inferred"
RANK = {CODED: 3, CATALOG: 2, INFERRED: 1}

# How sure one excerpt makes us of a link. Coders marked coded and catalog
# evidence as a fix; inferred evidence is our reading of the conversation.
CONFIDENCE = {
    "coded": 0.9,  # fix code and a named strategy that serves the issue's family
    "coded-off-family": 0.75,  # fix code, but the strategy usually serves other families
    "catalog": 0.6,  # fix code, strategy not named
    "inferred-serves": 0.6,  # strategy usually serves this issue
    "inferred-mentioned": 0.45,  # the issue is only named nearby
}
ANSWER_AFTER_ISSUE = 2  # interviewee excerpts read after an issue-coded excerpt
ANSWER_AFTER_QUESTION = 3  # interviewee excerpts read after a "how did you deal with it"
QUOTE_CHARS = 300

# The interviewer asking how a problem was handled.
_HOW_QUESTION = [
    stem_text(p).strip()
    for p in (
        "how do you", "how did you", "how would you", "how can you", "how have you", "how to",
        "what did you do", "what do you do", "what have you done", "tried to", "try to",
    )
]
_ACTIONS = frozenset(
    stem_text(w).strip()
    for w in (
        "address deal handle cope solve fix mitigate tackle overcome manage improve prevent ensure avoid correct resolve"
    ).split()
)


@dataclass(frozen=True)
class Suggestion:
    """One excerpt naming one strategy (or an unnamed fix) for one issue."""

    excerpt: str
    interview: str
    position: int
    mitigation: str
    issue: str
    provenance: str
    confidence: float
    quote: str


@dataclass(frozen=True)
class Link:
    """One ADDRESSES relationship: everything the suggestions say about a pair."""

    mitigation: str
    issue: str
    excerpts: int
    interviews: int
    provenance: str
    confidence: float
    quote: str


def unnamed_id(issue: str) -> str:
    return f"unnamed-fix-{issue}"


def is_how_question(excerpt: ExcerptView) -> bool:
    text = excerpt.stemmed
    return any(f" {q} " in text for q in _HOW_QUESTION) and any(f" {a} " in text for a in _ACTIONS)


def _quote(excerpt: ExcerptView, strategy: Strategy | None) -> str:
    if strategy is not None:
        for sentence in excerpt.sentences:
            if strategy.named_in(sentence.stemmed):
                return clean(sentence.text)[:QUOTE_CHARS]
    return clean(excerpt.text)[:QUOTE_CHARS]


def _suggest(excerpt: ExcerptView, strategy: Strategy, issue: str, provenance: str, confidence: float) -> Suggestion:
    return Suggestion(
        excerpt.id, excerpt.interview, excerpt.position, strategy.id, issue, provenance, confidence,
        _quote(excerpt, strategy),
    )


def _serves(strategy: Strategy, issue: IssueView) -> bool:
    return bool(strategy.issue_stems & issue.name_stems)


def _in_family(strategy: Strategy, issue: IssueView) -> bool:
    return (issue.category or "other") in strategy.families


class _Linker:
    def __init__(self, catalog: Catalog, issues: dict[str, IssueView]) -> None:
        self.catalog = catalog
        self.issues = issues
        self._named: dict[str, list[Strategy]] = {}

    def named(self, excerpt: ExcerptView) -> list[Strategy]:
        if not excerpt.speaks_for_interviewee:
            return []
        if excerpt.id not in self._named:
            self._named[excerpt.id] = self.catalog.named_in(excerpt.stemmed)
        return self._named[excerpt.id]

    def coded(self, view: TranscriptView) -> list[Suggestion]:
        found = []
        for excerpt in view.excerpts:
            for strategy in self.named(excerpt):
                for issue_id in sorted(excerpt.fixes & self.issues.keys()):
                    issue = self.issues[issue_id]
                    fits = _in_family(strategy, issue) or _serves(strategy, issue)
                    found.append(
                        _suggest(excerpt, strategy, issue_id, CODED, CONFIDENCE["coded" if fits else "coded-off-family"])
                    )
        return found

    def unnamed(self, view: TranscriptView, coded: list[Suggestion]) -> list[Suggestion]:
        """Fix-coded passages that name no strategy keep an unnamed one."""
        named_for = {(s.excerpt, s.issue) for s in coded}
        passages = _fix_passages(view.excerpts)
        found = []
        for issue_id in sorted(passages.keys() & self.issues.keys()):
            for passage in passages[issue_id]:
                if any((e.id, issue_id) in named_for for e in passage):
                    continue
                speaking = [e for e in passage if e.speaks_for_interviewee] or passage
                found += [
                    Suggestion(e.id, e.interview, e.position, unnamed_id(issue_id), issue_id, CATALOG,
                               CONFIDENCE["catalog"], _quote(e, None))
                    for e in speaking
                ]
        return found

    def inferred(self, view: TranscriptView) -> list[Suggestion]:
        raised = view.issues & self.issues.keys()
        cues = _cue_index(self.issues[i] for i in raised)
        found = []
        for index, excerpt in enumerate(view.excerpts):
            windows = []
            if excerpt.issues:
                answer = [excerpt] + _answer(view.excerpts, index, ANSWER_AFTER_ISSUE)
                windows.append((excerpt, answer, excerpt.issues & raised))
            if excerpt.role == INTERVIEWER and is_how_question(excerpt):
                answer = _answer(view.excerpts, index, ANSWER_AFTER_QUESTION)
                context = " ".join(e.stemmed for e in [excerpt, *answer])
                at_hand = _mentioned(cues, context) | (excerpt.issues & raised)
                windows.append((excerpt, answer, at_hand))
            for trigger, answer, at_hand in windows:
                found += self._infer(trigger, answer, at_hand)
        return found

    def _infer(self, trigger: ExcerptView, answer: list[ExcerptView], at_hand: set[str]) -> list[Suggestion]:
        found = []
        for excerpt in answer:
            # An issue only named nearby counts when named by the trigger or
            # by the very excerpt that names the strategy, not further off.
            context = trigger.stemmed + excerpt.stemmed
            for strategy in self.named(excerpt):
                candidates = [self.issues[i] for i in sorted(at_hand - excerpt.fixes)]
                candidates = [i for i in candidates if _in_family(strategy, i)]
                # An issue the strategy usually serves beats one merely named nearby.
                served = [i for i in candidates if _serves(strategy, i)]
                if served:
                    found += [_suggest(excerpt, strategy, i.id, INFERRED, CONFIDENCE["inferred-serves"]) for i in served]
                else:
                    found += [
                        _suggest(excerpt, strategy, i.id, INFERRED, CONFIDENCE["inferred-mentioned"])
                        for i in candidates
                        if i.mentioned_in(context)
                    ]
        return found


def _answer(excerpts: list[ExcerptView], index: int, limit: int) -> list[ExcerptView]:
    """The interviewee's excerpts right after ``index``, up to the interviewer's next turn."""
    answer = []
    for excerpt in excerpts[index + 1 : index + 1 + limit]:
        if excerpt.role == INTERVIEWER:
            break
        answer.append(excerpt)
    return answer


def _fix_passages(excerpts: list[ExcerptView]) -> dict[str, list[list[ExcerptView]]]:
    """Per issue, the runs of consecutive excerpts that carry a fix code for it.

    One pass over the excerpts for all issues: a pass per issue would grow
    with excerpts times issues, which a transcript with thousands of issue
    codes makes quadratic.
    """
    passages: dict[str, list[list[ExcerptView]]] = defaultdict(list)
    last: dict[str, int] = {}  # issue -> index of the last excerpt fixing it
    for index, excerpt in enumerate(excerpts):
        for issue in excerpt.fixes:
            if last.get(issue) == index - 1:
                passages[issue][-1].append(excerpt)
            else:
                passages[issue].append([excerpt])
            last[issue] = index
    return passages


def _cue_index(issues: Iterable[IssueView]) -> dict[str, set[str]]:
    """Issue ids by each of their cue words, for :func:`_mentioned`."""
    index: dict[str, set[str]] = defaultdict(set)
    for issue in issues:
        for cue in issue.cue_stems:
            index[cue].add(issue.id)
    return index


def _mentioned(cues: dict[str, set[str]], stemmed: str) -> set[str]:
    """The indexed issues that a stemmed text mentions: those :meth:`IssueView.mentioned_in` accepts.

    Looked up by the text's words rather than by asking every issue of the
    transcript, which would grow with questions times issues.
    """
    return set().union(*(cues.get(word, ()) for word in set(stemmed.split())))


def link(views: list[TranscriptView], catalog: Catalog, issues: dict[str, IssueView]) -> list[Suggestion]:
    """Every suggestion in the selected transcripts, one per excerpt, strategy and issue.

    When one excerpt supports a pair in several ways, the strongest
    provenance (then confidence) is kept.
    """
    linker = _Linker(catalog, issues)
    best: dict[tuple[str, str, str], Suggestion] = {}
    for view in views:
        coded = linker.coded(view)
        for suggestion in coded + linker.unnamed(view, coded) + linker.inferred(view):
            key = (suggestion.excerpt, suggestion.mitigation, suggestion.issue)
            if key not in best or _strength(suggestion) > _strength(best[key]):
                best[key] = suggestion
    return sorted(best.values(), key=lambda s: (s.issue, s.mitigation, s.excerpt))


def _strength(s: Suggestion) -> tuple[int, float]:
    return RANK[s.provenance], s.confidence


def aggregate(suggestions: list[Suggestion]) -> list[Link]:
    """ADDRESSES rows: counts, strongest provenance, combined confidence, best quote.

    Two coders' copies of one interview repeat the same paragraph, so
    excerpts are counted as distinct (interview, position) pairs. Confidence
    combines independent excerpts as a noisy-or: each further excerpt that
    names the strategy for the issue makes the link more certain.
    """
    groups: dict[tuple[str, str], list[Suggestion]] = defaultdict(list)
    for suggestion in suggestions:
        groups[(suggestion.mitigation, suggestion.issue)].append(suggestion)
    links = []
    for (mitigation, issue), group in sorted(groups.items()):
        per_paragraph: dict[tuple[str, int], Suggestion] = {}
        for s in group:
            key = (s.interview, s.position)
            if key not in per_paragraph or _strength(s) > _strength(per_paragraph[key]):
                per_paragraph[key] = s
        doubt = math.prod(1 - s.confidence for s in per_paragraph.values())
        top = max(per_paragraph.values(), key=lambda s: (_strength(s), -s.position))
        links.append(
            Link(
                mitigation, issue, len(per_paragraph), len({s.interview for s in group}), top.provenance,
                round(1 - doubt, 3), top.quote,
            )
        )
    return links
