"""Delve print (PDF) ingest: the reference study's prints and small prints built here.

The reference prints check the real counts from fixtures/README.md and the
paragraphs against the raw transcripts and the Markdown export of the same
coding. Prints written by ``_pdf`` below reproduce Delve's typography (8 pt
header and footer, bold speaker lines, 10.5 pt chips, underlines) to cover
what the reference slice does not show: chip rows that wrap, speaker
spellings, hyphens at line ends, a print without a title.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from ingest.delve_markdown import parse_delve_markdown
from ingest.delve_pdf import parse_delve_pdf
from ingest.plain_transcript import parse_plain_transcript
from ingest.records import IngestError, TranscriptRecord
from tests.conftest import fixture_path
from tests.test_delve_markdown import SEED_CODES

# folder, file, interview, coder, distinct codes, paragraph-code pairs (fixtures/README.md)
PRINTS = [
    ("codings", "2023-06-04-Interview 35 - PO.pdf", "Interview 35", "PO", 14, 30),
    ("codings", "2023-06-04-Interview 35 - Ilan.pdf", "Interview 35", "Ilan", 13, 47),
    ("codings", "2023-06-04-Interview 12 - PO.pdf", "Interview 12", "PO", 14, 33),
    ("codings", "2023-06-04-Interview 12 - Rached.pdf", "Interview 12", "Rached", 8, 14),
    ("consensus", "2023-06-04-Interview 12 - Amin.pdf", "Interview 12", "Amin", 12, 34),
    ("consensus", "2023-06-04-Interview 35 - Amin.pdf", "Interview 35", "Amin", 0, 0),
]


def _print(folder: str, name: str, **options) -> TranscriptRecord:
    [record] = parse_delve_pdf(fixture_path("delve-pdf", folder, name), **options)
    return record


def _code_counts(record: TranscriptRecord) -> Counter[str]:
    return Counter(code for paragraph in record.paragraphs for code in paragraph.codes)


def _transcript(interview: str) -> TranscriptRecord:
    [record] = parse_plain_transcript(fixture_path("transcripts", f"{interview}.txt"))
    return record


@pytest.mark.parametrize(("folder", "name", "interview", "coder", "codes", "pairs"), PRINTS)
def test_reference_prints_give_the_readme_counts(folder, name, interview, coder, codes, pairs):
    record = _print(folder, name, consensus=folder == "consensus")
    counts = _code_counts(record)
    assert (len(counts), sum(counts.values())) == (codes, pairs)
    assert (record.interview, record.coder, record.format) == (interview, coder, "delve-pdf")
    assert record.consensus == (folder == "consensus")
    assert record.coded == bool(codes)
    # Each paragraph has the code once at most.
    assert all(len(set(p.codes)) == len(p.codes) for p in record.paragraphs)


@pytest.mark.parametrize(("folder", "name", "interview"), [(f, n, i) for f, n, i, *_ in PRINTS])
def test_paragraphs_and_speakers_match_the_raw_transcript(folder, name, interview):
    record = _print(folder, name)
    raw = _transcript(interview)
    assert len(record.paragraphs) == len(raw.paragraphs)
    assert [p.position for p in record.paragraphs] == list(range(len(raw.paragraphs)))
    assert [p.speaker for p in record.paragraphs] == [p.speaker for p in raw.paragraphs]
    different = [(a.text, b.text) for a, b in zip(record.paragraphs, raw.paragraphs) if a.text != b.text]
    # Coders may correct a word in Delve (Rached capitalised one "company Z").
    assert len(different) <= 1, different


def test_paragraph_counts_from_readme():
    assert len(_print("codings", "2023-06-04-Interview 35 - PO.pdf").paragraphs) == 153
    assert len(_print("codings", "2023-06-04-Interview 12 - PO.pdf").paragraphs) == 160


def test_speakers_are_canonical_and_text_before_any_speaker_has_none():
    record = _print("codings", "2023-06-04-Interview 35 - PO.pdf")
    assert {p.speaker for p in record.paragraphs} == {"", "Interviewer 1", "Interviewee"}
    assert (record.paragraphs[0].speaker, record.paragraphs[0].text) == ("", "All right.")
    assert {p.speaker for p in _print("codings", "2023-06-04-Interview 12 - PO.pdf").paragraphs} == {
        "Interviewer 1",
        "Interviewer 2",
        "Interviewee",
    }


def test_po_print_has_the_code_table_of_the_markdown_export():
    record = _print("codings", "2023-06-04-Interview 35 - PO.pdf")
    [markdown] = parse_delve_markdown(fixture_path("delve-markdown", "Interview 35 - PO.md"))
    assert _code_counts(record) == _code_counts(markdown) == Counter(SEED_CODES)
    # Same paragraphs, same speakers, and each code on the same paragraph.
    assert [(p.speaker, p.codes) for p in record.paragraphs] == [(p.speaker, p.codes) for p in markdown.paragraphs]


def test_chip_names_with_spaces_and_brackets_stay_whole():
    counts = _code_counts(_print("codings", "2023-06-04-Interview 12 - PO.pdf"))
    assert counts["ML-pipeline-issues [MLP]"] == 2
    assert counts["Model-Evaluation-issues [ME]"] == 3
    assert counts["Data-issues"] == 8
    assert counts["Misc"] == 1
    assert not {"[MLP]", "[ME]", "ML-pipeline-issues", "Model-Evaluation-issues"} & set(counts)


def test_consensus_copy_keeps_the_moderators_spelling():
    counts = _code_counts(_print("consensus", "2023-06-04-Interview 12 - Amin.pdf", consensus=True))
    assert counts["Data-missing-value"] == 2
    assert "Data-missing-values" not in counts


def test_uncoded_print_is_still_a_transcript():
    record = _print("consensus", "2023-06-04-Interview 35 - Amin.pdf", consensus=True)
    assert not record.coded
    assert len(record.paragraphs) == 153 and record.paragraphs[2].text.startswith("machine learning? Yes.")


def test_page_furniture_is_dropped_and_page_breaks_are_joined():
    record = _print("codings", "2023-06-04-Interview 35 - PO.pdf")
    texts = [p.text for p in record.paragraphs]
    assert not [t for t in texts if "delvetool" in t or "Created with the Delve" in t or "6/4/23" in t]
    # Cut between pages 3 and 4 of the print.
    [joined] = [p for p in record.paragraphs if "but it's challenging because if, if we are" in p.text]
    assert joined.text.startswith("Uh, on one site")
    assert joined.codes == ("ME-Metrics-Meaningless-For-Stakeholder",)


def test_underlined_span_becomes_the_quote():
    record = _print("codings", "2023-06-04-Interview 35 - Ilan.pdf")
    [asked] = [p for p in record.paragraphs if p.text.startswith("Okay. I see. Okay. And you mentioned earlier")]
    assert asked.codings and {c.quote for c in asked.codings} == {
        "And you mentioned earlier on the data quality issue you mentioned, I think, uh, having duplicate "
        "entries or, or duplicate entities. Yes. Yes. Yeah. How do you address"
    }
    coded = [c for p in record.paragraphs for c in p.codings]
    # Wholly underlined paragraphs carry no quote; every quote is taken from its paragraph.
    assert any(c.quote is None for c in coded)
    for paragraph in record.paragraphs:
        for coding in paragraph.codings:
            assert coding.quote is None or all(span in paragraph.text for span in coding.quote.split(" … "))


def test_coder_option_overrides_the_title():
    record = _print("codings", "2023-06-04-Interview 35 - PO.pdf", coder="Moderator", consensus=True)
    assert (record.interview, record.coder, record.consensus) == ("Interview 35", "Moderator", True)


# -- prints built here ------------------------------------------------------

PITCH = 23.2  # baseline step between wrapped body lines in Delve prints


def _pdf(pages: list[list[tuple]], *, encrypted: bool = False) -> bytes:
    """A minimal PDF: ("R"|"B", size, x, y, text) writes Helvetica (Bold), ("rule", x, y, w, h) fills a rectangle."""
    objects: list[bytes] = [b"", b""]  # catalog and page tree, filled in below
    regular = len(objects) + 1
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
    kids = []
    for items in pages:
        ops = []
        for kind, *args in items:
            if kind == "rule":
                ops.append("{} {} {} {} re f".format(*args))
            else:
                size, x, y, text = args
                escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
                ops.append(f"BT /{'F2' if kind == 'B' else 'F1'} {size} Tf {x} {y} Td ({escaped}) Tj ET")
        stream = "\n".join(ops).encode("latin-1")
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R /F2 %d 0 R >> >> >>" % (len(objects), regular, regular + 1)
        )
        kids.append(b"%d 0 R" % len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    trailer = b"<< /Size %d /Root 1 0 R" % (len(objects) + 1)
    if encrypted:
        # A standard security handler whose password nobody knows.
        objects.append(b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -44 >>" % (b"ab" * 32, b"cd" * 32))
        trailer = b"<< /Size %d /Root 1 0 R /Encrypt %d 0 R /ID [<%s> <%s>]" % (
            len(objects) + 1,
            len(objects),
            b"00" * 16,
            b"00" * 16,
        )
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n%s >>\nstartxref\n%d\n%%%%EOF\n" % (trailer, xref)
    return bytes(out)


def _furniture(page: int, pages: int, title: str) -> list[tuple]:
    """Browser print header (date, title) and footer (URL, page n/N)."""
    return [
        ("R", 8, 27, 770, "6/4/23, 5:51 PM"),
        ("R", 8, 294, 770, title),
        ("R", 8, 27, 17, "https://app.delvetool.com/transcripts/1/print"),
        ("R", 8, 568, 17, f"{page}/{pages}"),
    ]


@pytest.fixture
def built_print(tmp_path: Path) -> Path:
    """Two pages in Delve's typography, titled only in the header, with the awkward cases."""
    first = _furniture(1, 2, "2023-06-04-Interview 7- Mouna.txt") + [
        ("R", 14, 45, 720, "All right."),
        ("B", 14, 45, 678, "interviewr"),
        ("R", 14, 45, 659, "Hello world again and a state-of-the-"),
        ("R", 14, 45, 659 - PITCH, "art pipeline that breaks."),
        ("rule", 45, 655.5, 32, 1.5),  # underlines "Hello" only
        # A chip row that wraps onto a second row.
        ("R", 10.5, 51, 609, "Model-Evaluation-issues [ME]"),
        ("R", 10.5, 240, 609, "Q2.1"),
        ("R", 10.5, 51, 591, "Issues with performance alerts"),
        ("R", 14, 45, 561, "A second paragraph without a speaker line."),
        ("B", 14, 45, 300, "Interviewer2 2"),
        ("R", 14, 45, 281, "First part of the answer"),
        ("R", 14, 45, 281 - 2 * PITCH, "after a blank line."),
        ("B", 14, 45, 200, "Interviewee1"),
        ("R", 14, 45, 181, "This paragraph runs over"),
        ("rule", 45, 177.5, 200, 1.5),
    ]
    second = _furniture(2, 2, "2023-06-04-Interview 7- Mouna.txt") + [
        ("R", 14, 45, 720, "the page break."),
        ("R", 10.5, 51, 693, "Misc"),
        ("B", 14, 45, 663, "INTERVIEWER 3"),
        ("R", 14, 45, 644, "Bye."),
        ("R", 14, 45, 400, "Created with the Delve Qualitative Analysis Tool (http://www.delvetool.com)"),
    ]
    path = tmp_path / "print.pdf"
    path.write_bytes(_pdf([first, second]))
    return path


def test_built_print_reads_like_delve_prints(built_print):
    [record] = parse_delve_pdf(built_print)
    assert (record.interview, record.coder) == ("Interview 7", "Mouna")  # from the header
    assert [(p.position, p.speaker, p.text, p.codes) for p in record.paragraphs] == [
        (0, "", "All right.", ()),
        (
            1,
            "Interviewer",
            "Hello world again and a state-of-the-art pipeline that breaks.",
            ("Model-Evaluation-issues [ME]", "Q2.1", "Issues with performance alerts"),
        ),
        (2, "Interviewer", "A second paragraph without a speaker line.", ()),
        (3, "Interviewer 2", "First part of the answer", ()),
        (4, "Interviewer 2", "after a blank line.", ()),
        (5, "Interviewee 1", "This paragraph runs over the page break.", ("Misc",)),
        (6, "Interviewer 3", "Bye.", ()),
    ]
    assert {c.quote for c in record.paragraphs[1].codings} == {"Hello"}
    assert record.paragraphs[5].codings[0].quote == "This paragraph runs over"


def test_print_without_any_title_is_named_after_its_file(tmp_path):
    path = tmp_path / "Interview 9 - Zoe.pdf"
    path.write_bytes(_pdf([[("B", 14, 45, 700, "Interviewee"), ("R", 14, 45, 681, "Fine.")]]))
    [record] = parse_delve_pdf(path)
    assert (record.interview, record.coder, record.coded) == ("Interview 9", "Zoe", False)
    assert [(p.speaker, p.text) for p in record.paragraphs] == [("Interviewee", "Fine.")]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "empty file"),
        (_pdf([[("B", 14, 45, 700, "Interviewee"), ("R", 14, 45, 681, "Fine.")]])[:300], "not a readable PDF"),
        (b"Interviewer 1: this is a text file\nInterviewee: renamed to .pdf\n", "not a readable PDF"),
        (_pdf([[("R", 14, 45, 681, "Secret.")]], encrypted=True), "encrypted PDF"),
        (_pdf([[("rule", 45, 400, 200, 100)]]), "no text layer"),
    ],
    ids=["empty", "truncated", "text-renamed", "encrypted", "image-only"],
)
def test_bad_input_raises_ingest_error_naming_the_file(tmp_path, content, problem):
    path = tmp_path / "Interview 1 - X.pdf"
    path.write_bytes(content)
    with pytest.raises(IngestError) as caught:
        parse_delve_pdf(path)
    assert caught.value.path == str(path) and str(path) in str(caught.value)
    assert problem in caught.value.problem


def test_truncated_reference_print_raises_ingest_error(tmp_path):
    data = fixture_path("delve-pdf", "codings", "2023-06-04-Interview 35 - PO.pdf").read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(IngestError, match="truncated.pdf: not a readable PDF"):
        parse_delve_pdf(path)
