"""Normalise noisy speech-to-text so that phrases can be matched on it.

Transcripts are automatic transcriptions of speech: "uh, in order to, to
provide more samples", "I, I, I had", "mobile net" for MobileNet. Matching
catalog phrases on the raw text would miss most mentions, and a statistical
model would need a download at run time. Instead every text goes through the
same cheap steps: lower case, words only, filler words dropped ("uh", "um",
"I mean"), stutters collapsed ("to, to" -> "to", "in the, in the" -> "in the"),
and each word reduced to its Snowball (Porter 2) stem so that "augmentation",
"augmented" and "augment" meet. Phrases in the catalogs go through the very
same steps, so both sides agree by construction.

:func:`clean` is the display variant: it keeps case and punctuation but drops
fillers and stutters, for quotes shown to people.
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

__all__ = ["FILLERS", "FILLER_PHRASES", "words", "stem", "stems", "stem_text", "sentences", "clean", "STOPWORDS"]

# Sounds and set phrases that carry no content in speech.
FILLERS = frozenset({"uh", "uhm", "um", "umm", "eh", "er", "erm", "ah", "mm", "mmm", "hmm", "mhm", "hm", "oops"})
FILLER_PHRASES = (("i", "mean"), ("you", "know"), ("let", "s", "say"), ("let", "say"))
_PHRASE_STARTS = frozenset(p[0] for p in FILLER_PHRASES)

_WORD = re.compile(r"[a-z0-9]+")
_APOSTROPHE = re.compile(r"['\u2019]s\b|['\u2019]")
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+")
_DISPLAY_FILLER = re.compile(
    r"(?<![\w-])(?:" + "|".join(sorted(FILLERS | {"mm-hmm"}, key=len, reverse=True)) + r")(?![\w-])[,.]?\s*",
    re.IGNORECASE,
)
_DISPLAY_STUTTER = re.compile(r"\b(\w+(?:\s+\w+){0,2})(?:[\s,]+\1\b)+", re.IGNORECASE)
_STEMMER = snowballstemmer.stemmer("english")


def words(text: str) -> list[str]:
    """Lower-case words of ``text`` with fillers and stutters removed."""
    lowered = _APOSTROPHE.sub("", text.lower())
    tokens = [t for t in _WORD.findall(lowered) if t not in FILLERS]
    return _collapse_stutters(_drop_filler_phrases(tokens))


def _drop_filler_phrases(tokens: list[str]) -> list[str]:
    if _PHRASE_STARTS.isdisjoint(tokens):
        return tokens
    out: list[str] = []
    i, n = 0, len(tokens)
    while i < n:
        token = tokens[i]
        if token in _PHRASE_STARTS and i + 1 < n:
            second = tokens[i + 1]
            phrase = next((p for p in FILLER_PHRASES if p[1] == second and tuple(tokens[i : i + len(p)]) == p), None)
            if phrase:
                i += len(phrase)
                continue
        out.append(token)
        i += 1
    return out


def _collapse_stutters(tokens: list[str]) -> list[str]:
    """Drop immediate repeats of runs of one to three words (the shortest run first)."""
    out: list[str] = []
    append = out.append
    for token in tokens:
        append(token)
        size = len(out)
        # Written out for n = 1, 2, 3: this runs once per word of every text read.
        if size >= 2 and out[-2] == token:
            del out[-1]
        elif size >= 4 and out[-3] == token and out[-2] == out[-4]:
            del out[-2:]
        elif size >= 6 and out[-4] == token and out[-2] == out[-5] and out[-3] == out[-6]:
            del out[-3:]
    return out


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _STEMMER.stemWord(word)


def stems(text: str) -> list[str]:
    """The normalised, stemmed words of ``text``: what every matcher runs on."""
    return list(_stems(text))


@lru_cache(maxsize=65536)  # the coders' copies of an interview repeat its paragraphs and sentences
def _stems(text: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in words(text))


def stem_text(text: str) -> str:
    """Stems joined by single spaces, with a space on both ends (the match target)."""
    return " " + " ".join(stems(text)) + " "


def sentences(text: str) -> list[str]:
    """Split on sentence-final punctuation; transcripts have little else to go by."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


@lru_cache(maxsize=65536)  # quotes of the coders' copies of one paragraph repeat
def clean(text: str) -> str:
    """``text`` for display: fillers and stutters removed, case and punctuation kept."""
    cleaned = _DISPLAY_FILLER.sub("", text)
    previous = None
    while previous != cleaned:
        previous, cleaned = cleaned, _DISPLAY_STUTTER.sub(r"\1", cleaned)
    cleaned = re.sub(r"\s+([,.?!])", r"\1", cleaned)
    cleaned = re.sub(r"([,.?!])(?:\s*[,.])+", r"\1", cleaned)
    cleaned = re.sub(r"\s{2,}", " ", cleaned).strip(" ,")
    return cleaned[:1].upper() + cleaned[1:]


# Words that do not tell one topic from another: English function words,
# the small talk of interviews, and what every ML interview is about.
STOPWORDS = frozenset(
    stem(w)
    for w in """
    a about above after again against all also am an and any are as at be because been before being below between
    both but by can could did do does doing down during each few for from further had has have having he her here
    hers him his how i if in into is it its itself just me more most my no nor not now of off on once only or other
    our ours out over own same she should so some such than that the their theirs them then there these they this
    those through to too under until up very was we were what when where which while who whom why will with would
    you your yours im ive dont didnt okay ok yes yeah oh well right sure great good cool perfect thank thanks sorry
    like really actually basically think know thing things something way lot lots mean say said let go going get got
    see seen make made want need one two three first last kind sort even still already maybe much many every
    machine learning model models data project projects system systems issue issues problem problems quality use used
    using work worked working develop developed developing development application time times case cases company
    order instanc instance example given respect part phase name course inform information type types country
    better idea found find done able question answer
    """.split()
)
