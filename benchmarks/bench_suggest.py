"""Training and suggesting codes for one interview, as a ratio to ingesting that interview.

The baseline is ``findings ingest`` of the interview's files (parse, load,
derive the knowledge layer) into a store that already holds the others:
what a researcher pays to add the interview. Against it, the time
``findings suggest`` takes for the same interview: training every
classifier on the other interviews (leave one interview out) and
suggesting for its paragraphs. Each is the best of ``--repeat`` runs in
this process, so the ratio does not depend on the machine.

    python -m benchmarks.bench_suggest [FOLDER] [--repeat N]

FOLDER holds Delve prints (default: the reference fixtures' ``delve-pdf``,
``consensus/`` marked as moderated copies); every interview of it is
measured.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from graph.codebook import load_codebook
from graph.identity import interview_id
from graph.knowledge import load_catalog
from graph.pipeline import update_graph
from graph.store import open_store
from graph.suggest import read_training, suggest_for, targets, train
from ingest.batch import parse_sources

DEFAULT_FOLDER = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "delve-pdf"


def _records(folder: Path) -> list:
    consensus = folder / "consensus"
    codings = [p for p in sorted(folder.rglob("*.pdf")) if consensus not in p.parents]
    return parse_sources(codings, consensus_paths=[consensus] if consensus.is_dir() else [], workers=1).records


def _best(runs: int, work) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    records = _records(args.folder)
    by_interview = defaultdict(list)
    for record in records:
        by_interview[record.interview].append(record)
    codebook, catalog = load_codebook(), load_catalog()
    print(f"{len(records)} transcripts of {len(by_interview)} interviews from {args.folder}")
    print(f"{'interview':<14} {'copies':>6} {'paragraphs':>10} {'ingest s':>9} {'suggest s':>10} {'ratio':>6}")
    with tempfile.TemporaryDirectory() as tmp:
        everything = Path(tmp) / "all"
        with open_store(everything) as store:
            update_graph(store, records, codebook, catalog)
        ratios = []
        for interview, own in sorted(by_interview.items()):
            others = [r for r in records if r.interview != interview]
            base = Path(tmp) / "others"
            if base.exists():
                base.unlink()
            with open_store(base) as store:
                update_graph(store, others, codebook, catalog)

            def ingest() -> None:
                work = Path(tmp) / "work"
                shutil.copyfile(base, work)
                with open_store(work) as store:
                    update_graph(store, own, codebook, catalog)
                work.unlink()

            with open_store(everything, read_only=True) as store:
                # Each run reads the coding, trains without the interview and suggests for it, as the CLI does.
                def suggesting() -> None:
                    target = targets(store, interview=interview)[0]
                    model = train(read_training(store), exclude=interview_id(interview))
                    suggest_for(model, target)

                suggest_seconds = _best(args.repeat, suggesting)
            ingest_seconds = _best(args.repeat, ingest)
            ratio = suggest_seconds / ingest_seconds
            ratios.append(ratio)
            paragraphs = max(len(r.paragraphs) for r in own)
            print(f"{interview:<14} {len(own):>6} {paragraphs:>10} {ingest_seconds:>9.2f} {suggest_seconds:>10.2f} "
                  f"{ratio:>6.2f}")
    print(f"median ratio (suggest / ingest): {sorted(ratios)[len(ratios) // 2]:.2f}")


if __name__ == "__main__":
    main()
