"""Time of the knowledge step against the time of parsing the prints, in one run.

The knowledge layer (strategies from the interviewees' words, projects,
roles) must stay within the time PDF parsing takes. This parses every file
under the given folders (the reference fixtures by default), loads them into
a fresh store, and times the knowledge derivation of the whole study on its
own (the same call an ingest makes, in the same transaction shape).
Both are timed as the process's CPU time as well as wall-clock time: on a
shared machine the CPU time is the steadier ratio. Parsing runs in this
process (one worker) so that its CPU time is counted.

    PYTHONPATH=. python -m benchmarks.bench_knowledge [FOLDER ...]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from graph.codebook import load_codebook
from graph.knowledge import load_catalog, rebuild_knowledge
from graph.loader import write_records
from graph.store import open_store
from ingest.batch import parse_sources
from tests.conftest import FIXTURES


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, default=[FIXTURES])
    args = parser.parse_args(argv)
    start, cpu = time.perf_counter(), time.process_time()
    parsed = parse_sources(args.folders, workers=1)
    parse_seconds, parse_cpu = time.perf_counter() - start, time.process_time() - cpu
    records = parsed.records
    with tempfile.TemporaryDirectory() as tmp, open_store(Path(tmp) / "findings-db") as store:
        with store.transaction() as tx:
            write_records(tx, records, load_codebook())
        catalog = load_catalog()
        start, cpu = time.perf_counter(), time.process_time()
        with store.transaction() as tx:
            report = rebuild_knowledge(tx, catalog)
        knowledge_seconds, knowledge_cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"transcripts {len(records)}  parse {parse_seconds:.2f} s (cpu {parse_cpu:.2f} s)  "
          f"knowledge {knowledge_seconds:.2f} s (cpu {knowledge_cpu:.2f} s)  "
          f"ratio {knowledge_seconds / parse_seconds:.2f} (cpu {knowledge_cpu / parse_cpu:.2f})  "
          f"({report.mitigations} mitigations, {report.links} links)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
