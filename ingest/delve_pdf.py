"""Delve's "print" export of one coded transcript, saved as PDF.

Coders often keep only the browser print of a Delve transcript, so the print
has to be read back into paragraphs, speakers and codes. The print carries no
structure, only typography, and everything is told apart by it (sizes in pt
as measured on the reference study):

- every page has a small (8) header with the print date and the transcript
  title, and a footer with the URL and "page n/N", both in the page margins;
- the title (24) stands at the top of page 1, e.g. "Interview 35 - PO";
- each paragraph is preceded by its speaker line, bold at body size (14);
  paragraphs run on over page breaks without repeating the speaker line;
- a coded paragraph is followed by its codes as chips (10.5); chips on one
  row are separated by a wide gap (about 2.4 em), the words of one chip by a
  normal space, and a long row wraps onto further rows;
- the coded span is underlined by a thin filled path under the text;
- "Created with the Delve Qualitative Analysis Tool" ends the last page.

Thresholds are ratios of the body font size (the size most characters have),
so a print at another zoom or paper size reads the same.

Speed: pdfium's text page already lays the characters out in lines, and its
text comes in one call per page, as in bare text extraction. The parser then
asks pdfium about one character per line (size, weight, origin), measures
characters only around the spaces of chip rows, and reads path objects only
on pages holding coded paragraphs: asking about every character would make
parsing about five times slower than extracting the text. Pages are held as
raw pdfium handles because the helper objects' bookkeeping alone costs a
noticeable share of that budget.
"""

from __future__ import annotations

import ctypes
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ingest.formats import SourceFormat
from ingest.naming import speaker_role
from ingest.records import Coding, IngestError, Paragraph, TranscriptRecord
from ingest.source import DEFAULT_LIMITS, ReadLimits, read_source, single_transcript

__all__ = ["FORMAT", "parse_delve_pdf", "recognises", "SOURCE_FORMAT"]

FORMAT = "delve-pdf"

# Ratios of the body font size unless said otherwise.
_TITLE_MIN = 1.3  # the title (24) is far larger than body text (14)
_SMALL_MAX = 0.9  # chips (10.5) and header/footer (8) are clearly smaller than body text
_MARGIN_BAND = 0.06  # share of the page height, top and bottom, that holds only header and footer
_BOLD_RATIO = 1.25  # speaker lines are heavier than body text (font weights 380 vs 225)
_CHIP_GAP = 1.0  # in chip em: a space inside a chip is ~0.3 em, the gap between chips ~2.4 em
_PARAGRAPH_GAP = 1.6  # in usual line pitches: a larger step between text lines is a blank line
_UNDERLINE_MAX = 0.25  # underlines are thin (1.5 pt); chip backgrounds are a line high
_UNDERLINE_DROP = 0.5  # an underline lies at most this far below its line's baseline
_UNDERLINE_JOIN = 0.3  # underline pieces closer than this belong to one span
_UNDERLINE_INSET = 0.1  # underlined text is read a little inside the ends, not from the neighbours

# One line's text without its leading and trailing blanks (pdfium ends lines with \r\n).
_LINE = re.compile(r"\S(?:[^\r\n]*\S)?")
_SPACES = re.compile(r"\s+")
_DELVE_FOOTER = re.compile(r"^created with (the )?delve", re.IGNORECASE)

_PDFIUM_PROBLEMS = {
    pdfium_c.FPDF_ERR_PASSWORD: "encrypted PDF: it needs a password; print the transcript again without protection",
    pdfium_c.FPDF_ERR_SECURITY: "encrypted PDF with an unsupported security handler",
    pdfium_c.FPDF_ERR_FORMAT: "not a readable PDF (damaged, truncated or not a PDF at all)",
    pdfium_c.FPDF_ERR_FILE: "PDF cannot be read",
}


def parse_delve_pdf(
    path: str | Path, *, coder: str | None = None, consensus: bool = False, limits: ReadLimits = DEFAULT_LIMITS
) -> list[TranscriptRecord]:
    """Parse one Delve print (PDF) into a single :class:`TranscriptRecord`.

    ``coder`` overrides the coder named in the title; a print without codes
    is still returned (its paragraphs are evidence) and reads as uncoded.
    """
    data = read_source(path, limits)
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise IngestError(str(path), _PDFIUM_PROBLEMS.get(exc.err_code, f"PDF cannot be opened ({exc})")) from None
    reader = _Print(pdf)
    try:
        title, paragraphs = reader.read()
    except _Unreadable as exc:
        raise IngestError(str(path), str(exc)) from None
    finally:
        reader.close()
        pdf.close()
    return single_transcript(
        path, data, title=title or Path(path).stem, fmt=FORMAT, paragraphs=paragraphs, coder=coder, consensus=consensus
    )


class _Unreadable(Exception):
    """The PDF opened but a page is damaged or nothing in it is a Delve print."""


@dataclass(slots=True)
class _Line:
    """One line as pdfium laid it out, described by its first character."""

    page: int
    first: int  # char index of the first non-blank character
    last: int  # char index of the last non-blank character
    text: str
    size: float  # rounded to 0.1 pt so that sizes can be counted
    weight: int
    left: float  # origin of the first character
    baseline: float
    in_margin: bool


@dataclass
class _Para:
    speaker: str
    lines: list[_Line] = field(default_factory=list)
    codes: dict[str, None] = field(default_factory=dict)  # an ordered set: many chips stay linear


class _Print:
    """One open print: its pages and what has been learnt about its typography."""

    def __init__(self, pdf: pdfium.PdfDocument) -> None:
        self.pdf = pdf
        self.pages: list = []  # raw FPDF_PAGE handles, closed by close()
        self.textpages: list = []  # raw FPDF_TEXTPAGE handles, closed by close()
        self.texts: list[str] = []  # each page's text, one position per char index
        self.heights: list[float] = []
        self.body_size = 0.0
        self.body_weight = 0
        self._underlines: dict[int, list[tuple[float, float, float]]] = {}
        self._left, self._right = ctypes.c_double(), ctypes.c_double()
        self._bottom, self._top = ctypes.c_double(), ctypes.c_double()

    def close(self) -> None:
        for textpage in self.textpages:
            pdfium_c.FPDFText_ClosePage(textpage)
        for page in self.pages:
            pdfium_c.FPDF_ClosePage(page)
        self.textpages.clear()
        self.pages.clear()

    def read(self) -> tuple[str, list[Paragraph]]:
        """The title ("" if the print has none) and the paragraphs in reading order."""
        lines = self._lines()
        if not lines:
            raise _Unreadable("PDF has no text layer (a scan or an image-only print?)")
        self._learn_typography(lines)
        title, paragraphs = self._paragraphs(lines)
        if not paragraphs:
            raise _Unreadable("no transcript paragraphs found: not a Delve print")
        return title, [self._paragraph(i, p) for i, p in enumerate(paragraphs)]

    # -- reading lines ------------------------------------------------------

    def _lines(self) -> list[_Line]:
        lines: list[_Line] = []
        x, y = ctypes.c_double(), ctypes.c_double()
        size_of, weight_of, origin_of = (
            pdfium_c.FPDFText_GetFontSize,
            pdfium_c.FPDFText_GetFontWeight,
            pdfium_c.FPDFText_GetCharOrigin,
        )
        for number in range(len(self.pdf)):
            page = pdfium_c.FPDF_LoadPage(self.pdf.raw, number)
            if not page:
                raise _Unreadable(f"damaged PDF: page {number + 1} cannot be read")
            self.pages.append(page)
            textpage = pdfium_c.FPDFText_LoadPage(page)
            if not textpage:
                raise _Unreadable(f"damaged PDF: the text of page {number + 1} cannot be read")
            self.textpages.append(textpage)
            height = pdfium_c.FPDF_GetPageHeightF(page)
            self.heights.append(height)
            low, high = height * _MARGIN_BAND, height * (1 - _MARGIN_BAND)
            text = _page_text(textpage)
            self.texts.append(text)
            page_lines = []
            for match in _LINE.finditer(text):
                first = match.start()
                origin_of(textpage, first, x, y)
                page_lines.append(
                    _Line(
                        number,
                        first,
                        match.end() - 1,
                        match.group(),
                        round(size_of(textpage, first), 1),
                        weight_of(textpage, first),
                        x.value,
                        y.value,
                        not low <= y.value <= high,
                    )
                )
            # Reading order is top to bottom; the content stream is not always
            # (Delve's closing line comes before the last page's text).
            page_lines.sort(key=lambda line: -line.baseline)
            lines.extend(page_lines)
        return lines

    def _learn_typography(self, lines: list[_Line]) -> None:
        """Body size: the size of most characters; body weight: their most common weight."""
        styles: Counter[tuple[float, int]] = Counter()
        for line in lines:
            styles[line.size, line.weight] += len(line.text)
        sizes: Counter[float] = Counter()
        for (size, _), count in styles.items():
            sizes[size] += count
        self.body_size = sizes.most_common(1)[0][0]
        self.body_weight = max((count, weight) for (size, weight), count in styles.items() if size == self.body_size)[1]

    def _kind(self, line: _Line) -> str:
        ratio = line.size / self.body_size
        if ratio < _SMALL_MAX:
            return "margin" if line.in_margin else "chips"
        if ratio >= _TITLE_MIN:
            return "title"
        if _DELVE_FOOTER.match(line.text):
            return "end"
        if self._bold(line.page, line.first, line.weight) and self._bold(line.page, line.last):
            return "speaker"
        return "text"

    def _bold(self, page: int, index: int, weight: int | None = None) -> bool:
        textpage = self.textpages[page]
        if weight is None:
            weight = pdfium_c.FPDFText_GetFontWeight(textpage, index)
        if weight > 0 and self.body_weight > 0:
            return weight >= self.body_weight * _BOLD_RATIO
        # No weight in the font (standard fonts, some writers): trust the name.
        name = ctypes.create_string_buffer(128)
        pdfium_c.FPDFText_GetFontInfo(textpage, index, name, len(name), None)
        return b"bold" in name.value.lower()

    # -- paragraphs ---------------------------------------------------------

    def _paragraphs(self, lines: list[_Line]) -> tuple[str, list[_Para]]:
        title_lines: list[str] = []
        header: _Line | None = None
        paragraphs: list[_Para] = []
        speaker = ""
        previous: tuple[str, _Line] | None = None  # kind and line of the last content line
        pitch = self._line_pitch(lines)
        for line in lines:
            kind = self._kind(line)
            if kind == "end":
                break
            if kind == "margin":
                if header is None and line.page == 0 and line.baseline > self.heights[0] / 2:
                    header = line
                continue
            if kind == "title" and not paragraphs and line.page == 0:
                title_lines.append(line.text)
                continue
            if kind == "speaker":
                speaker = speaker_role(line.text) or line.text
            elif kind == "chips":
                # Codes belong to the paragraph they follow; a wrapped row adds to it.
                if paragraphs:
                    paragraphs[-1].codes.update(dict.fromkeys(self._pieces(line)))
            elif self._continues(previous, line, pitch):
                paragraphs[-1].lines.append(line)
            else:
                paragraphs.append(_Para(speaker, [line]))
            previous = (kind, line)
        # Without the big title, the header's last part (after the date) is the title.
        title = " ".join(title_lines) or (self._pieces(header)[-1] if header else "")
        return title, paragraphs

    @staticmethod
    def _continues(previous: tuple[str, _Line] | None, line: _Line, pitch: float) -> bool:
        """Whether a text line goes on with the paragraph of the line before it."""
        if previous is None or previous[0] != "text":
            return False
        before = previous[1]
        if before.page != line.page:
            return True  # a paragraph cut by a page break
        return before.baseline - line.baseline <= pitch * _PARAGRAPH_GAP

    def _line_pitch(self, lines: list[_Line]) -> float:
        """The usual baseline step between two lines of one paragraph."""
        steps: Counter[float] = Counter()
        for before, after in zip(lines, lines[1:]):
            if before.page == after.page and before.size == after.size == self.body_size:
                steps[round(before.baseline - after.baseline, 1)] += 1
        # A print of single-line paragraphs has no step to learn from: assume a usual line height.
        return steps.most_common(1)[0][0] if steps else self.body_size * 1.2

    def _pieces(self, line: _Line) -> list[str]:
        """Split one row into the pieces that wide gaps separate (chips, header parts).

        pdfium puts a space (its own, if the PDF has none) wherever glyphs
        are set apart, so only the characters around spaces are measured:
        the gap between them tells a chip boundary from a word space.
        """
        textpage, text = self.textpages[line.page], self.texts[line.page]
        box = pdfium_c.FPDFText_GetCharBox
        left, right, bottom, top = self._left, self._right, self._bottom, self._top
        gap = line.size * _CHIP_GAP
        pieces: list[str] = []
        start = line.first
        for space in _SPACES.finditer(text, line.first, line.last + 1):
            box(textpage, space.start() - 1, left, right, bottom, top)
            before = right.value
            box(textpage, space.end(), left, right, bottom, top)
            if left.value - before > gap:
                pieces.append(text[start : space.start()])
                start = space.end()
        pieces.append(text[start : line.last + 1])
        return [" ".join(piece.split()) for piece in pieces]

    # -- text and underlines ------------------------------------------------

    def _paragraph(self, position: int, para: _Para) -> Paragraph:
        text = _join_lines([line.text for line in para.lines])
        quote = self._underlined(para) if para.codes else None
        if quote == text:
            quote = None  # the whole paragraph carries the codes
        return Paragraph(
            position=position,
            speaker=para.speaker,
            text=text,
            codings=tuple(Coding(code=code, quote=quote) for code in para.codes),
        )

    def _underlined(self, para: _Para) -> str | None:
        """The underlined (coded) text of a paragraph; disjoint spans are joined by " … "."""
        spans: list[str] = []
        continuing = False  # the last span reached the end of its line
        for line in para.lines:
            em = line.size
            line_text = " ".join(line.text.split())
            pieces = [
                (x0, x1)
                for x0, x1, top in self._underline_segments(line.page)
                if line.baseline - em * _UNDERLINE_DROP <= top <= line.baseline
            ]
            for x0, x1 in pieces:
                if x0 <= line.left + em * _UNDERLINE_INSET and x1 >= self._right_end(line):
                    text = line_text  # the usual case, a whole line, needs no text lookup
                else:
                    text = self._bounded_text(
                        line.page,
                        x0 + em * _UNDERLINE_INSET,
                        line.baseline + em * _UNDERLINE_DROP,
                        x1 - em * _UNDERLINE_INSET,
                        line.baseline - em * _UNDERLINE_DROP,
                    )
                if not text:
                    continue
                if continuing and line_text.startswith(text):
                    spans[-1] = _join_lines([spans[-1], text])
                else:
                    spans.append(text)
                continuing = line_text.endswith(text)
            if not pieces:
                continuing = False
        return " … ".join(spans) or None

    def _right_end(self, line: _Line) -> float:
        """Where the ink of a line's last character ends."""
        pdfium_c.FPDFText_GetCharBox(self.textpages[line.page], line.last, self._left, self._right, self._bottom, self._top)
        return self._right.value

    def _bounded_text(self, page: int, left: float, top: float, right: float, bottom: float) -> str:
        """The whitespace-normalised text pdfium finds inside a rectangle of a page."""
        textpage = self.textpages[page]
        count = pdfium_c.FPDFText_GetBoundedText(textpage, left, top, right, bottom, None, 0)
        if count <= 0:
            return ""
        buffer = (ctypes.c_ushort * count)()
        pdfium_c.FPDFText_GetBoundedText(textpage, left, top, right, bottom, buffer, count)
        text = ctypes.string_at(buffer, count * 2).decode("utf-16-le", errors="replace")
        return " ".join(text.replace("\x00", " ").split())

    def _underline_segments(self, page: int) -> list[tuple[float, float, float]]:
        """Underlines on a page as (left, right, top), adjoining pieces merged (read once per page)."""
        if page in self._underlines:
            return self._underlines[page]
        handle = self.pages[page]
        get_object, type_of, bounds_of = (
            pdfium_c.FPDFPage_GetObject,
            pdfium_c.FPDFPageObj_GetType,
            pdfium_c.FPDFPageObj_GetBounds,
        )
        left, bottom, right, top = (ctypes.c_float() for _ in range(4))
        thin = self.body_size * _UNDERLINE_MAX
        found: list[tuple[float, float, float]] = []
        for index in range(pdfium_c.FPDFPage_CountObjects(handle)):
            obj = get_object(handle, index)
            if type_of(obj) != pdfium_c.FPDF_PAGEOBJ_PATH or not bounds_of(obj, left, bottom, right, top):
                continue
            if top.value - bottom.value <= thin < right.value - left.value:
                found.append((left.value, right.value, top.value))
        found.sort(key=lambda s: (-s[2], s[0]))
        merged: list[tuple[float, float, float]] = []
        for x0, x1, y in found:
            if merged and abs(merged[-1][2] - y) < thin and x0 - merged[-1][1] < self.body_size * _UNDERLINE_JOIN:
                merged[-1] = (merged[-1][0], max(x1, merged[-1][1]), merged[-1][2])
            else:
                merged.append((x0, x1, y))
        self._underlines[page] = merged
        return merged


def _page_text(textpage) -> str:
    """A page's text with one string position per pdfium character index."""
    count = pdfium_c.FPDFText_CountChars(textpage)
    if count <= 0:
        return ""
    # Room for every character as a surrogate pair: pdfium may write past
    # ``count`` units when its text view differs from its character list.
    buffer = (ctypes.c_ushort * (2 * count + 1))()
    written = pdfium_c.FPDFText_GetText(textpage, 0, count, buffer)
    text = ctypes.string_at(buffer, max(written - 1, 0) * 2).decode("utf-16-le", errors="replace")
    if len(text) != count:
        # The text view dropped or added characters (rare): rebuild it one
        # character at a time so that string offsets stay character indices.
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(textpage, i)) for i in range(count))
    # pdfium marks a hyphen ending a line as U+FFFE; it is a real hyphen here.
    return text.replace("\ufffe", "-")


def _join_lines(lines: list[str]) -> str:
    """Join wrapped lines: a space between them, none after a hyphen the wrap fell on.

    Browsers print without automatic hyphenation and wrap after the hyphen of
    a compound ("state-of-the-" / "art"), so that hyphen stays and no space
    is added; a soft hyphen (a word the browser did split) is dropped.
    """
    text = ""
    for line in lines:
        if not text:
            text = line
        elif text[-1] == "\u00ad":
            text = text[:-1] + line
        elif text[-1] == "-" and len(text) > 1 and text[-2].isalnum():
            text += line
        else:
            text += " " + line
    return " ".join(text.replace("\u00ad", "").split())


def recognises(path: Path, head: bytes, text: str) -> bool:
    """Any PDF: the PDF parser says when a PDF is not a Delve print."""
    return head.startswith(b"%PDF-")


SOURCE_FORMAT = SourceFormat(FORMAT, recognises, parse_delve_pdf)
