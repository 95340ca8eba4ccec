"""What each block of a SAF page is: a header marker, a heading of the taxonomy, a score, text.

Labelling looks at one block at a time; the segmenter then reads the labels in order.
All patterns run over folded text (see :func:`extractor.document.fold`), so curly quotes and
dashes match their plain forms while offsets stay those of the canonical text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from extractor import taxonomy as tx
from extractor.dates import DATE_PATTERN, is_date_line
from extractor.document import Block, fold, may_contain


class Label(str, Enum):
    OVERALL = "overall"  # "Overall: Good read more about inspection ratings"
    PROVIDED_BY = "provided_by"  # "Provided and run by:"
    REPORT_FROM = "report_from"  # "Report from 13 February 2024 assessment"
    NAV = "nav"  # "On this page", "Contents"
    OVERVIEW = "overview"  # "Overview" (navigation entry)
    KEY_QUESTION = "key_question"
    STATEMENT = "statement"
    RATING = "rating"
    DATE = "date"
    SCORE = "score"  # "Score: 3"
    KQ_SCORE = "kq_score"  # "This service scored 75 (out of 100) ..."
    SERVICE_TYPE = "service_type"
    TEXT = "text"


HEADER_MARKERS = frozenset({Label.OVERALL, Label.PROVIDED_BY, Label.REPORT_FROM, Label.NAV})

SCORE_RE = re.compile(r"Score\s*:?\s*(?P<n>-?\d{1,3})(?:\s*(?:/|out of)\s*4)?\s*[.]?\s*$", re.I)
KQ_SCORE_RE = re.compile(r"\bscored\s+(?P<n>\d{1,3})\s*\(?\s*out of 100\s*\)?", re.I)
PROVIDED_BY_RE = re.compile(r"Provided and run by\s*:?\s*", re.I)
REPORT_FROM_RE = re.compile(rf"Report from\s+(?P<date>{DATE_PATTERN})\s+assessment\b", re.I)
NAV_RE = re.compile(r"(?:On this page|Contents|Jump to)\s*:?\s*$", re.I)
OVERVIEW_RE = re.compile(r"Overview\s*$", re.I)
DATE_LINE_RE = re.compile(
    rf"(?:(?:Updated|Published|Last updated|Date)\s*:?\s*)?(?P<date>{DATE_PATTERN})\s*$", re.I
)


def _holds_kq_score(text: str) -> bool:
    """Whether ``text`` holds a key question's score ("scored 75 (out of 100)").

    Most blocks are long evidence paragraphs without one; a plain look for the word rules
    them out before the (slow, case-insensitive) search.
    """
    return may_contain(text, ("scored",)) and KQ_SCORE_RE.search(text) is not None


@lru_cache(maxsize=1)
def overall_re() -> re.Pattern[str]:
    words = "|".join(re.escape(fold(w)) for w in tx.rating_words())
    return re.compile(rf"Overall(?: rating)?\s*:?\s*(?:(?P<rating>{words})\b)?", re.I)


@dataclass(frozen=True)
class Labelled:
    label: Label
    value: str | None = None  # canonical name, rating or number as text
    match: str | None = None  # how a taxonomy name matched: exact, alias


# The label of each kind that carries no value, made once: it is frozen, so blocks share it.
_BARE = {label: Labelled(label) for label in Label}


def label_block(block: Block, folded: str) -> Labelled:
    """Label one block; ``folded`` is the folded text of the block.

    Short lines (headings, scores, ratings, navigation) recur from page to page, so each is
    labelled once and remembered; longer text (evidence) rarely recurs and is not kept.
    """
    text = folded.strip()
    listed = block.kind == "list_item"
    if len(text) <= 90:
        return _label_line(text, listed)
    return _label_text(text, listed)


@lru_cache(maxsize=8192)
def _label_line(text: str, listed: bool) -> Labelled:
    return _label_text(text, listed)


def _label_text(text: str, listed: bool) -> Labelled:
    """The label of a block's stripped, folded ``text``; ``listed`` for a list item."""
    if m := SCORE_RE.fullmatch(text):
        return Labelled(Label.SCORE, m["n"])
    if not listed:
        if len(text) < 80 and (m := overall_re().match(text)) and (m["rating"] or ":" in m[0]):
            return _BARE[Label.OVERALL]
        if PROVIDED_BY_RE.match(text):
            return _BARE[Label.PROVIDED_BY]
        if REPORT_FROM_RE.match(text):
            return _BARE[Label.REPORT_FROM]
        if NAV_RE.fullmatch(text):
            return _BARE[Label.NAV]
    if len(text) > 90:
        return _BARE[Label.KQ_SCORE] if _holds_kq_score(text) else _BARE[Label.TEXT]
    if OVERVIEW_RE.fullmatch(text):
        return _BARE[Label.OVERVIEW]
    if kq := tx.key_question(text):
        return Labelled(Label.KEY_QUESTION, kq.name)
    if found := tx.statement(text):
        return Labelled(Label.STATEMENT, found[0].id, found[1])
    if rating := tx.rating(text):
        return Labelled(Label.RATING, rating)
    if is_date_line(text) or DATE_LINE_RE.fullmatch(text):
        return _BARE[Label.DATE]
    if st := tx.service_type(text):
        return Labelled(Label.SERVICE_TYPE, st)
    if _holds_kq_score(text):
        return _BARE[Label.KQ_SCORE]
    return _BARE[Label.TEXT]
