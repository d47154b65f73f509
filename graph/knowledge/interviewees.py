"""Who the interviewee is: current roles, past roles and a short summary, in their own words.

People say what they are in first-person statements: "I am full professor",
"I work for Company X as a cloud solution architect", "I'm now, I'm cloud
solution architect, but I define myself as a data scientist", "I co-founded
a startup". A role is the speaker's own noun phrase, ending in a role word
of ``roles.yaml`` ("architect", "developer", "student"), so "web developer"
stays a web developer rather than becoming a generic "software engineer".
A statement counts only when the words between the speaker and the role are
verbs of being or working, articles and adverbs (``links``): "our data
scientists", "the data scientist would..." and "if I'm a data scientist"
say nothing about the speaker. A negation there ("I'm not myself a data
scientist") drops the statement.

Current or past. A role is *past* when its statement marks an ended time
("I used to be", "previously", "before that", "when I was a student", "two
years ago"); those go to ``past_roles``. A plain past tense without such a
marker ("last year I was working as a consultant") stays current: people
narrate the job they still hold in the past tense, and nothing in the
sentence says it ended. A role both current and past is current.

No duplicates: the same phrase once, and a role contained in a longer one
("professor" in "full professor") only as the longer one. Roles are read in
all of the interviewee's turns (a role can be said late: "I work as a web
developer" in the middle of an answer), since the statement patterns, not
the position, decide. The summary is those statements, cleaned of fillers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources

import yaml

from graph.knowledge.clauses import PAUSE, phrase, tokens
from graph.knowledge.textnorm import clean
from graph.knowledge.transcript import TranscriptView

__all__ = [
    "SUMMARY_CHARS",
    "SPEAKER_REACH",
    "RESTART_WORDS",
    "SPEAKER",
    "HEADS",
    "LINKS",
    "WORKING",
    "NEGATIONS",
    "HYPOTHETICAL",
    "PAST_MARKERS",
    "PAST_CLAUSES",
    "FOUNDED",
    "FOUNDED_OBJECTS",
    "MODIFIERS",
    "AS_REACH",
    "RoleStatement",
    "Profile",
    "role_statements",
    "profile",
]

SUMMARY_CHARS = 400
# How far back from a role the speaker may be (in words, links included).
SPEAKER_REACH = 8
RESTART_WORDS = 3  # longest abandoned start the speaker may repair ("a web development, web developer")

_VOCABULARY = yaml.safe_load(resources.files("graph.knowledge").joinpath("roles.yaml").read_text("utf-8"))
SPEAKER = frozenset(_VOCABULARY["speaker"])
HEADS = frozenset(_VOCABULARY["heads"])
LINKS = frozenset(_VOCABULARY["links"])
WORKING = frozenset(_VOCABULARY["working"])
NEGATIONS = frozenset(_VOCABULARY["negations"])
HYPOTHETICAL = frozenset(_VOCABULARY["hypothetical"])
PAST_MARKERS = frozenset(_VOCABULARY["past_markers"])
PAST_CLAUSES = frozenset(_VOCABULARY["past_clauses"])
FOUNDED = {verb: role for role, verbs in _VOCABULARY["founded"].items() for verb in verbs}
FOUNDED_OBJECTS = frozenset(_VOCABULARY["founded_objects"])
MODIFIERS = int(_VOCABULARY["modifiers"])
AS_REACH = int(_VOCABULARY["as_reach"])
# Words that cannot be part of a role's name (its modifiers are content words).
_FUNCTION = LINKS | NEGATIONS | HYPOTHETICAL | frozenset(
    "a an the this that these those in at for with on from by to and or but so our your his her their its "
    "some any very good big great like what which who we they he she it you me i also one".split()
)


@dataclass(frozen=True)
class RoleStatement:
    role: str
    past: bool
    sentence: str


@dataclass(frozen=True)
class Profile:
    roles: list[str]
    summary: str | None
    past_roles: list[str] = field(default_factory=list)


def role_statements(sentence: str) -> list[RoleStatement]:
    """The roles one sentence states about its speaker, each current or past; negated ones left out."""
    words = tokens(sentence)
    found = []
    last: tuple[int, tuple[bool, bool]] | None = None  # where the last role stated ended, and how it was stated
    for end in range(len(words)):
        if words[end] not in HEADS or (end + 1 < len(words) and words[end + 1] in HEADS):
            continue  # the role ends at the last of consecutive role words ("assistant professor")
        start = end
        while start > 0 and end - start + 1 <= MODIFIERS and _modifier(words[start - 1]):
            start -= 1
        statement = _statement(words, start)
        if statement is None and last is not None and start >= 2 and words[start - 1] in {"and", PAUSE}:
            # "I'm a data scientist and co-founder of a startup": the second role shares the statement.
            if last[0] == start - 2:
                statement = last[1]
        if statement is None:
            continue
        last = (_of_phrase(words, end), statement)
        negated, past = statement
        end = _of_phrase(words, end)
        # "a data analyst before joining Company X"
        past = past or "before" in words[end + 1 : end + 3]
        if not negated:
            found.append(RoleStatement(phrase(words[start : end + 1]), past, sentence))
    found += _founding(words, sentence)
    return found


def _of_phrase(words: list[str], end: int) -> int:
    """The end of "head of data science": a role word followed by "of" and its content words."""
    if end + 2 < len(words) and words[end + 1] == "of" and _modifier(words[end + 2]):
        last = end + 2
        while last + 1 < len(words) and last - end < MODIFIERS + 1 and _modifier(words[last + 1]):
            last += 1
        return last
    return end


def _modifier(word: str) -> bool:
    return word != PAUSE and word not in _FUNCTION and not word.isdigit()


def _statement(words: list[str], start: int) -> tuple[bool, bool] | None:
    """(negated, past) when the words before ``start`` make a first-person statement of the role."""
    links: list[str] = []
    i = start - 1
    repaired = False
    while i >= 0 and start - i <= SPEAKER_REACH:
        word = words[i]
        if word in SPEAKER and links:
            return _qualify(words, i, words[i + 1 : start])
        if word in LINKS or word in NEGATIONS:
            links.append(word)
        elif word == PAUSE and not repaired:
            # A restart: "a web development, web developer". Skip the abandoned words.
            j = i - 1
            while j >= 0 and i - j <= RESTART_WORDS and words[j] not in LINKS and words[j] != PAUSE:
                j -= 1
            if j < 0 or words[j] not in LINKS:
                return None
            repaired, i = True, j
            continue
        else:
            break
        i -= 1
    # "I work for Company X as a cloud solution architect": "as" after the speaker's working verb.
    if "as" in links:
        for k in range(i, max(-1, i - AS_REACH), -1):
            if words[k] in WORKING and k > 0 and words[k - 1] in SPEAKER | LINKS:
                speaker = next((m for m in range(k - 1, max(-1, k - 4), -1) if words[m] in SPEAKER), None)
                if speaker is not None:
                    return _qualify(words, speaker, words[speaker + 1 : start])
            if words[k] == PAUSE:
                break
    return None


def _qualify(words: list[str], speaker: int, between: list[str]) -> tuple[bool, bool] | None:
    """(negated, past) of a statement; None when it is hypothetical.

    The past is read from the statement itself and the few words around it,
    not the whole sentence: "a data scientist for the previous four years" is
    still one.
    """
    before = words[max(0, speaker - 4) : speaker]
    if PAUSE in before:
        # Only the speaker's own clause ("I told you before, because I'm a project manager"), unless
        # the clause is a short opening adverbial of time: "Before that, I was a data analyst".
        cut = len(before) - before[::-1].index(PAUSE)
        opening = words[: speaker - len(before) + cut - 1]
        before = before[cut:] + (opening if len(opening) <= 3 and PAST_MARKERS.intersection(opening) else [])
    if HYPOTHETICAL.intersection(before[-2:]):
        return None
    # "I'm not myself a data scientist": the speaker word nearest the role may be "myself".
    negated = bool(NEGATIONS.intersection(between) or NEGATIONS.intersection(before[-2:]))
    past = (
        bool(PAST_MARKERS.intersection(between) or PAST_MARKERS.intersection(before))
        or bool(PAST_CLAUSES.intersection(before[-1:]))
    )
    return negated, past


def _founding(words: list[str], sentence: str) -> list[RoleStatement]:
    """"I co-founded a startup" -> co-founder; "we founded our company" does not make the speaker one."""
    found = []
    for i, word in enumerate(words):
        role = FOUNDED.get(word)
        if role is None or i == 0 or words[i - 1] not in SPEAKER | {"also", "have", "had"}:
            continue
        if not any(w in SPEAKER for w in words[max(0, i - 3) : i]):
            continue
        if FOUNDED_OBJECTS.isdisjoint(words[i + 1 : i + 5]):
            continue
        qualified = _qualify(words, max(0, i - 1), words[i - 1 : i + 1])
        if qualified and not qualified[0]:
            found.append(RoleStatement(role, qualified[1], sentence))
    return found


def _distinct(roles: list[str]) -> list[str]:
    """Each role once; one contained as whole words in a longer role is the longer one."""
    kept: list[str] = []
    for role in sorted(dict.fromkeys(roles), key=lambda r: -len(r.split())):
        if not any(_contains(other, role) for other in kept):
            kept.append(role)
    return sorted(kept, key=roles.index)


def _contains(longer: str, shorter: str) -> bool:
    return f" {shorter} " in f" {longer} "


def profile(view: TranscriptView) -> Profile:
    """Current roles, past roles (in order of mention) and summary of the interviewee of one transcript."""
    current: list[str] = []
    past: list[str] = []
    statements: list[str] = []
    for excerpt in view.excerpts:
        if not excerpt.speaks_for_interviewee:
            continue
        for sentence in excerpt.sentences:
            found = role_statements(sentence)
            for statement in found:
                (past if statement.past else current).append(statement.role)
            if found:
                text = clean(sentence)
                if text not in statements:
                    statements.append(text)
    roles = _distinct(current)
    past_roles = [r for r in _distinct(past) if not any(_contains(c, r) for c in roles)]
    summary = " ".join(statements)
    if len(summary) > SUMMARY_CHARS:
        summary = summary[: SUMMARY_CHARS - 1].rsplit(" ", 1)[0] + "…"
    return Profile(roles, summary or None, past_roles)
