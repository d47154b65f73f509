"""The named reads of graph.reads: each one runs, on a store and in a transaction, and answers what the records
say."""

from __future__ import annotations

from collections import defaultdict

import pytest

from graph import reads
from ingest.batch import parse_sources
from tests.conftest import EXAMPLES, load_paths
from tests.named_reads import named_reads, read_calls, rows_of

STUDY = EXAMPLES / "synthetic-study"


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    from graph.store import open_store

    with open_store(tmp_path_factory.mktemp("reads") / "db") as store:
        load_paths(store, [STUDY])
        yield store


def test_every_named_read_runs_with_arguments_from_the_store(study):
    called = set()
    for name, args in read_calls(study):
        rows_of(getattr(reads, name)(study, *args))  # valid Cypher on the engine, with its parameters
        called.add(name)
    assert called == set(named_reads()), "a read without an example in tests/named_reads.py is a read no test runs"


def test_a_transaction_reads_through_the_same_names(study):
    with study.transaction() as tx:
        assert sorted(reads.interview_copies(tx)) == sorted(reads.interview_copies(study))  # unordered read


def test_paragraph_issues_and_copies_answer_what_the_records_say(study):
    records = parse_sources([STUDY], workers=1).records
    copies = {(r.interview, r.coder) for r in records}
    stored = {(interview, coder) for _, interview, coder, _, _ in reads.interview_copies(study)}
    assert len(stored) == len(copies)
    coded_paragraphs = defaultdict(int)
    for record in records:
        coded_paragraphs[record.coder] += sum(1 for p in record.paragraphs if p.codings)
    coder_of = {tid: coder for tid, _, coder, _, _ in reads.interview_copies(study)}
    stored_paragraphs = defaultdict(set)
    for tid, position, _ in reads.paragraph_code_rows(study):
        stored_paragraphs[coder_of[tid]].add((tid, position))
    assert {c: len(p) for c, p in stored_paragraphs.items()} == dict(coded_paragraphs)


def test_excerpts_of_a_transcript_come_in_order(study):
    [tid, *_] = reads.interview_copies(study)[0]
    positions = [row[0] for row in reads.excerpts_of_transcript(study, tid).rows]
    assert positions == sorted(positions) and positions[0] == 0


def test_copies_read_by_key_or_in_one_pass_give_the_same_rows(study):
    """Up to 100 copies are looked up by key, more in one filtered pass: both ways answer alike."""
    copies = {tid for tid, *_ in reads.interview_copies(study)}
    padded = copies | {f"absent-{n}" for n in range(101)}  # past the key lookups' limit, same real copies
    assert sorted(reads.excerpts_of_copies(study, padded)) == sorted(reads.excerpts_of_copies(study, copies))
    for relationship in ("INDICATES", "FIX_FOR"):
        assert (sorted(reads.excerpt_issues_of_copies(study, padded, relationship))
                == sorted(reads.excerpt_issues_of_copies(study, copies, relationship)))
    assert reads.excerpts_of_copies(study, copies)
