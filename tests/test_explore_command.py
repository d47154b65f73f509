"""`findings explore`: what it starts, with which settings, and how it refuses a missing database.

The running app is tested in a real browser (test_explorer_browser.py);
here, the command line and environment it hands to Streamlit.
"""

from __future__ import annotations

from pathlib import Path

from explorer.launch import APP, streamlit_command, streamlit_environment
from graph.config import StoreTarget
from tests.conftest import run_cli


def option(command: list[str], name: str) -> str:
    return command[command.index(name) + 1]


def test_streamlit_runs_the_app_locally_headless_without_usage_stats():
    command = streamlit_command()
    assert command[1:4] == ["-m", "streamlit", "run"] and Path(command[4]) == APP and APP.is_file()
    assert option(command, "--server.address") == "127.0.0.1"
    assert option(command, "--server.port") == "8501"
    assert option(command, "--server.headless") == "true"
    assert option(command, "--browser.gatherUsageStats") == "false"
    other = streamlit_command("0.0.0.0", 9000)
    assert option(other, "--server.address") == "0.0.0.0" and option(other, "--server.port") == "9000"


def test_the_store_travels_in_the_environment(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FINDINGS_NEO4J_URI", "bolt://elsewhere:7687")
    env = streamlit_environment(StoreTarget(db=Path("my-db")))
    assert env["FINDINGS_DB"] == str(tmp_path / "my-db")  # absolute: Streamlit may run elsewhere
    assert "FINDINGS_NEO4J_URI" not in env  # a resolved database path wins over a URI left in the environment
    assert streamlit_environment(StoreTarget(neo4j_uri="bolt://db:7687"))["FINDINGS_NEO4J_URI"] == "bolt://db:7687"


def test_explore_refuses_a_missing_database_in_one_line(tmp_path):
    result = run_cli("explore", "--db", str(tmp_path / "nothing-here"), "--port", "1")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"findings: error: {tmp_path / 'nothing-here'}: no database here (run `findings ingest` first, or pass --db)"
    ]


def test_explore_on_a_taken_port_says_so_and_suggests_another(tmp_path):
    import socket

    db = tmp_path / "findings-db"
    assert run_cli("ingest", str(Path(__file__).parents[1] / "examples" / "synthetic-study" / "Interview 1 - Ana.md"),
                   "--db", str(db)).returncode == 0
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("explore", "--db", str(db), "--port", str(port), "--no-browser")
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"findings: error: port {port} on 127.0.0.1 is taken (another explorer?); "
                           "try findings explore --port "), line
    suggested = int(line.rsplit(" ", 1)[1])
    assert suggested > port
