"""Segmenting a SAF page, or several pages one after another, into header and key questions.

A page is a header (service-type breadcrumb, name, "Overall:", address, "Provided and run by:",
"Report from ... assessment", navigation) followed by one key question: its heading, rating and
date, summary paragraphs, the "scored NN (out of 100)" line, then quality statements, each a
heading, a "Score: N" line and evidence. A whole assessment copied page by page repeats that.

The segmenter reads block labels in order. A key-question name starts a section only when what
follows it belongs to a section (a rating, a date, a paragraph, a score line), so navigation
lists that repeat key-question or statement names never open sections.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extractor import taxonomy as tx
from extractor.blocklabels import HEADER_MARKERS, Label, Labelled, label_block
from extractor.document import Document

# Labels that may follow a key-question heading inside its own section.
_SECTION_FOLLOWERS = frozenset({Label.RATING, Label.DATE, Label.KQ_SCORE})


@dataclass
class StatementSegment:
    heading: int
    score: int | None  # the "Score: N" line
    judgement: int | None = None  # or a non-rated service's "Regulations met" line
    body: list[int] = field(default_factory=list)

    @property
    def last(self) -> int:
        return max([self.heading, *(i for i in (self.score, self.judgement) if i is not None), *self.body])


@dataclass
class KeyQuestionSegment:
    heading: int
    end: int  # one past the last block of the section
    rating: int | None = None
    date: int | None = None
    kq_score: int | None = None
    summary: list[int] = field(default_factory=list)
    statements: list[StatementSegment] = field(default_factory=list)


@dataclass
class Segmentation:
    labels: list[Labelled]
    headers: list[tuple[int, int]]  # [start, end) block ranges of page headers
    key_questions: list[KeyQuestionSegment]


def label_blocks(doc: Document) -> list[Labelled]:
    return [label_block(b, doc.folded[b.start:b.end]) for b in doc.blocks]


def _opens_section(doc: Document, labels: list[Labelled], i: int) -> bool:
    """Whether the key-question name at block ``i`` is a section heading (not navigation)."""
    if labels[i].label is not Label.KEY_QUESTION:
        return False
    nxt = i + 1
    if nxt >= len(labels):
        return False
    follower = labels[nxt].label
    if follower in _SECTION_FOLLOWERS:
        return True
    if follower is Label.TEXT and doc.blocks[nxt].kind == "paragraph":
        return True
    # A heading followed at once by a scored (or judged) statement: a section without a summary.
    return follower is Label.STATEMENT and _scored(labels, nxt + 1)


def _judged(labels: list[Labelled], i: int) -> bool:
    """Whether block ``i`` is a non-rated service's judgement ("Regulations met")."""
    return i < len(labels) and labels[i].label is Label.RATING and labels[i].value in tx.non_rated_judgements()


def _scored(labels: list[Labelled], i: int) -> bool:
    """Whether block ``i`` gives a statement's score, or a non-rated service's judgement."""
    return i < len(labels) and (labels[i].label is Label.SCORE or _judged(labels, i))


def _is_statement_heading(doc: Document, labels: list[Labelled], i: int) -> bool:
    lab = labels[i]
    if lab.label is Label.STATEMENT:
        return doc.blocks[i].kind != "list_item" or _scored(labels, i + 1)
    # An unknown heading directly above a "Score:" line is a statement we cannot name.
    return (_scored(labels, i + 1) and doc.blocks[i].kind == "heading"
            and lab.label in (Label.TEXT, Label.SERVICE_TYPE, Label.RATING))


def _header_start(doc: Document, labels: list[Labelled], lo: int, marker: int) -> int:
    """Walk back from a header marker over the breadcrumb and name lines that precede it."""
    i = marker
    while i - 1 >= lo:
        prev = labels[i - 1].label
        if prev in (Label.SCORE, Label.KQ_SCORE, Label.STATEMENT, Label.KEY_QUESTION):
            break
        if doc.blocks[i - 1].kind == "paragraph" and prev is Label.TEXT:
            break
        i -= 1
    return i


def segment(doc: Document) -> Segmentation:
    """Split a document's blocks into page headers and key-question sections."""
    labels = label_blocks(doc)
    n = len(labels)
    starts = [i for i in range(n) if _opens_section(doc, labels, i)]
    headers: list[tuple[int, int]] = []
    sections: list[KeyQuestionSegment] = []
    header_lo = 0
    for k, start in enumerate(starts):
        if k == 0 or start > header_lo:
            headers.append((header_lo, start))
        limit = starts[k + 1] if k + 1 < len(starts) else n
        marker = next((j for j in range(start + 1, limit) if labels[j].label in HEADER_MARKERS), None)
        end = _header_start(doc, labels, start + 1, marker) if marker is not None else limit
        sections.append(_read_section(doc, labels, start, end))
        header_lo = end
    if not starts:
        headers.append((0, n))
    elif header_lo < n and any(labels[j].label in HEADER_MARKERS for j in range(header_lo, n)):
        headers.append((header_lo, n))
    return Segmentation(labels=labels, headers=headers, key_questions=sections)


def _read_section(doc: Document, labels: list[Labelled], start: int, end: int) -> KeyQuestionSegment:
    seg = KeyQuestionSegment(heading=start, end=end)
    i = start + 1
    if i < end and labels[i].label is Label.RATING:
        seg.rating, i = i, i + 1
    if i < end and labels[i].label is Label.DATE:
        seg.date, i = i, i + 1
    current: StatementSegment | None = None
    while i < end:
        lab = labels[i].label
        if _is_statement_heading(doc, labels, i):
            has_score = i + 1 < end and labels[i + 1].label is Label.SCORE
            judged = i + 1 < end and not has_score and _judged(labels, i + 1)
            current = StatementSegment(heading=i, score=i + 1 if has_score else None,
                                       judgement=i + 1 if judged else None)
            seg.statements.append(current)
            i += 2 if has_score or judged else 1
            continue
        if current is None:
            if lab is Label.KQ_SCORE and seg.kq_score is None:
                seg.kq_score = i
            elif lab is Label.RATING and seg.rating is None and not seg.summary:
                seg.rating = i
            else:
                seg.summary.append(i)
        else:
            current.body.append(i)
        i += 1
    return seg
