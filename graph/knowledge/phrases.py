"""The small pattern language the vocabularies use to name things in speech.

A vocabulary entry (a mitigation, a project domain, a role) lists how people
say it. ``phrases`` are plain wordings ("data augmentation", "mobile net");
``patterns`` add three operators for the variation of live speech:

- ``a|b|c``  one word out of several ("remove|drop|discard"),
- ``[word]`` an optional word ("[the] client opinion"),
- ``...``    a gap of up to four arbitrary words ("remove ... record").

Words are normalised and stemmed exactly like transcript text (see
:mod:`graph.knowledge.textnorm`), so "augmentation" in a phrase also finds
"augmented", and a hyphenated word ("co-founded") stands for its parts.
A phrase or pattern compiles to one regular expression over the stemmed text.

The mitigation catalog compiles with ``normalise=lemmas`` instead
(:mod:`graph.knowledge.lemmas`): whole words in their dictionary form, so
that "container" never matches "contain" nor "regularization" "regular".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import resources

import yaml

from graph.knowledge.textnorm import stems

__all__ = [
    "GAP_WORDS",
    "PatternError",
    "Matcher",
    "Normaliser",
    "compile_pattern",
    "compile_phrase",
    "compile_all",
    "AnchorIndex",
    "anchor_index",
    "longest_matches",
    "package_vocabulary",
]

GAP_WORDS = 4
_GAP = "(?:\\S+ ){0,%d}" % GAP_WORDS


class PatternError(ValueError):
    """A phrase or pattern that cannot be compiled; the message says why."""


@dataclass(frozen=True)
class Matcher:
    """One compiled phrase or pattern, remembering how it was written."""

    source: str
    regex: re.Pattern[str]
    anchors: frozenset[str]  # stems one of which every match contains (a cheap pre-check)

    def spans(self, stemmed: str) -> list[tuple[int, int]]:
        """Character spans of every match in a :func:`~graph.knowledge.textnorm.stem_text` string."""
        return [m.span() for m in self.regex.finditer(stemmed)]


Normaliser = Callable[[str], list[str]]


def _words_regex(text: str, normalise: Normaliser = stems) -> str:
    tokens = normalise(text)
    return "".join(re.escape(t) + " " for t in tokens)


def _item_regex(item: str, source: str, normalise: Normaliser = stems) -> str:
    if item == "...":
        return _GAP
    optional = item.startswith("[") and item.endswith("]")
    body = item[1:-1] if optional else item
    alternatives = [_words_regex(a, normalise) for a in body.split("|")]
    if not all(alternatives):
        raise PatternError(f"pattern {source!r}: {item!r} has no word in it")
    regex = "(?:" + "|".join(alternatives) + ")"
    return regex + "?" if optional else regex


def compile_pattern(pattern: str, normalise: Normaliser = stems) -> Matcher:
    """Compile a pattern with ``|``, ``[...]`` and ``...`` operators."""
    items = pattern.split()
    if not items or all(i == "..." for i in items):
        raise PatternError(f"pattern {pattern!r}: needs at least one word")
    if items[0] == "..." or items[-1] == "...":
        raise PatternError(f"pattern {pattern!r}: a gap must sit between words")
    body = "".join(_item_regex(item, pattern, normalise) for item in items)
    required = next((i for i in items if i != "..." and not (i.startswith("[") and i.endswith("]"))), None)
    if required is None:
        raise PatternError(f"pattern {pattern!r}: needs a word that is not optional")
    anchors = frozenset(normalise(alternative)[0] for alternative in required.split("|"))
    return Matcher(pattern, re.compile("(?<= )" + body), anchors)


def compile_phrase(phrase: str, normalise: Normaliser = stems) -> Matcher:
    """Compile a plain wording: its words in order, nothing in between."""
    body = _words_regex(phrase, normalise)
    if not body:
        raise PatternError(f"phrase {phrase!r}: needs at least one word")
    return Matcher(phrase, re.compile("(?<= )" + body), frozenset(normalise(phrase)[:1]))


def compile_all(
    phrases: Iterable[str] = (), patterns: Iterable[str] = (), normalise: Normaliser = stems
) -> tuple[Matcher, ...]:
    return tuple([compile_phrase(p, normalise) for p in phrases] + [compile_pattern(p, normalise) for p in patterns])


AnchorIndex = dict[str, tuple[int, ...]]


def anchor_index(vocabulary: dict[str, tuple[Matcher, ...]]) -> tuple[list[tuple[str, Matcher]], AnchorIndex]:
    """The vocabulary's (entry, matcher) pairs in order, and per anchor stem the positions of those it anchors.

    With it a text is tried only against the matchers one of its words
    anchors, found by one lookup per word instead of a test per matcher.
    """
    pairs = [(key, matcher) for key, matchers in vocabulary.items() for matcher in matchers]
    index: dict[str, list[int]] = {}
    for position, (_, matcher) in enumerate(pairs):
        for anchor in matcher.anchors:
            index.setdefault(anchor, []).append(position)
    return pairs, {anchor: tuple(positions) for anchor, positions in index.items()}


def longest_matches(
    vocabulary: dict[str, tuple[Matcher, ...]],
    stemmed: str,
    index: tuple[list[tuple[str, Matcher]], AnchorIndex] | None = None,
) -> list[tuple[str, str]]:
    """Non-overlapping (entry, matched text) pairs, longer matches first.

    Used where entries nest: "image quality" must win over "image" so that a
    video-quality project is not also counted as computer vision. ``index``
    is :func:`anchor_index` of ``vocabulary``, for callers that match many texts.
    """
    pairs, by_anchor = index if index is not None else anchor_index(vocabulary)
    # Only matchers whose required word occurs can match: skips almost every regex. Tried in
    # the vocabulary's order, as the sort below keeps it among matches of one length and start.
    candidates: set[int] = set()
    for token in set(stemmed.split()):
        candidates.update(by_anchor.get(token, ()))
    found = [
        (start, end, pairs[position][0])
        for position in sorted(candidates)
        for start, end in pairs[position][1].spans(stemmed)
    ]
    taken: list[tuple[int, int]] = []
    chosen: list[tuple[int, str, str]] = []
    for start, end, key in sorted(found, key=lambda f: (f[0] - f[1], f[0])):
        if all(end <= s or start >= e for s, e in taken):
            taken.append((start, end))
            chosen.append((start, key, stemmed[start:end].strip()))
    return [(key, text) for _, key, text in sorted(chosen)]


def package_vocabulary(filename: str, section: str) -> dict[str, dict]:
    """A shipped vocabulary YAML's entries, each with its compiled ``matchers``."""
    data = yaml.safe_load(resources.files("graph.knowledge").joinpath(filename).read_text("utf-8"))
    return {
        key: {**entry, "matchers": compile_all(entry.get("phrases", []), entry.get("patterns", []))}
        for key, entry in data[section].items()
    }
