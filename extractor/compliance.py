"""Reviews of compliance (2010 to 2011): the first layout of the essential standards era.

The text of such a report (the PDF text extract) reads: "Review of compliance", the provider and
the location (two lines, or run together on one line, or the whole cover flattened into the title
line), "Region:", "Location address:", "Type of service:", "Date of Publication: March 2011" (a
month), "Overview of the service:", then "Our current overall judgement" ("<location> was
meeting all the essential standards ..."), why and how the review was carried out ("... carried
out a visit on 12 January 2011 ..."), what people told us, a summary line per standard
("Overall, we found that improvements are needed for this essential standard"), the actions
asked of the provider with the regulations breached, and one part per standard: "Outcome 04: Care
and welfare of people who use services", what the outcome says, "Our judgement" ("There are
minor concerns with Outcome 04: ..." or "The provider is compliant with Outcome 01: ...") and
"Our findings".

Records are those of the later layout (:mod:`extractor.essential`): a standard the provider
complies with is "Met this standard"; one with minor, moderate or major concerns is "Action
needed" with that impact. The summary's line is checked against the part's judgement
(``judgement_mismatch``). The vocabulary is data (``review`` in ``essential_standards.yaml``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from extractor import taxonomy as tx
from extractor.address import find_postcode, parse_address_line
from extractor.breaches import read_breach
from extractor.dates import DATE_PATTERN, MONTH_YEAR_PATTERN, month_iso
from extractor.document import Document, is_page_number
from extractor.errors import TaxonomyError, UnsupportedReportFamily
from extractor.essential import StandardDef, vocabulary
from extractor.header import date_field
from extractor.inspection import InspectionRead, visit_dates
from extractor.judgements import judged_standard
from extractor.keyquestions import paragraphs
from extractor.spans import make_field, make_span
from models import DateValue, Field, Inspection, Location, StandardJudgement, Warning, construct

__all__ = ["is_review_of_compliance", "read_review"]

MET, ACTION = "Met this standard", "Action needed"
_SENTENCE_END = re.compile(r"\.(?:\s|$)")


@dataclass(frozen=True)
class _Patterns:
    title: re.Pattern[str]
    headings: dict[str, str]  # match key of a heading -> what it opens
    standards_summary: re.Pattern[str]
    standard_of: dict[str, StandardDef]  # match key of a name -> the standard
    outcome: re.Pattern[str]  # "Outcome 04: <name or expectation>"
    compliant: re.Pattern[str]
    concerns: re.Pattern[str]
    listed_met: re.Pattern[str]
    listed_not_met: re.Pattern[str]
    address_label: re.Pattern[str]
    cover_label: re.Pattern[str]
    publication: re.Pattern[str]
    visit: re.Pattern[str]  # the words before the visit's dates
    judged_name: re.Pattern[str]  # "<location> was meeting / was not meeting ..."
    boilerplate: re.Pattern[str]


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    f = vocabulary()
    rv = f.review
    outcome = r"outcome\s+0?(?P<n>\d{1,2})\b"
    impacts = "|".join(map(re.escape, f.impacts))
    if not all(c.count("{impact}") == 1 for c in rv.concerns):
        raise TaxonomyError("data file essential_standards.yaml: each review.concerns phrase holds one {impact}")
    concerns = "|".join(rf"{tx.phrase_pattern(before)}\s*(?P<impact>{impacts})\s*{tx.phrase_pattern(after)}"
                        for before, after in (c.split("{impact}") for c in rv.concerns))
    headings = {tx.match_key(h): part for part, lines in [
        ("overall", rv.overall_judgement), ("summary", rv.summary), ("framework", rv.framework),
        ("judgement", rv.judgement), ("findings", rv.findings), ("action", rv.action),
        ("closing", rv.closing)] for h in lines}
    label = r"\s*:?\s*"
    return _Patterns(
        title=re.compile(rf"\s*{tx.phrase_pattern(rv.title)}\b[\s.:]*", re.I),
        headings=headings,
        standards_summary=re.compile(tx.phrases_pattern(rv.standards_summary), re.I),
        standard_of={tx.match_key(n): s for s in f.standards for n in [s.name, *s.aliases]},
        outcome=re.compile(rf"{outcome}\s*[:.\-]?\s*(?P<rest>.+?)\s*$", re.I),
        compliant=re.compile(rf"(?:{tx.phrases_pattern(rv.compliant)})\s+{outcome}", re.I),
        concerns=re.compile(rf"(?:{concerns})\s+{outcome}", re.I),
        listed_met=re.compile(tx.phrases_pattern(rv.listed_met), re.I),
        listed_not_met=re.compile(tx.phrases_pattern(rv.listed_not_met), re.I),
        address_label=re.compile(rf"(?:{tx.phrases_pattern(rv.address_label)}){label}", re.I),
        cover_label=re.compile(rf"(?:{tx.phrases_pattern(rv.cover_labels)})\s*:", re.I),
        publication=re.compile(rf"(?:{tx.phrases_pattern(f.publication_label)}){label}"
                               rf"(?:(?P<date>{DATE_PATTERN})|(?P<my>{MONTH_YEAR_PATTERN.replace('?P<', '?P<my_')}))",
                               re.I),
        visit=re.compile(rf"(?:{tx.phrases_pattern(rv.visit)})\s+(?=\d)", re.I),
        judged_name=re.compile(r"(?P<name>\S.*?)\s+was\s+(?:not\s+)?meeting\b", re.I),
        boilerplate=re.compile(tx.phrases_pattern(rv.boilerplate), re.I),
    )


def _first_block(doc: Document) -> int | None:
    """The first block with text, past a page's number on a line of its own."""
    return next((i for i, b in enumerate(doc.blocks[:5]) if b.text.strip() and not is_page_number(b.text)), None)


def is_review_of_compliance(doc: Document) -> bool:
    """Whether the document opens with the title of a review of compliance."""
    first = _first_block(doc)
    b = doc.blocks[first] if first is not None else None
    return b is not None and _patterns().title.match(doc.folded, b.start, b.end) is not None


@dataclass
class _Part:
    heading: int
    sdef: StandardDef
    judgement: Field[str] | None = None
    impact: Field[str] | None = None
    paragraphs: list[int] = field(default_factory=list)
    last: int = 0


@dataclass
class _Reading:
    doc: Document
    location: Location = field(default_factory=Location)
    inspection: Inspection = field(default_factory=Inspection)
    warnings: list[Warning] = field(default_factory=list)
    names: list[tuple[int, int]] = field(default_factory=list)  # the cover's name lines
    judged_name: tuple[int, int] | None = None  # the location as the overall judgement names it
    listed: dict[int, Field[str]] = field(default_factory=dict)  # outcome -> the summary's judgement
    parts: list[_Part] = field(default_factory=list)
    summary: list[int] = field(default_factory=list)

    def warn(self, code: str, message: str, start: int, end: int) -> None:
        self.warnings.append(Warning(code=code, message=message, span=make_span(self.doc, start, end)))


def read_review(doc: Document) -> InspectionRead:
    """Read a review of compliance (see the module docstring).

    Raises:
        UnsupportedReportFamily: when no judged standard and no visit date are found.
    """
    p = _patterns()
    r = _Reading(doc)
    section = "cover"
    sub: str | None = None  # the part of a standard's section
    listed_outcome: int | None = None
    first = _first_block(doc)
    for i, b in enumerate(doc.blocks):
        folded = doc.folded[b.start:b.end]
        heading = p.headings.get(tx.match_key(folded))
        outcome = p.outcome.match(folded)
        if (first is not None and i < first) or is_page_number(b.text):
            continue  # a page's number
        if i == first or (section == "cover" and p.title.match(folded) and not r.names):
            _read_title(r, i)
        elif outcome and (sdef := p.standard_of.get(tx.match_key(outcome["rest"]))) and _opens_part(r, i):
            r.parts.append(_Part(i, sdef, last=i))
            section, sub = "part", None
        elif heading in ("framework", "judgement", "findings") and section == "part":
            sub = heading
            r.parts[-1].last = i
        elif heading is not None and heading not in ("framework", "judgement", "findings"):
            section, sub = heading, None
        elif p.standards_summary.match(folded):
            section = "standards_summary"
        elif section == "cover":
            _read_cover_line(r, i)
        elif section == "action":
            breach = read_breach(doc, b.start, b.end, "action")
            if breach is not None:
                r.inspection.breaches.append(breach)
        elif section == "standards_summary":
            if outcome:
                listed_outcome = int(outcome["n"])
            elif listed_outcome is not None:
                _read_listed(r, i, listed_outcome)
                listed_outcome = None
        elif section == "part":
            _read_part_line(r, i, sub)
        elif section in ("overall", "summary") and b.kind in ("paragraph", "list_item") \
                and not p.boilerplate.match(folded):
            r.summary.append(i)
            if section == "overall" and r.judged_name is None and (m := p.judged_name.match(folded)):
                r.judged_name = (b.start + m.start("name"), b.start + m.end("name"))
            elif section == "summary" and not r.inspection.visit_dates and (m := p.visit.search(folded)):
                # The dates run to the end of the sentence: "visits on 3 and 4 February 2011."
                stop = _SENTENCE_END.search(folded, m.end())
                end = b.start + (stop.start() if stop else len(folded))
                r.inspection.visit_dates = visit_dates(doc, b.start + m.end(), end, r.warnings, "essential.review_visit")
    _names(r)
    if not r.parts and not r.inspection.visit_dates:
        raise UnsupportedReportFamily("an essential-standards report (a 2010-2011 review of compliance) with "
                                      "no judged standard or visit date found", source_id=doc.source_id)
    r.inspection.standards = [_record(r, part) for part in r.parts]
    r.inspection.summary = paragraphs(doc, r.summary)
    return InspectionRead(r.location, r.inspection, warnings=r.warnings)


def _opens_part(r: _Reading, i: int) -> bool:
    """A standard's name opens its part when what the outcome says, or the judgement, follows
    (in the actions asked of the provider the same line names the outcome breached)."""
    blocks = r.doc.blocks
    if i + 1 >= len(blocks):
        return False
    nb = blocks[i + 1]
    return _patterns().headings.get(tx.match_key(r.doc.folded[nb.start:nb.end])) in ("framework", "judgement")


def _read_title(r: _Reading, i: int) -> None:
    """The title line; when the extract flattened the cover into it ("Review of compliance.
    <provider> <location>. <region>. Region: <address> <postcode>"), the names and address too."""
    doc, p = r.doc, _patterns()
    b = doc.blocks[i]
    m = p.title.match(doc.folded, b.start, b.end)
    if m is None:
        _read_cover_line(r, i)
        return
    rest = m.end()
    if rest >= b.end:
        return
    label = re.search(r"\bRegion\s*:", doc.folded[rest:b.end])
    names_end = rest + label.start() if label else b.end
    first = re.search(r"\.\s", doc.folded[rest:names_end])
    end = rest + first.start() if first else names_end
    if end > rest:
        r.names.append((rest, end))
    if label is not None and find_postcode(doc.text[rest + label.end():b.end]):
        _read_address(r, rest + label.end(), b.end)


def _read_cover_line(r: _Reading, i: int) -> None:
    doc, p = r.doc, _patterns()
    b = doc.blocks[i]
    folded = doc.folded[b.start:b.end]
    if (m := p.publication.match(folded)) is not None:
        if r.inspection.publication_date is None:
            r.inspection.publication_date = _publication(r, m, b.start)
    elif (m := p.address_label.match(folded)) is not None:
        if r.location.address is None:
            _read_address(r, b.start + m.end(), b.end)
    elif p.cover_label.match(folded):
        return  # region, type of service, overview: not read
    elif len(r.names) < 2:
        r.names.append((b.start, b.end))


def _read_address(r: _Reading, start: int, end: int) -> None:
    found = parse_address_line(r.doc, start, end)
    r.location.address, r.location.phone = found.address, found.phone
    for code, message, s, e in found.problems:
        r.warn(code, message, s, e)


def _publication(r: _Reading, m: re.Match[str], offset: int) -> Field[DateValue] | None:
    if m["date"]:
        return date_field(r.doc, m, offset, "date", "essential.publication_date", r.warnings)
    s, e = offset + m.start("my"), offset + m.end("my")
    value = construct(DateValue, iso=month_iso(m["my_month"], m["my_year"]), printed=r.doc.text[s:e])
    return make_field(r.doc, value, s, e, "essential.publication_month")


def _names(r: _Reading) -> None:
    """Provider and location from the cover's lines: two lines give each; one line that runs them
    together is split where the location's name, as the overall judgement prints it, begins."""
    doc, loc = r.doc, r.location
    spans = [(s, e) for s, e in (_trimmed(doc, s, e) for s, e in r.names) if e > s]
    if len(spans) >= 2:
        loc.provider = make_field(doc, doc.text[spans[0][0]:spans[0][1]], *spans[0], "essential.review_provider")
        loc.name = make_field(doc, doc.text[spans[1][0]:spans[1][1]], *spans[1], "essential.review_location")
        return
    judged = doc.text[r.judged_name[0]:r.judged_name[1]] if r.judged_name else None
    if not spans:
        if judged is not None and r.judged_name is not None:
            loc.name = make_field(doc, judged, *r.judged_name, "essential.review_judged_name")
        return
    s, e = spans[0]
    line = doc.text[s:e]
    if judged and len(line) > len(judged) and tx.match_key(line).endswith(" " + tx.match_key(judged)):
        cut = e - len(judged)
        if tx.match_key(doc.text[cut:e]) == tx.match_key(judged):
            loc.provider = make_field(doc, doc.text[s:cut].rstrip(), s, cut, "essential.review_provider_run_together")
            loc.name = make_field(doc, doc.text[cut:e], cut, e, "essential.review_location_run_together")
            return
    loc.name = make_field(doc, line, s, e, "essential.review_location")
    if judged is None or tx.match_key(line) != tx.match_key(judged):
        r.warn("names_run_together", "the cover gives one line for the provider and the location, and no "
               "other line names the location: the line is kept whole as the name", s, e)


def _trimmed(doc: Document, start: int, end: int) -> tuple[int, int]:
    while start < end and (doc.text[start].isspace() or doc.text[start] in ".:"):
        start += 1
    while end > start and (doc.text[end - 1].isspace() or doc.text[end - 1] in ".:"):
        end -= 1
    return start, end


def _read_listed(r: _Reading, i: int, outcome: int) -> None:
    b, p = r.doc.blocks[i], _patterns()
    folded = r.doc.folded[b.start:b.end]
    for value, pattern in ((ACTION, p.listed_not_met), (MET, p.listed_met)):
        m = pattern.search(folded)
        if m is not None:
            r.listed.setdefault(outcome, make_field(r.doc, value, b.start + m.start(), b.start + m.end(),
                                                    "essential.review_summary_judgement"))
            return


def _read_part_line(r: _Reading, i: int, sub: str | None) -> None:
    doc, p = r.doc, _patterns()
    b, part = doc.blocks[i], r.parts[-1]
    folded = doc.folded[b.start:b.end]
    if part.judgement is None and (m := p.compliant.match(folded)) is not None:
        part.judgement = make_field(doc, MET, b.start + m.start(), b.start + m.end(), "essential.review_compliant")
    elif part.judgement is None and (m := p.concerns.match(folded)) is not None:
        part.judgement = make_field(doc, ACTION, b.start + m.start(), b.start + m.end(), "essential.review_concerns")
        part.impact = make_field(doc, m["impact"].lower(), b.start + m.start("impact"), b.start + m.end("impact"),
                                 "essential.review_concerns")
    elif sub in ("judgement", "findings") and b.kind in ("paragraph", "list_item"):
        part.paragraphs.append(i)
    else:
        return
    part.last = i


def _record(r: _Reading, part: _Part) -> StandardJudgement:
    return judged_standard(r.doc, part.heading, part.last, part.sdef.outcome, part.sdef.name, part.judgement,
                           part.impact, part.paragraphs, r.listed.get(part.sdef.outcome), "essential.review_standard",
                           r.warnings)
