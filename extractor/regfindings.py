"""Key-question findings of rating-era reports on services CQC does not rate.

Primary dental care, and independent health services before CQC rated them, were inspected
against the five key questions from 2015 without ratings. Their reports say, for each key
question asked, whether the service met the regulations::

    We found that this practice was not providing well-led care in accordance with the
    relevant regulations.

and, beside the question in the summary, the action CQC took ("Are services safe?  No action",
"Requirements notice", "Enforcement action"; :mod:`extractor.inspection` reads those lines). A
key question's judgement ("Regulations met" or "Not all regulations met", the words a record
gives services CQC does not rate) comes from its first such sentence; where no sentence states
one, from its action ("No action": met; any other: not all met). A later sentence that says
otherwise, or an action that does not fit the sentence, is a ``judgement_mismatch`` warning; the
first sentence is kept. The words are data (``inspection.yaml``: ``finding``, ``actions``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from extractor import taxonomy as tx
from extractor.document import Document, fold
from extractor.spans import make_field, make_span
from models import Field, Warning

__all__ = ["Finding", "read_findings", "judgements", "NO_ACTION"]

NO_ACTION = "No action"
_MARKER = "relevant regulations"  # every finding ends so: a text without it is not read


@dataclass(frozen=True)
class Finding:
    key_question: str
    met: bool
    start: int  # the clause, "this practice was ... relevant regulations"
    end: int


@dataclass(frozen=True)
class _Grammar:
    finding: re.Pattern[str]
    key_question_of: dict[str, str]


@lru_cache(maxsize=1)
def _grammar() -> _Grammar:
    data = tx.load_yaml("inspection.yaml")
    key_question_of = {tx.match_key(w): name for name, words in data["key_questions"].items() for w in words}
    words = sorted({w for ws in data["key_questions"].values() for w in ws}, key=len, reverse=True)
    slots = {
        "{this}": "(?:this|the)",
        "{subject}": f"(?:{tx.phrases_pattern(data['finding_subjects'])})",
        "{kq}": f"(?P<kq>{tx.phrases_pattern(words)})",
        "{what}": f"(?:{tx.phrases_pattern(data['finding_objects'])})",
    }
    pattern = ""
    for token in data["finding"].split():
        if token == "{not}":  # optional, with the space after it
            pattern += r"\s+(?:(?P<not>not)\s+)?"
            continue
        gap = "" if not pattern or pattern.endswith("?") else r"\s+"
        pattern += gap + slots.get(token, re.escape(fold(token)))
    return _Grammar(re.compile(r"\b" + pattern, re.I), key_question_of)


def read_findings(doc: Document, start: int = 0, end: int | None = None) -> list[Finding]:
    """Every finding sentence in ``doc.text[start:end]``, in page order."""
    end = len(doc.folded) if end is None else end
    if _MARKER not in doc.folded[start:end].lower():
        return []
    g = _grammar()
    return [Finding(g.key_question_of[tx.match_key(m["kq"])], m["not"] is None, m.start(), m.end())
            for m in g.finding.finditer(doc.folded, start, end)]


def judgements(doc: Document, findings: list[Finding], actions: dict[str, Field[str]],
               asked: list[str]) -> tuple[dict[str, Field[str]], list[Warning]]:
    """The judgement of each key question in ``asked`` that a finding or an action gives, and
    the warnings where they disagree (see the module docstring)."""
    met, not_met = tx.non_rated_judgements()
    out: dict[str, Field[str]] = {}
    warnings: list[Warning] = []
    first: dict[str, Finding] = {}
    for f in findings:
        if f.key_question not in first:
            first[f.key_question] = f
            out[f.key_question] = make_field(doc, met if f.met else not_met, f.start, f.end, "inspection.finding")
        elif f.met != first[f.key_question].met:
            warnings.append(_mismatch(doc, f"{f.key_question}: one finding says the regulations were "
                                      f"{'' if first[f.key_question].met else 'not '}met, a later one "
                                      f"that they were{'' if f.met else ' not'}", f.start, f.end))
    for kq in asked:
        action = actions.get(kq)
        if action is None or action.span is None:
            continue
        fits = action.value == NO_ACTION
        if kq not in out:
            out[kq] = make_field(doc, met if fits else not_met, action.span.start, action.span.end,
                                 "inspection.action_judgement")
        elif (out[kq].value == met) != fits:
            warnings.append(_mismatch(doc, f"{kq}: the action is {action.value!r}, but the finding says the "
                                      f"regulations were{'' if out[kq].value == met else ' not'} met",
                                      action.span.start, action.span.end))
    return out, warnings


def _mismatch(doc: Document, message: str, start: int, end: int) -> Warning:
    return Warning(code="judgement_mismatch", message=message, span=make_span(doc, start, end))
