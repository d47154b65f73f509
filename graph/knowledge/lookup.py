"""Answer "which fixes address this issue?" and the reverse, from the graph.

The CLI (``findings fixes``, ``findings issues``) and the explorer share
these functions. People type an issue the way they think of it: a code as
spelled by a coder (``Data-missing-value``), the readable name ("missing
values"), a word of the study's paper or of everyday speech ("concept
drift", "latency": the synonyms the codebook gives each Issue) or a
fragment ("missing"); a strategy by its name, a fragment, or even the words
an interviewee used ("data mutation"). Exact matches win over fragments; a
fragment may match several issues, and then all are shown. When nothing
matches, the message offers the closest names ("did you mean"), so a typo
or a near miss costs one more try, not a search through the codebook.

Each link comes with the passages it rests on (:func:`quotes_for`): the
interview, the coder, the paragraph's position and the paragraph exactly as
transcribed. The knowledge layer matches on normalised speech (fillers and
stutters dropped), but what a researcher quotes is what was said, so the
shown quote is the excerpt's own text, never the normalised one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from graph import reads
from graph.errors import FindingsError
from graph.knowledge.catalog import load_catalog
from graph.knowledge.evidence import fix_passages_without_strategy
from graph.knowledge.lemmas import lemma_text
from graph.knowledge.textnorm import stems
from graph.store import GraphStore

__all__ = [
    "QUOTE_COLUMNS",
    "FIXES_COLUMNS",
    "ISSUES_COLUMNS",
    "NotFound",
    "did_you_mean",
    "resolve_issues",
    "resolve_mitigations",
    "Quote",
    "quotes_for",
    "NO_STRATEGY",
    "fixes_for",
    "issues_for",
]

# Where a quote comes from, and the quote: the columns every link row ends with.
QUOTE_COLUMNS = ["interview", "coder", "position", "quote"]
FIXES_COLUMNS = ["issue", "mitigation", "provenance", "interviews", "excerpts", "confidence", *QUOTE_COLUMNS]
ISSUES_COLUMNS = ["mitigation", "issue", "category", "provenance", "interviews", "excerpts", "confidence", *QUOTE_COLUMNS]

# Words that join the words that matter: "quality of the data" asks for what "data quality" names.
_FUNCTION_WORDS = frozenset(stems("a an the of for from in on at with to is are and or by"))
# How alike two spellings must be for "did you mean" to offer one (difflib's own default).
_SPELLING_CUTOFF = 0.6
_SUGGESTIONS = 3
_NEARLY = 0.15


class NotFound(FindingsError):
    """Nothing in the graph matches what the user typed; the message says what is close or what exists."""


def _content(text: str) -> set[str]:
    return set(stems(text)) - _FUNCTION_WORDS


def _pick(candidates: dict[str, set[str]], text: str) -> list[str]:
    """Ids whose names match ``text``: exactly, else as a fragment, else by its stemmed content words."""
    wanted = text.strip().casefold()
    exact = [key for key, names in candidates.items() if wanted in names]
    if exact:
        return sorted(exact)
    fragment = [key for key, names in candidates.items() if any(wanted in n for n in names)]
    if fragment:
        return sorted(fragment)
    words = _content(text)
    return sorted(key for key, names in candidates.items() if words and any(words <= _content(n) for n in names))


def _likeness(text: str, name: str) -> float:
    """How close ``name`` is to ``text``: shared content words, or failing those, spelling."""
    words, others = _content(text), _content(name)
    shared = len(words & others) / len(words | others) if words & others else 0.0
    return max(shared, SequenceMatcher(None, text.casefold(), name).ratio())


def did_you_mean(candidates: dict[str, set[str]], shown: dict[str, str], text: str) -> list[str]:
    """The display names (``shown``) of the candidates closest to ``text``, closest first; none when none is close.

    A candidate is close when one of its names shares a content word with
    ``text`` or is spelled much like it; of those, only the ones nearly as
    close as the best are offered, so a typo gets its word, not a list.
    """
    words = _content(text)
    scored = []
    for key, names in candidates.items():
        score = max(_likeness(text, n) for n in names)
        if score >= _SPELLING_CUTOFF or any(words & _content(n) for n in names):
            scored.append((score, shown[key]))
    scored.sort(key=lambda item: (-item[0], item[1]))
    best = scored[0][0] if scored else 0.0
    return list(dict.fromkeys(name for score, name in scored if score >= best - _NEARLY))[:_SUGGESTIONS]


def _not_found(kind: str, text: str, candidates: dict[str, set[str]], shown: dict[str, str], empty: str) -> NotFound:
    close = did_you_mean(candidates, shown, text)
    if close:
        return NotFound(f"no {kind} matches {text!r}; did you mean {', '.join(repr(n) for n in close)}?")
    known = ", ".join(sorted(shown.values())[:20])
    return NotFound(f"no {kind} matches {text!r} ({kind}s include: {known or empty})")


def resolve_issues(store: GraphStore, text: str) -> list[str]:
    """Issue ids ``text`` names: by id, readable name, synonym or any code spelling that indicates or fixes it."""
    names: dict[str, set[str]] = {}
    shown: dict[str, str] = {}
    for issue, name, code, synonyms in reads.issue_names_and_synonyms(store):
        names[issue] = {v.casefold() for v in (issue, name, code, *(synonyms or [])) if v}
        shown[issue] = name or issue
    for rel in ("INDICATES", "FIX_FOR"):
        for spelling, issue in reads.code_issue_links(store, rel):
            names[issue].add(spelling.casefold())
    found = _pick(names, text)
    if not found:
        raise _not_found("issue", text, names, shown, "none, ingest transcripts first")
    return found


def resolve_mitigations(store: GraphStore, text: str) -> list[str]:
    shown = {m: name or m for m, name in reads.mitigation_names(store).items()}
    names = {m: {m.casefold(), name.casefold()} for m, name in shown.items()}
    found = _pick(names, text)
    if not found:
        # The words an interviewee would use: "data mutation" finds augmentation.
        found = sorted(s.id for s in load_catalog().named_in(lemma_text(text)) if s.id in names)
    if not found:
        raise _not_found("mitigation", text, names, shown, "none yet")
    return found


@dataclass(frozen=True)
class Quote:
    """One passage a link rests on, as transcribed, and where it is."""

    interview: str  # the interview's name
    coders: tuple[str, ...]  # the coders whose copies hold this paragraph with this text
    position: int  # the paragraph's index in the transcript, from 0
    text: str  # the excerpt's text, verbatim
    confidence: float

    @property
    def coder(self) -> str:
        return ", ".join(self.coders)


def quotes_for(store: GraphStore, links: list[tuple[str, str, str]]) -> dict[tuple[str, str], list[Quote]]:
    """The passages behind each ``(mitigation id, issue id, link quote)``, keyed by the pair; the best first.

    A passage is an excerpt that suggests the strategy for the issue. The
    link's own quote (the knowledge layer's choice) marks the best one; then
    higher confidence, then interview and paragraph order. The same
    paragraph in two coders' copies is one passage naming both coders.
    """
    wanted = {(m, i): quote for m, i, quote in links}
    found: dict[tuple[str, str], dict[tuple, list]] = defaultdict(dict)
    rows = reads.suggestions_of_mitigations(store, sorted({m for m, _, _ in links}))
    for mitigation, issue, interview, number, coder, position, text, quote, confidence in rows:
        if (mitigation, issue) not in wanted:
            continue
        key = (interview, position, text)
        best = quote == wanted[mitigation, issue]
        entry = found[mitigation, issue].setdefault(key, [set(), confidence or 0.0, best, number])
        entry[0].add(coder or "")
        entry[1] = max(entry[1], confidence or 0.0)
        entry[2] = entry[2] or best
    quotes = {}
    for pair, passages in found.items():
        ranked = sorted(passages.items(), key=lambda kv: (not kv[1][2], -kv[1][1], kv[1][3] is None, kv[1][3] or 0,
                                                            kv[0][0], kv[0][1]))
        quotes[pair] = [Quote(interview, tuple(sorted(coders)), position, text or "", confidence)
                        for (interview, position, text), (coders, confidence, _, _) in ranked]
    return quotes


def _with_quotes(store: GraphStore, records: list[dict[str, Any]], columns: list[str], every: bool) -> list[list[Any]]:
    """One row per link with its best quote, or with ``every`` one row per quote; the link's columns repeated."""
    quotes = quotes_for(store, [(r["mitigation_id"], r["issue_id"], r["quote"]) for r in records])
    link_columns = [c for c in columns if c not in QUOTE_COLUMNS]
    rows = []
    for record in records:
        link = [record[c] for c in link_columns]
        passages = quotes.get((record["mitigation_id"], record["issue_id"]))
        if not passages:  # a link stored without its suggestions: only its own quote is known
            rows.append([*link, None, None, None, record["quote"]])
            continue
        for quote in passages if every else passages[:1]:
            rows.append([*link, quote.interview, quote.coder, quote.position, quote.text])
    return rows


# What a fix-coded passage that names no strategy shows in place of a strategy's name and provenance.
NO_STRATEGY = "fix passage without a named strategy"


def fixes_for(store: GraphStore, text: str, *, every_quote: bool = False) -> list[list[Any]]:
    """Strategies addressing the issue(s) ``text`` names, most interviews first, each with its best quote (or every one);
    then the issue's fix-coded passages that name no strategy, which are evidence on it all the same
    (``mitigation`` empty, ``provenance`` :data:`NO_STRATEGY`)."""
    issues = resolve_issues(store, text)
    result = reads.strategy_links_of_issues(store, issues)
    rows = _with_quotes(store, result.records(), FIXES_COLUMNS, every_quote)
    names = dict(reads.issue_names(store))
    interviews = reads.interview_names(store)
    for issue in issues:
        for passage in fix_passages_without_strategy(store, issue):
            rows.append([names.get(issue) or issue, None, NO_STRATEGY, 1, len(passage.positions), None,
                         interviews.get(passage.interview, passage.interview), passage.coder or "",
                         passage.positions[0], passage.quote])
    return rows


def issues_for(store: GraphStore, text: str, *, every_quote: bool = False) -> list[list[Any]]:
    """Issues the strategy (or strategies) ``text`` names address, most interviews first, each with its best quote."""
    result = reads.strategy_links_of_mitigations(store, resolve_mitigations(store, text))
    return _with_quotes(store, result.records(), ISSUES_COLUMNS, every_quote)
