"""Theme tables and crosstabs: how many interviews raised each theme, issue or code, broken down, with quotes.

What a researcher writes after coding is tables: each theme or issue, how
many participants raised it, by role, domain or coder, with an exemplar
quote or two (NVivo's matrix coding query, MAXQDA's crosstabs). A table
here has:

- **rows**: themes (:mod:`graph.themes`: a themes file, else the stored
  grouping, else the codebook's families), issues, or codes (of the kinds
  that are findings). A theme covers the codes it lists, the codes that
  indicate its issues, and all its nested themes cover.
- **columns**: the interviewee's roles (``Interviewee.roles``), the domains
  of the projects they worked on (``Project.domain`` over ``WORKED_ON``), the
  interview, the coder of the copy (a moderated copy is "NAME (consensus)"),
  or none. Roles and domains are attributes of the interview, as a
  participant's attributes are in a paper's table: an interview counts under
  each of its interviewee's roles and domains, and under "(no role)" /
  "(no domain)" when there are none.
- **cells**: distinct interviews (default) or distinct excerpts, i.e.
  paragraphs ``(interview, position)``, counted once however many copies
  carry them, on the copies the rule chooses (:mod:`.selection`).
- **totals**: the total column counts the row's distinct interviews (or
  excerpts) whatever the column, and the total row those of any row; so a
  total is not the sum of its cells when columns overlap (an interviewee
  with two roles, two coders of one interview) or rows do (nested themes).

**Exemplar quotes** (:data:`QUOTE_RULE`): among the row's paragraphs on the
selected copies, the interviewee's words before the interviewer's; then
those carried by the most coded copies of the interview (coders who agree
that the paragraph is about the row); then those closest in wording to the
row's other paragraphs (cosine similarity of word counts to the sum of the
others: the most typical, not the most unusual); one per interview before a
second from any; ties by interview and position.

Every figure can be reproduced by the Cypher :func:`table_query` returns
(``findings table --show-query``), which recomputes the copies rule, the
rows' membership and the columns in the query itself.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from graph import reads
from graph.analytics.selection import CONSENSUS, Copies, Selection, select
from graph.knowledge.transcript import INTERVIEWER, speaker_role
from graph.store import Reader
from graph.themes import Theme, Themes, family_themes, resolve, stored_themes

__all__ = [
    "ROW_KINDS",
    "COLUMN_KINDS",
    "UNITS",
    "FINDING_KINDS",
    "TOTAL",
    "QUOTE_RULE",
    "Paragraph",
    "Quote",
    "Row",
    "Crosstab",
    "RowSpec",
    "theme_rows",
    "issue_rows",
    "code_rows",
    "grouping_of",
    "crosstab",
    "table_query",
]

ROW_KINDS = ("themes", "issues", "codes")
COLUMN_KINDS = ("none", "role", "domain", "interview", "coder")
UNITS = ("interviews", "excerpts")
# The code kinds that are findings (as saturation counts them): not questions, meta codes or family names.
FINDING_KINDS = ["issue", "fix", "mitigation", "context", "other"]
TOTAL = "total"
NO_ROLE, NO_DOMAIN = "(no role)", "(no domain)"
# Cypher depth bound of nested themes (graph.themes.MAX_DEPTH keeps files within it).
_THEME_DEPTH = 30
QUOTE_RULE = (
    "the interviewee's words first; then the paragraphs the most coded copies of the interview carry the row on "
    "(coders agreeing); then the closest in wording to the row's other paragraphs; one per interview first"
)
_WORD = re.compile(r"[^\W\d_]{3,}")
_ROW_LABEL = {"themes": "theme", "issues": "issue", "codes": "code"}
Paragraph = tuple[str, int]  # (interview id, position)


@dataclass(frozen=True)
class Quote:
    """One exemplar paragraph of a row, with who said it and who coded it."""

    interview: str  # interview name
    position: int
    coders: list[str]  # the copies that carry the row on this paragraph (coder names; "NAME (consensus)")
    speaker: str
    text: str
    similarity: float  # cosine of its word counts with the row's other paragraphs'

    def record(self) -> dict[str, Any]:
        return {"interview": self.interview, "position": self.position, "coders": self.coders,
                "speaker": self.speaker, "similarity": round(self.similarity, 4), "text": self.text}


@dataclass
class Row:
    id: str
    name: str
    depth: int  # nesting of a theme (0 at the top); 0 for issues and codes
    cells: dict[str, int]
    total: int
    quotes: list[Quote] = field(default_factory=list)


@dataclass
class Crosstab:
    """A table: rows by columns of counts, with totals, and what it counted."""

    rows_kind: str
    columns_kind: str
    unit: str
    copies: Copies
    selection: str  # the copies rule in words
    columns: list[str]
    rows: list[Row]
    column_totals: dict[str, int]
    total: int
    grouping: str | None = None  # where the themes came from (rows = themes)
    unresolved: list[str] = field(default_factory=list)  # theme references that matched nothing
    left_out: dict[str, str] = field(default_factory=dict)  # interview name -> why
    cut: str | None = None  # which rows a table limited to its top rows kept

    @property
    def row_label(self) -> str:
        return _ROW_LABEL[self.rows_kind]

    @property
    def header(self) -> list[str]:
        return [self.row_label, *self.columns, TOTAL]

    def table_rows(self, *, indent: str = "") -> list[list[Any]]:
        """Rows for a printed table: name (a theme after ``indent`` once per level of nesting), counts, total;
        the totals row last."""
        body = [[indent * r.depth + r.name, *(r.cells[c] for c in self.columns), r.total] for r in self.rows]
        return [*body, [TOTAL, *(self.column_totals[c] for c in self.columns), self.total]]

    def records(self) -> list[dict[str, Any]]:
        """One object per row (its name, id, counts, total, quotes when asked for), then the totals row (id None)."""
        keys = _column_keys(self.columns, {self.row_label, "id", TOTAL, "quotes", "depth"})
        out = []
        for r in self.rows:
            record: dict[str, Any] = {self.row_label: r.name, "id": r.id}
            if self.rows_kind == "themes":
                record["depth"] = r.depth
            record.update({keys[c]: r.cells[c] for c in self.columns})
            record[TOTAL] = r.total
            if r.quotes:
                record["quotes"] = [q.record() for q in r.quotes]
            out.append(record)
        totals: dict[str, Any] = {self.row_label: TOTAL, "id": None}
        totals.update({keys[c]: self.column_totals[c] for c in self.columns})
        totals[TOTAL] = self.total
        return [*out, totals]

    def quote_rows(self) -> list[list[Any]]:
        return [[r.name, q.interview, ", ".join(q.coders), q.text] for r in self.rows for q in r.quotes]

    @property
    def title(self) -> str:
        """A short title: what the rows and columns are and what a cell counts."""
        what = self.rows_kind.capitalize()
        if self.columns_kind != "none":
            what = f"{what} by {self.columns_kind}"
        return f"{what} (distinct {self.unit})"

    def description(self) -> str:
        unit = "distinct interviews" if self.unit == "interviews" else "distinct excerpts (paragraphs)"
        what = f"{self.rows_kind} by {self.columns_kind}" if self.columns_kind != "none" else self.rows_kind
        grouping = f"; themes: {self.grouping}" if self.grouping else ""
        cut = f"; {self.cut}" if self.cut else ""
        return f"{what}; cells: {unit}; copies counted: {self.selection} (--copies {self.copies}){grouping}{cut}"


def _column_keys(columns: list[str], reserved: set[str]) -> dict[str, str]:
    """JSON keys of the columns: a column named like a reserved key ("total") gets a suffix."""
    return {c: f"{c} (column)" if c in reserved else c for c in columns}


# --- which codes make each row -------------------------------------------------------------------------


@dataclass(frozen=True)
class RowSpec:
    id: str
    name: str
    depth: int
    codes: frozenset[str]


def _indicating(source: Reader) -> dict[str, set[str]]:
    """Issue id -> the codes that indicate it."""
    codes: dict[str, set[str]] = defaultdict(set)
    for issue, _, code in reads.issues_by_code(source):
        codes[issue].add(code)
    return codes


def theme_rows(source: Reader, themes: Themes) -> tuple[list[RowSpec], list[str]]:
    """One row per theme (depth first, in order), covering its codes, its issues' codes and its nested themes'."""
    resolved = resolve(source, themes)
    indicating = _indicating(source)

    def covered(theme: Theme) -> set[str]:
        codes = set(resolved.codes[theme.id])
        for issue in resolved.issues[theme.id]:
            codes |= indicating.get(issue, set())
        for child in theme.children:
            codes |= covered(child)
        return codes

    return [RowSpec(t.id, t.name, depth, frozenset(covered(t))) for t, depth in themes.walk()], resolved.unknown


def issue_rows(source: Reader) -> list[RowSpec]:
    rows: dict[str, tuple[str, set[str]]] = {}
    for issue, name, code in reads.issues_by_code(source):
        rows.setdefault(issue, (name or issue, set()))[1].add(code)
    return [RowSpec(k, name, 0, frozenset(codes)) for k, (name, codes) in rows.items()]


def code_rows(source: Reader) -> list[RowSpec]:
    found = reads.codes_of_kinds(source, list(FINDING_KINDS))
    return [RowSpec(code, name or code, 0, frozenset([code])) for code, name in found]


def grouping_of(source: Reader, themes: Themes | None) -> Themes:
    """The themes a table uses: those given, else the stored ones, else the codebook's families."""
    if themes is not None:
        return themes
    return stored_themes(source) or family_themes(source)


# --- the table -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Copy:
    interview: str
    coder: str  # the column label of the copy: coder name, "NAME (consensus)" for a moderated copy


def _copies(source: Reader) -> dict[str, _Copy]:
    return {
        tid: _Copy(interview, _coder_label(coder, consensus))
        for tid, interview, coder, consensus, _ in reads.interview_copies(source)
    }


def _coder_label(coder: str | None, consensus: bool) -> str:
    name = coder or "raw"
    return f"{name} (consensus)" if consensus else name


def _interview_columns(source: Reader, kind: str) -> tuple[dict[str, set[str]], dict[str, str], dict[str, tuple]]:
    """Per interview id: its column values for ``role`` or ``domain``; its name; its sort key (number, name)."""
    names: dict[str, str] = {}
    order: dict[str, tuple] = {}
    for iid, name, number in reads.interview_numbers(source):
        names[iid] = name or iid
        order[iid] = (number is None, number or 0, name or iid)
    values: dict[str, set[str]] = defaultdict(set)
    if kind == "role":
        for iid, roles in reads.interviewee_roles(source):
            values[iid] |= {r for r in roles or [] if r is not None}
    elif kind == "domain":
        for iid, domain in reads.interview_domains(source):
            if domain is not None:
                values[iid].add(domain)
    empty = NO_ROLE if kind == "role" else NO_DOMAIN
    return {iid: (values.get(iid) or {empty}) for iid in names}, names, order


def crosstab(
    source: Reader,
    rows: str = "issues",
    columns: str = "none",
    *,
    unit: str = "interviews",
    copies: Copies = CONSENSUS,
    themes: Themes | None = None,
    quotes: int = 0,
    top: int | None = None,
) -> Crosstab:
    """The table of ``rows`` by ``columns``, counting ``unit`` on the copies ``copies`` chooses, with up to
    ``quotes`` exemplar quotes per row; ``top`` keeps the issues or codes with the highest totals (the totals
    row still counts every row)."""
    if rows not in ROW_KINDS or columns not in COLUMN_KINDS or unit not in UNITS or quotes < 0 or (top or 0) < 0:
        raise ValueError(f"rows is one of {ROW_KINDS}, columns one of {COLUMN_KINDS}, unit one of {UNITS}, "
                         "quotes and top >= 0")
    grouping = None
    unresolved: list[str] = []
    if rows == "themes":
        chosen = grouping_of(source, themes)
        grouping = chosen.origin
        specs, unresolved = theme_rows(source, chosen)
    else:
        specs = issue_rows(source) if rows == "issues" else code_rows(source)
    selection = select(source, copies)
    copy_of = _copies(source)
    attributes, interview_names, interview_order = _interview_columns(source, columns)

    rows_of_code: dict[str, list[int]] = defaultdict(list)
    for index, spec in enumerate(specs):
        for code in spec.codes:
            rows_of_code[code].append(index)
    interview_of = selection.interview_of
    # Per row: column -> units; and, from every coded copy (chosen or not), who carries the row on each paragraph.
    cells: list[dict[str, set]] = [defaultdict(set) for _ in specs]
    row_units: list[set] = [set() for _ in specs]  # whatever the column: the total column
    carriers: list[dict[Paragraph, set[str]]] = [defaultdict(set) for _ in specs]
    for tid, position, code in reads.paragraph_code_rows(source):
        if code not in rows_of_code:
            continue
        paragraph = (copy_of[tid].interview, position)
        for index in rows_of_code[code]:
            carriers[index][paragraph].add(tid)
        if tid not in interview_of:
            continue
        unit_value = paragraph if unit == "excerpts" else paragraph[0]
        for index in rows_of_code[code]:
            row_units[index].add(unit_value)
        for column in _columns_of(columns, copy_of[tid], attributes):
            for index in rows_of_code[code]:
                cells[index][column].add(unit_value)

    column_values = _column_values(columns, selection, copy_of, attributes)
    table_rows = []
    everything: set = set()
    column_units: dict[str, set] = defaultdict(set)
    for spec, found, units in zip(specs, cells, row_units):
        everything |= units
        for column in column_values:
            column_units[column] |= found.get(column, set())
        table_rows.append(Row(spec.id, spec.name, spec.depth, {c: len(found.get(c, ())) for c in column_values}, len(units)))
    column_order = _order_columns(columns, column_values, column_units, interview_order)
    if rows != "themes":
        # Issues and codes no chosen copy carries are not findings of this table; themes all stay, zero or not.
        keep = [i for i, r in enumerate(table_rows) if r.total]
        keep.sort(key=lambda i: (-table_rows[i].total, table_rows[i].name.casefold(), table_rows[i].id))
        if top:
            shown_of = len(keep)
            keep = keep[:top]
        table_rows = [table_rows[i] for i in keep]
        carriers = [carriers[i] for i in keep]
    if quotes:
        _add_quotes(source, selection, table_rows, carriers, copy_of, interview_names, quotes)

    def label(column: str) -> str:  # interview columns are counted by id and shown by name
        return interview_names.get(column, column) if columns == "interview" else column

    for row in table_rows:
        row.cells = {label(c): n for c, n in row.cells.items()}
    table = Crosstab(
        rows, columns, unit, copies, selection.rule, [label(c) for c in column_order], table_rows,
        {label(c): len(column_units[c]) for c in column_order},
        len(everything), grouping, unresolved,
        {interview_names.get(i, i): why for i, why in selection.left_out.items()},
    )
    if rows != "themes" and top and shown_of > len(table_rows):
        table.cut = f"the {len(table_rows)} of {shown_of} {rows} with the highest totals; the totals row counts all"
    return table


def _columns_of(kind: str, copy: _Copy, attributes: dict[str, set[str]]) -> set[str] | list[str]:
    if kind == "none":
        return []
    if kind == "coder":
        return [copy.coder]
    if kind == "interview":
        return [copy.interview]
    return attributes[copy.interview]


def _column_values(kind: str, selection: Selection, copy_of: dict[str, _Copy], attributes: dict[str, set[str]]) -> set[str]:
    """Every column the chosen copies give, whether any row counts in it or not (a column of zeros says something)."""
    values: set[str] = set()
    for tid in selection.transcript_ids:
        values |= set(_columns_of(kind, copy_of[tid], attributes))
    return values


def _order_columns(kind: str, values: set[str], units: dict[str, set], interview_order: dict[str, tuple]) -> list[str]:
    if kind == "interview":
        return sorted(values, key=lambda i: interview_order.get(i, (True, 0, i)))
    if kind == "coder":
        return sorted(values, key=lambda c: (c.endswith(" (consensus)"), c.casefold()))
    # Roles and domains: the most common first; "(no role)" and "(no domain)" last.
    return sorted(values, key=lambda c: (c in (NO_ROLE, NO_DOMAIN), -len(units.get(c, ())), c.casefold()))


# --- exemplar quotes -----------------------------------------------------------------------------------


def _add_quotes(
    source: Reader, selection: Selection, rows: list[Row], carriers: list[dict[Paragraph, set[str]]],
    copy_of: dict[str, _Copy], names: dict[str, str], limit: int,
) -> None:
    """Up to ``limit`` exemplar quotes per row, by :data:`QUOTE_RULE`."""
    chosen = set(selection.transcript_ids)
    texts: dict[Paragraph, tuple[str, str]] = {}
    for tid, position, speaker, text in reads.all_excerpts(source):
        if tid in chosen:
            texts.setdefault((copy_of[tid].interview, position), (speaker or "", text or ""))
    for row, carried in zip(rows, carriers):
        # The row's paragraphs on the chosen copies; the copies counted as agreeing are every coded copy.
        candidates = [p for p, tids in carried.items() if tids & chosen and p in texts]
        counts = {p: Counter(_WORD.findall(texts[p][1].casefold())) for p in candidates}
        whole: Counter = sum(counts.values(), Counter())
        scored = []
        for p in candidates:
            speaker, text = texts[p]
            similarity = _cosine(counts[p], whole - counts[p])
            scored.append(((speaker_role(speaker) == INTERVIEWER, -len(carried[p]), -similarity,
                            names.get(p[0], p[0]), p[1]), p, similarity))
        scored.sort(key=lambda item: item[0])
        picked: list[tuple[Paragraph, float]] = []
        seen_interviews: set[str] = set()
        for _, p, similarity in scored:  # one per interview first
            if len(picked) < limit and p[0] not in seen_interviews:
                picked.append((p, similarity))
                seen_interviews.add(p[0])
        for _, p, similarity in scored:
            if len(picked) < limit and all(p != q for q, _ in picked):
                picked.append((p, similarity))
        row.quotes = [
            Quote(names.get(p[0], p[0]), p[1], sorted({copy_of[t].coder for t in carried[p]}, key=str.casefold),
                  texts[p][0], texts[p][1], similarity)
            for p, similarity in picked
        ]


def _cosine(a: Counter, b: Counter) -> float:
    if not a or not b:
        return 0.0
    dot = sum(n * b[w] for w, n in a.items() if w in b)
    return dot / (math.sqrt(sum(n * n for n in a.values())) * math.sqrt(sum(n * n for n in b.values())))


# --- the Cypher that reproduces it ---------------------------------------------------------------------


def table_query(
    source: Reader, rows: str = "issues", columns: str = "none", *, copies: Copies = CONSENSUS,
    themes: Themes | None = None,
) -> tuple[str, dict[str, Any]]:
    """A read-only Cypher query and its parameters that recompute every figure of :func:`crosstab`.

    It returns ``row, name, col, interviews, excerpts``: one line per non-zero cell, per row total
    (``col = 'total'``), per column total (``row = 'total'``) and the grand total; a cell it does not
    return is zero. Both units come back, so one query serves either table.
    """
    params: dict[str, Any] = {"copies": str(copies)}
    if rows == "issues":
        membership = "MATCH (c)-[:INDICATES]->(x:Issue)\nWITH DISTINCT iv, t, e, x.id AS row, x.name AS name"
    elif rows == "codes":
        membership = "WITH iv, t, e, c WHERE c.kind IN $kinds\nWITH DISTINCT iv, t, e, c.id AS row, c.name AS name"
        params["kinds"] = FINDING_KINDS
    else:
        membership, extra = _theme_membership(source, themes)
        params.update(extra)
    blocks = []
    for row_total in (False, True):
        for column_total in (False, True) if columns != "none" else (True,):
            blocks.append(_block(membership, columns, row_total, column_total))
    header = [
        f"// Every figure of `findings table --rows {rows} --columns {columns} --copies {copies}`: "
        "one line per non-zero cell, per row total (col 'total'), per column total (row 'total'), and the grand total.",
        '// $copies: which coded copies count: "consensus" (the coded consensus copy when an interview has one, '
        'else every coder\'s copy), "union" (every coded copy) or "coder:NAME" (one coder\'s copies), '
        f'e.g. "{copies}"',
    ]
    if "kinds" in params:
        header.append("// $kinds: the code kinds that are findings (a list)")
    if "themes" in params:
        header.append("// $themes: each theme's id, name and every code it covers (its own, its issues', its nested themes')")
    return "\n".join(header) + "\n" + "\nUNION ALL\n".join(blocks), params


def _theme_membership(source: Reader, themes: Themes | None) -> tuple[str, dict[str, Any]]:
    if themes is None and stored_themes(source) is not None:
        # The stored grouping, followed in the graph: a theme covers what it and its nested themes group.
        return (
            f"MATCH (th:Theme)<-[:SUBTHEME_OF*0..{_THEME_DEPTH}]-(sub:Theme)\n"
            "WHERE EXISTS { MATCH (sub)-[:GROUPS_CODE]->(c) } OR EXISTS { MATCH (sub)-[:GROUPS]->(:Issue)<-[:INDICATES]-(c) }\n"
            "WITH DISTINCT iv, t, e, th.id AS row, th.name AS name"
        ), {}
    if themes is None:
        # The codebook's families: every issue of a family, named by its category.
        return (
            "MATCH (c)-[:INDICATES]->(x:Issue) WHERE x.family IS NOT NULL\n"
            "WITH DISTINCT iv, t, e, x.family AS row, coalesce(x.category, x.family) AS name"
        ), {}
    specs, _ = theme_rows(source, themes)
    return (
        "UNWIND $themes AS theme\nWITH iv, t, e, c, theme WHERE c.id IN theme.codes\n"
        "WITH DISTINCT iv, t, e, theme.id AS row, theme.name AS name"
    ), {"themes": [{"id": s.id, "name": s.name, "codes": sorted(s.codes)} for s in specs]}


_EVIDENCE = """MATCH (iv:Interview)-[:HAS_TRANSCRIPT]->(copy:Transcript)
WITH iv, sum(CASE WHEN copy.consensus AND copy.coded THEN 1 ELSE 0 END) AS agreed
MATCH (iv)-[:HAS_TRANSCRIPT]->(t:Transcript)-[:HAS_EXCERPT]->(e:Excerpt)-[:CODED_AS]->(c:Code)
WHERE t.coded AND (($copies = 'consensus' AND (agreed = 0 OR t.consensus)) OR $copies = 'union'
   OR lower($copies) = 'coder:' + lower(t.coder))"""

_COLUMN = {
    "coder": "WITH row, name, iv, e, CASE WHEN t.consensus THEN coalesce(t.coder, 'raw') + ' (consensus)' "
             "ELSE coalesce(t.coder, 'raw') END AS col",
    "interview": "WITH row, name, iv, e, iv.name AS col",
    "role": f"OPTIONAL MATCH (p:Interviewee)-[:GAVE]->(iv)\nWITH row, name, iv, e, p\n"
            f"UNWIND CASE WHEN p.roles IS NULL OR size(p.roles) = 0 THEN ['{NO_ROLE}'] ELSE p.roles END AS col",
    "domain": f"OPTIONAL MATCH (iv)<-[:GAVE]-(:Interviewee)-[:WORKED_ON]->(pr:Project)\n"
              f"WITH row, name, iv, e, collect(DISTINCT pr.domain) AS domains\n"
              f"UNWIND CASE WHEN size(domains) = 0 THEN ['{NO_DOMAIN}'] ELSE domains END AS col",
}


def _block(membership: str, columns: str, row_total: bool, column_total: bool) -> str:
    lines = [_EVIDENCE, membership]
    if row_total:
        lines.append(f"WITH DISTINCT iv, t, e, '{TOTAL}' AS row, '{TOTAL}' AS name")
    lines.append(f"WITH row, name, iv, e, '{TOTAL}' AS col" if column_total else _COLUMN[columns])
    lines.append("WITH row, name, col, iv, count(DISTINCT e.position) AS paragraphs")
    lines.append("RETURN row, name, col, count(DISTINCT iv) AS interviews, sum(paragraphs) AS excerpts")
    return "\n".join(lines)
