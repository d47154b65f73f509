"""The ``cypher/`` query library and the queries the CLI and explorer share.

A query argument can be literal Cypher, a path to a ``.cypher`` file, or the
name of a library file ("code-counts"); :func:`resolve_query` decides which.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from graph.schema import NODES, RELATIONSHIPS
from graph.store import GraphStore

_PARAM_DOC = re.compile(r"^//\s*\$(\w+)\s*:\s*(.*)$")
# The first example a parameter's documentation gives: e.g. "robustness", or e.g. 10.
_EXAMPLE = re.compile(r'e\.g\.\s*(?:"([^"]*)"|(-?\d+(?:\.\d+)?))')
_PARAM_USE = re.compile(r"\$(\w+)")


class QueryNotFound(Exception):
    """A query argument that names no file and no library query."""


@dataclass(frozen=True)
class LibraryQuery:
    name: str
    description: str
    parameters: dict[str, str]
    text: str

    @property
    def examples(self) -> dict[str, Any]:
        """Example values for the parameters, from their documentation (to prefill forms)."""
        values: dict[str, Any] = {}
        for name, doc in self.parameters.items():
            if match := _EXAMPLE.search(doc):
                text, number = match.groups()
                values[name] = text if text is not None else (float(number) if "." in number else int(number))
        return values


def parse_query_file(name: str, text: str) -> LibraryQuery:
    """Read the header comment of a ``.cypher`` file: description and parameters."""
    description = ""
    parameters: dict[str, str] = {}
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("//"):
            break
        if match := _PARAM_DOC.match(stripped):
            parameters[match.group(1)] = match.group(2).strip()
        elif not description:
            description = stripped.lstrip("/ ").strip()
    for used in _PARAM_USE.findall(text):
        parameters.setdefault(used, "")
    return LibraryQuery(name, description, parameters, text)


def library() -> dict[str, LibraryQuery]:
    """Every query of the ``cypher/`` folder, by file name without extension."""
    folder = resources.files("cypher")
    queries = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".cypher"):
            name = entry.name[: -len(".cypher")]
            queries[name] = parse_query_file(name, entry.read_text("utf-8"))
    return queries


def resolve_query(argument: str) -> tuple[str, str]:
    """Return (Cypher text, label for messages) for a query argument."""
    if argument.endswith(".cypher"):
        path = Path(argument)
        if path.is_file():
            return path.read_text("utf-8"), str(path)
        name = path.stem
        if name in library():
            return library()[name].text, f"cypher/{name}.cypher"
        raise QueryNotFound(f"{argument}: no such query file")
    queries = library()
    if argument in queries:
        return queries[argument].text, f"cypher/{argument}.cypher"
    return argument, f"query {argument.strip().splitlines()[0][:60]!r}" if argument.strip() else "empty query"


def graph_counts(store: GraphStore) -> list[list[Any]]:
    """Counts per node label, per relationship type and per code."""
    rows: list[list[Any]] = []
    for label in NODES:
        rows.append(["node", label, store.query(f"MATCH (n:{label}) RETURN count(n)").scalar()])
    for name, rel in RELATIONSHIPS.items():
        count = store.query(f"MATCH (:{rel.source})-[r:{name}]->(:{rel.target}) RETURN count(r)").scalar()
        rows.append(["relationship", name, count])
    codes = store.query(
        "MATCH (c:Code) OPTIONAL MATCH (e:Excerpt)-[:CODED_AS]->(c) "
        "RETURN c.name AS name, c.kind AS kind, count(e) AS n ORDER BY n DESC, name"
    )
    rows += [[f"code ({kind})", name, n] for name, kind, n in codes.rows]
    return rows
