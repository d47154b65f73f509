"""Which Cypher a read-only query (the CLI without --write, the explorer's editor) refuses, and why.

The explorer's connection is read-only, and both backends refuse writes on
it (LadybugDB: "Cannot execute write operations in a read-only database";
Neo4j: a read transaction). But LadybugDB's read-only mode lets through
statements that are not writes to the graph yet must never run from a
browser (measured on ladybug 0.22):

- ``CHECKPOINT`` fails half-way and leaves the database unopenable
  read-only until someone opens it read-write;
- ``EXPORT DATABASE`` writes files; ``INSTALL`` downloads an extension from
  the internet; ``LOAD FROM`` / ``LOAD CSV`` read arbitrary local files.

So the editor refuses any query that uses a clause outside reading the
graph. Words inside strings, comments, backquoted names, property names
(``n.set``), labels (``:Set``), parameters, map keys and aliases (``AS set``)
are not clauses. It also refuses a second statement after ``;``: LadybugDB
runs every statement of such a query before the explorer could look at
the first one's result.
"""

from __future__ import annotations

import re

# Clauses that change the graph, the files or the session, in either dialect.
REFUSED = frozenset(
    ["alter", "analyze", "attach", "begin", "checkpoint", "comment", "commit", "copy", "create", "delete", "detach", "drop", "export", "force", "foreach", "import", "install", "load", "merge", "remove", "rollback", "set", "uninstall", "update", "use"]
)

SECOND_STATEMENT = "a second statement after ';'"

# Strings, comments, backquoted names and aliases, removed before looking for clauses.
_NOISE = re.compile(
    r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`|//[^\n]*|/\*.*?\*/|\bAS\s+[A-Za-z_]\w*", re.DOTALL | re.IGNORECASE
)
_WORD = re.compile(r"(?<![\w.:$])([A-Za-z_]\w*)(?!\s*:)")


def refused_clauses(cypher: str) -> list[str]:
    """The refused clauses ``cypher`` uses, upper-cased, in order of first use (and :data:`SECOND_STATEMENT`)."""
    found: list[str] = []
    text = _NOISE.sub(" ", cypher)
    for word in _WORD.findall(text):
        upper = word.upper()
        if word.lower() in REFUSED and upper not in found:
            found.append(upper)
    if re.search(r";\s*\S", text):
        found.append(SECOND_STATEMENT)
    return found


def is_write_refusal(message: str) -> bool:
    """Whether a database error is its refusal to write on a read-only connection."""
    lowered = message.lower()
    return "read-only" in lowered or "read only" in lowered or "read access mode" in lowered or "accessmode" in lowered
