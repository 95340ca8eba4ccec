"""Abbreviations defined in a document, and initials of the location's or provider's name.

Definitions are read with the Schwartz and Hearst (2003) rule: for "long form (SHORT)", each
letter of SHORT must appear, in order, in the words before the bracket, and the first letter must
open a word; the long form starts at that word. Only the few words a short form can stand for are
looked at (at most ``min(len(SHORT) + 5, 2 * len(SHORT))``). The reverse order "SHORT (long
form)" is read too. A plural short form ("PGDs") matches like the singular.

Reports also use the initials of the service's name without defining them ("MIP" for
"Medical Imaging Partnership"). ``find_abbreviations`` makes those from the names it is given,
leaving out legal suffixes ("Limited") and small words ("and", "of"), and keeps them only when the
initials occur in the text.

>>> [(a.short, a.long) for a in find_abbreviations([(0, "They met the Integrated Care Board (ICB).")])]
[('ICB', 'Integrated Care Board')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

from extractor.document import fold
from extractor.nlp.data import text_words

__all__ = ["AbbreviationMatch", "find_abbreviations", "best_long_form", "short_form_mentions"]

_PAREN = re.compile(r"\(\s*([^()\n]{1,120}?)\s*\)")
_SHORT_FORM = re.compile(r"[A-Za-z][A-Za-z0-9&'./-]{0,9}")
_WORD = re.compile(r"[^\s()]+")
# Words before a bracket stop at a sentence or clause break.
_CLAUSE_BREAK = re.compile(r"[.;:!?]\s|[()]")
_WORD_BEFORE_BRACKET = re.compile(r"([A-Za-z][A-Za-z0-9&]{1,9})\s*$")


@dataclass(frozen=True)
class AbbreviationMatch:
    """A short form and its long form; offsets index the canonical text."""

    short: str
    long: str
    short_start: int
    short_end: int
    long_start: int | None
    long_end: int | None
    rule: str


def _is_short_form(text: str) -> bool:
    if not _SHORT_FORM.fullmatch(text) or len(text) < 2:
        return False
    capitals = sum(c.isupper() for c in text)
    return capitals >= 2 or (capitals == 1 and len(text) <= 3 and text[0].isupper())


def best_long_form(short: str, candidate: str) -> str | None:
    """The shortest tail of ``candidate`` that ``short`` abbreviates, or None (Schwartz-Hearst).

    >>> best_long_form("PGDs", "had several patient group directives")
    'patient group directives'
    >>> best_long_form("MSK", "further procurement of musculo-skeletal")
    'musculo-skeletal'
    """
    s_index, l_index = len(short) - 1, len(candidate) - 1
    while s_index >= 0:
        c = short[s_index].lower()
        if not c.isalnum():
            s_index -= 1
            continue
        while l_index >= 0 and (
            candidate[l_index].lower() != c
            or (s_index == 0 and l_index > 0 and candidate[l_index - 1].isalnum())
        ):
            l_index -= 1
        if l_index < 0:
            return None
        l_index -= 1
        s_index -= 1
    start = candidate.rfind(" ", 0, l_index + 1) + 1
    long_form = candidate[start:].strip()
    return long_form or None


def _long_form_ok(short: str, long_form: str) -> bool:
    words = long_form.split()
    letters = sum(ch.isalnum() for ch in short)
    if len(long_form) <= len(short) or len(words) > min(letters + 5, 2 * letters):
        return False
    if fold(long_form).lower() == fold(short).lower():
        return False
    return not long_form.lower().startswith(("the ", "a ", "an "))


def _preceding_words(text: str, folded: str, end: int, short: str) -> tuple[str, int]:
    """The text of the words before ``end`` that could be the long form, and where it starts."""
    letters = sum(ch.isalnum() for ch in short)
    limit = min(letters + 5, 2 * letters)
    window_start = max(0, end - 200)
    window = text[window_start:end]
    breaks = list(_CLAUSE_BREAK.finditer(folded, window_start, end))
    if breaks:
        window_start = breaks[-1].end()
        window = text[window_start:end]
    words = list(_WORD.finditer(window))[-limit:]
    if not words:
        return "", end
    start = window_start + words[0].start()
    return text[start:end].rstrip(), start


def _word_before(text: str, end: int) -> tuple[int, int, str] | None:
    """The word of two to ten letters and digits (a letter first) just before ``end`` and the
    white space there, with its span: ``_WORD_BEFORE_BRACKET.search(text[:end])``, but reading
    only those characters rather than all of ``text[:end]``."""
    k = end
    while k > 0 and text[k - 1].isspace():
        k -= 1
    lo = max(0, k - 10)
    m = _WORD_BEFORE_BRACKET.search(text, lo, end)
    return (m.start(1), m.end(1), m.group(1)) if m else None


def _definitions(offset: int, text: str, folded: str) -> Iterable[AbbreviationMatch]:
    for m in _PAREN.finditer(folded):
        inner = text[m.start(1):m.end(1)]
        if _is_short_form(inner):
            candidate, cand_start = _preceding_words(text, folded, m.start(), inner)
            long_form = best_long_form(inner, candidate) if candidate else None
            if long_form and _long_form_ok(inner, long_form):
                long_start = cand_start + len(candidate) - len(long_form)
                yield AbbreviationMatch(
                    inner, long_form, offset + m.start(1), offset + m.end(1),
                    offset + long_start, offset + long_start + len(long_form),
                    "rule:abbreviation.schwartz_hearst",
                )
            continue
        # "SHORT (long form)": the word before the bracket is the short form.
        before = _word_before(text, m.start())
        if before and _is_short_form(before[2]) and " " in inner.strip():
            short = before[2]
            long_form = best_long_form(short, inner)
            if long_form == inner.strip() and _long_form_ok(short, long_form):
                yield AbbreviationMatch(
                    short, long_form, offset + before[0], offset + before[1],
                    offset + m.start(1), offset + m.end(1), "rule:abbreviation.schwartz_hearst",
                )


def _initials(name: str) -> list[tuple[str, str]]:
    """Candidate (initials, long form) pairs for a name, without legal suffixes."""
    words = text_words()
    suffixes = {s.lower() for s in words.name_legal_suffixes}
    stop = {s.lower() for s in words.name_stop_words}
    parts = re.findall(r"[A-Za-z0-9][\w'\u2019-]*|&", name)
    while parts and parts[-1].lower().rstrip(".") in suffixes:
        parts.pop()
    if len(parts) < 2:
        return []
    long_form = name[: name.find(parts[-1]) + len(parts[-1])].strip()
    out = []
    content = "".join(p[0] for p in parts if p.lower() not in stop).upper()
    every = "".join(p[0] for p in parts).upper()
    for initials in dict.fromkeys([content, every]):
        if len(initials) >= 2 and initials not in words.not_initials:
            out.append((initials, long_form))
    return out


@lru_cache(maxsize=256)
def _mention(short: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(short)}(?:s|'s|\u2019s)?(?![\w-])")


def short_form_mentions(short: str, text: str) -> list[tuple[int, int]]:
    """Spans of ``short`` (or its plural) as a whole word in ``text``, case as printed."""
    if short not in text:
        return []  # most texts do not hold it: a substring test answers faster than the regex
    return [(m.start(), m.start() + len(short)) for m in _mention(short).finditer(text)]


def find_abbreviations(
    texts: Sequence[tuple[int, str]], names: Sequence[str | tuple[int, str]] = (),
    *, folded: Sequence[str] | None = None,
) -> list[AbbreviationMatch]:
    """Abbreviations of a document: definitions in ``texts``, then initials of ``names``.

    Args:
        texts: ``(offset, text)`` pairs; offsets place each text in the canonical text.
        names: the location and provider names, as strings or as ``(offset, name)`` pairs when
            their place in the canonical text is known.
        folded: ``fold(text)`` of each text, when the caller already has them.

    Returns:
        One match per short form (its first definition), definitions first, in text order.
    """
    if folded is None:
        folded = [fold(text) for _, text in texts]
    found: dict[str, AbbreviationMatch] = {}
    for (offset, text), folded_text in zip(texts, folded):
        for match in _definitions(offset, text, folded_text):
            found.setdefault(match.short, match)
    for item in names:
        name_offset, name = item if isinstance(item, tuple) else (None, item)
        for initials, long_form in _initials(name):
            if initials in found:
                continue
            mention = next(
                ((offset + s, offset + e)
                 for offset, text in texts for s, e in short_form_mentions(initials, text)),
                None,
            )
            if mention is None:
                continue
            long_span = _long_form_span(long_form, texts, folded, name_offset)
            found[initials] = AbbreviationMatch(
                initials, long_form, mention[0], mention[1],
                long_span[0] if long_span else None, long_span[1] if long_span else None,
                "rule:abbreviation.name_initials",
            )
    return sorted(found.values(), key=lambda a: a.short_start)


def _long_form_span(
    long_form: str, texts: Sequence[tuple[int, str]], folded: Sequence[str], name_offset: int | None
) -> tuple[int, int] | None:
    key = fold(long_form)
    for (offset, _), folded_text in zip(texts, folded):
        at = folded_text.find(key)
        if at >= 0:
            return offset + at, offset + at + len(long_form)
    if name_offset is not None:
        return name_offset, name_offset + len(long_form)
    return None
