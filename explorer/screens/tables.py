"""Tables: themes, issues or codes by role, domain, interview or coder, as a table, a heat map and quotes.

The same table as ``findings table`` (:func:`graph.analytics.tables.crosstab`),
with the same choices: rows, columns, what a cell counts, the copies rule,
a themes file (uploaded here; else the stored themes, else the codebook's
families) and exemplar quotes. The table downloads as CSV, and the Cypher
that reproduces every figure is shown beside it.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from explorer import data
from explorer.connection import Source, current_source
from graph.analytics.selection import Copies
from graph.analytics.tables import COLUMN_KINDS, QUOTE_RULE, ROW_KINDS, TOTAL, UNITS, Crosstab, crosstab, table_query
from graph.errors import FindingsError
from graph.themes import Themes, parse_themes

COLUMN_LABELS = {"none": "nothing (totals only)", "role": "interviewee role", "domain": "project domain",
                 "interview": "interview", "coder": "coder"}


@st.cache_data(show_spinner=False)
def table_of(where: Source, rows: str, columns: str, unit: str, copies: str, themes_text: str | None,
             themes_name: str | None, quotes: int) -> Crosstab:
    grouping = parse_themes(themes_text, themes_name or "themes file") if themes_text is not None else None
    return crosstab(data.store(where), rows, columns, unit=unit, copies=Copies.parse(copies), themes=grouping,
                    quotes=quotes)


@st.cache_data(show_spinner=False)
def query_of(where: Source, rows: str, columns: str, copies: str, themes_text: str | None,
             themes_name: str | None) -> tuple[str, dict]:
    grouping: Themes | None = parse_themes(themes_text, themes_name or "themes file") if themes_text is not None else None
    return table_query(data.store(where), rows, columns, copies=Copies.parse(copies), themes=grouping)


def frame_of(table: Crosstab) -> pd.DataFrame:
    """The table as shown and downloaded: one line per row (themes indented), the totals row last."""
    return pd.DataFrame(table.table_rows(indent="\u2003"), columns=table.header)


def heat_map(table: Crosstab) -> alt.Chart:
    """Rows by columns, each cell shaded by its count and labelled with it (totals left out: they dwarf the cells)."""
    cells = pd.DataFrame(
        [{"row": r.name, "column": c, "count": r.cells[c]} for r in table.rows for c in table.columns]
    )
    order_rows = [r.name for r in table.rows]
    base = alt.Chart(cells).encode(
        x=alt.X("column:N", sort=table.columns, title=COLUMN_LABELS[table.columns_kind], axis=alt.Axis(labelAngle=-40)),
        y=alt.Y("row:N", sort=order_rows, title=table.row_label),
    )
    shaded = base.mark_rect().encode(
        color=alt.Color("count:Q", scale=alt.Scale(scheme="blues"), title=table.unit),
        tooltip=["row", "column", "count"],
    )
    labels = base.mark_text(fontSize=11).encode(
        text="count:Q",
        color=alt.condition(alt.datum.count > max(1, max(cells["count"], default=0)) / 2, alt.value("white"),
                            alt.value("black")),
    )
    return (shaded + labels).properties(height=max(160, 22 * len(order_rows)))


where = current_source()
st.title("Tables")
st.caption("How many interviews raised each theme, issue or code, broken down the way a paper's table is.")

left, middle, right = st.columns(3)
rows_kind = left.selectbox("Rows", list(ROW_KINDS), index=ROW_KINDS.index("issues"), key="rows")
columns_label = middle.selectbox("Columns", [COLUMN_LABELS[c] for c in COLUMN_KINDS], key="columns")
columns_kind = next(c for c, label in COLUMN_LABELS.items() if label == columns_label)
unit = right.selectbox("Cells count", list(UNITS), key="unit",
                       help="Distinct interviews, or distinct excerpts (paragraphs, each once however many copies carry it).")
rules = data.copies_choices(where)
left, middle, right = st.columns(3)
copies = rules[left.selectbox("Copies counted", list(rules), key="copies",
                              help="The consensus copy, else the union of coders (default); every coded copy; or one coder's.")]
quotes = int(middle.number_input("Quotes per row", min_value=0, max_value=5, value=1, key="quotes"))
upload = right.file_uploader("Themes file (YAML)", type=["yaml", "yml"], key="themes",
                             help="Group the rows by this file; without one, the stored themes, else the codebook's families.")
themes_text = upload.getvalue().decode("utf-8", errors="replace") if upload is not None else None
themes_name = upload.name if upload is not None else None
if themes_text is not None and rows_kind != "themes":
    st.caption("A themes file groups rows into themes: choose Rows = themes to use it.")
    themes_text = themes_name = None

try:
    table = table_of(where, rows_kind, columns_kind, unit, copies, themes_text, themes_name, quotes)
except FindingsError as exc:
    st.error(str(exc))
    st.stop()

st.caption(table.description())
for interview, why in table.left_out.items():
    st.caption(f"Left out {interview}: {why}.")
if table.unresolved:
    st.warning(f"{len(table.unresolved)} theme names match nothing in the graph: {'; '.join(table.unresolved[:8])}"
               + (" ..." if len(table.unresolved) > 8 else ""))
if not table.rows:
    st.info("Nothing to count yet on these copies.")
    st.stop()

shown = frame_of(table)
st.dataframe(shown, hide_index=True, width="stretch", key="crosstab")
st.download_button("Download CSV", shown.to_csv(index=False).encode("utf-8"),
                   file_name=f"{rows_kind}-by-{columns_kind}.csv", mime="text/csv")
st.caption(f"The {TOTAL} column counts each row's distinct {table.unit} whatever the column, the {TOTAL} row those "
           "of any row: not sums when columns or rows overlap.")

if table.columns:
    st.subheader("Heat map")
    st.altair_chart(heat_map(table), width="stretch")

if quotes:
    st.subheader("Exemplar quotes")
    st.caption(f"Chosen by: {QUOTE_RULE}.")
    st.dataframe(
        pd.DataFrame(table.quote_rows(), columns=[table.row_label, "interview", "coders", "quote"]),
        hide_index=True, width="stretch", key="quotes-table",
        column_config={"quote": st.column_config.TextColumn(width="large")},
    )

with st.expander("Cypher that reproduces every figure"):
    text, params = query_of(where, rows_kind, columns_kind, copies, themes_text, themes_name)
    st.code(text, language="cypher")
    st.json(params, expanded=False)
