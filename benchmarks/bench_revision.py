"""This checkout's ingest against another git revision's, on the same study, in one run.

A change to the write path must not make ingesting slower than a bound (the
durable working-copy write was held to 1.3x). Timings from different runs
do not compare on a shared machine, so this benchmark checks the other
revision out into a temporary git worktree and times both ``findings
ingest`` commands on the same synthetic study (written as Delve Markdown,
as :mod:`benchmarks.bench_scale` does), alternating between them so that
load from elsewhere falls on both alike. It reports the median wall time
and peak memory of each, and their ratios; then the same for ingesting one
more interview into each resulting store.

    python -m benchmarks.bench_revision 1d5d64e [--interviews 1000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.bench_scale import ingest_usage, write_delve_markdown
from benchmarks.synthetic import generate_study

REPO = Path(__file__).resolve().parents[1]


def timed_ingest(code: Path, folder: Path, db: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of the ``findings ingest`` of the checkout at ``code``."""
    seconds, usage = ingest_usage(folder, db, code)
    return seconds, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("revision", help="git revision to compare with (e.g. main~3 or a commit hash)")
    parser.add_argument("--interviews", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        baseline = root / "baseline"
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", str(baseline), args.revision],
                       check=True, capture_output=True)
        try:
            study, later = root / "study", root / "one more"
            study.mkdir()
            later.mkdir()
            *records, extra = generate_study(args.interviews + 1, args.seed)
            for record in records:
                write_delve_markdown(record, study)
            write_delve_markdown(extra, later)
            checkouts = {"baseline": baseline, "this checkout": REPO}
            runs: dict[str, dict[str, list[float]]] = {name: {} for name in checkouts}
            for repeat in range(args.repeats):
                for name, code in checkouts.items():
                    db = root / f"{name}-{repeat}" / "findings-db"
                    db.parent.mkdir()
                    seconds, rss = timed_ingest(code, study, db)
                    more, _ = timed_ingest(code, later, db)
                    for key, value in (("ingest (s)", seconds), ("peak RSS (MB)", rss), ("one more (s)", more)):
                        runs[name].setdefault(key, []).append(value)
                    print(f"{name} run {repeat + 1}: ingest {seconds:.2f} s, {rss:.0f} MB, one more {more:.2f} s",
                          file=sys.stderr, flush=True)
        finally:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(baseline)], check=False)
    print(f"| median of {args.repeats}, {args.interviews:,} interviews | {args.revision} | this checkout | ratio |")
    print("| --- | --- | --- | --- |")
    for key in runs["baseline"]:
        old, new = (statistics.median(runs[name][key]) for name in checkouts)
        print(f"| {key} | {old:,.2f} | {new:,.2f} | {new / old:.2f} |")


if __name__ == "__main__":
    main()
