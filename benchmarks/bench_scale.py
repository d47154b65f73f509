"""How findings-graph grows with the size of a study: ingest, disk, memory, queries, measures.

For each size (10, 100, 1,000 and 10,000 interviews by default) a synthetic
study (:func:`benchmarks.synthetic.generate_study`) is written as Delve
Markdown files, ingested by the real ``findings ingest`` in a child process
(its wall time and the peak resident memory of its largest process are
measured); then, in this process, every ``cypher/`` query runs with its
documented example parameters and the centrality measures are computed on
each view; last, one more interview is ingested into the same database,
which is what adding an interview to a study costs. Each line of the table is followed by its growth ratio to the
previous size, so the numbers read without knowing the machine.

    python -m benchmarks.bench_scale [--sizes 10 100 1000 10000] [--out benchmarks/results/scale.md]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.synthetic import generate_study
from graph.analytics.centrality import compute_measures
from graph.analytics.views import build_view
from graph.queries import library
from graph.store import open_store
from ingest.records import TranscriptRecord

VIEWS = ("cooccurrence", "mitigation", "interviewee", "full")


def write_delve_markdown(record: TranscriptRecord, folder: Path) -> Path:
    """Render a record as Delve's Markdown export, the format most studies hand over."""
    lines = [f"## {record.interview} - {record.coder}", ""]
    for paragraph in record.paragraphs:
        lines += [f"**{paragraph.speaker}**", "", paragraph.text, ""]
        for code in paragraph.codes:
            lines += [code, ""]
    lines += ["---", "", "Created with the Delve Qualitative Analysis Tool (<http://www.delvetool.com>)", ""]
    path = folder / f"{record.interview} - {record.coder}.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def timed_ingest(folder: Path, db: Path) -> tuple[float, int]:
    """Wall seconds and peak RSS (bytes) of `findings ingest FOLDER` in a child process."""
    seconds, usage = ingest_usage(folder, db)
    return seconds, usage.ru_maxrss * 1024


def ingest_usage(folder: Path, db: Path, code: Path | None = None) -> tuple[float, resource.struct_rusage]:
    """Wall seconds and the resource usage (``os.wait4``'s) of `findings ingest FOLDER` in a child process,
    run from the checkout at ``code`` (this one by default)."""
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "graph.cli", "ingest", str(folder), "--db", str(db), "--format", "json"],
        cwd=code,
        env={**os.environ, "PYTHONPATH": str(code)} if code else None,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"ingest of {folder} failed: {child.stderr.read().decode()[-2000:]}")
    return seconds, usage


def disk_size(db: Path) -> int:
    return sum(p.stat().st_size for p in db.parent.glob(db.name + "*") if p.is_file())


def measure(size: int, seed: int, views: tuple[str, ...] = VIEWS) -> dict[str, float]:
    row: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder, db = Path(tmp) / "study", Path(tmp) / "db"
        later = Path(tmp) / "one more"
        folder.mkdir()
        later.mkdir()
        *study, extra = generate_study(size + 1, seed)
        for record in study:
            write_delve_markdown(record, folder)
        write_delve_markdown(extra, later)
        row["ingest (s)"], row["peak RSS (MB)"] = timed_ingest(folder, db)
        row["peak RSS (MB)"] /= 2**20
        row["database (MB)"] = disk_size(db) / 2**20
        with open_store(db, read_only=True) as store:
            row["excerpts"] = store.run("MATCH (e:Excerpt) RETURN count(e)").scalar()
            for name, query in library().items():
                start = time.perf_counter()
                store.run(query.text, query.examples)
                row[f"query {name} (s)"] = time.perf_counter() - start
            for view in views:
                start = time.perf_counter()
                compute_measures(build_view(store, view), seed=0)
                row[f"centrality {view} (s)"] = time.perf_counter() - start
        # What a researcher waits for when one more interview arrives: every derived layer is rebuilt.
        row["ingest one more interview (s)"], _ = timed_ingest(later, db)
    return row


def markdown(sizes: list[int], rows: list[dict[str, float]]) -> str:
    header = ["measure", *(f"{n:,} interviews" for n in sizes), *(f"x {a:,}->{b:,}" for a, b in zip(sizes, sizes[1:]))]
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    for key in rows[0]:
        values = [r[key] for r in rows]
        cells = [f"{v:,.0f}" if key == "excerpts" else f"{v:,.3f}" if "(s)" in key else f"{v:,.1f}" for v in values]
        ratios = [f"{b / a:,.1f}" if a else "" for a, b in zip(values, values[1:])]
        lines.append("| " + " | ".join([key, *cells, *ratios]) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000, 10000])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--views", nargs="+", default=list(VIEWS), choices=VIEWS, help="centrality views to time")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/scale.md"))
    args = parser.parse_args()
    rows = []
    for size in args.sizes:
        print(f"measuring {size:,} interviews ...", file=sys.stderr, flush=True)
        rows.append(measure(size, args.seed, tuple(args.views)))
        # Each size as soon as it is measured: the largest can take a long time.
        print(json.dumps({"interviews": size, **rows[-1]}), file=sys.stderr, flush=True)
    table = markdown(args.sizes, rows)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(table + "\n", encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()
