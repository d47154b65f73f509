"""Theme tables and crosstabs (``findings table``, ``findings themes``): counts, totals, quotes, the Cypher.

Three kinds of expectation, none read back from the code under test:
counts made by hand from the fixture files and their README (each explained
where it is asserted); counts computed here from the parsed records of a
synthetic study (the copies rule, the codebook's classification and the
columns applied in plain Python); and the Cypher ``--show-query`` prints,
run on the store, giving every figure of the table.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

import pytest

from benchmarks.synthetic import generate_study
from graph.analytics.selection import Copies
from graph.analytics.tables import FINDING_KINDS, NO_ROLE, TOTAL, crosstab, table_query
from graph.codebook import load_codebook
from graph.knowledge import load_catalog
from graph.pipeline import update_graph
from graph.store import open_store
from graph.themes import ThemesError, load_themes, parse_themes, store_themes, stored_themes
from ingest.batch import parse_sources
from tests.conftest import EXAMPLES, fixture_path, load_paths, run_cli

# --- the themes file --------------------------------------------------------------------------------


NESTED = """
themes:
  reliability:
    name: Reliability
    description: Keeps working.
    codes: [QM-robustness]
    themes:
      repro:
        name: Reproducibility
        issues: [QM-reproducibility]
  data:
    name: Data
    issues: [Data-missing-values]
"""


def test_a_nested_themes_file_loads_in_file_order():
    themes = parse_themes(NESTED, "t.yaml")
    assert [(t.id, t.name, depth, t.parent) for t, depth in themes.walk()] == [
        ("reliability", "Reliability", 0, None), ("repro", "Reproducibility", 1, "reliability"), ("data", "Data", 0, None),
    ]
    assert themes.roots[0].codes == ["QM-robustness"] and themes.roots[0].description == "Keeps working."
    assert themes.roots[0].children[0].issues == ["QM-reproducibility"]


@pytest.mark.parametrize("text, problem", [
    ("themes: [a, b", "not valid YAML"),
    ("- a\n- b\n", "a themes file is a mapping with one key, themes"),
    ("themes: {a: {name: A}}\nextra: 1\n", "unknown top-level keys ['extra']"),
    ("themes: {}\n", "themes is empty"),
    ("themes: {a: {name: A, colour: red}}\n", "theme 'a': unknown keys ['colour']"),
    ("themes: {a: {codes: {x: 1}}}\n", "theme 'a': codes must be a list of names"),
    ("themes: {a: {issues: [1, 2]}}\n", "theme 'a': issues must be a list of names"),
    ("themes: {a: {name: [A]}}\n", "theme 'a': name must be text, not a list"),
    ("themes: {a: {themes: {b: {}}}, b: {}}\n", "theme 'b' appears twice"),
    ("themes: {a: [x]}\n", "theme 'a' must be a mapping"),
    # An alias that loops into itself repeats its theme ids.
    ("themes: &loop {a: {themes: *loop}}\n", "theme 'a' appears twice"),
    ("themes: " + "".join(f"{{t{i}: {{themes: " for i in range(31)) + "{}" + "}}" * 31 + "\n", "nested more than 30 deep"),
])
def test_a_bad_themes_file_is_one_error_naming_the_file_and_the_problem(tmp_path, text, problem):
    path = tmp_path / "my-themes.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ThemesError) as caught:
        load_themes(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and problem in message, message
    assert "\n" not in message


def test_a_missing_themes_file_is_an_error_naming_it(tmp_path):
    with pytest.raises(ThemesError, match="cannot read the themes file"):
        load_themes(tmp_path / "nowhere.yaml")


# --- hand-counted expectations on the fixtures ------------------------------------------------------


def counts(table, column: str = TOTAL) -> dict[str, int]:
    """Row name -> the figure in ``column`` (the total column by default)."""
    return {r.name: (r.total if column == TOTAL else r.cells[column]) for r in table.rows}


def test_codes_of_the_markdown_export_count_the_paragraphs_the_readme_counts(store):
    # fixtures/README.md, delve-markdown/: a paragraph once per code: QM-reproducibility 6, QM-robustness 5,
    # QM-robustness-fix 5, QM-efficiency 2, QM-efficiency-fix 2, last-question-answers 2 and 1 each for eight
    # more. last-question-answers is a meta code (about the interview, not a finding), so it is no row: 13 rows.
    load_paths(store, [fixture_path("delve-markdown", "Interview 35 - PO.md")])
    table = crosstab(store, "codes", "interview", unit="excerpts")
    ones = ["Data-missing-values", "Data-noisy-features", "MLP-artefact-management-issues",
            "ME-Metrics-Meaningless-For-Stakeholder", "Data-collection-external", "Data-collection-public-datasets",
            "Data-noisy-labels", "Data-low-quality"]
    assert counts(table) == {"QM-reproducibility": 6, "QM-robustness": 5, "QM-robustness-fix": 5, "QM-efficiency": 2,
                             "QM-efficiency-fix": 2, **{code: 1 for code in ones}}
    assert table.columns == ["Interview 35"] and counts(table, "Interview 35") == counts(table)
    # Counted in interviews, every code was raised in the one interview.
    assert set(counts(crosstab(store, "codes", "none")).values()) == {1}


def test_coder_columns_follow_the_copies_rule(fixture_db):
    # fixtures/README.md: interview 12 has a coded consensus copy (Amin); interview 35's consensus print is
    # uncoded, so the default rule reads 35's two coders (PO, Ilan) and leaves Rached's copy of 12 unread.
    with open_store(fixture_db, read_only=True) as store:
        consensus = crosstab(store, "issues", "coder")
        union = crosstab(store, "issues", "coder", copies=Copies("union"))
        rached = crosstab(store, "issues", "coder", copies=Copies("coder", "rached"))
    assert consensus.columns == ["Ilan", "PO", "Amin (consensus)"]
    # Each of those coders read one interview; both interviews raised issues.
    assert consensus.column_totals == {"Ilan": 1, "PO": 1, "Amin (consensus)": 1} and consensus.total == 2
    # The union reads every coded copy: PO coded both interviews, Rached and Ilan one each, Amin's 12 only.
    assert union.columns == ["Ilan", "PO", "Rached", "Amin (consensus)"]
    assert union.column_totals == {"Ilan": 1, "PO": 2, "Rached": 1, "Amin (consensus)": 1} and union.total == 2
    # Rached coded interview 12 only: 35 is left out and named, never counted as raising nothing.
    assert rached.columns == ["Rached"] and rached.total == 1
    assert rached.left_out == {"Interview 35": "not coded by rached"}
    # A cell is never above its row's total, a row's total never above the table's.
    for table in (consensus, union, rached):
        assert all(max(r.cells.values(), default=0) <= r.total <= table.total for r in table.rows)
        assert "copies counted" in table.description()


def test_one_coders_misc_code_is_one_paragraph_of_interview_12(fixture_db):
    # fixtures/README.md: "Interview 12 - PO.pdf: ... Misc 1"; Misc is in no other print of these fixtures.
    with open_store(fixture_db, read_only=True) as store:
        table = crosstab(store, "codes", "interview", unit="excerpts", copies=Copies("coder", "PO"))
    misc = next(r for r in table.rows if r.name == "Misc")
    assert misc.cells == {"Interview 12": 1, "Interview 35": 0} and misc.total == 1


# fixtures/README.md, the dev prints' table: "fix codes / paragraphs" per print (codes ending in -fix, and the
# paragraphs carrying one), as read from the print by hand.
DEV_FIXES = {"Interview 31": (4, 18), "Interview 32": (3, 14), "Interview 38": (6, 21), "Interview 34": (1, 8),
             "Interview 10": (1, 7), "Interview 21": (1, 5)}


@pytest.fixture(scope="module")
def dev_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("dev") / "findings-db"
    with open_store(path) as store:
        load_paths(store, [fixture_path("delve-pdf", "dev")])
    return path


def test_fix_codes_and_fix_paragraphs_of_the_dev_prints_match_the_hand_counts(dev_db, tmp_path):
    with open_store(dev_db, read_only=True) as store:
        codes = crosstab(store, "codes", "interview", unit="excerpts", copies=Copies("union"))
        fix_codes = sorted(r.id for r in codes.rows if r.id.casefold().endswith("-fix"))
        # A theme of every fix code, from a file: its cells are the paragraphs carrying one, per interview.
        themes_file = tmp_path / "fixes.yaml"
        themes_file.write_text(json.dumps({"themes": {"fixes": {"name": "Fixes", "codes": fix_codes}}}), encoding="utf-8")
        theme = crosstab(store, "themes", "interview", unit="excerpts", copies=Copies("union"),
                         themes=load_themes(themes_file))
    assert set(codes.columns) == set(DEV_FIXES)
    for interview, (n_codes, n_paragraphs) in DEV_FIXES.items():
        used = [r for r in codes.rows if r.id in fix_codes and r.cells[interview]]
        assert len(used) == n_codes, interview
        assert theme.rows[0].cells[interview] == n_paragraphs, interview
    assert theme.rows[0].total == sum(p for _, p in DEV_FIXES.values())  # paragraphs of different interviews


# --- the synthetic study, counted from its records ---------------------------------------------------


def study_records() -> list:
    """Twelve interviews by two coders, and a moderated copy of the first four (one drops a code of each paragraph)."""
    records = generate_study(12, seed=3, coders=2)
    moderated = []
    for record in records[:8:2]:
        paragraphs = tuple(replace(p, codings=p.codings[1:]) if len(p.codings) > 1 else p for p in record.paragraphs)
        moderated.append(replace(record, coder="Mod", consensus=True, paragraphs=paragraphs, sha256="m" + record.sha256[1:]))
    return records + moderated


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    records = study_records()
    path = tmp_path_factory.mktemp("synthetic-tables") / "findings-db"
    with open_store(path) as store:
        update_graph(store, records, load_codebook(), load_catalog())
    return path, records


def chosen_records(records: list, copies: Copies) -> list:
    """The copies rule, applied to the records: consensus copies where coded, else every coded copy; or all; or one."""
    by_interview = defaultdict(list)
    for record in records:
        if record.coded:
            by_interview[record.interview].append(record)
    picked = []
    for copies_of_one in by_interview.values():
        if copies.rule == "consensus":
            picked += [r for r in copies_of_one if r.consensus] or copies_of_one
        elif copies.rule == "union":
            picked += copies_of_one
        else:
            picked += [r for r in copies_of_one if (r.coder or "").casefold() == copies.coder.casefold()]
    return picked


def expected_issue_cells(records: list, copies: Copies, unit: str) -> dict[tuple[str, str], set]:
    """(issue id, coder column or 'total') -> interviews (or paragraphs) raising it, from the records."""
    book = load_codebook()
    cells: dict[tuple[str, str], set] = defaultdict(set)
    for record in chosen_records(records, copies):
        column = f"{record.coder} (consensus)" if record.consensus else record.coder
        for paragraph in record.paragraphs:
            for code in paragraph.codes:
                found = book.classify(code)
                if found.kind == "issue":
                    value = (record.interview, paragraph.position) if unit == "excerpts" else record.interview
                    cells[found.issue_key, column].add(value)
                    cells[found.issue_key, TOTAL].add(value)
    return cells


@pytest.mark.parametrize("rule", ["consensus", "union", "coder:C2"])
@pytest.mark.parametrize("unit", ["interviews", "excerpts"])
def test_issues_by_coder_match_counts_from_the_records(synthetic, rule, unit):
    path, records = synthetic
    copies = Copies.parse(rule)
    with open_store(path, read_only=True) as store:
        table = crosstab(store, "issues", "coder", unit=unit, copies=copies)
    expected = expected_issue_cells(records, copies, unit)
    found = {(r.id, c): n for r in table.rows for c, n in [*r.cells.items(), (TOTAL, r.total)] if n}
    assert found == {key: len(values) for key, values in expected.items()}
    # The totals row: interviews (or paragraphs) raising any issue, per column and overall.
    columns = {c for _, c in expected}
    for column in columns:
        union = set().union(*(v for (_, c), v in expected.items() if c == column))
        assert (table.total if column == TOTAL else table.column_totals.get(column, 0)) == len(union), column
    assert rule != "consensus" or "Mod (consensus)" in table.columns  # the moderated copies replace their coders'


def test_roles_and_theme_rows_match_counts_from_the_records(synthetic, tmp_path):
    path, records = synthetic
    book = load_codebook()
    # Issues the records raise most, by family, named in the themes file by their codes.
    used = Counter(code for r in records for p in r.paragraphs for code in p.codes if book.classify(code).kind == "issue")
    data, qm = ([c for c, _ in used.most_common() if c.startswith(prefix)] for prefix in ("Data-", "QM-"))
    themes_file = tmp_path / "themes.yaml"
    themes_file.write_text(
        "themes:\n"
        "  quality:\n    name: Quality\n    codes: [Data-collection-external]\n"
        f"    themes:\n      robust: {{name: Robust, issues: [{qm[0]}, {qm[1].lower()}]}}\n"
        f"  data: {{name: Data, issues: [{data[0]}, {data[1]}, nonexistent-issue]}}\n",
        encoding="utf-8",
    )
    themes = load_themes(themes_file)
    with open_store(path, read_only=True) as store:
        table = crosstab(store, "themes", "role", themes=themes)
        roles = {i: set(r or []) or {NO_ROLE} for i, r in store.run(
            "MATCH (p:Interviewee)-[:GAVE]->(i:Interview) RETURN i.name, p.roles").rows}
    assert table.unresolved == ["theme 'data': issue 'nonexistent-issue'"]
    # What each theme covers, in the records' terms: codes listed, codes of issues listed, nested themes'
    # (an issue named by one spelling covers every spelling of it: the codebook's issue key).
    issue_keys = {"robust": {book.classify(c).issue_key for c in qm[:2]},
                  "data": {book.classify(c).issue_key for c in data[:2]}}
    issue_keys["quality"] = issue_keys["robust"]
    own_codes = {"quality": {"Data-collection-external"}, "robust": set(), "data": set()}
    expected: dict[tuple[str, str], set] = defaultdict(set)
    for record in chosen_records(records, Copies()):
        for paragraph in record.paragraphs:
            for code in paragraph.codes:
                found = book.classify(code)
                for theme in issue_keys:
                    if code in own_codes[theme] or (found.kind == "issue" and found.issue_key in issue_keys[theme]):
                        for role in roles[record.interview] | {TOTAL}:
                            expected[theme, role].add(record.interview)
    assert [r.id for r in table.rows] == ["quality", "robust", "data"]  # file order, nested after their parent
    found = {(r.id, c): n for r in table.rows for c, n in [*r.cells.items(), (TOTAL, r.total)] if n}
    assert found == {key: len(v) for key, v in expected.items()}
    assert set(table.columns) == set().union(*roles.values())


def test_quotes_follow_the_stated_rule(synthetic):
    path, records = synthetic
    with open_store(path, read_only=True) as store:
        table = crosstab(store, "issues", "none", copies=Copies("union"), quotes=2)
    carriers: dict[tuple[str, str, int], set[str]] = defaultdict(set)  # (issue, interview, position) -> coders
    book = load_codebook()
    for record in records:
        for paragraph in record.paragraphs:
            for code in paragraph.codes:
                if book.classify(code).kind == "issue":
                    label = f"{record.coder} (consensus)" if record.consensus else record.coder
                    carriers[book.classify(code).issue_key, record.interview, paragraph.position].add(label)
    for row in table.rows:
        assert 1 <= len(row.quotes) <= 2
        most = max(len(c) for (issue, _, _), c in carriers.items() if issue == row.id)
        first = row.quotes[0]
        # The first quote is carried by as many copies as any paragraph of the issue (the synthetic speech is
        # all the interviewee's), and its coders are exactly those copies.
        assert first.coders == sorted(carriers[row.id, first.interview, first.position], key=str.casefold)
        assert len(first.coders) == most
        interviews_of_row = {i for (issue, i, _) in carriers if issue == row.id}
        if len(interviews_of_row) > 1 and len(row.quotes) == 2:
            assert row.quotes[0].interview != row.quotes[1].interview  # one per interview first


# --- the Cypher that reproduces every figure ---------------------------------------------------------


def figures(table) -> dict[tuple[str, str], tuple[int, int]]:
    """(row id or 'total', column or 'total') -> the table's figure, for the non-zero ones."""
    out = {}
    for r in table.rows:
        for column, n in [*r.cells.items(), (TOTAL, r.total)]:
            if n:
                out[r.id, column] = n
    for column, n in [*table.column_totals.items(), (TOTAL, table.total)]:
        if n:
            out[TOTAL, column] = n
    return out


def assert_query_reproduces(store, rows, columns, copies, themes=None):
    text, params = table_query(store, rows, columns, copies=copies, themes=themes)
    result = store.run(text, params).records()
    for unit in ("interviews", "excerpts"):
        table = crosstab(store, rows, columns, unit=unit, copies=copies, themes=themes)
        assert {(r["row"], r["col"]): r[unit] for r in result} == figures(table), (rows, columns, str(copies), unit)


@pytest.mark.parametrize("rows", ["issues", "codes", "themes"])
@pytest.mark.parametrize("columns", ["none", "role", "domain", "interview", "coder"])
def test_the_printed_query_gives_every_figure_on_the_synthetic_study(synthetic, rows, columns):
    path, _ = synthetic
    with open_store(path, read_only=True) as store:
        for rule in ("consensus", "union", "coder:c1"):
            assert_query_reproduces(store, rows, columns, Copies.parse(rule))


def test_the_printed_query_gives_every_figure_on_the_fixtures(fixture_db):
    with open_store(fixture_db, read_only=True) as store:
        for rows, columns, rule in [("issues", "coder", "union"), ("themes", "domain", "consensus"),
                                    ("codes", "role", "coder:PO"), ("issues", "interview", "consensus")]:
            assert_query_reproduces(store, rows, columns, Copies.parse(rule))
        themes = load_themes(EXAMPLES / "themes" / "study-families.yaml")
        assert_query_reproduces(store, "themes", "coder", Copies("union"), themes)


def test_stored_themes_are_read_back_and_counted_in_the_graph(tmp_path):
    with open_store(tmp_path / "db") as store:
        load_paths(store, [EXAMPLES / "synthetic-study"])
        themes = parse_themes(NESTED, "nested.yaml")
        store_themes(store, themes)
        back = stored_themes(store)
        assert [(t.id, t.name, d, t.parent) for t, d in back.walk()] == [
            (t.id, t.name, d, t.parent) for t, d in themes.walk()]
        # The stored grouping, followed in the graph by the printed query, and read back by the table, agree
        # with the file used directly.
        for columns in ("coder", "none"):
            assert_query_reproduces(store, "themes", columns, Copies("union"))
            direct = crosstab(store, "themes", columns, copies=Copies("union"), themes=themes)
            stored = crosstab(store, "themes", columns, copies=Copies("union"))
            assert figures(stored) == figures(direct) and stored.grouping.startswith("stored themes")


# --- the command line --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def study_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("study") / "findings-db"
    with open_store(path) as store:
        parsed = parse_sources([EXAMPLES / "synthetic-study"], workers=1)
        update_graph(store, parsed.records, load_codebook(), load_catalog())
    return path


def test_findings_themes_replaces_the_previous_grouping(tmp_path, study_db):
    db = tmp_path / "db"
    db.write_bytes(study_db.read_bytes())
    assert "the codebook's families" in run_cli("table", "--rows", "themes", "--db", str(db)).stderr
    first = tmp_path / "first.yaml"
    first.write_text(NESTED, encoding="utf-8")
    done = run_cli("themes", str(first), "--db", str(db), "--format", "json")
    assert done.returncode == 0, done.stderr
    assert [t["id"] for t in json.loads(done.stdout)] == ["reliability", "repro", "data"]
    second = tmp_path / "second.yaml"
    second.write_text("themes:\n  only: {name: Only one, issues: [Data-missing-values]}\n", encoding="utf-8")
    assert run_cli("themes", str(second), "--db", str(db)).returncode == 0
    with open_store(db, read_only=True) as store:
        assert store.run("MATCH (t:Theme) RETURN t.id").rows == [["only"]]
        assert store.run("MATCH (:Theme)-[r:SUBTHEME_OF]->(:Theme) RETURN count(r)").scalar() == 0
        assert store.run("MATCH (:Theme {id: 'only'})-[:GROUPS]->(i:Issue) RETURN i.id").rows == [["data-missing-value"]]
    shown = run_cli("table", "--rows", "themes", "--db", str(db), "--format", "json")
    assert [r["theme"] for r in json.loads(shown.stdout)] == ["Only one", TOTAL]
    assert "stored themes" in shown.stderr


def test_a_bad_themes_file_fails_in_one_line_and_stores_nothing(tmp_path, study_db):
    db = tmp_path / "db"
    db.write_bytes(study_db.read_bytes())
    bad = tmp_path / "bad.yaml"
    bad.write_text("themes: {a: {codes: 5}}\n", encoding="utf-8")
    done = run_cli("themes", str(bad), "--db", str(db))
    assert done.returncode == 1 and done.stderr.strip().count("\n") == 0
    assert done.stderr.startswith(f"findings: error: {bad}: theme 'a': codes must be a list")
    with open_store(db, read_only=True) as store:
        assert store.run("MATCH (t:Theme) RETURN count(t)").scalar() == 0


def test_table_json_has_one_object_per_row_with_counts_and_total(study_db):
    done = run_cli("table", "--columns", "coder", "--copies", "union", "--quotes", "1", "--db", str(study_db),
                   "--format", "json")
    assert done.returncode == 0, done.stderr
    records = json.loads(done.stdout)
    *rows, totals = records
    assert set(rows[0]) == {"issue", "id", "Ana", "Ben", TOTAL, "quotes"}
    assert totals["issue"] == TOTAL and totals["id"] is None
    assert all(r[TOTAL] >= max(r["Ana"], r["Ben"]) for r in rows)
    assert {"interview", "coders", "text"} <= set(rows[0]["quotes"][0])
    assert "copies counted: union of every coded copy" in done.stderr
    assert "exemplar quotes: the interviewee's words first" in done.stderr


def test_table_markdown_latex_and_csv(study_db):
    markdown = run_cli("table", "--columns", "interview", "--db", str(study_db), "--format", "markdown").stdout
    lines = markdown.splitlines()
    # One column per interview of the synthetic study, counted from its files, in number order.
    interviews = sorted({f.name.split(" - ")[0] for f in (EXAMPLES / "synthetic-study").glob("*.md")},
                        key=lambda name: int(name.split()[-1]))
    assert lines[0] == f"| issue | {' | '.join(interviews)} | total |"
    assert lines[1] == "| --- |" + " --: |" * (len(interviews) + 1) and lines[-1].startswith(f"| {TOTAL} |")
    latex = run_cli("table", "--columns", "interview", "--db", str(study_db), "--format", "latex").stdout
    assert r"\begin{tabular}{l" + "r" * (len(interviews) + 1) + "}" in latex
    assert f"issue & {' & '.join(interviews)} & total " + "\\\\" in latex
    csv_lines = run_cli("table", "--db", str(study_db), "--format", "csv").stdout.splitlines()
    assert csv_lines[0] == f"issue,{TOTAL}" and csv_lines[-1].startswith(f"{TOTAL},")


def test_the_printed_query_runs_through_findings_query(study_db, tmp_path):
    shown = run_cli("table", "--rows", "codes", "--columns", "coder", "--copies", "coder:Ana", "--db", str(study_db),
                    "--show-query")
    assert shown.returncode == 0, shown.stderr
    first, _, _ = shown.stdout.partition("\n")
    params = json.loads(first.removeprefix("// parameters: "))
    query_file = tmp_path / "table.cypher"
    query_file.write_text(shown.stdout, encoding="utf-8")
    ran = run_cli("query", str(query_file), *(a for k, v in params.items() for a in ("--param", f"{k}={json.dumps(v)}")),
                  "--db", str(study_db), "--format", "json")
    assert ran.returncode == 0, ran.stderr  # a read query: no --write needed
    table = json.loads(run_cli("table", "--rows", "codes", "--columns", "coder", "--copies", "coder:Ana", "--cells",
                               "excerpts", "--db", str(study_db), "--format", "json").stdout)
    # JSON carries the engine's sums as text; the figures are whole numbers.
    by_row = {(r["row"], r["col"]): int(r["excerpts"]) for r in json.loads(ran.stdout)}
    for record in table[:-1]:
        assert by_row.get((record["id"], "Ana"), 0) == record["Ana"]
        assert by_row[(record["id"], TOTAL)] == record[TOTAL]
    assert by_row[(TOTAL, TOTAL)] == table[-1][TOTAL]


def test_themes_go_with_theme_rows(study_db, tmp_path):
    done = run_cli("table", "--rows", "issues", "--themes", str(EXAMPLES / "themes" / "study-families.yaml"),
                   "--db", str(study_db))
    assert done.returncode == 2 and "--themes groups the rows into themes" in done.stderr


def test_codes_rows_leave_out_structure_codes(study_db):
    with open_store(study_db, read_only=True) as store:
        table = crosstab(store, "codes", "none")
        kinds = dict(store.run("MATCH (c:Code) RETURN c.id, c.kind").rows)
    assert table.rows and {kinds[r.id] for r in table.rows} <= set(FINDING_KINDS)


def test_top_keeps_the_rows_with_the_highest_totals_and_the_totals_of_all(synthetic):
    path, _ = synthetic
    with open_store(path, read_only=True) as store:
        whole = crosstab(store, "issues", "coder", copies=Copies("union"))
        top = crosstab(store, "issues", "coder", copies=Copies("union"), top=3)
    assert [r.id for r in top.rows] == [r.id for r in whole.rows[:3]]
    assert all(a.total >= b.total for a, b in zip(whole.rows, whole.rows[1:]))  # most interviews first
    assert (top.total, top.column_totals) == (whole.total, whole.column_totals)
    assert f"the 3 of {len(whole.rows)} issues with the highest totals" in top.description()
