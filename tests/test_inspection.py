"""Rating-era inspection reports (2014-2023): cover, dates, ratings block, sections, breaches."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from conftest import CORPUS, batch_to_sqlite
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.errors import UnsupportedReportFamily
from extractor.pipeline import ExtractOptions, extract_bytes

DOCS = CORPUS / "inspection-text"
TANFIELD = DOCS / "01_tanfield_lodge_care_home.txt"
CRANMOOR = DOCS / "04_cranmoor_lodge_nursing_home.txt"

REPORT = """\
Hollins Care Group Ltd
Oak House
Inspection report
2 Fern Road
Bramley
Leeds
LS13 2AB
Tel: 0113 496 0441
Date of inspection visit: {visit}
Date of publication: 4 July 2019

Ratings
Overall rating for this service: Good
Is the service safe?   Requires improvement
Is the service effective? Good
Is the service caring? Good
Is the service responsive? Good
Is the service well-led? Good

Overall summary
Oak House is a care home for 30 older people. People told us they felt safe and staff were kind.

Oak House
Detailed findings

Is the service safe?
{safe_rating}
Our findings
Relatives told us the home was always clean. We saw that 4 of 10 medicine records had gaps.
Oak House Inspection report 04 July 2019 5
Staff said they had completed fire training in March 2019.
Is the service well-led?
Our findings
The registered manager carried out monthly audits of care plans.
"""


def parse(text: str, **options: bool):
    return extract_bytes(text.encode(), source_id="oak.txt", options=ExtractOptions(**options))


def oak(visit: str = "12 May 2019", safe_rating: str = "Requires improvement", **options: bool):
    return parse(REPORT.format(visit=visit, safe_rating=safe_rating), **options)


def codes(record) -> list[str]:
    return sorted(w.code for w in record.warnings)


def test_cover_ratings_and_sections_are_read() -> None:
    r = oak(ner=False)
    assert r.document_kind == "inspection_report"
    loc = r.location
    assert (loc.name.value, loc.provider.value, loc.overall_rating.value) == ("Oak House", "Hollins Care Group Ltd", "Good")
    assert (loc.address.street.value, loc.address.locality.value, loc.address.town.value,
            loc.address.postcode.value) == ("2 Fern Road", "Bramley", "Leeds", "LS13 2AB")
    assert loc.phone.e164 == "+441134960441"
    assert [(k.name.value, k.rating.value) for k in r.key_questions] == [
        ("Safe", "Requires improvement"), ("Effective", "Good"), ("Caring", "Good"),
        ("Responsive", "Good"), ("Well-led", "Good")]
    safe = r.key_questions[0]
    # The page footer between two paragraphs is not evidence.
    assert [p.span.text for p in safe.summary] == [
        "Relatives told us the home was always clean. We saw that 4 of 10 medicine records had gaps.",
        "Staff said they had completed fire training in March 2019."]
    assert [s.category for s in safe.summary[0].sentences] == ["People's experience", "Observation"]
    assert r.key_questions[1].summary == []  # effective has a rating but no section here
    assert [p.span.text for p in r.inspection.summary][0].startswith("Oak House is a care home")
    assert r.inspection.publication_date.value.iso == "2019-07-04"
    assert codes(r) == []


@pytest.mark.parametrize("visit, dates", [
    ("12 May 2019", ["2019-05-12"]),
    ("12 and 13 May 2019", ["2019-05-12", "2019-05-13"]),
    ("12, 13 and 15 May 2019", ["2019-05-12", "2019-05-13", "2019-05-15"]),
    ("30 November and 1 December 2018", ["2018-11-30", "2018-12-01"]),
    ("30th December 2018 and 2nd January 2019", ["2018-12-30", "2019-01-02"]),
])
def test_visit_dates_share_the_month_and_year_printed_after_them(visit: str, dates: list[str]) -> None:
    r = oak(visit=visit, nlp=False)
    found = r.inspection.visit_dates
    assert [d.value.iso for d in found] == dates
    text = REPORT.format(visit=visit, safe_rating="")
    for d in found:  # each span is where its own day is printed
        assert text[d.span.start:d.span.end] == d.span.text == d.value.printed
        assert d.span.text.startswith(str(int(d.value.iso[-2:])))


def test_impossible_visit_date_and_publication_before_the_visit_are_flagged() -> None:
    assert codes(oak(visit="31 February 2019", nlp=False)) == ["date_invalid"]
    r = oak(visit="3 and 9 July 2019", nlp=False)
    assert codes(r) == ["date_order"]
    assert r.warnings[0].span.text == "4 July 2019"


def test_a_section_rating_that_differs_from_the_ratings_block_is_flagged_not_taken() -> None:
    r = oak(safe_rating="Inadequate", nlp=False)
    assert r.key_questions[0].rating.value == "Requires improvement"
    assert codes(r) == ["rating_mismatch"]
    assert r.warnings[0].span.text == "Inadequate"


def test_a_key_question_missing_from_the_ratings_block_has_no_rating() -> None:
    text = REPORT.format(visit="12 May 2019", safe_rating="").replace("Is the service well-led? Good\n", "")
    r = parse(text, nlp=False)
    well_led = r.key_questions[-1]
    assert well_led.name.value == "Well-led" and well_led.rating is None
    assert [p.span.text for p in well_led.summary] == ["The registered manager carried out monthly audits of care plans."]
    assert codes(r) == ["rating_missing"]


def test_healthcare_wording_and_ratings_on_the_next_line() -> None:
    text = ("Kingsway Surgery\nInspection report\n1 Kingsway, Leeds, LS1 4AB\n"
            "Date of inspection visit: 2 March 2016\nDate of publication: 20 April 2016\n\n"
            "Ratings\nOverall rating for this location\nGood\nAre services safe?\nGood\n"
            "Are services responsive to people\u2019s needs?\nOutstanding\nAre services well-led?\nGood\n")
    r = parse(text, nlp=False)
    assert r.location.provider is None and r.location.name.value == "Kingsway Surgery"
    assert r.location.overall_rating.rule == "inspection.overall_next_line"
    assert [(k.name.value, k.rating.value) for k in r.key_questions] == [
        ("Safe", "Good"), ("Responsive", "Outstanding"), ("Well-led", "Good")]
    assert codes(r) == ["rating_missing", "rating_missing"]  # effective and caring are not rated


@pytest.mark.parametrize("line, regulation, name", [
    ("Regulation 12 HSCA RA Regulations 2014 Safe care and treatment", "12", "Safe care and treatment"),
    ("Regulation 20A HSCA RA Regulations 2014 Requirement as to display of performance assessments",
     "20A", "Requirement as to display of performance assessments"),
    ("Regulation 17 (1)(2)(b) HSCA (RA) Regulations 2014 Good governance.", "17", "Good governance"),
    ("Regulation 18 of the Health and Social Care Act 2008 (Regulated Activities) Regulations 2014: Staffing",
     "18", "Staffing"),
    ("Regulation 19 HSCA RA Regulations 2014", "19", None),
])
def test_breaches_are_read_from_the_action_table(line: str, regulation: str, name: str | None) -> None:
    text = REPORT.format(visit="12 May 2019", safe_rating="") + (
        "\nAction we have told the provider to take\nRegulated activity\nRegulation\n"
        f"Accommodation for persons who require nursing or personal care\n{line}\n"
        "How the regulation was not being met: records were not accurate.\n")
    [breach] = parse(text, nlp=False).inspection.breaches
    assert (breach.regulation.value, breach.name.value if breach.name else None, breach.section) == (
        regulation, name, "action")
    assert breach.span.text.startswith("Regulation " + regulation)


def test_breach_sentences_in_the_prose_are_not_table_breaches() -> None:
    record = extract_bytes(CRANMOOR.read_bytes(), source_id="04", options=ExtractOptions(ner=False))
    assert [(b.regulation.value, b.section) for b in record.inspection.breaches] == [
        ("12", "action"), ("17", "action"), ("13", "enforcement")]
    prose = " ".join(p.span.text for k in record.key_questions for p in k.summary)
    assert "This was a breach of Regulation 12" in prose


def test_boilerplate_lines_are_not_evidence() -> None:
    record = extract_bytes(TANFIELD.read_bytes(), source_id="01", options=ExtractOptions(nlp=False))
    paragraphs = [p.span.text for k in record.key_questions for p in k.summary]
    assert paragraphs and not any(p.startswith(("Details are in our", "We always ask")) for p in paragraphs)


def test_a_rating_era_text_with_nothing_to_read_is_refused() -> None:
    with pytest.raises(UnsupportedReportFamily, match="no ratings block, visit date or key-question section"):
        parse("Oak House\nInspection report\nDate of inspection visit: to be confirmed\n")


def test_export_gives_breach_rows_and_cover_dates(tmp_path: Path) -> None:
    out, db = batch_to_sqlite(DOCS, tmp_path)
    records = [json.loads(line) for line in out.read_text().splitlines()]
    kinds = sorted(r["document_kind"] for r in records)
    assert kinds == ["inspection_report"] * 19 + ["inspection_summary_page"] * 3 + ["location_history_page"] * 3
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT b.regulation, b.regulation_name, b.section, b.key_questions FROM regulation_breaches b "
            "JOIN reports r USING (report_id) WHERE r.location_name = 'Cranmoor Lodge Nursing Home' "
            "ORDER BY b.breach_no").fetchall()
        # The key questions come from the sections' sentences; the enforcement's regulation is named in none.
        assert rows == [("12", "Safe care and treatment", "action", "Safe"),
                        ("17", "Good governance", "action", "Well-led"),
                        ("13", "Safeguarding service users from abuse and improper treatment", "enforcement", None)]
        dates = conn.execute("SELECT visit_dates, publication_date, breach_count FROM reports "
                             "WHERE location_name = 'Ferncombe Supported Living'").fetchone()
        assert dates[0] == "2021-11-30; 2021-12-01" and dates[2] == 0
        sections = {s for (s,) in conn.execute("SELECT DISTINCT section FROM evidence_sentences")}
        assert sections == {"inspection_summary", "key_question_summary", "history"}


RATINGS = ["Outstanding", "Good", "Requires improvement", "Inadequate"]
SUBJECTS = [("Is the service {}?", "service"), ("Are services {}?", "location")]
WORDS = {"Safe": "safe", "Effective": "effective", "Caring": "caring",
         "Responsive": "responsive", "Well-led": "well-led"}


@settings(max_examples=60, deadline=None)
@given(overall=st.sampled_from(RATINGS), ratings=st.lists(st.sampled_from(RATINGS), min_size=5, max_size=5),
       subject=st.sampled_from(SUBJECTS), next_line=st.lists(st.booleans(), min_size=6, max_size=6),
       separator=st.sampled_from(["   ", ":   ", " \u2013 ", " - ", ": "]), upper=st.booleans(),
       footer=st.sampled_from(["", "Oak House Inspection report 04 July 2019 2", "2 Oak House Quality Report 04/07/2019"]),
       crlf=st.booleans())
def test_any_layout_of_the_ratings_block_gives_its_ratings(
        overall: str, ratings: list[str], subject: tuple[str, str], next_line: list[bool],
        separator: str, upper: bool, footer: str, crlf: bool) -> None:
    question, owner = subject

    def rated(label: str, rating: str, below: bool) -> str:
        word = rating.upper() if upper else rating
        return f"{label}\n{word}" if below else f"{label}{separator}{word}"

    lines = ["Oak House", "Inspection report", "2 Fern Road, Leeds, LS13 2AB",
             "Date of inspection visit: 12 May 2019", "", "Ratings",
             rated(f"Overall rating for this {owner}", overall, next_line[0])]
    for (name, word), rating, below in zip(WORDS.items(), ratings, next_line[1:]):
        lines.append(rated(question.format(word), rating, below))
        if footer and name == "Caring":
            lines.append(footer)
    lines += ["", "Overall summary", "Oak House is a care home for 30 older people in Leeds."]
    text = "\r\n".join(lines) if crlf else "\n".join(lines)
    r = parse(text, nlp=False)
    assert r.location.overall_rating.value == overall
    assert [(k.name.value, k.rating.value) for k in r.key_questions] == list(zip(WORDS, ratings))
    assert set(codes(r)) <= {"rating_consistency"}  # drawn ratings may depart from the principles


def test_population_group_ratings_of_a_gp_practice() -> None:
    text = REPORT.format(visit="12 May 2019", safe_rating="").replace(
        "Is the service well-led? Good\n",
        "Is the service well-led? Good\nOlder people   Outstanding\nPeople with long term conditions\nGood\n"
        "People whose circumstances may make them vulnerable: Inadequate\n").replace(
        "Staff said they had completed fire training in March 2019.",
        "Staff said they had completed fire training in March 2019.\nFamilies, children and young people\n"
        "Uptake of childhood immunisations was above the national target of 90%.")
    r = parse(text, nlp=False)
    groups = [(g.name.value, g.rating.value, g.rating.span.text) for g in r.inspection.population_groups]
    assert groups == [("Older people", "Outstanding", "Outstanding"),
                      ("People with long-term conditions", "Good", "Good"),
                      ("People whose circumstances make them vulnerable", "Inadequate", "Inadequate")]
    # A group named as a heading in the findings, with no rating, is no rating; the prose stays evidence.
    assert r.key_questions[0].summary[-1].span.text.startswith("Uptake of childhood immunisations")
    assert [(k.name.value, k.rating.value) for k in r.key_questions][-1] == ("Well-led", "Good")
    assert codes(r) == []


@pytest.mark.parametrize("visit, found", [
    ("3 to 5 March 2018", [("2018-03-03", "start"), ("2018-03-05", "end")]),
    ("06 March 2018 \u2013 21 March 2018", [("2018-03-06", "start"), ("2018-03-21", "end")]),
    ("1-3 May 2019 and 9 May 2019", [("2019-05-01", "start"), ("2019-05-03", "end"), ("2019-05-09", None)]),
    # Two periods: each keeps its own ends.
    ("12 to 14 June and 11 to 13 July 2018", [("2018-06-12", "start"), ("2018-06-14", "end"),
                                              ("2018-07-11", "start"), ("2018-07-13", "end")]),
    ("07-11 and 23 December 2015", [("2015-12-07", "start"), ("2015-12-11", "end"), ("2015-12-23", None)]),
    ("5th October 2021 to 7th October 2021", [("2021-10-05", "start"), ("2021-10-07", "end")]),
])
def test_a_visit_period_keeps_its_ends_and_says_so(visit: str, found: list[tuple[str, str | None]]) -> None:
    dates = oak(visit=visit, nlp=False).inspection.visit_dates
    assert [(d.value.iso, d.rule.removeprefix("inspection.visit_period_") if "period" in d.rule else None)
            for d in dates] == found


def test_hospital_wording_of_the_questions() -> None:
    text = REPORT.format(visit="12 May 2019", safe_rating="").replace("Is the service ", "Are services at this location ")
    assert [k.rating.value for k in parse(text, nlp=False).key_questions] == [
        "Requires improvement", "Good", "Good", "Good", "Good"]


def test_core_service_sections_are_not_compared_with_the_location_ratings() -> None:
    # A hospital report asks the questions again for each core service, rated on their own.
    core = ("Urgent and emergency care\nIs the service safe?\nInadequate\nOur findings\n"
            "Staff told us the department was often short of two nurses at night.\n")
    text = REPORT.format(visit="12 May 2019", safe_rating="Requires improvement") + core + core.replace(
        "Urgent and emergency care", "Maternity").replace("Inadequate", "Good")
    r = parse(text, nlp=False)
    assert r.key_questions[0].rating.value == "Requires improvement" and codes(r) == []
    assert len(r.key_questions[0].summary) == 4
    # Nor is the overall rating held to the principles: a hospital's aggregates its core services'.
    flagged = _rated(G, [RI, RI, G, G, G])
    assert codes(parse(flagged, nlp=False)) == ["rating_consistency"]
    assert codes(parse(flagged + core + core.replace("Urgent and emergency care", "Maternity"), nlp=False)) == []


def test_without_a_ratings_block_the_sections_give_the_ratings() -> None:
    text = ("Oak House\nInspection report\n2 Fern Road, Leeds, LS13 2AB\nDate of inspection visit: 12 May 2019\n\n"
            "Is the service safe?   Requires improvement\nOur findings\nStaff said two nurses were off sick.\n"
            "Is the service caring?\nGood\nOur findings\nWe saw staff chatting with people over lunch.\n")
    r = parse(text, nlp=False)
    assert [(k.name.value, k.rating.value, k.rating.rule) for k in r.key_questions] == [
        ("Safe", "Requires improvement", "inspection.section_line"), ("Caring", "Good", "inspection.section_next_line")]
    assert r.location.overall_rating is None and codes(r) == []


def test_rating_icons_left_by_the_pdf_extract_are_passed_over() -> None:
    text = REPORT.format(visit="12 May 2019", safe_rating="").replace(
        "Is the service safe?   Requires improvement", "Is the service safe?   Requires improvement \u25cf").replace(
        "Is the service effective? Good", "Is the service effective?\nGood \u25cf")
    r = parse(text, nlp=False)
    safe, effective = r.key_questions[:2]
    assert (safe.rating.value, safe.rating.span.text) == ("Requires improvement", "Requires improvement")
    assert (effective.rating.value, effective.rating.span.text) == ("Good", "Good")
    assert codes(r) == []


def test_the_line_saying_what_a_key_question_means_is_not_evidence() -> None:
    text = REPORT.format(visit="12 May 2019", safe_rating="").replace(
        "Our findings\nRelatives told us",
        "Our findings\nSafe \u2013 this means we looked for evidence that people were protected from abuse and "
        "avoidable harm.\nRelatives told us")
    safe = parse(text, nlp=False).key_questions[0]
    assert safe.summary[0].span.text.startswith("Relatives told us")


def _rated(overall: str, ratings: list[str], breach: bool = False) -> str:
    """Oak House with the given overall and five key-question ratings (and maybe one breach)."""
    text = REPORT.format(visit="12 May 2019", safe_rating=ratings[0])
    block = "".join(f"{q}   {r}\n" for q, r in zip(
        ["Is the service safe?", "Is the service effective?", "Is the service caring?", "Is the service responsive?",
         "Is the service well-led?"], ratings))
    start = text.index("Is the service safe?   ")
    end = text.index("\n", text.index("Is the service well-led? Good")) + 1
    text = text[:start] + block + text[end:]
    text = text.replace("Overall rating for this service: Good", f"Overall rating for this service: {overall}")
    if breach:
        text += ("Action we have told the provider to take\n"
                 "Regulation 12 HSCA RA Regulations 2014 Safe care and treatment\n")
    return text


G, RI, I, O = "Good", "Requires improvement", "Inadequate", "Outstanding"


@pytest.mark.parametrize(("overall", "ratings", "breach", "flagged"), [
    (G, [RI, G, G, G, G], True, False),  # the breach shows in the safe rating
    (G, [G, G, G, G, G], True, True),  # a breach, and no rating below good
    (RI, [RI, RI, G, G, G], False, False),
    (G, [RI, RI, G, G, G], False, True),  # two requires improvement normally make it so
    (I, [I, I, RI, G, G], False, False),
    (RI, [I, I, G, G, G], False, True),  # two inadequate normally make it inadequate
    (O, [O, O, G, G, G], False, False),
    (G, [O, O, G, G, G], False, False),  # outstanding may be awarded, not must
    (O, [O, G, G, G, G], False, True),  # outstanding needs two outstanding key questions
    (RI, [I, G, G, G, G], False, False),  # one inadequate: the principles do not say
    (RI, [G, G, G, G, G], False, True),
])
def test_the_overall_rating_is_checked_against_the_ratings_principles(
        overall: str, ratings: list[str], breach: bool, flagged: bool) -> None:
    r = parse(_rated(overall, ratings, breach), nlp=False)
    assert [k.rating.value for k in r.key_questions] == ratings and r.location.overall_rating.value == overall
    found = [w for w in r.warnings if w.code == "rating_consistency"]
    assert bool(found) == flagged, [w.message for w in found]
    if found:  # flagged at the overall rating, never changed
        assert found[0].span == r.location.overall_rating.span


def test_a_key_question_inspected_but_not_rated_has_that_rating_and_no_rating_missing() -> None:
    text = TANFIELD.read_text(encoding="utf-8").replace(
        "Is the service effective?   Good", "Is the service effective?   Inspected but not rated", 1)
    record = extract_bytes(text.encode(), source_id="01", options=ExtractOptions(nlp=False))
    effective = record.key_questions[1]
    assert (effective.rating.value, effective.rating.span.text) == ("Inspected but not rated", "Inspected but not rated")
    # Its section still prints Good: compared, as any rating is; nothing is missing, no principle checked.
    assert [w.code for w in record.warnings] == ["rating_mismatch"]


def test_a_sentence_naming_several_regulations_ties_each_breach_to_its_section() -> None:
    text = TANFIELD.read_text(encoding="utf-8")
    text = text.replace("were a breach of Regulation 12", "were breaches of Regulations 17 and 12", 1)
    text += ("\nRegulated activity\nRegulation\nAccommodation for persons who require nursing or personal care\n"
             "Regulation 17 HSCA RA Regulations 2014 Good governance\n")
    record = extract_bytes(text.encode(), source_id="01", options=ExtractOptions(nlp=False))
    linked = {b.regulation.value: [(k.value, k.span.text, k.rule) for k in b.key_questions]
              for b in record.inspection.breaches}
    assert linked == {"12": [("Safe", "12", "breach.section_mention")], "17": [("Safe", "17", "breach.section_mention")]}


def test_each_groups_rating_in_the_effective_section_is_checked_against_the_list() -> None:
    text = (DOCS / "17_millbeck_practice_gp.txt").read_text(encoding="utf-8")
    findings = ("Older people Population group rating: Good\nFindings\n"
                "• Patients over 75 had a named GP and were offered an annual health check.\n"
                "People with long-term conditions\nPopulation group rating: Good\nFindings\n"
                "• Of the 512 patients on the diabetes register, 141 had not had a review in 15 months.\n"
                "Families, children and young people Population group rating: Requires improvement\n")
    text = text.replace("\nMillbeck Practice Inspection report 19 June 2019 6\n",
                        "\n" + findings + "Millbeck Practice Inspection report 19 June 2019 6\n", 1)
    r = extract_bytes(text.encode(), source_id="17", options=ExtractOptions(nlp=False))
    groups = {g.name.value: g.rating.value for g in r.inspection.population_groups}
    assert groups["People with long-term conditions"] == "Requires improvement"  # the list's kept
    assert groups["Families, children and young people"] == "Good"
    mismatch = sorted((w.message.split("'")[1], w.span.text) for w in r.warnings
                      if w.code == "rating_mismatch" and "further on" in w.message)
    assert mismatch == [("Families, children and young people", "Requires improvement"),
                        ("People with long-term conditions", "Good")]  # at the section's rating words
    # Without the list, the sections' ratings are the groups' (the label's words left out of the span).
    kept = [line for line in text.splitlines() if not line.endswith(("   Good", "   Requires improvement"))
            or line.startswith(("Overall", "Are services"))]
    r = extract_bytes("\n".join(kept).encode(), source_id="17", options=ExtractOptions(nlp=False))
    spans = [(g.name.value, g.rating.value, g.rating.span.text, g.rating.rule) for g in r.inspection.population_groups]
    assert spans == [("Older people", "Good", "Good", "inspection.population_group_line"),
                     ("People with long-term conditions", "Good", "Good", "inspection.population_group_next_line"),
                     ("Families, children and young people", "Requires improvement", "Requires improvement",
                      "inspection.population_group_line")]
    effective = r.key_questions[1]
    assert any("annual health check" in p.span.text for p in effective.summary)  # findings stay evidence


def test_a_sentence_rating_all_population_groups_is_checked_or_rates_them() -> None:
    text = (DOCS / "17_millbeck_practice_gp.txt").read_text(encoding="utf-8").replace(
        "We have rated this practice as requires improvement overall.",
        "We have rated this practice as requires improvement overall and good for all population groups.", 1)
    r = extract_bytes(text.encode(), source_id="17", options=ExtractOptions(nlp=False))
    mismatch = [w for w in r.warnings if w.code == "rating_mismatch" and "all population groups" in w.message]
    assert [w.message.split("'")[1] for w in mismatch] == ["People with long-term conditions"]  # the list's kept
    assert r.inspection.population_groups[1].rating.value == "Requires improvement"
    # With no list of the groups (the lines lost), the sentence rates all six, pointing at its words.
    kept = [line for line in text.splitlines() if not line.endswith(("   Good", "   Requires improvement"))
            or line.startswith(("Overall", "Are services"))]
    r = extract_bytes("\n".join(kept).encode(), source_id="17", options=ExtractOptions(nlp=False))
    groups = r.inspection.population_groups
    assert len(groups) == 6 and {g.rating.value for g in groups} == {"Good"}
    assert groups[0].rating.span.text == "good" and groups[0].name.span.text == "good for all population groups"
