"""PDF input: printed lines joined back into paragraphs, pages traced, bad files refused by name.

The PDFs here are written with fpdf2 in a core font (Helvetica), so no font file is needed; the
corpus PDFs (``corpus/pdf``, set with a Unicode font) are checked against their expected facts in
``test_corpus.py``.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from conftest import CORPUS
from fpdf import FPDF
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor.errors import EmptyInput, UnreadablePDF
from extractor.export import export_jsonl
from extractor.pdfread import read_pdf
from extractor.pipeline import ExtractOptions, extract_bytes
from extractor.reading import read_any

PDFS = sorted((CORPUS / "pdf").glob("*.pdf"))
TANFIELD = CORPUS / "pdf" / "02_tanfield_lodge_care_home.pdf"
PITCH = 5  # mm between the lines of a paragraph (about 14 points at 10 point type)


class _Writer:
    """A report laid out on A4 as print sets it: bold headings, wrapped paragraphs, gaps."""

    def __init__(self) -> None:
        self.pdf = FPDF(format="A4")
        self.pdf.set_margins(20, 20, 20)
        self.pdf.set_auto_page_break(True, margin=20)
        self.pdf.add_page()

    def heading(self, text: str) -> None:
        self.pdf.ln(2)
        self.pdf.set_font("helvetica", "B", 12)
        self.pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(1)

    def paragraph(self, text: str, gap: float = 2) -> None:
        self.pdf.set_font("helvetica", "", 10)
        self.pdf.multi_cell(0, PITCH, text, new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(gap)

    def item(self, text: str) -> None:
        self.pdf.set_font("helvetica", "", 10)
        self.pdf.set_x(24)
        self.pdf.multi_cell(0, PITCH, f"- {text}", new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(1)

    def lines(self, *texts: str) -> None:
        """Lines set one under the other with no gap, each as printed (an address, a table)."""
        self.pdf.set_font("helvetica", "", 10)
        for text in texts:
            self.pdf.cell(0, PITCH, text, new_x="LMARGIN", new_y="NEXT")

    def bytes(self) -> bytes:
        return bytes(self.pdf.output())


LONG = ("Staff completed risk assessments for each person when they moved into the home and reviewed "
        "them every month or sooner when needs changed, and the registered manager checked a sample "
        "of the reviews each week to make sure that actions were carried out and recorded in full.")


def _lines(data: bytes) -> list[str]:
    return read_pdf(data, source_id="t.pdf").text.split("\n")


def test_wrapped_paragraphs_join_while_headings_lists_and_address_lines_stay_apart() -> None:
    w = _Writer()
    w.lines("Tanfield Lodge", "31 Sandholme Lane", "Leeds", "LS13 2RW")
    w.heading("Is the service safe?")
    w.paragraph(LONG)
    w.item("Medicines were not always given at the times prescribed, and two people missed doses of "
           "their pain relief over the weekend before our visit.")
    w.item("Fire drills took place monthly.")
    w.paragraph("People told us they felt safe. " + LONG)
    lines = _lines(w.bytes())
    assert lines == ["Tanfield Lodge", "31 Sandholme Lane", "Leeds", "LS13 2RW", "Is the service safe?", LONG,
                     "- Medicines were not always given at the times prescribed, and two people missed doses "
                     "of their pain relief over the weekend before our visit.",
                     "- Fire drills took place monthly.", "People told us they felt safe. " + LONG]


def test_a_full_line_before_a_paragraph_gap_ends_its_paragraph() -> None:
    w = _Writer()
    # A paragraph whose one line runs to the margin, then the next after a gap.
    w.paragraph("The provider had systems to learn from incidents and shared the lessons with the staff team.")
    w.paragraph("Staff knew how to raise a concern.")
    assert _lines(w.bytes()) == ["The provider had systems to learn from incidents and shared the lessons with the "
                                 "staff team.", "Staff knew how to raise a concern."]


def test_table_rows_reaching_the_right_edge_across_a_gap_stay_apart() -> None:
    w = _Writer()
    w.paragraph(LONG)
    w.pdf.set_font("helvetica", "", 10)
    rows = [("Overall rating for this service", "Requires improvement"), ("Is the service safe?", "Good"),
            ("Is the service effective?", "Requires improvement"), ("Is the service caring?", "Good")]
    for label, rating in rows:  # a label at the left and its rating set flush right, one pitch apart
        w.pdf.cell(90, PITCH, label)
        w.pdf.cell(0, PITCH, rating, align="R", new_x="LMARGIN", new_y="NEXT")
    assert _lines(w.bytes()) == [LONG, *(f"{label} {rating}" for label, rating in rows)]


def test_a_hyphen_at_a_line_end_joins_without_a_space() -> None:
    w = _Writer()
    w.lines("The registered manager led the service well and the provider's oversight of the home was well-",
            "led and effective.")
    assert _lines(w.bytes()) == ["The registered manager led the service well and the provider's oversight of the "
                                 "home was well-led and effective."]


def _over_a_page_break(first: str, second: str) -> bytes:
    """Two printed lines of one size, the first at the foot of page 1, the second atop page 2."""
    w = _Writer()
    w.lines(first)
    w.pdf.add_page()
    w.lines(second)
    return w.bytes()


def test_a_sentence_going_on_over_a_page_break_joins_and_the_page_start_points_into_it() -> None:
    first = "Relatives told us the staff were kind and that they were always made welcome when they called in"
    doc = read_pdf(_over_a_page_break(first, "at any time of the day."), source_id="t.pdf")
    assert doc.text == first + " at any time of the day."
    assert doc.page_starts == (0, len(first) + 1)
    assert doc.text[doc.page_starts[1]:].startswith("at any time")


def test_a_sentence_ended_at_a_page_break_before_a_capital_starts_a_new_paragraph() -> None:
    first = "Relatives told us the staff were kind and that they were always made welcome when they called."
    doc = read_pdf(_over_a_page_break(first, "The home was clean."), source_id="t.pdf")
    assert doc.text.split("\n") == [first, "The home was clean."]
    assert doc.page_starts == (0, len(first) + 1)


class _Framed(FPDF):
    """Pages with a running header and a numbered footer in small type, as reports print them."""

    def header(self) -> None:
        if self.page_no() > 1:
            self.set_font("helvetica", "", 7)
            self.cell(0, 4, "Tanfield Lodge Inspection report", new_x="LMARGIN", new_y="NEXT")
            self.ln(2)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("helvetica", "", 7)
        self.cell(0, 4, f"Tanfield Lodge Inspection report 21 November 2018 {self.page_no()}", align="R")


def test_a_paragraph_joins_over_the_page_footer_and_header_which_follow_it() -> None:
    pdf = _Framed()
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    paragraphs = [f"{LONG} {LONG} Paragraph {i} ends here." for i in range(24)]
    for text in paragraphs:
        pdf.set_font("helvetica", "", 10)
        pdf.multi_cell(0, PITCH, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    data = bytes(pdf.output())
    doc = read_pdf(data, source_id="t.pdf")
    lines = doc.text.split("\n")
    pages = len(pdfium.PdfDocument(data))
    assert pages >= 3
    assert [line for line in lines if line.startswith("Staff")] == paragraphs  # every one whole
    furniture = [line for line in lines if line.startswith("Tanfield Lodge")]
    assert len(furniture) == 2 * pages - 1 and lines[-1] == f"Tanfield Lodge Inspection report 21 November 2018 {pages}"
    # Each page's start is where its first line of text is written, inside the paragraph run over.
    printed = pdfium.PdfDocument(data)
    for page, start in enumerate(doc.page_starts):
        first = next(line for line in printed[page].get_textpage().get_text_range().split("\r\n")
                     if line.strip() and not line.startswith("Tanfield Lodge"))
        assert doc.text.startswith(first.strip(), start)
    assert any(doc.text[start - 1] == " " for start in doc.page_starts[1:])  # a paragraph ran over a break


_WORDS = st.sampled_from("staff people care safe home records medicines team checked reviewed the and "
                         "with were their each month plans risk well-led audits".split())


@st.composite
def _blocks(draw: st.DrawFn) -> list[tuple[str, str]]:
    """Headings (a few capitalised words) and one-sentence paragraphs of up to 80 words."""
    blocks = []
    for kind in draw(st.lists(st.sampled_from(["heading", "paragraph"]), min_size=1, max_size=12)):
        words = draw(st.lists(_WORDS, min_size=1, max_size=5 if kind == "heading" else 80))
        text = " ".join(words)
        if kind == "heading":
            blocks.append((kind, text.title()))
        else:
            blocks.append((kind, text[0].upper() + text[1:] + "."))
    return blocks


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_blocks())
def test_any_headings_and_paragraphs_come_back_one_a_line(blocks: list[tuple[str, str]]) -> None:
    w = _Writer()
    for kind, text in blocks:
        w.heading(text) if kind == "heading" else w.paragraph(text)
    data = w.bytes()
    doc = read_pdf(data, source_id="t.pdf")
    assert doc.text.split("\n") == [text for _, text in blocks]
    assert len(doc.page_starts) == len(pdfium.PdfDocument(data))


def test_a_corpus_pdf_gives_the_record_of_its_text_twin_and_traces_pages() -> None:
    options = ExtractOptions(ner=False)
    record = extract_bytes(TANFIELD.read_bytes(), source_id=TANFIELD.name, options=options)
    twin = CORPUS / "inspection-text" / "01_tanfield_lodge_care_home.txt"
    text_record = extract_bytes(twin.read_bytes(), source_id=twin.name, options=options)
    assert record.source.media_type == "application/pdf" and record.source.encoding == "pdf"
    pages = len(pdfium.PdfDocument(TANFIELD.read_bytes()))
    assert record.source.page_starts is not None and len(record.source.page_starts) == pages > 1
    assert text_record.source.page_starts is None
    assert [(k.name.value, k.rating.value if k.rating else None) for k in record.key_questions] == \
        [(k.name.value, k.rating.value if k.rating else None) for k in text_record.key_questions]
    # The breach table is printed on the last page.
    breach = record.inspection.breaches[0]
    assert breach.regulation.span.start >= record.source.page_starts[-1]


def test_export_gives_the_page_count_and_each_sentences_page(tmp_path: Path) -> None:
    record = extract_bytes(TANFIELD.read_bytes(), source_id=TANFIELD.name, options=ExtractOptions(ner=False))
    records = tmp_path / "records.jsonl"
    records.write_text(record.model_dump_json() + "\n", encoding="utf-8")
    export_jsonl(records, tmp_path / "csv", "csv")
    reports = (tmp_path / "csv" / "reports.csv").read_text(encoding="utf-8").splitlines()
    header = reports[0].split(",")
    assert reports[1].split(",")[header.index("pdf_pages")] == str(len(record.source.page_starts))
    with (tmp_path / "csv" / "evidence_sentences.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {int(r["pdf_page"]) for r in rows} == set(range(1, len(record.source.page_starts) + 1))
    starts = record.source.page_starts
    for r in rows:
        page = int(r["pdf_page"])
        assert starts[page - 1] <= int(r["span_start"]) and (page == len(starts) or int(r["span_start"]) < starts[page])


def test_a_pdf_without_text_is_refused_with_a_hint_to_run_ocr() -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 120, 160, style="F")  # a scanned page is an image: no text at all
    with pytest.raises(EmptyInput, match=r"^scan.pdf: the PDF \(1 page\) has no text layer.*run OCR"):
        read_any(bytes(pdf.output()), source_id="scan.pdf")


def test_a_password_protected_or_damaged_pdf_is_refused_naming_why() -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=10)
    pdf.cell(0, 5, "Tanfield Lodge")
    pdf.set_encryption(owner_password="owner", user_password="user")
    with pytest.raises(UnreadablePDF, match=r"^locked.pdf: the PDF is protected by a password$"):
        read_any(bytes(pdf.output()), source_id="locked.pdf")
    half = TANFIELD.read_bytes()[:2000]
    with pytest.raises(UnreadablePDF, match=r"^cut.pdf: cannot read the PDF: damaged, or not a PDF \(PDFium: "):
        read_any(half, source_id="cut.pdf")


def test_a_batch_reads_pdfs_from_a_folder_and_lists_a_damaged_one(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.pdf").write_bytes(TANFIELD.read_bytes())
    (docs / "b.pdf").write_bytes(TANFIELD.read_bytes()[:2000])
    res = subprocess.run([sys.executable, "-m", "extractor.cli", "batch", str(docs), "-o", str(tmp_path / "out.jsonl"),
                          "--errors", str(tmp_path / "err.jsonl"), "--no-ner"], capture_output=True, text=True)
    assert "inputs: 2 = records: 1 + failures: 1 (balanced)" in res.stderr
    record = json.loads((tmp_path / "out.jsonl").read_text(encoding="utf-8"))
    assert record["source"]["path"].endswith("a.pdf") and record["location"]["name"]["value"] == "Tanfield Lodge"
    error = json.loads((tmp_path / "err.jsonl").read_text(encoding="utf-8"))
    assert error["path"].endswith("b.pdf") and error["error_type"] == "UnreadablePDF"


def test_every_corpus_pdf_has_a_text_twin_with_the_same_expected_facts() -> None:
    assert len(PDFS) >= 8
    twins = {p.read_text(encoding="utf-8") for folder in CORPUS.glob("*-text") for p in folder.glob("*.expected.json")}
    for pdf in PDFS:
        assert pdf.with_name(pdf.stem + ".expected.json").read_text(encoding="utf-8") in twins, pdf.name


def test_the_text_command_writes_the_text_the_spans_index_and_names_page_starts(tmp_path: Path) -> None:
    out = tmp_path / "tanfield.txt"
    res = subprocess.run([sys.executable, "-m", "extractor.cli", "text", str(TANFIELD), "-o", str(out)],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    options = ExtractOptions(ner=False)
    from_pdf = extract_bytes(TANFIELD.read_bytes(), source_id="r", options=options).model_dump(mode="json")
    from_text = extract_bytes(out.read_bytes(), source_id="r", options=options).model_dump(mode="json")
    assert from_pdf.pop("source")["page_starts"] is not None and from_text.pop("source")["page_starts"] is None
    assert from_text == from_pdf  # the same spans, values and warnings
    starts = ", ".join(str(s) for s in read_pdf(TANFIELD.read_bytes(), source_id="p").page_starts)
    assert res.stderr.strip() == f"{TANFIELD}: 5 PDF pages, starting at offsets {starts}"
    locked = tmp_path / "locked.pdf"
    pdf = FPDF()
    pdf.add_page()
    pdf.set_encryption(owner_password="owner", user_password="user")
    locked.write_bytes(bytes(pdf.output()))
    res = subprocess.run([sys.executable, "-m", "extractor.cli", "text", str(locked)], capture_output=True, text=True)
    assert res.returncode == 1 and res.stderr.strip() == f"Error: {locked}: the PDF is protected by a password"
