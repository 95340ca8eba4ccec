"""Reading a PDF file into a :class:`Document`: its text layer, with each paragraph on one line.

A PDF holds no paragraphs, only placed glyphs. PDFium (through ``pypdfium2``) gives the text of
each page in reading order, one line per printed line, and where each character sits. The
readers downstream expect what CQC's own text extracts give: a paragraph, heading or list item
per line. So the printed lines of one paragraph are joined again, with one space, when all of
these hold:

* the upper line runs to the right edge of the text (within a fifth of the column's width), so
  the text went on to the next line for want of room, not because the paragraph ended; and its
  characters fill it as text does (a table row that reaches the edge only because a gap puts its
  last cell there, "Is the service safe? ... Good", is no paragraph);
* both lines are set in the same font size and weight (a heading never joins its body text);
* the lower line sits one line pitch below, not further (a paragraph gap ends a paragraph);
  the pitch is the least distance between a full line and the next of that size in the
  document, at most one and a half times the size;
* the lower line does not start with a list bullet, nor further left than the upper line (a
  paragraph after a list item starts left of the item's text).

A line ending in a hyphen right after a letter ("well-" / "led") is joined without a space.
PDFium mostly makes that join itself and marks the hyphen, which is given back as the printed
"-" (a compound such as "well-led" is far likelier in a report than a word broken to fit).

Across a page break no pitch tells, so the next page's first line joins a full last line on the
same terms bar the pitch, unless the last line ends a sentence and the next starts with a
capital: then a new paragraph is as likely as not, and starting one keeps every sentence whole
either way. Page headers and footers, in smaller type above or below all of a page's other
lines, are written after the paragraph that runs over the page break, so that it joins over
them; they never join anything themselves.

The canonical text is these lines joined by ``\\n``, each canonicalised as for a text file
(:func:`extractor.document.canonicalise`); :attr:`Document.page_starts` says where each page's
text starts in it, so a span can be traced to its printed page (a header or footer written
after a paragraph run over counts on the next page). A PDF without a text layer (scanned
pages) is refused with a hint to run OCR first; one PDFium cannot open is refused naming why.
"""

from __future__ import annotations

import ctypes
import hashlib
import threading
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator

from extractor.document import Document, canonicalise
from extractor.errors import EmptyInput, UnreadablePDF
from extractor.textread import BULLET_LINE, SENTENCE_ENDS, split_blocks

if TYPE_CHECKING:
    from pypdfium2 import PdfTextPage

__all__ = ["looks_like_pdf", "read_pdf"]

# PDFium is not thread-safe: one document at a time per process (threads of a Dask worker).
_PDFIUM = threading.Lock()
# PDFium joins a line that ends in a hyphen to the next itself, giving the hyphen as one of these.
_LINE_END_HYPHENS = str.maketrans({"\ufffe": "-", "\u0002": "-"})
_FULL_LINE = 0.2  # a line whose right end is within this share of the column's width is full
_PITCH_SLACK = 1.2  # a lower line at most this many usual pitches down continues the paragraph
_DEFAULT_LEADING = 1.5  # with no usual pitch known: the pitch as a multiple of the font size
_BOLD = 600  # a font weight from which a line counts as bold
# Paragraph text averages about half an em a character; a line spread wider than this per
# character holds a gap (a table row: a label at the left, its rating at the right edge).
_SPREAD = 0.75


@dataclass(frozen=True)
class _Line:
    text: str
    left: float
    right: float
    baseline: float  # PDF units, growing upwards
    size: float  # font size of the first character, rounded to a tenth of a point
    bold: bool


def looks_like_pdf(data: bytes) -> bool:
    """A PDF file: its header (``%PDF-``) within the first 1,024 bytes, as the format allows."""
    return b"%PDF-" in data[:1024]


def read_pdf(data: bytes, *, source_id: str, path: str | None = None, url: str | None = None) -> Document:
    """Read the bytes of a PDF file into a :class:`Document` (see the module docstring).

    Raises:
        UnreadablePDF: PDFium cannot open the file (damaged, or protected by a password).
        EmptyInput: no page has text (a scan without a text layer).
    """
    pages = _page_lines(data, source_id)
    text, starts = _layout(pages)
    if not text.strip():
        raise EmptyInput(f"the PDF ({len(pages)} page{'s' if len(pages) != 1 else ''}) has no text layer, "
                         "as a scan has none: run OCR on it first and pass the text", source_id=source_id)
    return Document(
        text=text,
        blocks=split_blocks(text),
        source_id=source_id,
        media_type="application/pdf",
        encoding="pdf",
        raw_sha256=hashlib.sha256(data).hexdigest(),
        path=path,
        url=url,
        page_starts=starts,
    )


def _page_lines(data: bytes, source_id: str) -> list[list[_Line]]:
    """Each page's printed lines, with their place, size and weight."""
    import pypdfium2 as pdfium

    with _PDFIUM:
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            reason = str(exc)
            if "password" in reason.lower():
                message = "the PDF is protected by a password"
            else:  # "Failed to load document (PDFium: Data format error)."
                detail = reason[reason.find("(") + 1:reason.rfind(")")] if "(" in reason else reason
                message = f"cannot read the PDF: damaged, or not a PDF ({detail})"
            raise UnreadablePDF(message, source_id=source_id) from exc
        pages: list[list[_Line]] = []
        try:
            for index in range(len(pdf)):
                page = pdf[index]
                textpage = page.get_textpage()
                try:
                    pages.append(list(_lines(textpage)))
                finally:
                    textpage.close()
                    page.close()
        except pdfium.PdfiumError as exc:
            raise UnreadablePDF(f"cannot read page {len(pages) + 1} of the PDF ({exc})", source_id=source_id) from exc
        finally:
            pdf.close()
        return pages


def _lines(textpage: PdfTextPage) -> Iterator[_Line]:
    """The printed lines of one page, in PDFium's reading order, blank ones left out."""
    import pypdfium2.raw as raw

    count = textpage.count_chars()
    text = textpage.get_text_range()
    handle = textpage.raw
    if len(text) != count:  # a character beyond one UTF-16 unit: read them one by one (it is lost)
        codes = (raw.FPDFText_GetUnicode(handle, i) for i in range(count))
        text = "".join("\ufffd" if 0xD800 <= code < 0xE000 else chr(code) for code in codes)
    x, y = ctypes.c_double(), ctypes.c_double()
    left, bottom = ctypes.c_double(), ctypes.c_double()
    right, top = ctypes.c_double(), ctypes.c_double()
    pos = 0
    for line in text.split("\r\n"):  # PDFium ends each printed line so
        start, pos = pos, pos + len(line) + 2
        content = line.strip()
        if not content:
            continue
        first = start + len(line) - len(line.lstrip())
        last = start + len(line.rstrip()) - 1
        raw.FPDFText_GetCharOrigin(handle, first, ctypes.byref(x), ctypes.byref(y))
        raw.FPDFText_GetCharBox(handle, first, ctypes.byref(left), ctypes.byref(right),
                                ctypes.byref(bottom), ctypes.byref(top))
        line_left = left.value
        raw.FPDFText_GetCharBox(handle, last, ctypes.byref(left), ctypes.byref(right),
                                ctypes.byref(bottom), ctypes.byref(top))
        yield _Line(
            text=content.translate(_LINE_END_HYPHENS),
            left=line_left,
            right=right.value,
            baseline=y.value,
            size=round(raw.FPDFText_GetFontSize(handle, first), 1),
            bold=raw.FPDFText_GetFontWeight(handle, first) >= _BOLD,
        )


class _Text:
    """The canonical text as it is written: lines joined by ``\n``, the last one open to joins."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.length = 0  # of "\n".join(self.lines)

    def add(self, text: str) -> int:
        """Start a line; returns where its text starts."""
        self.length += len(text) + (1 if self.lines else 0)
        self.lines.append(text)
        return self.length - len(text)

    def join(self, text: str) -> int:
        """Join ``text`` to the last line; returns where it starts."""
        joined = _join(self.lines[-1], text)
        self.length += len(joined) - len(self.lines[-1])
        self.lines[-1] = joined
        return self.length - len(text)


def _layout(pages: list[list[_Line]]) -> tuple[str, tuple[int, ...]]:
    """The canonical text of the pages' lines, paragraphs joined again, and where each page starts.

    Page headers and footers (smaller type above or below all of a page's text) are written where
    the paragraph running over the page break ends, so that it can join over them."""
    every = [line for lines in pages for line in lines]
    full = _full_from(every)
    pitches = _usual_pitches(pages, full)
    body_size = _body_size(every)
    out = _Text()
    starts: list[int] = []
    upper: _Line | None = None  # the last line of text written (never a header or footer)
    waiting: list[_Line] = []  # headers and footers to write before the next paragraph
    for lines in pages:
        head, body, foot = _furniture(lines, body_size)
        waiting += head
        starts.append(out.length + 1 if out.lines else 0)
        for k, line in enumerate(body):
            text = canonicalise(line.text)
            if upper is not None and _continues(upper, line, full, pitches, page_break=k == 0):
                at = out.join(text)
            else:
                for furniture in waiting:
                    out.add(canonicalise(furniture.text))
                waiting = []
                at = out.add(text)
            if k == 0:
                starts[-1] = at
            upper = line
        waiting += foot
    for furniture in waiting:
        out.add(canonicalise(furniture.text))
    return "\n".join(out.lines), tuple(min(start, out.length) for start in starts)


def _body_size(lines: list[_Line]) -> float:
    """The font size most of the text is set in."""
    chars: defaultdict[float, int] = defaultdict(int)
    for line in lines:
        chars[line.size] += len(line.text)
    return max(chars, key=lambda size: (chars[size], size)) if chars else 0.0


def _furniture(lines: list[_Line], body_size: float) -> tuple[list[_Line], list[_Line], list[_Line]]:
    """A page's header lines, its text, and its footer lines: headers and footers are in smaller
    type than the body and stand above or below every other line of the page."""
    small = [line.size < body_size - 0.5 for line in lines]
    text = [line.baseline for line, is_small in zip(lines, small) if not is_small]
    if not text:
        return [], lines, []
    top, bottom = max(text), min(text)
    head = [line for line, is_small in zip(lines, small) if is_small and line.baseline > top]
    foot = [line for line, is_small in zip(lines, small) if is_small and line.baseline < bottom]
    body = [line for line, is_small in zip(lines, small) if not is_small or bottom <= line.baseline <= top]
    return head, body, foot


def _usual_pitches(pages: list[list[_Line]], full: float) -> dict[tuple[float, bool], float]:
    """The baseline distance inside a paragraph, per font size and weight: the least distance
    below a full line to the next line of that size and weight on its page, at most
    ``_DEFAULT_LEADING`` times the size (so that headings, each a paragraph of its own, never set
    the pitch by the space between them)."""
    found: defaultdict[tuple[float, bool], list[float]] = defaultdict(list)
    for lines in pages:
        for upper, lower in zip(lines, lines[1:]):
            drop = upper.baseline - lower.baseline
            if upper.right >= full and _same_style(upper, lower) and drop > upper.size / 2:
                found[upper.size, upper.bold].append(drop)
    return {style: min(min(drops), _DEFAULT_LEADING * style[0]) for style, drops in found.items()}


def _full_from(lines: list[_Line]) -> float:
    """Where a line counts as running to the right edge of the text (of all pages)."""
    if not lines:
        return 0.0
    left = min(line.left for line in lines)
    right = max(line.right for line in lines)
    return right - _FULL_LINE * (right - left)


def _same_style(upper: _Line, lower: _Line) -> bool:
    return abs(upper.size - lower.size) < 0.5 and upper.bold == lower.bold


def _continues(upper: _Line, lower: _Line, full: float, pitches: dict[tuple[float, bool], float], *,
               page_break: bool) -> bool:
    if upper.right < full or not _same_style(upper, lower) or BULLET_LINE.match(lower.text) is not None:
        return False
    if upper.right - upper.left > _SPREAD * upper.size * len(upper.text):  # a row with a gap in it
        return False
    if lower.left < upper.left - upper.size / 2:  # out from under a list item's text
        return False
    if page_break:  # no pitch to go by: a sentence going on, or a word that cannot start one
        return not (upper.text.endswith(SENTENCE_ENDS) and lower.text[0].isupper())
    pitch = pitches.get((upper.size, upper.bold), _DEFAULT_LEADING * upper.size)
    drop = upper.baseline - lower.baseline
    return upper.size / 2 < drop <= pitch * _PITCH_SLACK


def _join(text: str, more: str) -> str:
    if text.endswith("-") and text[-2:-1].isalpha():
        return text + more
    return f"{text} {more}"
