"""Reviews of compliance (2010-2011): the cover, the month of publication, the visit, each
standard's judgement and impact, the regulations breached."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.pipeline import ExtractOptions, extract_bytes

COVER = """\
Review of compliance
{names}
Region: South East
Location address: Orchard House, 12 Mill Road, Frimley Green, Camberley, GU16 9NP
Type of service: Care home service with nursing
Date of Publication: {published}
Overview of the service: Holly Lodge Nursing Home provides nursing care for up to 38 older people.
"""

BODY = """\
Our current overall judgement
Holly Lodge Nursing Home was not meeting one or more essential standards. Improvements are needed.
The summary below describes why we carried out this review, what we found and any action required.
Why we carried out this review
We carried out this review as part of our routine schedule of planned reviews.
How we carried out this review
We reviewed the information we hold about this provider and carried out a visit on {visited}.
What people told us
People told us they liked living at the home. One relative said the nurses were kind.
What we found about the standards we reviewed and how well Holly Lodge Nursing Home was meeting them
Outcome 1: People should be treated with respect and be able to influence how the service is run
Overall, we found that Holly Lodge Nursing Home was meeting this essential standard.
Outcome 13: There should be enough members of staff to keep people safe and meet their needs
Overall, we found that {listed}
Action we have asked the provider to take
Compliance actions
Regulation 22 HSCA 2008 (Regulated Activities) Regulations 2010 Staffing
Outcome 13: Staffing
Why we have concerns: on most nights one nurse was on duty for 38 people.
Outcome 01: Respecting and involving people who use services
What the outcome says
This is what people who use services should expect.
People who use services: are treated with respect and their views are taken into account.
What we found
Our judgement
The provider is compliant with Outcome 01: Respecting and involving people who use services
Our findings
What people who use the service experienced and told us
People told us staff knocked before coming into their rooms.
Other evidence
We saw staff explaining what they were about to do before helping people.
Our judgement
People were treated with respect.
Outcome 13: Staffing
What the outcome says
This is what people who use services should expect.
People who use services: are safe, and their needs are met by enough trained staff.
What we found
Our judgement
There are {impact} concerns with Outcome 13: Staffing
Our findings
What people who use the service experienced and told us
Two people told us they waited a long time for help at night.
Other evidence
Rotas showed that on 9 of 14 nights only one nurse was on duty.
Our judgement
There were not always enough staff at night.
"""

NAMES = {"two lines": "Forest Care Limited\nHolly Lodge Nursing Home",
         "run together": "Forest Care Limited Holly Lodge Nursing Home"}


def review(names: str = NAMES["two lines"], published: str = "March 2011", visited: str = "12 January 2011",
           impact: str = "moderate", listed: str = "improvements are needed for this essential standard.") -> str:
    return COVER.format(names=names, published=published) + BODY.format(visited=visited, impact=impact, listed=listed)


def parse(text: str):
    return extract_bytes(text.encode(), source_id="review.txt", options=ExtractOptions(ner=False))


def codes(record) -> list[str]:
    return sorted(w.code for w in record.warnings)


@pytest.mark.parametrize("layout", sorted(NAMES))
def test_the_cover_gives_provider_location_address_and_the_month_published(layout: str) -> None:
    r = parse(review(NAMES[layout]))
    assert r.document_kind == "essential_standards_report"
    loc = r.location
    assert (loc.provider.value, loc.name.value) == ("Forest Care Limited", "Holly Lodge Nursing Home")
    assert loc.name.span.text == "Holly Lodge Nursing Home" and loc.name.span.start < 80  # on the cover
    assert (loc.address.premises.value, loc.address.street.value, loc.address.postcode.value) == (
        "Orchard House", "12 Mill Road", "GU16 9NP")
    ins = r.inspection
    assert (ins.publication_date.value.iso, ins.publication_date.span.text) == ("2011-03", "March 2011")
    assert [d.value.iso for d in ins.visit_dates] == ["2011-01-12"]
    assert codes(r) == []


def test_each_standard_has_its_judgement_impact_and_findings() -> None:
    r = parse(review(impact="major"))
    first, staffing = r.inspection.standards
    assert (first.outcome, first.name.value, first.judgement.value, first.impact) == (
        1, "Respecting and involving people who use services", "Met this standard", None)
    assert first.judgement.span.text == "The provider is compliant with Outcome 01"
    assert (staffing.outcome, staffing.judgement.value, staffing.impact.value) == (13, "Action needed", "major")
    # Findings and the summing-up are evidence; what the outcome says is the framework's text.
    assert [p.span.text for p in staffing.evidence] == [
        "Two people told us they waited a long time for help at night.",
        "Rotas showed that on 9 of 14 nights only one nurse was on duty.",
        "There were not always enough staff at night."]
    # The action table names the outcome breached without opening its part.
    assert [(b.regulation.value, b.regulations, b.name.value) for b in r.inspection.breaches] == [
        ("22", "2010", "Staffing")]
    assert all("summary below" not in p.span.text for p in r.inspection.summary)


def test_the_summary_line_disagreeing_with_the_judgement_is_flagged() -> None:
    r = parse(review(listed="Holly Lodge Nursing Home was meeting this essential standard."))
    assert codes(r) == ["judgement_mismatch"]
    assert r.inspection.standards[1].judgement.value == "Action needed"  # the part's judgement is kept


def test_published_in_an_earlier_month_than_the_visit_is_flagged_but_the_same_month_is_not() -> None:
    assert codes(parse(review(published="January 2011", visited="28 January 2011"))) == []
    r = parse(review(published="December 2010"))
    assert codes(r) == ["date_order"] and r.warnings[0].span.text == "December 2010"


def test_names_that_cannot_be_split_are_kept_whole_and_flagged() -> None:
    text = review(NAMES["run together"]).replace(
        "Holly Lodge Nursing Home was not meeting one or more", "The home was not meeting one or more")
    r = parse(text)
    assert r.location.name.value == "Forest Care Limited Holly Lodge Nursing Home" and r.location.provider is None
    assert codes(r) == ["names_run_together"]


@settings(max_examples=40, deadline=None)
@given(blank_lines=st.booleans(), crlf=st.booleans(), impact=st.sampled_from(["minor", "moderate", "major"]),
       zero=st.booleans())
def test_any_spacing_gives_the_same_standards(blank_lines: bool, crlf: bool, impact: str, zero: bool) -> None:
    text = review(impact=impact)
    if not zero:
        text = text.replace("Outcome 01", "Outcome 1")
    if blank_lines:
        text = text.replace("\n", "\n\n")
    if crlf:
        text = text.replace("\n", "\r\n")
    r = parse(text)
    assert [(s.outcome, s.judgement.value, s.impact.value if s.impact else None) for s in r.inspection.standards] == [
        (1, "Met this standard", None), (13, "Action needed", impact)]
    assert [len(s.evidence) for s in r.inspection.standards] == [3, 3]
    assert codes(r) == []


@pytest.mark.parametrize(("visited", "dates"), [
    ("12 January 2011", ["2011-01-12"]),
    ("3 and 4 February 2011", ["2011-02-03", "2011-02-04"]),  # the first day shares the month and year
    ("31 January and 1 February 2011", ["2011-01-31", "2011-02-01"]),
])
def test_every_visit_day_of_the_review_is_read(visited: str, dates: list[str]) -> None:
    r = parse(review(visited=visited, published="March 2011"))
    assert [d.value.iso for d in r.inspection.visit_dates] == dates
    assert all(visited.endswith(d.span.text) or d.span.text in visited for d in r.inspection.visit_dates)


def test_the_closing_pages_give_no_breach_and_no_evidence() -> None:
    text = review() + ("What is a review of compliance?\nBy law, providers must meet the essential standards; "
                       "Regulation 10 HSCA 2008 (Regulated Activities) Regulations 2010 Assessing and monitoring "
                       "the quality of service provision is one of them.\n")
    r = parse(text)
    assert [b.regulation.value for b in r.inspection.breaches] == ["22"]
    assert not any("By law" in p.span.text for s in r.inspection.standards for p in s.evidence)


def test_a_notification_standard_is_judged_like_the_others() -> None:
    text = review().replace("Outcome 13: Staffing\nWhat the outcome says",
                            "Outcome 20: Notification of other incidents\nWhat the outcome says").replace(
        "There are moderate concerns with Outcome 13: Staffing", "There are minor concerns with Outcome 20: Notification of other incidents")
    r = parse(text)
    assert [(s.outcome, s.name.value, s.judgement.value, s.impact.value if s.impact else None)
            for s in r.inspection.standards] == [
        (1, "Respecting and involving people who use services", "Met this standard", None),
        (20, "Notification of other incidents", "Action needed", "minor")]
