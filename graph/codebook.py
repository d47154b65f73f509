"""Classify codes: which are issues, fixes, families, questions, context.

Coders spell one issue several ways (``Data-missing-value`` and
``Data-missing-values``; ``ME-Metrics-Meaningless-For-Stakeholder`` and its
lower-case twin) and name fixes after issues with their own variations
(``QM-data-privacy-issue-fix`` fixes ``QM-data-privacy-issues``). An issue
key folds case, plurals and an ``-issue(s)`` suffix so that all spellings
meet in one ``Issue``, while every ``Code`` keeps the coder's spelling.
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

KINDS = ("issue", "fix", "mitigation", "category", "question", "context", "meta", "other")
OTHER_CATEGORY = "other"

_FAMILY_TAG = re.compile(r"^(?P<name>.*?\S)\s*[\[(]\s*(?P<family>[A-Za-z][A-Za-z0-9]*)\s*[\])]\s*$")
_QUESTION = re.compile(r"^Q\d+(\.\d+)*[a-z]?$", re.IGNORECASE)
_FIX_SUFFIX = re.compile(r"[-_\s]+fix(es)?$", re.IGNORECASE)
_ISSUE_WORDS = {"issue", "issues"}


class CodebookError(Exception):
    """A codebook file that cannot be used; the message names it."""


@dataclass(frozen=True)
class CodeClass:
    """What a code is: its kind, family and category, and the issue it concerns."""

    kind: str
    category: str | None = None
    family: str | None = None
    issue_key: str | None = None
    issue_name: str | None = None
    description: str = ""


@dataclass
class Codebook:
    families: dict[str, str] = field(default_factory=dict)
    context_prefixes: list[str] = field(default_factory=list)
    meta: list[str] = field(default_factory=list)
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._families_ci = {k.lower(): k for k in self.families}
        self._codes_ci = {k.lower(): v for k, v in self.codes.items()}
        self._meta_ci = {m.lower() for m in self.meta}

    def family_of(self, name: str) -> str | None:
        """The family whose prefix starts ``name`` (``Data-missing`` -> ``Data``)."""
        head = re.split(r"[-_\s]", name, maxsplit=1)[0].lower()
        return self._families_ci.get(head)

    def category_of(self, family: str | None) -> str:
        return self.families.get(family, OTHER_CATEGORY) if family else OTHER_CATEGORY

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
            issue_key, issue_name = issue_key_of(issue, self), readable_issue_name(issue, self)
        elif kind in {"issue", "fix"}:
            issue_key = base.issue_key or issue_key_of(name, self)
            issue_name = base.issue_name or readable_issue_name(name, self)
        else:
            issue_key = issue_name = None
        return CodeClass(
            kind=kind,
            category=override.get("category", self.category_of(family) if family else base.category),
            family=family,
            issue_key=issue_key,
            issue_name=override.get("name", issue_name),
            description=override.get("description", ""),
        )

    def _rules(self, name: str) -> CodeClass:
        if name.lower() in self._meta_ci:
            return CodeClass("meta")
        if _QUESTION.match(name):
            return CodeClass("question")
        if tag := _FAMILY_TAG.match(name):
            family = self._families_ci.get(tag.group("family").lower(), tag.group("family"))
            return CodeClass("category", category=self.category_of(family), family=family)
        if any(name.lower().startswith(p.lower()) for p in self.context_prefixes):
            return CodeClass("context", family=self.family_of(name))
        family = self.family_of(name)
        if _FIX_SUFFIX.search(name):
            target = _FIX_SUFFIX.sub("", name)
            return CodeClass(
                "fix",
                category=self.category_of(family),
                family=family,
                issue_key=issue_key_of(target, self),
                issue_name=readable_issue_name(target, self),
            )
        if family is None:
            return CodeClass("other")
        if not _words(name)[1:] or set(_words(name)[1:]) <= _ISSUE_WORDS:
            # "Data-issues" names the family, not one issue in it.
            return CodeClass("category", category=self.category_of(family), family=family)
        return CodeClass(
            "issue",
            category=self.category_of(family),
            family=family,
            issue_key=issue_key_of(name, self),
            issue_name=readable_issue_name(name, self),
        )


def _words(name: str) -> list[str]:
    return [w for w in re.split(r"[-_\s]+", name.strip().lower()) if w]


def _singular(word: str) -> str:
    # Enough to fold the plurals coders actually alternate between
    # (values/value, labels/label) without touching "robustness" or "bias".
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def issue_key_of(name: str, codebook: Codebook) -> str:
    """Fold case, plurals and an ``-issue(s)`` suffix into one key."""
    words = _words(name)
    while len(words) > 1 and words[-1] in _ISSUE_WORDS:
        words.pop()
    family = codebook.family_of(name)
    if family:
        words[0] = family.lower()
    return "-".join(_singular(w) for w in words)


def readable_issue_name(name: str, codebook: Codebook) -> str:
    """``Data-missing-values`` -> "missing values"; the family prefix is dropped."""
    words = _words(name)
    if codebook.family_of(name) and len(words) > 1:
        words = words[1:]
    while len(words) > 1 and words[-1] in _ISSUE_WORDS:
        words.pop()
    return " ".join(words)


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
        raise CodebookError(f"{origin}: a codebook is a mapping with families, context_prefixes, meta, codes")
    unknown = set(data) - {"families", "context_prefixes", "meta", "codes"}
    if unknown:
        raise CodebookError(f"{origin}: unknown codebook keys {sorted(unknown)}")
    for name, entry in (data.get("codes") or {}).items():
        if not isinstance(entry, dict) or entry.get("kind", "other") not in KINDS:
            raise CodebookError(f"{origin}: code {name!r} needs a mapping with kind one of {', '.join(KINDS)}")
    return data


def load_codebook(path: str | Path | None = None) -> Codebook:
    """The default codebook, merged with the user's YAML file when given."""
    data = _read_yaml(resources.files("graph").joinpath("codebook.yaml").read_text("utf-8"), "default codebook")
    if path is not None:
        try:
            text = Path(path).read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CodebookError(f"{path}: cannot read codebook ({exc})") from None
        data = _merge(data, _read_yaml(text, str(path)))
    return Codebook(
        families=dict(data.get("families") or {}),
        context_prefixes=list(data.get("context_prefixes") or []),
        meta=list(data.get("meta") or []),
        codes=dict(data.get("codes") or {}),
    )
