"""The ``findings`` command end to end, in a subprocess, on real files.

Bad input must give one line on stderr naming the file or query and the
problem, a non-zero exit, and leave the database exactly as it was.
"""

import json

import pytest

from graph.queries import library
from graph.store import open_store
from tests.conftest import EXAMPLES, fixture_path, run_cli
from tests.test_delve_markdown import SEED_CODES
from tests.test_loader import snapshot

CODE_QUERY = (
    "MATCH (t:Transcript)-[:HAS_EXCERPT]->(e:Excerpt)-[:CODED_AS]->(c:Code) RETURN c.name AS code, count(e) AS n"
)


@pytest.fixture(scope="module")
def study_db(tmp_path_factory):
    """The synthetic study, ingested once, for tests that only read it."""
    path = tmp_path_factory.mktemp("study") / "findings-db"
    assert run_cli("ingest", str(EXAMPLES / "synthetic-study"), "--db", str(path)).returncode == 0
    return path


def code_counts(db) -> dict[str, int]:
    result = run_cli("query", CODE_QUERY, "--db", str(db), "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    return {row["code"]: row["n"] for row in rows}


def test_seed_ingest_and_json_query(db_path):
    seed = fixture_path("delve-markdown", "Interview 35 - PO.md")
    first = run_cli("ingest", str(seed), "--db", str(db_path))
    assert first.returncode == 0, first.stderr
    assert code_counts(db_path) == SEED_CODES
    again = run_cli("ingest", str(seed), "--db", str(db_path), "--format", "json")
    assert again.returncode == 0
    summary = {row["item"]: row["value"] for row in json.loads(again.stdout)}
    assert summary["transcripts unchanged"] == 1 and summary["transcripts added"] == 0
    assert code_counts(db_path) == SEED_CODES


def test_query_formats_and_library(db_path):
    assert run_cli("ingest", str(EXAMPLES / "synthetic-study"), "--db", str(db_path)).returncode == 0
    csv_out = run_cli("query", "code-counts", "--db", str(db_path), "--format", "csv")
    assert csv_out.returncode == 0
    lines = csv_out.stdout.strip().splitlines()
    assert lines[0] == "code,kind,paragraphs,transcripts"
    # Counted from the files: a Delve Markdown code line sits under each paragraph it codes.
    coded = [sum(line == "QM-robustness" for line in f.read_text("utf-8").splitlines())
             for f in (EXAMPLES / "synthetic-study").glob("*.md")]
    assert f"QM-robustness,issue,{sum(coded)},{sum(1 for n in coded if n)}" in lines
    params = run_cli(
        "query", "transcripts-of-interview", "--param", "interview=Interview 2", "--db", str(db_path), "--format", "json"
    )
    assert [row["coder"] for row in json.loads(params.stdout)] == ["Ana", "Ben"]
    table = run_cli("stats", "--db", str(db_path))
    assert table.returncode == 0 and "Excerpt" in table.stdout


def write_bad(tmp_path, kind):
    path = tmp_path / f"bad-{kind}.md"
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "binary":
        path.write_bytes(bytes(range(256)) * 8)
    elif kind == "latin1":
        path.write_bytes("## Interview 5 - PO\n\n**Interviewee**\n\nCaf\xe9 au lait\n".encode("latin-1"))
    elif kind == "unknown":
        path.write_text("Just some notes, no speakers and no title.\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("kind", "problem"),
    [
        ("empty", "empty file"),
        ("binary", "binary file"),
        ("latin1", "not UTF-8 text (byte 0xe9"),
        ("unknown", "unknown format"),
    ],
)
def test_bad_input_is_one_line_and_leaves_db_unchanged(tmp_path, db_path, kind, problem):
    assert run_cli("ingest", str(EXAMPLES / "synthetic-study"), "--db", str(db_path)).returncode == 0
    with open_store(db_path, read_only=True) as store:
        before = snapshot(store)
    bad = write_bad(tmp_path, kind)
    result = run_cli("ingest", str(bad), "--db", str(db_path))
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(bad) in lines[0] and problem in lines[0]
    assert "Traceback" not in result.stderr
    with open_store(db_path, read_only=True) as store:
        assert snapshot(store) == before


def test_cypher_syntax_error(db_path):
    assert run_cli("ingest", str(EXAMPLES / "synthetic-study"), "--db", str(db_path)).returncode == 0
    with open_store(db_path, read_only=True) as store:
        before = snapshot(store)
    for cypher, problem in [
        ("MATCH (n RETURN n", "refused at line 1, column 10: expected ')', found 'RETURN'"),  # the guard's parser
        ("MATCH (n:NoSuchLabel) RETURN n", "Binder exception: Table NoSuchLabel does not exist."),  # the database's
    ]:
        result = run_cli("query", cypher, "--db", str(db_path))
        assert result.returncode == 1
        [line] = result.stderr.strip().splitlines()
        assert line.startswith(f"findings: error: query {cypher!r}: {problem}")
    with open_store(db_path, read_only=True) as store:
        assert snapshot(store) == before


def test_query_is_read_only_unless_asked(db_path):
    assert run_cli("ingest", str(EXAMPLES / "synthetic-study"), "--db", str(db_path)).returncode == 0
    refused = run_cli("query", "MATCH (c:Code) SET c.kind = 'x'", "--db", str(db_path))
    assert refused.returncode == 1
    assert "SET is not a read clause (without --write, only read queries run)" in refused.stderr
    allowed = run_cli("query", "MATCH (c:Code {id: 'Misc'}) RETURN count(c)", "--db", str(db_path), "--write")
    assert allowed.returncode == 0


def test_missing_database(tmp_path):
    missing = tmp_path / "nowhere"
    result = run_cli("query", "MATCH (n) RETURN n", "--db", str(missing))
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert str(missing) in line and "no database here" in line
    assert not missing.exists()


def test_folder_with_a_bad_file_loads_the_rest(tmp_path, db_path):
    folder = tmp_path / "study"
    folder.mkdir()
    for source in (EXAMPLES / "synthetic-study").glob("Interview 1 *.md"):
        (folder / source.name).write_bytes(source.read_bytes())
    (folder / "broken.md").write_bytes("## Interview 8 - X\n\n\xff\xfe".encode("latin-1"))
    (folder / "notes.docx").write_bytes(b"PK\x03\x04 not really a zip")
    result = run_cli("ingest", str(folder), "--db", str(db_path), "--format", "json")
    assert result.returncode == 1
    assert "broken.md" in result.stderr and "not UTF-8" in result.stderr
    summary = json.loads(result.stdout)
    items = [row["item"] for row in summary]
    assert items.count("failed") == 1 and {"item": "transcripts added", "value": 2} in summary
    skipped = [row["value"] for row in summary if row["item"] == "skipped"]
    assert len(skipped) == 1 and "notes.docx" in skipped[0]


@pytest.mark.parametrize(
    ("cypher", "refused"),
    [
        ("CHECKPOINT", "refused at line 1, column 1: CHECKPOINT is not a read clause"),
        ("MATCH (n:Code) RETURN count(n); CHECKPOINT", "refused at line 1, column 33: a second statement after ';'"),
        # From the issue: both returned /etc/passwd or ended the process with a segmentation fault.
        ("MATCH (c:Code) WHERE c.id = 1LOAD FROM '/etc/passwd' (file_format='csv', delim=':', header=false) RETURN *",
         "refused at line 1, column 30: LOAD is not a read clause"),
        ("CALL READ_CSV_SERIAL('/etc/passwd') RETURN *", "refused at line 1, column 6: CALL runs only catalogue functions"),
        ("CALL READ_PARQUET('/etc/passwd') RETURN *", "refused at line 1, column 6: CALL runs only catalogue functions"),
    ],
)
def test_read_only_query_refuses_what_ladybug_lets_through(study_db, cypher, refused):
    with open_store(study_db, read_only=True) as store:
        before = snapshot(store)
    result = run_cli("query", cypher, "--db", str(study_db))
    assert result.returncode == 1 and result.stdout == ""
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"findings: error: query {cypher[:60]!r}: {refused}")
    # The database still opens read-only, as it would not after a CHECKPOINT there, and holds what it held.
    with open_store(study_db, read_only=True) as store:
        assert snapshot(store) == before


def test_catalogue_functions_run_without_write(study_db):
    result = run_cli("query", "CALL show_tables() WHERE type = 'NODE' RETURN name ORDER BY name", "--db", str(study_db),
                     "--format", "json")
    assert result.returncode == 0, result.stderr
    assert {"name": "Issue"} in json.loads(result.stdout)


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["transcripts-of-interview"],
         'cypher/transcripts-of-interview.cypher: no value for $interview; the query takes $interview (e.g. "Interview 35")'),
        (["quotes-for-link", "--param", "issue=robustness"],
         ('cypher/quotes-for-link.cypher: no value for $mitigation; the query takes $issue (e.g. "robustness"), '
          '$mitigation (e.g. "data augmentation")')),
        (["transcripts-of-interview", "--param", "interview=Interview 1", "--param", "intervew=Interview 1"],
         'cypher/transcripts-of-interview.cypher: unknown parameter $intervew; the query takes $interview'),
        (["code-counts", "--param", "limit=3"],
         "cypher/code-counts.cypher: unknown parameter $limit; the query takes no parameters"),
        (["MATCH (i:Interview {name: $name}) RETURN i.id", "--param", "nmae=Interview 1"],
         "query 'MATCH (i:Interview {name: $name}) RETURN i.id': unknown parameter $nmae; the query takes $name"),
        (["central-issues", "--param", "limit=99999999999999999999"],
         "cypher/central-issues.cypher: $limit: 99999999999999999999 does not fit in a 64-bit integer"),
        (["MATCH (i:Interview) WHERE i.number IN $numbers RETURN i.id", "--param", "numbers=[1, -9223372036854775809]"],
         "$numbers: -9223372036854775809 does not fit in a 64-bit integer"),
    ],
)
def test_query_parameters_are_checked_against_the_query(study_db, args, problem):
    result = run_cli("query", *args, "--db", str(study_db))
    assert result.returncode == 1 and result.stdout == ""
    [line] = result.stderr.strip().splitlines()
    assert problem in line and line.startswith("findings: error: ")


def test_the_biggest_64_bit_integer_is_a_fine_parameter(study_db):
    result = run_cli("query", "central-issues", "--param", f"limit={2**63 - 1}", "--db", str(study_db), "--format", "json")
    assert result.returncode == 0, result.stderr
    with open_store(study_db, read_only=True) as store:
        issues = store.run("MATCH (i:Issue) RETURN count(i)").scalar()
    assert len(json.loads(result.stdout)) == issues  # no limit in effect: every issue


def test_query_list_names_every_library_query_with_its_parameters(tmp_path):
    result = run_cli("query", "--list", "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = {row["name"]: row for row in json.loads(result.stdout)}
    assert set(rows) == set(library())
    assert rows["transcripts-of-interview"]["parameters (example)"] == "$interview='Interview 35'"
    assert "central-issues" in run_cli("query", "--help").stdout


def test_a_misspelt_library_name_gets_did_you_mean(tmp_path):
    result = run_cli("query", "centrl-issues", "--db", str(tmp_path / "db"))
    assert result.returncode == 1
    assert result.stderr == "findings: error: centrl-issues: no query of that name in the library; did you mean central-issues?\n"
    far = run_cli("query", "no-such-thing-at-all", "--db", str(tmp_path / "db"))
    assert far.stderr.endswith("`findings query --list` shows them\n")


def test_ingesting_a_folder_without_transcripts_is_an_error_naming_what_was_skipped(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_cli("ingest", str(empty), "--db", str(tmp_path / "db"))
    assert (result.returncode, result.stderr) == (1, f"findings: error: no transcripts found in {empty} (no files)\n")
    (empty / "notes.docx").write_bytes(b"PK\x03\x04 not a transcript")
    (empty / "data.bin").write_bytes(bytes(range(256)))
    result = run_cli("ingest", str(empty), "--db", str(tmp_path / "db"))
    assert result.returncode == 1
    assert result.stderr.startswith(f"findings: error: no transcripts found in {empty}; skipped 2 file(s): data.bin (")
    assert not (tmp_path / "db").exists()
