"""Dates and periods written in prose, normalised to ISO 8601 dates or ranges.

Every expression becomes a closed range of calendar days, ``start``..``end`` (equal for a day):

* a day: "13 February 2024", "February 13, 2024", "13/02/2024" (UK order) -> 2024-02-13;
* a month: "April 2024" -> 2024-04-01..2024-04-30;
* a year: "2023" -> 2023-01-01..2023-12-31;
* a financial year: "the financial year 2024", "2023/24" -> 1 April to 31 March (UK);
* a quarter: "the first quarter of the financial year 2024" -> 2024-04-01..2024-06-30;
  "the first quarter of 2024" or "Q1 2024" (calendar) -> 2024-01-01..2024-03-31;
* a range: "between 2017-2020", "from April 2023 to March 2024", "12 to 14 March 2024".

Relative expressions ("last year", "in the past 12 months") are left to the NER's DATE label: they
have no calendar value without the report date. Impossible ranges (end before start) are kept out
rather than "fixed".

>>> [(d.text, d.start_iso, d.end_iso) for d in find_dates("Since between 2017-2020, and by April 2024.")]
[('between 2017-2020', '2017-01-01', '2020-12-31'), ('April 2024', '2024-04-01', '2024-04-30')]
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Callable, Literal

from extractor.document import fold
from extractor.nlp.data import value_words

__all__ = ["DateMatch", "find_dates", "iso_interval"]

Granularity = Literal["day", "month", "quarter", "year", "range"]


@dataclass(frozen=True)
class DateMatch:
    """A date expression in a text; offsets are relative to that text."""

    start: int
    end: int
    text: str
    start_iso: str
    end_iso: str
    granularity: Granularity
    rule: str

    @property
    def normalised(self) -> str:
        """The ISO 8601 form: a date, a reduced-precision month or year, or an interval."""
        return iso_interval(self.start_iso, self.end_iso, self.granularity)


def iso_interval(start: str, end: str, granularity: str) -> str:
    """ISO 8601 text for a range: ``2024-02-13``, ``2024-04``, ``2023`` or ``start/end``.

    >>> iso_interval("2024-04-01", "2024-04-30", "month"), iso_interval("2023-01-01", "2023-12-31", "year")
    ('2024-04', '2023')
    >>> iso_interval("2024-04-01", "2024-06-30", "quarter")
    '2024-04-01/2024-06-30'
    """
    if start == end:
        return start
    if granularity == "month" and start.endswith("-01") and start[:7] == end[:7]:
        return start[:7]
    if granularity == "year" and start.endswith("-01-01") and end.endswith("-12-31") and start[:4] == end[:4]:
        return start[:4]
    return f"{start}/{end}"


# --- calendar helpers --------------------------------------------------------------------------


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + n
    return index // 12, index % 12 + 1


def _financial_year(start_year: int) -> tuple[date, date]:
    m = value_words().financial_year_start_month
    end_y, end_m = _add_months(start_year, m, 11)
    return date(start_year, m, 1), _month_end(end_y, end_m)


def _quarter(year: int, quarter: int, financial: bool) -> tuple[date, date]:
    first_month = value_words().financial_year_start_month if financial else 1
    y, m = _add_months(year, first_month, 3 * (quarter - 1))
    end_y, end_m = _add_months(y, m, 2)
    return date(y, m, 1), _month_end(end_y, end_m)


def _year_ok(year: int) -> bool:
    w = value_words()
    return w.year_min <= year <= w.year_max


def _month(word: str) -> int:
    return value_words().months[word.lower().rstrip(".")]


def _second_year(first: int, text: str) -> int | None:
    """The year ``text`` names after ``first`` ("24" after 2023 -> 2024), or None."""
    if len(text) == 4:
        return int(text)
    century = first // 100 * 100
    second = century + int(text)
    return second if second >= first else second + 100


# --- patterns ----------------------------------------------------------------------------------

_B = r"(?<![\w/.£$-])"  # a date starts here: not inside a word, code or number


@dataclass(frozen=True)
class _Rule:
    id: str
    pattern: re.Pattern[str]
    read: Callable[[re.Match[str]], tuple[date, date, Granularity] | None]


@lru_cache(maxsize=1)
def _rules() -> list[_Rule]:
    w = value_words()
    # Month names must start with a capital ("staff may 2024" is no date); the rest of the
    # pattern ignores case.
    names = sorted(w.months, key=len, reverse=True)
    month = "|".join(f"(?-i:{m[0].upper()}){re.escape(m[1:])}" for m in names)
    month = rf"(?:{month})\.?"
    ordinal = "|".join(sorted((re.escape(o) for o in w.ordinals), key=len, reverse=True))
    year = r"(?:19|20)\d\d"
    day = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
    weekday = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
    fy = rf"(?P<fy>{year})(?:\s*[/-]\s*(?P<fy2>\d\d(?:\d\d)?))?"
    sep = r"\s*(?:-|to|and|until|till)\s*"
    b = _B
    e = r"(?![\w/]|[.-]\d)"
    flags = re.IGNORECASE

    def compile_(p: str) -> re.Pattern[str]:
        return re.compile(b + p + e, flags)

    def ymd(y: str, m: int, d: str) -> date | None:
        try:
            return date(int(y), m, int(re.sub(r"\D", "", d)))
        except ValueError:
            return None

    def day_dmy(m: re.Match[str]) -> tuple[date, date, Granularity] | None:
        d = ymd(m["y"], _month(m["m"]), m["d"])
        return (d, d, "day") if d else None

    def day_numeric(m: re.Match[str]) -> tuple[date, date, Granularity] | None:
        month_n = int(m["m"])
        if not 1 <= month_n <= 12:
            return None
        d = ymd(m["y"], month_n, m["d"])
        return (d, d, "day") if d else None

    def day_range(m: re.Match[str]) -> tuple[date, date, Granularity] | None:
        mo = _month(m["m"])
        d1, d2 = ymd(m["y"], _month(m["m1"]) if m["m1"] else mo, m["d1"]), ymd(m["y"], mo, m["d2"])
        return (d1, d2, "range") if d1 and d2 else None

    def month_year(m: re.Match[str]) -> tuple[date, date, Granularity]:
        y, mo = int(m["y"]), _month(m["m"])
        return date(y, mo, 1), _month_end(y, mo), "month"

    def month_range(m: re.Match[str]) -> tuple[date, date, Granularity] | None:
        y2, m2 = int(m["y2"]), _month(m["m2"])
        y1 = int(m["y1"]) if m["y1"] else y2
        return date(y1, _month(m["m1"]), 1), _month_end(y2, m2), "range"

    def year_range(m: re.Match[str]) -> tuple[date, date, Granularity] | None:
        y1 = int(m["y1"])
        y2 = _second_year(y1, m["y2"])
        if y2 is None or not _year_ok(y2) or y2 - y1 > 50 or y2 <= y1:
            return None
        if re.search(r"\sand\s", m[0], re.I) and not m["pre"]:
            return None  # "in 2022 and 2023" names two years, not a range
        if len(m["y2"]) == 2 and y2 == y1 + 1:
            s, end = _financial_year(y1)  # "2023-24" is a UK financial year
            return s, end, "year"
        return date(y1, 1, 1), date(y2, 12, 31), "range"

    def financial_year(m: re.Match[str]) -> tuple[date, date, Granularity] | None:
        start_year = int(m["fy"])
        if m["fy2"] and _second_year(start_year, m["fy2"]) != start_year + 1:
            return None
        s, end = _financial_year(start_year)
        return s, end, "year"

    def quarter(m: re.Match[str]) -> tuple[date, date, Granularity] | None:
        q = w.ordinals[m["q"].lower()] if m["q"] else int(m["qn"])
        financial = bool(m["fin"]) or bool(m["fy2"])
        start_year = int(m["fy"])
        if m["fy2"] and _second_year(start_year, m["fy2"]) != start_year + 1:
            return None
        s, end = _quarter(start_year, q, financial)
        return s, end, "quarter"

    def plain_year(m: re.Match[str]) -> tuple[date, date, Granularity] | None:
        y = int(m["y"])
        return (date(y, 1, 1), date(y, 12, 31), "year") if _year_ok(y) else None

    return [
        _Rule("date.day",
              compile_(rf"{weekday}(?P<d>{day})\s+(?:of\s+)?(?P<m>{month}),?\s+(?P<y>{year})"), day_dmy),
        _Rule("date.day_mdy",
              compile_(rf"{weekday}(?P<m>{month})\s+(?P<d>{day}),?\s+(?P<y>{year})"), day_dmy),
        _Rule("date.day_numeric", compile_(rf"(?P<d>[0-3]?\d)/(?P<m>[01]?\d)/(?P<y>{year})"), day_numeric),
        _Rule(
            "date.day_range",
            compile_(rf"(?:(?:between|from)\s+)?(?P<d1>{day})(?:\s+(?P<m1>{month}))?{sep}"
                     rf"(?P<d2>{day})\s+(?P<m>{month})\s+(?P<y>{year})"),
            day_range,
        ),
        _Rule(
            "date.month_range",
            compile_(rf"(?:(?:between|from)\s+)?(?P<m1>{month})(?:\s+(?P<y1>{year}))?{sep}"
                     rf"(?P<m2>{month})\s+(?P<y2>{year})"),
            month_range,
        ),
        _Rule("date.month", compile_(rf"(?P<m>{month})\s+(?:of\s+)?(?P<y>{year})"), month_year),
        _Rule(
            "date.quarter",
            compile_(
                rf"(?:(?:the\s+)?(?P<q>{ordinal})\s+quarter\s+of\s+(?:the\s+)?"
                rf"|Q(?P<qn>[1-4])\s+(?:of\s+)?(?:the\s+)?)"
                rf"(?P<fin>(?:financial|fiscal)\s+year\s+)?{fy}"
            ),
            quarter,
        ),
        _Rule("date.financial_year",
              compile_(rf"(?:the\s+)?(?:financial|fiscal)\s+year\s+{fy}"), financial_year),
        _Rule("date.financial_year_short", compile_(rf"(?P<fy>{year})/(?P<fy2>\d\d)"), financial_year),
        _Rule("date.year_range",
              compile_(rf"(?P<pre>(?:between|from)\s+)?(?P<y1>{year}){sep}(?P<y2>{year}|\d\d)"), year_range),
        _Rule("date.year", compile_(rf"(?P<y>{year})"), plain_year),
    ]


# Every rule's match holds a year; a text without one holds no date. A year that a rule reads is
# never preceded by a digit, so this scan finds each of them.
_YEAR = re.compile(r"(?:19|20)\d\d")
_START = re.compile(_B)  # where a rule may start
_NON_SPACE = re.compile(r"\S+")


@lru_cache(maxsize=1)
def _month_word() -> re.Pattern[str]:
    """Text that every month name as the rules read one holds: a capital, then the rest of a
    name in any case. Leading with a class of capitals lets ``re`` skip ahead to them."""
    names = value_words().months
    capitals = "".join(sorted({m[0].upper() for m in names}))
    rests = "|".join(sorted({re.escape(m[1:]) for m in names}, key=len, reverse=True))
    return re.compile(f"[{capitals}](?i:{rests})")


# What a rule cannot match without, besides a year; rules not listed need nothing more.
_NEEDS = {
    "date.day": "month", "date.day_mdy": "month", "date.day_range": "month",
    "date.month_range": "month", "date.month": "month",
    "date.day_numeric": "slash", "date.financial_year_short": "slash",
    "date.quarter": "quarter", "date.financial_year": "financial",
}
_QUARTER = re.compile(r"quarter|q[1-4]")
_FINANCIAL = re.compile(r"financial|fiscal")


def _present(folded: str) -> set[str]:
    """Which needs of ``_NEEDS`` ``folded`` may meet, tested once for all rules. Lower case
    answers as ignoring case would for ASCII text only, so other text is taken to meet every need
    but the month name, which is looked for as printed (its capital must be one)."""
    present = {"month"} if _month_word().search(folded) else set()
    if not folded.isascii():
        return present | {"slash", "quarter", "financial"}
    lower = folded.lower()
    if "/" in lower:
        present.add("slash")
    if _QUARTER.search(lower):
        present.add("quarter")
    if _FINANCIAL.search(lower):
        present.add("financial")
    return present


def _active_rules(folded: str) -> list[_Rule]:
    """The rules that may match in ``folded``: a cheap test per need rather than tries near
    every year."""
    present = _present(folded)
    return [rule for rule in _rules() if (need := _NEEDS.get(rule.id)) is None or need in present]


@lru_cache(maxsize=1)
def _first_chars() -> dict[str, frozenset[str]]:
    """Per rule id, the ASCII characters a match of the rule can start with, read off its regex:
    a weekday, a day or year (digits), a month (its capital), "between" or "from", "the", an
    ordinal, "Q", "financial" or "fiscal". In ASCII text, a rule is tried only where one of them
    stands (other text is not filtered: ignoring case, "s" also matches the long s)."""
    w = value_words()

    def either(*words: str) -> set[str]:
        return {c for word in words for c in (word[0].lower(), word[0].upper())}

    digits = set("0123456789")
    weekday = either("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    month = {m[0].upper() for m in w.months}
    range_word = either("between", "from")
    firsts = {
        "date.day": weekday | digits,
        "date.day_mdy": weekday | month,
        "date.day_numeric": digits,
        "date.day_range": range_word | digits,
        "date.month_range": range_word | month,
        "date.month": month,
        "date.quarter": either("the", "q", *w.ordinals),
        "date.financial_year": either("the", "financial", "fiscal"),
        "date.financial_year_short": digits,
        "date.year_range": range_word | digits,
        "date.year": digits,
    }
    return {rule_id: frozenset(chars) for rule_id, chars in firsts.items()}


def _space_bound(source: str) -> int | None:
    """The most runs of white space a match of the regex ``source`` can hold, or None if unknown.

    Each ``\\s`` token (with any quantifier) matches within one run, and nothing else in the
    regex may match white space: no ``.``, negated class, ``\\W``, ``\\D``, literal space, or
    repeated group. A regex outside those limits gets None (and is scanned whole).
    """
    count, i, in_class = 0, 0, False
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            escaped = source[i + 1: i + 2]
            if escaped in ("W", "D") or (escaped == "s" and in_class):
                return None
            count += escaped == "s"
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            if source[i + 1: i + 2] == "^":
                return None
            in_class = True
        elif ch == "." or ch.isspace() or (ch == ")" and source[i + 1: i + 2] in ("*", "+", "{")):
            return None
        i += 1
    return count


@lru_cache(maxsize=1)
def _bounds() -> dict[str, int | None]:
    out: dict[str, int | None] = {}
    for rule in _rules():
        bound = _space_bound(rule.pattern.pattern)
        out[rule.id] = bound
    return out


def _run_start(folded: str, y: int, back: int) -> int:
    """Where the run of non-space text ``back`` runs before the one holding ``y`` starts (or 0)."""
    lo = y
    while True:
        # The first run found may have begun before ``lo``; those after it did not.
        lo = max(0, lo - 8 * (back + 2))
        runs = [m.start() for m in _NON_SPACE.finditer(folded, lo, y + 1)]
        if len(runs) >= back + 2 or lo == 0:
            break
    return runs[-1 - back] if back < len(runs) else 0


def _starts(folded: str, years: list[int], reach: int) -> list[int]:
    """Where the rules of bound ``reach`` or less can start in a text, found from its years.

    A match starts where a rule may start, holds a year, and between its start and its first year
    holds no more runs of white space than the rule's regex can match (its bound); so it starts
    in one of the bound + 1 runs of non-space text that end at or hold that year. Trying a rule
    there finds what scanning the whole text would; trying it at more places (those of a larger
    bound) finds the same, so one list serves every rule.
    """
    out: list[int] = []
    last = -1  # the windows' starts and ends both rise with the years, so merging is easy
    for y in years:
        first = max(_run_start(folded, y, reach), last + 1)
        out += [m.start() for m in _START.finditer(folded, first, y + 1)]
        last = y
    return out


def _at(pattern: re.Pattern[str], folded: str, starts: list[int]) -> list[re.Match[str]]:
    """``pattern.finditer(folded)`` where every match starts at one of ``starts`` (sorted)."""
    out: list[re.Match[str]] = []
    end = 0
    for at in starts:
        if at >= end:
            m = pattern.match(folded, at)
            if m is not None:
                out.append(m)
                end = m.end()
    return out


def find_dates(text: str, *, folded: str | None = None) -> list[DateMatch]:
    """Date expressions in ``text``, in order, without overlaps (the longest match wins).

    Every rule needs a year, so a text without one is skipped at once; a rule that needs
    "quarter", "financial", a slash or a month name is skipped in text without one; and each
    rule is tried only near the years (see :func:`_starts`), where a character it can start
    with stands.

    Args:
        text: the text as printed; offsets of the result index it.
        folded: ``fold(text)`` when the caller already has it.
    """
    if folded is None:
        folded = fold(text)
    years = [m.start() for m in _YEAR.finditer(folded)]
    if not years:
        return []
    rules = _active_rules(folded)
    bounds, firsts, ascii_text = _bounds(), _first_chars(), folded.isascii()
    starts = _starts(folded, years, max((b for r in rules if (b := bounds[r.id]) is not None), default=0))
    found: list[DateMatch] = []
    for rule in rules:
        if bounds[rule.id] is None:
            matches = list(rule.pattern.finditer(folded))
        elif ascii_text:
            first = firsts[rule.id]
            matches = _at(rule.pattern, folded, [at for at in starts if folded[at] in first])
        else:
            matches = _at(rule.pattern, folded, starts)
        for m in matches:
            read = rule.read(m)
            if read is None:
                continue
            start_d, end_d, granularity = read
            if end_d < start_d:
                continue
            found.append(
                DateMatch(m.start(), m.end(), text[m.start():m.end()], start_d.isoformat(),
                          end_d.isoformat(), granularity, f"rule:{rule.id}")
            )
    if not found:
        return []
    found.sort(key=lambda d: (-(d.end - d.start), d.start))
    kept: list[DateMatch] = []
    for d in found:
        if all(d.end <= k.start or d.start >= k.end for k in kept):
            kept.append(d)
    return sorted(kept, key=lambda d: d.start)
