"""How an ingest grows with the number of codes in one file: 500, 1,000, 2,000 and 4,000 codes.

A hostile or careless export can put thousands of codes on one paragraph, or
thousands of distinct issue codes in one interview. The work an ingest does
should grow with the size of the file, not with its square. Each shape below
is one Delve Markdown file holding ``n`` code lines, ingested by the real
``findings ingest`` in a child process (wall and CPU time, peak resident
memory, as :mod:`benchmarks.bench_scale` measures them), then the stored
CO_OCCURS_WITH edges are counted:

- ``issues on one paragraph``: ``Data-x0`` ... one paragraph, every code a
  distinct issue (the shape of the report in issue 11);
- ``plain codes on one paragraph``: codes the codebook classifies as other;
- ``one issue per paragraph``: ``n`` paragraphs of one interview, each with
  its own issue, so the interview holds ``n`` distinct issues;
- ``issues in a chain``: ``n / 2`` paragraphs, each coded with its own issue
  and the next paragraph's, so co-occurrence is one path thousands of hops
  long (the worst case for batched betweenness);
- ``fix-coded answers``: ``n / 2`` questions "how did you deal with x17?",
  each answered naming a catalog strategy and coded with the issue and its
  fix code (what the knowledge layer reads).

The table gives each size and the growth ratio to the previous one, measured
in the same run. Starting the CLI and opening a database cost seconds and
hundreds of megabytes whatever the file holds, which hides growth at small
sizes, so a file with no codes is ingested first and CPU time and memory are
also given above it: twice the codes should cost about twice that. CPU time
(the child's and its children's) is the steadier measure of work: the wall
time of an ingest also waits on the disk and varies by a second or more
from run to run. Each figure is the least of ``--repeat`` ingests (3 by
default).

    python -m benchmarks.bench_many_codes [--sizes 500 1000 2000 4000] [--shapes ...] [--repeat 3]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

from benchmarks.bench_scale import ingest_usage, write_delve_markdown
from graph.store import open_store
from ingest.records import Coding, Paragraph, TranscriptRecord

QUESTION = Paragraph(0, "Interviewer 1", "What went wrong with the data?", ())


def _one_paragraph(codes: list[str]) -> list[Paragraph]:
    return [QUESTION, Paragraph(1, "Interviewee", "Everything went wrong at once.", tuple(map(Coding, codes)))]


def issues_on_one_paragraph(n: int) -> list[Paragraph]:
    return _one_paragraph([f"Data-x{i}" for i in range(n)])


def plain_codes_on_one_paragraph(n: int) -> list[Paragraph]:
    return _one_paragraph([f"theme {i}" for i in range(n)])


def one_issue_per_paragraph(n: int) -> list[Paragraph]:
    return [QUESTION] + [
        Paragraph(i + 1, "Interviewee", f"The x{i} values were wrong again.", (Coding(f"Data-x{i}"),)) for i in range(n)
    ]


def issues_in_a_chain(n: int) -> list[Paragraph]:
    return [QUESTION] + [
        Paragraph(i + 1, "Interviewee", f"The x{i} values broke x{i + 1}.", (Coding(f"Data-x{i}"), Coding(f"Data-x{i + 1}")))
        for i in range(n // 2)
    ]


def fix_coded_answers(n: int) -> list[Paragraph]:
    paragraphs = []
    for i in range(n // 2):
        paragraphs.append(Paragraph(2 * i, "Interviewer 1", f"How did you deal with the x{i} problem?", ()))
        codes = (Coding(f"Data-x{i}"), Coding(f"Data-x{i}-fix"))
        paragraphs.append(Paragraph(2 * i + 1, "Interviewee", f"We used data augmentation against x{i}.", codes))
    return paragraphs


SHAPES: dict[str, Callable[[int], list[Paragraph]]] = {
    "issues on one paragraph": issues_on_one_paragraph,
    "plain codes on one paragraph": plain_codes_on_one_paragraph,
    "one issue per paragraph": one_issue_per_paragraph,
    "issues in a chain": issues_in_a_chain,
    "fix-coded answers": fix_coded_answers,
}


def transcript(paragraphs: list[Paragraph]) -> TranscriptRecord:
    digest = hashlib.sha256(repr(paragraphs).encode()).hexdigest()
    return TranscriptRecord("Interview 1", "PO", False, "Interview 1 - PO.md", digest, "delve-markdown", tuple(paragraphs))


def measure(paragraphs: list[Paragraph], repeat: int) -> dict[str, float]:
    """The least of ``repeat`` ingests of one file of ``paragraphs``: a busy machine only ever adds time."""
    runs = [ingest_once(paragraphs) for _ in range(repeat)]
    return {key: min(run[key] for run in runs) for key in runs[0]}


def ingest_once(paragraphs: list[Paragraph]) -> dict[str, float]:
    """Seconds, peak RSS and stored CO_OCCURS_WITH edges of ingesting one file of ``paragraphs``."""
    with tempfile.TemporaryDirectory() as tmp:
        folder, db = Path(tmp) / "study", Path(tmp) / "db"
        folder.mkdir()
        write_delve_markdown(transcript(paragraphs), folder)
        seconds, usage = ingest_usage(folder, db)
        with open_store(db, read_only=True) as store:
            edges = store.run("MATCH (:Issue)-[r:CO_OCCURS_WITH]->(:Issue) RETURN count(r)").scalar()
    return {"ingest wall (s)": seconds, "ingest CPU (s)": usage.ru_utime + usage.ru_stime,
            "peak RSS (MB)": usage.ru_maxrss / 1024, "CO_OCCURS_WITH edges": edges}


def above(measured: dict[str, float], baseline: dict[str, float]) -> dict[str, float]:
    """``measured`` with its CPU time and memory also given above the no-codes ``baseline``."""
    row = {"ingest wall (s)": measured["ingest wall (s)"]}
    for name, unit in (("ingest CPU", "s"), ("peak RSS", "MB")):
        key = f"{name} ({unit})"
        row[key] = measured[key]
        row[f"{name} above no codes ({unit})"] = measured[key] - baseline[key]
    return {**row, "CO_OCCURS_WITH edges": measured["CO_OCCURS_WITH edges"]}


def markdown(sizes: list[int], rows: dict[str, list[dict[str, float]]]) -> str:
    header = ["shape", "measure", *(f"{n:,} codes" for n in sizes), *(f"x {a:,}->{b:,}" for a, b in pairwise(sizes))]
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    for shape, measured in rows.items():
        for key in measured[0]:
            values = [m[key] for m in measured]
            cells = [f"{v:,.0f}" if key.endswith("edges") else f"{v:,.2f}" if "(s)" in key else f"{v:,.1f}" for v in values]
            ratios = [f"{b / a:,.1f}" if a else "" for a, b in pairwise(values)]
            lines.append("| " + " | ".join([shape, key, *cells, *ratios]) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 1000, 2000, 4000])
    parser.add_argument("--shapes", nargs="+", default=list(SHAPES), choices=SHAPES)
    parser.add_argument("--repeat", type=int, default=3, help="ingests per measurement; the least is kept")
    args = parser.parse_args()
    baseline = measure(_one_paragraph([]), args.repeat)
    print(f"no codes: {baseline}", file=sys.stderr, flush=True)
    rows: dict[str, list[dict[str, float]]] = {}
    for shape in args.shapes:
        rows[shape] = []
        for n in args.sizes:
            rows[shape].append(above(measure(SHAPES[shape](n), args.repeat), baseline))
            print(f"{shape}, {n:,} codes: {rows[shape][-1]}", file=sys.stderr, flush=True)
    print(f"A file with no codes: {baseline['ingest wall (s)']:.2f} s wall, {baseline['ingest CPU (s)']:.2f} s CPU, "
          f"{baseline['peak RSS (MB)']:,.1f} MB peak RSS.\n")
    print(markdown(args.sizes, rows))


if __name__ == "__main__":
    main()
