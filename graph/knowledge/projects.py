"""Split an interview into the projects the interviewee describes, each named in their words.

People introduce a project by saying what they built or worked on, and the
words that follow say what it is: "I work mainly on two projects, one is
recognizing relevant info from PDF documents, and the other main project was
classifying some emails", "we were building a system to help us filter out
the low quality images", "I've built a system once to read plates of cars",
"I made a model for detecting handwriting", "my thesis is in categorical
based data and unsupervised clustering", "I was working with a company that
would like to understand how their gas stations compare". These discourse
cues, not topic words, open projects:

- a first-person maker ("I"/"we" ... built, made, developed, worked on, did)
  with an indefinite or possessive object ("a system", "some projects", "my
  project"; never "the"/"this"/"that", which point back to a known one),
  whose object is a project word (project, application, system, model,
  tool, thesis...) or, for "working on", a topic of its own;
- enumerations: "one is ...", "the other (main) project was ...", "the
  second one is ...", "one of them is ..." after a project word;
- "one of the models I created, I was predicting ..." and "a project I'm
  working on, ...": the project is the clause that follows;
- "(I'm) speaking about a forecasting project": named by its modifiers;
- a client engagement: "working with a company that wanted to ...".

The name is the phrase of the introduction ("classifying some emails",
"system to read plates of cars"), fillers and restarts removed, at most
:data:`NAME_WORDS` words, cut at the clause's end. An introduction with no
content of its own ("a specific project that we did") names nothing: the
next introduction within :data:`PENDING_REACH` excerpts is taken as the same
project. Two introductions that share most of their content words are one
project said twice ("the NLP project I told you" never opens one at all).

An excerpt is ABOUT a project when it introduces it or repeats the
distinctive words of its name (:data:`MIN_SHARED` of them); the interviewee's
turns after one that names a single project go on about it, for at most
:data:`CARRY` turns or until another project is named.
The issues coded on a project's excerpts are the issues it FACED. The
domain is decided from the project's words by :mod:`graph.knowledge.domains`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from graph.knowledge.clauses import PAUSE, phrase, token_tuple
from graph.knowledge.domains import DomainDecision, decide, names_domains
from graph.knowledge.textnorm import STOPWORDS, stem
from graph.knowledge.textnorm import sentences as split_sentences
from graph.knowledge.transcript import INTERVIEWER, ExcerptView, TranscriptView

__all__ = [
    "NAME_WORDS",
    "PENDING_REACH",
    "RARE_TURNS",
    "RARE_SHARE",
    "CARRY",
    "MIN_SHARED",
    "SAME_PROJECT",
    "SAME_SENTENCE",
    "SUBJECT_REACH",
    "END",
    "PROJECT_NOUNS",
    "GENERIC_NOUNS",
    "LISTING_NOUNS",
    "NEGATIONS",
    "HELPING",
    "OFFERING",
    "PURPOSE",
    "AIMING",
    "TASKS",
    "MAKING",
    "WORKING",
    "HAVING",
    "SUBJECTS",
    "OTHER_SUBJECTS",
    "INDEFINITE",
    "POINTING",
    "PARTICLES",
    "AUXILIARIES",
    "ORDINAL_OPENERS",
    "COPULAS",
    "CONTINUING",
    "NUMBERS",
    "BACKCHANNELS",
    "SPEECH",
    "CLIENTS",
    "WANTING",
    "CLAUSE_ENDS",
    "ProjectFinding",
    "Introduction",
    "content_stems",
    "introductions",
    "find_projects",
    "merge_copies",
]

NAME_WORDS = 10
PENDING_REACH = 25  # excerpts within which a contentless introduction waits for its name
RARE_TURNS = 3  # a name's word said in at most this many turns, or RARE_SHARE percent of them, names the project alone
RARE_SHARE = 3
CARRY = 8  # interviewee turns a project stays the current one without being named again
MIN_SHARED = 2  # content words of a project's name an excerpt repeats to be about it
SAME_PROJECT = 0.5  # share of content words two introductions have in common to be one project
SAME_SENTENCE = 3  # content words two introducing sentences share, with one of the names', to be one project
SUBJECT_REACH = 10
END = "."  # sentence boundary token

PROJECT_NOUNS = frozenset(
    "project projects application applications app apps system systems model models tool tools platform "
    "platforms product products solution solutions thesis dissertation pipeline pipelines bot chatbot "
    "prototype algorithm algorithms service".split()
)
# Project words that say nothing by themselves: "a model", "a system" is a project only with its purpose
# ("a system to read plates", "a model for detecting handwriting"), not in "build a model about data".
GENERIC_NOUNS = frozenset("model models system systems tool tools solution solutions pipeline pipelines "
                          "algorithm algorithms service product products".split())
# Plural or project words that make "one is ..." an enumeration of projects.
LISTING_NOUNS = frozenset("project projects application applications app apps system systems products solutions "
                          "models tools platforms".split())
NEGATIONS = frozenset("not never no without".split())
HELPING = frozenset("help helping helped support supporting supported advise advising advised assist assisting".split())
OFFERING = frozenset("offer offers offering offered provide provides providing provided sell sells selling".split())
PURPOSE = frozenset("to for that which".split())
AIMING = frozenset("try tried trying want wanted aim aimed aiming".split())
# What machine learning projects are for, as a verb: "we tried to predict ...".
TASKS = frozenset("predict forecast detect classify estimate recognize recognise identify recommend segment "
                  "translate generate extract".split())
MAKING = frozenset(
    "build builds building built make makes making made develop develops developing developed create creates "
    "creating created design designed designing implement implemented implementing do did done doing deploy "
    "deployed deploying launch launched lead led train trained work works working worked".split()
)
WORKING = frozenset("work works working worked".split())
# "I have an algorithm that clusters titles": what the speaker has made, said with its purpose.
HAVING = frozenset({"have", "has"})
SUBJECTS = frozenset({"i", "we"})
OTHER_SUBJECTS = frozenset("you they he she people someone it".split())
INDEFINITE = frozenset(
    "a an one another my our some two three four several few couple simple many first second small".split()
)
POINTING = frozenset("the this that these those it its same".split())
PARTICLES = frozenset("on in with at for of".split())
AUXILIARIES = frozenset(
    "am is are was were be been being have has had also mainly currently mostly just once actually already "
    "still now recently usually always basically really primarily".split()
)
ORDINAL_OPENERS = (
    ("one", "of", "them"), ("the", "other"), ("the", "second"), ("the", "first"), ("the", "third"), ("another",),
    ("second",), ("one",),
)
COPULAS = frozenset({"is", "was", "being"})
# Words that carry a description on over a full stop.
CONTINUING = frozenset("for to about on in with how what whether".split())
NUMBERS = frozenset("two three four five several couple few".split())
BACKCHANNELS = frozenset("and okay ok yeah yes so right well sure uh um alright".split()) | {PAUSE}
SPEECH = frozenset("speak speaking spoke talk talking talked tell telling".split())
CLIENTS = frozenset("company client customer customers clients startup bank firm".split())
WANTING = frozenset("would like to wanted needed wants needs want".split())
# Where a name's clause ends.
CLAUSE_ENDS = frozenset("because but so where when while since although though if whereas by using".split())
# Words a name does not start or end with.
_EDGE = POINTING | INDEFINITE | PARTICLES | AUXILIARIES | SUBJECTS | frozenset(
    "and or to like uh um which who whom whose that something related kind sort of me us them so yeah okay from by "
    "into than".split()
)
# Project words that say what the project is ("a chatbot project", "my thesis"): content in a name.
_TELLING_NOUNS = frozenset("chatbot bot thesis dissertation prototype".split())
# Words that carry no content in a name: what every introduction says.
_GENERIC = STOPWORDS | frozenset(
    stem(w) for w in "specific main big small simple different new other thing things stuff kind lot couple "
    "company companies client clients set sets dataset datasets related several various certain whole "
    "country countries region regions city cities university "  # also the placeholders of anonymised transcripts
    # Adjectives and adverbs any description may carry.
    "large huge small tiny big little whole complex complicated easy hard difficult important real actual "
    "current previous next last long short high low fast slow old young same similar general typical usual "
    "able possible necessary pretty quite rather enough far away".split()
) | frozenset(stem(w) for w in PROJECT_NOUNS - _TELLING_NOUNS | MAKING | AUXILIARIES)


@dataclass
class ProjectFinding:
    """One project of one interview, with the excerpts about it and the issues raised."""

    id: str
    interview: str
    name: str
    content: frozenset[str]  # content stems of the name
    introductions: list[str] = field(default_factory=list)  # the introducing sentences
    excerpts: list[ExcerptView] = field(default_factory=list)
    decision: DomainDecision = field(default_factory=lambda: DomainDecision((), ()))
    sentence_content: frozenset[str] = frozenset()  # content stems of the first introducing sentence
    named_in: list[ExcerptView] = field(default_factory=list)  # the excerpts that name it, and the turn after

    @property
    def domain(self) -> str | None:
        return self.decision.name

    @property
    def domain_cues(self) -> list[str]:
        return list(self.decision.cues)

    @property
    def issues(self) -> set[str]:
        return {i for e in self.excerpts for i in e.issues | e.fixes}


@dataclass(frozen=True)
class Introduction:
    """A passage that introduces a project: its name (possibly empty) and the sentence.

    ``part``: introduced by a generic project word ("my own algorithm to detect obstacles"), which
    right after another project's introduction is a part of that project, not a new one.
    """

    name: str
    sentence: str
    part: bool = False


@lru_cache(maxsize=65536)
def content_stems(text: str) -> frozenset[str]:
    """The stems of a text's words that say what it is about (names, sentences, turns alike)."""
    return _content(w for sentence in split_sentences(text) for w in token_tuple(sentence))


def _content(words: Iterable[str]) -> frozenset[str]:
    return frozenset(filter(None, map(_content_stem, words)))


@lru_cache(maxsize=131072)  # a study says the same words over and over
def _content_stem(word: str) -> str:
    """The stem of a word that says what a text is about; empty for pauses, generic words and numbers."""
    if word == PAUSE:
        return ""
    s = stem(word.replace("'s", "").replace("'", ""))
    return s if s not in _GENERIC and len(s) > 2 and not s.isdigit() else ""


# --- introductions ------------------------------------------------------------------------------


def introductions(text: str) -> list[Introduction]:
    """The project introductions of one turn of the interviewee, in order."""
    return list(_introductions(text))


@lru_cache(maxsize=16384)  # coders' copies of one interview repeat its turns
def _introductions(text: str) -> tuple[Introduction, ...]:
    sentences = re.split(r"(?<=[.?!])\s+", text.strip())
    words: list[str] = []
    starts: list[int] = []
    for sentence in sentences:
        starts.append(len(words))
        words += token_tuple(sentence)
        words.append(END)
    words = _drop_repeats(words)
    found: list[tuple[int, Introduction]] = []
    for i in range(len(words)):
        for rule in _RULES.get(words[i], ()):
            name = rule(words, i)
            if name is not None:
                part = rule is _goal or (rule in (_maker, _possessive) and _generic_object(words, i))
                found.append((i, Introduction(name, _sentence_at(words, i), part)))
                break
    # One phrase, one introduction: a rule firing inside the words another one has just named
    # ("working on computer vision, by developing a web application to count ...") adds to it.
    merged: list[tuple[int, int, Introduction]] = []
    for start, intro in found:
        end = start + len(intro.name.split()) + 6
        if merged and start <= merged[-1][1] and intro.sentence == merged[-1][2].sentence:
            first = merged[-1][2]
            name = first.name or intro.name
            if first.name and intro.name and not content_stems(first.name) & content_stems(intro.name):
                # Two parts of one description: "working on computer vision, by developing a web application".
                name = f"{first.name}: {intro.name}"
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]), Introduction(name, first.sentence, first.part))
        else:
            merged.append((start, end, intro))
    return tuple(intro for _, _, intro in merged)


def _generic_object(words: list[str], i: int) -> bool:
    """Whether the project word introduced at ``i`` is a generic one (model, system, algorithm)."""
    for k in range(i, min(len(words), i + 8)):
        if words[k] in PROJECT_NOUNS:
            return words[k] in GENERIC_NOUNS
    return False


def _drop_repeats(words: list[str]) -> list[str]:
    """Restarts the speaker made ("a, a mobile, a web application"): pauses and repeated words out."""
    out: list[str] = []
    for word in words:
        if word == PAUSE and out and out[-1] in INDEFINITE | POINTING | PARTICLES | {"to", "and"}:
            continue
        if out and word == out[-1] and word != END:
            continue
        out.append(word)
    return out


def _sentence_at(words: list[str], i: int) -> str:
    start = i
    while start > 0 and words[start - 1] != END:
        start -= 1
    end = i
    while end < len(words) and words[end] != END:
        end += 1
    return phrase(words[start:end])


def _first_person_before(words: list[str], i: int) -> bool:
    """A first-person subject shortly before position ``i``, with no other subject in between.

    A sentence that opens with the verb ("And, make some model to predict ...") continues the
    subject of the sentence before: speech drops a subject it has just said.
    """
    reach = 0
    for k in range(i - 1, -1, -1):
        word = words[k]
        if word == END:
            opening = all(w in {PAUSE, "and", "so", "then", "also"} for w in words[k + 1 : i])
            # Backchannels ("Okay. Yeah.") between the two sentences do not change the subject.
            while opening and k > 0:
                previous = k - 1
                while previous > 0 and words[previous - 1] != END:
                    previous -= 1
                if not all(w in BACKCHANNELS for w in words[previous:k]):
                    break
                k = previous - 1
            return opening and k > 0 and words[k] == END and _first_person_before(words, k)
        if word in SUBJECTS:
            return True
        if word in OTHER_SUBJECTS and reach < 3:
            return False  # "you build a model": someone else made it
        if word != PAUSE:
            reach += 1
            if reach > SUBJECT_REACH:
                return False
    return False


def _maker(words: list[str], i: int) -> str | None:
    """"I built a system to read plates", "we have done some weather projects", "I work on a graduation project"."""
    having = words[i] in HAVING
    if not (words[i] in MAKING or having) or not _first_person_before(words, i) or _negated(words, i):
        return None
    j = i + 1
    while j < len(words) and words[j] in PARTICLES:
        j += 1
    if j >= len(words):
        return None
    if words[j] in PROJECT_NOUNS and _purpose(words, j + 1, bare=True):
        # No article, as in much second-language speech: "make model predicting answers".
        return _name(words, j + 1, head=[words[j]])
    if words[j] not in INDEFINITE:
        # "working on computer vision", "working on the evaluation of video quality": a topic worked on.
        if words[i] in WORKING and j > i + 1 and words[i + 1] == "on":
            if words[j] == "the" and j + 2 < len(words) and words[j + 2] == "of":
                j += 1
            if words[j] not in POINTING and words[j] not in {END, PAUSE}:
                return _name(words, j) or None
        return None
    modifiers: list[str] = []
    k = j + 1
    if words[k : k + 2] == ["couple", "of"]:  # "a couple of"
        k += 2
    elif k < len(words) and words[k] == "of":  # "couple of"
        k += 1
    elif words[j] == "a" and k < len(words) and words[k] == "in":  # "an" heard as "a in"
        k += 1
    while k < len(words) and k - j <= 6:
        word = words[k]
        if word in PROJECT_NOUNS and k + 1 < len(words) and words[k + 1] in PROJECT_NOUNS:
            modifiers.append(word)  # "chatbot projects", "recommendation system"
            k += 1
            continue
        if word in PROJECT_NOUNS:
            if having and (word not in GENERIC_NOUNS or not _purpose(words, k + 1)):
                return None  # "we have a tool that ...": only a made thing with its purpose
            if words[j] in NUMBERS or words[j + 1 : j + 2] == ["couple"]:
                # "I mainly work on two applications": a list announced, named by its items.
                return _name(words, k + 1, head=modifiers + [word], tail=False)
            if word in GENERIC_NOUNS and not content_stems(" ".join(modifiers)):
                return _name(words, k + 1, head=modifiers + [word]) or None if _purpose(words, k + 1) else None
            return _name(words, k + 1, head=modifiers + [word])
        if word in INDEFINITE or word == PAUSE:
            modifiers = []  # a restart: "a mobile, a web application"
        elif word in _EDGE or word == END:
            return None
        else:
            modifiers.append(word)
        k += 1
    return None


def _in_charge(words: list[str], i: int) -> str | None:
    """"I was in charge of developing workflows to detect deposits", "we are responsible for ..."."""
    if words[i : i + 3] == ["in", "charge", "of"]:
        k = i + 3
    elif words[i : i + 2] == ["responsible", "for"]:
        k = i + 2
    else:
        return None
    if not _first_person_before(words, i) or _negated(words, i):
        return None
    return _name(words, k) or None


def _negated(words: list[str], i: int) -> bool:
    """"I do not have much experience on deploying a system": nothing was made."""
    for k in range(i - 1, max(-1, i - 7), -1):
        if words[k] in {END, PAUSE}:
            return False
        if words[k] in NEGATIONS:
            return True
    return False


def _purpose(words: list[str], k: int, bare: bool = False) -> bool:
    """A purpose after a generic project word: "to read", "for detecting", "that detects", "which helps".

    ``bare``: after a project word without an article, a participle is one too ("model predicting").
    """
    while k < len(words) and words[k] in AUXILIARIES | {"like", "once", PAUSE}:
        k += 1
    if bare and k < len(words) and words[k].endswith("ing") and words[k] not in _EDGE:
        return True
    if k + 1 >= len(words) or words[k] not in PURPOSE:
        return False
    following = words[k + 1]
    if words[k] == "for":
        return following.endswith("ing")
    return following not in COPULAS | POINTING | INDEFINITE | {END, PAUSE, "data"} and following not in _EDGE - {"to"}


def _enumeration(words: list[str], i: int) -> str | None:
    """"one is X", "the other main project was X", "the second one is X", "one of them is X"."""
    if i > 0 and words[i - 1] not in {END, PAUSE, "and", "so", "then", "also", "that"}:
        return None
    for opener in ORDINAL_OPENERS:
        if tuple(words[i : i + len(opener)]) != opener:
            continue
        k = i + len(opener)
        while k < len(words) and k - i <= len(opener) + 3 and words[k] not in COPULAS:
            if words[k] not in PROJECT_NOUNS | {"main", "major", "one", "big", "other", "second", "thing"}:
                return None
            k += 1
        if k >= len(words) or words[k] not in COPULAS:
            return None
        # The list must be about projects: a project word in the opener or shortly before it.
        window = words[max(0, i - 25) : k]
        if LISTING_NOUNS.isdisjoint(window):
            return None
        if k + 1 < len(words) and words[k + 1] in SUBJECTS:
            return None  # "one is I'm managing some projects": an activity of the speaker, not a project
        return _name(words, k + 1)
    return None


def _one_of_the(words: list[str], i: int) -> str | None:
    """"in one of the models I created, I was predicting whether ..."; "a project I'm working on, we have a tool ..."."""
    k = None
    if words[i : i + 3] == ["one", "of", "the"] and i + 3 < len(words) and words[i + 3] in PROJECT_NOUNS:
        k = i + 4
    elif words[i] in {"a", "another"} and i + 1 < len(words) and words[i + 1] in {"project", "projects"}:
        k = i + 2
    if k is None:
        return None
    # A relative clause with a first-person maker: "(that) I created", "I'm working on".
    m = k + (1 if k < len(words) and words[k] == "that" else 0)
    if m >= len(words) or words[m] not in SUBJECTS:
        return None
    m += 1
    while m < len(words) and words[m] in AUXILIARIES:
        m += 1
    if m >= len(words) or words[m] not in MAKING:
        return None
    m += 1
    while m < len(words) and words[m] in PARTICLES | {"right", "now", "currently", "there"}:
        m += 1
    # What follows the relative clause says what the project is.
    while m < len(words) and words[m] in {PAUSE, "which", "that", "is", "was", "so"} | SUBJECTS | AUXILIARIES:
        m += 1
    if m < len(words) and words[m] in {"to", "for"}:
        m += 1
    return _name(words, m)


def _speaking_about(words: list[str], i: int) -> str | None:
    """"I'm speaking about a forecasting project": named by its modifiers."""
    if words[i] not in SPEECH or i + 2 >= len(words) or words[i + 1] != "about" or words[i + 2] not in INDEFINITE:
        return None
    k = i + 3
    modifiers = []
    while k < len(words) and words[k] not in PROJECT_NOUNS and k - i < 7:
        if words[k] in _EDGE or words[k] in {END, PAUSE}:
            return None
        modifiers.append(words[k])
        k += 1
    if k < len(words) and words[k] in PROJECT_NOUNS:
        return _name(words, k + 1, head=modifiers + [words[k]], tail=False)
    return None


def _client(words: list[str], i: int) -> str | None:
    """"I was working with a company that would like to understand X": a client engagement."""
    if words[i] not in WORKING or not _first_person_before(words, i):
        return None
    k = i + 1
    # "I was working last year and a couple of months ago, with a company that ..."
    while k < len(words) and k - i <= 10 and words[k] not in {"with", "for", END}:
        k += 1
    if k >= len(words) or words[k] not in {"with", "for"}:
        return None
    k += 1
    if k < len(words) and words[k] in INDEFINITE:
        k += 1
    if k >= len(words) or words[k] not in CLIENTS:
        return None
    k += 1
    if k >= len(words) or words[k] not in {"that", "which", "who"}:
        return None
    k += 1
    start = k
    while k < len(words) and k - start < 4 and words[k] in WANTING | {"to", "us", "me"}:
        k += 1
    return _name(words, k) if k > start else None


def _goal(words: list[str], i: int) -> str | None:
    """"In the end, we try to predict the time when an engine will need maintenance": what a project is for.

    Said right after a project's introduction it is part of that project (``part``), else it is one.
    """
    if words[i] not in AIMING or not _first_person_before(words, i) or _negated(words, i):
        return None
    k = i + 1
    if k < len(words) and words[k] == "to":
        k += 1
    if k >= len(words) or words[k] not in TASKS:
        return None
    return _name(words, k) or None


def _helping(words: list[str], i: int) -> str | None:
    """"I'm helping customers with these settings", "I help energy companies forecast demand": consulting work."""
    if words[i] not in HELPING or not _first_person_before(words, i) or _negated(words, i):
        return None
    k = i + 1
    if k < len(words) and words[k] in {"our", "the", "my", "some"}:
        k += 1
    clients = CLIENTS | {"companies", "businesses", "teams", "organisations", "organizations"}
    if k + 1 < len(words) and words[k] not in clients and words[k + 1] in clients and words[k] not in _EDGE:
        k += 1  # "energy companies"
    if k + 1 >= len(words) or words[k] not in clients or words[k + 1] in {END, PAUSE} | COPULAS:
        return None
    return _name(words, k + 1, head=words[i : k + 1])


def _offering(words: list[str], i: int) -> str | None:
    """"we offer the GPT three model": a product of the speaker's team."""
    if words[i] not in OFFERING or i == 0 or words[i - 1] != "we" or _negated(words, i):
        return None
    for k in range(i + 1, min(len(words), i + 7)):
        if words[k] in {END, PAUSE}:
            return None
        if words[k] in PROJECT_NOUNS - {"solution", "solutions", "service"}:
            return _name(words, i + 1, head=None, stop=k + 1) or None
    return None


def _possessive(words: list[str], i: int) -> str | None:
    """"My thesis is in categorical based data", "our model to do the unsupervised clustering",
    "my work is a computer vision system that reads labels"."""
    if words[i] not in {"my", "our"}:
        return None
    if i + 2 < len(words) and words[i + 1] in {"work", "focus"} and words[i + 2] in COPULAS:
        # "Most of my work is a computer vision system that reads parcel labels".
        start = i + 3 + (1 if i + 3 < len(words) and words[i + 3] in {"on", "in", "about"} else 0)
        described = words[start : start + 8]
        if PROJECT_NOUNS.intersection(described) or any(w.endswith("ing") for w in described[:2]):
            return _name(words, start) or None
        return None
    modifiers: list[str] = []
    k = i + 1
    while k < len(words) and k - i <= 3 and words[k] not in PROJECT_NOUNS:
        if words[k] in _EDGE or words[k] in {END, PAUSE}:
            return None
        modifiers.append(words[k])
        k += 1
    if k >= len(words) or words[k] not in PROJECT_NOUNS or words[k] in GENERIC_NOUNS - {"model", "system"}:
        return None
    noun = words[k]
    if noun not in {"thesis", "dissertation"} | GENERIC_NOUNS and not content_stems(" ".join(modifiers)):
        return None  # "my project is ...": a project already introduced
    if noun in GENERIC_NOUNS:
        return _name(words, k + 1, head=modifiers + [noun]) if _purpose(words, k + 1) else None
    # "my thesis here at University X is in ...": what it is, after the copula.
    for m in range(k + 1, min(len(words), k + 8)):
        if words[m] in {END}:
            break
        if words[m] in COPULAS:
            start = m + 1 + (1 if m + 1 < len(words) and words[m + 1] in {"in", "on", "about"} else 0)
            about = _name(words, start)
            return f"{phrase(modifiers + [noun])} on {about}" if about else None
    return None


def _name(
    words: list[str], start: int, head: list[str] | None = None, tail: bool = True, stop: int | None = None
) -> str:
    """The project's name: ``head`` and the clause from ``start``, trimmed; empty when it says nothing."""
    clause: list[str] = []
    k = start
    limit = len(words) if stop is None else stop
    while tail and k < limit and len(clause) < NAME_WORDS:
        word = words[k]
        enough = len(content_stems(" ".join(clause))) >= 2
        if word == END:
            # Transcribers put full stops at pauses: "a company that would like to understand. How their ...",
            # "I work on a project. For detecting the crack in the street".
            if enough or stop is not None or k + 1 >= len(words) or words[k + 1] not in CONTINUING:
                break
            k += 1
            continue
        # A name that says nothing yet goes on ("predict the time when an engine needs maintenance").
        if (word in CLAUSE_ENDS and enough) or (word == PAUSE and (enough or (k + 1 < len(words) and words[k + 1] in SUBJECTS))):
            break
        if word == "as" and k + 1 < len(words) and words[k + 1] in SUBJECTS | OTHER_SUBJECTS:
            break  # "a recommender system, as you mentioned"
        # "and also we have been working on ...": a new clause; "image quality and video evaluation": one name.
        if word == "and" and k + 1 < len(words) and words[k + 1] in SUBJECTS | {"also", "then", "the", "so"} and clause:
            break
        if word != PAUSE:
            clause.append(word)
        k += 1
    if not head and "order" not in clause:
        # A long-winded start ("in charge of carry out and of developing workflows in Azure ML in order to
        # detect deposits"): the purpose, further in the sentence, names it.
        ahead = words[k : k + 12]
        if ahead and END not in ahead[: _index(ahead, "order")] and _index(ahead, "order") < len(ahead):
            at = _index(ahead, "order")
            if ahead[at - 1 : at] == ["in"] and ahead[at + 1 : at + 2] == ["to"]:
                return _name(words, k + at + 2)
    if "order" in clause:
        # "developing workflows in Azure ML in order to detect deposits": the purpose names it.
        at = clause.index("order")
        if clause[at - 1 : at] == ["in"] and clause[at + 1 : at + 2] == ["to"]:
            clause = (clause[: at - 1] if at - 1 <= 3 and not head else []) + ["to"] + clause[at + 2 :]
            if not head and clause[0] == "to":
                clause = clause[1:]
    while clause and clause[0] in COPULAS:
        clause.pop(0)
    if head:
        # "projects related with NLP to create ...": after a head, only fillers go.
        while clause and clause[0] in {"like", "once", "basically", "actually", "also", "just"}:
            clause.pop(0)
    else:
        # "is a system to read plates": the name starts at its first content word.
        while clause and clause[0] in _EDGE:
            clause.pop(0)
    body = (head or []) + clause
    while body and body[0] in _EDGE:
        body.pop(0)
    while body and body[-1] in _EDGE:
        body.pop()
    name = phrase(body)
    return name if content_stems(name) else ""


def _index(words: list[str], word: str) -> int:
    return words.index(word) if word in words else len(words)


# Each rule fires on its first word only: the words that can start one, and the rules to try there.
_RULES: dict[str, tuple] = {}
for _rule, _starts in (
    (_maker, MAKING | HAVING),
    (_enumeration, {opener[0] for opener in ORDINAL_OPENERS}),
    (_one_of_the, {"one", "a", "another"}),
    (_speaking_about, SPEECH),
    (_client, WORKING),
    (_helping, HELPING),
    (_offering, OFFERING),
    (_possessive, {"my", "our"}),
    (_in_charge, {"in", "responsible"}),
    (_goal, AIMING),
):
    for _start in _starts:
        _RULES[_start] = (*_RULES.get(_start, ()), _rule)


# --- projects of a transcript -------------------------------------------------------------------


def find_projects(view: TranscriptView) -> list[ProjectFinding]:
    """The projects of one transcript, each with a name, its excerpts and its domain."""
    projects: list[ProjectFinding] = []
    pending: tuple[int, ExcerptView, Introduction] | None = None
    introduced: dict[str, list[ProjectFinding]] = {}
    recent: dict[str, ProjectFinding] = {}  # the excerpts right at the last introduction, and its project
    for index, excerpt in enumerate(view.excerpts):
        if excerpt.role == INTERVIEWER:
            continue  # only the interviewee introduces projects; the interviewer's words only point back
        for intro in introductions(excerpt.text):
            content = content_stems(intro.name)
            if not content:
                if pending is None or index - pending[0] > PENDING_REACH:
                    pending = (index, excerpt, intro)
                continue
            project = _same(projects, content, content_stems(intro.sentence))
            if project is None and intro.part and excerpt.id in recent:
                # "I work on a graduation project for glasses ... I make my own algorithm to detect obstacles".
                project = recent[excerpt.id]
                introduced.setdefault(excerpt.id, []).append(project)
                continue
            if project is None:
                project = ProjectFinding(_project_id(view.interview, intro.name), view.interview, intro.name, content)
                project.sentence_content = content_stems(intro.sentence)
                projects.append(project)
                if pending is not None and index - pending[0] <= PENDING_REACH:
                    # "a specific project that we did" ... "a forecasting project": one project.
                    project.introductions.append(pending[2].sentence)
                    introduced.setdefault(pending[1].id, []).append(project)
            pending = None
            project.introductions.append(intro.sentence)
            introduced.setdefault(excerpt.id, []).append(project)
            recent = {excerpt.id: project}
            if index + 1 < len(view.excerpts):
                recent[view.excerpts[index + 1].id] = project
    # The domain from the words of the introductions and the passages that name the project, then the
    # passages again, now also through the domain's cues, and the domain from all of them.
    _link_excerpts(view, projects, introduced, by_cues=False)
    # Only where the project is named (and the turn right after): later turns bring their own topics.
    for by_cues in (True, False):
        for project in projects:
            body = [e.text for e in project.named_in if e.role != INTERVIEWER]
            project.decision = decide(project.introductions, body)
        if by_cues:
            for project in projects:
                project.excerpts, project.named_in = [], []
            _link_excerpts(view, projects, introduced, by_cues=True)
    return projects


def _same(
    projects: list[ProjectFinding], content: frozenset[str], sentence: frozenset[str] = frozenset()
) -> ProjectFinding | None:
    """The known project a new introduction names again: most of the name's content words in common,
    or one of them and :data:`SAME_SENTENCE` of the introducing sentences' content words."""
    for project in projects:
        shared = len(project.content & content)
        smaller = min(len(project.content), len(content))
        if shared and shared >= SAME_PROJECT * smaller and shared >= min(MIN_SHARED, smaller):
            return project
        if shared and len(project.sentence_content & sentence) >= SAME_SENTENCE:
            return project
    return None


def _link_excerpts(
    view: TranscriptView, projects: list[ProjectFinding], introduced: dict[str, list[ProjectFinding]], by_cues: bool
) -> None:
    """ABOUT: the excerpts that introduce or name a project, and the interviewee's turns that follow.

    A project is named again by the distinctive words of its name (those no other project of the
    interview has): two of them, or one said in few turns of the interview. Once one project alone is named, the
    interviewee's next turns are about it
    (people go on about the project they just named) until another is named, for at most
    :data:`CARRY` turns; a turn naming several projects (a list of them) sets none as current.
    The interviewer's turns are about a project only when they name it. With ``by_cues``, a turn
    that names a domain only one project has (two cue words of it, as for deciding a domain) names
    that project.
    """
    distinctive = {p.id: p.content - _shared_content(projects, p) for p in projects}
    # Spelled letters joined, as in the names ("a v m" is "avm").
    said = [_said(e.text) for e in view.excerpts]
    # A word said in few turns ("avm", "thyroid") names its project alone; a common one needs company.
    frequency = Counter(w for words in said for w in words)
    rare = max(RARE_TURNS, len(view.excerpts) * RARE_SHARE // 100)
    # A domain only one project has is named by its cues too ("I like MobileNet" for the vision project).
    holders = Counter(k for p in projects for k in p.decision.keys)
    by_domain = {k: p for p in projects for k in p.decision.keys if holders[k] == 1} if by_cues else {}
    members = {id(p): {id(e) for e in p.excerpts} for p in projects}
    current: ProjectFinding | None = None
    since = 0
    for excerpt, words in zip(view.excerpts, said):
        named = list(introduced.get(excerpt.id, []))
        # (Without such a domain the excerpt's domains are not read: nothing would come of them.)
        for key in (names_domains(excerpt.stemmed) & by_domain.keys()) if by_domain else ():
            if by_domain[key] not in named:
                named.append(by_domain[key])
        for project in projects:
            wanted = distinctive[project.id] & words
            enough = len(wanted) >= min(MIN_SHARED, len(distinctive[project.id]))
            if project not in named and wanted and (enough or any(frequency[w] <= rare for w in wanted)):
                named.append(project)
        if named:
            about = named
            current, since = (named[0], 0) if len(named) == 1 else (None, 0)
            for project in named:
                project.named_in.append(excerpt)
        elif excerpt.role != INTERVIEWER and current is not None and since < CARRY:
            about = [current]
            since += 1
            if since == 1:
                current.named_in.append(excerpt)  # the turn right after: speech runs over paragraph breaks
        else:
            about = []
        for project in about:
            # By identity: the excerpts of one copy are distinct objects with distinct ids, and a
            # dataclass comparison of each one against a project's list costs more than the rest.
            if id(excerpt) not in members[id(project)]:
                members[id(project)].add(id(excerpt))
                project.excerpts.append(excerpt)


def _said(text: str) -> frozenset[str]:
    return content_stems(text)


def _shared_content(projects: list[ProjectFinding], project: ProjectFinding) -> frozenset[str]:
    return frozenset(s for other in projects if other is not project for s in other.content)


def _project_id(interview: str, name: str) -> str:
    return f"{interview}/" + "-".join(re.findall(r"[a-z0-9]+", name.lower())[:8])


def merge_copies(found: list[ProjectFinding]) -> list[ProjectFinding]:
    """One project per project of an interview, whichever of its copies found it.

    Coders' copies of one interview hold the same words, so they find the
    same projects, but a copy's paragraphs may break differently: projects
    of one interview with the same name, or most content words in common,
    are one.
    """
    merged: list[ProjectFinding] = []
    for project in found:
        same = next(
            (m for m in merged if m.interview == project.interview
             and (m.id == project.id or _same([m], project.content) is m)),
            None,
        )
        if same is None:
            merged.append(project)
        else:
            same.excerpts += [e for e in project.excerpts if e not in same.excerpts]
            same.named_in += [e for e in project.named_in if e not in same.named_in]
    return merged
