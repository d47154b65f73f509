"""Drive the explorer in a real browser: `findings explore` on a free port, headless Chromium.

Shared by the real-browser test and the explorer benchmark. Chromium is
Debian's (``/usr/bin/chromium``, installed by the Makefile's ``test``
target); Playwright's Python package only drives it, it never downloads a
browser. The flags keep a headless Chromium from calling home (component
updates, sync, field trials), so that every request the page makes is one
the explorer caused, and :class:`Traffic` records each of them: the tests
assert that none leaves 127.0.0.1, and any that tries is aborted.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1"}
# Schemes that never reach the network: inline documents and the iframe's srcdoc.
_OFFLINE_SCHEMES = {"data", "blob", "about"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving(command: Callable[[int], list[str]], *, timeout: float = 90.0) -> Iterator[str]:
    """Run a Streamlit server, ``command(port)``, on a free local port; yields its base URL."""
    port = free_port()
    with tempfile.TemporaryFile("w+") as log:
        # Its own process group, so the server and anything it started stop together.
        process = subprocess.Popen(command(port), stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_until_healthy(process, url, log, timeout)
            yield url
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()


def _wait_until_healthy(process: subprocess.Popen, url: str, log: IO[str], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"{process.args[2:4]} exited with {process.returncode}: {log.read()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"nothing answered on {url} within {timeout:.0f} s")
        time.sleep(0.2)


def explorer(db: Path, *, timeout: float = 90.0) -> AbstractContextManager[str]:
    """``findings explore --db DB`` on a free local port; yields its base URL."""
    return serving(
        lambda port: [sys.executable, "-m", "graph.cli", "explore", "--db", str(db), "--port", str(port), "--no-browser"],
        timeout=timeout,
    )


def streamlit_script(script: Path, *, timeout: float = 90.0) -> AbstractContextManager[str]:
    """Any Streamlit script, served as ``findings explore`` serves the explorer (local, headless, no stats)."""
    return serving(
        lambda port: [sys.executable, "-m", "streamlit", "run", str(script), "--server.address", "127.0.0.1",
                      "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        timeout=timeout,
    )


@dataclass
class Traffic:
    """Every URL the browser requested or opened a socket to; remote ones are aborted."""

    urls: list[str] = field(default_factory=list)

    @property
    def remote(self) -> list[str]:
        return [u for u in self.urls if urlsplit(u).scheme not in _OFFLINE_SCHEMES
                and urlsplit(u).hostname not in LOCAL_HOSTS]

    def route(self, route: Any) -> None:
        url = route.request.url
        self.urls.append(url)
        if urlsplit(url).scheme in _OFFLINE_SCHEMES or urlsplit(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            route.abort()


@contextmanager
def chromium(
    profile: Path, traffic: Traffic, *, intercept: bool = True, width: int = 1400, height: int = 1000
) -> Iterator[Any]:
    """A headless Chromium context with a fresh profile, every request recorded in ``traffic``.

    With ``intercept`` every request waits for Playwright to let it through
    (remote ones are aborted); that round trip costs hundreds of
    milliseconds per request on a small machine, so timings use
    ``intercept=False``, which only listens.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
            viewport={"width": width, "height": height},
        )
        try:
            if intercept:
                context.route("**/*", traffic.route)
            else:
                context.on("request", lambda request: traffic.urls.append(request.url))
            # WebSockets bypass routing; Streamlit's own socket is one.
            context.on("page", lambda page: page.on("websocket", lambda ws: traffic.urls.append(ws.url)))
            yield context
        finally:
            context.close()


def settled_network(page: Any, *, after: float = 0.0, timeout: float = 120.0) -> tuple[Any, dict[str, Any]]:
    """The frame holding the pyvis network once it has settled (``window.findingsSettled``).

    ``after`` (epoch ms) skips a drawing that settled earlier, e.g. before a
    view was changed. Returns the frame and what the network recorded.
    """
    from playwright.sync_api import Error

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for frame in page.frames:
            try:
                settled = frame.evaluate("() => window.findingsSettled || null")
            except Error:  # a frame being replaced cannot be evaluated
                settled = None
            if settled and settled["at"] > after:
                return frame, settled
        page.wait_for_timeout(50)
    raise TimeoutError(f"no network settled within {timeout:.0f} s")


# Every node label of a settled vis-network drawing as the canvas shows it: font size in screen px
# (vis-network caps it at scaling.label.maxVisible and skips it below drawThreshold - 1), whether
# it is drawn, and its box in the canvas's own pixels; with the canvas size and the zoom scale.
LABELS_JS = """() => {
  const scale = network.getScale();
  const box = document.getElementById('mynetwork').getBoundingClientRect();
  const labels = nodes.getIds().map((id) => {
    const node = network.body.nodes[id];
    const module = node.labelModule;
    const scaling = node.options.scaling.label;
    const px = Math.min(module.fontOptions.size * scale, scaling.maxVisible);
    const drawn = Boolean(node.options.label) && module.fontOptions.size * scale >= scaling.drawThreshold - 1;
    const size = module.size;
    const corner = network.canvasToDOM({x: size.left, y: size.top});
    const far = network.canvasToDOM({x: size.left + size.width, y: size.top + size.height});
    return {id: id, label: node.options.label, px: px, drawn: drawn,
            left: corner.x, top: corner.y, right: far.x, bottom: far.y};
  });
  return {scale: scale, width: box.width, height: box.height, labels: labels};
}"""
