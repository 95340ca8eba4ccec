"""Rating-era report covers and summaries in the layouts CQC printed from 2014 to 2018: dates in
figures, Quality Report footers, a hospital cover that lists its core services, the summary's list
restating the ratings, and a ratings block whose rating words were images."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import batch_to_sqlite

from extractor.pipeline import ExtractOptions, extract_bytes

HOSPITAL = """\
Fenwold Hospitals NHS Trust
Fenwold General Hospital
Quality Report
Mill Lane
Boston
Lincolnshire
PE21 9QS
Tel: 0114 496 0802
Website: www.fenwold.nhs.example
Date of inspection visit: 2 to 4 June 2015
Date of publication: {published}
This report describes our judgement of the quality of care at this hospital.
Ratings
Overall rating for this hospital
Requires improvement
Urgent and emergency services
Inadequate
Medical care (including older
people's care)
Requires improvement
Surgery   Good
Maternity and gynaecology
{maternity}
1 Fenwold General Hospital Quality Report {published}
Summary of findings
Letter from the Chief Inspector of Hospitals
We inspected Fenwold General Hospital in June 2015 as part of our comprehensive inspection programme. The hospital has 412 beds.
2 Fenwold General Hospital Quality Report {published}
Summary of findings
Overall, we rated the hospital as requires improvement. Surgery and maternity were good.
Our ratings for this hospital
Our ratings for this hospital are:
Safe   Effective   Caring   Responsive   Well-led   Overall
Urgent and emergency services   Inadequate   Requires improvement   Good   Inadequate   Requires improvement   Inadequate
Medical care (including older people's care)   Requires improvement   Good   Good   Requires improvement   Good   Requires improvement
Surgery   Good   Good   Good   Good   Good   Good
Maternity and gynaecology   Good   Good   Good   Requires improvement   Good   Good
Overall*   Requires improvement   Good   Good   Requires improvement   Requires improvement   Requires improvement
*Overall ratings for this hospital are from combining ratings for services.
"""

PRACTICE = """\
Dr Ines Marlow and Partners
Tollgate Surgery
Inspection report
14 Tollgate Road
Walkley
Sheffield
S6 2QT
Tel: 0114 496 0377
Date of inspection visit: 23 January 2018
Date of publication: 06/03/2018
Ratings
Overall rating for this practice   Good
Are services safe?   Good
Are services effective?   Good
Are services caring?   Good
{responsive_line}
Are services well-led?   Good
Overall summary
Letter from the Chief Inspector of General Practice
We carried out an announced comprehensive inspection at Tollgate Surgery on 23 January 2018 as part of our inspection programme.
The key questions at this inspection are rated as:
Are services safe? \u2013 Good
Are services effective? \u2013 Good
Are services caring? \u2013 Good
Are services responsive? \u2013 {responsive}
Are services well-led? - Good
As part of our inspection process, we also look at the quality of care for specific population groups. The population groups are rated as:
Older people \u2013 Good
People with long-term conditions \u2013 Good
Families, children and young people \u2013 Good
Working age people (including those recently retired and students \u2013 Requires improvement
People whose circumstances may make them vulnerable \u2013 Good
People experiencing poor mental health (including people with dementia) \u2013 Good
We found that the practice kept patients safe and learned from significant events.
Tollgate Surgery Inspection report 06/03/2018 2
Population group ratings
Older people   Good
People with long-term conditions   Good
Families, children and young people   Good
Working age people (including those recently retired and students)   {working_age}
People whose circumstances may make them vulnerable   Good
People experiencing poor mental health (including people with dementia)   Good
Are services safe?
We rated the practice as good for providing safe services.
"""

TRUST = """\
Holmbury Hospitals NHS Foundation Trust
Quality Report
Station Road
Preston
Lancashire
PR1 8QT
Tel: 0161 496 0150
Date of inspection visit: 8, 9, 10 July 2014
Date of publication: 14/11/2014
Ratings
Overall rating for this trust
Are services at this trust safe?
Are services at this trust effective?
Are services at this trust caring?
Are services at this trust responsive?
Are services at this trust well-led?
1 Holmbury Hospitals NHS Foundation Trust Quality Report 14/11/2014
Letter from the Chief Inspector of Hospitals
We inspected Holmbury Hospitals NHS Foundation Trust in July 2014. Overall, the trust requires improvement.
Summary of findings
The five questions we ask about trusts and what we found
Are services at this trust safe?
Requires improvement
Nurse staffing on medical wards fell below the planned level on 31% of night shifts.
Are services at this trust effective?
Good
Care followed national guidance.
"""


def parse(text: str):
    return extract_bytes(text.encode(), source_id="cover.txt", options=ExtractOptions(ner=False))


def hospital(published: str = "22/09/2015", maternity: str = "Good") -> str:
    return HOSPITAL.format(published=published, maternity=maternity)


def practice(responsive_line: str = "Are services responsive?   Requires improvement",
             responsive: str = "Requires improvement", working_age: str = "Requires improvement") -> str:
    return PRACTICE.format(responsive_line=responsive_line, responsive=responsive, working_age=working_age)


def codes(record) -> list[str]:
    return [w.code for w in record.warnings]


def ratings(record) -> dict[str, str | None]:
    return {k.name.value: k.rating.value if k.rating else None for k in record.key_questions}


def prose(record) -> str:
    paras = [*record.inspection.summary, *(p for k in record.key_questions for p in k.summary)]
    return "\n".join(p.span.text for p in paras)


@pytest.mark.parametrize("printed, iso", [("22/09/2015", "2015-09-22"), ("9/1/2015", "2015-01-09"),
                                          ("22 September 2015", "2015-09-22")])
def test_a_publication_date_in_figures_is_read_day_first(printed: str, iso: str) -> None:
    record = parse(hospital(published=printed))
    published = record.inspection.publication_date
    assert published is not None and published.value.iso == iso
    assert published.value.printed == printed and published.span.text == printed


def test_an_impossible_or_missing_publication_date_is_flagged() -> None:
    impossible = parse(hospital(published="31/02/2015"))
    assert impossible.inspection.publication_date is None
    [warning] = [w for w in impossible.warnings if w.code == "date_invalid"]
    assert "31/02/2015" in warning.message and warning.span.text == "31/02/2015"
    unread = parse(hospital().replace("Date of publication: 22/09/2015", "Date of publication: to follow"))
    assert unread.inspection.publication_date is None
    assert "date_unread" in codes(unread)


def test_quality_report_footers_and_page_headers_stay_out_of_the_prose() -> None:
    record = parse(hospital())
    text = prose(record)
    assert "Quality Report" not in text and "Summary of findings" not in text
    assert "We inspected Fenwold General Hospital in June 2015" in text  # the letter is the summary
    assert "Overall, we rated the hospital as requires improvement." in text


def test_a_cover_listing_core_services_gives_a_cover_grid() -> None:
    record = parse(hospital())
    cover, grid = record.inspection.rating_grids
    assert (cover.kind, cover.title, grid.kind) == ("cover", None, "grid")
    assert [(r.service.value, r.core_service, r.ratings["Overall"].value) for r in cover.rows] == [
        ("Urgent and emergency services", "Urgent and emergency care", "Inadequate"),
        ("Medical care (including older people's care)", "Medical care", "Requires improvement"),
        ("Surgery", "Surgery", "Good"),
        ("Maternity and gynaecology", "Maternity and gynaecology", "Good"),
    ]
    surgery, wrapped = cover.rows[2], cover.rows[1]
    assert surgery.ratings["Overall"].rule == "inspection.cover_service_line"
    assert wrapped.service.span.text == "Medical care (including older\npeople's care)"
    assert wrapped.ratings["Overall"].rule == "inspection.cover_service_next_line"
    assert record.location.overall_rating.value == "Requires improvement"
    assert codes(record) == []


def test_a_cover_rating_that_differs_from_the_grid_is_flagged() -> None:
    record = parse(hospital(maternity="Outstanding"))
    [warning] = [w for w in record.warnings if w.code == "grid_rating_mismatch"]
    assert warning.message == ("Maternity and gynaecology: the cover says 'Outstanding', "
                               "the rating grid's row says 'Good'")
    assert warning.span.text == "Outstanding"
    cover = record.inspection.rating_grids[0]
    assert cover.rows[3].ratings["Overall"].value == "Outstanding"  # flagged, never changed


def test_without_key_questions_on_the_cover_the_grids_overall_row_rates_them() -> None:
    record = parse(hospital())
    assert ratings(record) == {"Safe": "Requires improvement", "Effective": "Good", "Caring": "Good",
                               "Responsive": "Requires improvement", "Well-led": "Requires improvement"}
    overall_row = record.inspection.rating_grids[1].rows[-1]
    safe = next(k for k in record.key_questions if k.name.value == "Safe")
    assert safe.rating == overall_row.ratings["Safe"]  # the cell itself, span and all


def test_the_summarys_list_restating_the_ratings_is_compared_with_the_block() -> None:
    agreeing = parse(practice())
    assert codes(agreeing) == []
    assert ratings(agreeing)["Responsive"] == "Requires improvement"
    assert "The key questions at this inspection are rated as:" in prose(agreeing)
    assert "Are services" not in prose(agreeing)  # neither the list nor a section of its own
    differing = parse(practice(responsive="Good"))
    [warning] = differing.warnings
    assert warning.code == "rating_mismatch"
    assert warning.message == "Responsive: the ratings block says 'Requires improvement', the summary's list says 'Good'"
    assert ratings(differing)["Responsive"] == "Requires improvement"  # the block wins


def test_the_summarys_list_rates_what_the_block_leaves_out() -> None:
    record = parse(practice(responsive_line="", responsive="Good"))
    responsive = next(k for k in record.key_questions if k.name.value == "Responsive")
    assert responsive.rating.value == "Good" and responsive.rating.rule == "inspection.restated_line"
    assert responsive.rating.span.text == "Good"
    assert "rating_missing" in codes(record)  # the block still lacks it


def test_population_groups_after_a_dash_and_with_an_open_bracket() -> None:
    record = parse(practice())
    groups = {g.name.value: g.rating.value for g in record.inspection.population_groups}
    assert len(groups) == 6
    assert groups["Working age people (including those recently retired and students)"] == "Requires improvement"
    assert groups["People whose circumstances make them vulnerable"] == "Good"
    first = record.inspection.population_groups[0]
    assert first.name.span.text.startswith("Older people \u2013 Good")


def test_a_population_group_rated_twice_otherwise_is_flagged() -> None:
    record = parse(practice(working_age="Good"))
    [warning] = record.warnings
    assert warning.code == "rating_mismatch"
    assert "'Requires improvement', and 'Good' further on" in warning.message
    groups = {g.name.value: g.rating.value for g in record.inspection.population_groups}
    assert groups["Working age people (including those recently retired and students)"] == "Requires improvement"


def test_a_ratings_block_without_rating_words_is_flagged_and_its_sections_rate() -> None:
    record = parse(TRUST)
    assert record.location.overall_rating is None
    assert record.location.name.value == "Holmbury Hospitals NHS Foundation Trust"
    missing = [w for w in record.warnings if w.code == "rating_missing"]
    assert len(missing) == 6 and codes(record) == ["rating_missing"] * 6
    assert missing[0].span.text == "Overall rating for this trust"
    assert missing[1].message == "the ratings block asks about Safe but prints no rating"
    assert missing[1].span.text == "Are services at this trust safe?"
    assert ratings(record) == {"Safe": "Requires improvement", "Effective": "Good", "Caring": None,
                               "Responsive": None, "Well-led": None}
    assert record.inspection.publication_date.value.iso == "2014-11-14"
    assert [d.value.iso for d in record.inspection.visit_dates] == ["2014-07-08", "2014-07-09", "2014-07-10"]


def test_the_cover_grid_exports_with_its_kind(tmp_path: Path) -> None:
    _, db = batch_to_sqlite({"fenwold.txt": hospital()}, tmp_path)
    with sqlite3.connect(db) as con:
        kinds = con.execute("SELECT grid_kind, count(*) FROM grid_ratings GROUP BY grid_kind ORDER BY grid_kind").fetchall()
    assert kinds == [("cover", 4), ("grid", 30)]


def test_a_running_page_header_does_not_end_the_section_it_interrupts() -> None:
    text = TRUST.replace(
        "Nurse staffing on medical wards fell below the planned level on 31% of night shifts.\n",
        "Nurse staffing on medical wards fell below the planned level on 31% of night shifts.\n"
        "3 Holmbury Hospitals NHS Foundation Trust Quality Report 14/11/2014\nSummary of findings\n"
        "Agency nurses covered 12% of shifts on the surgical wards.\n")
    record = parse(text)
    safe = next(k for k in record.key_questions if k.name.value == "Safe")
    assert [p.span.text[:20] for p in safe.summary] == ["Nurse staffing on me", "Agency nurses covere"]
    assert "Agency nurses" not in " ".join(p.span.text for p in record.inspection.summary)
    # Not after a page footer, the line opens the summary part as always.
    opened = parse(text.replace("3 Holmbury Hospitals NHS Foundation Trust Quality Report 14/11/2014\n", ""))
    assert "Agency nurses" in " ".join(p.span.text for p in opened.inspection.summary)



def test_a_trust_reports_quality_rating_line_is_its_overall_rating() -> None:
    text = ("Harrowfield Hospitals NHS Foundation Trust\nInspection report\nStation Road\nHarrowfield\nHG3 7QT\n"
            "Tel: 0113 496 0412\nDate of inspection visit: 6 to 8 March 2019\nDate of publication: 4 June 2019\n"
            "Ratings\nOverall trust quality rating   Requires improvement\nAre services safe?   Requires improvement\n"
            "Are services effective?   Good\nAre services caring?   Good\nAre services responsive?   Good\n"
            "Are services well-led?   Requires improvement\nSummary of findings\n"
            "We inspected five core services at the trust's two hospitals.\n")
    r = extract_bytes(text.encode(), source_id="trust.txt", options=ExtractOptions(nlp=False))
    assert (r.location.overall_rating.value, r.location.overall_rating.span.text) == (
        "Requires improvement", "Requires improvement")
    assert [k.rating.value for k in r.key_questions] == [
        "Requires improvement", "Good", "Good", "Good", "Requires improvement"]
    assert [w.code for w in r.warnings] == []
