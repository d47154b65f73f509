"""Build a registered projection by name, as the CLI and the explorer choose them (``--view``).

The views themselves are listed in :data:`graph.analytics.names.VIEW_REGISTRY`,
one module each; this module imports a view's module only when it is built.
"""

from __future__ import annotations

import importlib

import networkx as nx

from graph.analytics.names import network_view
from graph.analytics.selection import CONSENSUS, Copies
from graph.store import Reader

__all__ = ["build_view"]


def build_view(
    source: Reader, view: str, *, copies: Copies = CONSENSUS, weighting: str | None = None
) -> nx.Graph:
    """The named projection of ``source`` read by the copies rule; ValueError for an unknown view or an option
    it cannot honour.

    ``weighting`` only exists for views that offer weightings (co-occurrence: ``excerpts`` by default, or
    ``interviews``).
    """
    entry = network_view(view)
    options: dict[str, object] = {}
    if weighting is not None:
        if weighting not in entry.weightings:
            offered = f"one of {', '.join(entry.weightings)}" if entry.weightings else "none"
            raise ValueError(f"--weighting {weighting} does not apply to the {view} view (weightings: {offered})")
        options["weighting"] = weighting
    if entry.copies:
        options["copies"] = copies
    elif copies != CONSENSUS:
        raise ValueError(f"the {view} view reads the knowledge layer's links, which use consensus "
                         "copies or else every coder; --copies or --coder does not apply to it")
    module, _, function = entry.builder.partition(":")
    return getattr(importlib.import_module(module), function)(source, **options)
