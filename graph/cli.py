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
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console

from graph import faults
from graph.analytics.names import EXACT_LIMIT, SAMPLES, VIEWS, WEIGHTINGS
from graph.config import DEFAULT_DB, StoreTarget, read_limits, store_target
from graph.errors import FindingsError
from graph.output import EXPORT_FORMATS, FORMATS, PAPER_FORMATS, emit, emit_quoted
from graph.schema import MEASURES
from graph.store import GraphStore, QueryResult, StoreError, open_store, write_store
from ingest.records import IngestError
from ingest.terminal import printable

if TYPE_CHECKING:
    from graph.analytics.selection import Copies

__all__ = [
    "err",
    "say",
    "Failure",
    "fail_cleanly",
    "store_options",
    "format_option",
    "copies_options",
    "main",
    "ingest",
    "query",
    "stats",
    "full_option",
    "fixes",
    "issues",
    "centrality",
    "agreement",
    "saturation",
    "themes_command",
    "table_command",
    "evaluate",
    "explore",
    "export_command",
    "suggest",
    "import_command",
]

# Each command imports the analytics and knowledge it uses (networkx, pandas, the
# stemmer and catalogs cost a second), so `findings --help` and a query start at once.
err = Console(stderr=True)


def say(message: str) -> None:
    """One line on stderr; names from files in it are shown escaped, never obeyed by the terminal."""
    click.echo(printable(message), err=True)


class Failure(Exception):
    """A user-facing failure: one line, non-zero exit."""


def fail_cleanly(command: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (Failure, FindingsError, IngestError) as exc:
            if os.environ.get("FINDINGS_DEBUG"):
                raise
            say(f"findings: error: {exc}")
            sys.exit(1)

    return wrapper


def store_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--db`` and ``--neo4j``, resolved with the environment into the ``target`` the command receives."""

    @functools.wraps(command)
    def resolved(*args: Any, db: str | None, neo4j: str | None, **kwargs: Any) -> Any:
        return command(*args, target=store_target(db, neo4j), **kwargs)

    with_uri = click.option(
        "--neo4j", "neo4j", metavar="URI", default=None, help="Neo4j bolt URI (default: $FINDINGS_NEO4J_URI)."
    )(resolved)
    return click.option(
        "--db",
        metavar="PATH",
        default=None,
        help=f"Embedded database file (default: $FINDINGS_DB or ./{DEFAULT_DB}).",
    )(with_uri)


def format_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True, help="Output format."
    )(command)


def copies_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--copies RULE`` and its older shorthand ``--coder NAME``, handed to the command as one ``copies`` rule."""

    @functools.wraps(command)
    def wrapper(*args: Any, copies_rule: str | None, coder: str | None, **kwargs: Any) -> Any:
        return command(*args, copies=_copies(copies_rule, coder), **kwargs)

    wrapper = click.option(
        "--coder", default=None, metavar="NAME", help="Read this coder's copies only (the same as --copies coder:NAME)."
    )(wrapper)
    return click.option(
        "--copies", "copies_rule", default=None, metavar="RULE",
        help="Which coded copies count: consensus (default: the moderated copy, else the union of coders), "
             "union (every coded copy, a paragraph once) or coder:NAME.",
    )(wrapper)


def _copies(rule: str | None, coder: str | None) -> Copies:
    """The one copies rule ``--copies`` or ``--coder`` gives; the default when neither does."""
    from graph.analytics.selection import Copies

    if rule is not None and coder is not None:
        raise click.UsageError("--coder NAME is short for --copies coder:NAME; give one of them")
    if coder is not None:
        rule = f"coder:{coder}"
    try:
        return Copies.parse(rule) if rule is not None else Copies()
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--copies") from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="findings-graph")
def main() -> None:
    """findings-graph: coded interviews as a graph you can query and explore."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--coder", default=None, help="Coder name for every file (overrides the title).")
@click.option("--consensus", is_flag=True, help="These files are the moderated (consensus) copies.")
@click.option(
    "--consensus-from",
    "consensus_paths",
    multiple=True,
    type=click.Path(path_type=Path),
    help="File or folder of moderated copies, ingested with PATHS in the same transaction (repeatable).",
)
@click.option("--codebook", type=click.Path(path_type=Path), default=None, help="Codebook YAML merged over the default.")
@click.option("--catalog", type=click.Path(path_type=Path), default=None, help="Mitigation catalog YAML merged over the default.")
@store_options
@format_option
@fail_cleanly
def ingest(
    paths: tuple[Path, ...],
    coder: str | None,
    consensus: bool,
    consensus_paths: tuple[Path, ...],
    codebook: Path | None,
    catalog: Path | None,
    target: StoreTarget,
    fmt: str,
) -> None:
    """Ingest coded transcripts (files or folders, any supported format)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from graph.codebook import load_codebook
    from graph.knowledge import load_catalog
    from graph.pipeline import update_graph
    from ingest.batch import parse_sources
    from ingest.detect import walk_sources

    book = load_codebook(codebook)
    mitigations = load_catalog(catalog)
    if not paths and not consensus_paths:
        raise click.UsageError("name at least one file or folder (PATHS or --consensus-from)")
    missing = [p for p in (*paths, *consensus_paths) if not p.exists()]
    if missing:
        raise Failure(f"{missing[0]}: no such file or folder")
    with Progress(
        TextColumn("parsing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        TextColumn("{task.description}", markup=False),
        console=err, transient=True, disable=not err.is_terminal,
    ) as progress:
        task = progress.add_task("", total=len(walk_sources([*paths, *consensus_paths])))
        parsed = parse_sources(
            list(paths),
            coder=coder,
            consensus=consensus,
            consensus_paths=list(consensus_paths),
            on_file=lambda p: progress.update(task, advance=1, description=printable(p.name)),
            limits=read_limits(),
        )
    faults.reach("parsed")
    if not parsed.records and not parsed.codebooks and not parsed.failed:
        raise Failure(_nothing_found([*paths, *consensus_paths], parsed.skipped))
    for failure in parsed.failed:
        say(f"findings: error: {failure}")
    report = None
    if parsed.records or parsed.codebooks:
        update = write_store(
            target, lambda store: update_graph(store, parsed.records, book, mitigations, parsed.codebooks),
            while_waiting=err.status(f"writing {len(parsed.records)} transcripts") if err.is_terminal else None,
        )
        report = update.load
        for warning in update.warnings:
            say(f"findings: warning: {warning}")
    summary = _ingest_summary(parsed, report)
    emit(["item", "value"], summary, fmt, title="Ingest summary")
    if parsed.failed:
        sys.exit(1)


def _nothing_found(paths: list[Path], skipped: list[Any]) -> str:
    where = ", ".join(str(p) for p in paths)
    if not skipped:
        return f"no transcripts found in {where} (no files)"
    names = ", ".join(f"{Path(s.path).name} ({s.problem.split(' (')[0]})" for s in skipped[:5])
    more = f" and {len(skipped) - 5} more" if len(skipped) > 5 else ""
    return f"no transcripts found in {where}; skipped {len(skipped)} file(s): {names}{more}"


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
        rows += [["fix code", decision] for decision in report.fix_decisions]
    for project in parsed.codebooks:
        rows.append(["codebook only", f"{project.source}: {len(project.code_definitions)} codes, "
                                      f"users {', '.join(project.users) or 'none'}, cases {', '.join(project.cases) or 'none'}; "
                                      f"{len(project.missing_sources)} sources not readable as text"])
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


class _LibraryHelp(click.Command):
    """``findings query --help`` ends with the library's queries, read when the help is shown."""

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        from graph.queries import library

        with formatter.section("Library queries (findings query NAME; --list for their parameters)"):
            formatter.write_dl([(name, q.description) for name, q in library().items()])


def _library_rows() -> list[list[Any]]:
    from graph.queries import library

    return [
        [name, q.description, ", ".join(f"${p}" + (f"={q.examples[p]!r}" if p in q.examples else "") for p in q.parameters)]
        for name, q in library().items()
    ]


@main.command(cls=_LibraryHelp)
@click.argument("cypher", required=False)
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE", help="Query parameter (JSON value or text).")
@click.option("--write", is_flag=True, help="Allow the query to change the graph (read-only otherwise).")
@click.option("--list", "list_library", is_flag=True, help="List the library's queries, what they answer and their parameters.")
@store_options
@format_option
@fail_cleanly
def query(
    cypher: str | None, params: tuple[str, ...], write: bool, list_library: bool, target: StoreTarget,
    fmt: str,
) -> None:
    """Run a Cypher query, a .cypher file, or a query of the library by name."""
    from graph.cypher_guard import RefusedQuery, check_read_query
    from graph.queries import ParameterError, check_parameters, parse_query_file, resolve_query

    if list_library:
        emit(["name", "answers", "parameters (example)"], _library_rows(), fmt, title="Query library")
        return
    if cypher is None:
        raise click.UsageError("name a query: Cypher text, a .cypher file or a library name (--list shows them)")
    text, label = resolve_query(cypher)
    values = _parse_params(params)
    try:
        if not write:
            # LadybugDB's read-only mode still runs CHECKPOINT, EXPORT, LOAD FROM, table functions, a second statement.
            check_read_query(text)
        check_parameters(parse_query_file(label, text), values)
    except RefusedQuery as exc:
        raise Failure(f"{label}: {exc} (without --write, only read queries run)") from None
    except ParameterError as exc:
        raise Failure(f"{label}: {exc}") from None
    try:
        if write:
            result = write_store(target, lambda store: _run_in_transaction(store, text, values))
        else:
            with open_store(target, read_only=True) as store:
                result = store.run(text, values)
    except StoreError as exc:
        raise Failure(f"{label}: {exc}") from None
    emit(result.columns, result.rows, fmt)


def _run_in_transaction(store: GraphStore, cypher: str, params: dict[str, Any]) -> QueryResult:
    with store.transaction() as tx:
        return tx.run(cypher, params)


@main.command()
@store_options
@format_option
@fail_cleanly
def stats(target: StoreTarget, fmt: str) -> None:
    """Counts of nodes, relationships and code applications."""
    from graph.queries import graph_counts

    with open_store(target, read_only=True) as store:
        emit(["section", "name", "count"], graph_counts(store), fmt, title="Graph statistics")


def _evidence(record: dict[str, Any]) -> str:
    interviews, excerpts = record["interviews"], record["excerpts"]
    confidence = "" if record["confidence"] is None else f", confidence {record['confidence']:.2f}"
    return (f"{record['provenance']}, {interviews} interview{'s' if interviews != 1 else ''}, "
            f"{excerpts} excerpt{'s' if excerpts != 1 else ''}{confidence}")


full_option = click.option(
    "--full", is_flag=True,
    help="Every quote each link rests on (default: its best one); in CSV and JSON one row per quote.",
)


@main.command()
@click.argument("issue")
@full_option
@store_options
@format_option
@fail_cleanly
def fixes(issue: str, full: bool, target: StoreTarget, fmt: str) -> None:
    """Strategies that address an ISSUE (code, name or fragment), most interviews first.

    Each comes with the quote it rests on, verbatim, and its interview, coder
    and paragraph position; --full shows every quote.
    """
    from graph.knowledge.lookup import FIXES_COLUMNS, fixes_for

    with open_store(target, read_only=True) as store:
        emit_quoted(FIXES_COLUMNS, fixes_for(store, issue, every_quote=full), fmt, title=f"Fixes for {issue!r}",
                    heading=lambda r: f"{r['mitigation'] or '(no strategy named)'}  ->  {r['issue']}", detail=_evidence)


@main.command()
@click.argument("mitigation")
@full_option
@store_options
@format_option
@fail_cleanly
def issues(mitigation: str, full: bool, target: StoreTarget, fmt: str) -> None:
    """Issues a MITIGATION (name, fragment or the words used for it) addresses, most interviews first.

    Each comes with the quote it rests on, verbatim, and its interview, coder
    and paragraph position; --full shows every quote.
    """
    from graph.knowledge.lookup import ISSUES_COLUMNS, issues_for

    with open_store(target, read_only=True) as store:
        emit_quoted(ISSUES_COLUMNS, issues_for(store, mitigation, every_quote=full), fmt,
                    title=f"Issues addressed by {mitigation!r}",
                    heading=lambda r: f"{r['issue']} ({r['category'] or 'no category'})  <-  {r['mitigation']}",
                    detail=_evidence)


@main.command()
@click.option("--view", type=click.Choice(VIEWS), default="cooccurrence", show_default=True, help="Which projection.")
@click.option(
    "--weighting", type=click.Choice(WEIGHTINGS), default=None,
    help="Co-occurrence view only: issues sharing paragraphs (default) or sharing interviews.",
)
@copies_options
@click.option("--top", type=click.IntRange(min=0), default=20, show_default=True, help="Nodes to show, by PageRank (0: all).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of Louvain and of sampled betweenness.")
@click.option(
    "--samples", type=click.IntRange(min=1), default=SAMPLES, show_default=True,
    help=f"Source nodes betweenness is estimated from on projections above {EXACT_LIMIT:,} nodes (exact below).",
)
@click.option("--write", is_flag=True, help="Also rewrite the stored measures and CO_OCCURS_WITH (every ingest does).")
@store_options
@format_option
@fail_cleanly
def centrality(
    view: str, weighting: str | None, copies: Copies, top: int, seed: int, samples: int, write: bool,
    target: StoreTarget, fmt: str,
) -> None:
    """Central nodes of a projection: degree, PageRank, betweenness, eigenvector, community.

    --write stores the default rule's measures (what every ingest stores); --copies changes the view shown.
    """
    from graph.analytics.centrality import compute_measures
    from graph.analytics.views import build_view
    from graph.analytics.writeback import refresh_store

    if write:
        refreshed = write_store(target, lambda store: refresh_store(store, seed=seed))
        for warning in refreshed.warnings:
            say(f"findings: warning: {warning}")
        say(f"wrote measures on {refreshed.issues} issues and {refreshed.mitigations} mitigations, "
            f"{refreshed.cooccurrences} CO_OCCURS_WITH edges")
    with open_store(target, read_only=True) as store:
        try:
            graph = build_view(store, view, copies=copies, weighting=weighting)
        except ValueError as exc:
            raise Failure(str(exc)) from None
        measures = compute_measures(graph, seed=seed, samples=samples)
    say(
        f"{view} view ({graph.graph['selection']}; weight: {graph.graph['weighting']}): "
        f"{graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges, {measures.communities} communities"
        f"{f' (modularity {measures.modularity:.3f})' if measures.modularity is not None else ''} by "
        f"{measures.community_method}; "
        f"betweenness {measures.betweenness_method}",
    )
    for interview, why in graph.graph.get("left_out", {}).items():
        say(f"left out {interview}: {why}")
    rows = [
        [rank, node[0], node[1], measures.graph.nodes[node].get("name"), *(values[m] for m in MEASURES),
         measures.betweenness_method]
        for rank, (node, values) in enumerate(measures.ranked(top or None), start=1)
    ]
    emit(["rank", "label", "id", "name", *MEASURES, "betweenness_method"], rows, fmt, title=f"Centrality: {view} view")


@main.command()
@click.option("--interview", default=None, help='Only this interview: name, id or number ("Interview 35", 35).')
@click.option("--overall", is_flag=True, help="Only the overall rows, not one per code.")
@store_options
@format_option
@fail_cleanly
def agreement(interview: str | None, overall: bool, target: StoreTarget, fmt: str) -> None:
    """Coder agreement per interview at paragraph level: percent, Cohen's kappa per pair, Krippendorff's alpha."""
    from graph.analytics.agreement import COLUMNS as AGREEMENT_COLUMNS
    from graph.analytics.agreement import OVERALL
    from graph.analytics.agreement import agreement as interview_agreement

    with open_store(target, read_only=True) as store:
        result = interview_agreement(store, interview)
    for name, why in result.skipped.items():
        say(f"skipped {name}: {why}")
    if interview and not result.rows:
        raise Failure(f"interview {interview!r}: no agreement to compute ({'; '.join(result.skipped.values())})")
    for name, excluded in sorted({(row.interview, row.excluded) for row in result.rows if row.excluded}):
        say(f"excluded from {name}: {excluded}")
    rows = [[getattr(row, c) for c in AGREEMENT_COLUMNS] for row in result.rows if not overall or row.code == OVERALL]
    emit(AGREEMENT_COLUMNS, rows, fmt, title="Coder agreement (paragraph level)")


@main.command()
@click.option("--plot", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Also draw the curves to a PNG.")
@click.option("--k", "k", type=click.IntRange(min=1), default=3, show_default=True,
              help="Saturated after k consecutive interviews add nothing new.")
@click.option("--orders", type=click.IntRange(min=0), default=200, show_default=True, help="Random orders to average.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the random orders.")
@copies_options
@store_options
@format_option
@fail_cleanly
def saturation(
    plot: Path | None, k: int, orders: int, seed: int, copies: Copies, target: StoreTarget, fmt: str
) -> None:
    """Cumulative distinct issues and codes as interviews are added, and where they stop growing."""
    from graph.analytics.saturation import COLUMNS as SATURATION_COLUMNS
    from graph.analytics.saturation import plot_saturation
    from graph.analytics.saturation import saturation as saturation_curve

    with open_store(target, read_only=True) as store:
        result = saturation_curve(store, copies=copies, k=k, orders=orders, seed=seed)
    say(f"copies counted: {result.selection}")
    for interview, why in result.left_out.items():
        say(f"left out {interview}: {why}")
    for name, curve in (("issues", result.issues), ("codes", result.codes)):
        in_order = f"saturated after {curve.point} interviews" if curve.point else "not saturated"
        say(
            f"{name}: {in_order} in interview-number order (k={k}); {curve.random_share:.0%} of {orders} random orders"
            f" saturate{f' (median after {curve.random_median:g})' if curve.random_median is not None else ''}",
        )
    if plot is not None:
        try:
            plot_saturation(result, plot)
        except OSError as exc:
            raise Failure(f"{plot}: cannot write the plot ({exc.strerror or exc})") from None
        say(f"wrote {plot}")
    emit(SATURATION_COLUMNS, result.rows(), fmt, title=f"Saturation ({result.selection})")


@main.command("themes")
@click.argument("file", type=click.Path(path_type=Path))
@store_options
@format_option
@fail_cleanly
def themes_command(file: Path, target: StoreTarget, fmt: str) -> None:
    """Store a themes FILE (YAML: themes grouping issues and codes, nested) in the graph, replacing the previous grouping.

    `findings table --rows themes` and the explorer's Tables page then use it; without stored themes they group
    by the codebook's families.
    """
    from graph.themes import load_themes, store_themes

    grouping = load_themes(file)
    resolved = write_store(target, lambda store: store_themes(store, grouping))
    _warn_unresolved(str(file), resolved.unknown)
    say(f"stored {len(grouping)} themes from {file} (the previous grouping is replaced)")
    rows = [[theme.id, "  " * depth + theme.name, theme.parent, len(resolved.issues[theme.id]),
             len(resolved.codes[theme.id])] for theme, depth in grouping.walk()]
    emit(["id", "theme", "parent", "issues", "codes"], rows, fmt, title=f"Themes stored from {file}")


@main.command("table")
@click.option("--rows", "rows_kind", type=click.Choice(("themes", "issues", "codes")), default=None,
              help="What the rows are (default: themes with --themes, else issues).")
@click.option("--columns", "columns_kind", type=click.Choice(("none", "role", "domain", "interview", "coder")),
              default="none", show_default=True,
              help="Break the counts down by the interviewees' roles, their projects' domains, interview, coder, or not.")
@click.option("--cells", "unit", type=click.Choice(("interviews", "excerpts")), default="interviews", show_default=True,
              help="Count distinct interviews or distinct excerpts (paragraphs).")
@click.option("--themes", "themes_file", type=click.Path(path_type=Path), default=None,
              help="Group by this themes file (not stored); default: the stored themes, else the codebook's families.")
@click.option("--quotes", type=click.IntRange(min=0), default=0, show_default=True,
              help="Exemplar quotes per row (the interviewee's, carried by the most coders, most typical of the row).")
@click.option("--top", type=click.IntRange(min=0), default=0, show_default=True,
              help="Issues or codes: only the N with the highest totals (0: all); the totals row still counts all.")
@click.option("--show-query", is_flag=True, help="Print the Cypher (with its parameters) that reproduces every figure, "
                                                   "instead of the table.")
@copies_options
@store_options
@click.option("--format", "fmt", type=click.Choice((*FORMATS, *PAPER_FORMATS)), default="table", show_default=True,
              help="Output format (markdown and latex for a paper).")
@fail_cleanly
def table_command(
    rows_kind: str | None, columns_kind: str, unit: str, themes_file: Path | None, quotes: int, top: int,
    show_query: bool,
    copies: Copies, target: StoreTarget, fmt: str,
) -> None:
    """A table for the paper: themes, issues or codes by role, domain, interview or coder, with totals and quotes."""
    from graph.analytics.tables import crosstab, table_query
    from graph.themes import load_themes

    if themes_file is not None and rows_kind not in (None, "themes"):
        raise click.UsageError("--themes groups the rows into themes; it goes with --rows themes")
    rows_kind = rows_kind or ("themes" if themes_file is not None else "issues")
    grouping = load_themes(themes_file) if themes_file is not None else None
    with open_store(target, read_only=True) as store:
        if show_query:
            text, params = table_query(store, rows_kind, columns_kind, copies=copies, themes=grouping)
            click.echo(f"// parameters: {json.dumps(params, ensure_ascii=False)}")
            click.echo(text)
            return
        table = crosstab(store, rows_kind, columns_kind, unit=unit, copies=copies, themes=grouping, quotes=quotes,
                         top=top or None)
    say(table.description())
    for interview, why in table.left_out.items():
        say(f"left out {interview}: {why}")
    _warn_unresolved(table.grouping or "themes", table.unresolved)
    if quotes:
        from graph.analytics.tables import QUOTE_RULE

        say(f"exemplar quotes: {QUOTE_RULE}")
    _emit_table(table, fmt)


def _warn_unresolved(origin: str, unknown: list[str], shown: int = 6) -> None:
    """One line for the theme references that match nothing (a themes file for a whole study, read on part of it)."""
    if unknown:
        more = f" and {len(unknown) - shown} more" if len(unknown) > shown else ""
        say(f"findings: warning: {origin}: {len(unknown)} names match nothing in the graph: "
            f"{'; '.join(unknown[:shown])}{more}")


def _emit_table(table: Any, fmt: str) -> None:
    """The crosstab in ``fmt``; its quotes as a second table, a quotes column (csv) or per row (json)."""
    from graph.output import latex, markdown

    caption = f"{table.title}; copies counted: {table.selection}"
    quote_columns = [table.row_label, "interview", "coders", "quote"]
    if fmt == "json":
        json.dump(table.records(), sys.stdout, ensure_ascii=False, default=str, indent=1)
        sys.stdout.write("\n")
    elif fmt == "csv":
        extra = ["quotes"] if table.quote_rows() else []
        quoted = [" | ".join(f"{q.text} ({q.interview}; {', '.join(q.coders)})" for q in r.quotes) for r in table.rows]
        rows = [[*row, quote] if extra else row for row, quote in zip(table.table_rows(), [*quoted, ""])]
        emit([*table.header, *extra], rows, "csv")
    elif fmt == "markdown":
        click.echo(markdown(table.header, table.table_rows(indent="&emsp;")), nl=False)
        if table.quote_rows():
            click.echo("")
            click.echo(markdown(quote_columns, table.quote_rows(), numeric_from=len(quote_columns)), nl=False)
    elif fmt == "latex":
        rows = table.table_rows()
        click.echo(latex(table.header, rows, caption=caption, rule_before_last=True,
                         indents=[r.depth for r in table.rows] + [0]), nl=False)
        if table.quote_rows():
            click.echo(latex(quote_columns, table.quote_rows(), numeric_from=len(quote_columns),
                             caption="Exemplar quotes"), nl=False)
    else:
        emit(table.header, table.table_rows(indent="  "), "table", title=table.title)
        if table.quote_rows():
            emit(quote_columns, table.quote_rows(), "table", title="Exemplar quotes")


@main.command()
@click.option(
    "--gold", "gold_path", required=True, type=click.Path(path_type=Path),
    help="Folder of gold files (YAML, as in the fixtures' gold/), or one file.",
)
@click.option(
    "--details", is_flag=True,
    help="One row per gold strategy (found or missed, the closest link, why) and per named link on gold issues.",
)
@store_options
@format_option
@fail_cleanly
def evaluate(gold_path: Path, details: bool, target: StoreTarget, fmt: str) -> None:
    """Score the store against researchers' own readings: strategies (recall, precision), roles, projects."""
    from graph.evaluate import COLUMNS as EVALUATION_COLUMNS
    from graph.evaluate import DETAIL_COLUMNS, detail_rows, load_golds
    from graph.evaluate import evaluate as score_against_gold
    from graph.evaluate import rows as evaluation_rows

    golds = load_golds(gold_path)
    with open_store(target, read_only=True) as store:
        scores = score_against_gold(store, golds)
    for s in scores:
        if s.reading is None:
            say(f"findings: warning: {s.gold.path}: no transcript of {s.gold.interview} by {s.gold.coder} in the store")
    if details:
        emit(DETAIL_COLUMNS, detail_rows(scores), fmt, title="Gold strategies and named links")
    else:
        emit(EVALUATION_COLUMNS, evaluation_rows(scores), fmt, title="Evaluation against gold readings")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (others cannot reach 127.0.0.1).")
@click.option("--port", type=click.IntRange(1, 65535), default=8501, show_default=True, help="Port to listen on.")
@click.option("--browser/--no-browser", default=True, show_default=True,
              help="Open the explorer in a browser once it answers (when there is a display to show one).")
@store_options
@fail_cleanly
def explore(host: str, port: int, browser: bool, target: StoreTarget) -> None:
    """Open the graph in the browser: overview, network, fixes, interviews, Cypher (read-only)."""
    from explorer import launch

    with open_store(target, read_only=True):
        pass  # a missing database or unreachable server fails here, in one line, not in the browser
    if launch.port_taken(host, port):
        other = launch.free_port_after(host, port)
        raise Failure(f"port {port} on {host} is taken (another explorer?)"
                      + (f"; try findings explore --port {other}" if other else "; choose another with --port"))
    url = f"http://{host}:{port}"
    err.print(f"The explorer is at [bold]{url}[/bold] (Ctrl-C stops it)", highlight=False, soft_wrap=True)
    if browser and launch.can_show_a_browser():
        launch.open_when_ready(url)
    command = launch.streamlit_command(host, port)
    # Streamlit takes this process over, so signals (Ctrl-C, a test's terminate) reach the server itself.
    os.execve(command[0], command, launch.streamlit_environment(target))


@main.command("export")
@click.option("--format", "fmt", type=click.Choice([*EXPORT_FORMATS, "qdpx"]), required=True, help="Export format.")
@click.option("--suggestions/--no-suggestions", default=True, show_default=True,
              help="qdpx only: include stored suggestions, as their own user, for review in the QDA tool.")
@click.argument("out", type=click.Path(path_type=Path))
@store_options
@fail_cleanly
def export_command(fmt: str, suggestions: bool, out: Path, target: StoreTarget) -> None:
    """Export the graph: GraphML, node-link JSON, neo4j-admin CSV, a Cypher script, or a REFI-QDA project (qdpx).

    A .qdpx opens in NVivo, ATLAS.ti, MAXQDA and QualCoder: each coded copy a text source, each coder a
    user (consensus copies and suggestions as users of their own), every coding a text selection.
    """
    if fmt == "qdpx":
        from graph.export_qdpx import export_qdpx

        with open_store(target, read_only=True) as store:
            summary = export_qdpx(store, out, suggestions=suggestions)
        say(f"wrote {out}: {summary}")
        return
    from graph.export import export_graph

    with open_store(target, read_only=True) as store:
        written = export_graph(store, fmt, out)
    say(f"wrote {len(written)} file(s) to {out}")


@main.command()
@click.option("--interview", default=None, help='Suggest for this interview: name, id or number ("Interview 7", 7).')
@click.option("--transcript", default=None, metavar="ID", help="Suggest for this transcript copy (its id).")
@click.option("--uncoded", is_flag=True, help="Suggest for every uncoded print.")
@click.option("--write", is_flag=True,
              help="Store the suggestions (SUGGESTED_AS, provenance suggested), apart from coding: no count, "
                   "measure or knowledge link reads them.")
@click.option("--evaluate", "run_evaluation", is_flag=True,
              help="Leave one interview out over every interview with two or more coded copies: suggestions "
                   "against each coder, beside the coders against each other.")
@copies_options
@store_options
@format_option
@fail_cleanly
def suggest(
    interview: str | None, transcript: str | None, uncoded: bool, write: bool, run_evaluation: bool, copies: Copies,
    target: StoreTarget, fmt: str,
) -> None:
    """Suggest codes per paragraph, learned from the study's own coded copies (never from the interview itself).

    --copies chooses which coded copies teach the model (default: consensus, else the union of coders).
    """
    from graph import suggest as suggesting

    if run_evaluation:
        if write or uncoded or transcript:
            raise click.UsageError("--evaluate scores suggestions; it takes --interview at most")
        with open_store(target, read_only=True) as store:
            evaluation = suggesting.evaluate(store, copies, interview)
        for name, why in evaluation.skipped.items():
            say(f"skipped {name}: {why}")
        say(f"codes suggested: those on at least {evaluation.min_examples} training paragraphs in at least "
            f"{evaluation.min_interviews} other interviews")
        for name, seconds in evaluation.seconds.items():
            say(f"{name}: trained and suggested in {seconds:.1f} s")
        emit(suggesting.EVALUATION_COLUMNS, [r.row() for r in evaluation.rows], fmt,
             title="Suggestions against each coder, leave one interview out")
        return
    if not (interview or transcript or uncoded):
        raise click.UsageError("name what to suggest for: --interview, --transcript or --uncoded (or --evaluate)")
    with open_store(target, read_only=True) as store:
        chosen = suggesting.targets(store, interview=interview, transcript=transcript, uncoded=uncoded)
        if not chosen:
            raise Failure(f"no transcript found for {interview or transcript or 'uncoded prints'}")
        result = suggesting.suggest(store, chosen, copies)
    for copy in chosen:
        model = result.models[copy.interview]
        say(f"{copy.interview_name} ({copy.coder}): {len(model.codes)} codes learned from "
            f"{len(model.trained_on)} other interviews, {len(model.too_rare)} too rare "
            f"(< {suggesting.MIN_EXAMPLES} paragraphs in {suggesting.MIN_INTERVIEWS}+ interviews); "
            f"{result.seconds[copy.transcript]:.1f} s")
    if write:
        stored = write_store(target, lambda store: suggesting.write_suggestions(store, result.suggestions))
        say(f"stored {stored} suggestions as coder {suggesting.SUGGESTED_CODER!r} (provenance "
            f"{suggesting.PROVENANCE!r}); counts, measures and knowledge links do not read them")
    emit(suggesting.COLUMNS, [s.row() for s in result.suggestions], fmt, title="Suggested codes")


@main.command("import")
@click.argument("script", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@store_options
@fail_cleanly
def import_command(script: Path, target: StoreTarget) -> None:
    """Recreate a graph from a `findings export --format cypher` script, in one transaction."""
    from graph.export import import_cypher_script

    count = write_store(target, lambda store: import_cypher_script(store, script))
    say(f"ran {count} statements from {script}")


if __name__ == "__main__":
    main()
