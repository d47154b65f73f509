"""Which strategies address which issues, with the excerpts that say so.

Two kinds of evidence, named by ``provenance`` on every SUGGESTS and
ADDRESSES relationship:

- ``coded``: an interviewee's sentence in an excerpt that carries a fix code
  (``QM-robustness-fix``) states an action (:mod:`.actions`). When the
  action's clause names a strategy of the catalog, the strategy is the
  catalog's (its name and id); otherwise it is the interviewee's own phrase,
  grouped with the same action said in other interviews (:mod:`.grouping`).
  A fix-coded passage in which no sentence states an action gives no
  strategy: it stays visible as evidence on its issue
  (:func:`graph.knowledge.evidence.fix_passages_without_strategy`).
- ``inferred``: no fix code, but the interviewee names a catalog strategy
  right after an issue-coded excerpt (or in it), or in the answer to the
  interviewer asking how they dealt with a problem. Only for issues that
  copy of the interview (one coder's reading) has no fix-coded excerpt on:
  where the coder marked the fix, the marked passage is the evidence. And
  only for issues the strategy serves: the issue must be in one
  of its families and either be among the issues it usually serves
  (``issue_words``) or be named in the words around it.

Only the interviewee's words name strategies: an interviewer's "did you use
quantization?" is a question, not the interviewee's practice. A strategy in
a negated clause ("we did not use a pretrained model") is not named. An
excerpt coded as a fix for several issues gives each of its strategies to
the issues its words name (else to those the strategy serves, else to those
the excerpt is also coded as having), never to more than two it cannot tell
apart: one sentence copied onto four issues is a coding artefact.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

from graph.knowledge.actions import Action, read_actions
from graph.knowledge.catalog import Catalog, Strategy
from graph.knowledge.grouping import said_id
from graph.knowledge.lemmas import lemma_table, lemma_text, lemmas
from graph.knowledge.textnorm import clean, stem, stem_text
from graph.knowledge.transcript import INTERVIEWER, ExcerptView, IssueView, TranscriptView

__all__ = [
    "RANK",
    "CONFIDENCE",
    "ANSWER_AFTER_ISSUE",
    "ANSWER_AFTER_QUESTION",
    "QUOTE_CHARS",
    "MAX_UNTOLD_ISSUES",
    "NEGATION_WINDOW",
    "Suggestion",
    "Link",
    "is_how_question",
    "quote_of",
    "negated_mention",
    "named_strategies",
    "link",
    "aggregate",
]

CODED, INFERRED = "coded", "inferred"
RANK = {CODED: 2, INFERRED: 1}

# How sure one excerpt makes us of a link. Coders marked coded evidence as a
# fix; inferred evidence is our reading of the conversation.
CONFIDENCE = {
    "coded": 0.9,  # fix code and a catalog strategy that serves the issue's family
    "coded-off-family": 0.75,  # fix code, but the strategy usually serves other families
    "coded-said": 0.7,  # fix code and an action in the interviewee's words
    "inferred-serves": 0.6,  # strategy usually serves this issue
    "inferred-mentioned": 0.45,  # the issue is only named nearby
}
ANSWER_AFTER_ISSUE = 2  # interviewee excerpts read after an issue-coded excerpt
ANSWER_AFTER_QUESTION = 3  # interviewee excerpts read after a "how did you deal with it"
QUOTE_CHARS = 300
MAX_UNTOLD_ISSUES = 2  # an excerpt's strategy goes to at most this many fix issues its words do not tell apart
NEGATION_WINDOW = 4  # words before a catalog mention searched for "not", "without", "instead of"

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
_NEGATING = frozenset(lemmas("not never without no")) | {"instead", "rather"}
# Words of issue names that do not tell one issue from another.
_UNSPECIFIC = frozenset(lemmas(
    "issue issues problem problems of the and for to in with on a an data model quality value values low high lack "
    "poor bad ml system fix"
))


@dataclass(frozen=True)
class Suggestion:
    """One excerpt naming one strategy for one issue."""

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


def is_how_question(excerpt: ExcerptView) -> bool:
    text = excerpt.stemmed
    return any(f" {q} " in text for q in _HOW_QUESTION) and any(f" {a} " in text for a in _ACTIONS)


def quote_of(sentence: str) -> str:
    """The sentence as shown (and as read for actions): fillers and stutters out, at most QUOTE_CHARS."""
    return clean(sentence)[:QUOTE_CHARS]


def negated_mention(text: str, start: int) -> bool:
    """Whether a mention starting at ``start`` of a lemma text follows "not", "without", "instead of" closely."""
    before = text[:start].split()[-NEGATION_WINDOW:]
    return bool(_NEGATING.intersection(before))


def named_strategies(catalog: Catalog, text: str) -> list[Strategy]:
    """The catalog strategies a lemma text names outside a negation."""
    return [s for s, spans in catalog.mentions(text) if any(not negated_mention(text, a) for a, _ in spans)]


def _serves(strategy: Strategy, issue: IssueView) -> bool:
    return bool(strategy.issue_lemmas & _name_lemmas(issue))


def _name_lemmas(issue: IssueView) -> frozenset[str]:
    return frozenset(lemmas(issue.name))


def _in_family(strategy: Strategy, issue: IssueView) -> bool:
    return (issue.category or "other") in strategy.families


class _Linker:
    def __init__(self, catalog: Catalog, issues: dict[str, IssueView]) -> None:
        self.catalog = catalog
        self.issues = issues
        self._named: dict[str, list[tuple[Strategy, str]]] = {}
        self._cues = {i: frozenset(lemmas(v.name)) - _UNSPECIFIC for i, v in issues.items()}
        self._anchor_stems = _anchor_stems(catalog)

    def named(self, excerpt: ExcerptView) -> list[tuple[Strategy, str]]:
        """Catalog strategies the interviewee's excerpt names, each with the sentence that names it first."""
        if not excerpt.speaks_for_interviewee:
            return []
        # What an excerpt names depends on its words alone: the coders' copies of a paragraph are read once.
        if excerpt.text not in self._named:
            found: dict[str, tuple[Strategy, str]] = {}
            # With no word that can be a required word of the catalog, the lemma reading is skipped.
            if not self._anchor_stems.isdisjoint(excerpt.stemmed.split()):
                for sentence in excerpt.sentences:
                    for strategy in named_strategies(self.catalog, lemma_text(sentence)):
                        found.setdefault(strategy.id, (strategy, sentence))
            self._named[excerpt.text] = list(found.values())
        return self._named[excerpt.text]

    def coded(self, view: TranscriptView) -> list[Suggestion]:
        """Per sentence of the interviewee in a fix-coded excerpt: the catalog strategies its actions name, else its action."""
        found = []
        for excerpt in view.excerpts:
            fixes = excerpt.fixes & self.issues.keys()
            if not fixes or not excerpt.speaks_for_interviewee:
                continue
            excerpt_words = frozenset(lemmas(excerpt.text))
            for sentence in excerpt.sentences:
                quote = quote_of(sentence)
                actions = read_actions(quote)
                strategies = self._catalog_in(actions)
                if strategies:
                    for strategy in strategies:
                        for issue_id in self._issues_for(fixes, quote, excerpt_words, excerpt.issues, strategy):
                            issue = self.issues[issue_id]
                            fits = _in_family(strategy, issue) or _serves(strategy, issue)
                            found.append(Suggestion(
                                excerpt.id, excerpt.interview, excerpt.position, strategy.id, issue_id, CODED,
                                CONFIDENCE["coded" if fits else "coded-off-family"], quote,
                            ))
                    continue
                action = _best(actions)
                if action is None:
                    continue
                for issue_id in self._issues_for(fixes, quote, excerpt_words, excerpt.issues, None):
                    found.append(Suggestion(
                        excerpt.id, excerpt.interview, excerpt.position, said_id(action.key), issue_id, CODED,
                        CONFIDENCE["coded-said"], quote,
                    ))
        return found

    def _catalog_in(self, actions: list[Action]) -> list[Strategy]:
        """Catalog strategies named inside the sentence's action clauses, a negated clause by a negated wording only."""
        found: dict[str, Strategy] = {}
        for action in actions:
            if action.negated:
                # Only a wording that says the negation names a strategy ("not take ... gender").
                text = " not" + action.lemmas
                for strategy, spans in self.catalog.mentions(text):
                    if any(start == 1 for start, _ in spans):
                        found.setdefault(strategy.id, strategy)
                continue
            for strategy in named_strategies(self.catalog, action.lemmas):
                found.setdefault(strategy.id, strategy)
        return list(found.values())

    def _issues_for(self, fixes: set[str], quote: str, excerpt_words: frozenset[str], indicated: set[str],
                    strategy: Strategy | None) -> list[str]:
        """Which of an excerpt's fix issues a sentence's strategy goes to (see the module's docstring)."""
        ordered = sorted(fixes)
        if len(ordered) == 1:
            return ordered
        sentence_words = frozenset(lemmas(quote))
        for words in (sentence_words, excerpt_words):
            named = [i for i in ordered if self._cues[i] & words]
            if named:
                return named
        if strategy is not None:
            fit = [i for i in ordered if _serves(strategy, self.issues[i])] or [
                i for i in ordered if _in_family(strategy, self.issues[i])
            ]
            if fit and len(fit) < len(ordered):
                return fit
        coded_here = [i for i in ordered if i in indicated]
        if coded_here and len(coded_here) < len(ordered):
            ordered = coded_here
        return ordered if len(ordered) <= MAX_UNTOLD_ISSUES else []

    def inferred(self, view: TranscriptView, fixed: set[str]) -> list[Suggestion]:
        """Catalog strategies named near issue talk, for the issues the interview has no fix-coded passage on."""
        raised = (view.issues & self.issues.keys()) - fixed
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
            for strategy, sentence in self.named(excerpt):
                candidates = [self.issues[i] for i in sorted(at_hand)]
                candidates = [i for i in candidates if _in_family(strategy, i)]
                # An issue the strategy usually serves beats one merely named nearby.
                served = [i for i in candidates if _serves(strategy, i)]
                quote = quote_of(sentence)
                if served:
                    chosen = [(i, CONFIDENCE["inferred-serves"]) for i in served]
                else:
                    chosen = [(i, CONFIDENCE["inferred-mentioned"]) for i in candidates if i.mentioned_in(context)]
                found += [
                    Suggestion(excerpt.id, excerpt.interview, excerpt.position, strategy.id, i.id, INFERRED, c, quote)
                    for i, c in chosen
                ]
        return found


_NEGATED_FORMS = "didnt dont doesnt cant cannot wont isnt wasnt arent werent havent hasnt hadnt couldnt shouldnt wouldnt"


def _anchor_stems(catalog: Catalog) -> frozenset[str]:
    """Stems of every word whose lemma can be a required word of a catalog matcher.

    A cheap test on the stems every excerpt already has: an excerpt with none
    of them names no catalog strategy, whatever its lemmas. Every spelling the
    lemma table maps to an anchor is included, and the anchor itself (a word
    the table does not know is its own lemma), so the test never skips a match.
    """
    return _stems_of_spellings(
        frozenset(anchor for strategy in catalog.strategies.values() for m in strategy.matchers for anchor in m.anchors)
    )


@lru_cache(maxsize=8)  # one pass over the whole lemma table: once per catalog in a process, not per rebuild
def _stems_of_spellings(anchors: frozenset[str]) -> frozenset[str]:
    spellings = set(anchors) | {
        w for w, forms in lemma_table().items() if not anchors.isdisjoint(chain.from_iterable(forms.values()))
    }
    if "not" in anchors:
        spellings |= set(_NEGATED_FORMS.split())
    return frozenset(stem(w) for w in spellings)


def _best(actions: list[Action]) -> Action | None:
    """The action of a sentence that most surely states a practice, if one does."""
    candidates = [a for a in actions if a.is_strategy]
    return max(candidates, key=lambda a: (a.score, len(a.content), -a.start), default=None)


def _answer(excerpts: list[ExcerptView], index: int, limit: int) -> list[ExcerptView]:
    """The interviewee's excerpts right after ``index``, up to the interviewer's next turn."""
    answer = []
    for excerpt in excerpts[index + 1 : index + 1 + limit]:
        if excerpt.role == INTERVIEWER:
            break
        answer.append(excerpt)
    return answer


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
        # Each coder's copy is one reading of the interview: where it marks no
        # fix for an issue, its own words may still name one (inferred).
        fixed = set().union(*(e.fixes for e in view.excerpts))
        for suggestion in linker.coded(view) + linker.inferred(view, fixed):
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
