"""Score the store's reading of interviews against a researcher's own reading (gold files).

Researchers check a tool's reading on a sample before they trust it on a
study: they read a few interviews by hand, write down what they found
(``../shared/fixtures/gold/`` shows the layout: roles, projects, and which
strategies address which issues, each with its quote), and ask how much of
it the store holds. This module answers that from the store alone, so it
measures whatever the knowledge layer derived, however it derived it.

A gold file is matched to the Transcript of its ``interview`` and ``coder``
(compared as ids: ``Interview 35``/``PO`` is ``interview-35/po``); a gold file
whose transcript is not in the store is reported as missing, never guessed.
Only that transcript's excerpts count: when the knowledge layer reads another
copy of the interview (a coded consensus copy), a coder's gold scores no links.

Strategies. A *link* is a pair (Mitigation, issue) suggested by excerpts of
that transcript (``SUGGESTS`` with its ``issue``), together with the texts of
the excerpts that suggest it. Only *named* links count: a Mitigation of kind
``unnamed`` is the placeholder "unnamed fix for X", not a strategy. A gold
entry's *issues* are the Issues its ``fix_codes`` are a fix for, together with
the Issue its ``issue`` code indicates (both, because a fix code may be
spelled unlike its issue and the store may join them differently).

- A link's *name matches* an entry when the name is at most
  :data:`MAX_NAME_CHARS` characters (a strategy's name is a short phrase, not
  a sentence that happens to hold a keyword) and contains one of the entry's
  ``keywords`` at the start of a word, case-insensitively.
- Recall: an entry is *found* when a named link on one of its issues has a
  matching name and is suggested (for that issue) by an excerpt whose
  whitespace-normalised text contains the entry's whitespace-normalised
  ``quote`` (the quote rule: the evidence the researcher read is the
  evidence the store gives).
- Precision: the named links of the transcript on the issues of the gold
  entries, counting those whose name matches some gold entry on that issue,
  over all of them. The quote rule does not apply here: a strategy is often
  restated in several passages, and a right link shown with another of its
  passages is still right.
- Links on issues no gold entry names are not judged: the gold file says
  nothing about them.
- Every entry counts whatever its ``provenance``: the gold says what the
  interviewee does, not how a tool should find it.
- An entry without ``keywords`` (the older layout of
  ``interview-35-po.yaml``) takes the stems of the content words of its
  ``mitigation`` name as keywords, so that file is scored by the same rule.

Roles: recall of the gold ``interviewee.roles`` among the stored roles of the
interviewee who gave the interview. A gold role is found when a stored role,
as a sequence of words (case-folded, split on anything not a letter or
digit), equals it or contains it as consecutive whole words ("senior data
scientist" holds "data scientist"; "engineering manager" holds no
"engineer"), unless the stored role carries a negation or a past marker
(:data:`NOT_CURRENT`: "not a data scientist", "former consultant" say what the
person is not). Stored roles beyond the gold are not penalised.

Projects: whether the number of Projects the interviewee WORKED_ON is within
one of the number of gold projects.

The overall row is micro-averaged (sums of counts, then ratios) over the gold
files found in the store; missing ones are named, not counted.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from graph import reads
from graph.errors import FindingsError
from graph.identity import interview_id
from graph.knowledge.textnorm import STOPWORDS, stem, words
from graph.store import GraphStore
from ingest.naming import slug

__all__ = [
    "MAX_NAME_CHARS",
    "PLACEHOLDER_KIND",
    "NOT_CURRENT",
    "GOLD_SUFFIXES",
    "OVERALL",
    "MISSING",
    "COLUMNS",
    "DETAIL_COLUMNS",
    "GoldError",
    "GoldStrategy",
    "Gold",
    "load_golds",
    "gold_files",
    "load_gold",
    "spaced",
    "name_matches",
    "holds_quote",
    "role_found",
    "Link",
    "Reading",
    "code_issues",
    "find_transcript",
    "read_transcript",
    "EntryScore",
    "Score",
    "score",
    "evaluate",
    "rows",
    "detail_rows",
]

MAX_NAME_CHARS = 60
PLACEHOLDER_KIND = "unnamed"  # Mitigation.kind of "unnamed fix for X" (graph/schema.py)
NOT_CURRENT = frozenset({"not", "no", "never", "former", "formerly", "ex", "past", "previous", "previously"})
GOLD_SUFFIXES = (".yaml", ".yml")
OVERALL = "(overall)"
MISSING = "missing"

# found, gold, recall, matching, named, precision: strategies; within_1: projects.
COLUMNS = [
    "interview", "coder", "found", "gold", "recall", "matching", "named", "precision",
    "roles_found", "roles_gold", "roles_recall", "projects", "projects_gold", "within_1", "status",
]
DETAIL_COLUMNS = ["interview", "coder", "kind", "issue", "gold_strategy", "store_link", "result", "why", "quote"]


class GoldError(FindingsError):
    """A gold file that cannot be read; the message names the file and what is wrong."""


# --- gold files ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoldStrategy:
    """One ``addresses`` entry: a strategy the interviewee states, and the quote it rests on."""

    issue: str
    mitigation: str
    quote: str
    keywords: tuple[str, ...]
    fix_codes: tuple[str, ...]


@dataclass(frozen=True)
class Gold:
    """One researcher's reading of one interview."""

    path: Path
    interview: str
    coder: str
    roles: tuple[str, ...]
    projects: int
    strategies: tuple[GoldStrategy, ...]


def load_golds(path: Path) -> list[Gold]:
    """Every gold file of a folder, in name order, or the one file named."""
    return [load_gold(p) for p in gold_files(path)]


def gold_files(path: Path) -> list[Path]:
    """The gold files of a folder (sorted), or the one file named."""
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise GoldError(f"{path}: no such file or folder")
    found = sorted(p for p in path.iterdir() if p.suffix in GOLD_SUFFIXES and p.is_file())
    if not found:
        raise GoldError(f"{path}: no gold files (*.yaml) in it")
    return found


def load_gold(path: Path) -> Gold:
    """Read and check one gold file; any problem is one :class:`GoldError` naming it."""
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(f"{path}: cannot be read ({exc})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        raise GoldError(f"{path}: {where}not valid YAML ({getattr(exc, 'problem', None) or exc})") from None
    field = _Fields(path)
    data = field.mapping(data, "the file")
    interview, coder = field.text(data, "interview"), field.text(data, "coder")
    interviewee = field.mapping(field.get(data, "interviewee"), "interviewee")
    return Gold(
        path=path,
        interview=interview,
        coder=coder,
        roles=field.texts(interviewee, "roles", "interviewee."),
        projects=len(field.entries(data, "projects")),
        strategies=tuple(
            _strategy(field, entry, f"addresses[{n}].") for n, entry in enumerate(field.entries(data, "addresses"))
        ),
    )


def _strategy(field: _Fields, entry: dict[str, Any], where: str) -> GoldStrategy:
    mitigation = field.text(entry, "mitigation", where)
    if "keywords" in entry:
        keywords = field.texts(entry, "keywords", where)
    else:
        keywords = tuple(dict.fromkeys(s for s in map(stem, words(mitigation)) if s not in STOPWORDS))
    if not keywords:
        raise GoldError(f"{field.path}: {where}keywords: none given, and no content word in the mitigation to use")
    return GoldStrategy(
        issue=field.text(entry, "issue", where),
        mitigation=mitigation,
        quote=field.text(entry, "quote", where),
        keywords=tuple(k.casefold() for k in keywords),
        fix_codes=field.texts(entry, "fix_codes", where) if "fix_codes" in entry else (),
    )


@dataclass(frozen=True)
class _Fields:
    """Typed access to a gold file's fields, failing with the file and the field's place in it."""

    path: Path

    def fail(self, where: str, problem: str) -> GoldError:
        return GoldError(f"{self.path}: {where}: {problem}")

    def get(self, data: dict[str, Any], key: str, where: str = "") -> Any:
        if key not in data:
            raise self.fail(f"{where}{key}", "missing")
        return data[key]

    def mapping(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, "expected a mapping of fields")
        return value

    def text(self, data: dict[str, Any], key: str, where: str = "") -> str:
        value = self.get(data, key, where)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{where}{key}", "expected a non-empty text")
        return value

    def texts(self, data: dict[str, Any], key: str, where: str = "") -> tuple[str, ...]:
        value = self.get(data, key, where)
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(f"{where}{key}", "expected a list of texts")
        return tuple(value)

    def entries(self, data: dict[str, Any], key: str) -> list[dict[str, Any]]:
        value = self.get(data, key)
        if not isinstance(value, list):
            raise self.fail(key, "expected a list")
        return [self.mapping(entry, f"{key}[{n}]") for n, entry in enumerate(value)]


# --- matching rules -----------------------------------------------------------------------------


def spaced(text: str) -> str:
    """Whitespace-normalised text: runs of whitespace as one space, none at the ends."""
    return " ".join(text.split())


def name_matches(name: str, keywords: Iterable[str]) -> bool:
    """A short name holding one of the keywords at the start of a word (case-insensitive)."""
    folded = name.casefold()
    return len(name) <= MAX_NAME_CHARS and any(re.search(rf"(?<![^\W_]){re.escape(k)}", folded) for k in keywords)


def holds_quote(text: str, quote: str) -> bool:
    return spaced(quote) in spaced(text)


def _role_words(role: str) -> list[str]:
    return re.findall(r"[^\W_]+", role.casefold())


def role_found(gold_role: str, stored_roles: Iterable[str]) -> bool:
    """A stored role of the present, equal to the gold role or holding it as consecutive whole words."""
    wanted = _role_words(gold_role)
    for stored in map(_role_words, stored_roles):
        if NOT_CURRENT.isdisjoint(stored) and any(
            stored[i : i + len(wanted)] == wanted for i in range(len(stored) - len(wanted) + 1)
        ):
            return True
    return False


# --- the store's reading ------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    """A named strategy suggested for an issue by excerpts of one transcript."""

    mitigation: str
    name: str
    issue: str
    texts: tuple[str, ...]  # the suggesting excerpts' texts, in transcript order
    quote: str  # the first suggestion's quote

    @property
    def label(self) -> str:
        return f"{self.name} -> {self.issue}"


@dataclass(frozen=True)
class Reading:
    """What the store holds for one transcript and its interviewee."""

    transcript: str
    links: tuple[Link, ...]
    texts: tuple[str, ...]  # every excerpt of the transcript
    roles: tuple[str, ...]
    projects: int


def code_issues(store: GraphStore) -> dict[str, set[str]]:
    """Issue ids per case-folded code name: those it indicates and those it is a fix for."""
    issues: dict[str, set[str]] = defaultdict(set)
    for rel in ("INDICATES", "FIX_FOR"):
        for code, issue in reads.code_issue_links(store, rel):
            issues[code.casefold()].add(issue)
    return issues


def find_transcript(store: GraphStore, gold: Gold) -> str | None:
    rows = [row[:2] for row in reads.copies_of_interview(store, interview_id(gold.interview)).rows]
    return next((t for t, coder in sorted(rows) if coder and slug(coder) == slug(gold.coder)), None)


def read_transcript(store: GraphStore, transcript: str, interview: str) -> Reading:
    suggestions = reads.suggestions_of_transcript(store, transcript)
    texts = [text for _, _, text in reads.excerpts_of_transcript(store, transcript).rows]
    person = reads.interviewee_roles_and_projects(store, interview)
    roles, projects = person[0] if person else (None, 0)
    return Reading(transcript, _links(suggestions), tuple(t or "" for t in texts), tuple(roles or ()), projects)


def _links(suggestions: Sequence[Sequence[Any]]) -> tuple[Link, ...]:
    grouped: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    names: dict[str, str] = {}
    for mitigation, name, kind, issue, text, quote in suggestions:
        if kind != PLACEHOLDER_KIND and name:
            grouped[mitigation, issue].append((text or "", quote or ""))
            names[mitigation] = name
    return tuple(
        Link(m, names[m], issue, tuple(t for t, _ in rows), rows[0][1]) for (m, issue), rows in sorted(grouped.items())
    )


# --- scoring ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryScore:
    """One gold entry: found or not, the link closest to finding it, and what that link lacks."""

    entry: GoldStrategy
    found: bool
    candidate: Link | None
    why: str


@dataclass(frozen=True)
class Score:
    gold: Gold
    reading: Reading | None  # None: the gold's transcript is not in the store
    entries: tuple[EntryScore, ...] = ()
    # The named links on the gold entries' issues, each with the entries its name matches.
    links: tuple[tuple[Link, tuple[GoldStrategy, ...]], ...] = ()

    @property
    def found(self) -> int:
        return sum(e.found for e in self.entries)

    @property
    def matching(self) -> int:
        return sum(bool(matched) for _, matched in self.links)

    @property
    def roles_found(self) -> int:
        return sum(role_found(r, self.reading.roles) for r in self.gold.roles) if self.reading else 0

    @property
    def within_one(self) -> bool:
        return self.reading is not None and abs(self.reading.projects - self.gold.projects) <= 1


def score(gold: Gold, reading: Reading, issues_of: dict[str, set[str]]) -> Score:
    issues = {entry: _entry_issues(entry, issues_of) for entry in gold.strategies}
    on_gold_issues = [link for link in reading.links if any(link.issue in i for i in issues.values())]
    return Score(
        gold,
        reading,
        tuple(_score_entry(entry, issues[entry], reading) for entry in gold.strategies),
        tuple(
            (link, tuple(e for e, i in issues.items() if link.issue in i and name_matches(link.name, e.keywords)))
            for link in on_gold_issues
        ),
    )


def _entry_issues(entry: GoldStrategy, issues_of: dict[str, set[str]]) -> set[str]:
    return set().union(*(issues_of.get(code.casefold(), set()) for code in (entry.issue, *entry.fix_codes)))


def _score_entry(entry: GoldStrategy, issues: set[str], reading: Reading) -> EntryScore:
    """Whether a link finds the entry; else the link meeting most of the three conditions, and what it misses.

    Among links meeting as many conditions, one whose name matches is closer than one on the
    issue, which is closer than one from the quote's excerpt: that is the order a reader checks.
    """
    met = {
        link: (
            name_matches(link.name, entry.keywords),
            link.issue in issues,
            any(holds_quote(t, entry.quote) for t in link.texts),
        )
        for link in reading.links
    }
    candidates = [link for link in reading.links if any(met[link])]
    best = min(candidates, key=lambda link: (-sum(met[link]), [not c for c in met[link]]), default=None)
    if best is not None and all(met[best]):
        return EntryScore(entry, True, best, "")
    return EntryScore(entry, False, best, "; ".join(_misses(entry, issues, reading, best)))


def _misses(entry: GoldStrategy, issues: set[str], reading: Reading, best: Link | None) -> list[str]:
    why = []
    if not issues:
        why.append("its codes indicate no issue in the store")
    if not any(holds_quote(t, entry.quote) for t in reading.texts):
        why.append("the quote is in no excerpt of this transcript")
    if best is None:
        return [*why, "no named link on its issue, by its keywords or from its quote"]
    if best.issue not in issues:
        why.append(f"the link is on another issue ({best.issue})")
    if len(best.name) > MAX_NAME_CHARS:
        why.append(f"the name is over {MAX_NAME_CHARS} characters")
    elif not name_matches(best.name, entry.keywords):
        why.append(f"the name holds none of {', '.join(entry.keywords)}")
    if not any(holds_quote(t, entry.quote) for t in best.texts):
        why.append("no excerpt suggesting it holds the quote")
    return why


def evaluate(store: GraphStore, golds: Sequence[Gold]) -> list[Score]:
    """Score each gold reading against the store; a gold whose transcript is absent gets an empty Score."""
    issues_of = code_issues(store)
    scores = []
    for gold in golds:
        transcript = find_transcript(store, gold)
        if transcript is None:
            scores.append(Score(gold, None))
        else:
            scores.append(score(gold, read_transcript(store, transcript, interview_id(gold.interview)), issues_of))
    return scores


# --- rows ---------------------------------------------------------------------------------------


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _counts(s: Score, reading: Reading) -> Counter[str]:
    return Counter({
        "found": s.found, "gold": len(s.gold.strategies), "matching": s.matching, "links": len(s.links),
        "roles_found": s.roles_found, "roles_gold": len(s.gold.roles),
        "projects": reading.projects, "projects_gold": s.gold.projects,
    })


def _row(interview: str, coder: str, c: Counter[str], within: bool | int, status: str) -> list[Any]:
    return [
        interview, coder,
        c["found"], c["gold"], _ratio(c["found"], c["gold"]),
        c["matching"], c["links"], _ratio(c["matching"], c["links"]),
        c["roles_found"], c["roles_gold"], _ratio(c["roles_found"], c["roles_gold"]),
        c["projects"], c["projects_gold"], within, status,
    ]


def rows(scores: Sequence[Score]) -> list[list[Any]]:
    """One row per gold file, then the overall row: sums of the scored files' counts, ratios of the sums.

    In the overall row ``within_1`` is the number of scored interviews whose project count is within one.
    """
    table: list[list[Any]] = []
    totals: Counter[str] = Counter()
    scored = 0
    for s in scores:
        if s.reading is None:
            table.append([s.gold.interview, s.gold.coder, *[None] * (len(COLUMNS) - 3), MISSING])
            continue
        counts = _counts(s, s.reading)
        totals.update(counts)
        scored += 1
        table.append(_row(s.gold.interview, s.gold.coder, counts, s.within_one, "scored"))
    if scored:
        missing = len(scores) - scored
        status = f"{scored} scored" + (f", {missing} missing" if missing else "")
        table.append(_row(OVERALL, "", totals, sum(s.within_one for s in scores), status))
    return table


def detail_rows(scores: Sequence[Score]) -> list[list[Any]]:
    """Each gold entry (found or missed, the closest link, why) and each named link on gold issues (matching or extra)."""
    table = []
    for s in scores:
        head = [s.gold.interview, s.gold.coder]
        if s.reading is None:
            table.append([*head, "gold", None, None, None, MISSING, "no such transcript in the store", None])
            continue
        for e in s.entries:
            table.append([
                *head, "gold", e.entry.issue, e.entry.mitigation, e.candidate.label if e.candidate else None,
                "found" if e.found else "missed", e.why, e.entry.quote,
            ])
        for link, matched in s.links:
            table.append([
                *head, "link", link.issue, "; ".join(m.mitigation for m in matched) or None, link.label,
                "matches" if matched else "extra", "" if matched else "its name matches no gold entry on this issue",
                link.quote,
            ])
    return table
