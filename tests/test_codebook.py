"""Classifying codes and folding spelling variants into one issue key."""

import pytest

from graph.codebook import CodebookError, load_codebook


@pytest.fixture(scope="module")
def book():
    return load_codebook()


@pytest.mark.parametrize(
    ("code", "kind", "issue"),
    [
        ("Data-missing-values", "issue", "data-missing-value"),
        ("Data-missing-value", "issue", "data-missing-value"),
        ("Data-missing-value-fix", "fix", "data-missing-value"),
        ("QM-explainability-fix", "fix", "qm-explainability"),
        ("QM-explainability-issues", "issue", "qm-explainability"),
        ("QM-data-privacy-issue-fix", "fix", "qm-data-privacy"),
        ("QM-data-privacy-issues", "issue", "qm-data-privacy"),
        ("ME-Metrics-Meaningless-For-Stakeholder", "issue", "me-metric-meaningless-for-stakeholder"),
        ("ME-metrics-meaningless-for-stakeholder", "issue", "me-metric-meaningless-for-stakeholder"),
        ("QM-robustness", "issue", "qm-robustness"),
        ("Data-collection-external", "context", None),
        ("last-question-answers", "meta", None),
        ("Model-Evaluation-issues [ME]", "category", None),
        ("Quality-Measures (QM)", "category", None),
        ("Data-issues", "category", None),
        ("Q2.1", "question", None),
        ("Q1", "question", None),
        ("Misc", "other", None),
        # A free-form code the default codebook lists as an issue (the study's gold reading counts it as one).
        ("Issues with performance alerts", "issue", "issue-with-performance-alert"),
    ],
)
def test_default_classification(book, code, kind, issue):
    cls = book.classify(code)
    assert (cls.kind, cls.issue_key) == (kind, issue)


def test_categories_and_readable_names(book):
    assert book.classify("Data-missing-values").category == "data"
    assert book.classify("Model-Evaluation-issues [ME]").family == "ME"
    assert book.classify("Model-Evaluation-issues [ME]").category == "evaluation"
    assert book.classify("MLP-artefact-management-issues").issue_name == "artefact management"
    assert book.classify("QM-robustness").category == "model quality"


def test_user_codebook_overrides(tmp_path):
    path = tmp_path / "codebook.yaml"
    path.write_text(
        "families:\n  SEC: security\ncodes:\n  Misc:\n    kind: meta\n"
        "  Stakeholders-lack-of-knowledge:\n    kind: issue\n    family: ME\n    name: stakeholder knowledge\n",
        encoding="utf-8",
    )
    book = load_codebook(path)
    assert book.classify("Misc").kind == "meta"
    assert book.classify("SEC-prompt-injection").category == "security"
    cls = book.classify("Stakeholders-lack-of-knowledge")
    assert (cls.kind, cls.category, cls.issue_name) == ("issue", "evaluation", "stakeholder knowledge")
    # The defaults are still there.
    assert book.classify("QM-robustness-fix").kind == "fix"


@pytest.mark.parametrize(
    ("text", "message"),
    [("families: [", "not valid YAML"), ("colours: {}", "unknown codebook keys"), ("codes:\n  X: {kind: weird}", "kind one of")],
)
def test_bad_codebook_is_one_clear_error(tmp_path, text, message):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CodebookError, match=message) as info:
        load_codebook(path)
    assert str(path) in str(info.value)
