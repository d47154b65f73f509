"""The ``cypher/`` query library and the queries the CLI and explorer share.

A query argument can be literal Cypher, a path to a ``.cypher`` file, or the
name of a library file ("code-counts"); :func:`resolve_query` decides which.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from graph import reads
from graph.config import StoreTarget
from graph.cypher_guard import RefusedQuery, tokenize
from graph.errors import FindingsError
from graph.schema import NODES, RELATIONSHIPS
from graph.store import GraphStore, QueryResult, open_store

__all__ = [
    "INT64",
    "QueryNotFound",
    "ParameterError",
    "LibraryQuery",
    "parse_query_file",
    "check_parameters",
    "run_read_only",
    "library",
    "resolve_query",
    "graph_counts",
]

_LIBRARY_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)+$")
_PARAM_DOC = re.compile(r"^//\s*\$(\w+)\s*:\s*(.*)$")
# The first example a parameter's documentation gives: e.g. "robustness", or e.g. 10.
_EXAMPLE = re.compile(r'e\.g\.\s*(?:"([^"]*)"|(-?\d+(?:\.\d+)?))')
# Both backends hold integers in 64 bits; a bigger one fails deep in the driver with no name attached.
INT64 = range(-(2**63), 2**63)


class QueryNotFound(FindingsError):
    """A query argument that names no file and no library query."""


class ParameterError(FindingsError):
    """Parameters that do not fit the query: a name it does not use, one it needs, a value no backend holds."""


@dataclass(frozen=True)
class LibraryQuery:
    name: str
    description: str
    parameters: dict[str, str]  # name -> documentation: the documented ones, then any other the text uses
    text: str

    @property
    def used(self) -> list[str]:
        """The parameters the Cypher uses (not those a string or a comment mentions), in order of first use."""
        return list(dict.fromkeys(_parameters_used(self.text)))

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
    for used in _parameters_used(text):
        parameters.setdefault(used, "")
    return LibraryQuery(name, description, parameters, text)


def _parameters_used(text: str) -> list[str]:
    """``$names`` in the Cypher; none while the text does not even tokenize (an editor half-way through a string)."""
    try:
        return [token.value for token in tokenize(text) if token.kind == "parameter"]
    except RefusedQuery:
        return []


def check_parameters(query: LibraryQuery, given: Mapping[str, Any]) -> None:
    """Raise :class:`ParameterError` for a parameter ``query`` does not take, one it uses and lacks, or an integer
    too big for 64 bits; the message lists the query's parameters with their documented examples."""
    unknown = [name for name in given if name not in query.parameters]
    missing = [name for name in query.used if name not in given]
    if unknown:
        raise ParameterError(f"unknown parameter {_names(unknown)}; {_takes(query)}")
    if missing:
        raise ParameterError(f"no value for {_names(missing)}; {_takes(query)}")
    for name, value in given.items():
        if (number := _outside_int64(value)) is not None:
            raise ParameterError(f"${name}: {number} does not fit in a 64-bit integer")


def _names(names: list[str]) -> str:
    return ", ".join(f"${name}" for name in names)


def _takes(query: LibraryQuery) -> str:
    if not query.parameters:
        return "the query takes no parameters"
    examples = query.examples
    listed = [f"${name}" + (f" (e.g. {json.dumps(examples[name])})" if name in examples else "")
              for name in query.parameters]
    return f"the query takes {', '.join(listed)}"


def _outside_int64(value: Any) -> int | None:
    """The first integer in ``value`` (or in its lists and maps) that 64 bits cannot hold."""
    if isinstance(value, int):
        return None if value in INT64 else value
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    for item in items:
        if (found := _outside_int64(item)) is not None:
            return found
    return None


def run_read_only(target: StoreTarget, cypher: str, params: dict[str, Any] | None) -> QueryResult:
    """Open the store read-only, run one query, close it: the work of a child process (see graph.isolation)."""
    with open_store(target, read_only=True) as store:
        return store.run(cypher, params)


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
    if _LIBRARY_NAME.match(argument):
        # Looks like a library name (no Cypher is a bare hyphenated word): a typo, not a query to run.
        close = difflib.get_close_matches(argument, queries, n=3, cutoff=0.6)
        hint = f"did you mean {' or '.join(close)}?" if close else "`findings query --list` shows them"
        raise QueryNotFound(f"{argument}: no query of that name in the library; {hint}")
    return argument, f"query {argument.strip().splitlines()[0][:60]!r}" if argument.strip() else "empty query"


def graph_counts(store: GraphStore) -> list[list[Any]]:
    """Counts per node label, per relationship type and per code."""
    rows: list[list[Any]] = []
    for label in NODES:
        rows.append(["node", label, reads.node_count(store, label)])
    for name, rel in RELATIONSHIPS.items():
        rows.append(["relationship", name, reads.relationship_count(store, rel)])
    rows += [[f"code ({kind})", name, n] for name, kind, n in reads.code_counts(store)]
    return rows
