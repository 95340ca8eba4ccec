"""Every corpus document gives its hand-written expected facts, through the same code.

Each ``corpus/<family>-text/NN_name.txt`` has ``NN_name.expected.json`` written by reading the
page: SAF pages (saf), rating-era reports (inspection), local authority assessments (la),
essential standards reports (essential), star-rated reports (star) and GP inspection evidence
tables (evidence); ``corpus/pdf/NN_name.pdf``
are some of them set as PDFs (``tools/pdf/make.py``), with their text twin's expected facts. The
same pipeline runs on all of them, with nothing keyed to one document.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from conftest import CORPUS, SEED, iter_spans, load_json

from extractor.facts import compare, report_facts
from extractor.pipeline import ExtractOptions, extract_file
from extractor.reading import read_any
from models import Report

SAF_DOCS = sorted((CORPUS / "saf-text").glob("*.txt"))
INSPECTION_DOCS = sorted((CORPUS / "inspection-text").glob("*.txt"))
LA_DOCS = sorted((CORPUS / "la-text").glob("*.txt"))
ESSENTIAL_DOCS = sorted((CORPUS / "essential-text").glob("*.txt"))
STAR_DOCS = sorted((CORPUS / "star-text").glob("*.txt"))
EVIDENCE_DOCS = sorted((CORPUS / "evidence-text").glob("*.txt"))
PDF_DOCS = sorted((CORPUS / "pdf").glob("*.pdf"))
TEXT_DOCS = SAF_DOCS + INSPECTION_DOCS + LA_DOCS + ESSENTIAL_DOCS + STAR_DOCS + EVIDENCE_DOCS + PDF_DOCS
ALL_DOCS = [*TEXT_DOCS, SEED]


def _expected_path(doc: Path) -> Path:
    return doc.with_name(doc.stem + ".expected.json")


def test_corpus_has_enough_documents() -> None:
    assert len(SAF_DOCS) >= 12 and len(INSPECTION_DOCS) >= 7 and len(LA_DOCS) >= 9 and len(ESSENTIAL_DOCS) >= 8
    assert len(STAR_DOCS) >= 4 and len(EVIDENCE_DOCS) >= 3 and len(PDF_DOCS) >= 8
    assert all(_expected_path(d).exists() for d in TEXT_DOCS)


@pytest.mark.parametrize("doc", TEXT_DOCS, ids=lambda p: p.stem)
def test_document_matches_expected_facts(doc: Path) -> None:
    facts = report_facts(extract_file(doc, options=ExtractOptions(ner=False)))
    assert compare(facts, load_json(_expected_path(doc))) == []


@pytest.mark.parametrize("doc", ALL_DOCS, ids=lambda p: p.stem)
def test_every_span_points_at_its_text(doc: Path) -> None:
    record = extract_file(doc, options=ExtractOptions(ner=False))
    canonical = read_any(doc.read_bytes(), source_id=str(doc)).text
    spans = list(iter_spans(record.model_dump(mode="json")))
    assert len(spans) > 10
    for span in spans:
        assert 0 <= span["start"] <= span["end"] <= len(canonical)
        assert canonical[span["start"]:span["end"]] == span["text"]


@pytest.fixture(scope="module")
def schema() -> dict:
    return json.loads(json.dumps(Report.model_json_schema()))


@pytest.mark.parametrize("doc", ALL_DOCS, ids=lambda p: p.stem)
def test_schema_validates_every_record(doc: Path, schema: dict) -> None:
    record = extract_file(doc, options=ExtractOptions(ner=False)).model_dump(mode="json")
    jsonschema.Draft202012Validator(schema).validate(record)
