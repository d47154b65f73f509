"""The benchmark corpus generator: shaped like the reference study, deterministic, classified by the codebook."""

from __future__ import annotations

from benchmarks.synthetic import ISSUE_CODES, PARAGRAPHS, generate_study, strategy_links
from graph.codebook import load_codebook


def test_generated_study_has_the_reference_shape():
    records = generate_study(40, seed=5, coders=2)
    assert generate_study(40, seed=5, coders=2) == records
    assert [(r.interview, r.coder) for r in records[:3]] == [
        ("Interview 1", "C1"), ("Interview 1", "C2"), ("Interview 2", "C1")
    ]
    for record in records:
        assert len(record.paragraphs) == PARAGRAPHS
        if record.coder == "C1":
            assert 15 <= sum(len(p.codings) for p in record.paragraphs) <= 30
    # Copies of one interview share their words, as copies of one Delve transcript do.
    assert [p.text for p in records[0].paragraphs] == [p.text for p in records[1].paragraphs]
    book = load_codebook()
    assert len(ISSUE_CODES) == 60
    assert {book.classify(code).kind for code in ISSUE_CODES} == {"issue"}
    assert len({book.classify(code).issue_key for code in ISSUE_CODES}) == 60
    used = {c.code for r in records for p in r.paragraphs for c in p.codings}
    assert {book.classify(code).kind for code in used} == {"issue", "fix", "context", "question"}
    assert any(len(p.codings) >= 2 for r in records for p in r.paragraphs)  # issues discussed together


def test_strategy_links_name_fixed_issues():
    records = generate_study(30, seed=1)
    mitigations, addresses = strategy_links(records)
    fixed = {
        load_codebook().classify(code).issue_key
        for r in records for p in r.paragraphs for code in p.codes if code.endswith("-fix")
    }
    assert mitigations and {a["target"] for a in addresses} == fixed
    assert {a["source"] for a in addresses} == {m["id"] for m in mitigations}
    assert all(1 <= a["interviews"] <= a["excerpts"] for a in addresses)
