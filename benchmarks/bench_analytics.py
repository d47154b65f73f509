"""How the analytics grow with the size of a study: 100, 1,000 and 10,000 interviews.

Each size is a synthetic study (:mod:`benchmarks.synthetic`, every interview
coded by two coders, ~150 paragraphs and 15-30 codings per copy) loaded into
a fresh LadybugDB through the loader (``write_records``: transcripts,
excerpts, codings, code classification and issues, one transaction). The
knowledge layer's text analysis is not run: at 10,000 double-coded
interviews it would dominate the run and it is not what is measured here;
its Mitigation and ADDRESSES rows are inserted from the strategies the
generator put next to fix codes (:func:`benchmarks.synthetic.strategy_links`).

Then, on the store, each step is timed once, in this process: the write-back
every ingest runs, each projection built from the store with Cypher, each
measure on each projection, coder agreement over every interview, and
saturation with 200 random orders. The table gives seconds per size and the
growth ratios between sizes, measured in the same run (so they do not depend
on the machine; absolute seconds do).

    python -m benchmarks.bench_analytics [--sizes 100 1000 10000] [--seed 0]
"""

from __future__ import annotations

import argparse
import functools
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx

from benchmarks.synthetic import generate_study, strategy_links
from graph.analytics.agreement import agreement
from graph.analytics.centrality import betweenness, degrees, eigenvector, pagerank
from graph.analytics.communities import louvain
from graph.analytics.names import VIEWS
from graph.analytics.saturation import saturation
from graph.analytics.views import build_view
from graph.analytics.writeback import refresh_store
from graph.codebook import load_codebook
from graph.loader import write_records
from graph.store import GraphStore, open_store


def _timed(results: dict[str, float], step: str, work: Callable[[], Any]) -> Any:
    start = time.perf_counter()
    value = work()
    results[step] = time.perf_counter() - start
    print(f"  {step}: {results[step]:.2f} s", file=sys.stderr, flush=True)
    return value


def _insert_mitigations(store: GraphStore, records: list) -> None:
    mitigations, addresses = strategy_links(records)
    with store.transaction() as tx:
        tx.insert_nodes("Mitigation", mitigations)
        tx.insert_relationships("ADDRESSES", addresses)


def measure(n_interviews: int, seed: int) -> tuple[dict[str, float], dict[str, str]]:
    """Seconds per step for one size, and the size of each projection."""
    times: dict[str, float] = {}
    shapes: dict[str, str] = {}
    records = _timed(times, "generate records", lambda: generate_study(n_interviews, seed, coders=2))
    folder = Path(tempfile.mkdtemp(prefix="bench-analytics-"))
    try:
        with open_store(folder / "db") as store:
            def load(batch: list) -> None:
                with store.transaction() as tx:
                    write_records(tx, batch, load_codebook())

            _timed(times, "load (loader, one transaction)", functools.partial(load, records))
            _insert_mitigations(store, records)
            del records  # the records are in the store now; measure what follows without them in memory
            _timed(times, "write-back (run by every ingest)", lambda: refresh_store(store, seed=seed))
            for view in VIEWS:
                graph: nx.Graph = _timed(times, f"{view}: projection from store", lambda: build_view(store, view))
                _timed(times, f"{view}: degree", lambda: degrees(graph))
                _, method = _timed(times, f"{view}: betweenness", lambda: betweenness(graph, seed=seed))
                _timed(times, f"{view}: eigenvector", lambda: eigenvector(graph))
                _timed(times, f"{view}: pagerank", lambda: pagerank(graph))
                _timed(times, f"{view}: louvain", lambda: louvain(graph, seed=seed))
                shapes[view] = f"{graph.number_of_nodes():,} nodes, {graph.number_of_edges():,} edges; betweenness {method}"
            _timed(times, "agreement (all interviews)", lambda: agreement(store))
            _timed(times, "saturation (200 random orders)", lambda: saturation(store, orders=200, seed=seed))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return times, shapes


def _ratio(a: float, b: float) -> str:
    return f"{b / a:.1f}x" if a > 0 else "-"


def table(sizes: list[int], times: dict[int, dict[str, float]], shapes: dict[int, dict[str, str]]) -> str:
    header = ["step", *(f"{n:,} interviews (s)" for n in sizes)]
    header += [f"{b:,} / {a:,}" for a, b in zip(sizes, sizes[1:])]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for step in times[sizes[0]]:
        cells = [step, *(f"{times[n][step]:.3f}" for n in sizes)]
        cells += [_ratio(times[a][step], times[b][step]) for a, b in zip(sizes, sizes[1:])]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "| view | " + " | ".join(f"{n:,} interviews" for n in sizes) + " |", "|---|" + "---|" * len(sizes)]
    for view in VIEWS:
        lines.append(f"| {view} | " + " | ".join(shapes[n][view] for n in sizes) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    times: dict[int, dict[str, float]] = {}
    shapes: dict[int, dict[str, str]] = {}
    for n in args.sizes:
        print(f"{n} interviews", file=sys.stderr, flush=True)
        times[n], shapes[n] = measure(n, args.seed)
    print(table(args.sizes, times, shapes))


if __name__ == "__main__":
    main()
