"""The mitigation catalog: which concrete strategies exist and how people say them.

Codes tell *that* an excerpt describes a fix; the catalog tells *which* one.
It ships as ``mitigations.yaml`` (package data, documented in its header) and
can be extended or overridden with the user's own YAML file
(``findings ingest --catalog FILE``), merged by strategy id. Every phrase and
pattern is compiled once, here, so a malformed entry fails at load time with
the file and entry named, never halfway through a rebuild.

Phrases match whole words in their dictionary form (:mod:`.lemmas`), never
stem prefixes: "container" does not match "contain", "regularization" does
not match "on a regular basis". The catalog only *names* strategies: which
sentence states an action, and whether it is negated, is read by
:mod:`.actions` and :mod:`.linking`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from graph.errors import FindingsError
from graph.knowledge.lemmas import lemmas
from graph.knowledge.phrases import Matcher, PatternError, compile_all

__all__ = ["CatalogError", "Strategy", "Catalog", "load_catalog"]

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_FIELDS = {"name", "description", "families", "issue_words", "phrases", "patterns"}
_LISTS = ("families", "issue_words", "phrases", "patterns")


class CatalogError(FindingsError):
    """A catalog file that cannot be used; the message names the file and the entry."""


@dataclass(frozen=True)
class Strategy:
    """One mitigation strategy of the catalog."""

    id: str
    name: str
    description: str
    families: tuple[str, ...]
    issue_lemmas: frozenset[str]
    matchers: tuple[Matcher, ...]

    def named_in(self, text: str, tokens: frozenset[str] | None = None) -> bool:
        """Whether a :func:`~graph.knowledge.lemmas.lemma_text` names this strategy by a phrase or pattern."""
        return bool(self.spans(text, tokens))

    def spans(self, text: str, tokens: frozenset[str] | None = None) -> list[tuple[int, int]]:
        """Character spans of every mention of this strategy in a lemma text."""
        present = tokens if tokens is not None else frozenset(text.split())
        # Only patterns whose required word occurs can match: skips most regexes.
        return [span for m in self.matchers if m.anchors & present for span in m.spans(text)]


@dataclass(frozen=True)
class Catalog:
    strategies: dict[str, Strategy]

    @cached_property
    def _by_anchor(self) -> dict[str, list[tuple[int, str, Matcher]]]:
        """(catalog order, strategy id, matcher) by each required word of the matcher's phrase or pattern."""
        index: dict[str, list[tuple[int, str, Matcher]]] = defaultdict(list)
        for order, (key, strategy) in enumerate(self.strategies.items()):
            for matcher in strategy.matchers:
                for anchor in matcher.anchors:
                    index[anchor].append((order, key, matcher))
        return index

    def named_in(self, text: str) -> list[Strategy]:
        """Every strategy a lemma text names, in catalog order."""
        return [s for s, _ in self.mentions(text)]

    def mentions(self, text: str) -> list[tuple[Strategy, list[tuple[int, int]]]]:
        """Every strategy a lemma text names, with the spans that name it, in catalog order."""
        # A text names few strategies: run only the matchers whose required words it contains.
        found: dict[tuple[int, str], list[tuple[int, int]]] = {}
        seen: set[int] = set()
        for token in set(text.split()):
            for order, key, matcher in self._by_anchor.get(token, ()):
                if id(matcher) in seen:
                    continue
                seen.add(id(matcher))
                if spans := matcher.spans(text):
                    found.setdefault((order, key), []).extend(spans)
        return [(self.strategies[key], sorted(spans)) for (_, key), spans in sorted(found.items())]


def _read(text: str, origin: str) -> dict[str, dict[str, Any]]:
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise CatalogError(f"{origin}: not valid YAML ({str(exc).splitlines()[0]})") from None
    if not isinstance(data, dict) or set(data) - {"mitigations"}:
        raise CatalogError(f"{origin}: a catalog is a mapping with one key, mitigations")
    entries = data.get("mitigations") or {}
    if not isinstance(entries, dict):
        raise CatalogError(f"{origin}: mitigations must map strategy ids to entries")
    for key, entry in entries.items():
        where = f"{origin}: mitigation {key!r}"
        if not isinstance(key, str) or not _ID.match(key):
            raise CatalogError(f"{where}: ids are lower-case words joined by hyphens")
        if not isinstance(entry, dict):
            raise CatalogError(f"{where}: needs a mapping with {', '.join(sorted(_FIELDS))}")
        if unknown := set(entry) - _FIELDS:
            raise CatalogError(f"{where}: unknown fields {sorted(unknown)}")
        for field in _LISTS:
            value = entry.get(field, [])
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                raise CatalogError(f"{where}: {field} must be a list of non-empty strings")
        for field in ("name", "description"):
            if field in entry and not isinstance(entry[field], str):
                raise CatalogError(f"{where}: {field} must be text")
    return entries


def _merge(base: dict[str, dict[str, Any]], extra: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    merged = {key: dict(entry) for key, entry in base.items()}
    for key, entry in extra.items():
        target = merged.setdefault(key, {})
        for field, value in entry.items():
            if field in ("phrases", "patterns", "issue_words") and field in target:
                target[field] = target[field] + [v for v in value if v not in target[field]]
            else:
                target[field] = value
    return merged


def _strategy(key: str, entry: dict[str, Any], origin: str) -> Strategy:
    where = f"{origin}: mitigation {key!r}"
    missing = [f for f in ("name", "description", "families") if not entry.get(f)]
    if missing:
        raise CatalogError(f"{where}: missing {', '.join(missing)}")
    try:
        matchers = compile_all(entry.get("phrases", []), entry.get("patterns", []), normalise=lemmas)
    except PatternError as exc:
        raise CatalogError(f"{where}: {exc}") from None
    if not matchers:
        raise CatalogError(f"{where}: needs phrases or patterns that name it")
    return Strategy(
        id=key,
        name=entry["name"],
        description=entry["description"],
        families=tuple(f.strip().lower() for f in entry["families"]),
        issue_lemmas=frozenset(s for w in entry.get("issue_words", []) for s in lemmas(w)),
        matchers=matchers,
    )


def load_catalog(path: str | Path | None = None) -> Catalog:
    """The shipped catalog, merged with the user's YAML file when given."""
    shipped = "graph.knowledge mitigations.yaml"
    entries = _read(resources.files("graph.knowledge").joinpath("mitigations.yaml").read_text("utf-8"), shipped)
    origin = shipped
    if path is not None:
        try:
            text = Path(path).read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CatalogError(f"{path}: cannot read catalog ({exc})") from None
        entries = _merge(entries, _read(text, str(path)))
        origin = str(path)
    return Catalog({key: _strategy(key, entry, origin) for key, entry in entries.items()})
