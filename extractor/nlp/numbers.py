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

Speed: the pipeline reads every paragraph, and most of a paragraph holds no number. Each pattern
but two starts with a number after the same lead, so one scan finds every place a number can
start (an *anchor*) and the patterns are tried there only, which gives what a scan of each
pattern would give. The two others need a fraction word ("two-thirds", "half of"), so they run
only when the text holds one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Literal, Sequence

from extractor.document import fold
from extractor.nlp.data import value_words

__all__ = ["QuantityMatch", "QuantityScan", "find_quantities", "scan_quantities", "parse_number"]

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
_BEFORE_NUMBER = r"[\w.,£$/-]"  # a number does not start after these: it is inside a number, amount or code
_LEAD = rf"(?<!{_BEFORE_NUMBER})"
_AHEAD_OF_HALF = r"\s+(?:of|the)\b"  # "half" counts only before "of" or "the"
_HALF_AHEAD = re.compile(_AHEAD_OF_HALF, re.IGNORECASE)


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
    lead = _LEAD
    flags = re.IGNORECASE
    return _Patterns(
        percent=re.compile(rf"{lead}(?P<n>{number})\s?(?:{percent_words})(?!\w)", flags),
        fraction=re.compile(
            rf"{lead}(?P<n>{words}|an?|\d+)[\s-]+(?P<d>{fraction_words})\b(?P<of>\s+(?:of|the)\b)?",
            flags,
        ),
        half=re.compile(rf"(?<![\w-])half(?={_AHEAD_OF_HALF})", flags),
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


# The same numbers recur across a document ("one", "two"); reading them is pure.
_parse_number = lru_cache(maxsize=4096)(parse_number)


def _fraction_value(numerator: str, denominator_word: str) -> float | None:
    n = _parse_number(numerator)
    d = value_words().fractions.get(denominator_word.lower())
    if n is None or not d or n > d:
        return None
    return n / d


@dataclass(frozen=True)
class _Anchors:
    """Where the number-led patterns can match: their lead, then a digit or a number word."""

    folded: re.Pattern[str]  # over the folded text, ignoring case
    # Over ASCII text already lower-cased: the character before the anchor (one of those a
    # number may follow, listed as a set, which ``re`` skips to far faster than it can test a
    # look-behind at every character), and the anchor at the very start of the text.
    lower: re.Pattern[str]
    lower_at_start: re.Pattern[str]
    fraction_words: tuple[str, ...]  # lower-cased; one must occur for fraction or half to match
    fraction_word: re.Pattern[str]  # any of them, in lower-cased text
    percent_marks: tuple[str, ...]  # lower-cased; one must occur for percent to match


@lru_cache(maxsize=1)
def _anchors() -> _Anchors:
    word = _alternation(list(_number_words()))
    number = rf"(?:\d|{word})"
    after = "".join(re.escape(chr(i)) for i in range(128) if not re.fullmatch(_BEFORE_NUMBER, chr(i)))
    # "half" is both a fraction word and the whole of the half pattern. A word that holds another
    # ("thirds", "third") need not be looked for.
    words = {*value_words().fractions, "half"}
    fractions = tuple(sorted(w for w in words if not any(o != w and o in w for o in words)))
    # A percent word of several ("per cent") may hold any space between them, so only its last
    # is looked for.
    marks = {w.split()[-1].lower() for w in value_words().percent_words}
    percent_marks = tuple(sorted(m for m in marks if not any(o != m and o in m for o in marks)))
    return _Anchors(re.compile(_LEAD + number, re.IGNORECASE), re.compile(f"[{after}]{number}"),
                    re.compile(number), fractions, re.compile(_alternation(sorted(words))),
                    percent_marks)


def _fraction_starts(
    lower: str, anchors: list[int], fraction_word: re.Pattern[str]
) -> tuple[list[int], list[int]]:
    """Where the fraction and half patterns can start in ASCII text (``lower``), given anchors.

    A fraction's numerator is a number (it starts at an anchor), or "a" or "an" just before
    the dashes or spaces before its fraction word; "half" starts where "half" is written.
    Trying a place where neither starts is harmless: the pattern does not match there.
    """
    starts = set(anchors)
    halves = []
    for m in fraction_word.finditer(lower):
        k = m.start()
        while k > 0 and (lower[k - 1] == "-" or lower[k - 1].isspace()):
            k -= 1
        starts.update(i for i in (k - 1, k - 2) if i >= 0)
        if lower.startswith("half", m.start()):
            halves.append(m.start())
    return sorted(starts), halves


def _at(pattern: re.Pattern[str], folded: str, anchors: list[int]) -> list[re.Match[str]]:
    """``pattern.finditer(folded)``, trying only the ``anchors`` (sorted) where it can start.

    The first anchor at or after the end of the last match where the pattern matches is where a
    scan would find its next match, since a match can start nowhere else; a lookbehind still
    sees the text before the anchor.
    """
    out: list[re.Match[str]] = []
    end = 0
    for at in anchors:
        if at >= end:
            m = pattern.match(folded, at)
            if m is not None:
                out.append(m)
                end = m.end()
    return out


def _candidates(
    text: str, folded: str, lower: str | None, reach: list[tuple[int, int]]
) -> list[tuple[int, QuantityMatch]]:
    """Every match of every pattern, with its priority (0 percent, 1 fraction, 2 count).

    ``lower`` is ``folded.lower()`` when ``folded`` is ASCII (then lower-casing keeps every offset
    and ignoring case means comparing lower case), else None. The text each pattern match read,
    kept or not, is added to ``reach`` (see :class:`QuantityScan`).
    """
    p = _patterns()
    a = _anchors()
    if lower is None:
        anchors = [m.start() for m in a.folded.finditer(folded)]
    else:
        anchors = [m.start() + 1 for m in a.lower.finditer(lower)]
        if a.lower_at_start.match(lower):
            anchors.insert(0, 0)
    fractions = lower is None or any(w in lower for w in a.fraction_words)
    if not anchors and not fractions:
        return []
    # A fraction may also start with "a" or "an" before its fraction word, and "half" is a
    # pattern of its own; in ASCII text, find where those can start from the fraction words.
    fraction_starts: list[int] | None = None
    half_starts: list[int] | None = None
    if fractions and lower is not None:
        fraction_starts, half_starts = _fraction_starts(lower, anchors, a.fraction_word)
    out: list[tuple[int, QuantityMatch]] = []

    def add(priority: int, m: re.Match[str], kind: QuantityKind, value: float, rule: str,
            unit: str | None = None, number: tuple[int, int] | None = None) -> None:
        start, end = m.start(), m.end()
        ns, ne = number if number else (start, end)
        out.append((priority, QuantityMatch(start, end, text[start:end], kind, value, unit, rule, ns, ne)))

    def read(matches: Iterable[re.Match[str]]) -> Iterable[re.Match[str]]:
        for m in matches:
            reach.append(m.span())
            yield m

    percents = lower is None or any(w in lower for w in a.percent_marks)
    for m in read(_at(p.percent, folded, anchors) if percents else ()):
        n = _parse_number(m.group("n"))
        if n is not None and n <= 1000:
            add(0, m, "percent", round(n / 100, 6), "rule:quantity.percent")
    if not fractions:
        fraction_matches: Iterable[re.Match[str]] = ()
    elif fraction_starts is None:
        fraction_matches = p.fraction.finditer(folded)
    else:
        fraction_matches = _at(p.fraction, folded, fraction_starts)
    for m in read(fraction_matches):
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
    if not fractions:
        half_matches: Iterable[re.Match[str]] = ()
    elif half_starts is None:
        half_matches = p.half.finditer(folded)
    else:
        half_matches = _at(p.half, folded, half_starts)
    for m in half_matches:
        # "half" looks ahead for "of"/"the": that text was read too.
        ahead = _HALF_AHEAD.match(folded, m.end())
        reach.append((m.start(), ahead.end() if ahead is not None else m.end()))
        add(1, m, "fraction", 0.5, "rule:quantity.half")
    # A ratio's second number starts at a later anchor than its first: the last anchor starts none.
    ratios = ((p.out_of, "rule:quantity.out_of", None), (p.in_n, "rule:quantity.one_in_n", 20.0))
    for pattern, rule, limit in ratios:
        for m in read(_at(pattern, folded, anchors[:-1])):
            n, d = _parse_number(m.group("n")), _parse_number(m.group("d"))
            if n is None or not d or n > d or (limit is not None and d > limit):
                continue
            add(1, m, "fraction", round(n / d, 6), rule)
    for m in read(_at(p.count, folded, anchors)):
        n = _parse_number(m.group("n"))
        if n is None or m.group("n").lower() in ("a", "an"):
            continue
        add(2, m, "count", n, "rule:quantity.count", unit=text[m.start("u"):m.end("u")],
            number=(m.start("n"), m.end("n")))
    return out


@dataclass(frozen=True)
class QuantityScan:
    """The quantities of a text and the stretches of it that the patterns' matches read.

    ``reach`` lets :meth:`within` tell when the quantities of a part of the text (a sentence of a
    paragraph) can be read off the whole: see there.
    """

    folded: str
    quantities: list[QuantityMatch]
    reach: list[tuple[int, int]]

    def within(self, start: int, end: int) -> list[QuantityMatch] | None:
        """``find_quantities(text[start:end])``, or None when it cannot be read off this scan.

        It can when the part stands between white space (or the ends of the text) and no
        pattern match read across either of its ends: then every pattern matches inside the
        part exactly where and as it does inside the whole, since the patterns look at most one
        character behind a match and, past its end, only at white space in either case (the
        look-ahead of "half" is in ``reach``); and quantities outside the part cannot overlap
        those inside, so keeping the longest of overlapping candidates keeps the same ones.
        """
        f = self.folded
        if (start > 0 and not f[start - 1].isspace()) or (end < len(f) and not f[end].isspace()):
            return None
        if not self.reach:
            return []  # no pattern matched anywhere, so none matches in the part
        for a, b in self.reach:  # a loop: called per sentence, where a generator costs more
            if a < start < b or a < end < b:
                return None
        if not self.quantities:
            return []
        return [_shift(q, start) for q in self.quantities if start <= q.start < end]

    @classmethod
    def joined(cls, folded: str, parts: Sequence[tuple[QuantityScan, int]]) -> QuantityScan:
        """The scan of texts set one after another in ``folded``, from each text's own scan and
        where it starts: what :meth:`within` reads off it for a part of one text is what that
        text's scan gives, since no match of a text's scan reaches past the text."""
        return cls(folded, [_shift(q, -at) for scan, at in parts for q in scan.quantities],
                   [(a + at, b + at) for scan, at in parts for a, b in scan.reach])


def _shift(q: QuantityMatch, by: int) -> QuantityMatch:
    if not by:
        return q
    # Built anew rather than through dataclasses.replace, which costs more per sentence.
    return QuantityMatch(start=q.start - by, end=q.end - by, text=q.text, kind=q.kind, value=q.value,
                         unit=q.unit, rule=q.rule, number_start=q.number_start - by,
                         number_end=q.number_end - by)


def scan_quantities(text: str, *, folded: str | None = None) -> QuantityScan:
    """:func:`find_quantities` with what :meth:`QuantityScan.within` needs for parts of ``text``."""
    if folded is None:
        folded = fold(text)
    lower = folded.lower() if folded.isascii() else None
    reach: list[tuple[int, int]] = []
    candidates = _candidates(text, folded, lower, reach)
    if not candidates:
        return QuantityScan(folded, [], reach)
    candidates.sort(key=lambda pc: (-(pc[1].end - pc[1].start), pc[0], pc[1].start))
    kept: list[QuantityMatch] = []
    for _, q in candidates:
        if all(q.end <= k.start or q.start >= k.end for k in kept):
            kept.append(q)
    return QuantityScan(folded, sorted(kept, key=lambda q: q.start), reach)


def find_quantities(text: str, *, folded: str | None = None) -> list[QuantityMatch]:
    """Percentages, fractions and counts in ``text``, in order, without overlaps.

    Where candidates overlap, the longer one wins, then percent over fraction over count.

    Args:
        text: the text as printed; offsets of the result index it.
        folded: ``fold(text)`` when the caller already has it (the same text, folded).
    """
    return scan_quantities(text, folded=folded).quantities
