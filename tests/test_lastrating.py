"""The rating before this inspection, as adult social care reports of 2017 onward give it: the
summary's last rating (and when it was published) and how it moved, and each key question's."""

from __future__ import annotations

import pytest
from conftest import CORPUS, iter_spans
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.document import Document
from extractor.lastrating import read_change, read_overall
from extractor.pipeline import ExtractOptions, extract_bytes

RATINGS = ["Inadequate", "Requires improvement", "Good", "Outstanding"]


def _doc(text: str) -> Document:
    return Document(text=text, blocks=[], source_id="t")


def _values(found) -> tuple:
    if found is None:
        return None
    return tuple(None if f is None else (f.value.iso if hasattr(f.value, "iso") else f.value)
                 for f in (found.before, found.change, found.to, found.published))


def _spans_hold(text: str, found) -> None:
    for f in (found.before, found.change, found.to, found.published):
        if f is not None:
            assert text[f.span.start:f.span.end] == f.span.text


@pytest.mark.parametrize("text, expected", [
    ("The last rating for this service was requires improvement (published 14 May 2019).",
     ("Requires improvement", None, None, "2019-05-14")),
    ("The last rating for this service was good, published in February 2019. This inspection was planned.",
     ("Good", None, None, "2019-02")),
    ("The last rating for the service under the previous provider was Outstanding, published on 2 March 2018.",
     ("Outstanding", None, None, "2018-03-02")),
    ("At our last inspection in August 2016 we rated the service good overall. At this inspection the rating "
     "has fallen to requires improvement because risks were not managed.",
     ("Good", "went down", "Requires improvement", None)),
    ("At the last inspection, on 3 May 2016, the service was rated as Requires Improvement. At this "
     "inspection we found the service remained requires improvement.",
     ("Requires improvement", "stayed the same", "Requires improvement", None)),
    ("At our last inspection we rated the service good. At this inspection we found the service remained Good.",
     ("Good", "stayed the same", "Good", None)),
    ("At our previous inspection, in July 2015, we rated the service good. We gave two days' notice.",
     ("Good", None, None, None)),
    ("The overall rating for the service has changed from good to requires improvement.",
     ("Good", "went down", "Requires improvement", None)),
    ("The last rating for this service was inadequate (published 9 January 2020). The service has been in "
     "special measures. At this inspection the service has improved to requires improvement.",
     ("Inadequate", "improved", "Requires improvement", "2020-01-09")),
])
def test_each_summary_form_gives_the_last_rating_and_the_move(text: str, expected: tuple) -> None:
    found = read_overall(_doc(text), 0, len(text), [])
    assert _values(found) == expected
    _spans_hold(text, found)


@pytest.mark.parametrize("text", [
    "This was the first inspection of the service since it registered with us in May 2020.",
    "At our last inspection the provider sent us an action plan.",  # no rating
    "The registered manager had displayed the rating from our last inspection in the home.",
])
def test_other_sentences_give_nothing(text: str) -> None:
    assert read_overall(_doc(text), 0, len(text), []) is None


@pytest.mark.parametrize("text, expected", [
    ("At the last inspection this key question was rated as good. At this inspection this key question has "
     "remained the same. This meant people were safe.", ("Good", "stayed the same", None, None)),
    ("At our last inspection we rated this key question requires improvement. At this inspection this key "
     "question has now improved to good.", ("Requires improvement", "improved", "Good", None)),
    ("At the last inspection this key question was rated as outstanding. At this inspection the rating has "
     "deteriorated to good.", ("Outstanding", "went down", "Good", None)),
    ("At our last inspection this key question was rated as Good. At this inspection the rating has changed "
     "to requires improvement.", ("Good", "went down", "Requires improvement", None)),
    ("At the last inspection this key question was rated as good. Staff were kind.", ("Good", None, None, None)),
])
def test_each_key_question_form_gives_its_rating_before_and_the_move(text: str, expected: tuple) -> None:
    found = read_change(_doc(text), 0, len(text))
    assert _values(found) == expected
    _spans_hold(text, found)


def _report(overall: str, before: str, now: str, stated_to: str) -> str:
    lines = ["Willowmere House", "", "Inspection report", "", "3 Mill Lane", "Leeds", "LS12 4AB", "",
             "Date of inspection visit: 4 May 2021", "Date of publication: 22 June 2021", "", "Ratings", "",
             f"Overall rating for this service  {overall}"]
    lines += [f"Is the service {kq}?  {now}" for kq in ("safe", "effective", "caring", "responsive", "well-led")]
    lines += ["", "Overall summary", "", "Willowmere House is a care home for up to 30 older people.", "",
              "Is the service safe?", "", "Our findings", "",
              "Safe – this means we looked for evidence that people were protected from abuse and avoidable harm.",
              "", f"At the last inspection this key question was rated as {before.lower()}. At this inspection this "
              f"key question has changed to {stated_to.lower()}. This meant people were safe.", ""]
    return "\n".join(lines)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(RATINGS), st.sampled_from(RATINGS), st.sampled_from(RATINGS))
def test_a_stated_move_is_checked_against_the_ratings_block(before: str, now: str, stated_to: str) -> None:
    text = _report(now, before, now, stated_to)
    r = extract_bytes(text.encode(), source_id="r.txt", options=ExtractOptions(nlp=False))
    assert all(text[s["start"]:s["end"]] == s["text"] for s in iter_spans(r.model_dump(mode="json")))
    safe = r.key_questions[0]
    assert safe.rating.value == now and safe.previous_rating.value == before  # the block's rating kept
    scale = RATINGS
    moved = scale.index(stated_to) - scale.index(before)
    assert safe.rating_change.value == ("improved" if moved > 0 else "went down" if moved < 0 else "stayed the same")
    codes = [w.code for w in r.warnings if w.code in ("rating_mismatch", "rating_change_mismatch")]
    # "changed to X" states X: another rating than the block's is a mismatch, and then the move
    # from the rating before may not give the block's rating either.
    expected = ["rating_mismatch"] if stated_to != now else []
    actual_move = scale.index(now) - scale.index(before)
    if stated_to != now and (moved > 0) - (moved < 0) != (actual_move > 0) - (actual_move < 0):
        expected.append("rating_change_mismatch")
    assert sorted(codes) == sorted(expected)


def test_the_readme_query_gives_each_key_questions_rating_beside_the_one_before(tmp_path) -> None:
    import sqlite3

    from conftest import batch_to_sqlite
    from test_export import readme_query

    docs = {p.name: p.read_text(encoding="utf-8") for p in sorted((CORPUS / "inspection-text").glob("2[23]_*.txt"))}
    _, db = batch_to_sqlite(docs, tmp_path)
    with sqlite3.connect(db) as conn:
        rows = conn.execute(readme_query("Each key question's rating beside the rating before")).fetchall()
        reports = conn.execute("SELECT location_name, previous_overall_rating, previous_overall_publication_date, "
                               "overall_rating_change "
                               "FROM reports ORDER BY location_name").fetchall()
    assert [r[2:] for r in rows] == [
        ("Safe", "Requires improvement", "Good", "improved"), ("Effective", "Good", "Good", "stayed the same"),
        ("Caring", "Good", "Good", "stayed the same"),
        ("Well-led", "Requires improvement", "Requires improvement", "improved")]  # as printed: flagged
    assert [r[1:] for r in reports] == [("Good", None, "stayed the same"),
                                        ("Requires improvement", "2019-05-14", "improved")]


def test_corpus_summaries_give_the_last_rating() -> None:
    text = (CORPUS / "inspection-text" / "07_pendleford_house_date_order.txt").read_text(encoding="utf-8")
    r = extract_bytes(text.encode(), source_id="07", options=ExtractOptions(nlp=False))
    ins = r.inspection
    assert (ins.previous_rating.value, ins.previous_publication_date.value.iso, ins.rating_change) == (
        "Good", "2019-02", None)
    assert ins.previous_publication_date.span.text == "February 2019"
    assert ins.previous_publication_date.rule == "last_rating.published_month"


@pytest.mark.parametrize("text, first, registered", [
    ("This service was registered with us on 9 April 2019 and this is the first inspection.",
     "this is the first inspection", ("2019-04-09", "9 April 2019")),
    ("This is the first inspection for this newly registered service.", "This is the first inspection for this "
     "newly registered service", None),
    ("This was the first inspection of the service since it registered with us in January 2019.",
     "This was the first inspection of the service", ("2019-01", "January 2019")),
    # A first inspection since something else is not the location's first.
    ("This was the first inspection since the service moved to its new office in 2016.", None, None),
    ("A registered manager is a person who has registered with the Care Quality Commission to manage the service.",
     None, None),
])
def test_a_summary_says_whether_this_is_the_first_inspection_and_when_the_service_registered(
        text: str, first: str | None, registered: tuple | None) -> None:
    from extractor.lastrating import read_first

    found, when = read_first(_doc(text), 0, len(text), [])
    assert (found.span.text if found else None) == first and (found is None or found.value is True)
    assert ((when.value.iso, when.span.text) if when else None) == registered
