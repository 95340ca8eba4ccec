"""A location page's list of all its inspections and assessments ("All inspections").

Copied as text, below the page header and the line "All inspections", each entry reads: a date or
a date range ("18 May 2023", "5 to 7 March 2019"; an assessment under the Single Assessment
Framework may have none), a line saying what it was ("During a routine inspection", "During an
assessment under our new approach") and a short summary. Entries come newest first: one dated
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
from extractor.spans import make_field, make_span
from models import DateValue, Field, HistoryEntry, Warning

__all__ = ["has_history", "read_history"]

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
# A line of dates alone: days, months, years and what joins them.
_DATES_ONLY = re.compile(rf"(?:\d{{1,2}}(?:st|nd|rd|th)?|\d{{4}}|{_MONTH}|to|and|until|[\s,.\-])+", re.I)
_YEAR = re.compile(r"\b\d{4}\b")


class _Vocabulary(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    opens: list[str]
    entry_starts: list[str]


@dataclass(frozen=True)
class _Lines:
    opens: frozenset[str]  # match keys
    opens_line: re.Pattern[str]  # the same as a line of the folded text
    entry: re.Pattern[str]


@lru_cache(maxsize=1)
def _lines() -> _Lines:
    v: _Vocabulary = tx.load_validated(_Vocabulary, "history.yaml")
    return _Lines(frozenset(tx.match_key(x) for x in v.opens),
                  tx.line_pattern(v.opens),
                  re.compile(rf"(?:{tx.phrases_pattern(v.entry_starts)})\s+\S", re.I))


def has_history(doc: Document) -> bool:
    """Whether the text holds the line over a list of all inspections (one search: every document
    read is asked)."""
    return _lines().opens_line.search(doc.folded) is not None


@dataclass
class _Entry:
    kind: int  # the block of its "During ..." line
    dates: list[Field[DateValue]]
    first: int  # its first block (the dates, or the kind)
    summary: list[int]


def read_history(doc: Document) -> tuple[list[HistoryEntry], list[Warning]]:
    """The entries below the first "All inspections" line, in the page's order."""
    lines = _lines()
    warnings: list[Warning] = []
    keys = [tx.match_key(doc.folded[b.start:b.end]) if b.end - b.start < 40 else "" for b in doc.blocks]
    start = next((i for i, k in enumerate(keys) if k in lines.opens), None)
    if start is None:  # the line runs into others in one block (an HTML element)
        return [], warnings
    entries: list[_Entry] = []
    pending: tuple[int, list[Field[DateValue]]] | None = None
    for i in range(start + 1, len(doc.blocks)):
        b = doc.blocks[i]
        folded = doc.folded[b.start:b.end].strip()
        if _DATES_ONLY.fullmatch(folded) and _YEAR.search(folded):
            found = visit_dates(doc, b.start, b.end, warnings, "history.entry")
            pending = (i, found) if found else None
        elif len(folded) < 120 and lines.entry.match(folded):
            first, dates = pending if pending is not None else (i, [])
            entries.append(_Entry(i, dates, first, []))
            pending = None
        elif entries and b.kind in ("paragraph", "list_item") and pending is None:
            entries[-1].summary.append(i)
    out = [_record(doc, e) for e in entries]
    _check_order(out, warnings)
    return out, warnings


def _record(doc: Document, e: _Entry) -> HistoryEntry:
    kb = doc.blocks[e.kind]
    last = e.summary[-1] if e.summary else e.kind
    return HistoryEntry(
        start=e.dates[0] if e.dates else None, end=e.dates[-1] if len(e.dates) > 1 else None,
        kind=make_field(doc, kb.text.strip(), kb.start, kb.end, "history.entry_line"),
        summary=paragraphs(doc, e.summary),
        span=make_span(doc, doc.blocks[e.first].start, doc.blocks[last].end))


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
