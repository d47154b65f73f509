"""Who the interviewee is: roles and a short summary from the opening answers.

Interviews open with "tell us about yourself", and that is where people say
what they are ("I am full professor", "I co-founded a startup", "I was
working as a consultant ... I was data scientist"). Roles come from the
vocabulary in ``roles.yaml``, read only in the interviewee's first-person
sentences of the opening part of the interview (a role cue must follow
"I"/"my" within a few words), so "our data scientists" or a later "the data
scientist would..." do not make the interviewee one. The summary is those
same self-descriptions, cleaned of fillers and stutters.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

import yaml

from graph.knowledge.phrases import longest_matches, package_vocabulary
from graph.knowledge.textnorm import clean, stem
from graph.knowledge.transcript import TranscriptView

OPENING_SHARE = 1 / 3  # the part of the transcript counted as the opening
MIN_OPENING = 12  # excerpts, however short the interview
FIRST_PERSON_REACH = 6  # words between "I" and the role cue
SUMMARY_CHARS = 400

ROLES = package_vocabulary("roles.yaml", "roles")
_ROLE_MATCHERS = {key: entry["matchers"] for key, entry in ROLES.items()}
_FIRST_PERSON = frozenset(
    stem(w) for w in yaml.safe_load(resources.files("graph.knowledge").joinpath("roles.yaml").read_text("utf-8"))["first_person"]
)


@dataclass(frozen=True)
class Profile:
    roles: list[str]
    summary: str | None


def _self_roles(stemmed: str) -> list[str]:
    """Roles named in a stemmed sentence shortly after a first-person word."""
    tokens = stemmed.split()
    found = []
    for role, matched in longest_matches(_ROLE_MATCHERS, stemmed):
        start = _token_index(tokens, matched.split())
        if start is not None and any(t in _FIRST_PERSON for t in tokens[max(0, start - FIRST_PERSON_REACH) : start]):
            found.append(role)
    return found


def _token_index(tokens: list[str], needle: list[str]) -> int | None:
    for i in range(len(tokens) - len(needle) + 1):
        if tokens[i : i + len(needle)] == needle:
            return i
    return None


def profile(view: TranscriptView) -> Profile:
    """Roles (in order of mention) and summary of the interviewee of one transcript."""
    opening = view.excerpts[: max(MIN_OPENING, int(len(view.excerpts) * OPENING_SHARE))]
    roles: list[str] = []
    statements: list[str] = []
    for excerpt in opening:
        if not excerpt.speaks_for_interviewee:
            continue
        for sentence in excerpt.sentences:
            found = _self_roles(sentence.stemmed)
            if found:
                roles += [r for r in found if r not in roles]
                statements.append(clean(sentence.text))
    summary = " ".join(statements)
    if len(summary) > SUMMARY_CHARS:
        summary = summary[: SUMMARY_CHARS - 1].rsplit(" ", 1)[0] + "…"
    return Profile(roles, summary or None)
