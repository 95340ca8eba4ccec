"""Integrity of the NLP data files and of the labelled set built from its markup.

The data files are loaded through validating models, so these tests check what validation cannot:
that every listed term is found by the built pipeline with its label, and that the committed
JSONL is exactly what the markup builds.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.errors import TaxonomyError
from extractor.nlp.data import (
    CategoryRules,
    EntityRules,
    category_rules,
    data_text,
    entity_rules,
    parse_data,
    text_words,
    value_words,
)
from extractor.nlp.labelled import build, load_jsonl, parse_markup
from extractor.nlp.model import load_pipeline

ROOT = Path(__file__).resolve().parent.parent
LABELLED = ROOT / "corpus" / "labelled"


def test_all_data_files_load() -> None:
    assert entity_rules().version == "cqc_rules.v2"
    assert len(category_rules().cues) >= 6
    assert value_words().months["april"] == 4
    assert "e.g" in text_words().sentence_abbreviations


def test_unknown_key_is_an_error() -> None:
    text = data_text("nlp_categories.yaml") + "\nunexpected_key: 1\n"
    with pytest.raises(TaxonomyError, match="nlp_categories.yaml is invalid: unexpected_key"):
        parse_data(CategoryRules, text, "nlp_categories.yaml")


def test_yaml_booleans_are_caught() -> None:
    # YAML 1.1 reads a bare "no" as false: the loader must refuse it rather than lose the word.
    text = data_text("nlp_entities.yaml").replace("  - people\n", "  - no\n", 1)
    with pytest.raises(TaxonomyError, match="never_entities"):
        parse_data(EntityRules, text, "nlp_entities.yaml")


def test_bad_regex_is_an_error() -> None:
    text = data_text("nlp_entities.yaml").replace(
        "    pattern: '\\bIR\\(ME\\)R\\b'", "    pattern: '\\bIR(ME'", 1)
    with pytest.raises(TaxonomyError, match="does not compile"):
        parse_data(EntityRules, text, "nlp_entities.yaml")


def test_unknown_evidence_category_is_an_error() -> None:
    text = data_text("nlp_categories.yaml")
    text = text.replace('category: "People\'s experience"', "category: Hearsay", 1)
    with pytest.raises(TaxonomyError, match="unknown evidence category"):
        parse_data(CategoryRules, text, "nlp_categories.yaml")


@pytest.mark.parametrize(
    "rule", [r for r in entity_rules().phrases], ids=lambda r: r.id
)
def test_every_phrase_term_is_found_with_its_label(rule) -> None:  # type: ignore[no-untyped-def]
    nlp = load_pipeline()
    for term in rule.terms:
        doc = nlp(f"We spoke about {term} during the assessment.")
        found = [(e.text, e.label_) for e in doc.ents]
        assert (term, rule.label) in found, (term, found)


def test_labelled_jsonl_is_built_from_the_markup() -> None:
    assert (LABELLED / "sentences.jsonl").read_text(encoding="utf-8") == build(LABELLED)


def test_labelled_set_size_and_labels() -> None:
    docs = load_jsonl(LABELLED / "sentences.jsonl")
    sentences = [s for d in docs for s in d.sentences]
    assert len(sentences) >= 150
    assert {d.split for d in docs} == {"dev", "test"}
    labels = {e["label"] for s in sentences for e in s.entities}
    assert {"ORG", "GPE", "DATE", "PERSON", "PERCENT", "CARDINAL", "ROLE", "REGULATION", "POLICY"} <= labels
    for s in sentences:
        for e in s.entities:
            assert s.text[e["start"]:e["end"]].strip() == s.text[e["start"]:e["end"]]


def test_seed_sentences_are_verbatim() -> None:
    seed = (ROOT / "seeds" / "000_055984bc2d9da33b.txt").read_text(encoding="utf-8")
    docs = parse_markup((LABELLED / "source" / "00_seed.txt").read_text(encoding="utf-8"))
    assert all(s.text in seed for s in docs[0].sentences)


def test_markup_errors_name_the_line() -> None:
    from extractor.errors import InputError

    with pytest.raises(InputError, match="<markup>:2: unknown label 'ORGG'"):
        parse_markup("## doc: x\nPE | People told [CQC](ORGG) so.\n")
    with pytest.raises(InputError, match="<markup>:2: expected 'CODE | sentence'"):
        parse_markup("## doc: x\nXX | People told us.\n")


def test_a_document_can_name_its_report_family() -> None:
    [doc] = parse_markup("## doc: westmere | names: Westmere County Council | split: test | family: local_authority\n"
                         "SF | Social workers said caseloads were manageable.\n")
    assert (doc.split, doc.family) == ("test", "local_authority")
    families = {d.id: d.family for d in load_jsonl(LABELLED / "sentences.jsonl")}
    assert families["westmere-council"] == families["la-assessment"] == "local_authority"
    assert families["willow-house"] is None
