"""The ratings of the inspection before, as adult social care reports of 2017 onward give them.

The summary names the location's last rating, often with when it was published, and may say how
the rating moved::

    The last rating for this service was requires improvement (published 14 May 2019).
    At our last inspection in August 2016 we rated the service good overall. At this inspection
    the rating has fallen to requires improvement.

and each key question's section says what the key question was rated before and how it moved::

    At the last inspection this key question was rated as good. At this inspection this key
    question has deteriorated to requires improvement.

:func:`read_overall` reads the first, :func:`read_change` the second. A change is "improved",
"stayed the same" or "went down" ("changed to" takes its direction from the two ratings); it and
the rating it moved to are checked against the record's rating by :func:`check_change`
(``rating_change_mismatch``, ``rating_mismatch``), never put in its place. The words are data
(``last_ratings.yaml``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from extractor import taxonomy as tx
from extractor.dates import DATE_PATTERN, MONTH_YEAR_PATTERN, month_iso
from extractor.document import Document
from extractor.header import date_field
from extractor.ratingprose import rating_change
from extractor.spans import make_field, make_span
from models import DateValue, Field, Inspection, Warning, construct

__all__ = ["Change", "read_overall", "read_first", "read_summary", "read_change", "check_change"]

_CHANGED = "changed"  # the change whose direction the two ratings give
_MARKER = "inspection"  # every sentence of a key question read holds it: a text without it is not searched
_SUMMARY_MARKERS = ("inspection", "last rating", "overall rating")  # every sentence of a summary read holds one


class _Vocabulary(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    last_rating: list[str]
    published: list[str]
    overall_before: list[str]
    overall_now: list[str]
    first: list[str]
    registered: list[str]
    before: list[str]
    now: list[str]
    changes: dict[str, list[str]]


@dataclass(frozen=True)
class _Patterns:
    last: re.Pattern[str]  # "The last rating for this service was <rating> (published <date>)"
    overall_before: re.Pattern[str]
    overall_now: re.Pattern[str]
    first: re.Pattern[str]  # "This is the first inspection ..." (group "since": it goes on with "since")
    registered: re.Pattern[str]  # "registered with us on <date>"
    before: re.Pattern[str]  # a key question's rating before
    now: re.Pattern[str]  # a key question's change, right after `before`'s sentence
    change_of: dict[str, str]  # group name of a printed change -> its value


@dataclass(frozen=True)
class Change:
    """What a text says of a rating before this inspection: the rating then (None where only the
    move is said), how it moved (None when not said, or "changed" between ratings off the
    four-point scale), the rating it moved to when printed, and when the rating before was
    published, where said."""

    before: Field[str] | None
    change: Field[str] | None = None
    to: Field[str] | None = None
    published: Field[DateValue] | None = None


def _changes(v: _Vocabulary, ratings: str) -> tuple[str, dict[str, str]]:
    """One alternation of every printed change, each in a group ``c<i>_<j>`` (the rating it moved
    to in ``r<i>_<j>``, from in ``b<i>_<j>``); and each group's value."""
    change_of: dict[str, str] = {}
    alternatives = []
    for i, (value, phrases) in enumerate(v.changes.items()):
        for j, phrase in enumerate(sorted(phrases, key=len, reverse=True)):
            slots = {"{rating}": f"(?P<r{i}_{j}>{ratings})", "{before}": f"(?P<b{i}_{j}>{ratings})"}
            body = r"\s+".join(slots.get(w, tx.phrase_pattern(w)) for w in phrase.split())
            change_of[f"c{i}_{j}"] = value
            alternatives.append(f"(?P<c{i}_{j}>{body})")
    return "|".join(alternatives), change_of


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    v: _Vocabulary = tx.load_validated(_Vocabulary, "last_ratings.yaml")
    ratings = "|".join(tx.phrase_pattern(w) for w in tx.rating_words())
    changes, change_of = _changes(v, ratings)
    published = tx.phrases_pattern(v.published)
    month = MONTH_YEAR_PATTERN.replace("?P<", "?P<my_")
    unnamed = [re.sub(r"[?]P<\w+>", "", x) for x in (DATE_PATTERN, month)]
    when = rf"(?:\s*,?\s+(?:in|on)\s+(?:{unnamed[0]}|{unnamed[1]}),?)?"
    overall_before = "|".join(when.join(tx.phrase_pattern(part) for part in phrase.split("{when}")).replace(
        when, when + r"\s+") for phrase in sorted(v.overall_before, key=len, reverse=True))
    return _Patterns(
        last=re.compile(rf"(?:{tx.phrases_pattern(v.last_rating)})\s+(?P<rating>{ratings})\b"
                        rf"(?:\s*[(,]?\s*(?:{published})\s+(?:(?P<date>{DATE_PATTERN})|(?P<my>{month})))?", re.I),
        overall_before=re.compile(rf"(?:{overall_before})\s+(?P<rating>{ratings})\b", re.I),
        overall_now=re.compile(rf"(?:{tx.phrases_pattern(v.overall_now)})\s+(?:{changes})", re.I),
        first=re.compile(rf"(?:{tx.phrases_pattern(v.first)})(?:\s+(?:of|for)\s+(?:this|the)(?:\s+newly\s+registered)?"
                         rf"\s+[\w']+)?(?P<since>\s+since\b[^.]*)?", re.I),
        registered=re.compile(rf"(?:{tx.phrases_pattern(v.registered)})(?:\s+under\s+[^.]{{0,80}}?)?\s+(?:on|in)\s+"
                              rf"(?:(?P<date>{DATE_PATTERN})|(?P<my>{month}))", re.I),
        before=re.compile(rf"(?:{tx.phrases_pattern(v.before)})\s+(?P<rating>{ratings})\b\.?", re.I),
        now=re.compile(rf"\s*(?:{tx.phrases_pattern(v.now)})\s+(?:{changes})", re.I),
        change_of=change_of,
    )


def _rating(doc: Document, m: re.Match[str], group: str, rule: str) -> Field[str]:
    return make_field(doc, str(tx.rating(m[group])), m.start(group), m.end(group), rule)


def _moved(doc: Document, n: re.Match[str], before: Field[str] | None, published: Field[DateValue] | None,
           prefix: str) -> Change:
    """The change matched by ``n`` (a match of a pattern holding the changes) after ``before``."""
    name = next(k for k in _patterns().change_of if n[k] is not None)
    value = _patterns().change_of[name]
    to_group, from_group = "r" + name[1:], "b" + name[1:]
    groups = n.groupdict()
    to = _rating(doc, n, to_group, prefix + "to") if groups.get(to_group) else None
    if groups.get(from_group):  # "changed from good to requires improvement"
        before = before or _rating(doc, n, from_group, prefix + "before")
    if value == _CHANGED:
        moved = rating_change(to.value, before.value) if to is not None and before is not None else None
        if moved is None:
            return Change(before, None, to, published)
        value = moved
    return Change(before, make_field(doc, value, n.start(name), n.end(name), prefix + "change"), to, published)


def read_overall(doc: Document, start: int, end: int, warnings: list[Warning]) -> Change | None:
    """What ``doc.text[start:end]`` (a summary) says of the location's rating before: the first
    sentence that gives the rating (and its publication date), and the first that says how it
    moved. A date that does not exist is a ``date_invalid`` warning."""
    p = _patterns()
    lower = doc.folded[start:end].lower()
    if not any(word in lower for word in _SUMMARY_MARKERS):
        return None
    before: Field[str] | None = None
    published: Field[DateValue] | None = None
    m = p.last.search(doc.folded, start, end)
    if m is not None:
        before = _rating(doc, m, "rating", "last_rating.rating")
        published = _date(doc, m, "last_rating.published", warnings)
    elif (m := p.overall_before.search(doc.folded, start, end)) is not None:
        before = _rating(doc, m, "rating", "last_rating.rating")
    n = p.overall_now.search(doc.folded, start, end)
    if n is not None:
        return _moved(doc, n, before, published, "last_rating.")
    return Change(before, published=published) if before is not None else None


def _date(doc: Document, m: re.Match[str], rule: str, warnings: list[Warning]) -> Field[DateValue] | None:
    """The date of a match with groups ``date`` (a whole date) or ``my`` (a month alone, its ISO
    form YYYY-MM and the rule ``rule`` + "_month"), when it has one."""
    if m["date"]:
        return date_field(doc, m, 0, "date", rule, warnings)
    if m["my"]:
        value = construct(DateValue, iso=month_iso(m["my_month"], m["my_year"]), printed=doc.text[m.start("my"):m.end("my")])
        return make_field(doc, value, m.start("my"), m.end("my"), rule + "_month")
    return None


def read_first(doc: Document, start: int, end: int,
               warnings: list[Warning]) -> tuple[Field[bool] | None, Field[DateValue] | None]:
    """Whether ``doc.text[start:end]`` (a summary) says this is the location's first inspection
    (True, or None when it does not say), and when the location registered, where it says."""
    p = _patterns()
    lower = doc.folded[start:end].lower()
    if "first inspection" not in lower and "registered with" not in lower:
        return None, None
    first = None
    for m in p.first.finditer(doc.folded, start, end):
        if m["since"] is None or "registered" in m["since"].lower():  # not "first inspection since it moved"
            stop = m.start("since") if m["since"] else m.end()
            first = make_field(doc, True, m.start(), stop, "last_rating.first_inspection")
            break
    r = p.registered.search(doc.folded, start, end)
    return first, _date(doc, r, "last_rating.registered", warnings) if r is not None else None


def read_summary(doc: Document, start: int, end: int, inspection: Inspection, overall: Field[str] | None,
                 warnings: list[Warning]) -> None:
    """Fill ``inspection`` with what its summary, ``doc.text[start:end]``, says of the rating
    before (:func:`read_overall`, its move checked against ``overall``, the location's rating) and
    of a first inspection (:func:`read_first`)."""
    found = read_overall(doc, start, end, warnings)
    if found is not None:
        inspection.previous_rating, inspection.previous_publication_date = found.before, found.published
        inspection.rating_change = found.change
        warnings.extend(check_change(doc, "the location", overall, found))
    inspection.first_inspection, inspection.registration_date = read_first(doc, start, end, warnings)


def read_change(doc: Document, start: int, end: int) -> Change | None:
    """What ``doc.text[start:end]`` (a key question's section) says of the key question's last
    rating, from the first sentence that gives it."""
    p = _patterns()
    if _MARKER not in doc.folded[start:end].lower():
        return None
    m = p.before.search(doc.folded, start, end)
    if m is None:
        return None
    before = _rating(doc, m, "rating", "last_rating.key_question_before")
    n = p.now.match(doc.folded, m.end(), end)
    return Change(before) if n is None else _moved(doc, n, before, None, "last_rating.key_question_")


def check_change(doc: Document, subject: str, rating: Field[str] | None, found: Change) -> list[Warning]:
    """A stated change against the record's rating: ``rating_mismatch`` where the rating it moved
    to is another, ``rating_change_mismatch`` where the move from the rating before does not give
    the record's rating. ``subject`` opens each message."""
    out: list[Warning] = []
    if rating is None:
        return out
    if found.to is not None and found.to.value != rating.value and found.to.span is not None:
        out.append(Warning(code="rating_mismatch", message=f"{subject}: rated {rating.value!r}, but the text says "
                           f"the rating moved to {found.to.value!r}",
                           span=make_span(doc, found.to.span.start, found.to.span.end)))
    if found.before is None or found.change is None or found.change.span is None:
        return out
    moved = rating_change(rating.value, found.before.value)
    if moved is not None and moved != found.change.value:
        out.append(Warning(code="rating_change_mismatch", message=f"{subject}: the text says the rating "
                           f"{found.change.value} since {found.before.value!r}, but it is {rating.value!r}",
                           span=make_span(doc, found.change.span.start, found.change.span.end)))
    return out
