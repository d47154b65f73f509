"""Reading the explorer's network drawings back in tests."""

from __future__ import annotations

import json
import re


def drawn_nodes(html: str) -> list[str]:
    """The node keys an HTML from :func:`explorer.network.network_html` draws."""
    match = re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);", html, re.DOTALL)
    return [node["id"] for node in json.loads(match.group(1))] if match else []
