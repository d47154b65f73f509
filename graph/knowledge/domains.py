"""A project's domain, from the vocabulary of ``domains.yaml``, and the words that decided it.

A domain is decided by evidence, not by one word: "image" said once in a
project about neural search does not make it computer vision, nor does
"German economy" make a GDP forecast industrial. The cues of each domain
are counted in the project's own words, the sentence that introduces the
project counting double, and a domain needs :data:`MIN_DISTINCT` *distinct*
cues ("camera" and "bounding boxes"; "nlp" twice is one cue) with a score of
at least :data:`MIN_SCORE`. The best domain wins; a second one joins it when
it is as well supported and named where the project is introduced ("NLP to
create a recommender system"). A project with no domain so supported has
none: an honest blank beats a guess. The cues found are kept with the
project (``Project.domain_cues``) so a reader can see why.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from graph.knowledge.phrases import longest_matches, package_vocabulary

DOMAINS = package_vocabulary("domains.yaml", "domains")
_MATCHERS = {key: entry["matchers"] for key, entry in DOMAINS.items()}
MIN_DISTINCT = 2  # different cue words a domain needs
MIN_SCORE = 3  # cue occurrences, those in the introducing sentence counting double
INTRO_WEIGHT = 2


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
    return longest_matches(_MATCHERS, stemmed)


def decide(intro: Iterable[str], body: Iterable[str]) -> DomainDecision:
    """The domain of a project from its introducing sentences and the rest of its words (stemmed texts)."""
    score: Counter[str] = Counter()
    distinct: dict[str, Counter[str]] = defaultdict(Counter)
    introduced: set[str] = set()
    surface: dict[str, str] = {}
    for weight, texts in ((INTRO_WEIGHT, intro), (1, body)):
        for text in texts:
            for key, cue in cues(text):
                score[key] += weight
                # "nlp" and "n l p" are one cue said twice.
                distinct[key][cue.replace(" ", "")] += weight
                surface.setdefault(cue.replace(" ", ""), cue)
                if weight == INTRO_WEIGHT:
                    introduced.add(key)
    supported = [k for k in score if len(distinct[k]) >= MIN_DISTINCT and score[k] >= MIN_SCORE]
    supported.sort(key=lambda k: (-score[k], -len(distinct[k]), k))
    keys = supported[:1] + [k for k in supported[1:2] if k in introduced and supported[0] in introduced]
    words = [surface[cue] for k in keys for cue, _ in distinct[k].most_common()]
    return DomainDecision(tuple(keys), tuple(words))
