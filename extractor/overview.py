"""Facts of a SAF overview page: the assessment period, the visits, and what was assessed.

Overview pages say in prose what the key-question pages do not:

* "The assessment of this service took place between 16 January and 06 February 2024"
  (also "from ... to ...", "Date of assessment; 29 October 2024 to 5 November 2024", "The
  assessment commenced on ... and was completed on ...") give ``period_start``/``period_end``;
  a first date printed without its month or year takes them from the second;
* sentences about visits ("We carried out an unannounced visit to the home on 5 November 2024
  and an announced visit on 12 November 2024", "site visits on 17 and 19 September 2024") give
  ``visit_dates``;
* "We looked at 5 Key Question areas: Safe, Effective, ... and 24 Quality Statements: ..."
  gives ``key_questions_assessed`` and ``statements_assessed``. Statement names contain commas
  ("Kindness, compassion and dignity"), so the list is read by matching taxonomy names (longest
  first), not by splitting at commas. The printed counts are checked against the lists.

Every value carries its span in the overview page's canonical text. Dates are recorded as
printed, never "fixed": an end before the start is a warning.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import lru_cache

from extractor import taxonomy as tx
from extractor.blocklabels import Label
from extractor.dates import DATE_PATTERN, MONTHS, InvalidDate, to_date
from extractor.document import Document
from extractor.keyquestions import paragraphs
from extractor.segment import segment
from extractor.spans import make_field, make_span
from models import DateValue, Field, Overview, Warning

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
# A first date that may leave out its month and year, a joiner, then a whole date.
_FIRST = rf"(?P<d1>{_DAY})(?:\s+(?P<m1>{_MONTH}))?(?:,?\s+(?P<y1>\d{{4}}))?"
_RANGE = rf"{_FIRST}\s*(?:and|to|until|[-\u2013\u2014])\s*(?P<end>{DATE_PATTERN})"
_PERIOD_RES = [
    ("overview.period_between", re.compile(rf"\b(?:between|from)\s+{_RANGE}", re.I)),
    ("overview.period_date_of", re.compile(rf"\bDates? of (?:the )?assessment\s*[;:,]?\s*{_RANGE}", re.I)),
    ("overview.period_commenced", re.compile(
        rf"\b(?:commenced|started|began) on\s+{_FIRST}"
        rf".{{0,40}}?\b(?:completed|finished|ended|concluded) on\s+(?P<end>{DATE_PATTERN})", re.I)),
]
_PERIOD_CONTEXT = re.compile(r"\bassessment\b|\btook place\b", re.I)
_VISIT_CONTEXT = re.compile(r"\bvisit", re.I)
# One date list: "17, 18 and 19 September 2024", "5 November 2024".
_DATE_LIST = re.compile(rf"(?P<days>(?:{_DAY}\s*(?:,|and|&)\s*)*){DATE_PATTERN}", re.I)
_LIST_DAY = re.compile(_DAY, re.I)
_LOOKED_AT = re.compile(
    r"\bWe looked at\s+(?P<nkq>\w+)\s+key questions?(?: areas?)?\s*:?\s*(?P<kqs>.*?)"
    r"(?:[,;]?\s*and\s+(?P<nqs>\w+)\s+quality statements?\s*:?\s*(?P<qs>[^.]*))?(?:\.(?:\s|$)|$)",
    re.I | re.S)
_NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split())}
_NUMBER_WORDS.update({"twenty-" + w: 20 + i for w, i in list(_NUMBER_WORDS.items())[1:10]})
_NUMBER_WORDS.update({"thirty": 30, "thirty-one": 31, "thirty-two": 32, "thirty-three": 33,
                      "thirty-four": 34})


def _number(word: str | None) -> int | None:
    if word is None:
        return None
    return int(word) if word.isdigit() else _NUMBER_WORDS.get(word.lower())


@lru_cache(maxsize=1)
def _statement_re() -> re.Pattern[str]:
    names = {n for s in tx.taxonomy().statements for n in [s.name, *s.aliases]}
    return _names_re(names)


@lru_cache(maxsize=1)
def _kq_re() -> re.Pattern[str]:
    return _names_re(set(tx.key_question_names()))


def _names_re(names: set[str]) -> re.Pattern[str]:
    """Names longest first, tolerant of case, "&"/"and", hyphens and spacing (over folded text)."""
    parts = []
    for name in sorted(names, key=len, reverse=True):
        words = re.split(r"[\s\-]+", name.replace("\u2013", "-").replace("\u2019", "'"))
        pieces = [r"(?:and|&)" if w == "and" else re.escape(w).replace("'", "'?") for w in words]
        parts.append(r"[\s\-]*".join(pieces))
    return re.compile(rf"(?<![A-Za-z])(?:{'|'.join(parts)})(?![A-Za-z])", re.I)


def _date_value(doc: Document, start: int, end: int, date: dt.date, rule: str) -> Field[DateValue]:
    return make_field(doc, DateValue(iso=date.isoformat(), printed=doc.text[start:end]), start, end, rule)


def _period(doc: Document, lo: int, hi: int, ov: Overview,
            warnings: list[Warning]) -> list[tuple[int, int]]:
    """Find the first period statement in ``[lo, hi)``; return the spans it used."""
    for rule, pattern in _PERIOD_RES:
        for m in pattern.finditer(doc.folded, lo, hi):
            sentence_lo = doc.folded.rfind(".", lo, m.start()) + 1
            if not _PERIOD_CONTEXT.search(doc.folded, max(lo, sentence_lo), m.end()):
                continue
            try:
                end = to_date(m["day"], m["month"], m["year"])
                # The first date borrows the month and year it leaves out from the second.
                start = to_date(re.sub(r"\D", "", m["d1"]), m["m1"] or m["month"], m["y1"] or m["year"])
            except InvalidDate as exc:
                warnings.append(Warning(code="date_invalid", message=str(exc),
                                        span=make_span(doc, m.start(), m.end())))
                continue
            s_start = m.start("d1")
            s_end = max(m.end(g) for g in ("d1", "m1", "y1"))
            ov.period_start = _date_value(doc, s_start, s_end, start, rule)
            ov.period_end = _date_value(doc, m.start("end"), m.end("end"), end, rule)
            if end < start:
                warnings.append(Warning(code="date_order",
                                        message=f"assessment period ends ({end}) before it starts ({start})",
                                        span=make_span(doc, m.start(), m.end())))
            return [(s_start, m.end())]
    return []


def _visits(doc: Document, lo: int, hi: int, used: list[tuple[int, int]]) -> list[Field[DateValue]]:
    found: list[Field[DateValue]] = []
    for m in _DATE_LIST.finditer(doc.folded, lo, hi):
        if any(a <= m.start() < b for a, b in used):
            continue
        sentence_lo = doc.folded.rfind(".", lo, m.start()) + 1
        if not _VISIT_CONTEXT.search(doc.folded, max(lo, sentence_lo), m.start()):
            continue
        spans = [(d.start(), d.end()) for d in _LIST_DAY.finditer(doc.folded, m.start("days"), m.end("days"))]
        for s, e in [*spans, (m.start("day"), m.end("year"))]:
            try:
                day = re.sub(r"\D", "", doc.text[s:e].split()[0])
                date = to_date(day, m["month"], m["year"])
            except InvalidDate:
                continue
            found.append(_date_value(doc, s, e, date, "overview.visit"))
    return found


def _names(doc: Document, lo: int, hi: int, pattern: re.Pattern[str],
           resolve: Callable[[str], str | None], rule: str) -> list[Field[str]]:
    out = []
    for m in pattern.finditer(doc.folded, lo, hi):
        name = resolve(doc.text[m.start():m.end()])
        if name:
            out.append(make_field(doc, name, m.start(), m.end(), rule))
    return out


def _looked_at(doc: Document, lo: int, hi: int, ov: Overview, warnings: list[Warning]) -> None:
    m = _LOOKED_AT.search(doc.folded, lo, hi)
    if not m:
        return
    kq_hi = m.start("nqs") if m["nqs"] else m.end("kqs")
    ov.key_questions_assessed = _names(
        doc, m.start("kqs"), kq_hi, _kq_re(),
        lambda t: (k.name if (k := tx.key_question(t)) else None), "overview.key_questions")
    if m["qs"] is not None:
        ov.statements_assessed = _names(
            doc, m.start("qs"), m.end("qs"), _statement_re(),
            lambda t: (f[0].name if (f := tx.statement(t)) else None), "overview.statements")
    for word, listed, what in ((m["nkq"], ov.key_questions_assessed, "key questions"),
                               (m["nqs"], ov.statements_assessed, "quality statements")):
        n = _number(word)
        if word is not None and n != len(listed):
            warnings.append(Warning(
                code="overview_count_mismatch",
                message=f"overview says {word} {what} but lists {len(listed)}",
                span=make_span(doc, m.start(), m.end())))


def read_overview(doc: Document) -> tuple[Overview, list[Warning]]:
    """Read the overview facts of an overview page (text after the page header)."""
    seg = segment(doc)
    first_body = seg.headers[0][1] if seg.headers else 0
    if seg.headers and seg.headers[0][1] == len(doc.blocks):
        # An overview page has no key-question section: its header ends at the navigation.
        nav = [i for i, lab in enumerate(seg.labels) if lab.label in (Label.NAV, Label.REPORT_FROM)]
        first_body = nav[-1] + 1 if nav else 0
    body = [i for i in range(first_body, len(doc.blocks)) if doc.blocks[i].kind != "list_item"
            or seg.labels[i].label is Label.TEXT]
    ov = Overview()
    warnings: list[Warning] = []
    if not body:
        return ov, warnings
    lo, hi = doc.blocks[body[0]].start, doc.blocks[body[-1]].end
    used = _period(doc, lo, hi, ov, warnings)
    ov.visit_dates = _visits(doc, lo, hi, used)
    _looked_at(doc, lo, hi, ov, warnings)
    ov.summary = paragraphs(doc, [i for i in body if doc.blocks[i].kind == "paragraph"])
    return ov, warnings
