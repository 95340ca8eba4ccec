"""Evidence categories of sentences, chosen by cue rules kept as data (``nlp_categories.yaml``).

A sentence gets one of CQC's six evidence categories, or "unclassified" when no cue fires, and
the record keeps the cue that decided (``"staff_reported: Managers told us"``) so a reader can
check the choice. Two kinds of cue exist:

* *reported*: a speaker followed closely by a reporting verb ("Relatives we spoke with told us").
  Each verb is paired with the nearest speaker before it, whichever cue that speaker belongs to,
  so in "Staff supported people who said ..." the people said it, not the staff.
* *phrases*: words anywhere in the sentence ("we observed", "policy", "audit*").
* *quantity*: a percentage or fraction in a sentence no stronger cue claims (outcome data).

The cue with the lowest priority decides; ties go to the cue found first.

>>> categorise("Managers told us this change meant a difference in staff skill mix.")
('Feedback from staff and leaders', 'staff_reported: Managers told us')
>>> categorise("The service displayed posters with information on the provider.")
('Observation', 'we_observed: displayed')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from extractor.document import fold
from extractor.nlp.data import Cue, category_rules, entity_rules
from extractor.nlp.numbers import find_quantities

__all__ = ["categorise", "UNCLASSIFIED"]

UNCLASSIFIED = "unclassified"


def _phrase_regex(phrases: list[str], *, possessive: bool = True) -> str:
    """One alternation of ``phrases`` at word boundaries (longest first).

    With ``possessive`` a phrase may be followed by "'s" ("feedback from people's surveys");
    speakers are matched without it, since "people's care plans" names no speaker.
    """
    parts = []
    for p in sorted(phrases, key=len, reverse=True):
        p = fold(p).lower()
        body = re.escape(p.rstrip("*")).replace(r"\ ", r"\s+")
        parts.append(body + (r"\w*" if p.endswith("*") else ""))
    end = r"(?!\w)" if possessive else r"(?![\w'])"
    return r"(?<![\w'])(?:" + "|".join(parts) + r")" + end


@dataclass(frozen=True)
class _Compiled:
    subjects: re.Pattern[str]
    subject_cue: dict[str, Cue]  # folded subject -> its cue
    verbs: dict[str, re.Pattern[str]]  # cue id -> verbs of that cue
    phrases: list[tuple[Cue, re.Pattern[str]]]
    quantities: list[Cue]
    max_gap: int


@lru_cache(maxsize=1)
def _compiled() -> _Compiled:
    rules = category_rules()
    subject_cue: dict[str, Cue] = {}
    verbs: dict[str, re.Pattern[str]] = {}
    phrases = []
    quantities = []
    role_cues = [cue for cue in rules.cues if cue.roles_as_subjects]
    for cue in rules.cues:
        if cue.kind == "quantity":
            quantities.append(cue)
        elif cue.kind == "reported":
            for s in cue.subjects:
                subject_cue.setdefault(fold(s).lower(), cue)
            words = [v for name in cue.verb_sets for v in rules.verb_sets[name]]
            verbs[cue.id] = re.compile(_phrase_regex(words))
        else:
            phrases.append((cue, re.compile(_phrase_regex(cue.phrases))))
    # Role titles of the entity rules ("clinical lead", "head of midwifery") speak for the cue that
    # asks for them, after every subject listed explicitly (an advocate is a partner, not staff).
    for cue in role_cues:
        for term in _role_terms():
            subject_cue.setdefault(fold(term).lower(), cue)
    subjects = re.compile(r"(?<![\w'])(?:the\s+|a\s+|an\s+|one\s+|some\s+|most\s+|many\s+|all\s+)?(?P<s>"
                          + _phrase_regex(list(subject_cue), possessive=False)[len(r"(?<![\w'])"):] + ")")
    return _Compiled(subjects, subject_cue, verbs, phrases, quantities, rules.max_gap_words)


def _role_terms() -> list[str]:
    rules = entity_rules()
    return [t for r in rules.phrases if r.label == "ROLE" for t in r.terms if not t.isupper()]


def _subject_key(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower())


def _reported(lower: str) -> list[tuple[int, int, Cue, int, int]]:
    """(priority, position, cue, start, end) for each speaker-verb pair in the sentence."""
    c = _compiled()
    speakers = [(m.start(), m.end(), c.subject_cue[_subject_key(m.group("s"))])
                for m in c.subjects.finditer(lower)]
    out = []
    for i, (s_start, s_end, cue) in enumerate(speakers):
        next_start = speakers[i + 1][0] if i + 1 < len(speakers) else len(lower)
        verb = c.verbs[cue.id].search(lower, s_end, next_start)
        if verb is None:
            continue
        gap = len(re.findall(r"[\w'-]+", lower[s_end:verb.start()]))
        if gap <= c.max_gap:
            out.append((cue.priority, s_start, cue, s_start, verb.end()))
    return out


def categorise(sentence: str) -> tuple[str, str | None]:
    """The evidence category of one sentence and the cue that decided it.

    Returns:
        ``(category, cue)`` where cue reads ``"<cue id>: <matched text>"``, or
        ``("unclassified", None)`` when no cue fires.
    """
    lower = fold(sentence).lower()
    found = _reported(lower)
    for cue, pattern in _compiled().phrases:
        m = pattern.search(lower)
        if m:
            found.append((cue.priority, m.start(), cue, m.start(), m.end()))
    best = min((f[0] for f in found), default=None)
    for cue in _compiled().quantities:
        if best is not None and best <= cue.priority:
            continue  # a stronger cue already decides; skip the quantity search
        q = next((q for q in find_quantities(sentence) if q.kind in cue.quantity_kinds), None)
        if q is not None:
            found.append((cue.priority, q.start, cue, q.start, q.end))
    if not found:
        return UNCLASSIFIED, None
    _, _, cue, start, end = min(found, key=lambda f: (f[0], f[1]))
    return cue.category, f"{cue.id}: {sentence[start:end]}"
