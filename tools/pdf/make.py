"""Write the PDF corpus (corpus/pdf/) from text samples of the other corpus folders.

Each text is set on A4 pages the way published reports set theirs: headings in a larger bold
face, paragraphs wrapped to the column with space between them, list items indented, and (in
some report layouts) a small footer on every page naming the location, "Inspection report", the
publication date and the page number (texts that carry their own footers keep them as lines). Layouts vary: left-aligned or justified text, different
margins and sizes. A paragraph may run over a page break, as in print.

Some saved cqc.org.uk pages (``corpus/saf-html``) are printed to PDF by headless Chromium, as a
user's "Save as PDF" does: the site's cookie notice, menu and breadcrumb come first, the address
stands a line a part, and rating badges that are only images leave no text (so only pages whose
facts all survive printing are kept).

The expected facts are the text twin's, copied: a PDF must give the same facts as the text it
was set from. Run from the repository root: ``python tools/pdf/make.py`` (``--no-print``: leave the printed
pages as they are). It needs fpdf2 and the
DejaVu Sans fonts (Debian: fonts-dejavu-core), and Chromium for the printed pages. The output is committed; the tests read the PDF
files, not this script.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from fpdf import FPDF

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from extractor.textread import BULLET_LINE, line_kind  # noqa: E402

OUT = ROOT / "corpus" / "pdf"
FONTS = Path("/usr/share/fonts/truetype/dejavu")
_MADE = datetime(2025, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Layout:
    body: float = 10  # font size of paragraphs and list items, points
    heading: float = 12  # font size of headings
    margin: float = 20  # page margins, mm
    align: str = "L"  # "L" left-aligned, "J" justified
    footer: str | None = None  # footer text before the page number, from the second page on
    gap: float = 2  # space after a paragraph, mm


SAMPLES = [
    ("corpus/saf-text/01_brackenridge_nursing_safe.txt", "01_brackenridge_nursing_safe", Layout()),
    ("corpus/inspection-text/01_tanfield_lodge_care_home.txt", "02_tanfield_lodge_care_home",
     Layout(align="J", footer="Tanfield Lodge Inspection report 21 November 2018")),
    ("corpus/inspection-text/03_kingsmere_surgery_gp.txt", "03_kingsmere_surgery_gp",
     Layout(body=9.5, heading=11, margin=18)),
    ("corpus/inspection-text/12_hallamvale_general_hospital.txt", "04_hallamvale_general_hospital",
     Layout(body=9, heading=11, margin=15, footer="Hallamvale General Hospital Inspection report 12 June 2019")),
    ("corpus/inspection-text/19_harrowgate_road_dental.txt", "05_harrowgate_road_dental",
     Layout(align="J", footer="Harrowgate Road Dental Practice Inspection Report 21/11/2018")),
    ("corpus/essential-text/06_pendleview_review_compliant.txt", "06_pendleview_review_of_compliance",
     Layout(body=11, heading=12, margin=25)),
    ("corpus/star-text/01_larkhill_house_care_home.txt", "07_larkhill_house_star_rated",
     Layout(body=10, heading=11, margin=22)),
    ("corpus/saf-text/18_kittiwake_dental_well_led_propagation.txt", "08_kittiwake_dental_well_led",
     Layout(body=10.5, heading=13)),
    ("corpus/evidence-text/02_dr_priya_ramaswamy.txt", "13_dr_priya_ramaswamy_evidence_table",
     Layout(body=9.5, heading=11, margin=18)),
]

PRINTED = [
    ("corpus/saf-html/04_meadowsweet_hospice_responsive.html", "09_meadowsweet_hospice_printed"),
    ("corpus/saf-html/07_calderbrook_maternity_safe.html", "10_calderbrook_maternity_printed"),
    ("corpus/saf-html/10_thrushgill_lodge_all_inspections.html", "11_thrushgill_lodge_printed"),
    ("corpus/saf-html/18_kittiwake_dental_well_led_propagation.html", "12_kittiwake_dental_printed"),
]


class _Pages(FPDF):
    def __init__(self, layout: Layout) -> None:
        super().__init__(format="A4")
        self.layout = layout

    def footer(self) -> None:
        if self.layout.footer and self.page_no() > 1:
            self.set_y(-12)
            self.set_font("body", "", 7.5)
            self.cell(0, 4, f"{self.layout.footer} {self.page_no()}", align="R")


def write(text: str, layout: Layout) -> bytes:
    """The text as a PDF laid out by ``layout``."""
    pdf = _Pages(layout)
    pdf.set_creation_date(_MADE)  # the same bytes on every run
    pdf.set_margins(layout.margin, layout.margin, layout.margin)
    pdf.set_auto_page_break(True, margin=layout.margin)
    pdf.add_font("body", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("body", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.add_page()
    pitch = layout.body * 0.5  # mm: about 1.4 times the size
    for line in text.split("\n"):
        content = line.strip()
        if not content:
            continue
        if BULLET_LINE.match(line):
            pdf.set_font("body", "", layout.body)
            pdf.set_x(layout.margin + (8 if line[0] in " \t" else 4))
            pdf.multi_cell(0, pitch, content, align=layout.align, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        elif line_kind(content) == "heading":
            pdf.ln(layout.gap)
            pdf.set_font("body", "B", layout.heading)
            pdf.multi_cell(0, layout.heading * 0.5, content, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        else:
            pdf.set_font("body", "", layout.body)
            pdf.multi_cell(0, pitch, content, align=layout.align, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(layout.gap)
    return bytes(pdf.output())


def print_page(html: Path) -> bytes:
    """The saved page printed to PDF by headless Chromium, without its date and address lines."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "page.pdf"
        subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                        f"--print-to-pdf={out}", html.resolve().as_uri()], check=True, capture_output=True)
        return out.read_bytes()


def _twin_expected(stem: str) -> Path:
    """The expected facts of the text sample a corpus file was made from."""
    (found,) = ROOT.glob(f"corpus/*-text/{stem}.expected.json")
    return found


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for source, name, layout in SAMPLES:
        path = ROOT / source
        (OUT / f"{name}.pdf").write_bytes(write(path.read_text(encoding="utf-8"), layout))
        shutil.copyfile(_twin_expected(path.stem), OUT / f"{name}.expected.json")
        print(f"{name}.pdf <- {source}")
    for source, name in PRINTED if "--no-print" not in sys.argv else []:
        path = ROOT / source
        (OUT / f"{name}.pdf").write_bytes(print_page(path))
        shutil.copyfile(_twin_expected(path.stem), OUT / f"{name}.expected.json")
        print(f"{name}.pdf <- {source} (printed)")


if __name__ == "__main__":
    main()
