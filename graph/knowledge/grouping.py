"""One strategy said in many ways: grouping the interviewees' action phrases, and naming each group.

An action phrase (:mod:`.actions`) reduces to a key: its polarity, the class
of its verb ("drop", "remove", "delete" are one) and the dictionary forms of
the content words of its object, as a set ("dropped the whole record" and
"we remove the records" are both ``remove-record``). Phrases with one key
are one strategy, whoever said them and in whichever interview; a negated
phrase ("not use out-of-the-box tools") never shares a key with its positive
form ("use tools"), and an opposite verb has its own class. The key depends
on the phrase alone, so adding an interview never moves another interview's
phrases to another strategy.

A group is named by its most representative phrase: the one whose content
words overlap most with the other phrases of the group (ties: the phrase
said most often, then the shortest). A phrase that names a catalog strategy
never reaches here: the catalog names it (:mod:`.linking`).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable

from graph.knowledge.actions import read_actions
from graph.knowledge.lemmas import lemmas

__all__ = ["PREFIX", "MAX_ID_CHARS", "said_id", "is_said", "phrase_for", "representative"]

PREFIX = "said-"
MAX_ID_CHARS = 80


def said_id(key: str) -> str:
    """The Mitigation id of the strategy an action key stands for."""
    body = re.sub(r"[^a-z0-9-]+", "", key.lower()) or "action"
    if len(body) > MAX_ID_CHARS:
        body = body[:MAX_ID_CHARS].rstrip("-") + "-" + hashlib.sha256(key.encode()).hexdigest()[:8]
    return PREFIX + body


def is_said(mitigation: str) -> bool:
    return mitigation.startswith(PREFIX)


def phrase_for(quote: str, mitigation: str) -> str | None:
    """The phrase of the action in ``quote`` that stands for ``mitigation`` (quotes are read for actions as stored)."""
    return next((a.phrase for a in read_actions(quote) if said_id(a.key) == mitigation), None)


def representative(phrases: Iterable[str]) -> str:
    """The phrase most like the others (see the module's docstring)."""
    counts = Counter(phrases)
    if not counts:
        raise ValueError("a group has at least one phrase")
    words = {p: frozenset(lemmas(p)) or frozenset(p.lower().split()) for p in counts}

    def likeness(p: str) -> float:
        # Every other saying of the group, the phrase's own repeats included.
        return sum(n * len(words[p] & words[q]) / len(words[p] | words[q]) for q, n in counts.items()) - 1

    return min(counts, key=lambda p: (-likeness(p), -counts[p], len(p), p))
