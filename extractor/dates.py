"""Calendar dates as CQC pages print them ("13 February 2024", "06 Feb 2024", "5th October 2021")."""

from __future__ import annotations

import datetime as dt
import re

MONTHS = {
    m.lower(): i
    for i, names in enumerate(
        [
            ("January", "Jan"), ("February", "Feb"), ("March", "Mar"), ("April", "Apr"),
            ("May",), ("June", "Jun"), ("July", "Jul"), ("August", "Aug"),
            ("September", "Sep", "Sept"), ("October", "Oct"), ("November", "Nov"),
            ("December", "Dec"),
        ],
        start=1,
    )
    for m in names
}

_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
# A day-month-year date; the day may carry an ordinal suffix.
DATE_PATTERN = rf"(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<month>{_MONTH_ALT})\.?,?\s+(?P<year>\d{{4}})"
DATE_RE = re.compile(DATE_PATTERN, re.IGNORECASE)
# A month and year alone ("March 2011"), as some older reports print their publication date.
MONTH_YEAR_PATTERN = rf"(?P<month>{_MONTH_ALT})\.?,?\s+(?P<year>\d{{4}})"
_WHOLE_DATE_RE = re.compile(rf"\s*{DATE_PATTERN}\s*", re.IGNORECASE)
# A date in figures, day first as in the UK: "09/01/2015" (hospital reports' covers and footers,
# 2014-2018). The groups are those of DATE_PATTERN, so the same code reads both.
NUMERIC_DATE_PATTERN = r"(?<![\d/])(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})(?![\d/])"
NUMERIC_DATE_RE = re.compile(NUMERIC_DATE_PATTERN)
# Either form, without named groups (for patterns that hold others).
ANY_DATE_PATTERN = "(?:" + "|".join(re.sub(r"\?P<\w+>", "", p) for p in (DATE_PATTERN, NUMERIC_DATE_PATTERN)) + ")"


class InvalidDate(ValueError):
    """A date-shaped string that names no calendar day (e.g. 31 February 2024)."""


def to_date(day: str, month: str, year: str) -> dt.date:
    """Build a date from printed parts (the month a name or a number); raise
    :class:`InvalidDate` when there is no such day."""
    try:
        number = int(month) if month.isdigit() else MONTHS[month.lower().rstrip(".")]
        return dt.date(int(year), number, int(day))
    except (KeyError, ValueError) as exc:
        printed = f"{day}/{month}/{year}" if month.isdigit() else f"{day} {month} {year}"
        raise InvalidDate(f"{printed} is not a calendar date") from exc


def month_iso(month: str, year: str) -> str:
    """ISO 8601 of a printed month and year: ``month_iso("March", "2011") == "2011-03"``."""
    return f"{int(year):04d}-{MONTHS[month.lower().rstrip('.')]:02d}"


def parse_date(text: str) -> dt.date | None:
    """Parse a whole string as one printed date; None when it is not date-shaped.

    >>> parse_date("13 February 2024")
    datetime.date(2024, 2, 13)
    >>> parse_date("Good") is None
    True
    """
    m = _WHOLE_DATE_RE.fullmatch(text)
    if not m:
        return None
    return to_date(m["day"], m["month"], m["year"])


def is_date_line(text: str) -> bool:
    """True when the string is one date-shaped value (valid or not)."""
    return _WHOLE_DATE_RE.fullmatch(text) is not None
