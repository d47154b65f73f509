"""Normalising interview titles and speaker labels as the study spells them."""

import pytest

from ingest.naming import interview_number, parse_title, slug, speaker_role


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Interview 35 - PO", ("Interview 35", "PO")),
        ("Interview 17- PO", ("Interview 17", "PO")),
        ("Interview 20 - Mouna.txt", ("Interview 20", "Mouna")),
        ("2023-06-04-Interview 12 - Rached", ("Interview 12", "Rached")),
        ("interview 03", ("Interview 3", None)),
        ("Focus group A", ("Focus group A", None)),
    ],
)
def test_parse_title(title, expected):
    assert parse_title(title) == expected


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Interviewee", "Interviewee"),
        ("interviewee", "Interviewee"),
        ("Interviewee1", "Interviewee 1"),
        ("Interviewer 1", "Interviewer 1"),
        ("Interviewer1", "Interviewer 1"),
        ("interviewer", "Interviewer"),
        ("interviewr", "Interviewer"),
        ("Interviewer2", "Interviewer 2"),
        ("Interviewer 3", "Interviewer 3"),
        ("Interviewer2 2", "Interviewer 2"),
        ("Maria", None),
        ("Interview", None),
    ],
)
def test_speaker_role(label, expected):
    assert speaker_role(label) == expected


def test_slug():
    assert slug("Interview 35") == "interview-35"
    assert slug("  ") == "unnamed"


@pytest.mark.parametrize(
    ("name", "number"),
    [
        ("Interview 35", 35),
        ("Focus group 2", 2),
        ("Focus group", None),
        (f"Interview {2**63 - 1}", 2**63 - 1),
        # Past INT64, which both stores hold numbers in: a name without a number.
        (f"Interview {2**63}", None),
        ("Interview 99999999999999999999", None),
        ("Interview " + "9" * 5000, None),
    ],
)
def test_interview_number(name, number):
    assert interview_number(name) == number


def test_a_title_with_thousands_of_digits_is_still_split():
    digits = "9" * 5000  # past Python's own limit on int() of a digit string
    assert parse_title(f"Interview 000{digits} - PO") == (f"Interview {digits}", "PO")
