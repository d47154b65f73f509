"""What the interviewee did or does, read from a sentence as short action phrases in their words.

A fix-coded passage says *that* the interviewee describes a fix; this module
finds *what* they did: "we just dropped the record", "what we did was to
remove the whole record", "solve the issue by making an algorithm to fix
the lighting", "use fewer features", "we'll take the same individual and
manipulate a couple of variables". Without a statistical parser (none ships
on the package index with its model), a clause is read by rules over the
words and the parts of speech each word can take (:mod:`.lemmas`):

- a subject (I, we, you, they, the team) then auxiliaries, modals and
  adverbs ("we'll", "have to", "try to", "just", "usually"), then a verb;
- a reported action: "what we did was (to) V", "the solution was to V";
- "by V-ing ..." (the means of a verb like solve, address, handle);
- an imperative at the start of a sentence ("use fewer features",
  "let's look for another provider");
- "X should be V-ed" (a prescription);
- "... and (then) V ..." continuing any of these with the same subject.

The verb's object runs to the end of the clause (punctuation, a new
subject, a subordinating word, "instead of"), so the phrase is the verb and
its object as the interviewee said them, at most :data:`MAX_PHRASE_CHARS`
characters. A clause is negated by "not", "never", "no longer" or "yet to"
in its auxiliaries ("we have yet to use any tools"); negated actions are
kept apart from their positive form (their phrase starts with "not").

Each action gets a score for how surely it states a concrete practice: how
it was said (a reported action beats a bare clause), whether the verb
carries meaning ("do", "make", "take" do not by themselves; "think",
"know", "see" are not actions; "address", "deal with" name the problem,
not the fix) and how much its object says (a pronoun alone says nothing).

Questions and sentences not in English state no action here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from graph.knowledge.lemmas import can_be, lemma, parts_of_speech
from graph.knowledge.textnorm import FILLERS

__all__ = [
    "MAX_PHRASE_CHARS",
    "MAX_OBJECT_WORDS",
    "ACTION_SCORE",
    "EFFORT_BONUS",
    "SUBJECTS",
    "NOT_ACTIONS",
    "META_VERBS",
    "WEAK_VERBS",
    "PREFERENCE_VERBS",
    "VERB_CLASS",
    "Token",
    "Action",
    "tokens",
    "is_english",
    "is_question",
    "read_actions",
    "best_action",
]

MAX_PHRASE_CHARS = 60
MAX_OBJECT_WORDS = 12
# An action this sure at least states a concrete practice (see :func:`_score`).
ACTION_SCORE = 2.0
EFFORT_BONUS = 0.5

SUBJECTS = frozenset({"i", "we", "you", "they"})
_TEAM_NOUNS = frozenset({"team", "teams", "company", "colleagues", "engineers", "client", "customer"})
_MODALS = frozenset({"will", "would", "can", "could", "should", "shall", "may", "might", "must", "ca"})
_ADVERBS = frozenset("""
just also usually typically normally always sometimes often probably directly then really basically actually
eventually mostly mainly simply still already now first finally generally definitely manually obviously only even
all both either again later immediately quickly mostly initially originally personally ourselves myself essentially
""".split())
# Verbs taking "to" + verb that leave the action to the next verb.
_CATENATIVES = frozenset(lemma(w) for w in """
have need try want use go get decide start begin tend manage prefer like choose plan able continue attempt
""".split())
_NEGATIONS = frozenset({"not", "never", "no"})
_EFFORT = frozenset(lemma(w) for w in "have need try".split())
_BE = frozenset({"be", "am", "is", "are", "was", "were", "been", "being"})
_HAVE = frozenset({"have", "has", "had", "having"})
_DO = frozenset({"do", "does", "did"})
# Not actions: states, thoughts, talk, perception, and verbs that name the problem.
NOT_ACTIONS = frozenset(lemma(w) for w in """
be think know mean guess say tell see notice face remember want like love hate need feel believe hope seem
understand suppose encounter mention wonder agree happen become sound matter care expect realize imagine assume
call speak answer question mind bother suffer struggle experience find occur exist depend
consider wish regret forget learn hear read watch wait let thank sorry cause lose miss fail worry claim state argue
pretend wonder seek aim strive desire work own possess belong
""".split())
# Verbs that name the problem they act on ("address the issue"): the means come after "by".
META_VERBS = frozenset(
    lemma(w) for w in "address deal handle cope solve tackle overcome manage mitigate resolve fight treat".split()
)
# Verbs that say little on their own: the object must carry the meaning.
WEAK_VERBS = frozenset(lemma(w) for w in """
do make get go take put come keep give start stick work run try turn end bring look play hold leave
show help
""".split())
PREFERENCE_VERBS = frozenset(lemma(w) for w in "like prefer recommend choose pick favour favor".split())
_MARKERS = frozenset("""
yeah yes so okay ok well and also but then just basically maybe probably or first second third right exactly sure
now actually honestly because oh like um uh hmm generally usually normally typically sometimes often
""".split())
_CLAUSE_ENDS = frozenset("""
because but although though while whereas unless until if when whenever since so where why how whether
""".split())
_CUTS = ("instead of", "rather than", "in order to", "so that", "such that", "in order for")
_OBJECT_STARTERS = frozenset("""
a an the this that these those some any all our my your their its his her it them him us me everything
something anything each every several many more less much one two three four five few other another
to in on into onto at for with from by through about up down out off over around back away
""".split())
_FUNCTION_WORDS = frozenset("""
a an the this that these those some any of to in on into onto at for with from by and or as such like than
about up out off over around our my your their its his her it them us me is are was were be been so then just
also very really kind sort bit lot one too called named
""".split())
# Words that say nothing about which practice is meant, for keys and the content test.
_EMPTY = frozenset(lemma(w) for w in """
thing things stuff way ways lot lots kind sort bit part something everything anything nothing someone somebody
everybody everyone people one case cases type types example instance time times point side aspect approach
couple whole entire same different other another more less much many few several some certain specific various
own ourselves myself themselves itself new simple simpler basic call general particular right good better best little big
first second also again
that this these those it them they we you i he she him her us me my our your their its his what which who
two three four five six seven eight nine ten hundred all every each any no
""".split()) | _FUNCTION_WORDS
# Comparatives say what changes ("use fewer features"): content for the score, not for the key.
_COMPARATIVES = frozenset("fewer less more smaller simpler larger bigger lighter cheaper faster".split())
_EMBEDDED = frozenset("whether if how what who why when where".split())
_PROBLEM = frozenset(lemma(w) for w in "problem issue issues question challenge difficulty trouble concern idea".split())
_DEMONSTRATIVES = frozenset({"it", "this", "that", "these", "those", "them"})
# Verbs said in many ways for one act, read as one when grouping strategies.
_VERB_CLASSES = {
    "remove": "remove drop delete discard exclude eliminate throw erase",
    "use": "use employ utilize utilise leverage apply adopt",
    "build": "build create develop implement write design construct code",
    "check": "check verify validate inspect review examine audit",
    "compare": "compare contrast",
    "collect": "collect gather acquire obtain",
    "add": "add introduce include insert",
    "change": "change switch replace swap migrate",
    "test": "test evaluate assess measure",
    "train": "train retrain",
    "clean": "clean cleanse",
    "monitor": "monitor track watch",
    "reduce": "reduce decrease lower limit cut shrink",
    "increase": "increase raise enlarge expand",
}
VERB_CLASS = {lemma(v): key for key, verbs in _VERB_CLASSES.items() for v in verbs.split()}

_ENGLISH = frozenset("the and is are was were we i you it that this to of in for with have not what they be do".split())
_OTHER_LANGUAGES = frozenset("""
les des une est et dans pour que qui pas sur avec nous vous ils elle mais donc ou aussi tout faire fait peut
el los las una es y en por con para pero del al lo como muy
der die das und ist nicht ein eine mit auf
""".split())
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:['\u2019][A-Za-z]+)?|[.,;:?!]")
_PUNCT = frozenset(".,;:?!")


@dataclass(frozen=True)
class Token:
    surface: str
    low: str
    lemma: str

    @property
    def punct(self) -> bool:
        return self.low in _PUNCT


@dataclass(frozen=True)
class Action:
    """One action clause: its phrase in the speaker's words and what it means for grouping."""

    phrase: str  # the verb and its object as said ("not ..." when negated), <= MAX_PHRASE_CHARS
    verb: str  # lemma of the verb
    content: tuple[str, ...]  # lemmas of the content words of verb and object, in order
    negated: bool
    frame: str  # how it was said: reported, means, subject, imperative, prescribed, and
    score: float
    start: int  # token index of the verb in the sentence
    lemmas: str  # lemma text of the clause (verb and object), for naming by the catalog
    effort: bool = False  # said with "have to", "need to", "try to"

    @property
    def key(self) -> str:
        """Same key, same strategy: polarity, the verb's class, the object's content lemmas (sorted)."""
        verb = VERB_CLASS.get(self.verb, self.verb)
        rest = sorted(set(self.content[1:]) - {self.verb, verb})
        return "-".join((["not"] if self.negated else []) + [verb] + rest)

    @property
    def is_strategy(self) -> bool:
        return self.score >= ACTION_SCORE


def _expand(surface: str) -> list[Token]:
    low = surface.lower().replace("\u2019", "'")
    if low in _PUNCT:
        return [Token(surface, low, low)]
    pieces: list[tuple[str, str]]
    # Each piece shows as its word: a phrase starting at "we've" shows "have ...".
    if low == "cannot":
        pieces = [("can", "can"), ("not", "not")]
    elif low in ("gonna", "wanna", "gotta"):
        verb = {"gonna": "going", "wanna": "want", "gotta": "got"}[low]
        pieces = [(verb, verb), ("to", "to")]
    elif "'" in low:
        base, _, tail = low.partition("'")
        shown = surface[: len(base)]
        if tail == "t" and base.endswith("n"):
            base = {"ca": "can", "wo": "will", "sha": "shall"}.get(base[:-1], base[:-1])
            pieces = [(base, base), ("not", "not")]
        elif tail == "s":
            if base in _IS_CONTRACTED:
                word = "us" if base == "let" else "is"
                pieces = [(shown, base), (word, word)]
            else:
                pieces = [(surface, base)]  # a possessive: shown as said
        else:
            word = {"ve": "have", "ll": "will", "re": "are", "m": "am", "d": "would"}.get(tail)
            pieces = [(shown, base)] + ([(word, word)] if word else [])
    else:
        pieces = [(surface, low)]
    return [Token(s, w, lemma(w)) for s, w in pieces]


# Words after which a comma is a pause in speech: the phrase goes on.
_NO_PAUSE = frozenset("""
a an the by of to for with as such and or is are was were be been have has had do did does can could will would
should must called named our my your their this these those some any in on at from into onto about like
between among across through via using including than over under within per
""".split())
_IS_CONTRACTED = frozenset("it that what there here he she who where this let".split())


@lru_cache(maxsize=65536)
def tokens(sentence: str) -> tuple[Token, ...]:
    """The sentence's words and punctuation, fillers and stutters removed, contractions spelled out.

    A filler takes the comma before it along ("we have, uh, a method" reads
    "we have a method"), and a repeated run of up to three words is said once
    ("we, we, we loaded" reads "we loaded"): speech-to-text punctuates pauses.
    """
    out: list[Token] = []
    spoken: list[int] = []  # indices of the words in ``out`` (punctuation left out)
    after_filler = False
    for surface in _TOKEN.findall(sentence):
        if surface.lower() in FILLERS:
            if out and out[-1].low == ",":
                out.pop()
            after_filler = True
            continue
        if after_filler and surface == ",":
            continue
        after_filler = False
        for token in _expand(surface):
            if token.punct and out and (out[-1].punct or (token.low == "," and out[-1].low in _NO_PAUSE)):
                continue  # "by, making", "we were, testing": a pause, not a boundary
            out.append(token)
            if not token.punct:
                spoken.append(len(out) - 1)
                _collapse(out, spoken)
    return tuple(out)


def _collapse(out: list[Token], spoken: list[int]) -> None:
    """Drop the last run of words if it repeats the run just before it (commas between ignored)."""
    for n in range(1, 4):
        if len(spoken) < 2 * n:
            return
        last, before = spoken[-n:], spoken[-2 * n : -n]
        if all(out[a].low == out[b].low for a, b in zip(last, before)):
            del out[before[-1] + 1 :]
            del spoken[-n:]
            return


def is_english(words: tuple[Token, ...]) -> bool:
    """Whether more of the function words are English than of French, Spanish or German."""
    lows = [t.low for t in words]
    return sum(w in _ENGLISH for w in lows) >= sum(w in _OTHER_LANGUAGES for w in lows)


_TAGS = frozenset("right okay ok no yeah yes correct true huh you know is it is not it does that make sense isnt".split())


def is_question(sentence: str) -> bool:
    """A sentence ending in "?", unless only a tag ("..., right?", "..., you know?") makes it one."""
    text = sentence.rstrip()
    if not text.endswith("?"):
        return False
    tail = text[:-1].rsplit(",", 1)
    return not (len(tail) == 2 and set(re.findall(r"[a-z']+", tail[1].lower())) <= _TAGS)


def _verbish(token: Token) -> bool:
    return not token.punct and can_be(token.low, "VERB")


def _chain(words: tuple[Token, ...], i: int) -> tuple[int, bool, bool]:
    """Skip auxiliaries, modals, catenatives ("have to", "tried to") and adverbs from ``i``.

    Returns the index of the main verb candidate, whether a negation was met,
    and whether an effort was ("have to", "need to", "try to": how people
    describe what their practice demands).
    """
    negated = effort = False
    n = len(words)
    while i < n:
        w = words[i].low
        nxt = words[i + 1].low if i + 1 < n else ""
        if w in _NEGATIONS or (w == "no" and nxt == "longer"):
            negated = True
            i += 2 if nxt == "longer" else 1
        elif w == "yet" and nxt == "to":
            negated, i = True, i + 2
        elif w in _MODALS or w in _ADVERBS:
            i += 1
        elif w == "like" and _coordinated_verb(words, i + 1) and nxt not in _OBJECT_STARTERS:
            i += 1  # "they like introduce a ...", "we have to like guarantee the latency": a filler
        elif w in ("kind", "sort") and nxt == "of":
            i += 2
        elif w in _DO and (nxt in _NEGATIONS or (i + 1 < n and _verbish(words[i + 1]) and nxt not in _OBJECT_STARTERS)):
            i += 1
        elif w in _BE and i + 1 < n and (nxt.endswith("ing") or nxt in _NEGATIONS or nxt in _ADVERBS or nxt == "going"):
            i += 1
        elif w in _BE and nxt == "able":
            i += 2
        elif w in _HAVE and nxt == "to":
            effort, i = True, i + 2
        elif w in _HAVE and i + 1 < n and (nxt in ("been", "got") or nxt in _NEGATIONS or nxt in _ADVERBS
                                           or (_verbish(words[i + 1]) and words[i + 1].lemma != nxt
                                               and (nxt.endswith(("ed", "en", "wn", "ne")) or not can_be(nxt, "NOUN")))
                                           or (nxt == "yet")):
            i += 1
        elif w == "to" and i > 0:
            i += 1
        elif words[i].lemma in _CATENATIVES and nxt == "to":
            effort = effort or words[i].lemma in _EFFORT
            i += 2
        elif words[i].lemma in _CATENATIVES and nxt == "not" and i + 2 < n and words[i + 2].low == "to":
            negated, i = True, i + 3  # "we decided not to use ..."
        elif w == "ended" and nxt == "up" or w == "end" and nxt == "up":
            i += 2
        else:
            break
    return i, negated, effort


def _object_end(words: tuple[Token, ...], start: int) -> int:
    """Index one past the last word of the object of the verb at ``start - 1``."""
    n = len(words)
    i = start
    content = 0
    while i < n and i - start < MAX_OBJECT_WORDS:
        t = words[i]
        w = t.low
        nxt = words[i + 1].low if i + 1 < n else ""
        if t.punct:
            if w != "," or (content and words[i - 1].low not in _FUNCTION_WORDS):
                break
            i += 1
            continue
        if w in SUBJECTS and (i > start or w != "you"):
            break  # a new clause ("what we did is we did, we loaded ..."); "you" can be an object
        if w in ("there", "he", "she", "it") and i > start and (nxt in _BE or nxt in _MODALS or nxt in _HAVE):
            break  # "we use a schedule and there is ...": another clause
        if w in _CLAUSE_ENDS and i > start:
            break
        if any(_starts(words, i, cut) for cut in _CUTS):
            break
        if w in ("not", "never", "without") and i > start:
            break
        if w in ("and", "or") and i > start:
            if nxt in ("then", "so", "also") or nxt in SUBJECTS or _coordinated_verb(words, i + 1):
                break
        if w in ("which", "who") and i > start and not (
            i + 1 < n and _verbish(words[i + 1]) and words[i + 1].low not in _MODALS | _BE | _HAVE | _DO
        ):
            break
        if t.lemma not in _EMPTY:
            content += 1
        i += 1
    return i


def _starts(words: tuple[Token, ...], i: int, phrase: str) -> bool:
    parts = phrase.split()
    return [t.low for t in words[i : i + len(parts)]] == parts


def _coordinated_verb(words: tuple[Token, ...], i: int) -> bool:
    """Whether a verb starts at ``i`` after "and": a new action of the same subject."""
    n = len(words)
    while i < n and words[i].low in ("then", "also", "so", "just", "finally", "we", "i"):
        if words[i].low in ("we", "i"):
            return True
        i += 1
    if i >= n or not _verbish(words[i]) or words[i].lemma in NOT_ACTIONS or words[i].low in _FUNCTION_WORDS:
        return False
    nxt = words[i + 1].low if i + 1 < n else ""
    # A word that can be a noun is a verb here only when an object follows it.
    return not can_be(words[i].low, "NOUN") or nxt in _OBJECT_STARTERS


def _phrase(words: tuple[Token, ...], start: int, end: int, negated: bool) -> str:
    picked = [t.surface for t in words[start:end] if not t.punct and t.surface]
    while picked and picked[-1].lower() in _FUNCTION_WORDS:
        picked.pop()
    head = ["not"] if negated else []
    text = " ".join(head + picked)
    if len(text) > MAX_PHRASE_CHARS:
        cut = text[: MAX_PHRASE_CHARS + 1].rsplit(" ", 1)[0].split()
        while cut and cut[-1].lower() in _FUNCTION_WORDS:
            cut.pop()
        text = " ".join(cut)
    return text


def _score(frame: str, verb: str, objects: list[Token], negated: bool) -> float:
    """How surely the clause states a concrete practice (see the module's docstring)."""
    score = {"reported": 3.0, "means": 2.5, "subject": 2.0, "prescribed": 2.0, "imperative": 1.5}.get(frame, 1.75)
    content = [t for t in objects if not t.punct and (t.lemma not in _EMPTY or t.low in _COMPARATIVES)
               and t.lemma not in NOT_ACTIONS]
    if verb in WEAK_VERBS and len(content) < 3:
        score -= 1.0
    if verb in PREFERENCE_VERBS:
        score -= 1.0
    strong = verb not in WEAK_VERBS and verb not in PREFERENCE_VERBS and VERB_CLASS.get(verb) != "use"
    words = [t for t in objects if not t.punct]
    if not content:
        # "clean it ourselves": a verb that means something still names the practice.
        score -= 0.75 if strong and words and words[0].low in _DEMONSTRATIVES else 2.0
    elif len(words) > 1 and words[0].low in _DEMONSTRATIVES and content[0] is words[1] and len(content) < 2:
        score -= 1.5  # "use that explainability": a reference back to something named before
    if verb in ("have",) or verb in _HAVE:
        score -= 0.5
    if any(t.lemma in _PROBLEM for t in content[:2]):
        score -= 1.0
    if content and not any(can_be(t.low, "NOUN") for t in content):
        score -= 1.0  # "following as closely as possible": how, not what
    if words and words[0].low in _EMBEDDED and VERB_CLASS.get(verb) not in ("check", "test", "monitor", "compare"):
        score -= 1.5  # "predicting whether an individual leaves": a task; "check whether ..." is a practice
    if negated:
        score -= 0.5
    return score + min(len(content), 4) * 0.25


def _clause(words: tuple[Token, ...], verb_at: int, frame: str, negated: bool, effort: bool = False) -> Action | None:
    n = len(words)
    if verb_at >= n:
        return None
    verb = words[verb_at]
    # A word the dictionary does not know ("deduplicate", "containerize") is the verb
    # when it stands where the verb of a subject stands.
    unknown = not verb.punct and not parts_of_speech(verb.low) and verb.low.isalpha() and verb.low not in _FUNCTION_WORDS
    if not _verbish(verb) and not (unknown and frame in ("subject", "reported", "prescribed")):
        return None
    # "What we did was to think about ...": a reported action is one whatever its verb;
    # "by being blind to gender": so is a means, even a state.
    if verb.lemma in _BE and frame != "means":
        return None
    if verb.lemma in NOT_ACTIONS and verb.lemma not in PREFERENCE_VERBS and frame not in ("reported", "means"):
        return None
    if verb.lemma == "run" and verb_at + 1 < n and words[verb_at + 1].low in ("out", "into"):
        return None  # "ran out of memory", "run into issues": what happened, not what was done
    end = _object_end(words, verb_at + 1)
    objects = [t for t in words[verb_at + 1 : end] if not t.punct]
    if verb.lemma in META_VERBS:
        # "solve the issue by V-ing X": the means, read as their own clause, carry the action.
        return None
    if verb.lemma == "have" and (
        not objects or objects[0].low not in _HAVE_OBJECTS
        or not (effort or frame == "prescribed" or any(t.low in _INTRODUCING for t in objects))
    ):
        # "We have a methodology called TDSP", "I have an algorithm that clusters titles",
        # "it should have SLAs", "we need to have a test set": a means;
        # "we have a lot of experience", "they have a complex model": a state.
        return None
    if verb.lemma == "talk" and objects and objects[0].low == "about":
        return None  # "the project I'm talking about": speech about speech
    content = tuple([verb.lemma] + [t.lemma for t in objects if t.lemma not in _EMPTY and not t.punct])
    phrase = _phrase(words, verb_at, end, negated)
    lemmas = " " + " ".join(t.lemma for t in words[verb_at:end] if not t.punct) + " "
    score = _score(frame, verb.lemma, objects, negated) + (EFFORT_BONUS if effort else 0.0)
    return Action(phrase, verb.lemma, content, negated, frame, score, verb_at, lemmas, effort)


_INTRODUCING = frozenset("called named that which who to for".split())
_HAVE_OBJECTS = frozenset("a an one some our this these several two three many multiple different its their my".split())
_REPORT_NOUNS = frozenset(lemma(w) for w in "solution approach strategy idea trick fix remedy answer option plan step".split())


def read_actions(sentence: str) -> list[Action]:
    """Every action clause of a sentence, in order (none for a question or a sentence not in English)."""
    return list(_read_actions(sentence))


@lru_cache(maxsize=65536)  # the coders' copies of an interview repeat its sentences; actions are immutable
def _read_actions(sentence: str) -> tuple[Action, ...]:
    if is_question(sentence):
        return ()
    words = tokens(sentence)
    if not words or not is_english(words):
        return ()
    found: dict[int, Action] = {}
    condition_ends = _condition_end(words)

    def add(action: Action | None) -> None:
        if action is not None and action.start not in found:
            found[action.start] = action
            _coordinated(words, action)

    def _coordinated(words, action: Action) -> None:
        end = _object_end(words, action.start + 1)
        if end < len(words) and words[end].low in ("and", "or"):
            i = end + 1
            while i < len(words) and words[i].low in ("then", "also", "so", "just", "finally"):
                i += 1
            if i < len(words) and words[i].low in SUBJECTS:
                return  # a new subject: read by the subject rule
            if _coordinated_verb(words, end + 1):
                add(_clause(words, i, action.frame, action.negated, action.effort))

    n = len(words)
    for i, t in enumerate(words):
        w = t.low
        nxt = words[i + 1].low if i + 1 < n else ""
        if w in ("and", "or") and found and _coordinated_verb(words, i + 1):
            # "..., and created a way to ...": the same subject goes on, whatever came in between.
            j = i + 1
            while j < n and words[j].low in ("then", "also", "so", "just", "finally"):
                j += 1
            before = found[max(k for k in found if k < i)] if any(k < i for k in found) else None
            if before is not None and j < n and words[j].low not in SUBJECTS:
                add(_clause(words, j, before.frame, before.negated, before.effort))
            continue
        # "what we did was (to) V", "the solution was to V"
        if w in ("is", "was") and i >= 2 and (_reported(words, i) or words[i - 1].lemma in _REPORT_NOUNS):
            j = i + 1
            if j < n and words[j].low == "to":
                j += 1
            if j < n and words[j].low in SUBJECTS:
                continue  # "what we did is we V": the subject rule reads it
            verb_at, negated, effort = _chain(words, j)
            add(_clause(words, verb_at, "reported", negated, effort))
        elif w == "by" and nxt.endswith("ing") and _verbish(words[i + 1]):
            add(_clause(words, i + 1, "means", False))
        elif w in SUBJECTS or (w in ("team", "company") and i > 0 and words[i - 1].low in ("the", "our", "my")):
            if i > 0 and words[i - 1].low == "what":
                continue  # "what we did": the reported rule reads the action
            if i + 1 < n and words[i + 1].low in SUBJECTS:
                continue  # a restart ("we, we did")
            if _subordinate(words, i) or i < condition_ends:
                continue
            verb_at, negated, effort = _chain(words, i + 1)
            add(_clause(words, verb_at, "subject", negated, effort))
        elif w in ("should", "must") or (w in ("has", "have", "need", "needs") and nxt == "to"):
            j = i + (2 if nxt == "to" else 1)
            if j + 1 < n and words[j].low == "be" and words[j + 1].low.endswith(("ed", "en")):
                add(_clause(words, j + 1, "prescribed", False))
        elif w == "let" and nxt == "us":
            verb_at, negated, effort = _chain(words, i + 2)
            add(_clause(words, verb_at, "subject", negated, effort))
    imperative = _imperative_start(words)
    if imperative is not None:
        add(_clause(words, imperative, "imperative", False))
    continued = _continued_start(words)
    if continued is not None:
        add(_clause(words, continued, "subject", False))
    return tuple(found[k] for k in sorted(found))


_SUBORDINATORS = frozenset("how if whether when whenever which who why once what as where while".split())
_SAYING = frozenset(lemma(w) for w in "think say know believe mean guess feel hope sure".split())


def _subordinate(words: tuple[Token, ...], i: int) -> bool:
    """Whether the subject at ``i`` opens an embedded clause ("how long they spend", "the frequency that they switch")."""
    before = [t.low for t in words[max(0, i - 2) : i]]
    if before and before[-1] in _SUBORDINATORS or before[:1] == ["how"]:
        return True
    # "that" after a verb of saying introduces what is said; after a noun, a relative clause.
    return bool(before) and before[-1] == "that" and not (len(before) > 1 and words[i - 2].lemma in _SAYING)


def _reported(words: tuple[Token, ...], i: int) -> bool:
    """Whether words before ``i`` read "what SUBJECT (aux) do/did/tried" (a reported action)."""
    for back in range(2, 6):
        j = i - back
        if j < 0:
            return False
        if words[j].low == "what" and words[j + 1].low in SUBJECTS:
            verbs = {t.lemma for t in words[j + 2 : i]}
            return bool(verbs & {"do", "try", "decide", "usually", "normally", "typically", "end", "have"})
    return False


def _condition_end(words: tuple[Token, ...]) -> int:
    """Where a sentence opening with "if"/"when" reaches its main clause (0 when it does not open so).

    "If you are loading a data frame, and you want to code the categories,
    this will take longer": the clauses up to the main one are the condition,
    not what the speaker does. The main clause is taken to start at the last
    comma before a word that cannot go on the condition (a subject after a
    comma, or "probably", "then").
    """
    i = 0
    while i < len(words) and (words[i].punct or words[i].low in _MARKERS):
        i += 1
    if i >= len(words) or words[i].low not in ("if", "when", "whenever", "once"):
        return 0
    end = 0
    for j in range(i + 1, len(words) - 1):
        if words[j].low == "," and words[j + 1].low in ("then", "probably", "so", "i", "we", "it", "this", "that"):
            end = j
    return end


def _continued_start(words: tuple[Token, ...]) -> int | None:
    """"And also to V ...": a sentence going on with the actions of the one before."""
    i = 0
    joined = False
    while i < len(words) and words[i].low in ("and", "also", "or", "then", "plus", ","):
        joined = joined or words[i].low != ","
        i += 1
    if joined and i + 1 < len(words) and words[i].low == "to":
        return i + 1
    return None


def _imperative_start(words: tuple[Token, ...]) -> int | None:
    """The index of a base-form action verb opening the sentence after discourse markers, if any."""
    i = 0
    n = len(words)
    while i < n and (words[i].punct or words[i].low in _MARKERS):
        i += 1
    if i >= n:
        return None
    t = words[i]
    if not _verbish(t) or t.lemma != t.low or t.lemma in NOT_ACTIONS or t.lemma in _BE or t.lemma in _HAVE:
        return None
    if can_be(t.low, "PRON") or can_be(t.low, "DET") or t.low in _FUNCTION_WORDS:
        return None
    # "Test results were bad": a noun subject, not an imperative.
    following = []
    for later in words[i + 1 : i + 4]:
        if later.punct:
            break
        following.append(later.low)
    if any(w in _BE or w in _HAVE or w in _MODALS or w in _DO for w in following):
        return None
    return i


def best_action(sentence: str) -> Action | None:
    """The clause of the sentence that most surely states a practice, if one does."""
    candidates = [a for a in read_actions(sentence) if a.is_strategy]
    return max(candidates, key=lambda a: (a.score, len(a.content), -a.start), default=None)
