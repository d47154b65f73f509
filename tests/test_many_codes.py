"""Many codes on one paragraph or in one transcript: the results stay right and the work grows with the input.

Nothing here is timed. Near-linearity is shown by what the work produces or
calls for an input and for one four times its size: pair counts made, rows
stored, issues asked whether a text mentions them, passes over a
transcript's excerpts.
"""

from __future__ import annotations

import pytest

from benchmarks.bench_many_codes import transcript
from graph.analytics.cooccurrence import (
    MAX_INTERVIEW_ISSUES,
    MAX_PARAGRAPH_ISSUES,
    cooccurrence_counts,
    cooccurrence_graph,
)
from graph.codebook import load_codebook
from graph.knowledge import load_catalog
from graph.knowledge.linking import CODED, INFERRED, link
from graph.knowledge.transcript import ExcerptView, IssueView, TranscriptView
from graph.pipeline import update_graph
from graph.store import open_store
from ingest.records import Coding, Paragraph
from tests.conftest import run_cli
from tests.handmade import load


def issue_codes(n: int) -> str:
    return " ".join(f"Data-x{i}" for i in range(n))


def stored_pairs(store) -> list[list]:
    return sorted(store.run("MATCH (a:Issue)-[r:CO_OCCURS_WITH]->(b:Issue) RETURN a.id, b.id, r.excerpts, r.interviews").rows)


def test_a_paragraph_with_too_many_issues_is_left_out_of_cooccurrence_and_named(store):
    paragraphs = ["", "QM-robustness Data-noisy-labels", issue_codes(MAX_PARAGRAPH_ISSUES + 1), "QM-robustness Data-x0"]
    update = load(store, {("Interview 1", "PO"): paragraphs})
    assert stored_pairs(store) == [["data-noisy-label", "qm-robustness", 1, 1], ["data-x0", "qm-robustness", 1, 1]]
    assert update.analytics.warnings == [
        (f"interview-1, paragraph at position 2: {MAX_PARAGRAPH_ISSUES + 1} distinct issues on one paragraph, more than "
         f"{MAX_PARAGRAPH_ISSUES} (too many to say which travel together); left out of co-occurrence "
         "(CO_OCCURS_WITH and the issues' measures)")
    ]
    # Its issues stay nodes of the view, each with every measure.
    assert store.run("MATCH (i:Issue) RETURN count(i), count(i.pagerank), count(i.community)").rows == [[23] * 3]
    graph = cooccurrence_graph(store)
    assert list(graph.graph["crowded"]) == ["interview-1, paragraph at position 2"]
    assert graph.graph["left_out"] == graph.graph["crowded"]  # what `findings centrality` prints


def test_a_paragraph_at_the_limit_is_counted(store):
    update = load(store, {("Interview 1", "PO"): ["", issue_codes(MAX_PARAGRAPH_ISSUES)]})
    assert update.analytics.warnings == []
    assert update.analytics.cooccurrences == len(stored_pairs(store)) == MAX_PARAGRAPH_ISSUES * (MAX_PARAGRAPH_ISSUES - 1) // 2


def test_weighting_by_interviews_leaves_out_an_interview_with_too_many_issues(store):
    load(store, {
        ("Interview 1", "PO"): ["Data-x0 Data-x1", *(f"Data-x{i}" for i in range(2, MAX_INTERVIEW_ISSUES + 1))],
        ("Interview 2", "PO"): ["Data-x0", "Data-x1"],
    })
    by_interview = cooccurrence_graph(store, weighting="interviews")
    assert [(a[1], b[1], d["excerpts"], d["interviews"]) for a, b, d in by_interview.edges(data=True)] == [
        ("data-x0", "data-x1", 1, 1)
    ]
    assert by_interview.graph["crowded"] == {
        "interview-1": f"{MAX_INTERVIEW_ISSUES + 1} distinct issues, more than {MAX_INTERVIEW_ISSUES} "
        "(too many to join every pair by interviews)"
    }
    # By excerpts nothing is left out: the interviews count is taken for the one joined pair.
    by_excerpt = cooccurrence_graph(store)
    assert by_excerpt.graph["crowded"] == {}
    assert [(d["excerpts"], d["interviews"]) for _, _, d in by_excerpt.edges(data=True)] == [(1, 2)]


def _pair_entries(n: int) -> int:
    """Pair counts made for ``n`` paragraphs of two issues each, one paragraph of ``n`` issues, in one interview."""
    paragraphs = {("interview-1", p): {f"a{p}", f"b{p}"} for p in range(n)}
    paragraphs["interview-1", n] = {f"c{i}" for i in range(n)}
    counts = cooccurrence_counts(paragraphs)
    assert list(counts.crowded) == [f"interview-1, paragraph at position {n}"]
    assert set(counts.interviews) == set(counts.excerpts)
    return len(counts.excerpts) + len(counts.interviews)


def test_pair_counts_grow_with_the_paragraphs_not_with_the_issues_squared():
    # Every pair of the interview's 3n issues would be 4.5 n^2 counts; only the n joined pairs are counted, twice.
    assert _pair_entries(100) == 200
    assert _pair_entries(400) == 4 * _pair_entries(100)


@pytest.mark.parametrize("n", [100, 400])
def test_stored_rows_grow_with_the_codes(store, n):
    update = load(store, {("Interview 1", "PO"): ["", issue_codes(n)]})
    assert (update.analytics.issues, update.analytics.cooccurrences, len(update.analytics.warnings)) == (n, 0, 1)
    assert store.run("MATCH (:Excerpt)-[r:CODED_AS]->(:Code) RETURN count(r)").scalar() == n


def _questions_and_answers(n: int) -> list[Paragraph]:
    """``n`` issues raised, each followed by "how did you deal with" it and an answer naming a strategy, no fix code."""
    paragraphs = []
    for i in range(n):
        paragraphs += [
            Paragraph(3 * i, "Interviewee", f"The x{i} values were wrong.", (Coding(f"Data-x{i}"),)),
            Paragraph(3 * i + 1, "Interviewer 1", f"How did you deal with the x{i} problem?", ()),
            Paragraph(3 * i + 2, "Interviewee", "We used data augmentation against it.", ()),
        ]
    return paragraphs


def test_how_questions_find_the_issues_they_mention_without_asking_every_issue(tmp_path, monkeypatch):
    asked = []
    mentioned_in = IssueView.mentioned_in
    monkeypatch.setattr(IssueView, "mentioned_in", lambda issue, text: asked.append(issue.id) or mentioned_in(issue, text))
    checks = {}
    for n in (50, 200):
        asked.clear()
        with open_store(tmp_path / f"db-{n}") as store:
            update_graph(store, [transcript(_questions_and_answers(n))], load_codebook(), load_catalog())
            links = store.run("MATCH (m:Mitigation)-[r:ADDRESSES]->(i:Issue) RETURN m.id, r.provenance, count(i)").rows
        assert links == [["data-augmentation", INFERRED, n]]
        checks[n] = len(asked)
    # Each answer has two issues at hand, the question's and the next one raised (but the last):
    # asking every issue of the transcript at every question would make it n^2.
    assert checks == {50: 2 * 50 - 1, 200: 2 * 200 - 1}


class CountingList(list):
    """A list that counts the passes made over it."""

    passes = 0

    def __iter__(self):
        self.passes += 1
        return super().__iter__()


def _passes_over_excerpts(n: int) -> int:
    """Passes ``link`` makes over a transcript of ``n`` fix-coded paragraphs, each stating an action of no catalog strategy."""
    excerpts = CountingList(
        ExcerptView(f"e{i}", "t", "interview-1", i, "Interviewee", "We rewrote the parser by hand.", {f"x{i}"}, {f"x{i}"})
        for i in range(n)
    )
    issues = {f"x{i}": IssueView(f"x{i}", f"x{i}", "data", frozenset({f"x{i}"}), frozenset({f"x{i}"})) for i in range(n)}
    found = link([TranscriptView("t", "interview-1", excerpts)], load_catalog(), issues)
    assert sorted((s.issue, s.excerpt, s.provenance) for s in found) == sorted((f"x{i}", f"e{i}", CODED) for i in range(n))
    return excerpts.passes


def test_fix_coded_passages_are_found_in_one_pass_over_the_excerpts():
    assert _passes_over_excerpts(400) == _passes_over_excerpts(100)


def test_the_ingest_command_prints_the_warning(tmp_path):
    path = tmp_path / "Interview 1 - PO.md"
    codes = "\n\n".join(f"Data-x{i}" for i in range(MAX_PARAGRAPH_ISSUES + 1))
    path.write_text(f"## Interview 1 - PO\n\n**Interviewee**\n\nEverything went wrong.\n\n{codes}\n", encoding="utf-8")
    result = run_cli("ingest", str(path), "--db", str(tmp_path / "db"), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"findings: warning: interview-1, paragraph at position 0: {MAX_PARAGRAPH_ISSUES + 1} distinct issues on one "
        f"paragraph, more than {MAX_PARAGRAPH_ISSUES} (too many to say which travel together); left out of "
        "co-occurrence (CO_OCCURS_WITH and the issues' measures)"
    ]
