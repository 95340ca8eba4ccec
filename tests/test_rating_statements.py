"""Ratings stated in sentences (reports of 2017 onward): the forms read, the ones left alone, and
what the readers of inspection reports and location pages do with them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import CORPUS, batch_to_sqlite, iter_spans
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.document import Document
from extractor.pipeline import ExtractOptions, extract_bytes
from extractor.ratingprose import read_statements

KQS = ["Safe", "Effective", "Caring", "Responsive", "Well-led"]


def statements(text: str, location: str | None = None) -> list[tuple]:
    doc = Document(text=text, blocks=[], source_id="t")
    found = read_statements(doc, 0, len(text), location)
    for s in found:  # every part points at its words
        for part in (s.subject, s.key_question, s.rating, s.change):
            if part is not None and part.span is not None:
                assert text[part.span.start:part.span.end] == part.span.text
        assert text[s.span.start:s.span.end] == s.span.text
    return [(s.subject.value if s.subject else None, s.key_question.value if s.key_question else None,
             s.rating.value if s.rating else None, s.change.value if s.change else None, s.about_location)
            for s in found]


@pytest.mark.parametrize("text, location, expected", [
    ("Our rating of this service stayed the same. We rated it as good because:\n• Staff knew people well.", None,
     [("this service", None, "Good", "stayed the same", True)]),
    ("Our rating of this trust went down since our last inspection. We rated it as Requires improvement.",
     "Fellbrook Hospitals NHS Trust", [("this trust", None, "Requires improvement", "went down", True)]),
    ("Our rating of the trust improved. We rated it as good because:\n"
     "• We rated safe and responsive as requires improvement, effective and caring as outstanding.\n"
     "• We rated well-led for the trust overall as good.", "Ravensmoor Community Health NHS Trust",
     [("the trust", None, "Good", "improved", True),
      ("the trust", "Safe", "Requires improvement", None, True),
      ("the trust", "Responsive", "Requires improvement", None, True),
      ("the trust", "Effective", "Outstanding", None, True),
      ("the trust", "Caring", "Outstanding", None, True),
      ("the trust", "Well-led", "Good", None, True)]),
    # "The trust" in a hospital's report is not the hospital.
    ("We rated well-led for the trust overall as requires improvement.", "Lowfield General Hospital",
     [("the trust", "Well-led", "Requires improvement", None, False)]),
    ("We have rated this practice as inadequate overall.\nWe rated the practice as\ninadequate\n"
     "for providing safe services because:\n• Blank prescriptions were not kept securely.", None,
     [("this practice", None, "Inadequate", None, True), ("the practice", "Safe", "Inadequate", None, True)]),
    # The PDF text puts "for" on the wrong side of the rating.
    ("We rated the practice as for requires improvement providing effective services because:", None,
     [("the practice", "Effective", "Requires improvement", None, True)]),
    ("We rated the practice as good for providing caring, responsive and well-led services.", None,
     [("the practice", kq, "Good", None, True) for kq in ("Caring", "Responsive", "Well-led")]),
    ("This practice is rated as Good overall. (Previous rating June 2016 – Inadequate)", None,
     [("This practice", None, "Good", None, True)]),
    ("Overall, we rated Fernhill Hospital as requires improvement. We rated it requires improvement for "
     "being safe and for being responsive, and good for being effective, caring and well-led.", "Fernhill Hospital",
     [("Fernhill Hospital", None, "Requires improvement", None, True),
      ("Fernhill Hospital", "Safe", "Requires improvement", None, True),
      ("Fernhill Hospital", "Responsive", "Requires improvement", None, True),
      ("Fernhill Hospital", "Effective", "Good", None, True),
      ("Fernhill Hospital", "Caring", "Good", None, True),
      ("Fernhill Hospital", "Well-led", "Good", None, True)]),
    ("We rated the hospital requires improvement overall, and safe and well led as requires improvement.", None,
     [("the hospital", None, "Requires improvement", None, True),
      ("the hospital", "Safe", "Requires improvement", None, True),
      ("the hospital", "Well-led", "Requires improvement", None, True)]),
    # A named hospital of a trust, rated with a "because" clause.
    ("Our rating of hospital stayed the same. We rated it as requires improvement because safe and responsive "
     "required improvement, but effective, caring and well-led were good.", "Calder Valley Hospitals NHS Trust",
     [("hospital", None, "Requires improvement", "stayed the same", False),
      ("hospital", "Safe", "Requires improvement", None, False),
      ("hospital", "Responsive", "Requires improvement", None, False),
      ("hospital", "Effective", "Good", None, False),
      ("hospital", "Caring", "Good", None, False),
      ("hospital", "Well-led", "Good", None, False)]),
    ("When we inspected in May 2022, we rated the home as outstanding.", None,
     [("the home", None, "Outstanding", None, True)]),
    # A key question as the subject: it keeps the place of the statement before.
    ("We rated the service as good. Our rating of safe improved. We rated it as good.", None,
     [("the service", None, "Good", None, True), ("the service", "Safe", "Good", "improved", True)]),
    # Passive forms: named places of a trust, each its own subject; key questions of the place before.
    ("Eastmere General Hospital and Wykebeck Hospital were rated requires improvement and Kirkstall Vale "
     "Community Hospital was rated good.", "Eastmere Teaching Hospitals NHS Foundation Trust",
     [("Eastmere General Hospital", None, "Requires improvement", None, False),
      ("Wykebeck Hospital", None, "Requires improvement", None, False),
      ("Kirkstall Vale Community Hospital", None, "Good", None, False)]),
    ("Barking, Havering and Redbridge University Hospitals was rated as inadequate.", None,
     [("Barking, Havering and Redbridge University Hospitals", None, "Inadequate", None, False)]),
    ("Fernhill Hospital was rated as good.", "Fernhill Hospital", [("Fernhill Hospital", None, "Good", None, True)]),
    ("We rated the practice as good overall. Safe and well-led were rated requires improvement.", None,
     [("the practice", None, "Good", None, True),
      ("the practice", "Safe", "Requires improvement", None, True),
      ("the practice", "Well-led", "Requires improvement", None, True)]),
    # A key question's move and its new rating, of the subject before.
    ("We rated the home as good. The rating for safe improved to good. Caring and well led went down to "
     "requires improvement.", None,
     [("the home", None, "Good", None, True),
      ("the home", "Safe", "Good", "improved", True),
      ("the home", "Caring", "Requires improvement", "went down", True),
      ("the home", "Well-led", "Requires improvement", "went down", True)]),
    # A web page's summary: the rating without "overall" after it, then a key question a line.
    ("Overall, the practice is rated as requires improvement.\n\nSafe - Requires improvement.\n\nCaring - Good\n",
     None, [("the practice", None, "Requires improvement", None, True),
            ("the practice", "Safe", "Requires improvement", None, True),
            ("the practice", "Caring", "Good", None, True)]),
    # Core services named as subjects: not the location; key questions after one are its own.
    ("Our rating of this hospital improved. We rated it as good. We rated maternity as outstanding and surgery as "
     "requires improvement. We rated safe as good.", "Haverleigh District Hospital",
     [("this hospital", None, "Good", "improved", True), ("maternity", None, "Outstanding", None, False),
      ("surgery", None, "Requires improvement", None, False), ("surgery", "Safe", "Good", None, False)]),
    # GP reports of 2014-2016.
    ("The practice has an overall rating of good. Specifically, we found the practice to be good for providing "
     "caring and responsive services. It requires improvement for providing safe services.", None,
     [("The practice", None, "Good", None, True), ("the practice", "Caring", "Good", None, True),
      ("the practice", "Responsive", "Good", None, True), ("the practice", "Safe", "Requires improvement", None, True)]),
    ("The overall rating for this practice is good. We found the practice to be good in the safe and well-led "
     "domains and outstanding in the effective domain.", None,
     [("this practice", None, "Good", None, True), ("the practice", "Safe", "Good", None, True),
      ("the practice", "Well-led", "Good", None, True), ("the practice", "Effective", "Outstanding", None, True)]),
    # "and rated" after what was inspected; the service named in the sentence is not the location.
    ("We inspected surgery and rated the service outstanding. The ratings for safe and effective improved "
     "to good.", "Haverleigh District Hospital",
     [("the service", None, "Outstanding", None, False),
      ("the service", "Safe", "Good", "improved", False),
      ("the service", "Effective", "Good", "improved", False)]),
    # A GP evidence table's summary: key questions after "has been rated as", then the place.
    ("The practice has been rated as inadequate in the safe, effective and well-led domains, and requires "
     "improvement in the caring domain. Overall the practice is therefore rated as inadequate.", None,
     [("The practice", "Safe", "Inadequate", None, True), ("The practice", "Effective", "Inadequate", None, True),
      ("The practice", "Well-led", "Inadequate", None, True),
      ("The practice", "Caring", "Requires improvement", None, True),
      ("the practice", None, "Inadequate", None, True)]),
    # An ambulance trust's core services.
    ("Our rating of the trust stayed the same. We rated it as good. We rated patient transport services as "
     "outstanding and emergency and urgent care as requires improvement.", "Ashdale Ambulance Service NHS Trust",
     [("the trust", None, "Good", "stayed the same", True),
      ("patient transport services", None, "Outstanding", None, False),
      ("emergency and urgent care", None, "Requires improvement", None, False)]),
    # A trust's page: the move of one key question at trust level, from one rating to another, and
    # one that stayed as it was.
    ("Our rating of the trust went down. We rated it as requires improvement. The rating for the well led "
     "question at trust level had gone down from outstanding to requires improvement. Responsive therefore "
     "remained as good.", "Ashdale Hospitals NHS Trust",
     [("the trust", None, "Requires improvement", "went down", True),
      ("the trust", "Well-led", "Requires improvement", "went down", True),
      ("the trust", "Responsive", "Good", "stayed the same", True)]),
])
def test_each_printed_form_gives_its_statements(text: str, location: str | None, expected: list[tuple]) -> None:
    assert statements(text, location) == expected


@pytest.mark.parametrize("text", [
    "At our last inspection in May 2016 we rated the service good overall.",
    "At our previous inspection, in July 2015, we rated the service requires improvement.",
    "We last inspected the hospice in March 2016, when we rated it good.",
    "We last inspected the practice in 2016, when it was rated as requires improvement overall.",
    "Our rating of Good for maternity services did not change ratings for the hospital overall.",
    "Staff told us they felt safe and that the managers were caring and responsive.",
    "People rated the food as good, and the activities as outstanding.",
    "At our last inspection Wykebeck Hospital was rated requires improvement.",
    "At our previous inspection in October 2016 the service was rated requires improvement.",
    "At the last inspection this key question was rated as good.",
    "Safe and effective were inspected and rated as part of the review.",
    "The number of incidents for safe care improved to 12 a month.",
    "The food is rated as good by most people who live at the home.",
    "Staff said safe - good practice was shared at every meeting.",
    "At our previous inspection we found the practice to be good for providing caring services.",
    "The overall rating for the food hygiene inspection is good.",
    "Safe staffing remained a concern and caring remained good in most wards.",
])
def test_past_ratings_and_other_prose_give_none(text: str) -> None:
    assert statements(text) == []


def test_a_list_after_a_named_core_service_is_not_the_locations() -> None:
    text = ("Our rating of this hospital stayed the same. We rated it as good because:\n"
            "• Our rating of good for maternity services did not change ratings for the hospital overall. "
            "We rated safe as good and well-led as good.")
    assert statements(text) == [("this hospital", None, "Good", "stayed the same", True),
                                (None, "Safe", "Good", None, False), (None, "Well-led", "Good", None, False)]


def test_the_service_under_a_core_services_heading_is_that_service() -> None:
    text = ("Our rating of this hospital improved. We rated it as good because:\n"
            "• Staff were caring.\n\n"
            "Maternity\n\n"
            "Our rating of this service stayed the same. We rated it as good.\n\n"
            "In surgery, we rated the service as requires improvement.")
    assert statements(text) == [("this hospital", None, "Good", "improved", True),
                                ("this service", None, "Good", "stayed the same", False),
                                ("the service", None, "Requires improvement", None, False)]


def test_it_after_a_core_service_is_named_is_not_the_pending_subject() -> None:
    text = "Our rating of this hospital improved. We inspected maternity and we rated it as outstanding."
    assert statements(text) == [("this hospital", None, None, "improved", True),
                                (None, None, "Outstanding", None, False)]


_JOINS = [", ", " and ", ", and "]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["outstanding", "good", "requires improvement", "inadequate"]), min_size=5,
                max_size=5),
       st.permutations(KQS), st.integers(min_value=1, max_value=5), st.sampled_from(_JOINS),
       st.sampled_from(["well-led", "well led", "Well-led"]), st.sampled_from(["as ", ""]))
def test_any_grouping_of_the_key_questions_reads_back(ratings: list[str], order: list[str], groups: int,
                                                      join: str, well_led: str, overall_as: str) -> None:
    """"We rated the service <r> overall, and A and B as R1, C as R2 ..." in any grouping."""
    names = {kq: (well_led if kq == "Well-led" else kq.lower()) for kq in KQS}
    cut = sorted({round(i * 5 / groups) for i in range(1, groups)})
    parts = [order[a:b] for a, b in zip([0, *cut], [*cut, 5]) if order[a:b]]
    clauses = []
    for part, rating in zip(parts, ratings):
        listed = names[part[0]] if len(part) == 1 else ", ".join(names[k] for k in part[:-1]) + " and " + names[part[-1]]
        clauses.append(f"{listed} as {rating}")
    text = f"We rated the service {overall_as}{ratings[-1]} overall, and " + join.join(clauses) + "."
    got = statements(text)
    assert got[0] == ("the service", None, ratings[-1].capitalize(), None, True)
    want = [("the service", kq, rating.capitalize(), None, True) for part, rating in zip(parts, ratings) for kq in part]
    assert got[1:] == want


def _corpus(name: str) -> str:
    return next((CORPUS / "inspection-text").glob(f"{name}_*.txt")).read_text(encoding="utf-8")


def _extract(text: str):
    return extract_bytes(text.encode(), source_id="report.txt", options=ExtractOptions(nlp=False))


def test_a_statement_that_disagrees_with_the_ratings_block_is_flagged_at_its_words() -> None:
    text = _corpus("17")
    r = _extract(text)
    mismatch = [w for w in r.warnings if w.code == "rating_mismatch"]
    assert len(mismatch) == 1 and mismatch[0].message.startswith("Well-led: rated 'Good' (")
    assert text[mismatch[0].span.start:mismatch[0].span.end] == "requires improvement"
    assert "for providing well-led services" in text[mismatch[0].span.start:mismatch[0].span.start + 60]
    well_led = next(k for k in r.key_questions if k.name.value == "Well-led")
    assert well_led.rating.value == "Good"  # the block's rating is kept
    assert all(text[s["start"]:s["end"]] == s["text"] for s in iter_spans(r.model_dump(mode="json")))


def test_a_key_question_the_block_leaves_out_takes_the_statements_rating() -> None:
    text = _corpus("17").replace("Are services well-led?   Good\n", "", 1)
    r = _extract(text)
    well_led = next(k for k in r.key_questions if k.name.value == "Well-led")
    assert (well_led.rating.value, well_led.rating.rule) == ("Requires improvement", "rating_statement.rating")
    assert well_led.name.rule == "inspection.question"  # its section still asks it
    codes = sorted(w.code for w in r.warnings)
    assert "rating_missing" in codes and "rating_mismatch" not in codes


def test_a_wordless_ratings_block_takes_the_overall_rating_from_the_summary() -> None:
    text = _corpus("16")
    r = _extract(text)
    overall = r.location.overall_rating
    assert (overall.value, overall.rule) == ("Requires improvement", "rating_statement.rating")
    assert text[overall.span.start - 22:overall.span.end] == "we rated the trust as requires improvement"
    assert [w.code for w in r.warnings].count("rating_missing") == 6  # the block still prints no rating


def _history(text: str):
    r = _extract(text)
    return r, [w for w in r.warnings if w.code in ("rating_change_mismatch", "rating_mismatch")]


def test_history_entries_state_how_the_rating_moved() -> None:
    r, flagged = _history(_corpus("18"))
    assert flagged == []
    got = [[(s.rating.value if s.rating else None, s.change.value) for s in e.rating_statements
            if s.change is not None] for e in r.history]
    assert got == [[("Good", "stayed the same")], [("Good", "improved")], [("Requires improvement", "went down")], []]


def test_a_change_the_entry_below_does_not_bear_out_is_flagged() -> None:
    text = _corpus("18").replace("Our rating of this hospital improved.", "Our rating of this hospital went down.")
    r, flagged = _history(text)
    assert [(w.code, w.span.text) for w in flagged] == [("rating_change_mismatch", "went down")]
    assert "2019-05-14 says the rating went down ('Good')" in flagged[0].message
    assert "'Requires improvement'" in flagged[0].message


def test_a_header_that_is_not_the_newest_entrys_rating_is_flagged() -> None:
    text = _corpus("18").replace("Overall: Good read more", "Overall: Outstanding read more")
    r, flagged = _history(text)
    assert [(w.code, w.span.text) for w in flagged] == [("rating_mismatch", "Good")]
    assert r.location.overall_rating.value == "Outstanding"  # the header's is kept


def test_export_gives_one_row_per_statement_and_the_readme_query_works(tmp_path: Path) -> None:
    from test_export import readme_query

    _, db = batch_to_sqlite({"history.txt": _corpus("18"), "gp.txt": _corpus("17")}, tmp_path)
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT entry_no, subject, about_location, key_question, rating, rating_change "
                            "FROM rating_statements JOIN reports USING (report_id) "
                            "WHERE location_name = 'Sandholme General Hospital' AND key_question IS NULL "
                            "ORDER BY statement_no").fetchall()
        assert rows == [(0, "this hospital", 1, None, "Good", "stayed the same"),
                        (1, "this hospital", 1, None, "Good", "improved"),
                        (2, "this hospital", 1, None, "Requires improvement", "went down")]
        assert conn.execute("SELECT count(*), count(entry_no) FROM rating_statements JOIN reports USING (report_id)"
                            " WHERE location_name = 'Millbeck Practice'").fetchone() == (6, 0)
        moved = conn.execute(readme_query("How each location's rating moved")).fetchall()
    assert [m[1:] for m in moved] == [
        ("2023-09-12", "During an inspection looking at part of the service", "Good", "stayed the same"),
        ("2019-05-14", "During a routine inspection", "Good", "improved"),
        ("2017-10-03", "During a routine inspection", "Requires improvement", "went down")]
