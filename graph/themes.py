"""A researcher's themes: groupings of issues and codes, read from YAML, stored as ``Theme`` nodes.

After coding, a study reports its findings grouped its own way: the
reference study's paper groups 18 issues into six aspects (evaluability,
explainability, ...), and a theme can hold sub-themes (aspect -> issue ->
codes). A themes file says so::

    themes:
      reliability:
        name: Reliability
        description: The system keeps working as the world changes.
        codes: [MM-drift, QM-robustness]      # codes as the coders spelled them
        issues: [missing values]               # an Issue's id, name or any code indicating it
        themes:                                # nested themes, the same shape
          drift: {name: Drift, codes: [MM-drift]}

A theme covers the codes it lists, the codes that indicate the issues it
lists, and everything its nested themes cover. Theme ids (the keys) are
unique in the whole file, since they become node ids. ``findings themes
FILE`` replaces the stored grouping with the file's (``Theme`` nodes with
``GROUPS`` to issues, ``GROUPS_CODE`` to codes and ``SUBTHEME_OF`` to the
enclosing theme), so the explorer and Cypher see it; ``findings table
--themes FILE`` reads a file without storing it. With neither, the codebook's
families (the issues' ``family``) are the grouping.

References are resolved against the graph when the themes are used: one
that matches nothing there (a code of interviews not ingested yet, a typo)
is reported, not fatal, so one themes file serves the whole study and any
part of it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from graph import reads
from graph.errors import FindingsError
from graph.schema import delete_all_nodes_statement
from graph.store import GraphStore, Reader, StoreError

__all__ = [
    "MAX_DEPTH",
    "ThemesError",
    "Theme",
    "Themes",
    "parse_themes",
    "load_themes",
    "Resolved",
    "resolve",
    "store_themes",
    "stored_themes",
    "family_themes",
]


# Nested deeper than this, a themes file is a mistake (or a YAML alias looping into itself);
# it is also the bound of the SUBTHEME_OF path the table's Cypher follows.
MAX_DEPTH = 30
_THEME_KEYS = {"name", "description", "codes", "issues", "themes"}


class ThemesError(FindingsError):
    """A themes file that cannot be used; the message names the file and the problem."""


@dataclass
class Theme:
    """One theme: what it lists itself, and its nested themes."""

    id: str
    name: str
    description: str = ""
    codes: list[str] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)
    children: list[Theme] = field(default_factory=list)
    parent: str | None = None

    def walk(self, depth: int = 0) -> Iterator[tuple[Theme, int]]:
        """This theme and every theme nested in it, depth first in file order, with their depth."""
        yield self, depth
        for child in self.children:
            yield from child.walk(depth + 1)


@dataclass
class Themes:
    """A grouping: the top-level themes, and where it came from (a file, the graph, the codebook's families)."""

    roots: list[Theme]
    origin: str

    def walk(self) -> Iterator[tuple[Theme, int]]:
        for root in self.roots:
            yield from root.walk()

    def __len__(self) -> int:
        return sum(1 for _ in self.walk())


def parse_themes(text: str, origin: str) -> Themes:
    """The themes in YAML ``text``; ``origin`` (the file) names it in errors."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ThemesError(f"{origin}: not valid YAML ({str(exc).splitlines()[0]})") from None
    if not isinstance(data, dict) or "themes" not in data:
        raise ThemesError(f"{origin}: a themes file is a mapping with one key, themes (theme id -> theme)")
    if set(data) - {"themes"}:
        raise ThemesError(f"{origin}: unknown top-level keys {sorted(map(str, set(data) - {'themes'}))} (only themes)")
    seen: set[str] = set()
    roots = _themes(data["themes"], origin, "themes", None, 1, seen)
    if not roots:
        raise ThemesError(f"{origin}: themes is empty")
    return Themes(roots, origin)


def _themes(value: Any, origin: str, where: str, parent: str | None, depth: int, seen: set[str]) -> list[Theme]:
    if depth > MAX_DEPTH:
        raise ThemesError(f"{origin}: {where}: themes nested more than {MAX_DEPTH} deep (does an alias refer to itself?)")
    if value is None:
        return []
    if not isinstance(value, dict):
        raise ThemesError(f"{origin}: {where} must map theme ids to themes, not a {_kind(value)}")
    themes = []
    for key, entry in value.items():
        if not isinstance(key, str) or not key.strip():
            raise ThemesError(f"{origin}: {where}: a theme id must be text, not {key!r}")
        theme_id = key.strip()
        here = f"theme {theme_id!r}"
        if theme_id in seen:
            raise ThemesError(f"{origin}: {here} appears twice (theme ids are unique in the whole file)")
        seen.add(theme_id)
        if entry is None:
            entry = {}
        if not isinstance(entry, dict):
            raise ThemesError(f"{origin}: {here} must be a mapping of {', '.join(sorted(_THEME_KEYS))}, not a {_kind(entry)}")
        unknown = set(map(str, entry)) - _THEME_KEYS
        if unknown:
            raise ThemesError(f"{origin}: {here}: unknown keys {sorted(unknown)} (a theme has {', '.join(sorted(_THEME_KEYS))})")
        name = entry.get("name", theme_id)
        description = entry.get("description") or ""
        for label, text in (("name", name), ("description", description)):
            if not isinstance(text, str):
                raise ThemesError(f"{origin}: {here}: {label} must be text, not a {_kind(text)}")
        theme = Theme(
            theme_id, name.strip() or theme_id, description.strip(),
            _names(entry.get("codes"), origin, here, "codes"), _names(entry.get("issues"), origin, here, "issues"),
            parent=parent,
        )
        theme.children = _themes(entry.get("themes"), origin, f"{here}: themes", theme_id, depth + 1, seen)
        themes.append(theme)
    return themes


def _names(value: Any, origin: str, where: str, key: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ThemesError(f"{origin}: {where}: {key} must be a list of names (text), got {value!r}")
    return list(dict.fromkeys(v.strip() for v in value))


def _kind(value: Any) -> str:
    return {dict: "mapping", list: "list", str: "text"}.get(type(value), type(value).__name__)


def load_themes(path: str | Path) -> Themes:
    """The themes of a YAML file (read with ``yaml.safe_load``); ThemesError naming the file for any problem."""
    try:
        text = Path(path).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ThemesError(f"{path}: cannot read the themes file ({getattr(exc, 'strerror', None) or exc})") from None
    return parse_themes(text, str(path))


# --- references: what a theme's names are in the graph ---------------------------------------------


@dataclass(frozen=True)
class Resolved:
    """A theme's references as graph ids, and the names that matched nothing."""

    codes: dict[str, set[str]]  # theme id -> Code ids it lists
    issues: dict[str, set[str]]  # theme id -> Issue ids it lists
    unknown: list[str]  # "theme 'x': code 'y'" for each name that matched nothing


def resolve(source: Reader, themes: Themes) -> Resolved:
    """Match each theme's codes to Code ids (exactly, else ignoring case) and issues to Issue ids (by id, name or
    any code that indicates it, exactly, else ignoring case)."""
    code_ids = reads.node_keys(source, "Code")
    issue_names: dict[str, list[str]] = {row[0]: [n for n in row if n] for row in reads.issue_spellings(source)}
    # Any spelling that indicates an issue names it, so a file need not know which spelling won.
    for issue, _, code in reads.issues_by_code(source):
        issue_names[issue].append(code)
    codes_by_name = _index((c, [c]) for c in code_ids)
    issues_by_name = _index(iter(issue_names.items()))
    found_codes: dict[str, set[str]] = {}
    found_issues: dict[str, set[str]] = {}
    unknown = []
    for theme, _ in themes.walk():
        found_codes[theme.id] = set()
        found_issues[theme.id] = set()
        for kind, names, index, found in (
            ("code", theme.codes, codes_by_name, found_codes[theme.id]),
            ("issue", theme.issues, issues_by_name, found_issues[theme.id]),
        ):
            for name in names:
                matches = index.get(name) or index.get(name.casefold())
                if matches:
                    found |= matches
                else:
                    unknown.append(f"theme {theme.id!r}: {kind} {name!r}")
    return Resolved(found_codes, found_issues, unknown)


def _index(entries: Iterator[tuple[str, list[str]]]) -> dict[str, set[str]]:
    """Name -> ids, under the name as written and folded to lower case."""
    index: dict[str, set[str]] = {}
    for key, names in entries:
        for name in names:
            index.setdefault(name, set()).add(key)
            index.setdefault(name.casefold(), set()).add(key)
    return index


# --- storing and reading back ------------------------------------------------------------------------


def store_themes(store: GraphStore, themes: Themes) -> Resolved:
    """Replace the stored grouping with ``themes``, in one transaction; returns what was resolved."""
    with store.transaction() as tx:
        resolved = resolve(tx, themes)
        tx.run(delete_all_nodes_statement("Theme"))
        ordered = list(themes.walk())
        tx.insert_nodes("Theme", [
            {"id": t.id, "name": t.name, "description": t.description, "parent": t.parent, "rank": rank,
             "source": themes.origin}
            for rank, (t, _) in enumerate(ordered)
        ])
        tx.insert_relationships("SUBTHEME_OF", [{"source": t.id, "target": t.parent} for t, _ in ordered if t.parent])
        tx.insert_relationships("GROUPS", [
            {"source": t.id, "target": issue} for t, _ in ordered for issue in sorted(resolved.issues[t.id])
        ])
        tx.insert_relationships("GROUPS_CODE", [
            {"source": t.id, "target": code} for t, _ in ordered for code in sorted(resolved.codes[t.id])
        ])
    return resolved


def stored_themes(source: Reader) -> Themes | None:
    """The grouping ``findings themes`` stored, as a tree with graph ids for codes and issues; None when there is none
    (or the store predates themes)."""
    try:
        nodes = reads.themes(source)
    except StoreError:
        return None  # written before themes were part of the schema: the table does not exist
    if not nodes:
        return None
    by_id = {row[0]: Theme(row[0], row[1] or row[0], row[2] or "", parent=row[3]) for row in nodes}
    for theme_id, code in reads.theme_members(source, "GROUPS_CODE"):
        by_id[theme_id].codes.append(code)
    for theme_id, issue in reads.theme_members(source, "GROUPS"):
        by_id[theme_id].issues.append(issue)
    roots = []
    for theme in by_id.values():
        if theme.parent in by_id:
            by_id[theme.parent].children.append(theme)
        else:
            roots.append(theme)
    origins = sorted({row[5] for row in nodes if row[5]})
    return Themes(roots, f"stored themes (from {', '.join(origins)})" if origins else "stored themes")


def family_themes(source: Reader) -> Themes:
    """The codebook's families as themes: one per family of the stored issues, named by its category."""
    families: dict[str, Theme] = {}
    for issue, family, category in reads.issue_families(source):
        theme = families.setdefault(family, Theme(family, category or family, f"The codebook's family {family}."))
        theme.issues.append(issue)
    return Themes(list(families.values()), "the codebook's families (no themes stored)")
