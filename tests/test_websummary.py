"""Rating-era web summary pages: the page header, the overall inspection, the date the summary was
updated, the summary and each key question's rating and summary."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from conftest import batch_to_sqlite

from extractor.pipeline import ExtractOptions, extract_bytes

PAGE = """\
• Care Home
  • Care home

Rosebank House

Overall: {header} read more about inspection ratings

12 Elm Road, Harrogate, North Yorkshire, HG1 2AB 0113 496 0555

Provided and run by:
Rosebank Care Limited

Important: This service is now registered under a new provider.

Latest inspection summary

Overall inspection

{overall}

Updated 18 May 2023

Rosebank House is a care home providing personal care to up to 30 older people. At the time of our inspection 27 people lived there.

People told us they felt safe. Relatives said staff kept them informed.

Safe

Good

Risks to people were assessed and staff knew how to keep people safe.

Well-led

Requires improvement

Audits had not found the gaps in care records we found.
"""


def parse(header: str = "Good", overall: str = "Good", **options: bool):
    return extract_bytes(PAGE.format(header=header, overall=overall).encode(), source_id="web.txt",
                         options=ExtractOptions(**options))


def test_a_web_summary_page_gives_the_header_the_ratings_the_date_and_the_summaries() -> None:
    r = parse(ner=False)
    assert r.document_kind == "inspection_summary_page"
    loc = r.location
    assert (loc.name.value, loc.provider.value, loc.overall_rating.value) == ("Rosebank House", "Rosebank Care Limited", "Good")
    assert [s.value for s in loc.service_types] == ["Care home", "Care home"]  # canonical names
    ins = r.inspection
    assert (ins.updated.value.iso, ins.updated.span.text, ins.updated.rule) == (
        "2023-05-18", "18 May 2023", "web_summary.updated_line")
    assert ins.visit_dates == [] and ins.publication_date is None
    # The banner is not the summary.
    assert [p.span.text[:20] for p in ins.summary] == ["Rosebank House is a ", "People told us they "]
    assert ins.summary[1].sentences[0].category == "People's experience"
    assert [(k.name.value, k.rating.value, [p.span.text[:5] for p in k.summary]) for k in r.key_questions] == [
        ("Safe", "Good", ["Risks"]), ("Well-led", "Requires improvement", ["Audit"])]
    # Rated by an inspection before quality statements existed: none are missing.
    assert all(k.statements_not_present == [] and k.computed_from_statements is None for k in r.key_questions)
    assert r.warnings == []


def test_an_overall_inspection_rated_otherwise_than_the_header_is_flagged_and_the_header_kept() -> None:
    r = parse(header="Requires improvement", overall="Good", nlp=False)
    assert r.location.overall_rating.value == "Requires improvement"
    assert [(w.code, w.span.text) for w in r.warnings] == [("rating_mismatch", "Good")]


def test_without_a_header_rating_the_overall_inspection_gives_it() -> None:
    text = PAGE.format(header="Good", overall="Inadequate").replace(
        "Overall: Good read more about inspection ratings\n", "")
    r = extract_bytes(text.encode(), source_id="web.txt", options=ExtractOptions(nlp=False))
    assert (r.location.overall_rating.value, r.location.overall_rating.rule) == ("Inadequate", "web_summary.overall_inspection")
    assert r.document_kind == "inspection_summary_page"


def test_export_gives_the_updated_date_and_the_key_question_ratings(tmp_path: Path) -> None:
    out, db = batch_to_sqlite({"web.txt": PAGE.format(header="Good", overall="Good")}, tmp_path)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT document_kind, updated_date, publication_date, overall_rating FROM reports"
                            ).fetchone() == ("inspection_summary_page", "2023-05-18", None, "Good")
        assert conn.execute("SELECT key_question, rating FROM key_questions ORDER BY kq_no").fetchall() == [
            ("Safe", "Good"), ("Well-led", "Requires improvement")]


def test_ratings_printed_on_the_line_of_their_heading_are_read() -> None:
    text = (PAGE.format(header="Requires improvement", overall="Good")
            .replace("Overall inspection\n\nGood\n", "Overall inspection: Good\n")
            .replace("Safe\n\nGood\n", "Safe: Good\n")
            .replace("Well-led\n\nRequires improvement\n", "Well-led Requires improvement\n"))
    r = extract_bytes(text.encode(), source_id="web.txt", options=ExtractOptions(nlp=False))
    assert [(k.name.value, k.rating.value, k.rating.span.text, [p.span.text[:5] for p in k.summary])
            for k in r.key_questions] == [("Safe", "Good", "Good", ["Risks"]),
                                          ("Well-led", "Requires improvement", "Requires improvement", ["Audit"])]
    assert [p.span.text[:8] for p in r.inspection.summary] == ["Rosebank", "People t"]  # not the key questions'
    assert [(w.code, w.span.text) for w in r.warnings] == [("rating_mismatch", "Good")]


def test_the_summary_gives_the_rating_before_and_how_it_moved() -> None:
    said = ("People told us they felt safe. Relatives said staff kept them informed.\n\n"
            "The last rating for this service was requires improvement (published 3 March 2020). At this "
            "inspection the rating has remained requires improvement.")
    text = PAGE.format(header="Good", overall="Good").replace(
        "People told us they felt safe. Relatives said staff kept them informed.", said)
    r = extract_bytes(text.encode(), source_id="web.txt", options=ExtractOptions(nlp=False))
    ins = r.inspection
    assert (ins.previous_rating.value, ins.previous_publication_date.value.iso, ins.rating_change.value) == (
        "Requires improvement", "2020-03-03", "stayed the same")
    # The page rates the location Good: the rating it says the service stayed at is another.
    assert sorted(w.code for w in r.warnings) == ["rating_change_mismatch", "rating_mismatch"]
    assert all(text[w.span.start:w.span.end] == w.span.text for w in r.warnings)


def test_a_page_of_2016_to_2018_takes_its_key_questions_from_the_summary() -> None:
    # A dentist's page: "Inspection Summary", "Overall summary & rating" and the date, then the
    # report's summary with each key question's finding (not rated).
    text = ("Inspection Summary\n\nOverall summary & rating\n\nUpdated 18 April 2018\n\n"
            "We carried out this focused inspection of Millgate Dental Practice on 27 February 2018 to follow up "
            "the breach of regulation we found in September 2016.\n\nOur findings were:\n\n"
            "Are services well-led?\n\n"
            "We found this practice was providing well-led care in accordance with the relevant regulations.\n\n"
            "The provider had put right the shortfalls we found at our last inspection.\n")
    r = extract_bytes(text.encode(), source_id="millgate.txt", options=ExtractOptions(nlp=False))
    assert r.document_kind == "inspection_summary_page"
    assert r.inspection.updated.value.iso == "2018-04-18"
    assert r.location.name is None  # the page's headings are no name
    assert [(k.name.value, k.rating.value, k.rating.rule) for k in r.key_questions] == [
        ("Well-led", "Regulations met", "inspection.finding")]
    # The prose is the summary's, once.
    assert r.key_questions[0].summary == []
    assert r.inspection.summary[-1].span.text.startswith("The provider had put right")
