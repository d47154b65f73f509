"""Whole words and their dictionary forms (lemmas), for matching without stem prefixes.

Snowball stems join word forms by cutting suffixes, and so join words that
only share a prefix: "contain" and "containers", "regular" and
"regularization". A lemma is a dictionary form: "dropped" is "drop",
"clusters" is "cluster", "containers" is "container" and "regularization"
stays itself. Lemmas come from ``lemminflect``, whose English dictionary ships
inside the package (nothing is downloaded at run time); the table is read
here directly and only when first needed, so that loading the knowledge
layer does not import numpy and the statistical models lemminflect also
carries (this module only looks words up, it never guesses). The same lookup
tells which parts of speech a word can take, which the action-clause reader
(:mod:`graph.knowledge.actions`) uses instead of a statistical parser.

Speech is normalised first as :mod:`graph.knowledge.textnorm` does (lower
case, fillers and stutters dropped); contractions are expanded ("we've" ->
"we have", "didn't" -> "did not") so that a negation or an auxiliary is a
word of its own, and a possessive "'s" is dropped ("client's" -> "client").
"""

from __future__ import annotations

import gzip
import importlib.util
import re
from functools import lru_cache
from pathlib import Path

from graph.knowledge.textnorm import FILLERS, _collapse_stutters, _drop_filler_phrases

__all__ = [
    "expand",
    "words",
    "lemma_dictionary_version",
    "lemma_table",
    "parts_of_speech",
    "lemma",
    "can_be",
    "lemmas",
    "lemma_text",
]

_CONTRACTIONS = [
    (re.compile(r"\b(can|ca)n['\u2019]t\b"), r"\1 not"),
    (re.compile(r"\bwon['\u2019]t\b"), "will not"),
    (re.compile(r"\bcannot\b"), "can not"),
    (re.compile(r"n['\u2019]t\b"), " not"),
    (re.compile(r"\blet['\u2019]s\b"), "let us"),
    (re.compile(r"\b(it|that|what|there|here|he|she|who|where|this)['\u2019]s\b"), r"\1 is"),
    (re.compile(r"['\u2019]re\b"), " are"),
    (re.compile(r"['\u2019]ve\b"), " have"),
    (re.compile(r"['\u2019]ll\b"), " will"),
    (re.compile(r"['\u2019]d\b"), " would"),
    (re.compile(r"\bi['\u2019]m\b"), "i am"),
    (re.compile(r"['\u2019]s\b"), ""),  # a possessive
    (re.compile(r"['\u2019]"), ""),
]
_WORD = re.compile(r"[a-z0-9]+")
_PREFERENCE = ("VERB", "NOUN", "ADJ", "ADV", "AUX")


def expand(text: str) -> str:
    """Lower case, contractions spelled out, possessives dropped."""
    lowered = text.lower()
    if "'" not in lowered and "\u2019" not in lowered and "cannot" not in lowered:
        return lowered  # most sentences: nothing to spell out
    for pattern, replacement in _CONTRACTIONS:
        lowered = pattern.sub(replacement, lowered)
    return lowered


def words(text: str) -> list[str]:
    """The words of ``text``: lower case, contractions expanded, fillers and stutters removed."""
    tokens = [t for t in _WORD.findall(expand(text)) if t not in FILLERS]
    return _collapse_stutters(_drop_filler_phrases(tokens))


def lemma_dictionary_version() -> str:
    """The installed lemminflect's version (what the lemma table is), for the knowledge fingerprint."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return "lemminflect " + version("lemminflect")
    except PackageNotFoundError:
        return "lemminflect (unknown version)"


_UPOS = {"noun": "NOUN", "verb": "VERB", "adj": "ADJ", "adv": "ADV", "aux": "AUX"}


@lru_cache(maxsize=1)
def lemma_table() -> dict[str, dict[str, tuple[str, ...]]]:
    """lemminflect's lemma table (word -> part of speech -> lemmas), with its overrides."""
    spec = importlib.util.find_spec("lemminflect")  # located, not imported
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("lemminflect is not installed (pip install lemminflect)")
    resources = Path(next(iter(spec.submodule_search_locations))) / "resources"
    table: dict[str, dict[str, tuple[str, ...]]] = {}
    with gzip.open(resources / "lemma_lu.csv.gz", "rt", encoding="utf-8") as lines:
        for line in lines:
            word, category, forms = line.rstrip("\n").split(",")
            table.setdefault(word, {})[_UPOS.get(category, category.upper())] = tuple(forms.split("/"))
    for line in (resources / "lemma_overrides.csv").read_text("utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, tag, form = line.split(",")
            table.setdefault(word, {})[tag] = (form,)
    return table


@lru_cache(maxsize=131072)
def parts_of_speech(word: str) -> dict[str, tuple[str, ...]]:
    """The parts of speech ``word`` can be (universal tags) with its lemma for each; empty when unknown."""
    return lemma_table().get(word.lower(), {})


@lru_cache(maxsize=131072)
def lemma(word: str) -> str:
    """The dictionary form of ``word``: as a verb when it can be one, else as a noun, adjective, adverb.

    One form per word, whatever its use in the sentence: phrases and texts
    go through the same lookup, so both sides agree ("training data" and
    "trained the data" both read "train data"). An unknown word is itself.
    """
    forms = parts_of_speech(word)
    for tag in _PREFERENCE:
        if tag in forms:
            return forms[tag][0]
    return word


def can_be(word: str, tag: str) -> bool:
    return tag in parts_of_speech(word)


def lemmas(text: str) -> list[str]:
    return [lemma(w) for w in words(text)]


@lru_cache(maxsize=65536)
def lemma_text(text: str) -> str:
    """Lemmas joined by single spaces, with a space on both ends (what lemma phrases match on)."""
    return " " + " ".join(lemmas(text)) + " "
