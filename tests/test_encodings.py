"""Text encodings: UTF-8 (with or without BOM) and UTF-16 with a BOM are read; the rest is named.

Several Windows QDA tools export UTF-16, so a byte-order mark decides the
encoding and the file then reads exactly like its UTF-8 twin. Anything that
cannot be decoded for sure is refused with the reason and the offset: text
without a BOM must be UTF-8, UTF-16 without one is named as such, and a NUL
is binary data wherever it sits (it used to pass after the first 8 KB).
"""

from __future__ import annotations

import codecs
import json
import logging
from pathlib import Path

import pytest

from ingest.detect import parse_source, sniff
from ingest.records import IngestError, TranscriptRecord
from tests.conftest import EXAMPLES, run_cli
from tests.test_refi_qda import LOGGER, ProjectBuilder, code, write_zip

MARKDOWN = (EXAMPLES / "synthetic-study" / "Interview 1 - Ana.md").read_text("utf-8")
PLAIN = "Interviewer: Did the labels hold up?\nInterviewee: Naïve annotators mislabelled night images 🙂.\n"
# A transcript past the first 8 KB and past the 64 KB that format detection reads.
LONG_PLAIN = PLAIN + "Interviewee: and then some more words about the data.\n" * 1500

ENCODINGS = {
    "utf-8-bom": lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    "utf-16-le-bom": lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
    "utf-16-be-bom": lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
    "utf-32-le-bom": lambda text: codecs.BOM_UTF32_LE + text.encode("utf-32-le"),
    "utf-32-be-bom": lambda text: codecs.BOM_UTF32_BE + text.encode("utf-32-be"),
}


def parsed_records(path):
    """The records of one file, whatever its format."""
    return parse_source(path)[1]


def content(records: list[TranscriptRecord]) -> list[tuple]:
    """What a parse found, without where it came from (path, digest)."""
    return [(r.interview, r.coder, r.format, r.paragraphs, r.code_definitions) for r in records]


def written(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize(("name", "text"), [("Interview 1 - Ana.md", MARKDOWN), ("Interview 2.txt", LONG_PLAIN)],
                         ids=["md", "plain"])
def test_a_file_with_a_byte_order_mark_reads_like_its_utf8_twin(tmp_path, encoding, name, text):
    (tmp_path / "utf-8").mkdir()
    twin = written(tmp_path / "utf-8", name, text.encode())
    path = written(tmp_path, name, ENCODINGS[encoding](text))
    assert sniff(path) == sniff(twin)
    assert content(parsed_records(path)) == content(parsed_records(twin))


@pytest.mark.parametrize("encoding", ["utf-16-le-bom", "utf-16-be-bom"])
def test_utf16_refi_qda_project_and_sources(tmp_path, encoding):
    """A bare project in UTF-16 (named .qde or .qdpx), and a .qdpx whose source text is UTF-16.

    Selection offsets count characters of the decoded text, so they land where the UTF-8 project's do.
    """
    project = ProjectBuilder(users={"u": "PO"}, codebook=code("c1", "Data-noisy-labels"))
    project.source("Interview 3.txt", PLAIN).select("mislabelled night images 🙂", "c1", "u")
    reference = content(parsed_records(project.write_qde(tmp_path / "reference.qde")))
    xml = ENCODINGS[encoding](project.xml().replace('encoding="utf-8"', 'encoding="utf-16"'))
    for name in ["study.qde", "bare.qdpx"]:
        assert content(parsed_records(written(tmp_path, name, xml))) == reference
    project.sources[0].member = "s.txt"
    archive = tmp_path / "study.qdpx"
    write_zip(archive, {"project.qde": project.xml().encode(), "Sources/s.txt": ENCODINGS[encoding](PLAIN)})
    assert content(parsed_records(archive)) == reference


@pytest.mark.parametrize("offset", [100, 20_000, len(LONG_PLAIN.encode()) - 2])
def test_a_nul_anywhere_is_refused_with_its_offset(tmp_path, offset):
    data = LONG_PLAIN.encode()
    path = written(tmp_path, "Interview 2.txt", data[:offset] + b"\x00" + data[offset:])
    with pytest.raises(IngestError) as info:
        parsed_records(path)
    assert str(info.value) == f"{path}: binary data, not text (NUL byte at offset {offset})"


@pytest.mark.parametrize("encoding", ["utf-16-le-bom", "utf-16-be-bom"])
def test_a_nul_in_utf16_text_is_refused_with_its_byte_offset(tmp_path, encoding):
    text = PLAIN + "\x00 rest\n"
    path = written(tmp_path, "Interview 2.txt", ENCODINGS[encoding](text))
    with pytest.raises(IngestError, match=rf"binary data, not text \(NUL byte at offset {2 + 2 * len(PLAIN) + 2}\)"):
        parsed_records(path)


def test_a_nul_in_a_refi_qda_source_skips_that_source(tmp_path, caplog):
    project = ProjectBuilder(codebook=code("c1", "Data-noisy-labels"))
    project.source("Interview 3.txt", PLAIN)
    project.source("Interview 4.txt", "x", member="nul.txt")
    archive = tmp_path / "study.qdpx"
    write_zip(archive, {"project.qde": project.xml().encode(), "Sources/nul.txt": b"Interviewee: a\x00b\n"})
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        records = parsed_records(archive)
    assert [r.interview for r in records] == ["Interview 3"]
    assert "is unreadable (binary data, not text (NUL byte at offset 14))" in caplog.text


@pytest.mark.parametrize(("order", "codec"), [("LE", "utf-16-le"), ("BE", "utf-16-be")])
@pytest.mark.parametrize(("name", "text"), [("Interview 1 - Ana.md", MARKDOWN), ("Interview 2.txt", PLAIN)], ids=["md", "plain"])
def test_utf16_without_a_byte_order_mark_is_named(tmp_path, order, codec, name, text):
    path = written(tmp_path, name, text.encode(codec))
    with pytest.raises(IngestError) as info:
        parsed_records(path)
    assert str(info.value) == (
        f"{path}: UTF-16-{order} text without a byte-order mark; re-save it as UTF-8 (or as UTF-16 with a BOM)"
    )


def test_undecodable_utf16_names_the_encoding_and_the_offset(tmp_path):
    data = ENCODINGS["utf-16-le-bom"](PLAIN)
    path = written(tmp_path, "Interview 2.txt", data + b"x")  # one byte of a character left over
    with pytest.raises(IngestError) as info:
        parsed_records(path)
    assert str(info.value) == f"{path}: not UTF-16-LE text (truncated data at offset {len(data)}); re-save it as UTF-8"


def test_other_encodings_keep_the_strict_utf8_message(tmp_path):
    path = written(tmp_path, "Interview 2.txt", "Interviewer: Caf\xe9?\n".encode("latin-1"))
    with pytest.raises(IngestError) as info:
        parsed_records(path)
    assert str(info.value) == f"{path}: not UTF-8 text (byte 0xe9 at offset 16); re-save it as UTF-8"


def test_a_utf16_export_ingests_from_the_command_line(tmp_path, db_path):
    path = written(tmp_path, "Interview 1 - Ana.md", ENCODINGS["utf-16-le-bom"](MARKDOWN))
    result = run_cli("ingest", str(path), "--db", str(db_path), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert {"item": "files: delve-markdown", "value": 1} in json.loads(result.stdout)
