"""Words of one spoken sentence, with the punctuation that marks its clauses.

Roles and projects are read from what people say about themselves ("I work
as a web developer", "the other main project was classifying some emails"),
and the words of the statement itself become the role or the project's name.
That needs the surface words (not stems), the commas where the speaker
paused or restarted ("a web development, uh, web developer"), and
contractions opened up so that "I'm", "I am" and "im" read alike. Fillers
and stutters go first, through :func:`graph.knowledge.textnorm.clean`.
"""

from __future__ import annotations

import re

from graph.knowledge.textnorm import clean

PAUSE = ","  # the token standing for any clause mark inside a sentence
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


# Set phrases of speech that interrupt a sentence without adding to it.
_HEDGES = re.compile(r"\b(?:how (?:can|do|should) i say|how i say|as (?:i|you) say|i (?:would|will) say|sort of|kind of|you know|i mean)\b,?")


def tokens(sentence: str) -> list[str]:
    """Lower-case words of a sentence, contractions opened, clause marks as :data:`PAUSE`."""
    out: list[str] = []
    text = _HEDGES.sub(" ", clean(sentence).lower().replace("\u2019", "'"))
    for token in _TOKEN.findall(text):
        if not token[0].isalnum():
            if out and out[-1] != PAUSE:
                out.append(PAUSE)
        else:
            out.extend(_CONTRACTIONS.get(token, [token]))
    return _join_spelled(out)


def _join_spelled(words: list[str]) -> list[str]:
    """Letters spelled out by the transcriber are one word: "p d f" -> "pdf", "g p t" -> "gpt"."""
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
