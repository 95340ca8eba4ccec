"""The seed (a real 2024 Well-led page) gives every fact a careful reader takes from it."""

from __future__ import annotations

from conftest import SEED, SEED_FACTS, load_json

from extractor.facts import compare, report_facts
from extractor.pipeline import ExtractOptions, extract_file


def _record():
    return extract_file(SEED, options=ExtractOptions(ner=False))


def test_seed_location_date_and_key_questions_match_the_facts_file() -> None:
    expected = load_json(SEED_FACTS)
    facts = report_facts(_record())
    wanted = {k: expected[k] for k in ("location", "assessment_date", "key_questions")}
    assert compare(facts, wanted) == []


def test_seed_has_no_warnings() -> None:
    assert _record().warnings == []


def test_seed_carried_over_statement_cites_the_sentence_that_says_so() -> None:
    record = _record()
    w6 = next(s for s in record.key_questions[0].quality_statements if s.id == "W6")
    assert w6.basis.value == "previous rating"
    assert w6.basis.span is not None
    assert w6.basis.span.text.startswith("The score for this quality statement is based on the previous")


def test_seed_score_check_is_consistent_with_printed_score_and_rating() -> None:
    kq = _record().key_questions[0]
    check = kq.computed_from_statements
    assert (check.sum, check.max, check.percent, check.consistent) == (21, 28, 75.0, True)
    assert kq.score_percent.value == 75 and kq.rating.value == "Good"


def test_seed_values_point_at_their_text() -> None:
    record = _record()
    text = SEED.read_text(encoding="utf-8")
    loc = record.location
    for field in (loc.name, loc.provider, loc.overall_rating, loc.address.postcode,
                  record.assessment_date):
        assert text[field.span.start:field.span.end] == field.span.text
    assert loc.phone.span.text == "(01293) 534043"
    assert record.assessment_date.span.text == "13 February 2024"
