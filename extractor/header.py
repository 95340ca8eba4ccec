"""Header fields of a SAF page: service types, name, overall rating, address, phone, provider, date."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractor import taxonomy as tx
from extractor.address import find_phone, find_postcode, parse_address_line
from extractor.blocklabels import (
    PROVIDED_BY_RE, REPORT_FROM_RE, Label, Labelled, overall_re,
)
from extractor.dates import InvalidDate, to_date
from extractor.document import Document
from extractor.spans import make_field, make_span
from models import DateValue, Field, Location, Warning, construct

_PREFIX_RE = re.compile(r"(?P<prefix>Archived)\s*:\s*", re.I)
# Lines that are no location's name: a banner's start, the site's "You are here" over the page's
# trail, and the headings a rating-era page's summary opens with ("Inspection summary", "Overall
# summary & rating").
_BANNER_RE = re.compile(r"(?:Important|Notice|Section \d+|Warning|You are here|(?:Latest )?Inspection summary"
                        r"|Overall summary)\b", re.I)


@dataclass
class HeaderResult:
    location: Location = field(default_factory=Location)
    assessment_date: Field[DateValue] | None = None
    warnings: list[Warning] = field(default_factory=list)


def date_field(doc: Document, m: re.Match[str], offset: int, group: str | int, rule: str,
               warnings: list[Warning]) -> Field[DateValue] | None:
    """A date field from a match of a pattern that embeds ``DATE_PATTERN`` (``group`` the date's
    part of the match, ``offset`` where the matched text starts); warns if impossible."""
    start, end = offset + m.start(group), offset + m.end(group)
    try:
        iso = to_date(m["day"], m["month"], m["year"]).isoformat()
    except InvalidDate as exc:
        warnings.append(Warning(code="date_invalid", message=str(exc), span=make_span(doc, start, end)))
        return None
    date = construct(DateValue, iso=iso, printed=doc.text[start:end])  # both strings, made here
    return make_field(doc, date, start, end, rule)


def read_header(doc: Document, labels: list[Labelled], lo: int, hi: int) -> HeaderResult:
    """Read the header blocks ``[lo, hi)``; later header lines of the same kind are ignored."""
    res = HeaderResult()
    loc = res.location
    i = _after_site_text(doc, labels, lo, hi)
    # Breadcrumb: service-type labels (or any bullet line) before the name.
    while i < hi:
        b, lab = doc.blocks[i], labels[i]
        if lab.label is Label.SERVICE_TYPE:
            loc.service_types.append(make_field(doc, lab.value or b.text, b.start, b.end,
                                                "header.service_type"))
        elif b.kind == "list_item" and lab.label is Label.TEXT and not loc.name:
            loc.service_types.append(make_field(doc, b.text, b.start, b.end,
                                                "header.breadcrumb_unknown"))
            res.warnings.append(Warning(code="service_type_unknown",
                                        message=f"breadcrumb label {b.text!r} is not a known service type",
                                        span=make_span(doc, b.start, b.end)))
        else:
            break
        i += 1
    expect_provider = False
    name_at = i - 1  # the name's block, once read
    while i < hi:
        b, lab = doc.blocks[i], labels[i]
        text = doc.folded[b.start:b.end]
        if lab.label is Label.NAV:
            break
        if expect_provider and lab.label is Label.TEXT:
            loc.provider = make_field(doc, b.text, b.start, b.end, "header.provided_by")
            expect_provider = False
        elif lab.label is Label.OVERALL and loc.overall_rating is None:
            _read_overall(doc, labels, i, hi, text, res)
        elif lab.label is Label.PROVIDED_BY and loc.provider is None:
            rest = PROVIDED_BY_RE.match(text)
            after = b.start + (rest.end() if rest else len(text))
            if after < b.end:
                loc.provider = make_field(doc, doc.text[after:b.end], after, b.end, "header.provided_by")
            else:
                expect_provider = True
        elif lab.label is Label.REPORT_FROM and res.assessment_date is None:
            m = REPORT_FROM_RE.match(text)
            if m:
                res.assessment_date = date_field(doc, m, b.start, "date", "header.report_from",
                                                 res.warnings)
        elif lab.label is Label.TEXT and loc.address is None and find_postcode(b.text):
            found = parse_address_line(doc, doc.blocks[_address_start(doc, labels, name_at, i)].start, b.end)
            loc.address, loc.phone = found.address, found.phone
            for code, msg, s, e in found.problems:
                res.warnings.append(Warning(code=code, message=msg, span=make_span(doc, s, e)))
        elif lab.label is Label.TEXT and loc.name is None and b.kind != "paragraph" \
                and not _BANNER_RE.match(text):
            read_name(doc, i, res)
            name_at = i
        elif lab.label is Label.TEXT and loc.name is not None and loc.core_service is None \
                and (cs := tx.core_service(b.text)):
            loc.core_service = make_field(doc, cs.name, b.start, b.end, "header.core_service")
        elif lab.label is Label.TEXT and loc.phone is None and loc.name is not None \
                and b.kind == "heading" and (phone := find_phone(doc, b.start, b.end)):
            loc.phone = phone
        i += 1
    return res


def _address_start(doc: Document, labels: list[Labelled], name_at: int, i: int) -> int:
    """The first line of an address whose postcode is on line ``i``: a page printed from the
    site sets the address a line a part ("27 Fieldgate Lane", "Selby", "YO8 9NE") after the name."""
    first = i
    while first - 1 > name_at and labels[first - 1].label is Label.TEXT and doc.blocks[first - 1].kind == "heading" \
            and not find_phone(doc, doc.blocks[first - 1].start, doc.blocks[first - 1].end):
        first -= 1
    return first


def _after_site_text(doc: Document, labels: list[Labelled], lo: int, hi: int) -> int:
    """Where the header starts, past any site text a whole page's copy or print puts before it
    (cookie notice, menu, numbered breadcrumb): at the service-type labels, else at the heading
    right above the "Overall:" line (the name). Unchanged (``lo``) where neither is found, or
    the lines passed over hold a list item (a breadcrumb of the page's own)."""
    first_type = next((k for k in range(lo, hi) if labels[k].label is Label.SERVICE_TYPE), None)
    overall = next((k for k in range(lo, hi) if labels[k].label is Label.OVERALL), None)
    if first_type is not None and (overall is None or first_type < overall):
        start = first_type
    elif overall is not None and overall - 1 > lo and labels[overall - 1].label is Label.TEXT \
            and doc.blocks[overall - 1].kind == "heading" and not _BANNER_RE.match(doc.blocks[overall - 1].text):
        start = overall - 1
    else:
        return lo
    if any(doc.blocks[k].kind == "list_item" for k in range(lo, start)):
        return lo
    return start


def read_name(doc: Document, i: int, res: HeaderResult) -> None:
    """The location name on block ``i``, with an "Archived:" prefix kept apart."""
    b = doc.blocks[i]
    start = b.start
    prefix = _PREFIX_RE.match(doc.text, start, b.end)
    if prefix:
        res.location.name_prefix = make_field(doc, prefix["prefix"].capitalize(), prefix.start("prefix"),
                                              prefix.end("prefix"), "header.name_prefix")
        start = prefix.end()
    res.location.name = make_field(doc, doc.text[start:b.end], start, b.end, "header.name")


def _read_overall(doc: Document, labels: list[Labelled], i: int, hi: int, text: str,
                  res: HeaderResult) -> None:
    b = doc.blocks[i]
    m = overall_re().match(text)
    if m and m["rating"]:
        s, e = b.start + m.start("rating"), b.start + m.end("rating")
        value = tx.rating(doc.text[s:e])  # the pattern holds rating words only: never None
        if value is not None:
            res.location.overall_rating = make_field(doc, value, s, e, "header.overall_line")
    elif i + 1 < hi and labels[i + 1].label is Label.RATING:
        nb, word = doc.blocks[i + 1], labels[i + 1].value
        if word is not None:  # a rating line always has its word
            res.location.overall_rating = make_field(doc, word, nb.start, nb.end,
                                                     "header.overall_next_line")
