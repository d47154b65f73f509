"""The explorer's Tables page, run headless with Streamlit's AppTest on real databases.

The page's table, heat map and quotes are compared with counts made by hand
from the fixtures' README (as in ``tests/test_tables.py``) and with the
Cypher the page shows, run on the store.
"""

from __future__ import annotations

import io

import pandas as pd

from graph.analytics.selection import Copies
from graph.analytics.tables import TOTAL, table_query
from graph.store import open_store
from graph.themes import load_themes, store_themes
from tests.conftest import EXAMPLES, load_paths
from tests.test_explorer_apptest import chart_data, open_app, rerun


def shown_table(app) -> pd.DataFrame:
    return next(frame.value for frame in app.dataframe if TOTAL in frame.value.columns)


def test_tables_page_shows_the_crosstab_its_heat_map_quotes_and_csv(fixture_db, monkeypatch):
    app = open_app(fixture_db, monkeypatch, "tables")
    table = shown_table(app)
    assert list(table.columns) == ["issue", TOTAL]  # issues, no columns, by default
    app.selectbox(key="columns").set_value("coder")
    app.selectbox(key="copies").set_value(next(label for label in app.selectbox(key="copies").options
                                                if label.startswith("union")))
    rerun(app)
    table = shown_table(app)
    # By hand (fixtures/README.md): on every coded copy, PO coded interviews 12 and 35, Ilan 35, Rached 12,
    # Amin the consensus copy of 12; both interviews raised issues.
    assert list(table.columns) == ["issue", "Ilan", "PO", "Rached", "Amin (consensus)", TOTAL]
    assert table.iloc[-1].tolist() == [TOTAL, 1, 2, 1, 1, 2]
    captions = " ".join(c.value for c in app.caption)
    assert "copies counted: union of every coded copy" in captions

    # Every figure agrees with the Cypher the page shows, run on the store.
    with open_store(fixture_db, read_only=True) as store:
        text, params = table_query(store, "issues", "coder", copies=Copies("union"))
        figures = {(r["name"], r["col"]): r["interviews"] for r in store.run(text, params).records()}
    names = table["issue"].tolist()
    for name, *cells in table.itertuples(index=False):
        for column, value in zip(table.columns[1:], cells):
            key = (name, column) if name != TOTAL else (TOTAL, column)
            assert figures.get(key, 0) == value, key
    assert any(code.value == text for code in app.code)

    # The heat map: one cell per row and column, the totals left out.
    (heat,) = chart_data(app)
    assert len(heat) == (len(names) - 1) * 4
    assert set(heat.columns) >= {"row", "column", "count"}
    first = heat[(heat["row"] == names[0]) & (heat["column"] == "PO")]["count"].item()
    assert first == table.iloc[0]["PO"]

    # One quote per row by default, from an interview the row was raised in.
    quotes = next(frame.value for frame in app.dataframe if "quote" in frame.value.columns)
    assert set(quotes["issue"]) == set(names[:-1])
    assert set(quotes["interview"]) <= {"Interview 12", "Interview 35"} and quotes["quote"].str.len().min() > 0

    (download,) = app.get("download_button")
    assert download.proto.label == "Download CSV"


def test_tables_page_groups_by_the_stored_themes(tmp_path, monkeypatch):
    db = tmp_path / "db"
    with open_store(db) as store:
        load_paths(store, [EXAMPLES / "synthetic-study"])
        store_themes(store, load_themes(EXAMPLES / "themes" / "study-families.yaml"))
    app = open_app(db, monkeypatch, "tables")
    app.selectbox(key="rows").set_value("themes")
    app.selectbox(key="columns").set_value("interview")
    rerun(app)
    table = shown_table(app)
    themes = [t.name for t, _ in load_themes(EXAMPLES / "themes" / "study-families.yaml").walk()]
    # Every theme of the file, in its order (nested ones indented), zero or not; then the totals.
    assert [name.strip("\u2003") for name in table["theme"]] == [*themes, TOTAL]
    interviews = sorted({f.name.split(" - ")[0] for f in (EXAMPLES / "synthetic-study").glob("*.md")},
                        key=lambda name: int(name.split()[-1]))  # counted from the study's files
    assert list(table.columns) == ["theme", *interviews, TOTAL]
    assert "stored themes" in " ".join(c.value for c in app.caption)
    # The names that matched nothing were reported when the themes were stored; the graph holds the links made.
    assert not app.warning
    csv = pd.read_csv(io.StringIO(shown_table(app).to_csv(index=False)))
    assert csv.shape == table.shape
