"""Format detection reads content, not extensions."""

import pytest

from ingest.detect import detect_format, sniff, walk_sources
from ingest.records import IngestError, UnknownFormat
from tests.conftest import EXAMPLES


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"%PDF-1.4\n...", "delve-pdf"),
        (b"\n## Interview 35 - PO\n\n### Interviewer 1\n", "delve-markdown"),
        (b"Created with the Delve Qualitative Analysis Tool", "delve-markdown"),
        (b"Interviewer 1: hello\nInterviewee: hi\n", "plain"),
        (b'<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0">', "refi-qda"),
        (b"<html><body>no</body></html>", None),
        (b"just prose without any structure", None),
    ],
)
def test_detect_format(tmp_path, head, expected):
    assert detect_format(tmp_path / "x", head) == expected


def test_delve_export_with_a_misleading_extension(tmp_path):
    path = tmp_path / "Interview 1 - Ana.txt"
    path.write_bytes((EXAMPLES / "synthetic-study" / "Interview 1 - Ana.md").read_bytes())
    assert sniff(path) == "delve-markdown"


def test_unknown_and_empty(tmp_path):
    unknown = tmp_path / "notes.md"
    unknown.write_text("Some notes.\n", encoding="utf-8")
    with pytest.raises(UnknownFormat, match="notes.md: unknown format"):
        sniff(unknown)
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"  \n")
    with pytest.raises(IngestError, match="empty.pdf: empty file"):
        sniff(empty)


def test_walk_is_recursive_sorted_and_skips_hidden_and_lock_files(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    for name in ["b/2.md", "1.md", ".hidden.md", "~$lock.docx", "b/.DS_Store", ".git/config"]:
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert [p.relative_to(tmp_path).as_posix() for p in walk_sources([tmp_path])] == ["1.md", "b/2.md"]


def test_every_registered_format_module_names_itself():
    """Each module in the registry declares its own name, recogniser and parser, in detection order."""
    import importlib

    from ingest.formats import FORMAT_MODULES, source_format, source_formats

    assert [f.name for f in source_formats()] == [importlib.import_module(m).FORMAT for m in FORMAT_MODULES]
    for fmt in source_formats():
        assert source_format(fmt.name) is fmt
    with pytest.raises(ValueError, match="unknown format 'docx'"):
        source_format("docx")
