"""Issues by their real names: the default codebook against the study's 144 codes, fix codes joining
their closest issue code, readable names with descriptions and synonyms, and lookups in people's words."""

from __future__ import annotations

import json

import pytest

from graph.codebook import CodebookError, load_codebook
from graph.derive import join_fixes
from graph.knowledge.lookup import NotFound, resolve_issues
from tests.conftest import fixture_path, run_cli
from tests.handmade import load

# Every code of the reference study (../shared/fixtures/study-codes.tsv) and the kind the default codebook gives it.
STUDY_CODES = {
    "context": [
        # data sources
        "Data-collection", "Data-collection-API", "Data-collection-external", "Data-collection-manual",
        "Data-collection-public-datasets", "Data-collection-system", "Data-collection-web-scrape",
        # qualities present, tools, stances
        "data-high-quality", "Data-high-quantity", "data-validation-tools", "explainability-important",
        "explainability-debugging-instead-explanations", "preventive-fix", "reactive-fix",
        # how practitioners go about a task
        "how-to-evaluate-data-quality", "how-to-evaluate-model",
        # data types
        "image-issue", "tabular", "tabular-issue",
        # a quality named, no problem stated
        "user-acceptability",
    ],
    "issue": [
        "Data-a-lot-of-manual-work", "Data-accessibility-issues", "Data-consistency-issues", "Data-containing-outliers",
        "Data-dataset-evaluability", "Data-duplicates", "Data-imbalanced-dataset", "data-integration-difficult",
        "Data-integration-issues", "Data-low-labeled-data", "Data-low-quality", "Data-low-quantity",
        "Data-metadata-issue", "Data-missing-features", "Data-missing-value", "Data-missing-values",
        "Data-no-feasibility-analysis", "Data-no-signal", "Data-noisy-features", "Data-noisy-labels",
        "Data-reliability-issues", "Data-unnormalized-annotations", "Data-unstable-provider", "Data-wrong-format",
        "MD-configuration-issue", "MD-issues-with-dependencies", "MD-performance-drop", "MD-versioning-issues",
        "ME-evaluating-model-in-prod-is-difficult", "ME-metrics-a-are-poor-proxy-of-quality",
        "ME-Metrics-Meaningless-For-Stakeholder", "ME-metrics-meaningless-for-stakeholder",
        "ME-testing-model-challenging", "MLP-artefact-management-issues", "MLP-costly-platforms",
        "MLP-debuggability-issues", "MLP-immature-GPU-services", "MLP-not-compatible-providers", "MLP-pipeline-jungle",
        "MLP-unstable-external-dependency", "MM-brittle-data-pipelines", "MM-drift", "MT-overfitting",
        "MT-predictions-low-quality", "MT-providers-cost-transparency", "QM-data-privacy-issues", "QM-efficiency",
        "QM-explainability-issues", "QM-fairness-issues", "QM-model-security", "QM-reproducibility", "QM-robustness",
        "QM-scalability-issues",
        # free-form codes that name a problem
        "Bad-software-practices", "changing-requirements", "comparing-models-different-features-difficult",
        "finding-relevant-data-difficult", "friction-separated-teams", "Issues with performance alerts",
        "stack-not-standardized", "Stakeholders-lack-of-knowledge", "ungeneralizable-problems",
    ],
    "fix": [
        "Data-accessibility-issues-fix", "Data-low-labeled-data-fix", "Data-low-quality-fix", "Data-low-quantity-fix",
        "Data-metadata-issue-fix", "Data-missing-value-fix", "Data-no-signal-fix", "Data-noisy-features-fix",
        "Data-noisy-label-fix", "Data-unnormalized-annotations-fix", "Data-unstable-provider-fix",
        "MD-issues-with-dependencies-fix", "ME-metrics-disconnected-from-user-adoption-fix",
        "ME-testing-model-difficult-fix", "MLP-costly-platforms-fix", "MLP-pipeline-jungle-fix",
        "MLP-unstable-external-dependency-fix", "MM-drift-fix", "QM-data-privacy-issue-fix", "QM-efficiency-fix",
        "QM-explainability-fix", "QM-fairness-issues-fix", "QM-model-security-fix", "QM-robustness-fix",
        "QM-scalability-issues-fix",
    ],
    "category": [
        "Data-issues", "ML-pipeline-issues [MLP]", "Model-deployment-issues [MD]", "Model-Evaluation-issues [ME]",
        "Model-Training-issues (MT)", "Quality-Measures (QM)",
    ],
    "question": [
        "Q1", "Q2.1", "Q2.2", "Q3", "Q3.1", "Q3.2", "Q3.3", "Q3.4", "Q4.1", "Q4.2", "Q4.3", "Q4.4", "Q4.5", "Q5.1",
        "Q5.2", "Q5.3", "Q5.4", "Q6.1", "Q6.2", "Q6.3", "Q7.1", "Q7.2", "Q7.3", "Q7.4", "Q8.1", "Q8.2", "Q9",
    ],
    "meta": ["last-question-answers"],
    # practices: monitoring in production, testing with users and taking their feedback
    "mitigation": ["feedback-loop", "monitoring"],
    "other": ["Misc"],
}
KIND_OF = {code: kind for kind, codes in STUDY_CODES.items() for code in codes}


@pytest.fixture(scope="module")
def book():
    return load_codebook()


def _study_uses() -> dict[str, int]:
    """Coded paragraphs per code of the study, from study-codes.tsv."""
    lines = fixture_path("study-codes.tsv").read_text("utf-8").splitlines()
    rows = [line.split("\t") for line in lines if line and not line.startswith("#")][1:]
    return {code: int(paragraphs) for code, _, _, paragraphs in rows}


def test_the_table_holds_every_code_of_the_study_once():
    assert sum(len(codes) for codes in STUDY_CODES.values()) == len(KIND_OF) == 144
    assert set(_study_uses()) == set(KIND_OF)


@pytest.mark.parametrize(("code", "kind"), sorted(KIND_OF.items()))
def test_default_codebook_classifies_every_study_code(book, code, kind):
    assert book.classify(code).kind == kind


def test_every_issue_of_the_study_has_a_name_a_description_and_synonyms(book):
    keys = {book.classify(code).issue_key for code in STUDY_CODES["issue"]}
    assert len(keys) == 59  # 62 issue codes, three of them second spellings
    for key in keys:
        entry = book.issue_entry(key)
        assert entry.name and entry.synonyms, key
        assert entry.description and "\n" not in entry.description and len(entry.description) < 160, key


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("ME-metrics-a-are-poor-proxy-of-quality", "metrics are a poor proxy of quality"),
        ("ME-Metrics-Meaningless-For-Stakeholder", "metrics meaningless to stakeholders"),
        ("ME-testing-model-challenging", "testing models is hard"),
        ("Data-low-quality", "low data quality"),
        ("Data-low-quantity", "too little data"),
        ("MM-drift", "data and concept drift"),
        ("Data-missing-value-fix", "missing values"),
        ("ME-metrics-disconnected-from-user-adoption-fix", "metrics are a poor proxy of quality"),
        # Without an entry, the code without family and -issue(s): still words, not a slug.
        ("QM-quantum-leakage-issues", "quantum leakage"),
    ],
)
def test_readable_names(book, code, name):
    assert book.classify(code).issue_name == name


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        # The same conventions in another study: the rules, not a list of the reference study's codes, decide.
        ("Data-collection-sensors", "context"),
        ("MT-high-quality", "context"),
        ("Data-labelling-tools", "context"),
        ("fairness-important", "context"),
        ("QM-preventive-fix", "context"),
        ("proactive-fix", "context"),
        ("text-issue", "context"),
        ("Data-time-series", "context"),
        ("how-to-deploy", "context"),
        ("Data-low-variety", "issue"),
        ("MM-drift-reactive-fix", "fix"),
        ("Data-corrupted-image", "issue"),
    ],
)
def test_context_rules_generalise(book, code, kind):
    assert book.classify(code).kind == kind


def test_the_study_has_one_fix_code_spelled_unlike_its_issue(book):
    uses = _study_uses()
    codes, decisions = join_fixes({code: book.classify(code) for code in uses}, uses, book)
    assert codes["ME-testing-model-difficult-fix"].issue_key == codes["ME-testing-model-challenging"].issue_key
    assert codes["ME-testing-model-difficult-fix"].issue_name == "testing models is hard"
    issue_keys = {cls.issue_key for cls in codes.values() if cls.kind == "issue"}
    assert {cls.issue_key for cls in codes.values() if cls.kind == "fix"} <= issue_keys
    assert decisions == [
        "ME-testing-model-difficult-fix joins ME-testing-model-challenging: the closest issue code of family ME "
        "(overlap 1.00 with ME-testing-model-challenging, next best 0.25)"
    ]


def test_closest_issue_joins_only_a_clear_winner(book):
    candidates = {"data-missing-value": ["Data-missing-values"], "data-missing-feature": ["Data-missing-features"],
                  "data-noisy-label": ["Data-noisy-labels"]}
    joined = book.closest_issue("Data-missing-feature-columns-fix", "Data", candidates)
    assert (joined.issue_key, joined.code) == ("data-missing-feature", "Data-missing-features")
    tie = book.closest_issue("Data-missing-fix", "Data", candidates)
    assert tie.issue_key is None and "no clear winner" in tie.reason
    weak = book.closest_issue("Data-label-noise-fix", "Data", candidates)
    assert weak.issue_key is None and "below" in weak.reason
    assert book.closest_issue("QM-scalability-issues-fix", "QM", {"qm-efficiency": ["QM-efficiency"]}).issue_key is None
    assert book.closest_issue("preventive-fix", None, candidates).issue_key is None


def test_a_fix_the_codebook_maps_is_never_moved(book):
    codes = {c: book.classify(c) for c in ("ME-metrics-disconnected-from-user-adoption-fix", "ME-testing-model-challenging")}
    joined, decisions = join_fixes(codes, {}, book)
    assert joined == codes and decisions == []


def test_user_codebook_adds_issue_names_and_synonyms(tmp_path):
    path = tmp_path / "codebook.yaml"
    path.write_text(
        "families:\n  SEC: security\nissues:\n  SEC-prompt-injections:\n    name: prompt injection\n"
        "    description: Inputs that take over the model's instructions.\n    synonyms: [jailbreak]\n"
        "closest_issue:\n  margin: 0.5\n",
        encoding="utf-8",
    )
    book = load_codebook(path)
    assert book.classify("SEC-prompt-injection-fix").issue_name == "prompt injection"
    assert book.issue_entry("sec-prompt-injection").synonyms == ("jailbreak",)
    assert book.closest.margin == 0.5 and book.closest.min_overlap == 0.5
    assert book.issue_entry("mm-drift").name == "data and concept drift"  # the defaults stay


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("issues:\n  X: {name: x, colour: red}", "issue 'X' needs"),
        ("issues:\n  X: {synonyms: drift}", "issue 'X' needs"),
        ("codes:\n  X: {kind: issue, label: y}", "code 'X' needs"),
        ("closest_issue: {margin: wide}", "closest_issue needs"),
    ],
)
def test_bad_issue_entries_are_one_clear_error(tmp_path, text, message):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CodebookError, match=message) as info:
        load_codebook(path)
    assert str(path) in str(info.value)


# --- in a store ----------------------------------------------------------------------------------------------

STUDY = {
    ("Interview 1", "Ana"): ["MM-drift", "MM-drift-fix", "QM-efficiency", "Data-low-quality"],
    ("Interview 2", "Ana"): ["ME-metrics-a-are-poor-proxy-of-quality", "ME-Metrics-Meaningless-For-Stakeholder",
                            "ME-testing-model-challenging", "ME-testing-model-difficult-fix"],
    ("Interview 3", "Ana"): ["QM-scalability-issues-fix", "Data-missing-values Data-missing-features", "Data-missing-fix"],
}


@pytest.fixture
def study(store):
    report = load(store, STUDY).load
    return store, report


def test_fix_codes_join_or_stand_alone_and_the_report_says_so(study):
    store, report = study
    links = dict(store.run("MATCH (c:Code)-[:FIX_FOR]->(i:Issue) RETURN c.name, i.name").rows)
    assert links == {
        "MM-drift-fix": "data and concept drift",
        "ME-testing-model-difficult-fix": "testing models is hard",
        "QM-scalability-issues-fix": "scalability",
        "Data-missing-fix": "missing",
    }
    assert store.run("MATCH (i:Issue {id: 'me-testing-model-difficult'}) RETURN count(i)").scalar() == 0
    assert [d.split(":")[0] for d in report.fix_decisions] == [
        "Data-missing-fix stands alone as issue 'missing'",
        "ME-testing-model-difficult-fix joins ME-testing-model-challenging",
        "QM-scalability-issues-fix stands alone as issue 'scalability'",
    ]
    assert "no clear winner" in report.fix_decisions[0]
    assert all("\n" not in d for d in report.fix_decisions)


def test_issues_carry_description_and_synonyms(study):
    store, _ = study
    rows = {r[0]: r[1:] for r in store.run("MATCH (i:Issue) RETURN i.id, i.name, i.description, i.synonyms").rows}
    name, description, synonyms = rows["mm-drift"]
    assert name == "data and concept drift" and "concept drift" in synonyms and description
    # An issue the codebook does not know says where it comes from.
    assert rows["data-missing"] == ["missing", "Coded as Data-missing-fix.", []]


@pytest.mark.parametrize(
    ("words", "names"),
    [
        ("concept drift", {"data and concept drift"}),
        ("latency", {"efficiency"}),
        ("lack of data quality", {"low data quality"}),
        ("business metric", {"metrics are a poor proxy of quality", "metrics meaningless to stakeholders"}),
        ("quality of the data", {"low data quality"}),
        ("distribution shift", {"data and concept drift"}),
        ("ME-testing-model-difficult-fix", {"testing models is hard"}),
    ],
)
def test_words_people_use_find_the_right_issues(study, words, names):
    store, _ = study
    shown = dict(store.run("MATCH (i:Issue) RETURN i.id, i.name").rows)
    assert {shown[i] for i in resolve_issues(store, words)} == names


def test_no_match_offers_the_closest_names(study):
    store, _ = study
    with pytest.raises(NotFound, match=r"no issue matches 'concpet drfit'; did you mean 'data and concept drift'\?"):
        resolve_issues(store, "concpet drfit")
    with pytest.raises(NotFound, match="no issue matches 'teleportation' \\(issues include: "):
        resolve_issues(store, "teleportation")


def test_ingest_summary_lists_each_decision_and_fixes_finds_by_words(tmp_path, db_path):
    path = tmp_path / "Interview 21 - Mouna.md"
    path.write_text(
        "## Interview 21 - Mouna\n\n### Interviewee\n\nThe predictions came too late for the app.\n\nQM-efficiency\n\n"
        "### Interviewee\n\nWe simplified the pipeline and the feature set to meet the latency target.\n\n"
        "QM-scalability-issues-fix\n",
        encoding="utf-8",
    )
    result = run_cli("ingest", str(path), "--db", str(db_path), "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = [r for r in json.loads(result.stdout) if r["item"] == "fix code"]
    assert [r["value"].split(":")[0] for r in rows] == ["QM-scalability-issues-fix stands alone as issue 'scalability'"]
    assert "no issue code of family QM shares its words" in rows[0]["value"]
    found = run_cli("fixes", "latency", "--db", str(db_path), "--format", "json")
    assert found.returncode == 0 and json.loads(found.stdout) == [] and found.stderr == ""
    missed = run_cli("fixes", "latncy", "--db", str(db_path))
    assert missed.returncode == 1 and "did you mean 'efficiency'?" in missed.stderr

