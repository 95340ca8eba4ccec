"""A location page's list of all its inspections and assessments ("All inspections").

Copied as text, below the page header and the line "All inspections", each entry reads: a date or
a date range ("18 May 2023", "5 to 7 March 2019"; an assessment under the Single Assessment
Framework may have none, and its summary may give them: "The assessment took place between 16
January and 06 February 2024."), a line saying what it was ("During a routine inspection",
"During an assessment under our new approach") and a short summary. Entries come newest first: one dated
later than the entry above it is flagged (``history_order``), never reordered. The lines looked
for are data (``history.yaml``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from extractor import taxonomy as tx
from extractor.dates import MONTHS
from extractor.document import Document
from extractor.inspection import visit_dates
from extractor.keyquestions import paragraphs
from extractor.lastrating import Change, check_change, read_overall
from extractor.ratingprose import rating_change, read_statements
from extractor.spans import make_field, make_span
from models import DateValue, Field, HistoryEntry, Location, RatingStatement, Warning

__all__ = ["has_history", "history_start", "read_history"]

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
# A line of dates alone: days, months, years and what joins them.
_DATES_ONLY = re.compile(rf"(?:\d{{1,2}}(?:st|nd|rd|th)?|\d{{4}}|{_MONTH}|to|and|until|[\s,.\-&])+", re.I)
_YEAR = re.compile(r"\b\d{4}\b")
_SENTENCE_END = re.compile(r"[.;:](?!\d)")


class _Vocabulary(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    opens: list[str]
    entry_starts: list[str]
    date_labels: list[str]
    summary_date_labels: list[str]


@dataclass(frozen=True)
class _Lines:
    opens: frozenset[str]  # match keys
    opens_line: re.Pattern[str]  # the same as a line of the folded text
    entry: re.Pattern[str]
    date_label: re.Pattern[str]  # the words before an entry's dates, where printed
    summary_label: re.Pattern[str]  # the words before the dates in an undated entry's summary


@lru_cache(maxsize=1)
def _lines() -> _Lines:
    v: _Vocabulary = tx.load_validated(_Vocabulary, "history.yaml")
    return _Lines(frozenset(tx.match_key(x) for x in v.opens),
                  tx.line_pattern(v.opens),
                  re.compile(rf"(?:{tx.phrases_pattern(v.entry_starts)})\s+\S", re.I),
                  re.compile(rf"(?:{tx.phrases_pattern(v.date_labels)})\s*:?\s*", re.I),
                  re.compile(rf"\b(?:{tx.phrases_pattern(v.summary_date_labels)})\s+", re.I))


def has_history(doc: Document) -> bool:
    """Whether the text holds the line over a list of all inspections (one search: every document
    read is asked)."""
    return _lines().opens_line.search(doc.folded) is not None


def history_start(doc: Document) -> int | None:
    """The block of the first "All inspections" line, if any: the page header ends above it.
    (A line that runs into others in one block, as an HTML element may, is not one.)"""
    opens = _lines().opens
    return next((i for i, b in enumerate(doc.blocks)
                 if b.end - b.start < 40 and tx.match_key(doc.folded[b.start:b.end]) in opens), None)


@dataclass
class _Entry:
    kind: int  # the block of its "During ..." line
    dates: list[Field[DateValue]]
    first: int  # its first block (the dates, or the kind)
    summary: list[int]


def read_history(doc: Document, location: Location | None = None) -> tuple[list[HistoryEntry], list[Warning]]:
    """The entries below the first "All inspections" line, in the page's order, each with the
    rating statements of its summary (about the location when they name it as "this hospital",
    or as "the trust" on a page whose ``location`` names a trust). The statements' ratings and
    changes are checked against the entry below and the page header (:func:`_check_changes`)."""
    location_name = location.name.value if location is not None and location.name is not None else None
    lines = _lines()
    warnings: list[Warning] = []
    start = history_start(doc)
    if start is None:
        return [], warnings
    entries: list[_Entry] = []
    pending: tuple[int, list[Field[DateValue]]] | None = None
    for i in range(start + 1, len(doc.blocks)):
        b = doc.blocks[i]
        raw = doc.folded[b.start:b.end]
        folded = raw.strip()
        label = lines.date_label.match(folded)
        printed = folded[label.end():] if label else folded
        if _DATES_ONLY.fullmatch(printed) and _YEAR.search(printed):
            at = b.start + len(raw) - len(raw.lstrip()) + (label.end() if label else 0)
            found = visit_dates(doc, at, b.end, warnings, "history.entry")
            pending = (i, found) if found else None
        elif len(folded) < 120 and lines.entry.match(folded):
            first, dates = pending if pending is not None else (i, [])
            entries.append(_Entry(i, dates, first, []))
            pending = None
        elif entries and b.kind in ("paragraph", "list_item") and pending is None:
            entries[-1].summary.append(i)
    out = [_record(doc, e, location_name, warnings) for e in entries]
    _check_order(out, warnings)
    _check_changes(doc, out, location.overall_rating if location is not None else None, warnings)
    return out, warnings


def _record(doc: Document, e: _Entry, name: str | None, warnings: list[Warning]) -> HistoryEntry:
    kb = doc.blocks[e.kind]
    last = e.summary[-1] if e.summary else e.kind
    # "The last rating for this service was good (published 12 March 2018)."
    before = read_overall(doc, doc.blocks[e.summary[0]].start, doc.blocks[last].end, warnings) if e.summary else None
    dates = e.dates or _summary_dates(doc, e.summary, warnings)
    return HistoryEntry(
        start=dates[0] if dates else None, end=dates[-1] if len(dates) > 1 else None,
        kind=make_field(doc, kb.text.strip(), kb.start, kb.end, "history.entry_line"),
        summary=paragraphs(doc, e.summary),
        rating_statements=read_statements(doc, doc.blocks[e.summary[0]].start, doc.blocks[last].end, name,
                                          questions=True)
        if e.summary else [],
        previous_rating=before.before if before else None,
        previous_publication_date=before.published if before else None,
        rating_change=before.change if before else None,
        span=make_span(doc, doc.blocks[e.first].start, doc.blocks[last].end))


def _summary_dates(doc: Document, summary: list[int], warnings: list[Warning]) -> list[Field[DateValue]]:
    """The dates an undated entry's summary gives after a label of ``summary_date_labels``, up to
    the end of the sentence (rules ``history.summary_*``); the two after "between" are the ends of
    a period."""
    label = _lines().summary_label
    for i in summary:
        b = doc.blocks[i]
        m = label.search(doc.folded, b.start, b.end)
        if m is None:
            continue
        stop = _SENTENCE_END.search(doc.folded, m.end(), b.end)
        found = visit_dates(doc, m.end(), stop.start() if stop else b.end, warnings, "history.summary")
        if len(found) == 2 and m.group().lower().rstrip().endswith("between"):
            found = [found[0].model_copy(update={"rule": "history.summary_period_start"}),
                     found[1].model_copy(update={"rule": "history.summary_period_end"})]
        return found
    return []


def _check_order(entries: list[HistoryEntry], warnings: list[Warning]) -> None:
    newer: HistoryEntry | None = None
    for entry in entries:
        if entry.start is None:
            continue
        if newer is not None and newer.start is not None and entry.start.value.iso > newer.start.value.iso:
            warnings.append(Warning(code="history_order",
                                    message=f"an entry of {entry.start.value.iso} follows one of "
                                            f"{newer.start.value.iso}: the list is newest first",
                                    span=entry.start.span))
        newer = entry


def _stated(entry: HistoryEntry) -> RatingStatement | None:
    """The entry's first statement rating the location overall."""
    return next((s for s in entry.rating_statements
                 if s.about_location and s.key_question is None and s.rating is not None), None)


def _check_changes(doc: Document, entries: list[HistoryEntry], header: Field[str] | None,
                   warnings: list[Warning]) -> None:
    """``rating_change_mismatch`` where an entry says the location's rating improved, stayed the
    same or went down, and the entry below it (the inspection before) states a rating that does not
    agree, or where its summary's move from the last rating does not give the rating it states;
    ``rating_mismatch`` where the newest entry states a rating other than the page header's, or an
    entry's last rating is not the one the entry below it states."""
    stated = [_stated(e) for e in entries]
    newest = stated[0] if stated else None
    if header is not None and newest is not None and newest.rating is not None and newest.rating.value != header.value:
        warnings.append(Warning(code="rating_mismatch", message=f"the page header says {header.value!r}, the "
                                f"latest inspection's summary says {newest.rating.value!r}", span=newest.rating.span))
    for entry, own in zip(entries, stated):  # "The last rating ... At this inspection the rating has ..."
        if own is not None and entry.previous_rating is not None:
            when = entry.start.value.iso if entry.start is not None else "undated"
            warnings.extend(check_change(doc, f"the entry of {when}", own.rating,
                                         Change(entry.previous_rating, entry.rating_change)))
    for entry, older in zip(entries, stated[1:]):  # the rating before, as an entry gives it
        before = entry.previous_rating
        if before is None or older is None or older.rating is None or older.rating.value == before.value:
            continue
        when = entry.start.value.iso if entry.start is not None else "undated"
        warnings.append(Warning(code="rating_mismatch", message=f"the entry of {when} says the last rating was "
                                f"{before.value!r}, the entry below it states {older.rating.value!r}",
                                span=before.span))
    for newer, older, entry in zip(stated, stated[1:], entries):
        if newer is None or older is None or newer.change is None or newer.rating is None or older.rating is None:
            continue
        a, b = newer.rating.value, older.rating.value
        moved = rating_change(a, b)
        if moved is not None and moved != newer.change.value:
            when = entry.start.value.iso if entry.start is not None else "undated"
            warnings.append(Warning(
                code="rating_change_mismatch",
                message=f"the entry of {when} says the rating {newer.change.value} ({a!r}), but the inspection "
                        f"before it was rated {b!r}", span=newer.change.span))
