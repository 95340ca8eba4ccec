"""Rating-era web summary pages: the location's page on cqc.org.uk while its ratings came from an
inspection (2014 to 2023).

Copied as text it reads like a SAF page's header ("Overall: Good read more about inspection
ratings", the address, "Provided and run by:") without "Report from ... assessment", then
"Latest inspection summary", "Overall inspection", the rating, "Updated 18 May 2023", the summary,
and each key question with its rating and summary. The header and the key questions are read as
on a SAF page; :func:`read_web_summary` reads the rest: the overall inspection's rating (checked
against the header's, ``rating_mismatch``), the date the summary was updated and the summary.
Pages of 2016-2018 open with "Inspection Summary" and "Overall summary & rating" and hold the
report's own summary; the pipeline reads their key questions from it as the report's reader does.
The lines it looks for are data (``web_summary.yaml``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from extractor import taxonomy as tx
from extractor.blocklabels import DATE_LINE_RE, Label
from extractor.document import Document
from extractor.header import date_field
from extractor.keyquestions import paragraphs
from extractor.lastrating import read_summary
from extractor.ratingprose import check_statements, read_statements
from extractor.segment import Segmentation
from extractor.spans import make_field, make_span
from models import Field, Inspection, KeyQuestion, Location, Warning

__all__ = ["is_web_summary", "read_web_summary", "summary_start"]


class _Vocabulary(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    opens: list[str]
    overall: list[str]
    banners: list[str]


@dataclass(frozen=True)
class _Lines:
    opens: frozenset[str]  # match keys
    opens_line: re.Pattern[str]  # the same, as a line of the folded text
    overall: frozenset[str]
    banner: re.Pattern[str]
    rated_line: re.Pattern[str]  # a key question and its rating on one line
    overall_line: re.Pattern[str]  # the overall inspection and its rating on one line


@lru_cache(maxsize=1)
def _lines() -> _Lines:
    v: _Vocabulary = tx.load_validated(_Vocabulary, "web_summary.yaml")
    rating = "|".join(tx.phrase_pattern(w) for w in tx.rating_words())
    return _Lines(frozenset(tx.match_key(x) for x in v.opens),
                  tx.line_pattern(v.opens),
                  frozenset(tx.match_key(x) for x in v.overall),
                  re.compile(rf"(?:{tx.phrases_pattern(v.banners)})\s*:", re.I),
                  re.compile(rf"\s*(?P<kq>[A-Za-z][\w -]*?)\s*:?\s+(?P<rating>{rating})\s*", re.I),
                  re.compile(rf"\s*(?:{tx.phrases_pattern(v.overall)})\s*:?\s+(?P<rating>{rating})\s*", re.I))


def is_web_summary(doc: Document) -> bool:
    """Whether the text holds the line that opens a rating-era web summary (one search of it)."""
    return _lines().opens_line.search(doc.folded) is not None


def summary_start(doc: Document) -> int | None:
    """The block of the line that opens the summary ("Latest inspection summary"), if on a line of
    its own: the page header ends above it."""
    opens = _lines().opens
    return next((i for i, b in enumerate(doc.blocks)
                 if b.end - b.start < 60 and tx.match_key(doc.folded[b.start:b.end]) in opens), None)


def read_web_summary(doc: Document, seg: Segmentation, location: Location,
                     kqs: list[KeyQuestion]) -> tuple[Inspection, list[Warning]]:
    """The overall inspection's rating (into ``location`` when its header gives none), the date the
    summary was updated, and the summary paragraphs. Key questions rated on their heading's line
    ("Safe: Good") join ``kqs``, ahead of those read as on a SAF page (heading, then rating); all
    were rated by an inspection before quality statements existed: none is missing from them."""
    for kq in kqs:
        if not kq.quality_statements:
            kq.statements_not_present, kq.computed_from_statements = [], None
    lines = _lines()
    warnings: list[Warning] = []
    inspection = Inspection()
    keys = [tx.match_key(doc.folded[b.start:b.end]) if b.end - b.start < 60 else "" for b in doc.blocks]  # short lines
    start = summary_start(doc)
    if start is None:  # the line runs into others in one block (an HTML element): nothing below it is known
        return inspection, warnings
    end = min((k.heading for k in seg.key_questions if k.heading > start), default=len(doc.blocks))
    summary: list[int] = []
    overall_seen = False
    rated: list[tuple[KeyQuestion, list[int]]] = []  # key questions rated on their heading's line
    for i in range(start + 1, end):
        b, lab = doc.blocks[i], seg.labels[i]
        folded = doc.folded[b.start:b.end]
        found = _rated_line(doc, i, [*kqs, *(kq for kq, _ in rated)])
        if found is not None:
            rated.append((found, []))
            continue
        if rated:  # below the first such line, paragraphs are its key question's
            if b.kind in ("paragraph", "list_item") and lab.label is Label.TEXT:
                rated[-1][1].append(i)
            continue
        if keys[i] in lines.overall:
            overall_seen = True
        elif (m := lines.overall_line.fullmatch(folded)) is not None and not summary:
            rating = tx.rating(m["rating"])
            if rating is not None:
                s, e = b.start + m.start("rating"), b.start + m.end("rating")
                _overall_rating(doc, s, e, rating, location, warnings)
        elif overall_seen and lab.label is Label.RATING and lab.value and not summary:
            _overall_rating(doc, b.start, b.end, lab.value, location, warnings)
        elif lab.label is Label.DATE and inspection.updated is None and not summary:
            m = DATE_LINE_RE.fullmatch(folded)
            if m is not None:
                inspection.updated = date_field(doc, m, b.start, "date", "web_summary.updated_line", warnings)
        elif b.kind in ("paragraph", "list_item") and lab.label is Label.TEXT and not lines.banner.match(folded):
            summary.append(i)
    inspection.summary = paragraphs(doc, summary)
    for kq, summary_blocks in rated:
        kq.summary = paragraphs(doc, summary_blocks)
        if summary_blocks:
            kq.span = make_span(doc, kq.span.start, doc.blocks[summary_blocks[-1]].end)
    kqs[:0] = [kq for kq, _ in rated]  # they come before the page's other key questions
    if summary:  # "Our rating of this service stayed the same. We rated it as good because:"
        inspection.rating_statements = read_statements(
            doc, doc.blocks[summary[0]].start, doc.blocks[summary[-1]].end,
            location.name.value if location.name else None)
        warnings.extend(check_statements(inspection.rating_statements, location, kqs))
        # "The last rating for this service was good (published 12 March 2018)."
        read_summary(doc, doc.blocks[summary[0]].start, doc.blocks[summary[-1]].end, inspection,
                     location.overall_rating, warnings)
    return inspection, warnings


def _rated_line(doc: Document, i: int, kqs: list[KeyQuestion]) -> KeyQuestion | None:
    """A key question and its rating on one line ("Safe: Good", "Well-led Requires improvement"),
    as a key question of its own, unless the page already gave that key question."""
    b = doc.blocks[i]
    m = _lines().rated_line.fullmatch(doc.folded, b.start, b.end)
    if m is None:
        return None
    kq, rating = tx.key_question(m["kq"]), tx.rating(m["rating"])
    if kq is None or rating is None or any(k.name.value == kq.name for k in kqs):
        return None
    return KeyQuestion(
        name=make_field(doc, kq.name, m.start("kq"), m.end("kq"), "web_summary.rated_line"),
        rating=make_field(doc, rating, m.start("rating"), m.end("rating"), "web_summary.rated_line"),
        span=make_span(doc, b.start, b.end))


def _overall_rating(doc: Document, start: int, end: int, rating: str, location: Location,
                    warnings: list[Warning]) -> None:
    found: Field[str] = make_field(doc, rating, start, end, "web_summary.overall_inspection")
    header = location.overall_rating
    if header is None:
        location.overall_rating = found
    elif header.value != rating:
        warnings.append(Warning(code="rating_mismatch",
                                message=f"the overall inspection is rated {rating!r}, the page header says "
                                        f"{header.value!r}; the header's is kept", span=found.span))
