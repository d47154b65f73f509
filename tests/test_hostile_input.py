"""Whatever a file contains, ingest either loads it cleanly or names the problem.

Property-based: random bytes, and valid sources mutated at random (bytes
flipped, cut short, spliced), go through format detection and every parser.
The only acceptable outcomes are a list of well-formed records or an
``IngestError`` whose message names the file. Size limits are checked too.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.batch import parse_sources
from ingest.detect import parse_source
from ingest.records import IngestError, TranscriptRecord
from ingest.source import ReadLimits
from tests.conftest import EXAMPLES, FIXTURES

SEEDS = [
    EXAMPLES / "synthetic-study" / "Interview 1 - Ana.md",
    FIXTURES / "transcripts" / "Interview 12.txt",
    FIXTURES / "delve-pdf" / "codings" / "2023-06-04-Interview 12 - Rached.pdf",
]
SEED_BYTES = [path.read_bytes() for path in SEEDS if path.exists()]
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def parsed_records(path):
    """The records of one file, whatever its format."""
    return parse_source(path)[1]


def well_formed(records: list[TranscriptRecord]) -> bool:
    return all(
        isinstance(r, TranscriptRecord)
        and r.interview
        and [p.position for p in r.paragraphs] == list(range(len(r.paragraphs)))
        and all(isinstance(p.text, str) and all(c.code for c in p.codings) for p in r.paragraphs)
        for r in records
    )


def check(path: Path) -> None:
    try:
        records = parsed_records(path)
    except IngestError as exc:
        assert str(path) in str(exc) and exc.problem and "\n" not in str(exc)
    else:
        assert well_formed(records)


@st.composite
def mutated(draw) -> bytes:
    data = bytearray(draw(st.sampled_from(SEED_BYTES)))
    for _ in range(draw(st.integers(1, 8))):
        action = draw(st.sampled_from(["flip", "cut", "splice", "insert"]))
        position = draw(st.integers(0, max(len(data) - 1, 0)))
        if action == "flip" and data:
            data[position] = draw(st.integers(0, 255))
        elif action == "cut":
            del data[position:]
        elif action == "splice":
            data[position:position] = draw(st.binary(max_size=64))
        else:
            pieces = [b"\n\n", b"**Interviewee**\n\n", b"QM-robustness\n", b"\x00", b"\xff"]
            data[position:position] = draw(st.sampled_from(pieces))
    return bytes(data)


@FAST
@given(data=st.binary(max_size=4096), suffix=st.sampled_from([".md", ".txt", ".pdf", ".qdpx", ".qde", ""]))
def test_random_bytes(tmp_path, data, suffix):
    path = tmp_path / f"random{suffix}"
    path.write_bytes(data)
    check(path)


@pytest.mark.skipif(not SEED_BYTES, reason="no seed files")
@FAST
@given(data=mutated(), suffix=st.sampled_from([".md", ".txt", ".pdf"]))
def test_mutated_sources(tmp_path, data, suffix):
    path = tmp_path / f"Interview 9 - mutant{suffix}"
    path.write_bytes(data)
    check(path)


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path):
    path = tmp_path / "Interview 1 - Ana.md"
    path.write_bytes((EXAMPLES / "synthetic-study" / "Interview 1 - Ana.md").read_bytes() * 4)
    with pytest.raises(IngestError, match=r"over the 0 MB limit"):
        parse_source(path, limits=ReadLimits(0.001))


def test_a_folder_of_garbage_reports_every_file(tmp_path):
    (tmp_path / "a.md").write_bytes(b"")
    (tmp_path / "b.pdf").write_bytes(b"%PDF-1.7\n garbage")
    (tmp_path / "c.txt").write_bytes("Interviewer: h\xe9llo\n".encode("latin-1"))
    (tmp_path / "d.bin").write_bytes(bytes(range(256)))
    parsed = parse_sources([tmp_path], workers=1)
    assert not parsed.records
    failed = {Path(e.path).name for e in parsed.failed}
    skipped = {Path(e.path).name for e in parsed.skipped}
    assert failed == {"a.md", "b.pdf", "c.txt"} and skipped == {"d.bin"}
