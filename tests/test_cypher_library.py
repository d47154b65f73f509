"""Every query of cypher/ runs on a real embedded store and gives the known answer.

Known answers are computed independently of the queries: by counting in the
parsed records with the codebook, or from the gold file of interview 35. A
new .cypher file without a check here fails :func:`test_every_query_is_checked`.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from itertools import combinations

import pytest
import yaml

from graph.codebook import load_codebook
from graph.knowledge import derive_knowledge, load_catalog
from graph.queries import library
from graph.store import open_store
from ingest.batch import parse_sources
from tests.conftest import EXAMPLES, fixture_path, load_paths

BOOK = load_codebook()
DRIFT = """## Interview 9 - Zoe

### Interviewer 1

Did the data change over time?

### Interviewee

Yes, the sensors drifted after a firmware update.

MD-data-drift

### Interviewee

It took a while, but in the end it got sorted out.

MD-data-drift-fix
"""


def _records(paths, consensus=False):
    parsed = parse_sources(list(paths), consensus=consensus, workers=1)
    assert not parsed.failed
    return parsed.records


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    """Synthetic study (two coders), a coded consensus copy of interview 2, an uncoded one of
    interview 1, and a fix passage that states no action; with the parsed records, for the known answers."""
    root = tmp_path_factory.mktemp("study")
    consensus = root / "consensus"
    consensus.mkdir()
    agreed = (EXAMPLES / "synthetic-study" / "Interview 2 - Ana.md").read_text("utf-8")
    agreed = agreed.replace("## Interview 2 - Ana", "## Interview 2 - Mod")
    # The moderated copy dropped one code, so consensus and coders differ.
    first_issue = re.search(r"^(Data|QM|MLP|MD)-[\w-]+$", agreed, re.MULTILINE).group(0)
    agreed = agreed.replace(f"\n{first_issue}\n", "\n", 1)
    (consensus / "Interview 2 - Mod.md").write_text(agreed, encoding="utf-8")
    uncoded = (EXAMPLES / "synthetic-study" / "Interview 1 - Ana.md").read_text("utf-8")
    uncoded = "\n".join(x for x in uncoded.splitlines() if not re.match(r"^[A-Z][\w]*-[\w-]+$", x))
    (consensus / "Interview 1 - Mod.md").write_text(uncoded.replace("Interview 1 - Ana", "Interview 1 - Mod"), "utf-8")
    drift = root / "Interview 9 - Zoe.md"
    drift.write_text(DRIFT, encoding="utf-8")
    with open_store(root / "findings-db") as store:
        load_paths(store, [EXAMPLES / "synthetic-study", drift])
        load_paths(store, [consensus], consensus=True)
        derive_knowledge(store, load_catalog())
        records = _records([EXAMPLES / "synthetic-study", drift]) + _records([consensus], consensus=True)
        yield store, records


@pytest.fixture(scope="module")
def interview35(tmp_path_factory):
    gold = yaml.safe_load(fixture_path("gold", "interview-35-po.yaml").read_text("utf-8"))
    path = fixture_path("delve-markdown", "Interview 35 - PO.md")
    with open_store(tmp_path_factory.mktemp("i35") / "findings-db") as store:
        load_paths(store, [path])
        derive_knowledge(store, load_catalog())
        yield store, _records([path]), gold


def run(store, name: str, **params):
    query = library()[name]
    assert set(query.parameters) == set(params), f"{name} documents {sorted(query.parameters)}"
    return store.run(query.text, params).records()


def issue_key(code: str) -> str | None:
    cls = BOOK.classify(code)
    return cls.issue_key if cls.kind == "issue" else None


def issue_ids_by_name(store) -> dict[str, str]:
    return dict(store.run("MATCH (i:Issue) RETURN i.name, i.id").rows)


# --- checks against counts in the parsed records ---------------------------------------


def check_code_counts(study, interview35):
    store, records = study
    expected = Counter(c for r in records for p in r.paragraphs for c in set(p.codes))
    assert {r["code"]: r["paragraphs"] for r in run(store, "code-counts")} == dict(expected)


def check_transcripts_of_interview(study, interview35):
    store, records = study
    rows = run(store, "transcripts-of-interview", interview="Interview 1")
    ours = {r.coder: r for r in records if r.interview == "Interview 1"}
    assert {row["coder"] for row in rows} == set(ours)
    for row in rows:
        record = ours[row["coder"]]
        assert row["paragraphs"] == len(record.paragraphs)
        assert row["coded_pairs"] == sum(len(set(p.codes)) for p in record.paragraphs)


def _prevalence(records, chosen) -> dict[str, tuple[set, set]]:
    """Per issue key: the interviews, and the paragraphs (interview, position), of the copies ``chosen`` picks."""
    found = defaultdict(lambda: (set(), set()))
    by_interview = defaultdict(list)
    for record in records:
        by_interview[record.interview].append(record)
    for name, copies in by_interview.items():
        for record in chosen(copies):
            for paragraph in record.paragraphs:
                for code in paragraph.codes:
                    if key := issue_key(code):
                        found[key][0].add(name)
                        found[key][1].add((name, paragraph.position))
    return dict(found)


def check_issue_prevalence(study, interview35):
    store, records = study
    rules = {
        "consensus": lambda copies: [r for r in copies if r.consensus and r.coded] or copies,
        "union": lambda copies: copies,
        "coder:ana": lambda copies: [r for r in copies if r.coder == "Ana"],
    }
    ids = issue_ids_by_name(store)
    found = {}
    for rule, chosen in rules.items():
        found[rule] = _prevalence(records, chosen)
        got = {ids[r["issue"]]: (r["interviews"], r["excerpts"]) for r in run(store, "issue-prevalence", copies=rule)}
        assert got == {k: (len(i), len(p)) for k, (i, p) in found[rule].items()}, rule
    consensus, union = found["consensus"], found["union"]
    # Interview 2 counts its consensus copy only: the issue it dropped and the one only
    # Ben coded are not counted there, but the union counts them; interview 1's uncoded consensus print is ignored.
    in_interview_2 = {rule: {k for k, (interviews, _) in found[rule].items() if "Interview 2" in interviews}
                      for rule in ("consensus", "union")}
    assert in_interview_2["consensus"] < in_interview_2["union"]
    assert all(union[k][0] >= consensus[k][0] and union[k][1] >= consensus[k][1] for k in consensus)
    assert "Interview 1" in consensus["qm-robustness"][0]


def check_co_occurring_issues(study, interview35):
    store, records = study
    pairs: Counter = Counter()
    for record in records:
        for paragraph in record.paragraphs:
            keys = sorted({k for c in paragraph.codes if (k := issue_key(c))})
            pairs.update(combinations(keys, 2))
    ids = issue_ids_by_name(store)
    got = {tuple(sorted((ids[r["issue"]], ids[r["other"]]))): r["excerpts"] for r in run(store, "co-occurring-issues")}
    assert got == dict(pairs) and got


def check_interviewees_reporting_issue(study, interview35):
    store, records = study
    expected = Counter()
    for record in records:
        expected[record.interview] += sum(1 for p in record.paragraphs if "qm-robustness" in map(issue_key, p.codes))
    rows = run(store, "interviewees-reporting-issue", issue="robustness")
    assert {r["interview"]: r["excerpts"] for r in rows} == {k: v for k, v in expected.items() if v}
    assert all(r["quotes"] and r["roles"] for r in rows)


def check_coder_disagreement(study, interview35):
    store, records = study
    coders = {r.coder: Counter(c for p in r.paragraphs for c in set(p.codes))
              for r in records if r.interview == "Interview 1" and not r.consensus}
    codes = set().union(*coders.values())
    expected = {c for c in codes if len({coders[k][c] for k in coders}) > 1}
    rows = run(store, "coder-disagreement", interview="Interview 1")
    assert {r["code"] for r in rows} == expected and expected
    for row in rows:
        applied = {coder: n[row["code"]] for coder, n in coders.items() if n[row["code"]]}
        assert dict(zip(row["used_by"], row["counts"], strict=True)) == applied


def check_central_issues(study, interview35):
    store, records = study
    interviews = defaultdict(set)
    for record in records:
        for paragraph in record.paragraphs:
            for code in paragraph.codes:
                if key := issue_key(code):
                    interviews[key].add(record.interview)
    rows = run(store, "central-issues", limit=3)
    ids = issue_ids_by_name(store)
    assert len(rows) == 3
    for row in rows:
        assert row["interviews"] == len(interviews[ids[row["issue"]]])
    # Every ingest writes PageRank (graph.analytics.writeback): it orders first, then the connection score.
    assert all(r["pagerank"] is not None for r in rows)
    order = [(r["pagerank"], r["interviews"] + r["projects"] + r["mitigations"]) for r in rows]
    assert order == sorted(order, reverse=True)


def check_unnamed_fixes(study, interview35):
    store, _ = study
    rows = run(store, "unnamed-fixes")
    found = [(r["issue"], r["interview"], r["position"]) for r in rows]
    assert ("md-data-drift", "Interview 9", 2) in found  # the fix nobody named, written for this study
    # Every row (the synthetic study has such passages too) is coded as a fix of its issue and suggests nothing for it.
    for issue, interview, position in found:
        suggested, fixes = store.run(
            "MATCH (t:Transcript {interview: $interview})-[:HAS_EXCERPT]->(e:Excerpt {position: $position}) "
            "OPTIONAL MATCH (e)-[s:SUGGESTS]->() WHERE s.issue = $issue "
            "OPTIONAL MATCH (e)-[:CODED_AS]->(:Code)-[:FIX_FOR]->(i:Issue {id: $issue}) "
            "RETURN count(s), count(i)",
            {"interview": interview, "position": position, "issue": issue},
        ).rows[0]
        assert suggested == 0 and fixes >= 1, (issue, interview, position)
    # A fix passage that states no action makes no Mitigation: it is listed here instead.
    assert not store.run(
        "MATCH (:Interview {id: 'interview-9'})-[:HAS_TRANSCRIPT]->(:Transcript)-[:HAS_EXCERPT]->(:Excerpt)-[s:SUGGESTS]->() "
        "RETURN s.issue"
    ).rows


# --- checks against the gold file of interview 35 -------------------------------------------


def _gold_ids(interview35, issue_code: str) -> set[str]:
    store, _, gold = interview35
    from tests.test_knowledge_gold import GOLD_TO_CATALOG

    return {GOLD_TO_CATALOG[a["mitigation"]] for a in gold["addresses"] if a["issue"] == issue_code}


def check_fixes_for_issue(study, interview35):
    store = interview35[0]
    rows = run(store, "fixes-for-issue", issue="QM-robustness")
    names = {s.id: s.name for s in load_catalog().strategies.values()}
    assert {r["mitigation"] for r in rows} == {names[i] for i in _gold_ids(interview35, "QM-robustness")}
    assert {r["provenance"] for r in rows} == {"coded"}
    assert run(store, "fixes-for-issue", issue="robustness") == rows


def check_issues_of_mitigation(study, interview35):
    store = interview35[0]
    rows = run(store, "issues-of-mitigation", mitigation="version-control")
    assert [(r["issue"], r["provenance"]) for r in rows] == [("reproducibility", "inferred")]


def check_quotes_for_link(study, interview35):
    store, _, gold = interview35
    [address] = [a for a in gold["addresses"] if a["mitigation"] == "data augmentation"]
    rows = run(store, "quotes-for-link", issue="QM-robustness", mitigation="data augmentation")
    assert len(rows) == 1 and address["quote"] in re.sub(r"\s+", " ", rows[0]["excerpt"])


def check_issues_without_fix(study, interview35):
    store, records, gold = interview35
    raised = {k for r in records for p in r.paragraphs for c in p.codes if (k := issue_key(c))}
    addressed = {issue_key(a["issue"]) for a in gold["addresses"]}
    ids = issue_ids_by_name(store)
    assert {ids[r["issue"]] for r in run(store, "issues-without-fix")} == raised - addressed


def check_issues_by_domain(study, interview35):
    store, _, gold = interview35
    rows = run(store, "issues-by-domain")
    ids = issue_ids_by_name(store)
    faced = defaultdict(set)
    for row in rows:
        faced[row["domain"]].add(ids[row["issue"]])
    for project in gold["projects"][:2]:
        # The domain of the stored project shares a vocabulary domain with the gold's ("computer vision").
        parts = {d.strip() for d in project["domain"].split("/")}
        [domain] = [d for d in faced if parts & {p.strip() for p in d.split("/")}]
        assert {issue_key(c) for c in project["issues"]} <= faced[domain]


def check_projects_of_interview(study, interview35):
    store, _, gold = interview35
    rows = run(store, "projects-of-interview", interview="Interview 35")
    assert len(rows) == len(gold["projects"])
    assert {"computer vision", "geoscience"} <= {part.strip() for r in rows for part in r["domain"].split("/")}


CHECKS = {
    name[len("check_"):].replace("_", "-"): check
    for name, check in globals().items()
    if name.startswith("check_")
}


def test_every_query_is_checked():
    assert set(library()) == set(CHECKS)
    assert len(library()) >= 10
    for query in library().values():
        assert query.description, "each file starts with a comment saying what it answers"


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_query_gives_known_answer(name, study, interview35):
    CHECKS[name](study, interview35)
