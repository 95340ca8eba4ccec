"""GP practices' inspection evidence tables (2019 onward): the ratings, dates and checklists.

CQC publishes an evidence table beside each GP practice's inspection report. Its PDF text extract
gives, a line each: "Inspection Evidence Table", the practice's name with its location ID
("Hollinsbrook Surgery (1-4820561937)"), "Inspection date: 14 March 2022", "Date of data download:
02 March 2022" and "Overall rating: Requires improvement", then the overall summary. Each key
question follows: its line with its rating ("Safe   Rating: Requires improvement", or "Rating:
Good" on the next line), its prose, the population groups rated under effective ("Older people
Population group rating: Good") and Y/N/Partial checklists. A checklist has a head line (its
title, then "Y/N/Partial"), rows of a statement and the inspectors' answer, and then
"Explanation of any answers and additional evidence:" and prose.

A row's answer stands at the end of its first or last line (the table's cells side by side) or on
a line of its own below the statement; a statement wrapped over lines is joined (a line that goes
on with an answered row starts in lower case). A row left
without an answer is a warning (``checklist_unanswered``), not a row. The overall rating is checked
against the key questions' by CQC's ratings principles (``rating_consistency``) and against the
summary's rating statements (``rating_mismatch``). The words are data (``evidence_table.yaml``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from extractor import taxonomy as tx
from extractor.checks import check_rating_principles
from extractor.dates import DATE_RE
from extractor.document import Document
from extractor.errors import UnsupportedReportFamily
from extractor.header import date_field
from extractor.inspection import InspectionRead, visit_dates
from extractor.inspection_words import inspection_vocabulary
from extractor.keyquestions import paragraphs
from extractor.ratingprose import check_statements, read_statements
from extractor.spans import make_field, make_span
from models import ChecklistAnswer, Field, Inspection, KeyQuestion, Location, PopulationGroup, Warning, construct

__all__ = ["EvidenceVocabulary", "evidence_vocabulary", "is_evidence_table", "read_evidence_table"]

_SENTENCE_END = (".", "?", "!", ":")


class EvidenceVocabulary(BaseModel):
    """The words of ``evidence_table.yaml`` (its comments say what each is for)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    title: list[str]
    inspection_date: list[str]
    data_download: list[str]
    overall: list[str]
    rating_label: list[str]
    checklist_head: list[str]
    answers: dict[str, list[str]]
    explanation: list[str]


@dataclass(frozen=True)
class _Patterns:
    title: re.Pattern[str]
    name: re.Pattern[str]  # the practice's name and its location ID
    inspection_date: re.Pattern[str]
    data_download: re.Pattern[str]
    overall: re.Pattern[str]
    key_question: re.Pattern[str]  # a key question's name, and its rating where on the line
    group: re.Pattern[str]  # a population group's name, and its rating where on the line
    rating_line: re.Pattern[str]  # "Rating: Good" on a line of its own
    group_rating_line: re.Pattern[str]  # "Population group rating: Good" on a line of its own
    head: re.Pattern[str]  # a checklist's head line, its title before
    row: re.Pattern[str]  # a row's line: the statement and, at its end, the answer
    explanation: re.Pattern[str]
    answer_of: dict[str, str]  # match key of an answer as printed -> its value
    group_of: dict[str, str]  # match key of a population group's name -> its canonical name


@lru_cache(maxsize=1)
def evidence_vocabulary() -> EvidenceVocabulary:
    """The evidence tables' words, read by this module's reader and by :mod:`extractor.runtogether`."""
    return tx.load_validated(EvidenceVocabulary, "evidence_table.yaml")


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    v = evidence_vocabulary()
    words = inspection_vocabulary()
    rating = rf"(?P<rating>{tx.phrases_pattern(tx.rating_words())})"
    label = rf"(?:{tx.phrases_pattern(v.rating_label)})\s*:?"
    group_label = rf"(?:{tx.phrases_pattern(words.group_rating_labels)})\s*:?"
    answers = tx.phrases_pattern([a for forms in v.answers.values() for a in forms])
    flags = re.I
    return _Patterns(
        title=re.compile(rf"\s*(?:{tx.phrases_pattern(v.title)})\s*", flags),
        name=re.compile(r"\s*(?P<name>\S.*?)(?:\s*\((?P<id>1-\d{5,12})\))?\s*"),
        inspection_date=re.compile(rf"\s*(?:{tx.phrases_pattern(v.inspection_date)})\s*:\s*", flags),
        data_download=re.compile(rf"\s*(?:{tx.phrases_pattern(v.data_download)})\s*:\s*", flags),
        overall=re.compile(rf"\s*(?:{tx.phrases_pattern(v.overall)})\s*:\s*{rating}\s*", flags),
        key_question=re.compile(rf"\s*(?P<kq>{tx.phrases_pattern(tx.key_question_names())})(?:\s+{label}\s*{rating})?\s*", flags),
        group=re.compile(rf"\s*(?P<group>{tx.phrases_pattern(words.group_forms())})(?:\s+{group_label}\s*{rating})?\s*",
                         flags),
        rating_line=re.compile(rf"\s*{label}\s*{rating}\s*", flags),
        group_rating_line=re.compile(rf"\s*{group_label}\s*{rating}\s*", flags),
        head=re.compile(rf"\s*(?P<topic>\S.*?)?\s*(?:{tx.phrases_pattern(v.checklist_head)})\s*", flags),
        # The answer ends the line after a gap of two or more spaces, or a sentence's end, or alone.
        row=re.compile(rf"\s*(?:(?P<question>\S.*?)(?:[ \t]{{2,}}|(?<=[.?)])[ \t]+))?(?P<answer>{answers})\s*", flags),
        explanation=re.compile(rf"\s*(?:{tx.phrases_pattern(v.explanation)})\s*:?\s*", flags),
        answer_of={tx.match_key(a): value for value, forms in v.answers.items() for a in forms},
        group_of=words.group_of(),
    )


def is_evidence_table(text: str) -> bool:
    """Whether the text opens as an inspection evidence table (its title in the first lines)."""
    return any(_patterns().title.fullmatch(line) for line in text[:1000].split("\n"))


@dataclass
class _Row:
    """A checklist row being read: its lines' stretches and, once read, its answer."""
    key_question: str | None
    topic: Field[str] | None
    parts: list[tuple[int, int]]
    answer: Field[str] | None = None


@dataclass
class _Reading:
    doc: Document
    inspection: Inspection = field(default_factory=Inspection)
    location: Location = field(default_factory=Location)
    location_id: str | None = None
    warnings: list[Warning] = field(default_factory=list)
    summary: list[int] = field(default_factory=list)
    kqs: list[tuple[KeyQuestion, list[int], int]] = field(default_factory=list)  # each with its prose and line
    groups: dict[str, PopulationGroup] = field(default_factory=dict)
    row: _Row | None = None
    in_checklist: bool = False
    first: int = 0  # the block after the title: the practice's name
    read_lines: set[int] = field(default_factory=set)  # cover lines and rated lines ("Rating: Good" below "Safe" too)

    def prose(self, i: int) -> None:
        (self.kqs[-1][1] if self.kqs else self.summary).append(i)

    def close_row(self) -> None:
        row, self.row = self.row, None
        if row is None or not row.parts:
            return
        start, end = row.parts[0][0], row.parts[-1][1]
        text = " ".join(self.doc.text[s:e].strip() for s, e in row.parts)
        if row.answer is None:
            self.warnings.append(Warning(code="checklist_unanswered", message=f"checklist row {text!r:.80} has "
                                         "no Yes, No, Partial or N/A", span=make_span(self.doc, start, end)))
            return
        question = make_field(self.doc, " ".join(text.split()), start, end, "evidence_table.checklist_question")
        self.inspection.checklist.append(construct(
            ChecklistAnswer, key_question=row.key_question, topic=row.topic, question=question, answer=row.answer,
            span=make_span(self.doc, start, max(end, row.answer.span.end if row.answer.span else end))))


def read_evidence_table(doc: Document) -> InspectionRead:
    """Read a GP practice's inspection evidence table (see the module docstring).

    Raises:
        UnsupportedReportFamily: when the text has the title but no rating or inspection date.
    """
    p = _patterns()
    r = _Reading(doc)
    blocks = doc.blocks
    start = r.first = next((i + 1 for i, b in enumerate(blocks) if p.title.fullmatch(doc.folded, b.start, b.end)), 0)
    for i in range(start, len(blocks)):
        if i in r.read_lines:
            continue
        b = blocks[i]
        if _cover_line(r, i) or _rated_line(r, i):
            r.read_lines.add(i)
            continue
        head = p.head.fullmatch(doc.folded, b.start, b.end)
        if head is not None:
            if r.row is not None and r.row.answer is None and r.row.parts == [(blocks[i - 1].start, blocks[i - 1].end)]:
                r.row = None  # the line above, read as a statement, is this checklist's title
            r.close_row()
            r.in_checklist = True
            topic = _topic(r, i, head)
            r.row = _Row(_current_kq(r), topic, [])  # an empty row: the first line starts it
            continue
        if p.explanation.fullmatch(doc.folded, b.start, b.end):
            r.close_row()
            r.in_checklist = False
            continue
        if r.in_checklist:
            _row_line(r, i)
        elif b.kind in ("paragraph", "list_item"):
            r.prose(i)
    r.close_row()
    return _finish(r)


def _cover_line(r: _Reading, i: int) -> bool:
    """The name, the dates and the overall rating, each read once."""
    p, doc, b = _patterns(), r.doc, r.doc.blocks[i]
    ins, loc = r.inspection, r.location
    if not ins.visit_dates and (m := p.inspection_date.match(doc.folded, b.start, b.end)):
        ins.visit_dates = visit_dates(doc, m.end(), b.end, r.warnings, "evidence_table.inspection")
        return True
    if ins.data_download_date is None and (m := p.data_download.match(doc.folded, b.start, b.end)):
        found = DATE_RE.search(doc.folded, m.end(), b.end)
        if found is not None:
            ins.data_download_date = date_field(doc, found, 0, 0, "evidence_table.data_download", r.warnings)
        return True
    if loc.overall_rating is None and (m := p.overall.fullmatch(doc.folded, b.start, b.end)):
        loc.overall_rating = _rating(doc, m, "evidence_table.overall_rating")
        return True
    if i == r.first and (m := p.name.fullmatch(doc.folded, b.start, b.end)):
        loc.name = make_field(doc, doc.text[m.start("name"):m.end("name")], m.start("name"), m.end("name"),
                              "evidence_table.name")
        r.location_id = m["id"]
        return True
    return False


def _rated_line(r: _Reading, i: int) -> bool:
    """A key question's line or a population group's, with its rating on it or on the next line."""
    p, doc, b = _patterns(), r.doc, r.doc.blocks[i]
    for pattern, below in ((p.key_question, p.rating_line), (p.group, p.group_rating_line)):
        m = pattern.fullmatch(doc.folded, b.start, b.end)
        if m is None:
            continue
        rated = m if m["rating"] else None
        if rated is None and i + 1 < len(doc.blocks):
            nb = doc.blocks[i + 1]
            rated = below.fullmatch(doc.folded, nb.start, nb.end)
            if rated is not None:
                r.read_lines.add(i + 1)
        if rated is None:
            return False
        r.close_row()
        r.in_checklist = False
        rating = _rating(doc, rated, "evidence_table.rating")
        if pattern is p.key_question:
            found = tx.key_question(m["kq"])
            if found is None:
                return False
            name = make_field(doc, found.name, m.start("kq"), m.end("kq"), "evidence_table.key_question")
            r.kqs.append((KeyQuestion(name=name, rating=rating, span=make_span(doc, b.start, b.end)), [], i))
        else:
            group = p.group_of[tx.match_key(m["group"])]
            if group not in r.groups:
                r.groups[group] = construct(PopulationGroup, name=make_field(
                    doc, group, m.start("group"), m.end("group"), "evidence_table.population_group"), rating=rating)
        return True
    return False


def _rating(doc: Document, m: re.Match[str], rule: str) -> Field[str]:
    return make_field(doc, str(tx.rating(m["rating"])), m.start("rating"), m.end("rating"), rule)


def _current_kq(r: _Reading) -> str | None:
    return r.kqs[-1][0].name.value if r.kqs else None


def _topic(r: _Reading, i: int, head: re.Match[str]) -> Field[str] | None:
    """A checklist's title: before "Y/N/Partial" on its line, or the heading line just above."""
    doc, topic = r.doc, head["topic"]
    if topic and (". " in topic or topic.rstrip().endswith(_SENTENCE_END)):
        return None  # prose before the head, run onto its line
    if topic:
        return make_field(doc, doc.text[head.start("topic"):head.end("topic")], head.start("topic"),
                          head.end("topic"), "evidence_table.checklist_topic")
    above = doc.blocks[i - 1] if i > 0 and i - 1 not in r.read_lines else None
    if above is not None and above.kind == "heading" and not above.text.rstrip().endswith(_SENTENCE_END):
        return make_field(doc, above.text.strip(), above.start, above.end, "evidence_table.checklist_topic")
    return None


def _row_line(r: _Reading, i: int) -> None:
    """One line of a checklist: a row's statement, its answer, or both."""
    doc, b = r.doc, r.doc.blocks[i]
    m = _patterns().row.fullmatch(doc.folded, b.start, b.end)
    row = r.row
    if m is None:  # a statement's line, without its answer
        if row is not None and row.parts and row.answer is not None and not b.text[:1].islower():
            r.close_row()  # an answered row goes on only on a line in lower case ("communicated to staff.")
            row = None
        if row is None:
            row = r.row = _Row(_current_kq(r), _last_topic(r), [])
        row.parts.append((b.start, b.end))
        return
    answer = make_field(doc, _patterns().answer_of[tx.match_key(m["answer"])], m.start("answer"), m.end("answer"),
                        "evidence_table.checklist_answer")
    question = (m.start("question"), m.end("question")) if m["question"] else None
    if row is not None and row.parts and row.answer is None:  # the answer of the statement above
        if question is not None:
            row.parts.append(question)
        row.answer = answer
        return
    if question is None:
        r.warnings.append(Warning(code="checklist_unanswered", message=f"checklist answer {answer.value!r} with "
                                  "no statement before it", span=answer.span))
        return
    topic = row.topic if row is not None else _last_topic(r)
    r.close_row()
    r.row = _Row(_current_kq(r), topic, [question], answer)


def _last_topic(r: _Reading) -> Field[str] | None:
    """The topic of the checklist the reading is in: that of its last row."""
    if r.row is not None:
        return r.row.topic
    last = r.inspection.checklist[-1] if r.inspection.checklist else None
    return last.topic if last is not None and last.key_question == _current_kq(r) else None


def _finish(r: _Reading) -> InspectionRead:
    doc, ins, loc = r.doc, r.inspection, r.location
    kqs = []
    for n, (kq, prose, line) in enumerate(r.kqs):
        kq.summary = paragraphs(doc, prose)
        last = r.kqs[n + 1][2] - 1 if n + 1 < len(r.kqs) else len(doc.blocks) - 1  # up to the next key question
        kq.span = make_span(doc, kq.span.start, doc.blocks[max(last, line)].end)
        kqs.append(kq)
    ins.summary = paragraphs(doc, r.summary)
    ins.population_groups = list(r.groups.values())
    if not (kqs or ins.visit_dates or loc.overall_rating):
        raise UnsupportedReportFamily("an inspection evidence table, but no rating or inspection date was found "
                                      "in it", source_id=doc.source_id)
    if r.summary:
        ins.rating_statements = read_statements(doc, doc.blocks[r.summary[0]].start, doc.blocks[r.summary[-1]].end,
                                                loc.name.value if loc.name else None)
    r.warnings.extend(check_statements(ins.rating_statements, loc, kqs))
    r.warnings.extend(check_rating_principles(loc.overall_rating, [k.rating for k in kqs if k.rating is not None], 0))
    return InspectionRead(loc, ins, kqs, r.warnings, location_id=r.location_id)
