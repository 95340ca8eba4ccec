"""What reading a PDF costs: the corpus PDFs against their text twins, in one run on this machine.

Prints, best of ``--rounds`` rounds over ``corpus/pdf``: pages per second and milliseconds per page
of reading the PDFs into documents (PDFium's text layer, lines joined into paragraphs), and
documents per second of the whole rules-only extraction (``--no-ner``) from the PDFs and from the
text files they were set from, with the ratio of the two.

    python bench/pdf.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.nlp.bench import best_seconds  # noqa: E402
from extractor.pdfread import read_pdf  # noqa: E402
from extractor.pipeline import ExtractOptions, extract_bytes  # noqa: E402
from extractor.textread import read_text  # noqa: E402


def _twin(pdf: Path) -> Path:
    """The text a corpus PDF was set from: the text sample with the same expected facts."""
    expected = pdf.with_name(pdf.stem + ".expected.json").read_text(encoding="utf-8")
    for candidate in sorted((ROOT / "corpus").glob("*-text/*.expected.json")):
        if candidate.read_text(encoding="utf-8") == expected:
            return candidate.with_name(candidate.name.removesuffix(".expected.json") + ".txt")
    raise SystemExit(f"no text twin for {pdf}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    pdfs = sorted((ROOT / "corpus" / "pdf").glob("*.pdf"))
    pdf_bytes = [p.read_bytes() for p in pdfs]
    text_bytes = [_twin(p).read_bytes() for p in pdfs]
    pages = sum(len(read_pdf(b, source_id="p").page_starts) for b in pdf_bytes)
    rules = ExtractOptions(ner=False)

    read_pdfs = best_seconds(lambda: [read_pdf(b, source_id="p") for b in pdf_bytes], args.rounds)
    read_texts = best_seconds(lambda: [read_text(b, source_id="t") for b in text_bytes], args.rounds)
    from_pdfs = best_seconds(lambda: [extract_bytes(b, source_id="p", options=rules) for b in pdf_bytes], args.rounds)
    from_texts = best_seconds(lambda: [extract_bytes(b, source_id="t", options=rules) for b in text_bytes], args.rounds)

    n = len(pdfs)
    print(f"corpus/pdf: {n} PDFs, {pages} pages; best of {args.rounds} rounds")
    print(f"reading the PDFs            {pages / read_pdfs:8.0f} pages/s  {1000 * read_pdfs / pages:6.2f} ms/page")
    print(f"reading their text twins    {n / read_texts:8.0f} docs/s   {1000 * read_texts / n:6.2f} ms/doc")
    print(f"rules-only record from PDF  {n / from_pdfs:8.1f} docs/s   {1000 * from_pdfs / n:6.2f} ms/doc")
    print(f"rules-only record from text {n / from_texts:8.1f} docs/s   {1000 * from_texts / n:6.2f} ms/doc")
    print(f"PDF / text time             {from_pdfs / from_texts:8.2f} x")


if __name__ == "__main__":
    main()
