"""Star-rated key inspection reports (2009-2010): the star rating, the date in spaced digits, the home."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import batch_to_sqlite

from extractor.errors import UnsupportedReportFamily
from extractor.pipeline import ExtractOptions, extract_bytes

REPORT = """\
Key inspection report
Care homes for older people
Name: Address: Ferndale House 14 Orchard Road Taunton Somerset TA1 4HQ {rating} The quality rating for this care home is: A quality rating is our assessment of how well a care home is meeting the needs of the people who use it. Lead inspector: Anne Example Date: {date}
This report is a review of the quality of outcomes that people experience in this care home. We believe high quality care should: \u00ef\u00b7 Be safe \u00ef\u00b7 Have the right outcomes
Information about the care home
Name of care home    Ferndale House
Address    14 Orchard Road Taunton Somerset TA1 4HQ
Telephone number    0113 496 0111
Name of registered provider(s)/company (if applicable)
Ferndale Care Ltd
Name of registered manager (if applicable)    Mrs X Example
Number of places registered: 32
What the care home does well
People told us they liked living at the home and that staff were kind. We saw staff helping people to eat their lunch at a relaxed pace.
What they could do better:
Care plans need to be reviewed each month so that staff have up to date information about people's needs.
"""


def parse(rating: str = "two star good service", date: str = "1 8 0 2 2 0 1 0", **options: bool):
    text = REPORT.format(rating=rating, date=date)
    return extract_bytes(text.encode(), source_id="fern.txt", options=ExtractOptions(**options))


def test_rating_date_and_home_are_read() -> None:
    r = parse(ner=False)
    assert r.document_kind == "star_rated_report" and r.key_questions == []
    loc = r.location
    assert (loc.name.value, loc.provider.value, loc.phone.e164, loc.address.postcode.value) == (
        "Ferndale House", "Ferndale Care Ltd", "+441134960111", "TA1 4HQ")
    assert [s.value for s in loc.service_types] == ["Care homes for older people"]
    star = r.inspection.star_rating
    assert (star.stars.value, star.quality.value, star.stars.span.text) == (2, "good", "two")
    [date] = r.inspection.visit_dates
    assert (date.value.iso, date.span.text, date.rule) == ("2010-02-18", "1 8 0 2 2 0 1 0", "star_rated.spaced_digits")
    # The summary is the prose after the home's details, without the part headings.
    assert [[s.category for s in p.sentences] for p in r.inspection.summary] == [
        ["People's experience", "Observation"], ["Processes"]]
    assert r.warnings == []


@pytest.mark.parametrize("rating, stars, quality", [
    ("zero star poor service", 0, "poor"), ("one star adequate service", 1, "adequate"),
    ("three star excellent service", 3, "excellent"), ("3 star excellent service", 3, "excellent"),
])
def test_every_star_rating(rating: str, stars: int, quality: str) -> None:
    star = parse(rating=rating, nlp=False).inspection.star_rating
    assert (star.stars.value, star.quality.value) == (stars, quality)


def test_stars_and_quality_that_disagree_are_flagged() -> None:
    r = parse(rating="three star good service", nlp=False)
    assert [w.code for w in r.warnings] == ["rating_mismatch"]


def test_an_inspection_before_cqc_began_is_flagged() -> None:
    # CQC took over from the Commission for Social Care Inspection on 1 April 2009.
    r = parse(date="2 6 0 2 2 0 0 9", nlp=False)
    assert [(w.code, w.span.text) for w in r.warnings] == [("inspected_before_cqc", "2 6 0 2 2 0 0 9")]
    assert r.inspection.visit_dates[0].value.iso == "2009-02-26"  # read all the same
    assert parse(date="0 1 0 4 2 0 0 9", nlp=False).warnings == []


def test_a_spaced_date_that_is_no_day_is_flagged_not_guessed() -> None:
    r = parse(date="3 1 0 2 2 0 1 0", nlp=False)
    assert r.inspection.visit_dates == [] and [w.code for w in r.warnings] == ["date_invalid"]


COVER_ONLY = """\
Key inspection report
Care homes for older people
Name: Address: {home} The quality rating for this care home is:
one star adequate service A quality rating is our assessment of how well a care home meets people's needs. Lead inspector: Anne Example
Date: 0 9 1 1 2 0 0 9
We saw staff sitting with people at lunch and helping them at their own pace.
"""


@pytest.mark.parametrize("home, name, address", [
    ("Moorcroft Lodge 7 Quarry Lane Kendal Cumbria LA9 4PT", "Moorcroft Lodge", "7 Quarry Lane Kendal Cumbria LA9 4PT"),
    ("Aldersyde Nursing Home Aldersyde Nursing Home Low Road Keswick CA12 5JN", "Aldersyde Nursing Home",
     "Aldersyde Nursing Home Low Road Keswick CA12 5JN"),
    # No number and no repeat: where the name ends cannot be told, so none is given.
    ("Fellside House Brigsteer Road Kendal LA9 5DU", None, "Fellside House Brigsteer Road Kendal LA9 5DU"),
])
def test_without_the_details_block_the_cover_gives_the_home(home: str, name: str | None, address: str) -> None:
    text = COVER_ONLY.format(home=home)
    r = extract_bytes(text.encode(), source_id="cover.txt", options=ExtractOptions(ner=False))
    loc = r.location
    assert (loc.name.value if loc.name else None, loc.address.span.text) == (name, address)
    assert loc.address.postcode.value == address[-8:].strip()
    assert loc.name is None or (loc.name.rule == "star_rated.cover_name" and
                                text[loc.name.span.start:loc.name.span.end] == name)
    # The prose after the date's line is the summary.
    assert [p.span.text[:10] for p in r.inspection.summary] == ["We saw sta"]
    assert r.warnings == []


def test_a_report_with_neither_rating_nor_date_is_refused() -> None:
    with pytest.raises(UnsupportedReportFamily, match="no star rating or date"):
        extract_bytes(b"Key inspection report\nCare homes for older people\nSome text about the home.\n",
                      source_id="bare.txt")


def test_export_gives_the_star_rating_columns(tmp_path: Path) -> None:
    _, db = batch_to_sqlite({"fern.txt": REPORT.format(rating="one star adequate service", date="2 3 0 3 2 0 1 0")}, tmp_path)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT document_kind, star_rating_stars, star_rating_quality, visit_dates "
                            "FROM reports").fetchone() == ("star_rated_report", 1, "adequate", "2010-03-23")
