"""Full ingest of the Delve PDF prints versus bare text extraction of the same files.

The baseline is what any tool must pay to read these PDFs: pypdfium2 opening
each file and extracting each page's text. Three runs are measured against
it: parsing alone (format detection and reading the typography: speakers,
code chips, headers and footers), parsing plus the load of the transcripts
into a fresh LadybugDB, and the whole ``findings ingest`` path, which also
rebuilds the knowledge layer (mitigations, projects, profiles). All run in
this process, several times, and the best of each is compared, so the ratios
do not depend on the machine.

    python -m benchmarks.bench_pdf_ingest [FOLDER] [--repeat N]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pypdfium2

from graph.codebook import load_codebook
from graph.knowledge import load_catalog
from graph.loader import write_records
from graph.pipeline import update_graph
from graph.store import open_store
from ingest.batch import parse_sources

DEFAULT_FOLDER = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "delve-pdf"


def extract_text(files: list[Path]) -> int:
    """The baseline: open every PDF and extract every page's text."""
    characters = 0
    for path in files:
        document = pypdfium2.PdfDocument(path)
        for page in document:
            characters += len(page.get_textpage().get_text_range())
        document.close()
    return characters


def parse(folder: Path) -> list:
    """Parse the prints as `findings ingest` does: files in parallel, consensus copies marked."""
    consensus = folder / "consensus"
    codings = [p for p in sorted(folder.rglob("*.pdf")) if consensus not in p.parents]
    return parse_sources(codings, consensus_paths=[consensus] if consensus.is_dir() else []).records


def ingest(folder: Path, *, knowledge: bool) -> int:
    """Parse and load into a fresh database; returns the paragraphs loaded."""
    records = parse(folder)
    with tempfile.TemporaryDirectory() as tmp, open_store(Path(tmp) / "db") as store:
        if knowledge:
            return update_graph(store, records, load_codebook(), load_catalog()).load.paragraphs
        with store.transaction() as tx:
            return write_records(tx, records, load_codebook()).paragraphs


def best_of(repeat: int, work) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    files = sorted(args.folder.rglob("*.pdf"))
    if not files:
        raise SystemExit(f"{args.folder}: no PDF files")
    pages = sum(len(pypdfium2.PdfDocument(p)) for p in files)
    ingest(args.folder, knowledge=True)  # warm-up: imports, first database creation
    baseline, characters = best_of(args.repeat, lambda: extract_text(files))
    runs = [
        ("parse (detect + typography)", lambda: parse(args.folder)),
        ("parse + load into a fresh LadybugDB", lambda: ingest(args.folder, knowledge=False)),
        ("full `findings ingest` (+ knowledge layer)", lambda: ingest(args.folder, knowledge=True)),
    ]
    print(f"files: {len(files)}, pages: {pages}, characters extracted: {characters}")
    print(f"| run | best of {args.repeat} (s) | ratio to baseline |")
    print("| --- | --- | --- |")
    print(f"| pypdfium2 text extraction (baseline) | {baseline:.3f} | 1.00 |")
    for label, work in runs:
        seconds, _ = best_of(args.repeat, work)
        print(f"| {label} | {seconds:.3f} | {seconds / baseline:.2f} |")


if __name__ == "__main__":
    main()
