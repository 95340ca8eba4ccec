"""Texts whose report lines run together, a printed page a line (as some sites transcribe a
report's PDF): the lines are set apart again, offsets kept, and the report reads as its twin."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import pytest
from conftest import CORPUS, iter_spans
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.corpus_eval import count_facts
from extractor.facts import compare, report_facts
from extractor.pipeline import ExtractOptions, extract_bytes
from extractor.reading import read_any
from extractor.runtogether import reline
from extractor.synth import pages

ROOT = Path(__file__).resolve().parent.parent
_FOOTER = re.compile(r".+\b(?:Quality Report|Inspection report)\s+\S.*\d{4}(?:\s+\d{1,3})?\s*$", re.I)


def run_together(text: str, per_page: int = 30) -> str:
    """The text as such a site gives it: each page's lines joined by a space, the page's number
    first, pages apart. A page ends at a running footer, or after ``per_page`` lines."""
    found: list[list[str]] = [[]]
    for line in text.split("\n"):
        if line.strip():
            found[-1].append(line.strip())
            if _FOOTER.match(line) or len(found[-1]) >= per_page:
                found.append([])
    return "\n\n".join(f"{k} " + " ".join(page) for k, page in enumerate((p for p in found if p), 1)) + "\n"


@lru_cache(maxsize=1)
def _reports() -> list[Path]:
    """The corpus's reports of the families published as PDFs: rating-era reports (not their web
    pages), essential standards reports (both layouts) and star-rated reports."""
    rating_era = [path for path in sorted((CORPUS / "inspection-text").glob("*.txt"))
                  if extract_bytes(path.read_bytes(), source_id=path.name,
                                   options=ExtractOptions(nlp=False)).document_kind == "inspection_report"]
    return rating_era + sorted((CORPUS / "essential-text").glob("*.txt")) + sorted((CORPUS / "star-text").glob("*.txt"))


def test_texts_of_a_line_a_paragraph_are_left_as_they_are() -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*-text/*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    texts += [p.text for p in pages(3, 120)]
    assert len(texts) > 150
    assert [i for i, t in enumerate(texts) if reline(t) != t] == []


@pytest.mark.parametrize("path", _reports()[:3] + _reports()[-3:], ids=lambda p: p.stem)
def test_offsets_stay_and_only_white_space_becomes_line_breaks(path: Path) -> None:
    text = run_together(path.read_text(encoding="utf-8"))
    out = reline(text)
    assert out != text and len(out) == len(text)
    assert all(a == b or (a in " \t" and b == "\n") for a, b in zip(text, out))


def test_a_report_run_together_gives_its_twins_facts() -> None:
    # Each report of the corpus's PDF families, run together, against its own expected facts:
    # a name run into its address without a house number cannot be parted, and rating grids'
    # tables lose their rows, so not every fact comes back; the rest must.
    total = got = 0
    for path in _reports():
        expected = json.loads(path.with_name(path.stem + ".expected.json").read_text())
        twin = extract_bytes(path.read_bytes(), source_id=path.name, options=ExtractOptions(nlp=False))
        text = run_together(path.read_text(encoding="utf-8"))
        r = extract_bytes(text.encode(), source_id=path.name, options=ExtractOptions(nlp=False))
        assert r.document_kind == twin.document_kind, path.name
        facts = report_facts(r)
        # The key facts of every report come back whole.
        for key in ("visit_dates", "publication_date"):
            assert facts["inspection"][key] == expected["inspection"][key], (path.name, key)
        assert facts["location"]["overall_rating"] == expected["location"]["overall_rating"], path.name
        assert [(k["name"], k["rating"]) for k in facts["key_questions"]] == \
            [(k["name"], k["rating"]) for k in expected["key_questions"]], path.name
        if expected["location"]["address"]:
            assert facts["location"]["address"]["postcode"] == expected["location"]["address"]["postcode"], path.name
        n = count_facts(expected)
        total += n
        got += n - len(compare(facts, expected))
        canonical = read_any(text.encode(), source_id=path.name).text  # what the spans index
        assert all(canonical[s["start"]:s["end"]] == s["text"] for s in iter_spans(r.model_dump(mode="json")))
    assert len(_reports()) >= 30 and got / total >= 0.98, (got, total)


def test_a_transcribed_trust_report_cover_is_read() -> None:
    text = ("1 Fellbrook Hospitals NHS Foundation Trust Quality Report Brook Lane, Fellbrook, Kent. ME14 5DX Tel: "
            "Website: Date of inspection visit: 3, 4, 5 March 2015 Date of publication: 12/06/2015 This report "
            "describes our judgement of the quality of care at this trust. Ratings Overall rating for this trust "
            "Requires improvement Are services at this trust safe? Requires improvement Are services at this trust "
            "effective? Good Are services at this trust caring? Good Are services at this trust responsive? Good "
            "Are services at this trust well-led? Requires improvement 1 Fellbrook Hospitals NHS Foundation Trust "
            "Quality Report 12/06/2015\n\n2 Letter from the Chief Inspector of Hospitals We inspected the trust "
            "in March 2015. Overall, we rated the trust as requires improvement. We rated it good for having "
            "caring and effective services. Staff told us they were proud of the care they gave.\n")
    r = extract_bytes(text.encode(), source_id="fellbrook.txt", options=ExtractOptions(ner=False))
    ins = r.inspection
    assert r.location.name.value == "Fellbrook Hospitals NHS Foundation Trust"
    assert r.location.address.postcode.value == "ME14 5DX"
    assert [d.value.iso for d in ins.visit_dates] == ["2015-03-03", "2015-03-04", "2015-03-05"]
    assert ins.publication_date.value.iso == "2015-06-12"
    assert r.location.overall_rating.value == "Requires improvement"
    assert [(k.name.value, k.rating.value) for k in r.key_questions] == [
        ("Safe", "Requires improvement"), ("Effective", "Good"), ("Caring", "Good"), ("Responsive", "Good"),
        ("Well-led", "Requires improvement")]
    # The running footer and the page numbers are not prose; the letter is the summary.
    assert [p.span.text[:12] for p in ins.summary] == ["We inspected"]
    assert [(s.key_question.value if s.key_question else None, s.rating.value) for s in ins.rating_statements] == [
        (None, "Requires improvement"), ("Caring", "Good"), ("Effective", "Good")]
    assert r.warnings == []


def test_a_cover_run_together_in_a_text_of_a_paragraph_a_line_is_read() -> None:
    # A transcription that keeps paragraphs but runs the cover's lines into one.
    text = ("Harbourside Transport Ltd Kestrel Base Quality Report\n\n"
            "Unit 4, Harbour Way, Bridlington, East Yorkshire, YO16 4XY Tel: 01262 496 012 Date of inspection "
            "visit: 12 & 19th June 2017 Website: www.harbourside.example Date of publication: 14/09/2017\n\n"
            "This report describes our judgement of the quality of care at this provider.\n\n"
            "Letter from the Chief Inspector of Hospitals\n\n"
            "Kestrel Base is operated by Harbourside Transport Ltd. The service provides patient transport "
            "services. We regulate independent ambulance services but we do not currently have a legal duty "
            "to rate them. Staff told us they felt supported by their managers.\n")
    r = extract_bytes(text.encode(), source_id="kestrel.txt", options=ExtractOptions(ner=False))
    ins = r.inspection
    assert (r.location.provider.value, r.location.name.value) == ("Harbourside Transport Ltd", "Kestrel Base")
    assert (r.location.address.postcode.value, r.location.phone.e164) == ("YO16 4XY", "+441262496012")
    assert [(d.value.iso, d.span.text) for d in ins.visit_dates] == [("2017-06-12", "12"), ("2017-06-19", "19th June 2017")]
    assert ins.publication_date.value.iso == "2017-09-14"
    assert [p.span.text[:11] for p in ins.summary] == ["Kestrel Bas"]
    # With the cover a label a line, as CQC's own extracts print it, the text is left alone.
    apart = text.replace(" Tel:", "\nTel:").replace(" Date of", "\nDate of").replace(" Website:", "\nWebsite:")
    assert reline(apart) == apart


@pytest.mark.parametrize("name", ["02_dr_priya_ramaswamy", "03_saltmarsh_medical_centre"])
def test_an_evidence_table_run_together_gives_its_facts(name: str) -> None:
    # A GP inspection evidence table as a site gives it: "... from abuse. Safeguarding Y/N/Partial
    # There was a lead member of staff ... procedures. Yes Safeguarding systems ...".
    path = CORPUS / "evidence-text" / f"{name}.txt"
    text = run_together(path.read_text(encoding="utf-8"), per_page=200)
    assert text.count("\n\n") == 0  # one page, one line
    r = extract_bytes(text.encode(), source_id=path.name, options=ExtractOptions(ner=False))
    expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    assert compare(report_facts(r), expected) == []


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=600),
                min_size=1, max_size=6))
def test_any_text_keeps_its_length_and_characters_but_white_space(parts: list[str]) -> None:
    text = "\n".join(parts)
    out = reline(text)
    assert len(out) == len(text)
    assert all(a == b or (a in " \t" and b == "\n") for a, b in zip(text, out))
