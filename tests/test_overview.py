"""Overview-page facts: period, visits, key questions and statements assessed, cross-checks.

Each case is one overview paragraph as CQC words it (invented content); add new wordings to
PERIODS / VISITS below with an id saying where the wording was seen.
"""

from __future__ import annotations

import pytest

from extractor.overview import read_overview
from extractor.overviewcheck import cross_check
from extractor.textread import read_text
from models import Field, KeyQuestion, QualityStatement, Span

HEADER = """Oak House
Overall: Good read more about inspection ratings
Report from 16 January 2024 assessment
On this page
- Overview
Overview
"""


def overview_of(paragraph: str):
    doc = read_text(HEADER + paragraph + "\n", source_id="t")
    ov, warnings = read_overview(doc)
    for f in [ov.period_start, ov.period_end, *ov.visit_dates, *ov.key_questions_assessed,
              *ov.statements_assessed]:
        if f is not None:
            assert f.span is not None and doc.text[f.span.start:f.span.end] == f.span.text
    return ov, [w.code for w in warnings]


PERIODS = [
    ("The assessment of this service took place between 16 January and 06 February 2024.",
     "2024-01-16", "2024-02-06", "16 January"),
    ("The assessment took place from 22 February to 1 March 2024.", "2024-02-22", "2024-03-01", "22 February"),
    ("Our assessment ran between 5 and 20 November 2024.", "2024-11-05", "2024-11-20", "5"),
    ("Date of assessment; 29 October 2024 to 5 November 2024.", "2024-10-29", "2024-11-05", "29 October 2024"),
    ("The assessment commenced on 3 June 2024 and was completed on 28 June 2024.",
     "2024-06-03", "2024-06-28", "3 June 2024"),
    ("The assessment took place between 30 December 2023 and 12 January 2024.",
     "2023-12-30", "2024-01-12", "30 December 2023"),
]


@pytest.mark.parametrize("text, start, end, printed", PERIODS,
                         ids=["between", "from-to", "day-only", "date-of", "commenced", "over-new-year"])
def test_assessment_period(text: str, start: str, end: str, printed: str) -> None:
    ov, codes = overview_of(text)
    assert ov.period_start and ov.period_start.value.iso == start
    assert ov.period_start.value.printed == printed
    assert ov.period_end and ov.period_end.value.iso == end
    assert codes == []


def test_reversed_period_is_recorded_and_flagged() -> None:
    ov, codes = overview_of("The assessment took place between 6 February and 16 January 2024.")
    assert ov.period_start and ov.period_start.value.iso == "2024-02-06"
    assert ov.period_end and ov.period_end.value.iso == "2024-01-16"
    assert codes == ["date_order"]


VISITS = [
    ("We carried out an unannounced visit to the home on 5 November 2024.", ["2024-11-05"]),
    ("We carried out an unannounced visit to the location on 17 and 19 September 2024.",
     ["2024-09-17", "2024-09-19"]),
    ("We visited the service on 3, 4 and 10 June 2024 and spoke with staff.",
     ["2024-06-03", "2024-06-04", "2024-06-10"]),
    ("We carried out an unannounced visit on 5 November 2024 and an announced visit on 12 November 2024.",
     ["2024-11-05", "2024-11-12"]),
    ("The provider sent us documents on 2 May 2024.", []),
]


@pytest.mark.parametrize("text, dates", VISITS, ids=["one", "two-days", "list", "two-visits", "not-a-visit"])
def test_visit_dates(text: str, dates: list[str]) -> None:
    ov, _ = overview_of(text)
    assert [v.value.iso for v in ov.visit_dates] == dates


def test_period_dates_are_not_visits() -> None:
    ov, _ = overview_of("The assessment took place between 5 and 20 November 2024, and we visited "
                        "the home on 7 November 2024.")
    assert [v.value.iso for v in ov.visit_dates] == ["2024-11-07"]


def test_key_questions_and_statements_with_commas_in_names() -> None:
    ov, codes = overview_of(
        "We looked at 2 Key Question areas: Caring and Well led, and 4 Quality Statements: "
        "Kindness, compassion and dignity, Responding to people\u2019s immediate needs, "
        "Governance, management & sustainability and Environmental sustainability - sustainable development.")
    assert [k.value for k in ov.key_questions_assessed] == ["Caring", "Well-led"]
    assert [s.value for s in ov.statements_assessed] == [
        "Kindness, compassion and dignity", "Responding to people's immediate needs",
        "Governance, management and sustainability",
        "Environmental sustainability \u2013 sustainable development"]
    assert codes == []


def test_printed_counts_are_checked() -> None:
    ov, codes = overview_of("We looked at five key questions: Safe and Effective, and 3 quality "
                            "statements: Safeguarding and Assessing needs.")
    assert len(ov.key_questions_assessed) == 2 and len(ov.statements_assessed) == 2
    assert codes == ["overview_count_mismatch", "overview_count_mismatch"]


def _span() -> Span:
    return Span(start=0, end=1, text="x")


def _kq(name: str, statements: list[tuple[str, str, str]]) -> KeyQuestion:
    return KeyQuestion(
        name=Field[str](value=name, span=_span(), rule="t"), span=_span(),
        quality_statements=[QualityStatement(
            id=sid, name=Field[str](value=sname, span=_span(), rule="t"), key_question=name,
            basis=Field[str](value=basis, span=_span(), rule="t"), span=_span())
            for sid, sname, basis in statements])


def test_cross_check_against_carried_over_statements() -> None:
    ov, _ = overview_of("We looked at 2 key questions: Safe and Caring, and 2 quality statements: "
                        "Safeguarding and Medicines optimisation.")
    kqs = [
        _kq("Safe", [("S3", "Safeguarding", "assessed"), ("S8", "Medicines optimisation", "previous rating"),
                     ("S1", "Learning culture", "assessed")]),
        _kq("Caring", [("C1", "Kindness, compassion and dignity", "previous rating")]),
        _kq("Well-led", [("W3", "Freedom to speak up", "assessed")]),
    ]
    codes = [w.code for w in cross_check(ov, kqs)]
    assert codes == ["overview_statement_carried_over", "overview_statement_not_listed",
                     "overview_statement_not_listed", "overview_key_question_not_assessed",
                     "overview_key_question_not_listed"]


def test_overview_without_lists_checks_nothing() -> None:
    ov, _ = overview_of("This assessment was undertaken following CQC's new approach.")
    assert cross_check(ov, [_kq("Safe", [("S1", "Learning culture", "assessed")])]) == []
    assert ov.summary and ov.summary[0].span.text.startswith("This assessment")
