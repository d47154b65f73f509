"""Shared test fixtures: the reference study's files and fresh databases.

Fixtures from ``../shared/fixtures`` (or ``$FINDINGS_FIXTURES``) are real data;
tests that need them are skipped with a clear reason when the file or folder
they read is absent (e.g. a bare clone). Every code path also has a test on
data a clone has: the shipped synthetic study, files built in ``tmp_path``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from graph.codebook import load_codebook
from graph.knowledge import load_catalog
from graph.pipeline import update_graph
from graph.store import open_store
from ingest.batch import parse_sources

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(os.environ.get("FINDINGS_FIXTURES", REPO.parent / "shared" / "fixtures"))
EXAMPLES = REPO / "examples"


def fixture_path(*parts: str) -> Path:
    path = FIXTURES.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"reference fixtures not found at {path} (set FINDINGS_FIXTURES)")
    return path


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "findings-db"


@pytest.fixture
def store(db_path: Path):
    with open_store(db_path) as opened:
        yield opened


def load_paths(store, paths, *, consensus: bool = False, coder: str | None = None):
    """Ingest files as `findings ingest` does (parse, load, derive knowledge); returns the load report."""
    parsed = parse_sources(list(paths), consensus=consensus, coder=coder, workers=1)
    assert not parsed.failed, parsed.failed
    return update_graph(store, parsed.records, load_codebook(), load_catalog()).load


@pytest.fixture(scope="session")
def fixture_db(tmp_path_factory) -> Path:
    """A database holding every reference fixture: PDF codings, consensus copies, Markdown."""
    # The folders themselves, so that FINDINGS_FIXTURES pointing at an empty or partial copy skips, not errors.
    codings, consensus = fixture_path("delve-pdf", "codings"), fixture_path("delve-pdf", "consensus")
    path = tmp_path_factory.mktemp("fixture-db") / "findings-db"
    with open_store(path) as opened:
        load_paths(opened, [codings])
        load_paths(opened, [consensus], consensus=True)
    return path


def run_cli(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None, timeout: float = 300
) -> subprocess.CompletedProcess:
    """Run the real ``findings`` entry point in a subprocess; past ``timeout`` seconds it is killed and the test fails."""
    return subprocess.run(
        [sys.executable, "-m", "graph.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=cwd,
        timeout=timeout,
    )
