"""Parse many source files at once: folder walks, format detection, parallelism.

PDF parsing is CPU-bound and pdfium is not thread-safe, so files are parsed
in worker processes, one per core, when there are enough of them to pay for
the start-up. Each file either yields records or is reported: a file of no
known format, or a FIFO, socket or device, met while walking a folder is
*skipped*; a file that claims a format but cannot be read (corrupt PDF,
wrong encoding, hostile XML, a dangling symlink) is a *failure*. Neither
stops the others.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ingest.detect import parse_source, walk_sources
from ingest.records import IngestError, ProjectCodebook, TranscriptRecord, UnknownFormat
from ingest.source import DEFAULT_LIMITS, ReadLimits

__all__ = ["PARALLEL_FROM", "ParsedSources", "parse_sources"]

# Below this many files, worker start-up costs more than it saves.
PARALLEL_FROM = 4


@dataclass
class ParsedSources:
    records: list[TranscriptRecord] = field(default_factory=list)
    formats: dict[str, int] = field(default_factory=dict)
    failed: list[IngestError] = field(default_factory=list)
    skipped: list[IngestError] = field(default_factory=list)
    # Projects that gave a codebook but no transcript (REFI-QDA sources that are not text).
    codebooks: list[ProjectCodebook] = field(default_factory=list)


def _parse_one(
    path: Path, coder: str | None, consensus: bool, limits: ReadLimits
) -> tuple[str | None, list[TranscriptRecord] | IngestError]:
    try:
        return parse_source(path, coder=coder, consensus=consensus, limits=limits)
    except IngestError as exc:
        return None, exc
    except Exception as exc:  # noqa: BLE001 - a parser bug must not abort the other files
        return None, IngestError(str(path), f"could not be parsed ({type(exc).__name__}: {exc})")


def parse_sources(
    paths: list[str | Path],
    *,
    coder: str | None = None,
    consensus: bool = False,
    consensus_paths: list[str | Path] = (),
    on_file: Callable[[Path], None] | None = None,
    workers: int | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> ParsedSources:
    """Parse every file named in, or found under a folder of, ``paths`` and ``consensus_paths``.

    Files from ``consensus_paths`` are the moderated copies (as are all files
    when ``consensus`` is true), so one call can take a study's codings and
    its consensus folder together. ``on_file`` is called once per finished
    file (for a progress bar). Unknown formats are *skipped* only when found
    by walking a folder; a file named explicitly must be readable. ``limits`` bound what a file may be.
    """
    named = {Path(p) for p in [*paths, *consensus_paths] if not Path(p).is_dir()}
    tasks = [(path, consensus) for path in walk_sources(paths)]
    tasks += [(path, True) for path in walk_sources(list(consensus_paths))]
    outcome = ParsedSources()
    workers = workers or os.cpu_count() or 1

    def collect(path: Path, fmt: str | None, result: list[TranscriptRecord] | IngestError) -> None:
        if isinstance(result, UnknownFormat) and path not in named:
            outcome.skipped.append(result)
        elif isinstance(result, IngestError):
            outcome.failed.append(result)
        else:
            outcome.records.extend(r for r in result if isinstance(r, TranscriptRecord))
            outcome.codebooks.extend(r for r in result if isinstance(r, ProjectCodebook))
            outcome.formats[fmt] = outcome.formats.get(fmt, 0) + 1
        if on_file:
            on_file(path)

    if len(tasks) < PARALLEL_FROM or workers == 1:
        for path, is_consensus in tasks:
            collect(path, *_parse_one(path, coder, is_consensus, limits))
        return outcome
    with ProcessPoolExecutor(max_workers=min(workers, len(tasks))) as pool:
        futures = [pool.submit(_parse_one, path, coder, is_consensus, limits) for path, is_consensus in tasks]
        # Collected in submission order so the load order, and so the report, is stable.
        for (path, _), future in zip(tasks, futures):
            collect(path, *future.result())
    return outcome
