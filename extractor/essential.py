"""Essential standards inspection reports (2010 to September 2014): standards judged, not rated.

Before ratings, CQC judged whether a service met each essential standard it inspected. The text
of such a report (the PDF text extract) reads: "Inspection Report", the regulator's strap line,
the location's name, its address and phone on one line, "Date of Inspection: 06 January 2013"
and "Date of Publication: 29 January 2013", a list of the standards inspected with their
judgements ("Staffing    Action needed"), "Details about this location" ("Registered Provider
..."), "Summary of this inspection", then "Our judgements for each standard inspected": each
standard again with its judgement, a sentence that sums it up (with the impact on people when
action is needed: "this has a moderate impact on people who use the service") and "Reasons for
our judgement". "Action we have told the provider to take" lists the regulations breached
("Regulation 22 HSCA 2008 (Regulated Activities) Regulations 2010 Staffing").

The record's standards come from the detailed judgements; the list near the top is checked
against them (``judgement_mismatch``), never taken instead. The vocabulary is data
(``essential_standards.yaml``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from extractor import taxonomy as tx
from extractor.address import find_phone, find_postcode, parse_address_line
from extractor.breaches import read_breach
from extractor.dates import DATE_PATTERN
from extractor.document import Document, is_page_number
from extractor.errors import UnsupportedReportFamily
from extractor.header import date_field
from extractor.inspection import InspectionRead
from extractor.judgements import judged_standard
from extractor.keyquestions import paragraphs
from extractor.spans import make_field, make_span
from models import Breach, Field, Inspection, Location, StandardJudgement, Warning

__all__ = ["EssentialVocabulary", "ReviewDef", "StandardDef", "read_essential", "vocabulary"]


class StandardDef(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    outcome: int
    name: str
    aliases: list[str]


class ReviewDef(BaseModel):
    """The 2010-2011 layout's lines (``review`` in the data file), read by :mod:`extractor.compliance`."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    title: str
    address_label: list[str]
    cover_labels: list[str]
    overall_judgement: list[str]
    summary: list[str]
    standards_summary: list[str]
    framework: list[str]
    judgement: list[str]
    findings: list[str]
    action: list[str]
    closing: list[str]
    compliant: list[str]
    concerns: list[str]
    listed_met: list[str]
    listed_not_met: list[str]
    boilerplate: list[str]
    visit: list[str]


class _Vocabulary(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    standards: list[StandardDef]
    judgements: dict[str, list[str]]
    impacts: list[str]
    report_title: list[str]
    boilerplate: list[str]
    inspection_label: list[str]
    publication_label: list[str]
    provider_label: list[str]
    sections: dict[str, list[str]]
    review: ReviewDef


EssentialVocabulary = _Vocabulary  # the type of vocabulary(), for readers of its words elsewhere


@lru_cache(maxsize=1)
def vocabulary() -> _Vocabulary:
    """The validated data file of both layouts of the era (``essential_standards.yaml``)."""
    validated: _Vocabulary = tx.load_validated(_Vocabulary, "essential_standards.yaml")
    return validated


@dataclass(frozen=True)
class _Patterns:
    standard: re.Pattern[str]  # a standard's name, maybe "(outcome N)", maybe its judgement
    standard_of: dict[str, StandardDef]  # match key of a printed name -> the standard
    judgement: re.Pattern[str]  # a judgement alone on its line
    judgement_of: dict[str, str]  # match key of a printed judgement -> the record's wording
    impact: re.Pattern[str]
    titles: frozenset[str]
    boilerplate: re.Pattern[str]
    inspection: re.Pattern[str]  # label, then the date
    publication: re.Pattern[str]
    provider: re.Pattern[str]  # label, then maybe the value
    sections: dict[str, str]  # match key -> section name
    summary_list: re.Pattern[str]


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    vocab = vocabulary()
    names = [n for s in vocab.standards for n in [s.name, *s.aliases]]
    judged = [w for name, variants in vocab.judgements.items() for w in [name, *variants]]
    judgements = tx.phrases_pattern(judged)
    label = r"\s*:?\s*"
    sections = {k: v for k, v in vocab.sections.items() if k != "summary_list"}
    return _Patterns(
        standard=re.compile(rf"(?P<name>{tx.phrases_pattern(names)})(?:\s*\(\s*outcome\s+(?P<outcome>\d{{1,2}})\s*\))?"
                            rf"(?:\s*:?\s*(?P<judgement>{judgements}))?\s*$", re.I),
        standard_of={tx.match_key(n): s for s in vocab.standards for n in [s.name, *s.aliases]},
        judgement=re.compile(rf"(?P<judgement>{judgements})\s*$", re.I),
        judgement_of={tx.match_key(w): name for name, variants in vocab.judgements.items() for w in [name, *variants]},
        impact=re.compile(rf"\b(?P<impact>{'|'.join(map(re.escape, vocab.impacts))})\s+impact\b", re.I),
        titles=frozenset(tx.match_key(t) for t in vocab.report_title),
        boilerplate=re.compile(tx.phrases_pattern(vocab.boilerplate), re.I),
        inspection=re.compile(rf"(?:{tx.phrases_pattern(vocab.inspection_label)}){label}(?P<date>{DATE_PATTERN})", re.I),
        publication=re.compile(rf"(?:{tx.phrases_pattern(vocab.publication_label)}){label}(?P<date>{DATE_PATTERN})", re.I),
        provider=re.compile(rf"(?:{tx.phrases_pattern(vocab.provider_label)}){label}", re.I),
        sections={tx.match_key(line): name for name, lines in sections.items() for line in lines},
        summary_list=re.compile(tx.phrases_pattern(vocab.sections.get("summary_list", [])), re.I),
    )


class _Role(Enum):
    TITLE = "title"
    BOILERPLATE = "boilerplate"
    DATES = "dates"
    STANDARD = "standard"
    JUDGEMENT = "judgement"
    PROVIDER = "provider"
    SECTION = "section"
    SUMMARY_LIST = "summary_list"
    TEXT = "text"


def _role(folded: str) -> tuple[_Role, str | None]:
    p = _patterns()
    key = tx.match_key(folded)
    if key in p.sections:
        return _Role.SECTION, p.sections[key]
    if key in p.titles:
        return _Role.TITLE, None
    if p.standard.match(folded):
        return _Role.STANDARD, None
    if p.judgement.match(folded):
        return _Role.JUDGEMENT, None
    if p.inspection.search(folded) or p.publication.search(folded):
        return _Role.DATES, None
    if p.provider.match(folded):
        return _Role.PROVIDER, None
    if p.summary_list.match(folded):
        return _Role.SUMMARY_LIST, None
    if p.boilerplate.match(folded) or is_page_number(folded):  # a page's number: furniture too
        return _Role.BOILERPLATE, None
    return _Role.TEXT, None


@dataclass
class _Standard:
    heading: int
    sdef: StandardDef
    judgement: Field[str] | None
    paragraphs: list[int] = field(default_factory=list)
    last: int = 0


@dataclass
class _Reading:
    doc: Document
    roles: list[tuple[_Role, str | None]]
    location: Location = field(default_factory=Location)
    inspection: Inspection = field(default_factory=Inspection)
    warnings: list[Warning] = field(default_factory=list)
    listed: dict[int, Field[str]] = field(default_factory=dict)  # outcome -> judgement in the list
    standards: list[_Standard] = field(default_factory=list)
    summary: list[int] = field(default_factory=list)
    breaches: list[Breach] = field(default_factory=list)

    def warn(self, code: str, message: str, start: int, end: int) -> None:
        self.warnings.append(Warning(code=code, message=message, span=make_span(self.doc, start, end)))


def read_essential(doc: Document) -> InspectionRead:
    """Read an essential standards inspection report (see the module docstring).

    Raises:
        UnsupportedReportFamily: when no judged standard and no inspection date are found.
    """
    r = _Reading(doc, [_role(doc.folded[b.start:b.end]) for b in doc.blocks])
    section: str | None = None
    current: _Standard | None = None
    for i, (role, value) in enumerate(r.roles):
        b = doc.blocks[i]
        if role is _Role.SECTION:
            section, current = value, (current if value == "reasons" else None)
        elif role is _Role.SUMMARY_LIST:
            section, current = "summary_list", None
        elif role is _Role.DATES:
            _read_dates(r, i)
        elif role is _Role.PROVIDER and r.location.provider is None:
            _read_provider(r, i)
        elif role is _Role.STANDARD and section in ("summary_list", "judgements", "reasons"):
            sdef, judgement, last = _standard_line(r, i)
            if section == "summary_list":
                if judgement is not None:
                    r.listed.setdefault(sdef.outcome, judgement)
            else:
                current = _Standard(i, sdef, judgement, last=last)
                r.standards.append(current)
                section = "judgements"
        elif section in ("action", "enforcement"):
            breach = read_breach(doc, b.start, b.end, str(section))
            if breach is not None:
                r.breaches.append(breach)
        elif role is _Role.TEXT and section is None and not r.standards:
            _read_cover_line(r, i)
        elif role is _Role.TEXT and b.kind in ("paragraph", "list_item"):
            if current is not None and section in ("judgements", "reasons"):
                current.paragraphs.append(i)
                current.last = i
            elif section == "summary":
                r.summary.append(i)
    standards = [_record(r, st) for st in r.standards]
    if not standards and not r.inspection.visit_dates:
        raise UnsupportedReportFamily(
            "an essential-standards report, 2010-2014, in a layout not read yet (no judged standard "
            "or inspection date found)", source_id=doc.source_id)
    r.inspection.standards = standards
    r.inspection.summary = paragraphs(doc, r.summary)
    r.inspection.breaches = r.breaches
    return InspectionRead(r.location, r.inspection, warnings=r.warnings)


def _read_cover_line(r: _Reading, i: int) -> None:
    """Name, then the address line (with the phone on it or on a line of its own)."""
    doc, loc = r.doc, r.location
    b = doc.blocks[i]
    if loc.address is None and find_postcode(b.text):
        found = parse_address_line(doc, b.start, b.end)
        loc.address = found.address
        loc.phone = found.phone
        for code, message, s, e in found.problems:
            r.warn(code, message, s, e)
    elif loc.name is None and loc.address is None:
        loc.name = make_field(doc, b.text, b.start, b.end, "essential.name")
    elif loc.phone is None and (phone := find_phone(doc, b.start, b.end)) is not None:
        loc.phone = phone


def _read_dates(r: _Reading, i: int) -> None:
    b, p = r.doc.blocks[i], _patterns()
    m = p.inspection.search(r.doc.folded, b.start, b.end)
    if m and not r.inspection.visit_dates:
        found = date_field(r.doc, m, 0, "date", "essential.inspection_date", r.warnings)
        r.inspection.visit_dates = [found] if found else []
    m = p.publication.search(r.doc.folded, b.start, b.end)
    if m and r.inspection.publication_date is None:
        r.inspection.publication_date = date_field(r.doc, m, 0, "date", "essential.publication_date", r.warnings)


def _read_provider(r: _Reading, i: int) -> None:
    doc = r.doc
    b = doc.blocks[i]
    m = _patterns().provider.match(doc.folded, b.start, b.end)
    start = m.end() if m else b.end
    if start < b.end:
        r.location.provider = make_field(doc, doc.text[start:b.end], start, b.end, "essential.registered_provider")
    elif i + 1 < len(doc.blocks) and r.roles[i + 1][0] is _Role.TEXT:
        nb = doc.blocks[i + 1]
        r.location.provider = make_field(doc, nb.text, nb.start, nb.end, "essential.registered_provider")


def _standard_line(r: _Reading, i: int) -> tuple[StandardDef, Field[str] | None, int]:
    """The standard a line names, its judgement (on the line or the next) and the last line read."""
    doc, p = r.doc, _patterns()
    b = doc.blocks[i]
    m = p.standard.match(doc.folded, b.start, b.end)
    assert m is not None  # the line's role says it matches
    sdef = p.standard_of[tx.match_key(m["name"])]
    if m["judgement"]:
        s, e = m.start("judgement"), m.end("judgement")
        return sdef, make_field(doc, p.judgement_of[tx.match_key(m["judgement"])], s, e, "essential.judgement_line"), i
    if i + 1 < len(doc.blocks) and r.roles[i + 1][0] is _Role.JUDGEMENT:
        nb = doc.blocks[i + 1]
        value = p.judgement_of[tx.match_key(doc.folded[nb.start:nb.end])]
        return sdef, make_field(doc, value, nb.start, nb.end, "essential.judgement_next_line"), i + 1
    return sdef, None, i


def _record(r: _Reading, st: _Standard) -> StandardJudgement:
    doc = r.doc
    impact = None
    for i in st.paragraphs:
        b = doc.blocks[i]
        m = _patterns().impact.search(doc.folded, b.start, b.end)
        if m:
            impact = make_field(doc, m["impact"].lower(), m.start("impact"), m.end("impact"), "essential.impact")
            break
    return judged_standard(doc, st.heading, st.last, st.sdef.outcome, st.sdef.name, st.judgement, impact,
                           st.paragraphs, r.listed.get(st.sdef.outcome), "essential.standard", r.warnings)
