"""Regulation breaches as the action and enforcement tables of inspection reports print them.

"Regulation 12 HSCA RA Regulations 2014 Safe care and treatment" (the fundamental standards,
rating era) or "Regulation 22 HSCA 2008 (Regulated Activities) Regulations 2010 Staffing" (the
essential standards era): the regulation's number, the Regulations it belongs to, and its name
when printed after the year.
"""

from __future__ import annotations

import re

from extractor.document import Document
from extractor.spans import make_field, make_span
from models import Breach, construct

__all__ = ["read_breach", "link_mentions"]

_BREACH = re.compile(
    r"Regulation\s+(?P<number>\d{1,2}[A-Z]?)(?:\s*\(\s*(?:\d+|[a-z])\s*\))*\s+(?:of\s+the\s+)?"
    r"(?:HSCA|Health and Social Care Act)(?:\s+2008)?\s*(?:\(?RA\)?\s*)?(?:\(Regulated Activities\)\s*)?"
    r"Regulations\s+(?P<year>2010|2014)\b[\s:,-]*(?P<name>[^\n]*?)[\s.;,]*$", re.I)


# A sentence of the prose that names regulations breached: "This was a breach of Regulation 12
# (Safe care and treatment) ...", "These were breaches of Regulations 12 and 17".
_MENTION = re.compile(r"\bbreach(?:es)?\s+of\s+regulations?\s+(?P<numbers>\d{1,2}[A-Z]?"
                      r"(?:\s*(?:,|and|,\s*and)\s*\d{1,2}[A-Z]?\b)*)", re.I)
_NUMBER = re.compile(r"\d{1,2}[A-Z]?", re.I)


def link_mentions(doc: Document, breaches: list[Breach], key_question: str, start: int, end: int) -> None:
    """Add ``key_question`` to each breach that ``doc.text[start:end]`` (the key question's section)
    says was breached, once, pointing at the first mention of its number."""
    for m in _MENTION.finditer(doc.folded, start, end):
        for n in _NUMBER.finditer(m["numbers"]):
            number, at = n.group().upper(), m.start("numbers") + n.start()
            for breach in breaches:
                if breach.regulation.value == number and all(k.value != key_question for k in breach.key_questions):
                    breach.key_questions.append(
                        make_field(doc, key_question, at, at + len(number), "breach.section_mention"))


def read_breach(doc: Document, start: int, end: int, section: str) -> Breach | None:
    """The breach printed in ``doc.text[start:end]`` (one table line), or None.

    ``section`` is "action" or "enforcement": the table the line stands in.
    """
    m = _BREACH.search(doc.folded, start, end)
    if m is None:
        return None
    name = None
    if m["name"]:
        name = make_field(doc, doc.text[m.start("name"):m.end("name")], m.start("name"), m.end("name"),
                          "breach.name")
    return construct(
        Breach,
        regulation=make_field(doc, m["number"].upper(), m.start("number"), m.end("number"), "breach.regulation"),
        regulations=m["year"], name=name, section=section, span=make_span(doc, m.start(), m.end()))
