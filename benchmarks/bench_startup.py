"""How long `findings` takes to start, against importing its two front-end libraries, in one run.

A command that only prints its version, its help or the answer to a library
query should not pay for networkx, pandas and the knowledge layer. The
baseline is ``python -c "import click, rich.console"``: the least any
click-and-rich command line can cost on this machine. Each command runs
``--repeats`` times, interleaved with the baseline so that load from
elsewhere falls on both alike; the table gives medians and their ratio to
the baseline's. A library query's whole run also imports the database
engine (which imports asyncio and numpy) and opens the store; that part is
the engine's, and is shown beside ``query --help``, which starts the same
command without it.

    python -m benchmarks.bench_startup [--repeats 15]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BASELINE = "import click, rich"


def wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=REPO, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    findings = [sys.executable, "-m", "graph.cli"]
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "findings-db")
        subprocess.run([*findings, "ingest", str(REPO / "examples" / "synthetic-study"), "--db", db],
                       cwd=REPO, check=True, capture_output=True)
        commands = {
            f'python -c "{BASELINE}"': [sys.executable, "-c", BASELINE + ".console"],
            "findings --version": [*findings, "--version"],
            "findings --help": [*findings, "--help"],
            "findings query --help": [*findings, "query", "--help"],
            "findings query code-counts": [*findings, "query", "code-counts", "--db", db],
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.repeats):
            for name, command in commands.items():
                times[name].append(wall(command))
    base = statistics.median(times[next(iter(commands))])
    print(f"| command (median of {args.repeats}) | seconds | ratio to baseline |")
    print("| --- | --- | --- |")
    for name, values in times.items():
        print(f"| {name} | {statistics.median(values):.3f} | {statistics.median(values) / base:.2f} |")


if __name__ == "__main__":
    main()
