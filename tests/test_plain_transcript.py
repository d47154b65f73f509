"""Raw transcripts: speakers in any case, one paragraph per line."""

from collections import Counter

import pytest

from ingest.detect import sniff
from ingest.plain_transcript import parse_plain_transcript
from tests.conftest import fixture_path


@pytest.mark.parametrize(
    ("name", "paragraphs", "speakers"),
    [
        ("Interview 35.txt", 153, {"": 1, "Interviewer 1": 47, "Interviewee": 105}),
        ("Interview 12.txt", 160, {"Interviewer 1": 53, "Interviewer 2": 12, "Interviewee": 95}),
    ],
)
def test_raw_transcripts(name, paragraphs, speakers):
    path = fixture_path("transcripts", name)
    assert sniff(path) == "plain"
    [record] = parse_plain_transcript(path)
    assert record.interview == name.removesuffix(".txt")
    assert record.coder is None and not record.coded
    assert len(record.paragraphs) == paragraphs
    assert dict(Counter(p.speaker for p in record.paragraphs)) == speakers


def test_speaker_labels_any_case_and_continuations(tmp_path):
    path = tmp_path / "Interview 4 - raw.txt"
    path.write_text(
        "INTERVIEWER1: Hello there\ninterviewee: Hi.\nA second line without label.\nMaria Lopez: Note: colons inside.\n",
        encoding="utf-8",
    )
    [record] = parse_plain_transcript(path)
    assert [(p.speaker, p.text) for p in record.paragraphs] == [
        ("Interviewer 1", "Hello there"),
        ("Interviewee", "Hi."),
        ("Interviewee", "A second line without label."),
        ("Maria Lopez", "Note: colons inside."),
    ]
