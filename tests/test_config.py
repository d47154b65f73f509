"""Configuration is read at the edges: graph.config resolves it, the CLI and the explorer call it, library code
takes arguments."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graph.config import ConfigError, StoreTarget, read_limits, store_target
from tests.conftest import EXAMPLES, run_cli

ROOT = Path(__file__).resolve().parent.parent
# The modules allowed to read the environment: the edges, and the fault-injection hook the crash tests drive.
EDGES = {"graph/config.py", "graph/cli.py", "explorer/launch.py", "graph/faults.py"}


def test_an_option_wins_over_the_environment():
    env = {"FINDINGS_DB": "from-env"}
    assert store_target("from-option", environ=env) == StoreTarget(db=Path("from-option"))
    assert store_target(environ=env) == StoreTarget(db=Path("from-env"))
    assert store_target(environ={}) == StoreTarget(db=Path("findings-db"))


def test_a_neo4j_uri_wins_and_brings_its_credentials_from_the_environment():
    env = {"FINDINGS_DB": "db", "FINDINGS_NEO4J_URI": "bolt://h:7687", "FINDINGS_NEO4J_PASSWORD": "s3cret"}
    target = store_target(environ=env)
    assert (target.neo4j_uri, target.neo4j_user, target.neo4j_password, target.db) == ("bolt://h:7687", "neo4j", "s3cret", None)
    assert "s3cret" not in repr(target)  # a secret does not end up in a traceback or a log line
    assert store_target(neo4j="bolt://other:7687", environ={}).neo4j_uri == "bolt://other:7687"


@pytest.mark.parametrize("value", ["zero", "0", "-3", "nan"])
def test_a_bad_size_limit_is_one_error_naming_the_variable(value):
    with pytest.raises(ConfigError, match=f"FINDINGS_MAX_FILE_MB={value!r}: not a positive number of megabytes"):
        read_limits({"FINDINGS_MAX_FILE_MB": value})


def test_the_size_limit_reaches_the_parsers_from_the_command_line(tmp_path):
    source = tmp_path / "Interview 1 - Ana.md"
    source.write_bytes((EXAMPLES / "synthetic-study" / "Interview 1 - Ana.md").read_bytes())
    result = run_cli("ingest", "--db", str(tmp_path / "db"), str(source), env={"FINDINGS_MAX_FILE_MB": "0.0001"})
    assert result.returncode == 1
    assert "over the 0 MB limit" in result.stderr and str(source) in result.stderr
    bad = run_cli("ingest", "--db", str(tmp_path / "db"), str(source), env={"FINDINGS_MAX_FILE_MB": "lots"})
    assert bad.returncode == 1
    assert bad.stderr.strip().splitlines() == ["findings: error: FINDINGS_MAX_FILE_MB='lots': not a positive number of megabytes"]


def test_library_code_reads_no_environment():
    """Only the edges read os.environ / os.getenv; a new reader deep in the library fails here, naming itself."""
    readers = set()
    for package in ("graph", "ingest", "explorer"):
        for path in (ROOT / package).rglob("*.py"):
            if re.search(r"\bos\.(environ|getenv)\b|\bgetenv\(", path.read_text(encoding="utf-8")):
                readers.add(str(path.relative_to(ROOT)))
    assert readers - EDGES == set()
