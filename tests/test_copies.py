"""The copies rule: consensus (else union of coders), union of every copy, one coder; every count follows it.

A hand-made study with a coded consensus copy, an uncoded one and two coders. The expected counts are
worked out here from the study itself, with the codebook, not by the code under test.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from itertools import combinations

import pytest

from graph.analytics.cooccurrence import cooccurrence_graph
from graph.analytics.interviewee_projection import interviewee_graph
from graph.analytics.saturation import saturation
from graph.analytics.selection import CONSENSUS, Copies, select
from graph.analytics.views import build_view
from graph.codebook import load_codebook
from graph.identity import interview_id, interviewee_id
from graph.queries import library
from graph.store import open_store
from tests.conftest import run_cli
from tests.handmade import load

# Interview 1 has a coded consensus copy (Mod) that leaves out the brittle pipelines Ben alone saw;
# interview 3's consensus print is uncoded; interview 4 was coded by Ben only.
STUDY = {
    ("Interview 1", "Ana"): ["QM-robustness", "Data-noisy-labels QM-robustness", ""],
    ("Interview 1", "Ben"): ["QM-robustness", "", "MM-brittle-data-pipelines Data-noisy-labels"],
    ("Interview 1", "Mod"): ["QM-robustness", "Data-noisy-labels", ""],
    ("Interview 2", "Ana"): ["Data-missing-values", "QM-efficiency QM-robustness"],
    ("Interview 2", "Ben"): ["Data-missing-values QM-robustness", ""],
    ("Interview 3", "Ana"): ["MM-drift", "MM-drift-fix"],
    ("Interview 3", "Mod"): ["", ""],
    ("Interview 4", "Ben"): ["QM-efficiency", "Q1"],
}
CONSENSUS_CODERS = {"Mod"}
RULES = [CONSENSUS, Copies("union"), Copies("coder", "Ben"), Copies("coder", "ana")]
BOOK = load_codebook()


def _copies_read(rule: Copies) -> dict[str, list[str]]:
    """Interview -> coders whose copy the rule reads, from the study's own layout."""
    coded = defaultdict(list)
    for (interview, coder), paragraphs in STUDY.items():
        if any(paragraphs):
            coded[interview].append(coder)
    chosen = {}
    for interview, coders in coded.items():
        if rule.rule == "union":
            chosen[interview] = coders
        elif rule.rule == "coder":
            chosen[interview] = [c for c in coders if c.casefold() == rule.coder.casefold()]
        else:
            chosen[interview] = [c for c in coders if c in CONSENSUS_CODERS] or coders
    return {interview: sorted(coders) for interview, coders in chosen.items() if coders}


def _issues_by_paragraph(rule: Copies) -> dict[tuple[str, int], set[str]]:
    """(interview, position) -> issue keys any read copy put on it."""
    found = defaultdict(set)
    for interview, coders in _copies_read(rule).items():
        for coder in coders:
            for position, codes in enumerate(STUDY[(interview, coder)]):
                for code in codes.split():
                    cls = BOOK.classify(code)
                    if cls.kind == "issue":
                        found[(interview, position)].add(cls.issue_key)
    return dict(found)


def _prevalence(rule: Copies) -> dict[str, tuple[int, int]]:
    interviews, paragraphs = defaultdict(set), Counter()
    for (interview, _), issues in _issues_by_paragraph(rule).items():
        for issue in issues:
            interviews[issue].add(interview)
            paragraphs[issue] += 1
    return {issue: (len(interviews[issue]), paragraphs[issue]) for issue in interviews}


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    path = tmp_path_factory.mktemp("copies") / "findings-db"
    with open_store(path) as store:
        load(store, STUDY, consensus=CONSENSUS_CODERS)
    with open_store(path, read_only=True) as store:
        yield store, path


@pytest.mark.parametrize("rule", RULES, ids=str)
def test_selection_reads_the_copies_the_rule_names(study, rule):
    store, _ = study
    expected = {interview_id(i): [f"{interview_id(i)}/{c.lower()}" for c in coders]
                for i, coders in _copies_read(rule).items()}
    chosen = select(store, rule)
    assert chosen.transcripts == expected
    assert chosen.rule == rule.description
    assert set(chosen.left_out) == {interview_id(i) for i, _ in STUDY} - set(expected)


@pytest.mark.parametrize("rule", RULES, ids=str)
def test_prevalence_query_follows_the_rule(study, rule):
    store, _ = study
    rows = store.run(library()["issue-prevalence"].text, {"copies": str(rule)}).records()
    ids = dict(store.run("MATCH (i:Issue) RETURN i.name, i.id").rows)
    assert {ids[r["issue"]]: (r["interviews"], r["excerpts"]) for r in rows} == _prevalence(rule)


def test_a_code_only_one_coder_applied_counts_under_the_union(study):
    """"brittle data pipelines": Ben alone coded it, in an interview whose moderated copy is coded."""
    assert "mm-brittle-data-pipeline" not in _prevalence(CONSENSUS)
    assert _prevalence(Copies("union"))["mm-brittle-data-pipeline"] == (1, 1)
    store, _ = study
    by_rule = {}
    for rule in (CONSENSUS, Copies("union")):
        rows = store.run(library()["issue-prevalence"].text, {"copies": str(rule)}).records()
        by_rule[rule.rule] = {r["issue"]: r["interviews"] for r in rows}
    assert "brittle data pipelines" not in by_rule["consensus"]
    assert by_rule["union"]["brittle data pipelines"] == 1
    # The union never counts less than the default.
    assert all(by_rule["union"][issue] >= n for issue, n in by_rule["consensus"].items())


@pytest.mark.parametrize("rule", RULES, ids=str)
def test_saturation_follows_the_rule(study, rule):
    store, _ = study
    result = saturation(store, copies=rule, orders=0)
    per_interview = defaultdict(set)
    for (interview, _), issues in _issues_by_paragraph(rule).items():
        per_interview[interview] |= issues
    read = sorted(_copies_read(rule))
    assert result.interviews == read
    assert result.issues.ordered[-1] == len(set().union(*per_interview.values()))
    assert result.new_issues[0] == len(per_interview[read[0]])
    assert result.selection == rule.description


@pytest.mark.parametrize("rule", RULES, ids=str)
def test_views_follow_the_rule(study, rule):
    store, _ = study
    paragraphs = _issues_by_paragraph(rule)
    pairs = Counter(pair for issues in paragraphs.values() for pair in combinations(sorted(issues), 2))
    cooccurrence = cooccurrence_graph(store, copies=rule)
    assert {(a[1], b[1]) if a < b else (b[1], a[1]): d["excerpts"] for a, b, d in cooccurrence.edges(data=True)} == pairs
    weights = Counter((interviewee_id(i), issue) for (i, _), issues in paragraphs.items() for issue in issues)
    interviewees = interviewee_graph(store, copies=rule)
    edges = {(a[1], b[1]) if a[0] == "Interviewee" else (b[1], a[1]): d["excerpts"]
             for a, b, d in interviewees.edges(data=True)}
    assert edges == weights
    assert cooccurrence.graph["selection"] == interviewees.graph["selection"] == rule.description
    assert build_view(store, "full", copies=rule).graph["selection"] == rule.description


def test_the_mitigation_view_refuses_another_rule(study):
    store, _ = study
    assert build_view(store, "mitigation").graph["view"] == "mitigation"
    with pytest.raises(ValueError, match="--copies or --coder does not apply"):
        build_view(store, "mitigation", copies=Copies("union"))


@pytest.mark.parametrize(
    ("text", "rule"),
    [("consensus", CONSENSUS), ("Union", Copies("union")), ("coder:PO", Copies("coder", "PO")),
     ("coder: Ilan ", Copies("coder", "Ilan"))],
)
def test_rules_are_written_as_the_cli_takes_them(text, rule):
    assert Copies.parse(text) == rule
    assert Copies.parse(str(rule)) == rule


@pytest.mark.parametrize("text", ["", "everything", "coder:", "coder"])
def test_unknown_rules_are_refused(text):
    with pytest.raises(ValueError, match="consensus, union or coder:NAME"):
        Copies.parse(text)


def test_cli_counts_by_the_rule_it_is_given_and_says_which(study):
    _, path = study
    union = run_cli("saturation", "--db", str(path), "--orders", "0", "--copies", "union", "--format", "json")
    assert union.returncode == 0, union.stderr
    rows = json.loads(union.stdout)  # stdout holds the JSON array and nothing else
    assert rows[-1]["issues"] == len(set().union(*_issues_by_paragraph(Copies("union")).values()))
    assert "copies counted: union of every coded copy" in union.stderr
    ben = run_cli("centrality", "--db", str(path), "--copies", "coder:ben", "--format", "json")
    shorthand = run_cli("centrality", "--db", str(path), "--coder", "ben", "--format", "json")
    assert ben.returncode == shorthand.returncode == 0, ben.stderr
    assert json.loads(ben.stdout) == json.loads(shorthand.stdout)
    assert "(copies coded by ben;" in ben.stderr
    default = run_cli("centrality", "--db", str(path), "--format", "json")
    assert "(consensus copies, else the union of coders;" in default.stderr
    both = run_cli("centrality", "--db", str(path), "--coder", "Ben", "--copies", "union")
    assert both.returncode == 2 and "give one of them" in both.stderr
    unknown = run_cli("saturation", "--db", str(path), "--copies", "everything")
    assert unknown.returncode == 2 and "consensus, union or coder:NAME" in unknown.stderr
    query = run_cli("query", "issue-prevalence", "--param", "copies=union", "--db", str(path), "--format", "json")
    assert {r["issue"]: r["interviews"] for r in json.loads(query.stdout)}["brittle data pipelines"] == 1
