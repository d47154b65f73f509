"""A project's domain, from the vocabulary of ``domains.yaml``, and the words that decided it.

A domain is decided by evidence, not by one word: "image" said once in a
project about neural search does not make it computer vision, nor does
"German economy" make a GDP forecast industrial. The cues of each domain
are counted in the project's own words, the sentence that introduces the
project counting double, and a domain needs :data:`MIN_DISTINCT` *distinct*
cue words ("camera" and "bounding boxes"; "nlp" twice is one word; a cue of
several words, "recommender system", "computer vision", counts each of its
words, since a phrase that specific is not said in passing). The best domain
wins; a second one joins it when
it is as well supported and both are named where the project is introduced
("NLP to create a recommender system"); a domain named there ranks before
one only found later in the project's passages. A project with no domain so supported has
none: an honest blank beats a guess. The cues found are kept with the
project (``Project.domain_cues``) so a reader can see why.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from graph.knowledge.phrases import anchor_index, longest_matches, package_vocabulary
from graph.knowledge.textnorm import stem
from graph.knowledge.textnorm import words as spoken_words

__all__ = ["DOMAINS", "MIN_DISTINCT", "INTRO_WEIGHT", "DomainDecision", "cues", "names_domains", "decide"]

DOMAINS = package_vocabulary("domains.yaml", "domains")
_MATCHERS = {key: entry["matchers"] for key, entry in DOMAINS.items()}
_ANCHORS = anchor_index(_MATCHERS)  # every text of a study is matched against the domains
MIN_DISTINCT = 2  # different cue words a domain needs
INTRO_WEIGHT = 2  # a cue in the introducing sentence counts this many times in the ranking


@dataclass(frozen=True)
class DomainDecision:
    keys: tuple[str, ...]
    cues: tuple[str, ...]  # the words that decided it, as matched (stemmed), most frequent first

    @property
    def name(self) -> str | None:
        return " / ".join(DOMAINS[k]["name"] for k in self.keys) or None

    @property
    def label(self) -> str:
        return " / ".join(DOMAINS[k]["label"] for k in self.keys)


def cues(stemmed: str) -> list[tuple[str, str]]:
    """(domain, cue) pairs named in one stemmed text, longest cues first where they overlap."""
    return list(_cues(stemmed))


@lru_cache(maxsize=65536)  # the same passages are read for every project of an interview
def _cues(stemmed: str) -> tuple[tuple[str, str], ...]:
    return tuple(longest_matches(_MATCHERS, stemmed, _ANCHORS))


@lru_cache(maxsize=65536)
def names_domains(stemmed: str) -> frozenset[str]:
    """The domains one stemmed text names with at least :data:`MIN_DISTINCT` distinct cue words."""
    found: dict[str, set[str]] = defaultdict(set)
    for key, cue in cues(stemmed):
        found[key].add(_key(cue))
    return frozenset(
        k for k, keyed in found.items() if len({w for c in keyed for w in c.split("\x00")}) >= MIN_DISTINCT
    )


def decide(intro: Iterable[str], body: Iterable[str]) -> DomainDecision:
    """The domain of a project from its introducing sentences and the rest of its words (plain texts)."""
    score: Counter[str] = Counter()
    distinct: dict[str, Counter[str]] = defaultdict(Counter)
    introduced: set[str] = set()
    surface: dict[str, str] = {}
    for weight, texts in ((INTRO_WEIGHT, intro), (1, body)):
        for text in texts:
            for key, cue_key, said_as in _said_cues(text):
                score[key] += weight
                # "nlp" and "n l p" are one cue said twice.
                distinct[key][cue_key] += weight
                surface.setdefault(cue_key, said_as)
                if weight == INTRO_WEIGHT:
                    introduced.add(key)
    supported = [k for k in score if _words(distinct[k]) >= MIN_DISTINCT]
    # Where the speaker introduces the project, they say what it is about: those domains first.
    supported.sort(key=lambda k: (k not in introduced, -score[k], -len(distinct[k]), k))
    keys = supported[:1] + [k for k in supported[1:2] if k in introduced and supported[0] in introduced]
    words = [surface[cue] for k in keys for cue, _ in distinct[k].most_common()]
    return DomainDecision(tuple(keys), tuple(words))


@lru_cache(maxsize=65536)  # a project's passages are read for each decision, and by every copy
def _said_cues(text: str) -> tuple[tuple[str, str, str], ...]:
    """(domain, cue however spelled, the cue in the speaker's words) for each cue a plain text names."""
    said = spoken_words(text)
    stemmed = [stem(w) for w in said]
    return tuple(
        (key, _key(cue), _as_said(cue, said, stemmed)) for key, cue in cues(" " + " ".join(stemmed) + " ")
    )


def _as_said(cue: str, said: list[str], stemmed: list[str]) -> str:
    """The words the speaker used for a (stemmed) cue: "recommender system" for "recommend system"."""
    parts = cue.split()
    for i in range(len(stemmed) - len(parts) + 1):
        if stemmed[i : i + len(parts)] == parts:
            return " ".join(said[i : i + len(parts)])
    return cue


def _key(cue: str) -> str:
    """One cue however it is spelled: "n l p" is "nlp"; the words of a longer cue stay apart."""
    parts = cue.split()
    if all(len(p) == 1 for p in parts):
        return "".join(parts)
    return "\x00".join(parts)


def _words(distinct: Counter[str]) -> int:
    """Distinct words among the cues: "image" and "images" are one, "recommender system" is two."""
    return len({word for cue in distinct for word in cue.split("\x00")})
