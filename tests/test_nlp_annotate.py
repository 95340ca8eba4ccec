"""The NLP stage's entry point on realistic evidence: offsets, records, options, redaction."""

from __future__ import annotations

import pytest

from extractor.errors import InputError
from extractor.nlp import annotate, load_pipeline, redact_people, redact_result
from models.record import Paragraph

# A small canonical text with a header the pipeline would not pass, and two evidence paragraphs.
HEADER = "Willow House\n\nSafe\n\nGood\n\n"
P1 = ("People told us they felt safe at Willow House. The registered manager, Mrs Helen Carter, told us "
      "4 new care workers had started since January 2024. Regulation 12(2)(g) was met.")
P2 = ("We observed staff supporting people with kindness. Ninety-two percent of people had gained weight "
      "over the past 6 months. Kent County Council told us the home worked closely with the ICB.")
CANONICAL = HEADER + P1 + "\n\n" + P2
TEXTS = [(len(HEADER), P1), (len(HEADER) + len(P1) + 2, P2)]
NAMES = ["Willow House", "Willow Care Homes Limited"]


@pytest.fixture(scope="module")
def result():  # type: ignore[no-untyped-def]
    return annotate(TEXTS, nlp=load_pipeline(), names=NAMES)


def test_spans_index_the_canonical_text(result) -> None:  # type: ignore[no-untyped-def]
    assert len(result.texts) == 2
    for t in result.texts:
        assert CANONICAL[t.span.start:t.span.end] == t.text
        for s in t.sentences:
            assert CANONICAL[s.span.start:s.span.end] == s.span.text
            for e in s.entities:
                assert CANONICAL[e.span.start:e.span.end] == e.text == e.span.text


def test_entities_labels_and_values(result) -> None:  # type: ignore[no-untyped-def]
    got = {(e.label, e.text) for e in result.entities}
    assert {("ORG", "Willow House"), ("ROLE", "registered manager"), ("PERSON", "Helen Carter"),
            ("CARDINAL", "4"), ("DATE", "January 2024"), ("REGULATION", "Regulation 12(2)(g)"),
            ("PERCENT", "Ninety-two percent"), ("DATE", "the past 6 months"),
            ("ORG", "Kent County Council"), ("ORG", "ICB")} <= got
    by_text = {e.text: e for e in result.entities}
    assert by_text["Ninety-two percent"].value == pytest.approx(0.92)
    assert by_text["January 2024"].normalised == "2024-01"
    assert by_text["ICB"].normalised == "integrated care board"
    assert by_text["Willow House"].rule == "rule:location_name"
    assert by_text["Helen Carter"].rule == "ner:PERSON"


def test_sentences_carry_categories_and_their_own_values(result) -> None:  # type: ignore[no-untyped-def]
    sentences = [s for t in result.texts for s in t.sentences]
    # "Regulation 12(2)(g) was met." is a regulatory finding: Processes, as the labelled set's
    # "This was a breach of Regulation 17".
    assert [s.category for s in sentences] == [
        "People's experience", "Feedback from staff and leaders", "Processes",
        "Observation", "Outcomes", "Feedback from partners"]
    second = sentences[1]
    assert [q.span.text for q in second.quantities] == ["4 new care workers"]
    assert [(d.start, d.end, d.granularity) for d in second.dates] == [("2024-01-01", "2024-01-31", "month")]
    paragraph = result.texts[0].paragraph()
    assert isinstance(paragraph, Paragraph)
    assert Paragraph.model_validate(paragraph.model_dump()) == paragraph


def test_model_info(result) -> None:  # type: ignore[no-untyped-def]
    assert result.info.enabled is True
    assert result.info.model and result.info.model.startswith("en_core_web_sm")
    assert result.info.model_version


def test_given_sentence_spans_are_used() -> None:
    offset = TEXTS[0][0]
    whole = [(offset, offset + len(P1))]
    r = annotate(TEXTS[:1], nlp=load_pipeline(), names=NAMES, sentences=[whole])
    assert [s.span.text for s in r.texts[0].sentences] == [P1]


def test_sentence_spans_outside_the_text_are_refused() -> None:
    with pytest.raises(InputError, match="lies outside the text"):
        annotate(TEXTS[:1], nlp=None, sentences=[[(0, 5)]])
    with pytest.raises(InputError, match="sentence lists for"):
        annotate(TEXTS, nlp=None, sentences=[[]])
    with pytest.raises(InputError, match=r"\(offset, text\) pairs"):
        annotate([P1], nlp=None)  # type: ignore[list-item]


def test_ner_off_keeps_rule_based_values() -> None:
    r = annotate(TEXTS, nlp=None, names=NAMES)
    assert r.info.enabled is False and r.info.model is None
    assert r.entities == []
    assert [q.value for t in r.texts for q in t.quantities if q.kind == "percent"] == [pytest.approx(0.92)]
    assert [s.category for t in r.texts for s in t.sentences][0] == "People's experience"


def test_rules_override_wrong_model_entities() -> None:
    nlp = load_pipeline()
    doc = nlp("The provider had a good relationship with their Integrated Care Board "
              "and Partnerships were good.")
    assert [(e.text, e.label_) for e in doc.ents] == [("Integrated Care Board", "ORG")]
    doc = nlp("Staff were nice to people, and followed NICE guidance.")
    assert [(e.text, e.label_) for e in doc.ents] == [("NICE", "ORG")]


def test_ner_alone_has_no_rule_layer() -> None:
    nlp = load_pipeline(rules=False)
    r = annotate(TEXTS, nlp=nlp, names=NAMES)
    assert all(e.rule.startswith("ner:") for e in r.entities)
    assert not any(e.label in ("ROLE", "REGULATION", "POLICY") for e in r.entities)


def test_redact_people_keeps_length_and_spans(result) -> None:  # type: ignore[no-untyped-def]
    spans = result.person_spans()
    assert [CANONICAL[s:e] for s, e in spans] == ["Helen Carter"]
    masked = redact_people(CANONICAL, spans)
    assert len(masked) == len(CANONICAL)
    assert "Helen" not in masked and "Carter" not in masked
    assert masked.replace("\u2588", "") != CANONICAL
    assert masked[spans[0][0]:spans[0][1]] == "\u2588" * 5 + " " + "\u2588" * 6
    red = redact_result(result, masked)
    assert red.info.redacted_people is True
    for t in red.texts:
        for s in t.sentences:
            assert masked[s.span.start:s.span.end] == s.span.text
            for e in s.entities:
                assert masked[e.span.start:e.span.end] == e.text
    assert not any("Helen" in s.span.text for t in red.texts for s in t.sentences)


def test_redact_people_refuses_bad_input() -> None:
    with pytest.raises(InputError, match="outside the text"):
        redact_people("short", [(2, 10)])
    with pytest.raises(InputError, match="one character"):
        redact_people("short", [(0, 2)], mask="**")


def test_names_become_organisations_and_give_initials() -> None:
    canonical = ("Medical Imaging Partnership\n\n"
                 "MIP had renewed its accreditation. The home office was tidy at Home.")
    evidence = canonical[29:]
    r = annotate([(29, evidence)], nlp=load_pipeline(),
                 names=[(0, "Medical Imaging Partnership"), "Home"])
    (mip,) = r.abbreviations
    assert (mip.short, mip.long) == ("MIP", "Medical Imaging Partnership")
    assert mip.rule == "rule:abbreviation.name_initials"
    assert mip.definition_span is not None
    assert canonical[mip.definition_span.start:mip.definition_span.end] == "Medical Imaging Partnership"
    orgs = [(e.text, e.rule) for e in r.entities if e.label == "ORG"]
    # A one-word name keeps its capital: "home office" is not the location called "Home".
    assert orgs == [("MIP", "rule:abbreviation"), ("Home", "rule:location_name")]
