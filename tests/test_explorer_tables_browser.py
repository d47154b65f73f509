"""The Tables page in a real browser: `findings explore` served locally, headless Chromium driving it.

What only a browser shows: that the crosstab reaches the grid with the
figures the store gives (counted here with the Cypher the page prints), that
the heat map is drawn (Vega's marks, one per cell), that the CSV download hands over the
table, and that no request leaves 127.0.0.1.
"""

from __future__ import annotations

import csv
import io

import pytest

from graph.analytics.selection import Copies
from graph.analytics.tables import TOTAL, table_query
from graph.store import open_store
from tests.browser import CHROMIUM, Traffic, chromium, explorer
from tests.conftest import EXAMPLES, REPO

ARTIFACTS = REPO / "test-artifacts"
THEMES = EXAMPLES / "themes" / "study-families.yaml"

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} not installed (`make test` installs Debian's chromium)"),
]
pytest.importorskip("playwright", reason="the Python playwright package is in the test extra: pip install -e '.[test]'")


def choose(page, label: str, option: str) -> None:
    picker = page.get_by_role("combobox", name=label)
    picker.click()
    page.get_by_role("option", name=option, exact=True).click()


def test_tables_page_shows_the_crosstab_heat_map_and_downloads_it(fixture_db, tmp_path_factory):
    with open_store(fixture_db, read_only=True) as store:
        text, params = table_query(store, "issues", "coder", copies=Copies())
        found = store.run(text, params).records()
    totals = {r["col"]: r["interviews"] for r in found if r["row"] == TOTAL}
    cells = {(r["name"], r["col"]): r["interviews"] for r in found if r["row"] != TOTAL}
    traffic = Traffic()
    with explorer(fixture_db) as url, chromium(tmp_path_factory.mktemp("chromium-tables"), traffic) as context:
        page = context.new_page()
        page.goto(f"{url}/tables")
        page.get_by_role("combobox", name="Columns").wait_for()
        choose(page, "Columns", "coder")
        # The grid's column headers, once the coders are there (the default copies rule reads Amin's consensus
        # copy of 12 and both coders of 35).
        page.locator('[data-testid="stDataFrame"] [role="columnheader"]', has_text="Amin (consensus)").first.wait_for(
            state="attached", timeout=60_000)
        grid = page.locator('[data-testid="stDataFrame"]').first
        columns = [h.strip() for h in grid.locator('[role="columnheader"]').all_text_contents()]
        assert columns[:5] == ["issue", "Ilan", "PO", "Amin (consensus)", TOTAL]
        # The grid draws only the rows in view: the first one (row 1 is the header), against the query's figures.
        first = [c.strip() for c in grid.locator('[aria-rowindex="2"] [role="gridcell"]').all_text_contents()]
        assert first[1:5] == [str(cells.get((first[0], c), 0)) for c in ("Ilan", "PO", "Amin (consensus)", TOTAL)]

        # The heat map is drawn by Vega in the page: one shaded mark per issue and column, the totals left out.
        marks = page.locator('[data-testid="stVegaLiteChart"] svg.marks g.mark-rect.role-mark path')
        marks.first.wait_for(state="attached", timeout=60_000)
        assert marks.count() == len({name for name, _ in cells}) * 3

        with page.expect_download() as download:
            page.get_by_role("button", name="Download CSV").click()
        lines = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8"))))
        assert lines[0] == ["issue", "Ilan", "PO", "Amin (consensus)", TOTAL]
        assert lines[-1] == [TOTAL, *(str(totals[c]) for c in ("Ilan", "PO", "Amin (consensus)", TOTAL))]

        # A themes file uploaded groups the rows: its themes, in its order, the nested ones indented.
        choose(page, "Rows", "themes")
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(THEMES))
        page.get_by_text("themes: study-families.yaml").wait_for(timeout=60_000)
        grid = page.locator('[data-testid="stDataFrame"]').first
        grid.locator('[role="columnheader"]', has_text="theme").first.wait_for(state="attached")
        first_rows = [grid.locator(f'[aria-rowindex="{i}"] [role="gridcell"]').first.text_content().strip()
                      for i in (2, 3, 4)]
        assert first_rows == ["Data", "Completeness", "Accuracy"]  # the file's first theme and its first two children

        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "explorer-tables.png"), full_page=True)
        page.close()
    assert not traffic.remote, f"requests left 127.0.0.1: {traffic.remote}"
