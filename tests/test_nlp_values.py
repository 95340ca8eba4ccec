"""Dates, percentages, fractions and counts written in prose, with their normalised values.

Cases are (text, expected) rows; add new ones to the table of their kind. A known gap goes in
with ``xfail(strict=True)`` so a fix forces it to move.
"""

from __future__ import annotations

import pytest

from extractor.nlp.dates import find_dates
from extractor.nlp.numbers import find_quantities, parse_number

DATES = [
    # (sentence, printed expression, start, end, granularity)
    ("Report from 13 February 2024 assessment", "13 February 2024", "2024-02-13", "2024-02-13", "day"),
    ("10 October 2024", "10 October 2024", "2024-10-10", "2024-10-10", "day"),
    ("The visit took place on Monday 4th March, 2024.", "Monday 4th March, 2024", "2024-03-04", "2024-03-04",
     "day"),
    ("It was agreed on March 5, 2024.", "March 5, 2024", "2024-03-05", "2024-03-05", "day"),
    ("The review was dated 03/04/2023.", "03/04/2023", "2023-04-03", "2023-04-03", "day"),
    ("in place by April 2024.", "April 2024", "2024-04-01", "2024-04-30", "month"),
    ("in February 2024 the policy was updated", "February 2024", "2024-02-01", "2024-02-29", "month"),
    ("Following business changes in 2023, the team", "2023", "2023-01-01", "2023-12-31", "year"),
    ("The provider had not reviewed several processes since between 2017-2020.", "between 2017-2020",
     "2017-01-01", "2020-12-31", "range"),
    ("from 2019 to 2021", "from 2019 to 2021", "2019-01-01", "2021-12-31", "range"),
    ("through the first quarter of the financial year 2024.", "the first quarter of the financial year 2024",
     "2024-04-01", "2024-06-30", "quarter"),
    ("in the fourth quarter of the financial year 2023/24",
     "the fourth quarter of the financial year 2023/24",
     "2024-01-01", "2024-03-31", "quarter"),
    ("In the first quarter of 2024, 89% were on time.", "the first quarter of 2024", "2024-01-01",
     "2024-03-31", "quarter"),
    ("Q3 2024 data", "Q3 2024", "2024-07-01", "2024-09-30", "quarter"),
    ("Data from 2022/23 showed", "2022/23", "2022-04-01", "2023-03-31", "year"),
    ("the financial year 2024", "the financial year 2024", "2024-04-01", "2025-03-31", "year"),
    ("between April and September 2023", "between April and September 2023", "2023-04-01", "2023-09-30",
     "range"),
    ("from April 2023 to March 2024", "from April 2023 to March 2024", "2023-04-01", "2024-03-31", "range"),
    ("on 14 and 15 May 2024", "14 and 15 May 2024", "2024-05-14", "2024-05-15", "range"),
]

NOT_DATES = [
    # (text, the only date texts allowed in it)
    ("Unit 7, The Pavilions, Brighton Road, Crawley, RH11 9BJ (01293) 534043", []),
    ("Staff may 2024 be trained", ["2024"]),  # "may" is no month without its capital
    ("The fee was £2000.", []),
    ("We checked 31/13/2024 entries", []),  # no 13th month, and a year inside a code is no year
    ("in 2022 and 2023 respectively", ["2022", "2023"]),  # two years, not a range
    ("The Health and Social Care Act 2008 applies", ["2008"]),  # the entity rules claim it
]


@pytest.mark.parametrize("text,printed,start,end,granularity", DATES, ids=[d[1] for d in DATES])
def test_dates(text: str, printed: str, start: str, end: str, granularity: str) -> None:
    found = [d for d in find_dates(text) if d.text == printed]
    assert found, find_dates(text)
    d = found[0]
    assert text[d.start:d.end] == printed
    assert (d.start_iso, d.end_iso, d.granularity) == (start, end, granularity)


@pytest.mark.parametrize("text,allowed", NOT_DATES, ids=[d[0][:30] for d in NOT_DATES])
def test_not_dates(text: str, allowed: list[str]) -> None:
    assert [d.text for d in find_dates(text)] == allowed


def test_iso_forms() -> None:
    text = "April 2024, 2023, 13 February 2024 and between 2017-2020"
    by_text = {d.text: d.normalised for d in find_dates(text)}
    assert by_text == {"April 2024": "2024-04", "2023": "2023", "13 February 2024": "2024-02-13",
                       "between 2017-2020": "2017-01-01/2020-12-31"}


QUANTITIES = [
    # (sentence, printed, kind, value, unit)
    ("A majority of staff (eighty-eight percent) expressed positive feelings.", "eighty-eight percent",
     "percent", 0.88, None),
    ("Three-quarters of the workforce responded to the survey.", "Three-quarters", "fraction", 0.75, None),
    ("Uptake was 92% last year.", "92%", "percent", 0.92, None),
    ("Uptake was 92.5 per cent.", "92.5 per cent", "percent", 0.925, None),
    ("Eighty-five per cent of people no longer needed care.", "Eighty-five per cent", "percent", 0.85, None),
    ("Two-thirds of people were still at home.", "Two-thirds", "fraction", 2 / 3, None),
    ("About a third of staff had left.", "a third", "fraction", 1 / 3, None),
    ("Half of the people we asked agreed.", "Half", "fraction", 0.5, None),
    ("One in five nursing posts was vacant.", "One in five", "fraction", 0.2, None),
    ("9 out of 10 patients agreed.", "9 out of 10", "fraction", 0.9, None),
    ("The service supports 61 people in their homes.", "61 people", "count", 61, "people"),
    ("We looked at 11 people's care records.", "11 people's care records", "count", 11,
     "people's care records"),
    ("We looked at 11 people\u2019s care records.", "11 people\u2019s care records", "count", 11,
     "people\u2019s care records"),
    ("The home employed fourteen staff.", "fourteen staff", "count", 14, "staff"),
    ("There were one hundred and twenty residents.", "one hundred and twenty residents", "count", 120,
     "residents"),
    ("A waiting list of 1,204 people.", "1,204 people", "count", 1204, "people"),
    ("They recruited 4 new care workers.", "4 new care workers", "count", 4, "care workers"),
]

NOT_QUANTITIES = [
    "They used a third party provider.",  # not a fraction without "of"
    "This service scored 75 (out of 100) for this area.",  # a score, not a fraction of anything
    "in the first quarter of 2024",
    "Regulation 12 was breached.",
]


@pytest.mark.parametrize("text,printed,kind,value,unit", QUANTITIES, ids=[q[1] for q in QUANTITIES])
def test_quantities(text: str, printed: str, kind: str, value: float, unit: str | None) -> None:
    found = [q for q in find_quantities(text) if q.text == printed]
    assert found, find_quantities(text)
    q = found[0]
    assert text[q.start:q.end] == printed
    assert (q.kind, q.unit) == (kind, unit)
    assert q.value == pytest.approx(value, abs=1e-6)


@pytest.mark.parametrize("text", NOT_QUANTITIES)
def test_not_quantities(text: str) -> None:
    assert find_quantities(text) == []


@pytest.mark.parametrize("words,value", [("eighty-eight", 88), ("twenty one", 21),
                                         ("one hundred and five", 105), ("two thousand", 2000),
                                         ("1,200", 1200), ("7.5", 7.5)])
def test_parse_number(words: str, value: float) -> None:
    assert parse_number(words) == value


@pytest.mark.parametrize("words", ["two three", "eighty ninety", "and five", "fourteen twelve", "lots"])
def test_parse_number_rejects(words: str) -> None:
    assert parse_number(words) is None
