"""A location page's list of all inspections: each entry's dates, what it was and its summary,
newest first."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from conftest import batch_to_sqlite, iter_spans

from extractor.pipeline import ExtractOptions, extract_bytes

PAGE = """\
• Care Home
  • Care home

Rosebank House

Overall: Good read more about inspection ratings

12 Elm Road, Harrogate, North Yorkshire, HG1 2AB 0113 496 0555

Provided and run by:
Rosebank Care Limited

All inspections

During an assessment under our new approach

People told us they were happy with the care they received.

{second}

During a routine inspection

Rosebank House is a care home for up to 30 older people. Staff told us they felt supported.

5 to 7 March 2019

During an inspection looking at part of the service

We looked at how medicines were managed.
"""


def parse(second: str = "18 May 2023", **options: bool):
    return extract_bytes(PAGE.format(second=second).encode(), source_id="history.txt",
                         options=ExtractOptions(**options))


def test_each_entry_gives_its_dates_what_it_was_and_its_summary() -> None:
    r = parse(ner=False)
    assert r.document_kind == "location_history_page"
    assert (r.location.name.value, r.location.overall_rating.value) == ("Rosebank House", "Good")
    got = [(e.start.value.iso if e.start else None, e.end.value.iso if e.end else None, e.kind.value,
            [p.span.text[:12] for p in e.summary]) for e in r.history]
    assert got == [
        (None, None, "During an assessment under our new approach", ["People told "]),
        ("2023-05-18", None, "During a routine inspection", ["Rosebank Hou"]),
        ("2019-03-05", "2019-03-07", "During an inspection looking at part of the service", ["We looked at"]),
    ]
    assert r.history[2].start.span.text == "5" and r.history[2].start.rule == "history.entry_period_start"
    assert r.history[1].summary[0].sentences[1].category == "Feedback from staff and leaders"
    assert r.history[1].span.text.startswith("18 May 2023") and r.history[1].span.text.endswith("supported.")
    assert r.key_questions == [] and r.warnings == []
    text = PAGE.format(second="18 May 2023")
    assert all(text[s["start"]:s["end"]] == s["text"] for s in iter_spans(r.model_dump(mode="json")))


def test_an_entry_newer_than_the_one_above_it_is_flagged_not_reordered() -> None:
    r = parse(second="18 May 2013", nlp=False)
    assert [e.start.value.iso for e in r.history if e.start] == ["2013-05-18", "2019-03-05"]
    assert [(w.code, w.span.text) for w in r.warnings] == [("history_order", "5")]


def test_export_gives_one_row_per_entry_and_its_sentences(tmp_path: Path) -> None:
    out, db = batch_to_sqlite({"history.txt": PAGE.format(second="18 May 2023")}, tmp_path)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT entry_no, start_date, end_date, kind FROM history_entries ORDER BY entry_no"
                            ).fetchall() == [
            (0, None, None, "During an assessment under our new approach"),
            (1, "2023-05-18", None, "During a routine inspection"),
            (2, "2019-03-05", "2019-03-07", "During an inspection looking at part of the service")]
        assert conn.execute("SELECT entry_no, count(*) FROM evidence_sentences WHERE section = 'history' "
                            "GROUP BY entry_no").fetchall() == [(0, 1), (1, 2), (2, 1)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_dates_after_inspection_carried_out_on_are_read() -> None:
    # Pages of 2013-2016 put words before an entry's dates.
    r = parse(second="Inspection carried out on 18 May 2013", nlp=False)
    entry = r.history[1]
    assert (entry.start.value.iso, entry.start.span.text, entry.kind.value) == (
        "2013-05-18", "18 May 2013", "During a routine inspection")
    assert entry.span.text.startswith("Inspection carried out on 18 May 2013")
    assert [w.code for w in r.warnings] == ["history_order"]  # 2013 above 2019
    r = parse(second="Inspection carried out on 18 July & 24th July 2016", nlp=False)
    entry = r.history[1]
    assert [(d.value.iso, d.span.text) for d in (entry.start, entry.end)] == [
        ("2016-07-18", "18 July"), ("2016-07-24", "24th July 2016")]


def test_an_undated_assessment_takes_its_period_from_its_summary() -> None:
    text = PAGE.format(second="18 May 2023").replace(
        "People told us they were happy with the care they received.",
        "The assessment took place between 16 January and 06 February 2024. We visited on 16 January 2024, "
        "when 28 people lived there. People told us they were happy with the care they received.")
    r = extract_bytes(text.encode(), source_id="history.txt", options=ExtractOptions(nlp=False))
    first = r.history[0]
    assert [(d.value.iso, d.span.text, d.rule) for d in (first.start, first.end)] == [
        ("2024-01-16", "16 January", "history.summary_period_start"),
        ("2024-02-06", "06 February 2024", "history.summary_period_end")]
    assert r.warnings == []  # newer than the entry below: in order
    # Dated entries keep their own dates.
    assert r.history[1].start.value.iso == "2023-05-18"


def test_dates_in_figures_with_dots_are_read() -> None:
    # Trust pages of 2019 print some entries' dates so: "24.09.2019 to 30.10.2019".
    r = parse(second="24.09.2019 to 30.10.2019", nlp=False)
    entry = r.history[1]
    assert [(d.value.iso, d.span.text, d.rule) for d in (entry.start, entry.end)] == [
        ("2019-09-24", "24.09.2019", "history.entry_period_start"),
        ("2019-10-30", "30.10.2019", "history.entry_period_end")]
    assert [w.code for w in r.warnings] == []


def test_an_entry_gives_the_rating_before_and_it_is_checked_against_the_entry_below() -> None:
    said = ("Rosebank House is a care home for up to 30 older people. Staff told us they felt supported.\n\n"
            "The last rating for this service was requires improvement (published 3 June 2019). "
            "At this inspection the rating has improved to good. We rated it as good.")
    below = "We looked at how medicines were managed. We rated the service as good."
    text = PAGE.format(second="18 May 2023").replace(
        "Rosebank House is a care home for up to 30 older people. Staff told us they felt supported.", said
    ).replace("We looked at how medicines were managed.", below)
    r = extract_bytes(text.encode(), source_id="history.txt", options=ExtractOptions(nlp=False))
    entry = r.history[1]
    assert (entry.previous_rating.value, entry.previous_publication_date.value.iso, entry.rating_change.value) == (
        "Requires improvement", "2019-06-03", "improved")
    # The entry below states Good: not the last rating this entry gives.
    [w] = r.warnings
    assert w.code == "rating_mismatch" and w.message.startswith("the entry of 2023-05-18 says the last rating")
    assert text[w.span.start:w.span.end] == "requires improvement"
    assert all(text[s["start"]:s["end"]] == s["text"] for s in iter_spans(r.model_dump(mode="json")))


PROVIDER_PAGE = """\
• Organisation
  • SERVICE PROVIDER

Fellbrook Hospitals NHS Foundation Trust

This is an organisation that runs the health and social care services we inspect

Overall: Good read more about inspection ratings

All Inspections

4 to 6 March 2019

During an inspection looking at part of the service

Our rating of the trust stayed the same. We rated it as good because:

  • We rated effective and well led as good, and safe as requires improvement.

Fellbrook General Hospital

  • We inspected surgery and rated the service outstanding. The rating for well led improved to outstanding.

Community urgent care services

  • We rated this service as good. Safe and effective improved to good.
"""


def test_a_providers_page_gives_its_labels_and_no_core_service_from_its_entries() -> None:
    r = extract_bytes(PROVIDER_PAGE.encode(), source_id="provider.txt", options=ExtractOptions(nlp=False))
    assert r.document_kind == "location_history_page"
    assert [s.value for s in r.location.service_types] == ["Organisation", "Service provider"]
    # The entries' headings name services of the trust, not what the page is about.
    assert r.location.name.value == "Fellbrook Hospitals NHS Foundation Trust" and r.location.core_service is None
    assert r.warnings == []
    got = [(s.subject.value, s.key_question.value if s.key_question else None, s.rating.value,
            s.change.value if s.change else None, s.about_location) for s in r.history[0].rating_statements]
    assert got == [
        ("the trust", None, "Good", "stayed the same", True),
        ("the trust", "Effective", "Good", None, True), ("the trust", "Well-led", "Good", None, True),
        ("the trust", "Safe", "Requires improvement", None, True),
        ("the service", None, "Outstanding", None, False),
        ("the service", "Well-led", "Outstanding", "improved", False),
        ("this service", None, "Good", None, False),
        ("this service", "Safe", "Good", "improved", False), ("this service", "Effective", "Good", "improved", False),
    ]


def test_an_entry_restating_a_gp_reports_ratings_gives_a_statement_a_line() -> None:
    page = PROVIDER_PAGE.split("All Inspections")[0].replace("Fellbrook Hospitals NHS Foundation Trust",
                                                             "Kestrel Row Surgery")
    page += ("All Inspections\n\n28 November 2017\n\nDuring a routine inspection\n\n"
             "This practice is rated as Requires Improvement overall. (Previous inspection 12 November 2014 - "
             "rated good overall.)\nThe key questions are rated as:\nAre services safe? – Requires improvement\n"
             "Are services effective? – Good\nAre services well-led? - Good\n"
             "We carried out an announced comprehensive inspection on 28 November 2017.\n")
    r = extract_bytes(page.encode(), source_id="gp.txt", options=ExtractOptions(nlp=False))
    got = [(s.subject.value, s.key_question.value if s.key_question else None, s.rating.value, s.about_location)
           for s in r.history[0].rating_statements]
    assert got == [("This practice", None, "Requires improvement", True),
                   ("This practice", "Safe", "Requires improvement", True), ("This practice", "Effective", "Good", True),
                   ("This practice", "Well-led", "Good", True)]
    # The page header's rating (Good) is not the newest entry's.
    assert [w.code for w in r.warnings] == ["rating_mismatch"]
