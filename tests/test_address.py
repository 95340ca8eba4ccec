"""Address lines split into parts with spans; postcodes validated; phones to E.164."""

from __future__ import annotations

import pytest

from extractor.address import parse_address_line
from extractor.textread import read_text

CASES = [
    ("Unit 7, The Pavilions, Brighton Road, Pease Pottage, Crawley, West Sussex, RH11 9BJ (01293) 534043",
     ("Unit 7, The Pavilions", "Brighton Road", "Pease Pottage", "Crawley", "West Sussex", "RH11 9BJ"),
     "+441293534043"),
    ("12 Mill Lane, Barton, Hull, HU1 2AB (01482) 123456",
     (None, "12 Mill Lane", "Barton", "Hull", None, "HU1 2AB"), "+441482123456"),
    ("Flat 2, Rose House, 4 Kings Road, Didsbury, Manchester, Greater Manchester, M20 6TQ 0161 555 0142",
     ("Flat 2, Rose House", "4 Kings Road", "Didsbury", "Manchester", "Greater Manchester", "M20 6TQ"),
     "+441615550142"),
    ("Hilltop Farm, Ashby, LE65 1AA", (None, "Hilltop Farm", None, "Ashby", None, "LE65 1AA"), None),
    # Without commas: split by the house number, the thoroughfare word, the county and the town.
    ("Wanstow House 3 Church Lane Leytonstone London E11 1HG",
     ("Wanstow House", "3 Church Lane", "Leytonstone", "London", None, "E11 1HG"), None),
    ("42 Hollinwell Avenue Tilehurst Reading Berkshire RG31 5QP 0118 496 0321",
     (None, "42 Hollinwell Avenue", "Tilehurst", "Reading", "Berkshire", "RG31 5QP"), "+441184960321"),
    ("5 Quay Street Newcastle upon Tyne NE1 3AB", (None, "5 Quay Street", None, "Newcastle upon Tyne", None, "NE1 3AB"),
     None),
    ("Flat 2 9 Park Road Four Oaks Sutton Coldfield West Midlands B74 2AB",
     ("Flat 2", "9 Park Road", "Four Oaks", "Sutton Coldfield", "West Midlands", "B74 2AB"), None),
    # No house number before a thoroughfare word: not split (the whole is kept as the town).
    ("Castle House Sodbury Road Wickwar GL12 8NR", (None, None, None, "Castle House Sodbury Road Wickwar", None,
                                                   "GL12 8NR"), None),
]


@pytest.mark.parametrize("line, parts, e164", CASES, ids=[c[0][:20] for c in CASES])
def test_address_line(line: str, parts: tuple, e164: str | None) -> None:
    doc = read_text(line, source_id="t")
    res = parse_address_line(doc, 0, len(doc.text))
    a = res.address
    got = tuple(None if f is None else f.value
                for f in (a.premises, a.street, a.locality, a.town, a.county, a.postcode))
    assert got == parts
    for f in (a.premises, a.street, a.locality, a.town, a.county, a.postcode):
        if f is not None:
            assert doc.text[f.span.start:f.span.end] == f.span.text
    assert (res.phone.e164 if res.phone else None) == e164


def test_unknown_postcode_area_is_flagged() -> None:
    doc = read_text("1 High Street, Somewhere, QQ1 1AA", source_id="t")
    res = parse_address_line(doc, 0, len(doc.text))
    assert res.address.postcode.value == "QQ1 1AA"
    assert [p[0] for p in res.problems] == ["postcode_invalid"]


def test_a_run_on_address_names_its_rules() -> None:
    doc = read_text("31 Sandholme Lane Bramley Leeds West Yorkshire LS13 2RW", source_id="t")
    a = parse_address_line(doc, 0, len(doc.text)).address
    assert [f.rule for f in (a.street, a.locality, a.town, a.county)] == [
        "address.run_on_thoroughfare", "address.run_on_locality", "address.run_on_town", "address.run_on_county"]
