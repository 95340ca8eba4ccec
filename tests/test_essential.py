"""Essential standards inspection reports (2010-2014): standards judged, dates, breaches."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import batch_to_sqlite
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.errors import UnsupportedReportFamily
from extractor.pipeline import ExtractOptions, extract_bytes

REPORT = """\
Inspection Report
We are the regulator: Our job is to check whether hospitals, care homes and care services are meeting essential standards.
Holly Lodge Nursing Home
12 Mill Road, Frimley Green, Camberley, GU16 9NP    Tel: 0113 496 0412
Date of Inspection: {inspected}    Date of Publication: 29 January 2013
We inspected the following standards as part of a routine inspection. This is what we found:
Respecting and involving people who use services    Met this standard
Staffing    {listed}
Details about this location
Registered Provider    Forest Care Limited
Registered Manager    Mrs Ann Example
Summary of this inspection
Why we carried out this inspection
We carried out this inspection as part of our routine schedule of planned inspections.
What people told us and what we found
People told us they were happy with the care they received. Relatives said staff were kind.
Our judgements for each standard inspected
Respecting and involving people who use services    Met this standard
People's privacy, dignity and independence were respected.
Reasons for our judgement
We observed staff knocking on doors before entering. People said they chose when to get up.
Staffing (outcome 13)
Action needed
There were not enough qualified, skilled and experienced staff to meet people's needs. We have judged that this has a moderate impact on people who use the service, and have told the provider to take action.
Reasons for our judgement
Rotas showed that on 9 of 14 nights only one nurse was on duty for 38 people.
This section is primarily information for the provider
Action we have told the provider to take
Compliance actions
Regulated activities
Regulation
Accommodation for persons who require nursing or personal care
Regulation 22 HSCA 2008 (Regulated Activities) Regulations 2010 Staffing
How the regulation was not being met: There were not enough staff at night.
"""


def parse(inspected: str = "06 January 2013", listed: str = "Action needed", **options: bool):
    text = REPORT.format(inspected=inspected, listed=listed)
    return extract_bytes(text.encode(), source_id="es.txt", options=ExtractOptions(**options))


def codes(record) -> list[str]:
    return sorted(w.code for w in record.warnings)


def test_cover_standards_and_breaches_are_read() -> None:
    r = parse(ner=False)
    assert r.document_kind == "essential_standards_report" and r.key_questions == []
    loc = r.location
    assert (loc.name.value, loc.provider.value, loc.overall_rating) == ("Holly Lodge Nursing Home", "Forest Care Limited", None)
    assert (loc.address.street.value, loc.address.town.value, loc.address.postcode.value, loc.phone.e164) == (
        "12 Mill Road", "Camberley", "GU16 9NP", "+441134960412")
    ins = r.inspection
    assert [d.value.iso for d in ins.visit_dates] == ["2013-01-06"] and ins.publication_date.value.iso == "2013-01-29"
    assert [(s.outcome, s.name.value, s.judgement.value, s.impact.value if s.impact else None)
            for s in ins.standards] == [
        (1, "Respecting and involving people who use services", "Met this standard", None),
        (13, "Staffing", "Action needed", "moderate")]
    staffing = ins.standards[1]
    assert staffing.judgement.rule == "essential.judgement_next_line" and staffing.impact.span.text == "moderate"
    assert staffing.evidence[-1].span.text.startswith("Rotas showed")
    assert [s.category for s in ins.standards[0].evidence[1].sentences] == ["Observation", "People's experience"]
    assert [p.span.text[:20] for p in ins.summary] == ["We carried out this ", "People told us they "]
    [breach] = ins.breaches
    assert (breach.regulation.value, breach.regulations, breach.name.value, breach.section) == ("22", "2010", "Staffing", "action")
    assert codes(r) == []


def test_the_list_and_the_judgement_disagreeing_is_flagged_and_the_judgement_kept() -> None:
    r = parse(listed="Met this standard", nlp=False)
    assert r.inspection.standards[1].judgement.value == "Action needed"
    assert codes(r) == ["judgement_mismatch"]
    assert r.warnings[0].span.text == "Action needed"


def test_publication_before_the_inspection_is_flagged() -> None:
    r = parse(inspected="14 February 2013", nlp=False)
    assert codes(r) == ["date_order"] and r.warnings[0].span.text == "29 January 2013"


def test_an_impossible_inspection_date_is_flagged_not_guessed() -> None:
    r = parse(inspected="30 February 2013", nlp=False)
    assert r.inspection.visit_dates == [] and codes(r) == ["date_invalid"]


def test_a_review_of_compliance_without_judged_standards_or_visit_is_refused_by_name() -> None:
    text = ("Review of compliance\nForest Care Limited Holly Lodge Nursing Home\nRegion: South East\n"
            "Our current overall judgement\nThe home was meeting all the essential standards inspected.\n")
    with pytest.raises(UnsupportedReportFamily, match="essential-standards report.*review of compliance.*no judged"):
        extract_bytes(text.encode(), source_id="old.txt")


def test_export_gives_standard_rows_and_their_sentences(tmp_path: Path) -> None:
    out, db = batch_to_sqlite({"holly.txt": REPORT.format(inspected="06 January 2013", listed="Action needed")}, tmp_path)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT outcome, standard, judgement, impact FROM standards ORDER BY standard_no").fetchall() == [
            (1, "Respecting and involving people who use services", "Met this standard", None),
            (13, "Staffing", "Action needed", "moderate")]
        assert conn.execute("SELECT count(*) FROM evidence_sentences WHERE section = 'standard' "
                            "AND standard_no = 1").fetchone()[0] == 3
        assert conn.execute("SELECT regulation, regulations FROM regulation_breaches").fetchall() == [("22", "2010")]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


STANDARDS = [(1, "Respecting and involving people who use services"), (4, "Care and welfare of people who use services"),
             (7, "Safeguarding people who use services from abuse"), (9, "Management of medicines"),
             (13, "Staffing"), (21, "Records")]
JUDGEMENTS = ["Met this standard", "Action needed", "Enforcement action taken"]


@settings(max_examples=50, deadline=None)
@given(judged=st.lists(st.tuples(st.sampled_from(STANDARDS), st.sampled_from(JUDGEMENTS),
                                 st.sampled_from(["minor", "moderate", "major"])),
                       min_size=1, max_size=6, unique_by=lambda x: x[0][0]),
       next_line=st.booleans(), suffix=st.booleans(), blank_lines=st.booleans())
def test_any_layout_of_the_judgements_gives_each_standard(
        judged: list[tuple[tuple[int, str], str, str]], next_line: bool, suffix: bool, blank_lines: bool) -> None:
    lines = ["Inspection Report", "Oak House", "2 Fern Road, Leeds, LS13 2AB",
             "Date of Inspection: 12 March 2012", "Date of Publication: 20 April 2012",
             "We inspected the following standards as part of a routine inspection. This is what we found:"]
    lines += [f"{name}    {judgement}" for (_, name), judgement, _ in judged]
    lines.append("Our judgements for each standard inspected")
    for (outcome, name), judgement, impact in judged:
        heading = f"{name} (outcome {outcome})" if suffix else name
        lines += [heading, judgement] if next_line else [f"{heading}    {judgement}"]
        summary = "The provider had arrangements in place for this standard and people benefited from them."
        if judgement != "Met this standard":
            summary = f"People were at risk. We have judged that this has a {impact} impact on people who use the service."
        lines += [summary, "Reasons for our judgement", f"We looked at the records of {outcome + 2} people and spoke with staff."]
    text = ("\n\n" if blank_lines else "\n").join(lines) + "\n"
    r = extract_bytes(text.encode(), source_id="oak.txt", options=ExtractOptions(nlp=False))
    assert [(s.outcome, s.name.value, s.judgement.value, s.impact.value if s.impact else None)
            for s in r.inspection.standards] == [
        (outcome, name, judgement, None if judgement == "Met this standard" else impact)
        for (outcome, name), judgement, impact in judged]
    assert all(len(s.evidence) == 2 for s in r.inspection.standards)
    assert codes(r) == []
