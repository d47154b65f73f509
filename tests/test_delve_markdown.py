"""Delve Markdown export: the seed interview's paragraphs, speakers and codes."""

from collections import Counter

import pytest

from ingest.delve_markdown import looks_like_code, parse_delve_markdown
from ingest.records import IngestError
from tests.conftest import EXAMPLES, fixture_path

SEED_CODES = {
    "QM-reproducibility": 6,
    "QM-robustness": 5,
    "QM-robustness-fix": 5,
    "QM-efficiency": 2,
    "QM-efficiency-fix": 2,
    "last-question-answers": 2,
    "Data-missing-values": 1,
    "Data-noisy-features": 1,
    "MLP-artefact-management-issues": 1,
    "ME-Metrics-Meaningless-For-Stakeholder": 1,
    "Data-collection-external": 1,
    "Data-collection-public-datasets": 1,
    "Data-noisy-labels": 1,
    "Data-low-quality": 1,
}


def test_seed_interview_codes_match_fixture_readme():
    [record] = parse_delve_markdown(fixture_path("delve-markdown", "Interview 35 - PO.md"))
    counts = Counter(code for p in record.paragraphs for code in p.codes)
    assert dict(counts) == SEED_CODES
    assert sum(counts.values()) == 30


def test_seed_interview_title_speakers_and_order():
    [record] = parse_delve_markdown(fixture_path("delve-markdown", "Interview 35 - PO.md"))
    assert (record.interview, record.coder, record.format) == ("Interview 35", "PO", "delve-markdown")
    # Same paragraphs as the raw transcript and the PDF print of this coding.
    assert len(record.paragraphs) == 153
    assert [p.position for p in record.paragraphs] == list(range(153))
    assert {p.speaker for p in record.paragraphs} == {"", "Interviewer 1", "Interviewee"}
    assert record.paragraphs[0].text == "All right."
    assert record.paragraphs[2].text.startswith("machine learning? Yes. I am full professor")
    assert record.paragraphs[2].speaker == "Interviewee"
    # The footer is not a paragraph.
    assert not any("Delve Qualitative Analysis Tool" in p.text for p in record.paragraphs)


def test_continuation_paragraph_joins_previous_and_takes_its_codes():
    [record] = parse_delve_markdown(fixture_path("delve-markdown", "Interview 35 - PO.md"))
    [joined] = [p for p in record.paragraphs if "because if, if we are" in p.text]
    assert joined.text.startswith("Uh, on one site")
    assert joined.codes == ("ME-Metrics-Meaningless-For-Stakeholder",)


def test_coder_option_overrides_title(tmp_path):
    path = EXAMPLES / "synthetic-study" / "Interview 1 - Ana.md"
    [record] = parse_delve_markdown(path, coder="Moderator", consensus=True)
    assert record.coder == "Moderator" and record.consensus


def test_short_answers_under_a_heading_are_prose(tmp_path):
    path = tmp_path / "Interview 7- PO.txt.md"
    path.write_text(
        "## Interview 7- PO.txt\n\n**Interviewer 1**\n\nHow did it go?\n\n**Interviewee**\n\nOkay\n\n"
        "QM-robustness\n\nModel-Evaluation-issues [ME]\n\n**interviewr**\n\nAnd then\n",
        encoding="utf-8",
    )
    [record] = parse_delve_markdown(path)
    assert (record.interview, record.coder) == ("Interview 7", "PO")
    assert [(p.speaker, p.text, p.codes) for p in record.paragraphs] == [
        ("Interviewer 1", "How did it go?", ()),
        ("Interviewee", "Okay", ("QM-robustness", "Model-Evaluation-issues [ME]")),
        ("Interviewer", "And then", ()),
    ]


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        ("QM-robustness-fix", True),
        ("Issues with performance alerts", True),
        ("Q2.1", True),
        ("Model-Evaluation-issues [ME]", True),
        ("Yes, it is difficult.", False),
        ("Okay. I see.", False),
        ("what do you mean by that?", False),
    ],
)
def test_code_shape(block, expected):
    assert looks_like_code(block) is expected


def test_file_without_title_is_refused(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text("### Interviewee\n\nHello\n", encoding="utf-8")
    with pytest.raises(IngestError, match="notes.md: no '## Interview"):
        parse_delve_markdown(path)
