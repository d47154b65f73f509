"""Export the whole graph for other tools, and rebuild a store from a Cypher dump.

Formats:
- ``graphml``: for Gephi, Cytoscape, yEd and networkx (lists become JSON text,
  since GraphML has no list type);
- ``json``: networkx node-link JSON;
- ``csv``: one file per label and per relationship type, with the headers
  ``neo4j-admin database import full`` expects (an id space per label);
- ``cypher``: a script of ``CREATE`` statements, one per line, that recreates
  the graph on LadybugDB or Neo4j (``findings import``).

Node ids in GraphML and JSON are ``Label:id`` because ids are unique per
label only.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph.output import EXPORT_FORMATS
from graph.schema import KEY, NODES, RELATIONSHIPS
from graph.store import GraphStore, StoreError

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "EXPORT_FORMATS",
    "GraphDump",
    "dump_graph",
    "to_networkx",
    "write_graphml",
    "write_node_link_json",
    "write_neo4j_csv",
    "cypher_literal",
    "cypher_statements",
    "write_cypher_script",
    "WRITERS",
    "export_graph",
    "import_cypher_script",
]

_ADMIN_TYPES = {"STRING": "string", "INT64": "long", "DOUBLE": "double", "BOOL": "boolean", "STRING[]": "string[]"}
_ARRAY_DELIMITER = ";"  # neo4j-admin's default array delimiter


@dataclass
class GraphDump:
    """All nodes and relationships of a store, as plain rows in schema order."""

    nodes: dict[str, list[dict[str, Any]]]
    relationships: dict[str, list[dict[str, Any]]]

    def counts(self) -> dict[str, int]:
        return {**{k: len(v) for k, v in self.nodes.items()}, **{k: len(v) for k, v in self.relationships.items()}}


def dump_graph(store: GraphStore) -> GraphDump:
    """Read every node and relationship the schema defines."""
    nodes = {}
    for label, node in NODES.items():
        columns = node.columns
        result = store.run(
            f"MATCH (n:{label}) RETURN " + ", ".join(f"n.{c} AS {c}" for c in columns) + f" ORDER BY n.{KEY}"
        )
        nodes[label] = result.records()
    relationships = {}
    for name, rel in RELATIONSHIPS.items():
        props = "".join(f", r.{p} AS {p}" for p in rel.properties)
        result = store.run(
            f"MATCH (a:{rel.source})-[r:{name}]->(b:{rel.target}) RETURN a.{KEY} AS source, b.{KEY} AS target{props} "
            # Parallel relationships (an excerpt suggesting one strategy for two issues) sort by their properties.
            "ORDER BY source, target" + "".join(f", {p}" for p in rel.properties)
        )
        relationships[name] = result.records()
    return GraphDump(nodes, relationships)


def _present(value: Any) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def to_networkx(dump: GraphDump) -> nx.MultiDiGraph:
    import networkx as nx  # only the GraphML and JSON exports need it

    graph = nx.MultiDiGraph()
    for label, rows in dump.nodes.items():
        for row in rows:
            attrs = {k: v for k, v in row.items() if k != KEY and _present(v)}
            graph.add_node(f"{label}:{row[KEY]}", label=label, key=row[KEY], **attrs)
    for name, rows in dump.relationships.items():
        rel = RELATIONSHIPS[name]
        for row in rows:
            attrs = {k: v for k, v in row.items() if k not in {"source", "target"} and _present(v)}
            graph.add_edge(f"{rel.source}:{row['source']}", f"{rel.target}:{row['target']}", type=name, **attrs)
    return graph


def write_graphml(dump: GraphDump, out: Path) -> list[Path]:
    import networkx as nx

    graph = to_networkx(dump)
    for _, attrs in graph.nodes(data=True):
        for key, value in attrs.items():
            if isinstance(value, list):
                attrs[key] = json.dumps(value, ensure_ascii=False)
    nx.write_graphml(graph, out)
    return [out]


def write_node_link_json(dump: GraphDump, out: Path) -> list[Path]:
    import networkx as nx

    data = nx.node_link_data(to_networkx(dump), edges="links")
    out.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return [out]


def _admin_value(value: Any) -> Any:
    if not _present(value):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return _ARRAY_DELIMITER.join(str(v) for v in value)
    return value


def write_neo4j_csv(dump: GraphDump, out: Path) -> list[Path]:
    """CSV files for ``neo4j-admin database import full --nodes=... --relationships=...``."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for label, node in NODES.items():
        path = out / f"nodes-{label}.csv"
        header = [f"{KEY}:ID({label})", *(f"{p}:{_ADMIN_TYPES[t]}" for p, t in node.properties.items()), ":LABEL"]
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            for row in dump.nodes[label]:
                writer.writerow([row[KEY], *(_admin_value(row[p]) for p in node.properties), label])
        written.append(path)
    for name, rel in RELATIONSHIPS.items():
        path = out / f"relationships-{name}.csv"
        header = [
            f":START_ID({rel.source})",
            f":END_ID({rel.target})",
            *(f"{p}:{_ADMIN_TYPES[t]}" for p, t in rel.properties.items()),
            ":TYPE",
        ]
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            for row in dump.relationships[name]:
                writer.writerow([row["source"], row["target"], *(_admin_value(row[p]) for p in rel.properties), name])
        written.append(path)
    return written


def cypher_literal(value: Any) -> str:
    """A Cypher literal both LadybugDB and Neo4j read back as ``value``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(cypher_literal(v) for v in value) + "]"
    text = str(value).replace("\\", "\\\\").replace("'", "\\'")
    text = text.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return f"'{text}'"


def _properties(row: dict[str, Any], names: list[str]) -> str:
    pairs = [f"{name}: {cypher_literal(row[name])}" for name in names if _present(row.get(name))]
    return " {" + ", ".join(pairs) + "}" if pairs else ""


def cypher_statements(dump: GraphDump) -> Iterator[str]:
    """One ``CREATE`` per node and per relationship, absent properties left out."""
    for label, node in NODES.items():
        for row in dump.nodes[label]:
            yield f"CREATE (:{label}{_properties(row, node.columns)});"
    for name, rel in RELATIONSHIPS.items():
        for row in dump.relationships[name]:
            yield (
                f"MATCH (a:{rel.source} {{{KEY}: {cypher_literal(row['source'])}}}), "
                f"(b:{rel.target} {{{KEY}: {cypher_literal(row['target'])}}}) "
                f"CREATE (a)-[:{name}{_properties(row, list(rel.properties))}]->(b);"
            )


def write_cypher_script(dump: GraphDump, out: Path) -> list[Path]:
    with out.open("w", encoding="utf-8") as handle:
        handle.write("// findings-graph export: recreate with `findings import FILE` on an empty store.\n")
        for statement in cypher_statements(dump):
            handle.write(statement + "\n")
    return [out]


WRITERS = {"graphml": write_graphml, "json": write_node_link_json, "csv": write_neo4j_csv, "cypher": write_cypher_script}


def export_graph(store: GraphStore, fmt: str, out: Path) -> list[Path]:
    """Write the store's graph to ``out`` (a file, or a folder for csv)."""
    return WRITERS[fmt](dump_graph(store), out)


def import_cypher_script(store: GraphStore, path: Path) -> int:
    """Run an exported script in one transaction; returns the statements run.

    Refuses a non-empty store, since the script creates rather than merges.
    """
    if store.run("MATCH (n) RETURN count(n)").scalar():
        raise StoreError(f"{store.location}: store is not empty; import into a fresh database")
    count = 0
    with store.transaction() as tx, path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            statement = line.strip()
            if not statement or statement.startswith("//"):
                continue
            try:
                tx.run(statement.rstrip(";"))
            except StoreError as exc:
                raise StoreError(f"{path}:{number}: {exc}") from None
            count += 1
    return count
