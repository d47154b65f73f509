"""Print rows for people (rich tables), for scripts (CSV, JSON), or for a paper (Markdown, LaTeX).

``--format json`` prints exactly one JSON array of row objects on stdout
and nothing else, so scripts can pipe it; progress and messages go to stderr.
Tables show names from files escaped and never read them as rich markup (a
code named ``Data-[/]`` used to crash the table); CSV and JSON keep the real
values.
"""

from __future__ import annotations

import csv
import json
import sys
import textwrap
from collections.abc import Callable, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ingest.terminal import printable

__all__ = ["FORMATS", "PAPER_FORMATS", "TABLE_CELL_CHARS", "emit", "emit_quoted", "markdown", "latex_escape", "latex"]

FORMATS = ("table", "csv", "json")
# Tables meant for a paper (findings table) can also be written as these.
PAPER_FORMATS = ("markdown", "latex")
# What `findings export` writes (graph.export; qdpx: graph.export_qdpx).
EXPORT_FORMATS = ("graphml", "json", "csv", "cypher")


# A table is for reading: long texts (quotes) are cut there, and complete in csv and json.
TABLE_CELL_CHARS = 160


def _cell(value: Any, limit: int | None = None) -> str:
    text = _text(value)
    return text if limit is None or len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _shown(text: str, *, lines: bool = False) -> Text:
    """Plain text for a table: escaped, and a Text so that rich reads no markup in it."""
    return Text(printable(text, lines=lines))


def emit(columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str = "table", *, title: str | None = None) -> None:
    """Write ``rows`` to stdout in ``fmt``."""
    if fmt == "json":
        json.dump([dict(zip(columns, row)) for row in rows], sys.stdout, ensure_ascii=False, default=str, indent=1)
        sys.stdout.write("\n")
    elif fmt == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows([[_cell(v) for v in row] for row in rows])
    else:
        table = Table(title=_shown(title) if title else None, title_justify="left", header_style="bold")
        for column in columns:
            table.add_column(_shown(column), overflow="fold", min_width=min(len(column), 12))
        for row in rows:
            table.add_row(*(_shown(_cell(v, TABLE_CELL_CHARS), lines=True) for v in row))
        # Piped output has no terminal width; 80 columns would fold every cell.
        console = Console() if sys.stdout.isatty() else Console(width=200)
        console.print(table)
        if not rows:
            Console(stderr=True).print("[dim](no rows)[/dim]")


def emit_quoted(
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    fmt: str = "table",
    *,
    title: str,
    heading: Callable[[dict[str, Any]], str],
    detail: Callable[[dict[str, Any]], str],
) -> None:
    """Rows that each end in a quote (``interview``, ``coder``, ``position``, ``quote``), for reading or scripts.

    CSV and JSON get the rows as :func:`emit` writes them. For people, a
    table would cut a paragraph-long quote or squeeze it into a narrow
    column, so each row is a block instead: a ``heading`` line, a ``detail``
    line and then every quote of that heading, with where it comes from,
    wrapped in full to the terminal's width (``COLUMNS`` when piped).
    """
    if fmt != "table":
        emit(columns, rows, fmt, title=title)
        return
    console = Console()
    console.print(Text(printable(title), style="bold"))
    last = None
    for row in rows:
        record = dict(zip(columns, row))
        head = heading(record)
        if head != last:
            console.print()
            console.print(Text(printable(head), style="bold"))
            _indented(console, detail(record), 2)
            last = head
        where = ", ".join(
            part for part in (
                record.get("interview"),
                (f"coder{'s' if ', ' in record['coder'] else ''} {record['coder']}"
                 if record.get("coder") else None),
                f"position {record['position']}" if record.get("position") is not None else None,
            ) if part
        )
        if where:
            _indented(console, where + ":", 2, style="dim")
        _indented(console, _text(record.get("quote")), 4)
    if not rows:
        Console(stderr=True).print("[dim](no rows)[/dim]")


def _indented(console: Console, text: str, indent: int, style: str = "") -> None:
    """``text`` wrapped at word boundaries to the console's width, each line indented, no trailing blanks."""
    width = max(console.width - indent, 20)
    for line in printable(text, lines=True).split("\n"):
        for part in textwrap.wrap(line, width) or [""]:
            console.print(Text(" " * indent + part, style=style), soft_wrap=True)


def markdown(columns: Sequence[str], rows: Sequence[Sequence[Any]], *, numeric_from: int = 1) -> str:
    """A GitHub-flavoured Markdown table; columns from ``numeric_from`` on are right-aligned (counts)."""

    def cell(value: Any) -> str:
        return " ".join(_text(value).split()).replace("|", "\\|")

    align = ["---" if i < numeric_from else "--:" for i in range(len(columns))]
    lines = [f"| {' | '.join(cell(c) for c in columns)} |", f"| {' | '.join(align)} |"]
    lines += [f"| {' | '.join(cell(v) for v in row)} |" for row in rows]
    return "\n".join(lines) + "\n"


_LATEX_SPECIAL = {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}",
                  "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "\\": r"\textbackslash{}"}


def latex_escape(text: str) -> str:
    return "".join(_LATEX_SPECIAL.get(ch, ch) for ch in text)


def latex(
    columns: Sequence[str], rows: Sequence[Sequence[Any]], *, numeric_from: int = 1, caption: str | None = None,
    rule_before_last: bool = False, indents: Sequence[int] | None = None,
) -> str:
    """A LaTeX ``tabular`` (booktabs rules) in a ``table``; ``rule_before_last`` sets a totals row apart and
    ``indents`` (per row) indents its first cell by that many em (nested themes)."""

    def cell(value: Any) -> str:
        return latex_escape(" ".join(_text(value).split()))

    spec = "".join("l" if i < numeric_from else "r" for i in range(len(columns)))
    lines = [r"\begin{table}[ht]", r"\centering"]
    if caption:
        lines.append(rf"\caption{{{latex_escape(caption)}}}")
    lines += [rf"\begin{{tabular}}{{{spec}}}", r"\toprule", " & ".join(cell(c) for c in columns) + r" \\", r"\midrule"]
    for index, row in enumerate(rows):
        if rule_before_last and index == len(rows) - 1 and index > 0:
            lines.append(r"\midrule")
        indent = rf"\hspace{{{indents[index]}em}}" if indents and indents[index] else ""
        lines.append(indent + " & ".join(cell(v) for v in row) + r" \\")
    lines += [r"\bottomrule", r"\end{tabular}", r"\end{table}"]
    return "\n".join(lines) + "\n"
