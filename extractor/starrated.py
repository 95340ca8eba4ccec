"""Star-rated key inspection reports of care homes (2009 to 2010): the star rating and the home.

The PDF text extract of such a report runs its cover together: "Key inspection report", the kind
of home ("Care homes for older people"), then labels ahead of their values ("Name: Address:
Ferndale House 14 Orchard Road Taunton TA1 4HQ"), the quality rating in words ("two star good
service") and the date as spaced digits ("Date: 1 8 0 2 2 0 1 0" is 18 February 2010). Name and
address cannot be told apart there, so they are read from "Information about the care home",
where each label stands on its own line with its value after it or on the next line; the
address is split where that is certain (its parts are not separated by commas there: see
:mod:`extractor.address`). The prose after the cover is the summary. The vocabulary is data (``star_rated.yaml``).

A text without that block (an extract cut short, a copy of the cover alone) takes both from the
cover: the name is the words before a house number ("Victoria Lodge Care Home 138 Thorne Road"),
or words printed twice, as name and as the first line of the address ("Harbledown Lodge
Harbledown Lodge Upper Harbledown"), and the address runs from there to its postcode. Otherwise
the name is left out rather than guessed, and the address's span holds it. The prose then starts
after the block that holds the date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from extractor import taxonomy as tx
from extractor.address import HOUSE_NUMBER, find_phone, find_postcode, parse_address_line, phone_problems
from extractor.dates import DATE_PATTERN
from extractor.document import Document
from extractor.errors import UnsupportedReportFamily
from extractor.header import date_field
from extractor.inspection import InspectionRead
from extractor.keyquestions import paragraphs
from extractor.spans import make_field, make_span
from models import Address, DateValue, Field, Inspection, Location, StarRating, Warning, construct

__all__ = ["read_star_rated"]


class _Vocabulary(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    report_title: list[str]
    stars: dict[str, int]
    qualities: dict[int, str]
    details_heading: list[str]
    labels: dict[str, list[str]]
    cover_labels: list[str]
    headings: list[str]
    cqc_began: dt.date


@dataclass(frozen=True)
class _Patterns:
    title: frozenset[str]
    rating: re.Pattern[str]
    stars: dict[str, int]
    qualities: dict[int, str]
    spaced_date: re.Pattern[str]
    date: re.Pattern[str]
    details: frozenset[str]
    label: re.Pattern[str]  # a label at the start of a line; group "label", then the value
    field_of: dict[str, str]  # match key of a label -> name, address, phone, provider or other
    cover_labels: re.Pattern[str]  # "Name: Address:" on the cover, the value after it
    headings: frozenset[str]
    cqc_began: dt.date


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    vocab: _Vocabulary = tx.load_validated(_Vocabulary, "star_rated.yaml")
    stars = {k.lower(): v for k, v in vocab.stars.items()}
    qualities = {k: v.lower() for k, v in vocab.qualities.items()}
    labels = sorted((label for group in vocab.labels.values() for label in group), key=len, reverse=True)
    return _Patterns(
        title=frozenset(tx.match_key(t) for t in vocab.report_title),
        rating=re.compile(rf"\b(?P<stars>{'|'.join(map(re.escape, stars))}|[0-3])\s+star\s+"
                          rf"(?P<quality>{'|'.join(map(re.escape, set(qualities.values())))})\s+service\b", re.I),
        stars=stars,
        qualities=qualities,
        spaced_date=re.compile(r"\bDate\s*:?\s*(?P<date>(?:\d\s+){7}\d)(?!\s*\d)", re.I),
        date=re.compile(rf"\bDate\s*:?\s*(?P<date>{DATE_PATTERN})", re.I),
        details=frozenset(tx.match_key(h) for h in vocab.details_heading),
        label=re.compile(rf"(?P<label>{'|'.join(tx.phrase_pattern(label) for label in labels)})\s*:?(?=\s|$)", re.I),
        field_of={tx.match_key(label): name for name, group in vocab.labels.items() for label in group},
        cover_labels=re.compile(rf"(?:{tx.phrases_pattern(vocab.cover_labels)})\s*", re.I),
        headings=frozenset(tx.match_key(h.rstrip(":?")) for h in vocab.headings),
        cqc_began=vocab.cqc_began,
    )


def read_star_rated(doc: Document) -> InspectionRead:
    """Read a star-rated key inspection report (see the module docstring).

    Raises:
        UnsupportedReportFamily: when neither a star rating nor the date is found.
    """
    p = _patterns()
    warnings: list[Warning] = []
    location = Location()
    inspection = Inspection()
    blocks = doc.blocks
    title = next((i for i, b in enumerate(blocks) if tx.match_key(doc.folded[b.start:b.end]) in p.title), None)
    if title is not None and title + 1 < len(blocks) and ":" not in blocks[title + 1].text \
            and len(blocks[title + 1].text.split()) <= 10:  # the kind of home, a short line
        b = blocks[title + 1]
        location.service_types.append(make_field(doc, b.text, b.start, b.end, "star_rated.service_type"))
    details = next((i for i, b in enumerate(blocks) if tx.match_key(doc.folded[b.start:b.end]) in p.details), None)
    cover_end = blocks[details].start if details is not None else len(doc.text)
    m = p.rating.search(doc.folded, 0, cover_end)
    if m:
        stars = p.stars.get(m["stars"].lower(), int(m["stars"]) if m["stars"].isdigit() else -1)
        inspection.star_rating = construct(
            StarRating,
            stars=make_field(doc, stars, m.start("stars"), m.end("stars"), "star_rated.rating"),
            quality=make_field(doc, m["quality"].lower(), m.start("quality"), m.end("quality"), "star_rated.rating"))
        if p.qualities.get(stars) != m["quality"].lower():
            warnings.append(Warning(code="rating_mismatch", message=f"{m.group()!r}: {stars} stars is a "
                                    f"{p.qualities.get(stars)!r} service", span=make_span(doc, m.start(), m.end())))
    visit = _date(doc, p, cover_end, warnings)
    inspection.visit_dates = [visit] if visit is not None else []
    if visit is not None and visit.value.iso < p.cqc_began.isoformat():
        warnings.append(Warning(code="inspected_before_cqc", message=f"the inspection ({visit.value.iso}) came before "
                                f"CQC began on {p.cqc_began.isoformat()}: it was the Commission for Social Care "
                                "Inspection's", span=visit.span))
    if details is not None:
        _read_details(doc, details, location, warnings)
    if location.address is None:
        _read_cover(doc, cover_end, location)
    if inspection.star_rating is None and not inspection.visit_dates:
        raise UnsupportedReportFamily("a star-rated key inspection report, 2009-2010, but no star rating or "
                                      "date was found in it", source_id=doc.source_id)
    if details is None:  # the prose starts after the block of the cover's date, else of its rating
        last = visit.span if visit is not None else inspection.star_rating.stars.span if inspection.star_rating else None
        cover_end = next((b.end for b in blocks if last is not None and b.start <= last.start < b.end), 0)
    first_prose = next((i for i, b in enumerate(blocks) if b.start >= cover_end), len(blocks))
    inspection.summary = paragraphs(doc, [i for i in range(first_prose, len(blocks))
                                          if blocks[i].kind in ("paragraph", "list_item") and not _is_label(doc, i)
                                          and not _is_heading(blocks[i].text)])
    return InspectionRead(location, inspection, warnings=warnings)


def _date(doc: Document, p: _Patterns, end: int, warnings: list[Warning]) -> Field[DateValue] | None:
    m = p.spaced_date.search(doc.folded, 0, end)
    if m is None:
        plain = p.date.search(doc.folded, 0, end)
        return date_field(doc, plain, 0, "date", "star_rated.date", warnings) if plain else None
    digits = re.sub(r"\s+", "", m["date"])
    s, e = m.start("date"), m.end("date")
    try:  # day, month, year: DDMMYYYY
        iso = dt.date(int(digits[4:]), int(digits[2:4]), int(digits[:2])).isoformat()
    except ValueError:
        warnings.append(Warning(code="date_invalid", message=f"{m['date']!r} ({digits[:2]}/{digits[2:4]}/"
                                f"{digits[4:]}) is not a calendar date", span=make_span(doc, s, e)))
        return None
    return make_field(doc, construct(DateValue, iso=iso, printed=doc.text[s:e]), s, e, "star_rated.spaced_digits")


def _is_heading(text: str) -> bool:
    """A heading of the report's parts: a listed one, or a short line ending in ":" or "?" (the
    template asks its questions as headings: "What has improved since the last inspection?")."""
    line = text.rstrip()
    return tx.match_key(line.rstrip(":? ")) in _patterns().headings or (
        line.endswith((":", "?")) and len(line.split()) <= 12)


def _is_label(doc: Document, i: int) -> bool:
    b = doc.blocks[i]
    return _patterns().label.match(doc.folded, b.start, b.end) is not None


def _read_details(doc: Document, heading: int, location: Location, warnings: list[Warning]) -> None:
    """The label lines after "Information about the care home", up to the first heading of the
    report's parts or paragraph of prose; lines with labels not listed are passed over."""
    p = _patterns()
    i = heading + 1
    while i < len(doc.blocks):
        b = doc.blocks[i]
        m = p.label.match(doc.folded, b.start, b.end)
        if m is None:
            if tx.match_key(b.text.rstrip(":? ")) in p.headings or len(b.text.split()) > 14:
                return
            i += 1
            continue
        start, end = m.end(), b.end
        while start < end and doc.text[start].isspace():
            start += 1
        if start >= end and i + 1 < len(doc.blocks) and not _is_label(doc, i + 1):
            i += 1  # the value on the line after its label
            start, end = doc.blocks[i].start, doc.blocks[i].end
        if start < end:
            _take(doc, p.field_of[tx.match_key(m["label"])], start, end, location, warnings)
        i += 1


_HOUSE_NUMBER = re.compile(rf"\s(?P<number>{HOUSE_NUMBER})\s+[A-Z]")
_NAME_TWICE = re.compile(r"(?P<name>\S+(?:\s+\S+){1,7}?)\s+(?P=name)(?!\S)")
_COVER_VALUE = 240  # characters after the cover's labels in which the address's postcode is looked for


def _read_cover(doc: Document, end: int, location: Location) -> None:
    """Address, and name where a house number parts the two, from "Name: Address: <name> <address>
    <postcode>" on the cover (see the module docstring)."""
    labels = _patterns().cover_labels.search(doc.folded, 0, end)
    if labels is None:
        return
    start = labels.end()
    pc = find_postcode(doc.text[start:min(end, start + _COVER_VALUE)])
    if pc is None:
        return
    value_end = start + pc.end()
    address_start = start
    if location.name is None:
        twice = _NAME_TWICE.match(doc.text, start, value_end)
        number = _HOUSE_NUMBER.search(doc.text, start, value_end)
        name_end = twice.end("name") if twice else number.start() if number and number.start() > start else None
        if name_end is not None:
            location.name = make_field(doc, doc.text[start:name_end], start, name_end, "star_rated.cover_name")
            address_start = name_end + 1
    _take(doc, "address", address_start, value_end, location, [])


def _take(doc: Document, name: str, start: int, end: int, location: Location, warnings: list[Warning]) -> None:
    if name == "name" and location.name is None:
        location.name = make_field(doc, doc.text[start:end], start, end, "star_rated.name")
    elif name == "provider" and location.provider is None:
        location.provider = make_field(doc, doc.text[start:end], start, end, "star_rated.provider")
    elif name == "address" and location.address is None:
        found = parse_address_line(doc, start, end)
        location.address = found.address or construct(Address, span=make_span(doc, start, end))
        warnings.extend(Warning(code=code, message=message, span=make_span(doc, s, e))
                        for code, message, s, e in found.problems)
    elif name == "phone" and location.phone is None:
        location.phone = find_phone(doc, start, end)
        warnings.extend(Warning(code=code, message=message, span=make_span(doc, s, e))
                        for code, message, s, e in phone_problems(location.phone))
