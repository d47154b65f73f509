"""How long the explorer's Network page takes to show a settled network, in a real browser.

Two studies: the reference fixtures (two interviews, PDF codings and
consensus copies, when ``../shared/fixtures`` is present) and a synthetic
study of ``--interviews`` interviews (200 by default) coded by two coders
(:func:`benchmarks.synthetic.generate_study`), each ingested into a fresh
LadybugDB through :func:`graph.pipeline.update_graph`, as ``findings
ingest`` does. For each, ``findings explore`` runs on a free local port and
headless Chromium (Debian's, see :mod:`tests.browser`) opens ``/network``.

Measured per study, from the browser's own clocks:

- cold load: navigation start to ``window.findingsSettled`` (physics
  stabilised and switched off) on the first visit, when the server computes
  the view and its measures;
- warm load: the same on later visits (Streamlit's caches warm), median of
  ``--repeats``;
- layout: the part of a load spent inside the network's frame (parsing the
  inlined vis-network, drawing and stabilising);
- each other view, chosen in the page: from the choice to the settled
  network, first time (cold) and again after switching away (warm).

Ratios between the studies are measured in the same run, so they do not
depend on the machine; absolute milliseconds do.

    python -m benchmarks.bench_explorer [--interviews 200] [--seed 0] [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.synthetic import generate_study
from explorer.data import VIEW_LABELS
from graph.codebook import load_codebook
from graph.knowledge import load_catalog
from graph.pipeline import update_graph
from graph.store import open_store
from ingest.batch import parse_sources
from ingest.records import TranscriptRecord
from tests.browser import CHROMIUM, Traffic, chromium, explorer, settled_network
from tests.conftest import FIXTURES

DEFAULT_VIEW = next(iter(VIEW_LABELS))


@dataclass
class Timings:
    study: str
    cold_ms: float = 0.0
    warm_ms: list[float] = field(default_factory=list)
    layout_ms: list[float] = field(default_factory=list)
    drawn: dict[str, tuple[int, int]] = field(default_factory=dict)  # view -> (nodes, links) drawn
    views: dict[str, tuple[float, float]] = field(default_factory=dict)  # view -> (cold ms, warm ms)
    remote: list[str] = field(default_factory=list)


def fixture_records() -> list[TranscriptRecord]:
    codings, consensus = FIXTURES / "delve-pdf" / "codings", FIXTURES / "delve-pdf" / "consensus"
    parsed = parse_sources([codings], consensus_paths=[consensus], workers=1)
    if parsed.failed:
        raise SystemExit(f"fixtures failed to parse: {parsed.failed}")
    return parsed.records


def build(path: Path, records: list[TranscriptRecord]) -> Path:
    with open_store(path) as store:
        update_graph(store, records, load_codebook(), load_catalog())
    return path


def load_page(context: Any, url: str) -> tuple[Any, float, dict[str, Any]]:
    """Open the Network page; (page, ms from navigation start to settled, what the frame recorded)."""
    page = context.new_page()
    page.goto(f"{url}/network")
    _, settled = settled_network(page, timeout=600)
    return page, settled["at"] - page.evaluate("performance.timeOrigin"), settled


def choose_view(page: Any, view: str) -> tuple[float, dict[str, Any]]:
    """Pick ``view`` in the page; ms from the choice to the settled network."""
    started = page.evaluate("Date.now()")
    page.get_by_role("combobox", name="View").click()
    page.keyboard.type(VIEW_LABELS[view])
    page.keyboard.press("Enter")
    _, settled = settled_network(page, after=started, timeout=600)
    return settled["at"] - started, settled


def measure(study: str, db: Path, profile: Path, repeats: int) -> Timings:
    timings = Timings(study)
    traffic = Traffic()
    # Listen only: intercepting every request would add its round trip to each timing.
    with explorer(db) as url, chromium(profile, traffic, intercept=False) as context:
        page, timings.cold_ms, settled = load_page(context, url)
        timings.drawn[DEFAULT_VIEW] = (settled["nodes"], settled["edges"])
        timings.layout_ms.append(settled["layout"])
        page.close()
        for _ in range(repeats):
            page, elapsed, settled = load_page(context, url)
            timings.warm_ms.append(elapsed)
            timings.layout_ms.append(settled["layout"])
            page.close()
        page, _, _ = load_page(context, url)
        for view in VIEW_LABELS:
            if view == DEFAULT_VIEW:
                continue
            cold, settled = choose_view(page, view)
            timings.drawn[view] = (settled["nodes"], settled["edges"])
            choose_view(page, DEFAULT_VIEW)
            warm, _ = choose_view(page, view)
            timings.views[view] = (cold, warm)
        page.close()
    timings.remote = traffic.remote
    return timings


def report(results: list[Timings]) -> None:
    print(f"\n{'study':<24}{'view':<14}{'drawn (nodes/links)':>21}{'cold ms':>10}{'warm ms':>10}{'layout ms':>11}")
    for t in results:
        nodes, links = t.drawn[DEFAULT_VIEW]
        print(f"{t.study:<24}{DEFAULT_VIEW + ' (load)':<14}{f'{nodes}/{links}':>21}{t.cold_ms:>10.0f}"
              f"{statistics.median(t.warm_ms):>10.0f}{statistics.median(t.layout_ms):>11.0f}")
        for view, (cold, warm) in t.views.items():
            nodes, links = t.drawn[view]
            print(f"{'':<24}{view:<14}{f'{nodes}/{links}':>21}{cold:>10.0f}{warm:>10.0f}{'':>11}")
        if t.remote:
            print(f"  requests that left 127.0.0.1: {t.remote}")
    if len(results) == 2:
        small, large = results
        print(f"\n{large.study} / {small.study}: cold load x{large.cold_ms / small.cold_ms:.2f}, "
              f"warm load x{statistics.median(large.warm_ms) / statistics.median(small.warm_ms):.2f}")
        for view in small.views.keys() & large.views.keys():
            print(f"  {view}: cold x{large.views[view][0] / small.views[view][0]:.2f}, "
                  f"warm x{large.views[view][1] / small.views[view][1]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interviews", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if not CHROMIUM.exists():
        sys.exit(f"{CHROMIUM} not found: apt-get install chromium")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        studies: list[tuple[str, list[TranscriptRecord]]] = []
        if FIXTURES.exists():
            studies.append(("fixtures", fixture_records()))
        else:
            print(f"fixtures not found at {FIXTURES}: synthetic study only", file=sys.stderr)
        studies.append((f"synthetic {args.interviews}", generate_study(args.interviews, args.seed, coders=2)))
        results = []
        for number, (study, records) in enumerate(studies):
            print(f"{study}: ingesting {len(records)} transcripts", file=sys.stderr)
            db = build(root / f"db-{number}", records)
            print(f"{study}: measuring in the browser", file=sys.stderr)
            results.append(measure(study, db, root / f"profile-{number}", args.repeats))
    report(results)


if __name__ == "__main__":
    main()
