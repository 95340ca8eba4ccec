"""Acceptance on the seed report: the facts a careful reader takes from it (facts.json)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor.document import fold
from extractor.nlp import annotate, load_pipeline
from extractor.nlp.annotate import NlpResult
from extractor.textread import read_text

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_055984bc2d9da33b.txt"
FACTS = json.loads((ROOT / "seeds" / "000_055984bc2d9da33b.facts.json").read_text(encoding="utf-8"))
NAMES = ["Medical Imaging Partnership", "Medical Imaging Partnership Limited"]


def _evidence(text: str) -> list[tuple[int, str]]:
    """What the pipeline feeds: summary and evidence paragraphs after the key question's date."""
    doc = read_text(text, source_id="seed")
    start = next(b.end for b in doc.blocks if b.text == "10 October 2024")
    return [(b.start, b.text) for b in doc.blocks
            if b.kind == "paragraph" and b.start > start and len(b.text) >= 60]


@pytest.fixture(scope="module")
def seed_text() -> str:
    return read_text(SEED.read_text(encoding="utf-8"), source_id="seed").text


@pytest.fixture(scope="module")
def evidence_result(seed_text: str) -> NlpResult:
    return annotate(_evidence(seed_text), nlp=load_pipeline(), names=NAMES)


@pytest.fixture(scope="module")
def whole_result(seed_text: str) -> NlpResult:
    """The whole page, headers and address included, as a careless caller would pass it."""
    return annotate([(0, seed_text)], nlp=load_pipeline(), names=NAMES)


def _has(result: NlpResult, label: str, text: str) -> bool:
    return any(e.label == label and fold(e.text) == fold(text) for e in result.entities)


@pytest.mark.parametrize("label", ["ORG", "GPE"])
def test_expected_entities(evidence_result: NlpResult, label: str) -> None:
    for text in FACTS["entities_expected_at_least"][label]:
        assert _has(evidence_result, label, text), text


def test_expected_dates(evidence_result: NlpResult, whole_result: NlpResult) -> None:
    for text in FACTS["entities_expected_at_least"]["DATE"]:
        # The two header dates are found when the header is passed; the rest are in the evidence.
        assert _has(evidence_result, "DATE", text) or _has(whole_result, "DATE", text), text
    by_text = {e.text: e.normalised for e in whole_result.entities if e.label == "DATE"}
    assert by_text["13 February 2024"] == "2024-02-13"
    assert by_text["10 October 2024"] == "2024-10-10"
    assert by_text["2023"] == "2023"
    assert by_text["April 2024"] == "2024-04"
    assert by_text["between 2017-2020"] == "2017-01-01/2020-12-31"
    assert by_text["the first quarter of the financial year 2024"] == "2024-04-01/2024-06-30"


def test_percent_and_fraction(evidence_result: NlpResult) -> None:
    quantities = {q.span.text: q.value for t in evidence_result.texts for q in t.quantities}
    for fact in FACTS["entities_expected_at_least"]["PERCENT_OR_FRACTION"]:
        assert quantities[fact["text"]] == pytest.approx(fact["value"])
    values = {e.text: e.value for e in evidence_result.entities}
    assert values["eighty-eight percent"] == pytest.approx(0.88)
    assert values["Three-quarters"] == pytest.approx(0.75)


def test_acronyms_resolved(evidence_result: NlpResult) -> None:
    found = {a.short: fold(a.long) for a in evidence_result.abbreviations}
    for short, long in FACTS["entities_expected_at_least"]["ACRONYMS_RESOLVED"].items():
        assert found.get(short) == fold(long), short


def test_initials_of_the_name_are_the_organisation(evidence_result: NlpResult) -> None:
    mip = [e for e in evidence_result.entities if e.text == "MIP"]
    assert len(mip) == 6
    assert {(e.label, e.normalised) for e in mip} == {("ORG", "Medical Imaging Partnership")}


@pytest.mark.parametrize("which", ["evidence", "whole"])
def test_not_entities(evidence_result: NlpResult, whole_result: NlpResult, which: str) -> None:
    result = evidence_result if which == "evidence" else whole_result
    emitted = {e.text for e in result.entities}
    for bad in FACTS["not_entities"]:
        assert bad not in emitted
        assert not any(bad in text for text in emitted), bad
    assert not any("\n" in t or "\u2022" in t for t in emitted)
    assert "MSK" not in emitted  # short for musculo-skeletal, no organisation


def test_evidence_category_examples(evidence_result: NlpResult) -> None:
    sentences = [s for t in evidence_result.texts for s in t.sentences]
    for example in FACTS["evidence_category_examples"]:
        matching = [s for s in sentences if s.span.text.startswith(example["sentence_starts"])]
        assert matching, example
        assert all(s.category == example["category"] for s in matching), (example, matching)
        assert all(s.category_cue for s in matching)


def test_every_span_indexes_the_canonical_text(seed_text: str, evidence_result: NlpResult,
                                               whole_result: NlpResult) -> None:
    for result in (evidence_result, whole_result):
        for t in result.texts:
            spans = [s.span for s in t.sentences] + [e.span for e in t.entities]
            spans += [q.span for q in t.quantities] + [d.span for d in t.dates]
            for span in spans:
                assert seed_text[span.start:span.end] == span.text
            for e in t.entities:
                assert seed_text[e.span.start:e.span.end] == e.text
        for a in result.abbreviations:
            assert seed_text[a.span.start:a.span.end] == a.span.text
            if a.definition_span:
                assert seed_text[a.definition_span.start:a.definition_span.end] == a.definition_span.text
