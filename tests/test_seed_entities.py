"""The seed through the whole pipeline (NER on): entities, abbreviations, values, categories."""

from __future__ import annotations

import pytest
from conftest import SEED, SEED_FACTS, load_json

from extractor.document import fold
from extractor.pipeline import ExtractOptions, extract_file

FACTS = load_json(SEED_FACTS)


@pytest.fixture(scope="module")
def record():
    return extract_file(SEED, options=ExtractOptions(ner=True))


def _sentences(record):
    for kq in record.key_questions:
        for para in [*kq.summary, *(p for st in kq.quality_statements for p in st.evidence)]:
            yield from para.sentences


def _entities(record):
    return [e for s in _sentences(record) for e in s.entities]


@pytest.mark.parametrize("label", ["ORG", "GPE"])
def test_named_entities(record, label: str) -> None:
    found = {fold(e.text) for e in _entities(record) if e.label == label}
    for text in FACTS["entities_expected_at_least"][label]:
        assert fold(text) in found, text


def test_dates_are_entities_or_typed_fields(record) -> None:
    found = {fold(e.text) for e in _entities(record) if e.label == "DATE"}
    found |= {record.assessment_date.value.printed, record.key_questions[0].date.value.printed}
    for text in FACTS["entities_expected_at_least"]["DATE"]:
        assert fold(text) in found, text


def test_percentages_and_fractions_are_normalised(record) -> None:
    values = {e.text: e.value for e in _entities(record)}
    for item in FACTS["entities_expected_at_least"]["PERCENT_OR_FRACTION"]:
        assert values[item["text"]] == pytest.approx(item["value"])


def test_acronyms_resolved(record) -> None:
    found = {a.short: fold(a.long) for a in record.abbreviations}
    for short, long in FACTS["entities_expected_at_least"]["ACRONYMS_RESOLVED"].items():
        assert found.get(short) == fold(long), short


def test_no_header_or_chrome_entities(record) -> None:
    texts = {e.text for e in _entities(record)}
    for bad in FACTS["not_entities"]:
        assert bad not in texts


def test_evidence_categories(record) -> None:
    sentences = list(_sentences(record))
    for example in FACTS["evidence_category_examples"]:
        match = [s for s in sentences if s.span.text.startswith(example["sentence_starts"])]
        assert len(match) == 1, example
        assert match[0].category == example["category"]
        assert match[0].category_cue


def test_record_says_ner_was_on(record) -> None:
    assert record.nlp.enabled and record.nlp.model


def test_no_ner_gives_records_without_entities() -> None:
    rec = extract_file(SEED, options=ExtractOptions(ner=False))
    assert rec.nlp.enabled is False
    assert _entities(rec) == []
