"""Words of one spoken sentence, with the punctuation that marks its clauses.

Roles and projects are read from what people say about themselves ("I work
as a web developer", "the other main project was classifying some emails"),
and the words of the statement itself become the role or the project's name.
That needs the surface words (not stems), the commas where the speaker
paused or restarted ("a web development, uh, web developer"), and
contractions opened up so that "I'm", "I am" and "im" read alike. Fillers
("uh", "you know") and stutters ("the, the") go first, as in
:mod:`graph.knowledge.textnorm`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from graph.knowledge.textnorm import FILLERS

__all__ = ["PAUSE", "MAX_STUTTER", "tokens", "token_tuple", "phrase"]

PAUSE = ","  # the token standing for any clause mark inside a sentence
MAX_STUTTER = 3  # longest repeated run of words collapsed ("in the, in the")
_TOKEN = re.compile(r"[a-z0-9]+(?:['\u2019\-][a-z0-9]+)*|[,;:()\u2013\u2014]")
_CONTRACTIONS = {
    "i'm": ["i", "am"], "im": ["i", "am"], "i've": ["i", "have"], "ive": ["i", "have"], "i'd": ["i", "would"],
    "i'll": ["i", "will"], "we're": ["we", "are"], "we've": ["we", "have"], "we'd": ["we", "would"],
    "it's": ["it", "is"], "that's": ["that", "is"], "there's": ["there", "is"], "what's": ["what", "is"],
    "don't": ["do", "not"], "didn't": ["did", "not"], "doesn't": ["does", "not"], "isn't": ["is", "not"],
    "wasn't": ["was", "not"], "aren't": ["are", "not"], "weren't": ["were", "not"], "haven't": ["have", "not"],
    "hasn't": ["has", "not"], "can't": ["can", "not"], "couldn't": ["could", "not"], "won't": ["will", "not"],
    "wouldn't": ["would", "not"], "i'am": ["i", "am"], "gonna": ["going", "to"], "wanna": ["want", "to"],
}


_SKIPPED = FILLERS | {"mm-hmm"}
_TWO_LETTERS = re.compile(r"(?:^| )[a-z] [a-z](?= |$)")  # words are [a-z0-9] runs or PAUSE, never spaces

# Set phrases of speech that interrupt a sentence without adding to it.
_HEDGES = re.compile(
    r"\b(?:how (?:can|do|should) i say|how i say|as (?:i|you) say|i (?:would|will) say|sort of|kind of|you know|i mean)\b,?"
)


def tokens(sentence: str) -> list[str]:
    """Lower-case words of a sentence, contractions opened, clause marks as :data:`PAUSE`."""
    return list(_tokens(sentence))


def token_tuple(sentence: str) -> tuple[str, ...]:
    """:func:`tokens` as the cached tuple itself, for readers that only iterate (no copy per call)."""
    return _tokens(sentence)


@lru_cache(maxsize=65536)  # coders' copies of one interview repeat its sentences
def _tokens(sentence: str) -> tuple[str, ...]:
    # The same steps as textnorm.clean (fillers out, stutters collapsed), on tokens: clean's display
    # regexes cost ten times as much, and every sentence of a study passes here.
    out: list[str] = []
    at: list[int] = []  # where the words (not the pauses) of ``out`` are
    for token in _TOKEN.findall(_HEDGES.sub(" ", sentence.lower().replace("\u2019", "'"))):
        if token in _SKIPPED:
            continue
        if not token[0].isalnum():
            if out and out[-1] != PAUSE:
                out.append(PAUSE)
            continue
        for word in _CONTRACTIONS.get(token, (token,)):
            at.append(len(out))
            out.append(word)
            # A stutter of n words (n up to MAX_STUTTER = 3) ends with the word said n words before: only then is it looked for.
            size = len(at)
            if size >= 2 and (
                out[at[-2]] == word
                or (size >= 4 and (out[at[-3]] == word or (size >= 6 and out[at[-4]] == word)))
            ):
                _collapse_stutter(out, at)
    while out and out[0] == PAUSE:
        out.pop(0)
    return tuple(_join_spelled(out))


def _collapse_stutter(out: list[str], at: list[int]) -> None:
    """Drop the last one to three words when they repeat the ones before, pauses aside ("the, the")."""
    for n in range(1, MAX_STUTTER + 1):
        if len(at) < 2 * n:
            return
        # The last words compared first: a cheap test that almost always fails.
        if out[at[-1]] == out[at[-1 - n]] and [out[i] for i in at[-n:]] == [out[i] for i in at[-2 * n : -n]]:
            cut = at[-n]
            if out[cut - 1] == PAUSE:
                cut -= 1
            del out[cut:]
            del at[-n:]
            return


def _join_spelled(words: list[str]) -> list[str]:
    """Letters spelled out by the transcriber are one word: "p d f" -> "pdf", "g p t" -> "gpt"."""
    if not _TWO_LETTERS.search(" ".join(words)):
        return words  # no two one-letter words in a row: nothing spelled out (the common case)
    out: list[str] = []
    run: list[str] = []
    for word in [*words, ""]:
        if len(word) == 1 and word.isalpha():
            run.append(word)
            continue
        # Two letters may be an article and a letter ("a b"), so a run needs three, or two without "a"/"i".
        if len(run) >= 3 or (len(run) == 2 and not {"a", "i"} & set(run)):
            out.append("".join(run))
        else:
            out += run
        run = []
        if word:
            out.append(word)
    return out


def phrase(words: list[str]) -> str:
    """Words back to display text (clause marks as commas)."""
    return " ".join(words).replace(" ,", ",").strip(" ,")
