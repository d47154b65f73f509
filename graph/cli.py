"""The ``findings`` command line: a thin layer over ingest, loader and store.

Every command takes ``--db PATH`` (LadybugDB, the default) or ``--neo4j URI``.
Errors print one line on stderr naming the file or query and the problem,
and exit non-zero; ``FINDINGS_DEBUG=1`` shows the traceback instead.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from graph.codebook import CodebookError, load_codebook
from graph.export import EXPORT_FORMATS, export_graph, import_cypher_script
from graph.knowledge import CatalogError, load_catalog
from graph.knowledge.lookup import FIXES_COLUMNS, ISSUES_COLUMNS, NotFound, fixes_for, issues_for
from graph.pipeline import update_graph
from graph.output import FORMATS, emit
from graph.queries import QueryNotFound, graph_counts, resolve_query
from graph.store import DEFAULT_DB, GraphStore, StoreError, open_store
from ingest.batch import parse_sources
from ingest.records import IngestError

err = Console(stderr=True)


class Failure(Exception):
    """A user-facing failure: one line, non-zero exit."""


def fail_cleanly(command: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (Failure, StoreError, IngestError, CodebookError, CatalogError, NotFound, QueryNotFound) as exc:
            if os.environ.get("FINDINGS_DEBUG"):
                raise
            click.echo(f"findings: error: {exc}", err=True)
            sys.exit(1)

    return wrapper


def store_options(command: Callable[..., Any]) -> Callable[..., Any]:
    command = click.option(
        "--neo4j", "neo4j", metavar="URI", default=None, help="Neo4j bolt URI (default: $FINDINGS_NEO4J_URI)."
    )(command)
    return click.option(
        "--db",
        metavar="PATH",
        default=None,
        help=f"Embedded database file (default: $FINDINGS_DB or ./{DEFAULT_DB}).",
    )(command)


def format_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True, help="Output format."
    )(command)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="findings-graph")
def main() -> None:
    """findings-graph: coded interviews as a graph you can query and explore."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--coder", default=None, help="Coder name for every file (overrides the title).")
@click.option("--consensus", is_flag=True, help="These files are the moderated (consensus) copies.")
@click.option("--codebook", type=click.Path(path_type=Path), default=None, help="Codebook YAML merged over the default.")
@click.option("--catalog", type=click.Path(path_type=Path), default=None, help="Mitigation catalog YAML merged over the default.")
@store_options
@format_option
@fail_cleanly
def ingest(
    paths: tuple[Path, ...],
    coder: str | None,
    consensus: bool,
    codebook: Path | None,
    catalog: Path | None,
    db: str | None,
    neo4j: str | None,
    fmt: str,
) -> None:
    """Ingest coded transcripts (files or folders, any supported format)."""
    book = load_codebook(codebook)
    mitigations = load_catalog(catalog)
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise Failure(f"{missing[0]}: no such file or folder")
    with Progress(
        TextColumn("parsing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("{task.description}"),
        console=err, transient=True,
    ) as progress:
        from ingest.detect import walk_sources

        task = progress.add_task("", total=len(walk_sources(list(paths))))
        parsed = parse_sources(
            list(paths), coder=coder, consensus=consensus, on_file=lambda p: progress.update(task, advance=1, description=p.name)
        )
    for failure in parsed.failed:
        click.echo(f"findings: error: {failure}", err=True)
    report = None
    if parsed.records:
        with open_store(db, neo4j) as store:
            report = update_graph(store, parsed.records, book, mitigations).load
        for warning in report.warnings:
            click.echo(f"findings: warning: {warning}", err=True)
    summary = _ingest_summary(parsed, report)
    emit(["item", "value"], summary, fmt, title="Ingest summary")
    if parsed.failed:
        sys.exit(1)


def _ingest_summary(parsed: Any, report: Any) -> list[list[Any]]:
    rows: list[list[Any]] = [[f"files: {fmt}", n] for fmt, n in sorted(parsed.formats.items())]
    if report is not None:
        rows += [
            ["transcripts added", len(report.added)],
            ["transcripts replaced", len(report.replaced)],
            ["transcripts unchanged", len(report.unchanged)],
            ["paragraphs", report.paragraphs],
            ["coded pairs", report.coded_pairs],
            ["uncoded prints", len(report.uncoded)],
        ]
        rows += [["uncoded", source] for source in report.uncoded]
    rows += [["skipped", f"{s.path}: {s.problem}"] for s in parsed.skipped]
    rows += [["failed", f"{f.path}: {f.problem}"] for f in parsed.failed]
    return rows


def _parse_params(params: tuple[str, ...]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for item in params:
        name, sep, raw = item.partition("=")
        if not sep or not name:
            raise Failure(f"--param {item!r}: expected NAME=VALUE")
        try:
            # Numbers, booleans and lists in JSON; anything else is a string.
            values[name] = json.loads(raw)
        except json.JSONDecodeError:
            values[name] = raw
    return values


@main.command()
@click.argument("cypher")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE", help="Query parameter (JSON value or text).")
@click.option("--write", is_flag=True, help="Allow the query to change the graph (read-only otherwise).")
@store_options
@format_option
@fail_cleanly
def query(cypher: str, params: tuple[str, ...], write: bool, db: str | None, neo4j: str | None, fmt: str) -> None:
    """Run a Cypher query, a .cypher file, or a query of the library by name."""
    text, label = resolve_query(cypher)
    with open_store(db, neo4j, read_only=not write) as store:
        try:
            result = store.query(text, _parse_params(params))
        except StoreError as exc:
            raise Failure(f"{label}: {exc}") from None
    emit(result.columns, result.rows, fmt)


@main.command()
@store_options
@format_option
@fail_cleanly
def stats(db: str | None, neo4j: str | None, fmt: str) -> None:
    """Counts of nodes, relationships and code applications."""
    with open_store(db, neo4j, read_only=True) as store:
        emit(["section", "name", "count"], graph_counts(store), fmt, title="Graph statistics")


@main.command()
@click.argument("issue")
@store_options
@format_option
@fail_cleanly
def fixes(issue: str, db: str | None, neo4j: str | None, fmt: str) -> None:
    """Strategies that address an ISSUE (code, name or fragment), most interviews first."""
    with open_store(db, neo4j, read_only=True) as store:
        emit(FIXES_COLUMNS, fixes_for(store, issue), fmt, title=f"Fixes for {issue!r}")


@main.command()
@click.argument("mitigation")
@store_options
@format_option
@fail_cleanly
def issues(mitigation: str, db: str | None, neo4j: str | None, fmt: str) -> None:
    """Issues a MITIGATION (name, fragment or the words used for it) addresses, most interviews first."""
    with open_store(db, neo4j, read_only=True) as store:
        emit(ISSUES_COLUMNS, issues_for(store, mitigation), fmt, title=f"Issues addressed by {mitigation!r}")


@main.command("export")
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True, help="Export format.")
@click.argument("out", type=click.Path(path_type=Path))
@store_options
@fail_cleanly
def export_command(fmt: str, out: Path, db: str | None, neo4j: str | None) -> None:
    """Export the graph: GraphML, node-link JSON, neo4j-admin CSV or a Cypher script."""
    with open_store(db, neo4j, read_only=True) as store:
        written = export_graph(store, fmt, out)
    click.echo(f"wrote {len(written)} file(s) to {out}", err=True)


@main.command("import")
@click.argument("script", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@store_options
@fail_cleanly
def import_command(script: Path, db: str | None, neo4j: str | None) -> None:
    """Recreate a graph from a `findings export --format cypher` script, in one transaction."""
    with open_store(db, neo4j) as store:
        count = import_cypher_script(store, script)
    click.echo(f"ran {count} statements from {script}", err=True)


if __name__ == "__main__":
    main()
