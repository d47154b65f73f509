"""How ``findings explore`` starts the Streamlit app: the command line and its environment.

Streamlit runs in its own process (``python -m streamlit run explorer/app.py``)
bound to 127.0.0.1 unless asked otherwise, headless (it opens no browser and
asks nothing) and with usage statistics off, so nothing leaves the machine.
The store to read travels in the environment (``FINDINGS_DB`` or
``FINDINGS_NEO4J_URI``), where :mod:`explorer.data` reads it.
"""

from __future__ import annotations

import errno
import os
import socket
import subprocess
import sys
import time
import urllib.request
import webbrowser
from pathlib import Path

from graph.config import ENV_DB, ENV_NEO4J_URI, StoreTarget

__all__ = [
    "APP",
    "streamlit_command",
    "streamlit_environment",
    "port_taken",
    "free_port_after",
    "can_show_a_browser",
    "open_when_ready",
]

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


def streamlit_environment(target: StoreTarget) -> dict[str, str]:
    """The current environment naming the store to read (a database path made absolute), for the explorer's
    process to resolve as the command line did."""
    env = dict(os.environ)
    if not target.embedded:
        env[ENV_NEO4J_URI] = target.neo4j_uri
    else:
        env[ENV_DB] = str(Path(target.db).resolve())
        env.pop(ENV_NEO4J_URI, None)
    return env


def port_taken(host: str, port: int) -> bool:
    """Whether something already listens on ``host:port`` (Streamlit would fail only after starting)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            return exc.errno == errno.EADDRINUSE
    return False


def free_port_after(host: str, port: int, tries: int = 50) -> int | None:
    """The first port after ``port`` that nothing listens on, to suggest instead."""
    return next((p for p in range(port + 1, min(port + tries, 65535) + 1) if not port_taken(host, p)), None)


def can_show_a_browser() -> bool:
    """A graphical session to open a browser in: a display on Linux, always on macOS and Windows.

    Without one, Python's webbrowser would pick a text browser in the terminal the server is using.
    """
    return sys.platform in ("darwin", "win32") or bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def open_when_ready(url: str, timeout: float = 60.0) -> None:
    """Start a detached helper that opens ``url`` in the browser once the server answers."""
    subprocess.Popen(
        [sys.executable, "-m", "explorer.launch", url, str(timeout)],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )


def _wait_then_open(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    webbrowser.open(url)
                    return
        except OSError:
            time.sleep(0.3)


if __name__ == "__main__":
    _wait_then_open(sys.argv[1], float(sys.argv[2]))
