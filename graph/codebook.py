"""Classify codes: which are issues, fixes, families, questions, context.

Coders spell one issue several ways (``Data-missing-value`` and
``Data-missing-values``; ``ME-Metrics-Meaningless-For-Stakeholder`` and its
lower-case twin) and name fixes after issues with their own variations
(``QM-data-privacy-issue-fix`` fixes ``QM-data-privacy-issues``). An issue
key folds case, plurals and an ``-issue(s)`` suffix so that all spellings
meet in one ``Issue``, while every ``Code`` keeps the coder's spelling.
A fix spelled so differently that no issue code has its key
(``ME-testing-model-difficult-fix`` beside ``ME-testing-model-challenging``)
is matched to the closest issue code of its family by
:meth:`Codebook.closest_issue`. Codes that name a setting rather than a
problem (a data source, a quality that is present, a tool, a stance, a data
type) are context. Issues get a readable name, a description and synonyms,
so that people find them in their own words.
The rules come from a YAML codebook: the shipped default, optionally merged
with the user's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from graph.errors import FindingsError

__all__ = [
    "KINDS",
    "OTHER_CATEGORY",
    "CodebookError",
    "CodeClass",
    "IssueEntry",
    "ClosestRule",
    "Closest",
    "Codebook",
    "issue_key_of",
    "readable_issue_name",
    "load_codebook",
]

KINDS = ("issue", "fix", "mitigation", "category", "question", "context", "meta", "other")
OTHER_CATEGORY = "other"

_FAMILY_TAG = re.compile(r"^(?P<name>.*?\S)\s*[\[(]\s*(?P<family>[A-Za-z][A-Za-z0-9]*)\s*[\])]\s*$")
_QUESTION = re.compile(r"^Q\d+(\.\d+)*[a-z]?$", re.IGNORECASE)
_FIX_SUFFIX = re.compile(r"[-_\s]+fix(es)?$", re.IGNORECASE)
_ISSUE_WORDS = {"issue", "issues"}
_FIX_WORDS = {"fix", "fixes"}
_KEYS = {
    "families", "context_prefixes", "context_suffixes", "context_terms", "meta", "codes", "issues", "closest_issue",
}
_CODE_KEYS = {"kind", "category", "family", "issue", "name", "description"}
_ISSUE_KEYS = {"name", "description", "synonyms"}


class CodebookError(FindingsError):
    """A codebook file that cannot be used; the message names it."""


@dataclass(frozen=True)
class CodeClass:
    """What a code is: its kind, family and category, and the issue it concerns.

    ``issue_from_codebook`` says the codebook names the issue itself (a
    ``codes`` entry with ``issue``), so no closest-issue guess may move it.
    """

    kind: str
    category: str | None = None
    family: str | None = None
    issue_key: str | None = None
    issue_name: str | None = None
    description: str = ""
    issue_from_codebook: bool = False


@dataclass(frozen=True)
class IssueEntry:
    """What the codebook says about one issue: how people call it."""

    name: str | None = None
    description: str = ""
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class ClosestRule:
    """When a fix code without its own issue code joins another issue code of its family.

    Both codes are reduced to their content words (:meth:`Codebook.match_words`);
    their overlap is the share of the words of either that both have (Jaccard).
    The best candidate must reach ``min_overlap`` and beat the runner-up by
    ``margin``, or the fix stands alone: a wrong join merges two findings,
    which is worse than two Issues a researcher can merge in the codebook.
    """

    ignore: frozenset[str] = frozenset()
    min_overlap: float = 0.5
    margin: float = 0.25


@dataclass(frozen=True)
class Closest:
    """The outcome of matching one fix code: the issue key and code it joins (None: it stands alone), and why."""

    issue_key: str | None
    code: str | None
    reason: str


@dataclass
class Codebook:
    families: dict[str, str] = field(default_factory=dict)
    context_prefixes: list[str] = field(default_factory=list)
    context_suffixes: list[str] = field(default_factory=list)
    context_terms: list[str] = field(default_factory=list)
    meta: list[str] = field(default_factory=list)
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    issues: dict[str, dict[str, Any]] = field(default_factory=dict)
    closest: ClosestRule = field(default_factory=ClosestRule)

    def __post_init__(self) -> None:
        self._families_ci = {k.lower(): k for k in self.families}
        self._codes_ci = {k.lower(): v for k, v in self.codes.items()}
        self._meta_ci = {m.lower() for m in self.meta}
        self._prefixes = [_words(p) for p in self.context_prefixes]
        self._suffixes = [_words(s) for s in self.context_suffixes]
        self._terms = {tuple(_words(t)) for t in self.context_terms}
        self._issues = {
            issue_key_of(code, self): IssueEntry(
                entry.get("name"), entry.get("description", ""), tuple(entry.get("synonyms") or ())
            )
            for code, entry in self.issues.items()
        }

    def family_of(self, name: str) -> str | None:
        """The family whose prefix starts ``name`` (``Data-missing`` -> ``Data``)."""
        head = re.split(r"[-_\s]", name, maxsplit=1)[0].lower()
        return self._families_ci.get(head)

    def category_of(self, family: str | None) -> str:
        return self.families.get(family, OTHER_CATEGORY) if family else OTHER_CATEGORY

    def issue_entry(self, issue_key: str) -> IssueEntry:
        """The codebook's name, description and synonyms of an issue (empty when it has none)."""
        return self._issues.get(issue_key, IssueEntry())

    def classify(self, name: str) -> CodeClass:
        """Classify one code name; overrides first, then the rules in order."""
        base = self._rules(name)
        override = self._codes_ci.get(name.lower())
        if not override:
            return base
        family = override.get("family", base.family)
        kind = override.get("kind", base.kind)
        issue = override.get("issue")
        if issue:
            issue_key = issue_key_of(issue, self)
            issue_name = self._issue_name(issue, issue_key)
        elif kind in {"issue", "fix"}:
            issue_key = base.issue_key or issue_key_of(name, self)
            issue_name = base.issue_name or self._issue_name(name, issue_key)
        else:
            issue_key = issue_name = None
        return CodeClass(
            kind=kind,
            category=override.get("category", self.category_of(family) if family else base.category),
            family=family,
            issue_key=issue_key,
            issue_name=override.get("name", issue_name),
            description=override.get("description", ""),
            issue_from_codebook=bool(issue),
        )

    def _rules(self, name: str) -> CodeClass:
        if name.lower() in self._meta_ci:
            return CodeClass("meta")
        if _QUESTION.match(name):
            return CodeClass("question")
        if tag := _FAMILY_TAG.match(name):
            family = self._families_ci.get(tag.group("family").lower(), tag.group("family"))
            return CodeClass("category", category=self.category_of(family), family=family)
        family = self.family_of(name)
        if self._is_context(name):
            return CodeClass("context", family=family)
        if _FIX_SUFFIX.search(name):
            target = _FIX_SUFFIX.sub("", name)
            return self._issue_class("fix", target, family)
        if family is None:
            return CodeClass("other")
        if not _words(name)[1:] or set(_words(name)[1:]) <= _ISSUE_WORDS:
            # "Data-issues" names the family, not one issue in it.
            return CodeClass("category", category=self.category_of(family), family=family)
        return self._issue_class("issue", name, family)

    def _issue_class(self, kind: str, issue_code: str, family: str | None) -> CodeClass:
        key = issue_key_of(issue_code, self)
        return CodeClass(kind, self.category_of(family), family, key, self._issue_name(issue_code, key))

    def _issue_name(self, issue_code: str, issue_key: str) -> str:
        return self.issue_entry(issue_key).name or readable_issue_name(issue_code, self)

    def _is_context(self, name: str) -> bool:
        """A data source, a quality present, a tool, a stance or a data type, by the codebook's context rules.

        Prefixes are matched on the whole code (``Data-collection`` covers
        ``Data-collection-API``); suffixes and terms on what remains without
        the family prefix, a ``-fix`` and an ``-issue(s)`` suffix, so that
        ``preventive-fix`` and ``tabular-issue`` read as the stance and the
        data type they name.
        """
        words = _words(name)
        if any(words[: len(p)] == p for p in self._prefixes if p):
            return True
        core = _strip(words, _FIX_WORDS)
        core = _strip(core, _ISSUE_WORDS)
        if self.family_of(name) and len(core) > 1:
            core = core[1:]
        return tuple(core) in self._terms or any(core[-len(s):] == s for s in self._suffixes if s and len(core) >= len(s))

    def match_words(self, name: str) -> set[str]:
        """The content words of a code, as fix and issue codes are compared: no family, ``fix``, ``issue(s)``,
        nor the words of ``closest_issue.ignore`` (difficulty words, function words); plurals folded."""
        words = _words(name)
        if self.family_of(name):
            words = words[1:]
        return {_singular(w) for w in _strip(words, _FIX_WORDS)} - _ISSUE_WORDS - self.closest.ignore

    def closest_issue(self, fix: str, family: str | None, candidates: dict[str, list[str]]) -> Closest:
        """Which of ``candidates`` (issue key -> issue codes of ``family``, the one to name first) the fix code
        ``fix`` joins, if any."""
        if family is None:
            return Closest(None, None, "it has no family to look for its issue in")
        mine = self.match_words(fix)
        scores = sorted(
            ((max(_overlap(mine, self.match_words(code)) for code in codes), key, codes[0])
             for key, codes in candidates.items()),
            key=lambda item: (-item[0], item[1]),
        )
        if not scores or scores[0][0] == 0:
            return Closest(None, None, f"no issue code of family {family} shares its words")
        (best, key, code), runner_up = scores[0], scores[1][0] if len(scores) > 1 else 0.0
        overlap = f"overlap {best:.2f} with {code}, next best {runner_up:.2f}"
        if best < self.closest.min_overlap:
            return Closest(None, None, f"{overlap}: below the {self.closest.min_overlap:.2f} asked for")
        if best - runner_up < self.closest.margin:
            return Closest(None, None, f"{overlap}: no clear winner (margin {self.closest.margin:.2f} asked for)")
        return Closest(key, code, f"the closest issue code of family {family} ({overlap})")


def _words(name: str) -> list[str]:
    return [w for w in re.split(r"[-_\s]+", name.strip().lower()) if w]


def _strip(words: list[str], tail: set[str]) -> list[str]:
    """``words`` without trailing words of ``tail`` (always keeping the first word)."""
    words = list(words)
    while len(words) > 1 and words[-1] in tail:
        words.pop()
    return words


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def _singular(word: str) -> str:
    # Enough to fold the plurals coders actually alternate between
    # (values/value, labels/label) without touching "robustness" or "bias".
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def issue_key_of(name: str, codebook: Codebook) -> str:
    """Fold case, plurals and an ``-issue(s)`` suffix into one key."""
    words = _strip(_words(name), _ISSUE_WORDS)
    family = codebook.family_of(name)
    if family:
        words[0] = family.lower()
    return "-".join(_singular(w) for w in words)


def readable_issue_name(name: str, codebook: Codebook) -> str:
    """``Data-missing-values`` -> "missing values"; the family prefix is dropped.

    The fallback for issues the codebook has no ``issues`` entry for.
    """
    words = _words(name)
    if codebook.family_of(name) and len(words) > 1:
        words = words[1:]
    return " ".join(_strip(words, _ISSUE_WORDS))


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        elif isinstance(value, list) and isinstance(merged.get(key), list):
            merged[key] = merged[key] + [v for v in value if v not in merged[key]]
        else:
            merged[key] = value
    return merged


def _read_yaml(text: str, origin: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise CodebookError(f"{origin}: not valid YAML ({str(exc).splitlines()[0]})") from None
    if not isinstance(data, dict):
        raise CodebookError(f"{origin}: a codebook is a mapping with {', '.join(sorted(_KEYS))}")
    unknown = set(data) - _KEYS
    if unknown:
        raise CodebookError(f"{origin}: unknown codebook keys {sorted(unknown)}")
    for name, entry in (data.get("codes") or {}).items():
        if not isinstance(entry, dict) or entry.get("kind", "other") not in KINDS or set(entry) - _CODE_KEYS:
            raise CodebookError(
                f"{origin}: code {name!r} needs a mapping of {', '.join(sorted(_CODE_KEYS))} "
                f"with kind one of {', '.join(KINDS)}"
            )
    for name, entry in (data.get("issues") or {}).items():
        if not _valid_issue_entry(entry):
            raise CodebookError(
                f"{origin}: issue {name!r} needs a mapping with name and description (text) and synonyms (a list of text)"
            )
    return data


def _valid_issue_entry(entry: Any) -> bool:
    if not isinstance(entry, dict) or set(entry) - _ISSUE_KEYS:
        return False
    synonyms = entry.get("synonyms") or []
    texts = [entry.get("name") or "", entry.get("description") or ""]
    return isinstance(synonyms, list) and all(isinstance(t, str) for t in [*texts, *synonyms])


def _closest_rule(data: dict[str, Any], origin: str) -> ClosestRule:
    settings = data.get("closest_issue") or {}
    try:
        return ClosestRule(
            frozenset(_singular(w.lower()) for w in settings.get("ignore") or []),
            float(settings.get("min_overlap", ClosestRule.min_overlap)),
            float(settings.get("margin", ClosestRule.margin)),
        )
    except (TypeError, ValueError, AttributeError):
        raise CodebookError(f"{origin}: closest_issue needs ignore (a list of words), min_overlap and margin (numbers)") from None


def load_codebook(path: str | Path | None = None) -> Codebook:
    """The default codebook, merged with the user's YAML file when given."""
    data = _read_yaml(resources.files("graph").joinpath("codebook.yaml").read_text("utf-8"), "default codebook")
    origin = "default codebook"
    if path is not None:
        try:
            text = Path(path).read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CodebookError(f"{path}: cannot read codebook ({exc})") from None
        data = _merge(data, _read_yaml(text, str(path)))
        origin = str(path)
    return Codebook(
        families=dict(data.get("families") or {}),
        context_prefixes=list(data.get("context_prefixes") or []),
        context_suffixes=list(data.get("context_suffixes") or []),
        context_terms=list(data.get("context_terms") or []),
        meta=list(data.get("meta") or []),
        codes=dict(data.get("codes") or {}),
        issues=dict(data.get("issues") or {}),
        closest=_closest_rule(data, origin),
    )
