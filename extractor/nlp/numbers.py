"""Percentages, fractions and counts written in digits or words, with their values.

``find_quantities`` runs regular expressions over the folded text (see
:func:`extractor.document.fold`), so match offsets index the text as printed. The vocabularies
(number words, fraction words, what a count counts) are data in ``nlp_values.yaml``.

>>> [(q.text, q.kind, q.value) for q in find_quantities("A majority of staff (eighty-eight percent) agreed.")]
[('eighty-eight percent', 'percent', 0.88)]
>>> [(q.text, q.value) for q in find_quantities("Three-quarters of the workforce responded.")]
[('Three-quarters', 0.75)]
>>> [(q.text, q.value, q.unit) for q in find_quantities("We looked at 11 people's care records.")]
[("11 people's care records", 11.0, "people's care records")]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from extractor.document import fold
from extractor.nlp.data import value_words

__all__ = ["QuantityMatch", "find_quantities", "parse_number"]

QuantityKind = Literal["percent", "fraction", "count"]


@dataclass(frozen=True)
class QuantityMatch:
    """A quantity found in a text; offsets are relative to that text.

    ``number_start``/``number_end`` cover the number alone ("61" of "61 people"), which is what
    an OntoNotes-style CARDINAL entity covers; for percentages and fractions they equal the match.
    """

    start: int
    end: int
    text: str
    kind: QuantityKind
    value: float
    unit: str | None
    rule: str
    number_start: int
    number_end: int


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class _Patterns:
    percent: re.Pattern[str]
    fraction: re.Pattern[str]
    half: re.Pattern[str]
    out_of: re.Pattern[str]
    in_n: re.Pattern[str]
    count: re.Pattern[str]


_DIGITS = r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?"


@lru_cache(maxsize=1)
def _number_words() -> dict[str, int]:
    w = value_words()
    return {**w.units, **w.tens, **w.scales}


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    w = value_words()
    word = _alternation(list(_number_words()))
    words = rf"(?:{word})(?:(?:\s+and\s+|[\s-]+)(?:{word}))*"
    number = rf"(?:{_DIGITS}|{words})"
    percent_words = _alternation(w.percent_words).replace(r"\ ", r"\s?")
    fraction_words = _alternation(list(w.fractions))
    units = _alternation(w.count_units)
    modifiers = _alternation(w.count_modifiers)
    lead = r"(?<![\w.,£$/-])"  # not inside another number, amount or code
    flags = re.IGNORECASE
    return _Patterns(
        percent=re.compile(rf"{lead}(?P<n>{number})\s?(?:{percent_words})(?!\w)", flags),
        fraction=re.compile(
            rf"{lead}(?P<n>{words}|an?|\d+)[\s-]+(?P<d>{fraction_words})\b(?P<of>\s+(?:of|the)\b)?",
            flags,
        ),
        half=re.compile(r"(?<![\w-])half(?=\s+(?:of|the)\b)", flags),
        out_of=re.compile(rf"{lead}(?P<n>{number})\s+out\s+of\s+(?:the\s+)?(?P<d>{number})\b", flags),
        in_n=re.compile(rf"{lead}(?P<n>{number})\s+in\s+(?P<d>{number})\b(?![.,]\d)", flags),
        count=re.compile(
            rf"{lead}(?P<n>{number})\s+(?:(?:{modifiers})\s+)?(?P<u>{units})\b(?!-)",
            flags,
        ),
    )


def parse_number(text: str) -> float | None:
    """The value of a number in digits or English words, or None if it is not one.

    >>> parse_number("eighty-eight"), parse_number("one hundred and twenty"), parse_number("1,200")
    (88.0, 120.0, 1200.0)
    >>> parse_number("two three") is None
    True
    """
    text = fold(text).strip().lower()
    if re.fullmatch(_DIGITS, text):
        return float(text.replace(",", ""))
    if text in ("a", "an"):
        return 1.0
    w = value_words()
    total, current, last = 0, 0, ""
    parts = [p for p in re.split(r"[\s-]+", text) if p]
    for i, part in enumerate(parts):
        if part == "and":
            if last != "scale" or i == len(parts) - 1:
                return None
            last = "and"
            continue
        if part in w.units:
            if last in ("unit",) or (last == "tens" and w.units[part] >= 10):
                return None
            current += w.units[part]
            last = "unit"
        elif part in w.tens:
            if last in ("unit", "tens"):
                return None
            current += w.tens[part]
            last = "tens"
        elif part in w.scales:
            scale = w.scales[part]
            if scale >= 1000:
                total += max(current, 1) * scale
                current = 0
            else:
                current = max(current, 1) * scale
            last = "scale"
        else:
            return None
    return float(total + current)


def _fraction_value(numerator: str, denominator_word: str) -> float | None:
    n = parse_number(numerator)
    d = value_words().fractions.get(denominator_word.lower())
    if n is None or not d or n > d:
        return None
    return n / d


def _candidates(text: str, folded: str) -> list[tuple[int, QuantityMatch]]:
    p = _patterns()
    out: list[tuple[int, QuantityMatch]] = []

    def add(priority: int, m: re.Match[str], kind: QuantityKind, value: float, rule: str,
            unit: str | None = None, number: tuple[int, int] | None = None) -> None:
        start, end = m.start(), m.end()
        ns, ne = number if number else (start, end)
        out.append((priority, QuantityMatch(start, end, text[start:end], kind, value, unit, rule, ns, ne)))

    for m in p.percent.finditer(folded):
        n = parse_number(m.group("n"))
        if n is not None and n <= 1000:
            add(0, m, "percent", round(n / 100, 6), "rule:quantity.percent")
    for m in p.fraction.finditer(folded):
        numerator, denominator = m.group("n"), m.group("d")
        singular = not denominator.lower().endswith("s") or denominator.lower() == "halves"
        if singular and not m.group("of"):
            continue  # "a third party", "one quarter" without "of" are not fractions
        value = _fraction_value(numerator, denominator)
        if value is not None:
            end = m.start("d") + len(denominator)
            out.append((1, QuantityMatch(m.start(), end, text[m.start():end], "fraction",
                                         round(value, 6), None, "rule:quantity.fraction_words",
                                         m.start(), end)))
    for m in p.half.finditer(folded):
        add(1, m, "fraction", 0.5, "rule:quantity.half")
    ratios = ((p.out_of, "rule:quantity.out_of", None), (p.in_n, "rule:quantity.one_in_n", 20.0))
    for pattern, rule, limit in ratios:
        for m in pattern.finditer(folded):
            n, d = parse_number(m.group("n")), parse_number(m.group("d"))
            if n is None or not d or n > d or (limit is not None and d > limit):
                continue
            add(1, m, "fraction", round(n / d, 6), rule)
    for m in p.count.finditer(folded):
        n = parse_number(m.group("n"))
        if n is None or m.group("n").lower() in ("a", "an"):
            continue
        add(2, m, "count", n, "rule:quantity.count", unit=text[m.start("u"):m.end("u")],
            number=(m.start("n"), m.end("n")))
    return out


@lru_cache(maxsize=1)
def _any_number() -> re.Pattern[str]:
    """Matches wherever a quantity could start: a digit or a number or fraction word."""
    w = value_words()
    words = [*w.units, *w.tens, *w.scales, *w.fractions, "half", "halves"]
    return re.compile(rf"\d|\b(?:{_alternation(words)})", re.I)


def find_quantities(text: str) -> list[QuantityMatch]:
    """Percentages, fractions and counts in ``text``, in order, without overlaps.

    Where candidates overlap, the longer one wins, then percent over fraction over count.
    Every pattern needs a number, so a text without a digit or number word is skipped at once.
    """
    if not _any_number().search(text):
        return []
    candidates = _candidates(text, fold(text))
    candidates.sort(key=lambda pc: (-(pc[1].end - pc[1].start), pc[0], pc[1].start))
    kept: list[QuantityMatch] = []
    for _, q in candidates:
        if all(q.end <= k.start or q.start >= k.end for k in kept):
            kept.append(q)
    return sorted(kept, key=lambda q: q.start)
