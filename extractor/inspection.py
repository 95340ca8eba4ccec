"""Rating-era inspection reports (October 2014 to 2023): cover, dates, ratings, sections, breaches.

The text of such a report (the PDF text extract CQC publishes) reads, in order:

* a cover: the provider's name (on some reports), the location's name, "Inspection report", the
  address over one or several lines, "Tel:", "Website:", "Date of inspection visit: 12 and 13
  May 2019" and "Date of publication: 4 July 2019";
* a ratings block: "Overall rating for this service  Good", then each key question asked as
  "Is the service safe?  Requires improvement" ("Are services safe?" for healthcare); a rating
  may stand on the line after its question;
* "Overall summary"; "The five questions we ask about services and what we found", with a short
  summary of each key question; "Detailed findings" with each key question's evidence under
  "Our findings";
* "Action we have told the provider to take" and "Enforcement actions", whose tables name the
  regulations breached ("Regulation 12 HSCA RA Regulations 2014 Safe care and treatment").

The lines that open these parts are data (``inspection.yaml``). Page footers that the PDF
extract repeats ("Rosebank Care Home Inspection report 04 July 2019 3") are skipped.

A hospital's report also rates each core service in a grid (read by :mod:`extractor.ratinggrid`;
its lines are not prose) and gives its findings service by service: a line naming the service,
then its key questions' sections, which ``inspection.service_sections`` ties to the service.

A key question's rating is read from the ratings block. Its section may print a rating again: a
different word there is a warning (``rating_mismatch``), never a second value. A key question
missing from the ratings block has no rating and a ``rating_missing`` warning. Only a report with
no ratings block at all, or one whose block prints no rating word (images, in 2014), takes each
key question's rating from its first section.

Layouts of 2014-2018 add: the publication date in figures ("09/01/2015"); footers "2 <name>
Quality Report 09/01/2015"; the Chief Inspector's letter as the summary, where GP reports restate
the ratings ("The key questions are rated as:", then "Are services safe? – Good"; compared with
the block, rating only what the block leaves out); and hospital covers that list each core
service's overall rating instead of the key questions (a grid of kind "cover"), the key questions
then rated by the overall row of the location's grid.

Reports of services CQC does not rate (dentists) have no ratings block: the summary prints the
action taken beside each key question asked ("Are services safe?  No action"), and
:mod:`extractor.regfindings` judges each from its finding sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache

from extractor import taxonomy as tx
from extractor.checks import check_rating_principles
from extractor.address import find_phone, find_postcode, parse_address_line, phone_problems
from extractor.breaches import link_mentions, read_breach
from extractor.dates import ANY_DATE_PATTERN, DATE_RE, MONTHS, NUMERIC_DATE_RE, InvalidDate, to_date
from extractor.document import Document, fold, is_page_number
from extractor.errors import TaxonomyError, UnsupportedReportFamily
from extractor.header import HeaderResult, date_field, read_name
from extractor.inspection_words import inspection_vocabulary
from extractor.keyquestions import paragraphs
from extractor.lastrating import check_change, read_change, read_summary
from extractor.ratinggrid import OVERALL, check_grids, location_overall_row, read_grids
from extractor.ratingprose import check_statements, read_statements, stated_ratings
from extractor.regfindings import judgements, read_findings
from extractor.spans import make_field, make_span
from models import (
    Breach, DateValue, Field, GridRow, Inspection, KeyQuestion, Location, PopulationGroup, RatingGrid, ServiceSection,
    Warning, construct,
)

__all__ = ["InspectionRead", "read_inspection", "visit_dates"]


class _Role(Enum):
    FOOTER = "footer"
    TITLE = "title"
    VISIT = "visit"
    PUBLICATION = "publication"
    OVERALL = "overall"
    QUESTION = "question"
    GROUP = "group"
    RATING = "rating"
    ACTION = "action"  # the action taken on a key question of a service CQC does not rate, alone on its line
    SECTION = "section"
    BOILERPLATE = "boilerplate"
    GRID = "grid"  # a line of a rating grid (extractor/ratinggrid.py)
    TEXT = "text"


@dataclass(frozen=True)
class _Line:
    role: _Role
    value: str | None = None  # section name, key question name or canonical rating
    rating: str | None = None  # a rating printed after the question or overall label
    rating_at: tuple[int, int] | None = None  # where that rating stands in the line's block
    service_at: tuple[int, int] | None = None  # a question that names a core service: where it does
    action: str | None = None  # an action printed after the question (services CQC does not rate)
    action_at: tuple[int, int] | None = None


_TEXT = _Line(_Role.TEXT)
_GRID = _Line(_Role.GRID)
# Lines that end a rating grid: the report's own structure.
_GRID_STOPS = frozenset({_Role.TITLE, _Role.VISIT, _Role.PUBLICATION, _Role.OVERALL, _Role.QUESTION, _Role.GROUP,
                         _Role.SECTION})


@dataclass(frozen=True)
class _Patterns:
    question: re.Pattern[str]
    service_question: re.Pattern[str]  # a question naming a core service (in a group "service<i>")
    overall: re.Pattern[str]
    group: re.Pattern[str]  # a population group's name, then maybe its rating
    group_rating: re.Pattern[str]  # "Population group rating: Good" on a line of its own
    group_of: dict[str, str]  # match key of a printed name -> the group's name
    group_names: tuple[str, ...]  # the six groups, in the data file's order
    sections: dict[str, str]  # match key of a line -> section name
    section_start: re.Pattern[str]  # the start of a short line that opens a section (a group per section name)
    titles: frozenset[str]
    boilerplate: re.Pattern[str]
    visit: re.Pattern[str]
    publication: re.Pattern[str]
    footer: re.Pattern[str]  # a page footer: "<name> Inspection report 4 July 2019 3", "2 <name> Quality Report 09/01/2015"
    trailing_rating: re.Pattern[str]  # a line that ends with a rating word: "Surgery   Good"
    restating: re.Pattern[str]  # the end of a line that opens a list restating the ratings ("... are rated as:")
    key_question_of: dict[str, str]  # printed words (folded, lower case) -> taxonomy name
    action_of: dict[str, str]  # match key of a printed action -> the record's wording
    action: re.Pattern[str]  # an action alone on its line
    findings_list: re.Pattern[str]
    all_groups: re.Pattern[str]  # "<rating> for all population groups"


_SPACES = re.compile(r"\s+")
# Rating icons a PDF text extract may leave after a rating word ("Good ●").
_ICONS = "●•◆■▲★☆○"
# Ticks and crosses after an action ("No action ✔"); a PDF's icon font may give a private-use character.
_MARKS = "✔✓✘✗✖\ue000-\uf8ff"
_PHONE_LABEL = re.compile(r"(?:Tel|Telephone|Phone)\b\s*:?", re.I)
# A day, with its month and year when printed beside it: "12", "13 May 2019", "30 November".
_VISIT_DAY = re.compile(
    rf"(?<!\d)(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)(?:\s+(?P<month>{'|'.join(sorted(MONTHS, key=len, reverse=True))})\b\.?)?"
    r"(?:,?\s+(?P<year>\d{4})\b)?", re.I)
# A date in figures, day first, with dots or slashes: "24.09.2019", "09/01/2015".
_VISIT_FIGURES = re.compile(r"(?<![\d./])(?P<day>\d{1,2})(?P<sep>[./])(?P<month>\d{1,2})(?P=sep)(?P<year>\d{4})(?![\d/]|\.\d)")
_RANGE_JOIN = re.compile(r"\s*(?:-|to|until)\s*", re.I)


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    vocab = inspection_vocabulary()
    names = {k.name for k in tx.taxonomy().key_questions}
    if set(vocab.key_questions) != names:
        raise TaxonomyError(f"data file inspection.yaml must name the key questions {sorted(names)}")
    if any(q.count("{kq}") != 1 for q in [*vocab.questions, *vocab.service_questions]):
        raise TaxonomyError("data file inspection.yaml: every question holds {kq} once")
    if any(q.count("{service}") != 1 for q in vocab.service_questions):
        raise TaxonomyError("data file inspection.yaml: every service question holds {service} once")
    ratings = "|".join(tx.phrase_pattern(w) for w in tx.rating_words())
    action_of = {tx.match_key(n): name for name, variants in vocab.actions.items() for n in [name, *variants]}
    actions = tx.phrases_pattern([n for name, variants in vocab.actions.items() for n in [name, *variants]])
    # The rating after its label, if on the same line: "Safe  Good", "Are services safe? – Good";
    # or, for a service CQC does not rate, the action: "Are services safe?  No action ✔".
    rated = (rf"(?:\s*(?:[:-]\s*)?(?:(?P<rating>{ratings})|(?P<action>{actions}))\.?)?"
             rf"[\s{_ICONS}{_MARKS}]*$")
    key_question_of = {fold(w).lower(): name for name, words in vocab.key_questions.items() for w in words}
    kq_words = "|".join(tx.phrase_pattern(w) for w in sorted(key_question_of, key=len, reverse=True))
    questions = "|".join(_pattern_around(q, {"{kq}": f"(?P<kq{i}>{kq_words})"}) for i, q in enumerate(vocab.questions))
    # "Are {service} services {kq}?": the service is a few words, not a determiner ("these").
    service_words = r"(?!(?:the|these|those|all|its|our|their)\b)[\w'(),&-]+(?:\s+[\w'(),&-]+){0,7}?"
    service_questions = "|".join(
        _pattern_around(q, {"{service}": f"(?P<service{i}>{service_words})", "{kq}": f"(?P<kq{i}>{kq_words})"})
        for i, q in enumerate(vocab.service_questions))
    labels = "|".join(tx.phrase_pattern(o) for o in vocab.overall)
    groups = "|".join(tx.phrase_pattern(n) for name, variants in vocab.population_groups.items()
                      for n in sorted([name, *variants], key=len, reverse=True))
    group_label = f"(?:{tx.phrases_pattern(vocab.group_rating_labels)})"
    return _Patterns(
        question=re.compile(rf"(?:{questions}){rated}", re.I),
        service_question=re.compile(rf"(?:{service_questions}){rated}", re.I),
        overall=re.compile(rf"(?:{labels}){rated}", re.I),
        # A short name may be followed by the rest of the long one, its bracket sometimes left open
        # ("Working age people (including those recently retired and students – Good").
        # GP reports of 2019 onward rate each group again in the effective section: "Older people
        # Population group rating: Good", or the label and rating on the next line.
        group=re.compile(rf"(?P<group>{groups})(?:\s*\([^()]*?\)?)?(?:\s+{group_label})?{rated}", re.I),
        group_rating=re.compile(rf"{group_label}\s*:?\s*(?P<rating>{ratings})\.?[\s{_ICONS}]*", re.I),
        group_of=vocab.group_of(),
        group_names=tuple(vocab.population_groups),
        sections={tx.match_key(line): name for name, lines in vocab.sections.items() for line in lines},
        section_start=re.compile("|".join(f"(?P<{name}>{tx.phrases_pattern(starts)})\\b.{{0,80}}$"
                                          for name, starts in vocab.section_starts.items()) or "(?!)", re.I),
        titles=frozenset(tx.match_key(t) for t in vocab.report_title),
        boilerplate=re.compile("|".join(tx.phrase_pattern(b) for b in vocab.boilerplate), re.I),
        visit=re.compile(rf"(?:{'|'.join(tx.phrase_pattern(v) for v in vocab.visit_label)})\s*:?\s*", re.I),
        publication=re.compile(rf"(?:{'|'.join(tx.phrase_pattern(p) for p in vocab.publication_label)})\s*:?\s*", re.I),
        footer=re.compile(rf".+\b(?:{tx.phrases_pattern(vocab.report_title)})\s+{ANY_DATE_PATTERN}"
                          r"(?:\s+\d{1,3})?\s*$", re.I),
        trailing_rating=re.compile(rf"(?P<name>.+?)\s+(?P<rating>{ratings})\.?[\s{_ICONS}]*", re.I),
        restating=re.compile(rf"\b(?:{tx.phrases_pattern(vocab.restating)})\s*:?\s*$", re.I),
        key_question_of=key_question_of,
        action_of=action_of,
        action=re.compile(rf"(?P<action>{actions})\.?[\s{_MARKS}]*", re.I),
        all_groups=re.compile(rf"(?<!\w)(?P<rating>{ratings})\s+for\s+(?:{tx.phrases_pattern(vocab.all_population_groups)})\b",
                              re.I),
        findings_list=re.compile(rf"(?:{tx.phrases_pattern(vocab.findings_list)})\b.{{0,30}}$", re.I),
    )


def _pattern_around(template: str, slots: dict[str, str]) -> str:
    """A printed question with slots (``{kq}``, ``{service}``) as a regex over folded text: the
    slots' regexes in place, white space in the template any run of white space, and any white
    space (or none) where a slot meets text without it ("safe ?")."""
    parts = re.split(r"(\{\w+\})", template)
    out = []
    for k, part in enumerate(parts):
        if part in slots:
            out.append(slots[part])
        elif part:
            words = tx.phrase_pattern(part) if part.strip() else ""
            lead = r"\s+" if part[0].isspace() else (r"\s*" if k else "")
            trail = r"\s+" if part[-1].isspace() and words else (r"\s*" if words and k < len(parts) - 1 else "")
            out.append(lead + words + trail)
    return "".join(out)


def _line(text: str) -> _Line:
    """The role of one line (folded text)."""
    p = _patterns()
    key = tx.match_key(text)
    if key in p.sections:
        return _Line(_Role.SECTION, p.sections[key])
    m = p.section_start.match(text)
    if m:
        return _Line(_Role.SECTION, m.lastgroup)
    if key in p.titles:
        return _Line(_Role.TITLE)
    m = p.question.match(text)
    if m:
        words = next(g for name, g in m.groupdict().items() if name.startswith("kq") and g)
        kq = p.key_question_of[_SPACES.sub(" ", words.lower())]
        return _rated(_Role.QUESTION, kq, m)
    m = p.service_question.match(text)
    if m:
        words = next(g for name, g in m.groupdict().items() if name.startswith("kq") and g)
        kq = p.key_question_of[_SPACES.sub(" ", words.lower())]
        line = _rated(_Role.QUESTION, kq, m)
        service = next(name for name, g in m.groupdict().items() if name.startswith("service") and g)
        return _Line(line.role, line.value, line.rating, line.rating_at, m.span(service))
    m = p.overall.match(text)
    if m:
        return _rated(_Role.OVERALL, None, m)
    m = p.group.fullmatch(text)
    if m:
        return _rated(_Role.GROUP, p.group_of[tx.match_key(m["group"])], m)
    rating = tx.rating(text.rstrip(_ICONS + " "))
    if rating is not None:
        return _Line(_Role.RATING, rating)
    m = p.group_rating.fullmatch(text)
    if m:
        rating = tx.rating(m["rating"])
        return _Line(_Role.RATING, rating, rating, (m.start("rating"), m.end("rating")))
    m = p.action.fullmatch(text)
    if m:
        return _Line(_Role.ACTION, p.action_of[tx.match_key(m["action"])])
    if p.visit.match(text):
        return _Line(_Role.VISIT)
    if p.publication.match(text):
        return _Line(_Role.PUBLICATION)
    if p.footer.match(text) or is_page_number(text):
        return _Line(_Role.FOOTER)
    if p.boilerplate.match(text):
        return _Line(_Role.BOILERPLATE)
    return _TEXT


def _rated(role: _Role, value: str | None, m: re.Match[str]) -> _Line:
    if m["action"] is not None:
        action = _patterns().action_of[tx.match_key(m["action"])]
        return _Line(role, value, action=action, action_at=(m.start("action"), m.end("action")))
    if m["rating"] is None:
        return _Line(role, value)
    return _Line(role, value, tx.rating(m["rating"]), (m.start("rating"), m.end("rating")))


@dataclass
class InspectionRead:
    """What a reader of inspection reports found: :func:`read_inspection` here, and the readers of
    essential-standards and star-rated reports (whose reports have no key questions)."""

    location: Location
    inspection: Inspection
    key_questions: list[KeyQuestion] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)
    location_id: str | None = None  # where the text prints it (an evidence table: "(1-4820561937)")


@dataclass
class _Section:
    """The lines of one key question's part of the report."""

    question: int  # the block that asks the question
    paragraphs: list[int] = field(default_factory=list)
    end: int = 0  # the last block of the section
    rating: Field[str] | None = None  # a rating printed with the question
    action: Field[str] | None = None  # an action printed with the question (services CQC does not rate)
    service: tuple[int, int] | None = None  # where the core service it covers is named (hospitals)


@dataclass
class _Reading:
    doc: Document
    lines: list[_Line]
    warnings: list[Warning] = field(default_factory=list)
    block_ratings: dict[str, tuple[int, Field[str] | None]] = field(default_factory=dict)
    sections: dict[str, list[_Section]] = field(default_factory=dict)
    summary: list[int] = field(default_factory=list)
    breaches: list[Breach] = field(default_factory=list)
    groups: dict[str, PopulationGroup] = field(default_factory=dict)
    restated: dict[str, tuple[int, Field[str]]] = field(default_factory=dict)  # key question -> (block, rating) in the summary's list
    overall_line: int | None = None  # the ratings block's overall line
    cover_rows: list[GridRow] = field(default_factory=list)  # the cover's core services and their overall ratings
    services: frozenset[str] = frozenset()  # match keys of the rating grids' row names

    def warn(self, code: str, message: str, start: int | None = None, end: int | None = None) -> None:
        span = make_span(self.doc, start, end) if start is not None and end is not None else None
        self.warnings.append(Warning(code=code, message=message, span=span))


def read_inspection(doc: Document) -> InspectionRead:
    """Read a rating-era inspection report (see the module docstring).

    Raises:
        UnsupportedReportFamily: when the text has the family's markers but none of its ratings,
            visit dates or key-question sections.
    """
    lines = [_line(doc.folded[b.start:b.end]) for b in doc.blocks]
    grids = read_grids(doc, stops={i for i, line in enumerate(lines) if line.role in _GRID_STOPS},
                       skip={i for i, line in enumerate(lines) if line.role is _Role.FOOTER})
    for i in grids.blocks:
        lines[i] = _GRID
    r = _Reading(doc, lines, services=frozenset(tx.match_key(row.service.value)
                                                for grid in grids.grids for row in grid.rows))
    body = next((i for i, line in enumerate(lines)
                 if line.role in (_Role.OVERALL, _Role.QUESTION, _Role.SECTION)), len(lines))
    header = HeaderResult()
    inspection = Inspection()
    _read_cover(r, body, header, inspection)
    overall = _read_body(r, body)
    if overall is not None:
        header.location.overall_rating = overall
    elif r.overall_line is not None:  # "Overall rating for this trust" and no word (an image?)
        b = doc.blocks[r.overall_line]
        r.warn("rating_missing", "the ratings block gives no overall rating", b.start, b.end)
    elif r.block_ratings:
        r.warn("rating_missing", "the ratings block gives no overall rating")
    _compare_restated(r)
    if r.cover_rows:
        first, last = r.cover_rows[0].span, r.cover_rows[-1].span
        grids.grids.insert(0, construct(RatingGrid, kind="cover", title=None, rows=r.cover_rows,
                                        span=make_span(doc, first.start, last.end)))
    core_services = _compare_section_ratings(r) or bool(grids.grids)
    name = header.location.name.value if header.location.name else None
    if r.summary:  # "Our rating of this service improved. We rated it as good because:"
        inspection.rating_statements = read_statements(
            doc, doc.blocks[min(r.summary)].start, doc.blocks[max(r.summary)].end, name)
    stated = stated_ratings(inspection.rating_statements)
    judged, actions = _judgements(r, overall) if not grids.grids else ({}, {})
    kqs = _key_questions(r, location_overall_row(grids.grids, name), stated, judged, actions)
    if header.location.overall_rating is None and None in stated:
        header.location.overall_rating = stated[None]
    inspection.service_sections = _service_sections(r)
    if not core_services:  # a hospital's overall rating aggregates its core services' instead
        r.warnings.extend(check_rating_principles(header.location.overall_rating,
                                                  [k.rating for k in kqs if k.rating is not None], len(r.breaches)))
    r.warnings.extend(grids.warnings)
    r.warnings.extend(check_statements(inspection.rating_statements, header.location, kqs))
    r.warnings.extend(check_grids(
        grids.grids, header.location.name.value if header.location.name else None, header.location.overall_rating,
        {k.name.value: k.rating for k in kqs if k.rating is not None}, inspection.service_sections))
    if not (kqs or inspection.visit_dates or header.location.overall_rating):
        raise UnsupportedReportFamily(
            "a rating-era inspection report, but no ratings block, visit date or key-question "
            "section was found in it", source_id=doc.source_id)
    _read_changes(r, kqs, inspection, header.location.overall_rating)
    for kq_name, sections in r.sections.items():  # "This was a breach of Regulation 12 ..." under safe
        for section in sections:
            link_mentions(doc, r.breaches, kq_name, doc.blocks[section.question].start, doc.blocks[section.end].end)
    inspection.summary = paragraphs(doc, r.summary)
    inspection.breaches = r.breaches
    _stated_groups(r)
    inspection.population_groups = list(r.groups.values())
    inspection.rating_grids = grids.grids
    return InspectionRead(header.location, inspection, kqs, header.warnings + r.warnings)


# --- cover -------------------------------------------------------------------------------------


def _read_cover(r: _Reading, end: int, header: HeaderResult, inspection: Inspection) -> None:
    doc, lines = r.doc, r.lines
    cover = [i for i in range(end) if lines[i].role is not _Role.FOOTER]
    title = next((i for i in cover if lines[i].role is _Role.TITLE), None)
    names = [i for i in cover if title is not None and i < title and lines[i].role is _Role.TEXT]
    if names:
        read_name(doc, names[-1], header)
        if len(names) >= 2:
            b = doc.blocks[names[-2]]
            header.location.provider = make_field(doc, b.text, b.start, b.end, "inspection.provider")
    rest = [i for i in cover if title is None or i > title]
    if title is None and rest and lines[rest[0]].role is _Role.TEXT:
        read_name(doc, rest[0], header)
        rest = rest[1:]
    _read_address(r, rest, header)
    for i in rest:
        b = doc.blocks[i]
        folded = doc.folded[b.start:b.end]
        if lines[i].role is _Role.VISIT and not inspection.visit_dates:
            m = _patterns().visit.match(folded)
            inspection.visit_dates = visit_dates(doc, b.start + (m.end() if m else 0), b.end, r.warnings,
                                                 "inspection.visit")
        elif lines[i].role is _Role.PUBLICATION and inspection.publication_date is None:
            found = DATE_RE.search(folded) or NUMERIC_DATE_RE.search(folded)
            if found:
                inspection.publication_date = date_field(doc, found, b.start, 0, "inspection.publication_date",
                                                         r.warnings)
            else:
                r.warn("date_unread", f"no date could be read on the publication line {b.text.strip()!r:.80}",
                       b.start, b.end)
        elif header.location.phone is None and _PHONE_LABEL.match(folded):
            phone = header.location.phone = find_phone(doc, b.start, b.end)
            for code, message, s, e in phone_problems(phone):
                r.warn(code, message, s, e)


def _read_address(r: _Reading, cover: list[int], header: HeaderResult) -> None:
    """The address: the cover's text lines up to the first that holds a postcode."""
    doc = r.doc
    first = None
    for i in cover:
        b = doc.blocks[i]
        if r.lines[i].role is not _Role.TEXT or _PHONE_LABEL.match(doc.folded[b.start:b.end]):
            first = None  # an address is a run of plain lines
            continue
        if first is None:
            first = i
        if find_postcode(b.text):
            found = parse_address_line(doc, doc.blocks[first].start, b.end)
            header.location.address = found.address
            if found.phone is not None:
                header.location.phone = found.phone
            for code, message, s, e in found.problems:
                r.warn(code, message, s, e)
            return


def visit_dates(doc: Document, start: int, end: int, warnings: list[Warning], rule: str) -> list[Field[DateValue]]:
    """Every date of a visit line, ``doc.text[start:end]``: "12 and 13 May 2019", "30 November and
    1 December 2021"; rules are ``rule`` + "_date", "_date_shared", "_period_start", "_period_end".

    A day printed without its month or year takes those of the next date that prints them; its
    span is the day alone, and its rule says the month and year were shared. Dates in figures
    ("24.09.2019 to 30.10.2019") are read too. Two dates joined by
    "to" or a dash ("3 to 5 March 2018") are the ends of a period, not every day of it (a
    hospital's visits spread over weeks): they are kept as printed, with rules that say so.
    """
    folded = doc.folded
    figures = list(_VISIT_FIGURES.finditer(folded, start, end))
    found = sorted(figures + [m for m in _VISIT_DAY.finditer(folded, start, end)
                              if not any(f.start() <= m.start() < f.end() for f in figures)], key=lambda m: m.start())
    ranged: set[int] = set()  # indices of dates that end or start a period
    ends: set[int] = set()  # of those, the ones that end one
    for k in range(len(found) - 1):
        if _RANGE_JOIN.fullmatch(folded, found[k].end(), found[k + 1].start()):
            ranged |= {k, k + 1}
            ends.add(k + 1)
    out: list[Field[DateValue]] = []
    month = year = None
    for k in range(len(found) - 1, -1, -1):
        m = found[k]
        month, year = m["month"] or month, m["year"] or year
        if month is None or year is None:
            continue  # a number no date follows
        s, e = m.start(), m.end()
        try:
            iso = to_date(m["day"], month, year).isoformat()
        except InvalidDate as exc:
            warnings.append(Warning(code="date_invalid", message=str(exc), span=make_span(doc, s, e)))
            continue
        if k in ranged:
            how = "_period_" + ("end" if k in ends else "start")
        else:
            how = "_date_shared" if m["month"] is None or m["year"] is None else "_date"
        value = construct(DateValue, iso=iso, printed=doc.text[s:e])
        out.append(make_field(doc, value, s, e, rule + how))
    return out[::-1]


# --- ratings block and sections ------------------------------------------------------------


def _next_line(r: _Reading, i: int, roles: tuple[_Role, ...] = (_Role.RATING,)) -> int | None:
    """The block after ``i`` (page footers skipped) when its role is one of ``roles``."""
    j = i + 1
    while j < len(r.lines) and r.lines[j].role is _Role.FOOTER:
        j += 1
    return j if j < len(r.lines) and r.lines[j].role in roles else None


def _rating_field(r: _Reading, i: int, rule: str) -> tuple[Field[str] | None, int]:
    """The rating printed on block ``i`` (after its label) or on the next; and the last block read."""
    doc, line = r.doc, r.lines[i]
    b = doc.blocks[i]
    if line.rating is not None and line.rating_at is not None:
        s, e = line.rating_at
        return make_field(doc, line.rating, b.start + s, b.start + e, rule + "_line"), i
    j = _next_line(r, i)
    if j is None:
        return None, i
    nb, next_line = doc.blocks[j], r.lines[j]
    if next_line.rating_at is not None:  # after its label: "Population group rating: Good"
        s, e = next_line.rating_at
        return make_field(doc, str(next_line.value), nb.start + s, nb.start + e, rule + "_next_line"), j
    end = nb.start + len(nb.text.rstrip(_ICONS + " "))  # the word, without an icon after it
    return make_field(doc, str(next_line.value), nb.start, end, rule + "_next_line"), j


def _read_body(r: _Reading, start: int) -> Field[str] | None:
    """Walk the report after its cover; returns the overall rating of the ratings block."""
    doc, lines = r.doc, r.lines
    overall: Field[str] | None = None
    in_block = False  # inside the ratings block
    section: str | None = None
    current: _Section | None = None
    service: tuple[int, int] | None = None  # the core service heading the sections are under (hospitals)
    asked: set[str] = set()  # the key questions asked under it so far
    i = start
    restating = False  # inside a list that restates the ratings ("The key questions are rated as:")
    opened: set[str] = set()  # the parts of the report opened so far
    after_footer = False
    listing = False  # inside the summary's list of findings ("Our findings were:"): its questions open no section
    while i < len(lines):
        line, b = lines[i], doc.blocks[i]
        role = line.role
        if role is _Role.FOOTER or role is _Role.GRID:
            after_footer = role is _Role.FOOTER
            i += 1
            continue
        if after_footer and role is _Role.SECTION and line.value in opened:
            # A running page header ("Summary of findings" atop every page of the summary part)
            # repeats a part already opened: the page goes on with the section it interrupts.
            after_footer = False
            i += 1
            continue
        after_footer = False
        restating = restating and role in (_Role.QUESTION, _Role.GROUP)
        if role is _Role.OVERALL and overall is None:
            r.overall_line = i if r.overall_line is None else r.overall_line
            overall, i = _rating_field(r, i, "inspection.overall")
            in_block = True
        elif role is _Role.GROUP:
            in_block = False
            rating, last = _rating_field(r, i, "inspection.population_group")
            if rating is not None:
                _read_group(r, i, rating)
                i = last
        elif role is _Role.QUESTION and restating and line.service_at is None:
            rating, last = _rating_field(r, i, "inspection.restated")
            if rating is not None:
                r.restated.setdefault(str(line.value), (i, rating))
                i = last
        elif (role is _Role.QUESTION and (in_block or section == "ratings") and line.value not in r.block_ratings
              and line.service_at is None):
            rating, last = _rating_field(r, i, "inspection.ratings_block")
            r.block_ratings[str(line.value)] = (i, rating)
            in_block, i = True, last
        elif role is _Role.QUESTION and listing:
            in_block = False
        elif role is _Role.QUESTION:
            in_block = False
            if line.service_at is not None:  # the question names its service: "Are maternity services safe?"
                named = (b.start + line.service_at[0], b.start + line.service_at[1])
                # Under its own heading, the service's name is the heading's.
                covers: tuple[int, int] | None = (
                    service if service is not None and _same_service(doc, service, named) else named)
            else:
                if str(line.value) in asked:
                    service = None  # asked again: another service, whose heading is not one known
                asked.add(str(line.value))
                covers = service
            current = _Section(i, end=i, service=covers)
            r.sections.setdefault(str(line.value), []).append(current)
            rating, last = _rating_field(r, i, "inspection.section")
            if rating is not None:
                current.rating = rating
                i = current.end = last
            elif (action := _action_field(r, i, section in ("summary", "five_questions"))) is not None:
                current.action, i = action
                current.end = i
        elif role is _Role.SECTION:
            listing = False
            opened.add(str(line.value))
            in_block = line.value == "ratings"
            if line.value != "findings":  # "Our findings" stays inside its key question
                current = service = None
                asked = set()
                section = line.value
        elif in_block and role is _Role.TEXT and (cover := _cover_row(r, i)) is not None:
            row, i = cover
            r.cover_rows.append(row)
        elif role is _Role.TEXT and len(b.text) < 120 and _is_service(r, b.text):
            in_block, current, service, asked = False, None, (b.start, b.end), set()
        else:
            in_block = False
            restating = role is _Role.TEXT and _patterns().restating.search(doc.folded[b.start:b.end]) is not None
            listing = listing or (section == "summary" and role in (_Role.TEXT, _Role.BOILERPLATE)
                                  and _patterns().findings_list.match(doc.folded, b.start, b.end) is not None)
            if section in ("action", "enforcement"):
                _read_breaches(r, i, str(section))
            elif b.kind in ("paragraph", "list_item") and role is _Role.TEXT:
                if current is not None:
                    current.paragraphs.append(i)
                    current.end = i
                elif section == "summary":
                    r.summary.append(i)
        i += 1
    return overall


def _action_field(r: _Reading, i: int, summary: bool) -> tuple[Field[str], int] | None:
    """The action printed after the question on block ``i`` (services CQC does not rate), on its
    line or alone on the next; and the last block read. In the summary (``summary``), a next line
    "Enforcement action" is the question's action, not the part of that name (which follows the
    findings)."""
    doc, line, p = r.doc, r.lines[i], _patterns()
    b = doc.blocks[i]
    if line.action is not None and line.action_at is not None:
        s, e = line.action_at
        return make_field(doc, line.action, b.start + s, b.start + e, "inspection.action_line"), i
    j = _next_line(r, i, (_Role.ACTION, _Role.SECTION) if summary else (_Role.ACTION,))
    if j is None:
        return None
    nb = doc.blocks[j]
    m = p.action.fullmatch(doc.folded, nb.start, nb.end)
    if m is None:
        return None
    action = p.action_of[tx.match_key(m["action"])]
    return make_field(doc, action, m.start("action"), m.end("action"), "inspection.action_next_line"), j


def _cover_row(r: _Reading, i: int) -> tuple[GridRow, int] | None:
    """A core service and its overall rating in the cover's ratings block (hospital reports of
    2014-2016 list the services there instead of the key questions): "Surgery   Good" on one
    line, or the name (over one or two lines) and the rating on the next; and the last block read.
    """
    doc = r.doc
    b = doc.blocks[i]
    m = _patterns().trailing_rating.fullmatch(doc.folded, b.start, b.end)
    if m is not None and _is_service(r, m["name"]):
        rating = make_field(doc, str(tx.rating(m["rating"])), m.start("rating"), m.end("rating"),
                            "inspection.cover_service_line")
        return _grid_row(r, b.start, m.end("name"), rating, b.end), i
    for last in (i, i + 1):
        if last >= len(r.lines) or r.lines[last].role is not _Role.TEXT:
            return None
        end = doc.blocks[last].end
        if len(doc.folded[b.start:end]) < 120 and _is_service(r, doc.folded[b.start:end]):
            below, j = _rating_field(r, last, "inspection.cover_service")  # a text line: the next line's
            if below is not None:
                return _grid_row(r, b.start, end, below, doc.blocks[j].end), j
    return None


def _grid_row(r: _Reading, start: int, end: int, rating: Field[str], row_end: int) -> GridRow:
    name = " ".join(r.doc.text[start:end].split())
    return construct(GridRow, service=make_field(r.doc, name, start, end, "inspection.cover_service"),
                     core_service=_core_of(name), ratings={OVERALL: rating},
                     span=make_span(r.doc, start, row_end))


def _read_group(r: _Reading, i: int, rating: Field[str]) -> None:
    """A population group's rating; where the report rates the group again (the summary's list
    and the ratings), another word is a warning, the first kept."""
    name = str(r.lines[i].value)
    first = r.groups.get(name)
    if first is None:
        b = r.doc.blocks[i]
        r.groups[name] = construct(PopulationGroup, name=make_field(
            r.doc, name, b.start, b.end, "inspection.population_group"), rating=rating)
    elif first.rating.value != rating.value and rating.span is not None:
        r.warn("rating_mismatch", f"population group {name!r} is rated {first.rating.value!r}, and "
               f"{rating.value!r} further on", rating.span.start, rating.span.end)


def _stated_groups(r: _Reading) -> None:
    """The summary's sentence rating every population group ("good overall and good for all
    population groups"): each group it rates otherwise than the report's list gives
    ``rating_mismatch`` (the list's rating kept); with no list, it rates the six groups."""
    if not r.summary:
        return
    doc = r.doc
    m = _patterns().all_groups.search(doc.folded, doc.blocks[min(r.summary)].start, doc.blocks[max(r.summary)].end)
    if m is None:
        return
    stated = make_field(doc, str(tx.rating(m["rating"])), m.start("rating"), m.end("rating"), "inspection.all_population_groups")
    if not r.groups:
        for name in _patterns().group_names:
            r.groups[name] = construct(PopulationGroup, name=make_field(doc, name, m.start(), m.end(),
                                                                       "inspection.all_population_groups"),
                                       rating=stated)
        return
    for name, group in r.groups.items():
        if group.rating.value != stated.value:
            r.warn("rating_mismatch", f"population group {name!r} is rated {group.rating.value!r}, but the summary "
                   f"rates all population groups {stated.value!r}", m.start("rating"), m.end("rating"))


def _compare_restated(r: _Reading) -> None:
    """Warn where the summary's list of the key questions' ratings differs from the ratings block."""
    for kq, (_, restated) in r.restated.items():
        _, block = r.block_ratings.get(kq, (None, None))
        if block is not None and block.value != restated.value and restated.span is not None:
            r.warn("rating_mismatch", f"{kq}: the ratings block says {block.value!r}, the summary's list "
                   f"says {restated.value!r}", restated.span.start, restated.span.end)


def _compare_section_ratings(r: _Reading) -> bool:
    """Warn where a key question's section prints another rating than the ratings block.

    A single service's report asks each question twice at most (its summary and its findings).
    A report that asks one more often rates several core services (a hospital's), whose own
    ratings may differ from the location's: then nothing is compared, and True is returned. A
    section known to cover a core service is that service's, never compared with the location's.
    """
    if any(len(sections) > 2 for sections in r.sections.values()):
        return True
    for kq, sections in r.sections.items():
        _, block = r.block_ratings.get(kq, (None, None))
        for section in sections:
            printed = section.rating if section.service is None else None
            if block is None or printed is None or printed.value == block.value or printed.span is None:
                continue
            r.warn("rating_mismatch", f"{kq}: the ratings block says {block.value!r}, its section says "
                   f"{printed.value!r}", printed.span.start, printed.span.end)
    return False


def _own_rating(sections: list[_Section]) -> Field[str] | None:
    """A key question's rating when the report has no ratings block: its first section's that is
    not a core service's."""
    return next((s.rating for s in sections if s.service is None), None)


def _core_of(name: str) -> str | None:
    """The canonical core service a printed name stands for ("urgent and emergency" as a question
    prints it is "Urgent and emergency care")."""
    core = tx.core_service(name) or tx.core_service(name + " services")
    return core.name if core is not None else None


def _same_service(doc: Document, heading: tuple[int, int], named: tuple[int, int]) -> bool:
    """Whether a question's service is the one its heading names."""
    a, b = (" ".join(doc.text[s:e].split()) for s, e in (heading, named))
    return tx.match_key(a) == tx.match_key(b) or (_core_of(a) is not None and _core_of(a) == _core_of(b))


def _rating_of(r: _Reading, kq: str, listed: Field[str] | None, sections: list[_Section]) -> Field[str] | None:
    """A key question's rating: the ratings block's; where the block does not rate it, the
    summary's list's; where the block prints no rating word for any key question (the ratings
    were images) or there is no block, its first own section's."""
    if listed is not None:
        return listed
    if kq in r.restated:
        return r.restated[kq][1]
    wordless = all(rating is None for _, rating in r.block_ratings.values())
    return _own_rating(sections) if wordless else None


def _is_service(r: _Reading, text: str) -> bool:
    """Whether a line names a core service: one the rating grid rates or the vocabulary knows.

    Sections under it are that service's until another is named, a part of the report begins, or
    a key question is asked again (another service, under a heading not known): then they are
    no service's."""
    return tx.match_key(text) in r.services or tx.core_service(text) is not None


def _service_sections(r: _Reading) -> list[ServiceSection]:
    """The key questions' sections that cover a core service, in page order."""
    doc = r.doc
    found = []
    for kq, sections in r.sections.items():
        for sec in sections:
            if sec.service is None:
                continue
            s, e = sec.service
            name = " ".join(doc.text[s:e].split())
            found.append((sec.question, construct(
                ServiceSection, service=make_field(doc, name, s, e, "inspection.service"),
                core_service=_core_of(name), key_question=kq, rating=sec.rating,
                span=make_span(doc, doc.blocks[sec.question].start, doc.blocks[sec.end].end))))
    return [section for _, section in sorted(found, key=lambda f: f[0])]


def _read_breaches(r: _Reading, i: int, section: str) -> None:
    b = r.doc.blocks[i]
    breach = read_breach(r.doc, b.start, b.end, section)
    if breach is not None:
        r.breaches.append(breach)


def _read_changes(r: _Reading, kqs: list[KeyQuestion], inspection: Inspection, overall: Field[str] | None) -> None:
    """The location's rating before this inspection, when it was published and how it moved, as
    the summary says; each key question's rating before and how it moved, from the first of its
    sections that says (:mod:`extractor.lastrating`); each move checked against the rating."""
    doc = r.doc
    if r.summary:
        read_summary(doc, doc.blocks[min(r.summary)].start, doc.blocks[max(r.summary)].end, inspection, overall,
                     r.warnings)
    for kq in kqs:
        for section in r.sections.get(kq.name.value, []):
            if section.service is not None:  # a core service's, not the location's
                continue
            found = read_change(doc, doc.blocks[section.question].start, doc.blocks[section.end].end)
            if found is not None:
                kq.previous_rating, kq.rating_change = found.before, found.change
                r.warnings.extend(check_change(doc, kq.name.value, kq.rating, found))
                break


def _judgements(r: _Reading, overall: Field[str] | None) -> tuple[dict[str, Field[str]], dict[str, Field[str]]]:
    """A report of a service CQC does not rate (no rating printed anywhere): each key question's
    judgement, "Regulations met" or "Not all regulations met" (:mod:`extractor.regfindings`), and
    the action printed beside it."""
    if overall is not None or r.block_ratings or r.restated or any(
            s.rating is not None for sections in r.sections.values() for s in sections):
        return {}, {}
    actions: dict[str, Field[str]] = {}
    for kq, sections in r.sections.items():
        for section in sections:
            if section.action is not None:
                actions.setdefault(kq, section.action)
    judged, warnings = judgements(r.doc, read_findings(r.doc), actions, list(r.sections))
    r.warnings.extend(warnings)
    return judged, actions


def _key_questions(r: _Reading, grid_row: GridRow | None, stated: dict[str | None, Field[str]],
                   judged: dict[str, Field[str]], actions: dict[str, Field[str]]) -> list[KeyQuestion]:
    """The five key questions, rated as :func:`_rating_of` says; where nothing else rates one, the
    location grid's overall row (``grid_row``) does (hospital reports of 2014-2016, whose cover
    lists the core services instead of the key questions), and else a rating statement of the
    summary about the location (``stated``, from :func:`extractor.ratingprose.stated_ratings`).
    A service CQC does not rate has its key questions judged instead (``judged``, from
    :func:`_judgements`), with the action printed beside each (``actions``)."""
    doc = r.doc
    out = []
    for kq in tx.taxonomy().key_questions:
        listed = r.block_ratings.get(kq.name)
        sections = r.sections.get(kq.name, [])
        if listed is None and r.block_ratings:
            r.warn("rating_missing", f"the ratings block gives no rating for {kq.name}")
        elif listed is not None and listed[1] is None:  # asked, but no rating word printed (an image?)
            b = doc.blocks[listed[0]]
            r.warn("rating_missing", f"the ratings block asks about {kq.name} but prints no rating", b.start, b.end)
        rating = (_rating_of(r, kq.name, listed[1] if listed is not None else None, sections)
                  or (grid_row.ratings.get(kq.name) if grid_row is not None else None)
                  or stated.get(kq.name) or judged.get(kq.name))
        # Where the key question is asked: the block, its first section, the summary's list, or
        # (named nowhere else) the grid cell or the statement that rates it.
        if listed is not None or sections or kq.name in r.restated:
            asked = listed[0] if listed is not None else sections[0].question if sections else r.restated[kq.name][0]
            start, end, rule = doc.blocks[asked].start, doc.blocks[asked].end, "inspection.question"
        elif rating is not None and rating.span is not None:
            start, end = rating.span.start, rating.span.end
            rule = ("inspection.rating_statement" if rating is stated.get(kq.name) else
                    "inspection.finding" if rating is judged.get(kq.name) else "inspection.grid_overall_row")
        else:
            continue
        name = make_field(doc, kq.name, start, end, rule)
        # The key question's span: its detailed findings (its last section), else where it is named.
        if sections:
            last = sections[-1]
            span = make_span(doc, doc.blocks[last.question].start, doc.blocks[last.end].end)
        else:
            span = make_span(doc, start, end)
        out.append(KeyQuestion(
            name=name,
            rating=rating,
            action=actions.get(kq.name),
            summary=paragraphs(doc, [i for s in sections for i in s.paragraphs]),
            span=span,
        ))
    return out
