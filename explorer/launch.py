"""How ``findings explore`` starts the Streamlit app: the command line and its environment.

Streamlit runs in its own process (``python -m streamlit run explorer/app.py``)
bound to 127.0.0.1 unless asked otherwise, headless (it opens no browser and
asks nothing) and with usage statistics off, so nothing leaves the machine.
The store to read travels in the environment (``FINDINGS_DB`` or
``FINDINGS_NEO4J_URI``), where :mod:`explorer.data` reads it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP = Path(__file__).resolve().parent / "app.py"


def streamlit_command(host: str = "127.0.0.1", port: int = 8501) -> list[str]:
    return [
        sys.executable, "-m", "streamlit", "run", str(APP),
        "--server.address", host,
        "--server.port", str(port),
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
        "--client.toolbarMode", "viewer",  # no "Deploy" button or developer menu
    ]


def streamlit_environment(db: str | None = None, neo4j: str | None = None) -> dict[str, str]:
    """The current environment with the store to read; a database path is made absolute."""
    env = dict(os.environ)
    if neo4j:
        env["FINDINGS_NEO4J_URI"] = neo4j
    elif db:
        env["FINDINGS_DB"] = str(Path(db).resolve())
        env.pop("FINDINGS_NEO4J_URI", None)
    return env
