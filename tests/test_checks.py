"""Consistency checks and segmentation edge cases, on variants of the seed page."""

from __future__ import annotations

import pytest

from extractor.errors import NotACQCReport
from extractor.pipeline import ExtractOptions, extract_bytes

OPTS = ExtractOptions(ner=False)


def parse(text: str):
    return extract_bytes(text.encode("utf-8"), source_id="variant", options=OPTS)


@pytest.fixture()
def seed_text(seed_bytes: bytes) -> str:
    return seed_bytes.decode("utf-8")


def codes(record) -> list[str]:
    return sorted(w.code for w in record.warnings)


def test_printed_score_disagreeing_with_statements(seed_text: str) -> None:
    record = parse(seed_text.replace("scored 75 (out of 100)", "scored 82 (out of 100)"))
    assert codes(record) == ["kq_score_mismatch"]
    warning = record.warnings[0]
    assert warning.span.text == "82"


def test_rating_outside_its_band(seed_text: str) -> None:
    record = parse(seed_text.replace("Well-led\n\nGood\n", "Well-led\n\nOutstanding\n"))
    assert codes(record) == ["rating_band_mismatch"]


def test_impossible_date_is_flagged_not_guessed(seed_text: str) -> None:
    record = parse(seed_text.replace("Report from 13 February 2024", "Report from 31 February 2024"))
    assert record.assessment_date is None
    assert codes(record) == ["date_invalid"]


def test_date_order(seed_text: str) -> None:
    record = parse(seed_text.replace("10 October 2024", "10 October 2023"))
    assert codes(record) == ["date_order"]


def test_unknown_statement_heading_is_kept_and_flagged(seed_text: str) -> None:
    record = parse(seed_text.replace("Freedom to speak up\n\nScore: 3", "Speaking up culture\n\nScore: 3"))
    kq = record.key_questions[0]
    unknown = [s for s in kq.quality_statements if s.id is None]
    assert [s.name.value for s in unknown] == ["Speaking up culture"]
    assert codes(record) == ["statement_unknown"]
    assert "W3 Freedom to speak up" in [f"{r.id} {r.name}" for r in kq.statements_not_present]


def test_typo_in_statement_heading_is_read_and_flagged(seed_text: str) -> None:
    record = parse(seed_text.replace("Freedom to speak up\n", "Freedom to speek up\n"))
    ids = [s.id for s in record.key_questions[0].quality_statements]
    assert ids == ["W1", "W2", "W3", "W4", "W5", "W6", "W7"]
    assert codes(record) == ["statement_name_fuzzy"]


def test_navigation_list_never_opens_sections(seed_text: str) -> None:
    nav = "On this page\n- Overview\n- Shared direction and culture\n- Freedom to speak up\n- Safe\n- Well-led\n"
    record = parse(seed_text.replace("On this page\n", nav))
    assert [k.name.value for k in record.key_questions] == ["Well-led"]
    assert len(record.key_questions[0].quality_statements) == 7
    assert record.warnings == []


def test_key_question_without_rating_or_date(seed_text: str) -> None:
    record = parse(seed_text.replace("Well-led\n\nGood\n\n10 October 2024\n", "Well-led\n"))
    kq = record.key_questions[0]
    assert kq.rating is None and kq.date is None
    assert kq.summary[0].span.text.startswith("MIP had a clear governance structure")
    assert kq.score_percent.value == 75


def test_rating_word_inside_a_name_is_not_a_rating(seed_text: str) -> None:
    record = parse(seed_text.replace("Medical Imaging Partnership\n", "The Good Practice\n", 1))
    assert record.location.name.value == "The Good Practice"
    assert record.location.overall_rating.value == "Good"


def test_archived_prefix_is_not_part_of_the_name(seed_text: str) -> None:
    record = parse(seed_text.replace("Medical Imaging Partnership\n", "Archived: Medical Imaging Partnership\n", 1))
    assert record.location.name.value == "Medical Imaging Partnership"
    assert record.location.name_prefix.value == "Archived"


def test_a_report_with_only_boilerplate_words_is_not_a_report() -> None:
    with pytest.raises(NotACQCReport):
        parse("Safe\nEffective\nOur staff are caring and responsive.\n")


def test_overall_rating_on_the_line_after_its_label(seed_text: str) -> None:
    record = parse(seed_text.replace("Overall: Good read more about inspection ratings", "Overall:\nGood"))
    assert record.location.overall_rating.value == "Good"
    assert record.location.overall_rating.rule == "header.overall_next_line"
    assert record.warnings == []


def test_rating_stated_only_in_prose(seed_text: str) -> None:
    text = seed_text.replace("Well-led\n\nGood\n", "Well-led\n").replace(
        "and any future plans.", "and any future plans. We rated well led as good.")
    kq = parse(text).key_questions[0]
    assert kq.rating.value == "Good" and kq.rating.rule == "key_question.rating_in_prose"
    assert kq.rating.span.text == "good"


def test_people_rating_their_care_is_not_a_key_question_rating(seed_text: str) -> None:
    text = seed_text.replace("Well-led\n\nGood\n", "Well-led\n").replace(
        "and any future plans.", "and any future plans. Most patients rated their care as good.")
    assert parse(text).key_questions[0].rating is None


@pytest.mark.parametrize("text, error, words", [
    ("Review of compliance\nOak House\nOur judgement\nThe provider was meeting this standard.\n",
     "UnsupportedReportFamily", "essential-standards report"),
    ("Commission for Social Care Inspection\nInspecting for better lives\nKey inspection report\n",
     "NotACQCReport", "predecessor regulator"),
])
def test_other_report_families_are_named_not_half_parsed(text: str, error: str, words: str) -> None:
    from extractor import errors

    with pytest.raises(getattr(errors, error), match=words):
        parse(text)


def test_an_overview_page_that_mentions_an_earlier_rating_is_still_an_overview_page() -> None:
    from conftest import CORPUS

    html = (CORPUS / "saf-html" / "assessment-larkspur-house" / "0_overview.html").read_text(encoding="utf-8")
    at = html.find("<p>", html.find("<main"))
    html = html[:at] + "<p>At our last inspection the overall rating for this service was good.</p>" + html[at:]
    report = extract_bytes(html.encode(), source_id="overview.html", options=ExtractOptions(nlp=False))
    assert report.document_kind == "saf_overview_page" and report.overview is not None
