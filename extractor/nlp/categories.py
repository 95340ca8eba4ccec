"""Evidence categories of sentences, chosen by cue rules kept as data (``nlp_categories.yaml``).

A sentence gets one of CQC's six evidence categories, or "unclassified" when no cue fires, and
the record keeps the cue that decided (``"staff_reported: Managers told us"``) so a reader can
check the choice. Three kinds of cue exist:

* *reported*: a speaker followed closely by a reporting verb ("Relatives we spoke with told us").
  Each verb goes with the speaker noun phrase just before it, so in "Staff supported people who
  said ..." the people said it, not the staff. A noun phrase can hold several speaker words: a
  partner word in it ("a *visiting* nurse", "a pharmacist from the *local* team", "staff at
  *Northgate Hospital*") makes a staff speaker a partner, while people ("people supported by the
  team") stay people. Passives and infinitives ("concerns were raised", "signed to say") are not
  reports, nor is a verb joined by a bare "and" to a speaker that is its object ("named the lead
  and explained"), nor a speaker after "of" that is not a quantity ("the selection of staff").
* *phrases*: words anywhere in the sentence ("we observed", "policy", "audit*"). Phrases are
  templates: ``{cue_id}`` stands for any speaker of that reported cue ("feedback from
  {partners_reported}"), ``{w}`` for one word, ``{w?}`` for an optional word, ``{n}`` for a
  number, ``word*`` for any ending and a final ``!word`` for "not followed by word".
* *quantity*: a percentage or fraction in a sentence no stronger cue claims (outcome data).

Where two cue matches overlap, the one that starts first (then the longer) stands for that stretch
of text: "mortality reviews" is a process, not the outcome word "mortality"; "the proportion of
people who said" is a measure, not people's feedback. Of what remains, the cue with the lowest
priority decides; ties go to the cue found first.

Speed: the pipeline categorises every sentence, so each kind of cue is one compiled regex built
as a trie (shared prefixes factored out), the phrases of all cues share one scan, and the
quantity search only runs on sentences with a digit or number word.

>>> categorise("Managers told us this change meant a difference in staff skill mix.")
('Feedback from staff and leaders', 'staff_reported: Managers told us')
>>> categorise("The service displayed posters with information on the provider.")
('Observation', 'environment_seen: displayed')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from extractor.document import fold
from extractor.errors import TaxonomyError
from extractor.nlp.data import EVIDENCE_CATEGORIES, Cue, category_rules, entity_rules, value_words
from extractor.nlp.numbers import find_quantities

__all__ = ["categorise", "UNCLASSIFIED"]

UNCLASSIFIED = "unclassified"

PEOPLE, PARTNERS = EVIDENCE_CATEGORIES[0], EVIDENCE_CATEGORIES[2]

# Grammar, not vocabulary: these closed word classes decide how words attach, whatever the cue
# lists hold, so they live here rather than in the data file.
_WORD = r"[\w'-]+"
_DETERMINER = r"(?:(?:the|a|an|one|some|most|many|all|several|other|their|our|its)\s+)?"
# Words that may stand between two speaker words of one noun phrase ("a pharmacist from the local
# team", "people supported by the team"); the gap must end on a preposition or determiner, so a
# verb and its object ("staff supported people") never join.
_PHRASE_WORDS = frozenset({"from", "at", "of", "in", "on", "with", "for", "by", "to", "the", "a",
                           "an", "and", "their", "its", "our", "his", "her", "who", "use", "used",
                           "using", "living", "receiving", "supported", "cared", "looked", "after",
                           "attending", "working"})
_PHRASE_ENDS = frozenset({"from", "at", "of", "in", "on", "with", "for", "by", "the", "a", "an",
                          "and", "their", "its", "our", "his", "her"})
# After a partner word, up to this many other words may precede the head ("the local medicines
# optimisation team"), unless one ends in -ed (then it is a verb: "commissioners supported staff").
_MODIFIER_WORDS = 2
# An adverb inside a multi-word verb: "were overwhelmingly positive", "spoke very highly of".
_ADVERB = r"(?:\w+ly|very|all|also|not|so|still|always|often|more|less)"
# A verb after these is passive or an infinitive, not someone's account: "were raised", "to say".
_NOT_REPORTING = r"(?<!\bto )(?<!\bwas )(?<!\bwere )(?<!\bbeen )(?<!\bbeing )(?<!\bis )(?<!\bare )(?<!\bbe )"
# A speaker word after "of" is a complement ("a policy on the selection of staff stated"), unless
# "of" follows a quantity ("most of the staff said", "two of the relatives", "80% of staff").
_OF_BEFORE = re.compile(r"([\w%'-]+)\s+of\s+$")
_QUANTIFIERS = frozenset({"most", "some", "all", "many", "none", "several", "few", "each", "both",
                          "any", "majority", "minority", "number", "proportion", "rest", "remainder",
                          "either", "neither", "percent", "cent"})
# A speaker followed by "from" or "at" and a capitalised name comes from a named organisation.
_NAMED_ORIGIN = re.compile(r"\s+(?:from|at)\s+(?:the\s+)?[A-Z]")
_SLOT = re.compile(r"\{(\w+)(\?)?\}(\S*)")


class _Match(NamedTuple):
    priority: int
    start: int
    end: int
    cue: Cue


class _Mention(NamedTuple):
    start: int
    end: int
    cue: Cue


@dataclass(frozen=True)
class _Compiled:
    speakers: re.Pattern[str]  # every subject of every reported cue, the subject in group "s"
    speaker_cue: dict[str, Cue]  # folded subject -> its cue
    verbs: dict[str, re.Pattern[str]]  # cue id -> verbs of that cue
    phrases: re.Pattern[str]  # every phrase of every phrase cue; the group that ends a match names its cue
    phrase_cue: dict[str, Cue]  # group name -> cue
    quantities: list[Cue]
    has_number: re.Pattern[str]  # a digit or number word: worth running the quantity search
    quantity_word: re.Pattern[str]  # "two", "80%", "three-quarters"
    partners: Cue  # the reported cue of partners, for speakers from named organisations
    max_gap: int


# --- compiling the data file -------------------------------------------------------------------


def _number_regex(*, fractions: bool = False) -> str:
    """Numbers in digits or words; with ``fractions`` also "half", "three-quarters"."""
    words = value_words()
    units = "|".join(sorted(words.units, key=len, reverse=True))
    tens = "|".join(sorted(words.tens, key=len, reverse=True))
    number = rf"(?:\d[\d,.]*%?|(?:{tens})(?:-(?:{units}))?|{units})"
    if not fractions:
        return number
    parts = "|".join(sorted(words.fractions, key=len, reverse=True))
    return rf"(?:{number}|{parts})(?:-(?:{number}|{parts}))*"


def _invalid(message: str) -> TaxonomyError:
    return TaxonomyError(f"data file nlp_categories.yaml is invalid: {message}")


def _units(phrase: str, slots: dict[str, str], *, verb: bool = False) -> list[str]:
    """One phrase template as a sequence of regex units (see the module docstring for the syntax).

    Literal words become one unit per character, so that :func:`_trie` can share prefixes.
    """
    units: list[str] = []
    words = 0
    for token in fold(phrase).lower().split():
        if token.startswith("!"):
            units.append(rf"(?!\s+{re.escape(token[1:])}(?!\w))")
            continue
        space = r"\s+" + (rf"(?:{_ADVERB}\s+)?" if verb and words == 1 else "")
        slot = _SLOT.fullmatch(token)
        if slot:
            name, optional, suffix = slot.group(1), bool(slot.group(2)), slot.group(3)
            if name not in slots:
                raise _invalid(f"unknown slot {{{name}}} in {phrase!r}")
            body = f"(?:{slots[name]}){re.escape(suffix)}"
            if optional:
                units.append(f"(?:{space}{body})?" if words else rf"(?:{body}\s+)?")
                continue
            units += [space, body] if words else [body]
        else:
            units += [space] if words else []
            units += [re.escape(ch) for ch in token.rstrip("*")]
            units += [r"\w*"] if token.endswith("*") else []
        words += 1
    if not words:
        raise _invalid(f"empty phrase {phrase!r}")
    return units


def _trie(sequences: list[list[str]]) -> str:
    """One regex matching any of the unit sequences, with shared prefixes factored out.

    Python's ``re`` tries the branches of an alternation one by one at every position; a trie
    makes that one branch per distinct next unit. Longer continuations are tried first, so the
    longest phrase at a position wins, as in a longest-first alternation.
    """
    root: dict[str, dict] = {}  # type: ignore[type-arg]
    for seq in sequences:
        node = root
        for unit in seq:
            node = node.setdefault(unit, {})
        node[""] = {}  # a phrase ends here

    def emit(node: dict) -> tuple[str, int]:  # type: ignore[type-arg]
        """The regex below ``node`` and the length of its longest continuation."""
        branches = sorted(((unit + body, depth + 1) for unit, child in node.items() if unit
                           for body, depth in [emit(child)]), key=lambda b: -b[1])
        if not branches:
            return "", 0
        body = branches[0][0] if len(branches) == 1 else "(?:" + "|".join(b for b, _ in branches) + ")"
        return (f"(?:{body})?" if "" in node else body), branches[0][1]

    return "(?:" + emit(root)[0] + ")"


def _role_terms() -> list[str]:
    rules = entity_rules()
    return [t for r in rules.phrases if r.label == "ROLE" for t in r.terms if not t.isupper()]


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", fold(text).lower())


@lru_cache(maxsize=1)
def _compiled() -> _Compiled:
    rules = category_rules()
    basic = {"w": _WORD, "n": _number_regex()}
    reported = [cue for cue in rules.cues if cue.kind == "reported"]
    partners = next((c for c in reported if c.category == PARTNERS), None)
    if partners is None:
        raise _invalid("no reported cue for partners")
    # Subjects are literal words. ROLE titles of the entity rules ("clinical lead") join the cue
    # that asks for them, after every subject listed explicitly (an advocate is a partner).
    speaker_cue: dict[str, Cue] = {}
    for cue in reported:
        for s in cue.subjects:
            if _SLOT.search(s) or "*" in s:
                raise _invalid(f"subject {s!r} of cue {cue.id}: subjects are literal words")
            speaker_cue.setdefault(_key(s), cue)
    for cue in (c for c in reported if c.roles_as_subjects):
        for term in _role_terms():
            speaker_cue.setdefault(_key(term), cue)
    slots = dict(basic)
    for cue in reported:
        own = [s for s, c in speaker_cue.items() if c is cue]
        slots[cue.id] = _DETERMINER + _trie([_units(s, basic) for s in own])
    every_subject = _trie([_units(s, basic) for s in speaker_cue])
    speakers = re.compile(r"(?<![\w'])" + _DETERMINER + "(?P<s>" + every_subject + r")(?![\w'])")
    verbs = {cue.id: re.compile(r"(?<![\w'])" + _NOT_REPORTING
                                + _trie([_units(v, basic, verb=True)
                                         for name in cue.verb_sets for v in rules.verb_sets[name]])
                                + r"(?!\w)")
             for cue in reported}
    # All phrase cues in one trie; an empty group at the end of each phrase names its cue. A
    # phrase that starts with a speaker slot is spelt out once per subject, so that it joins the
    # character trie instead of trying every subject at every word.
    subjects = {cue.id: [s for s, c in speaker_cue.items() if c is cue] for cue in reported}
    sequences: list[list[str]] = []
    phrase_cue: dict[str, Cue] = {}
    for i, cue in enumerate(c for c in rules.cues if c.kind == "phrases"):
        phrase_cue[f"c{i}"] = cue
        for phrase in cue.phrases:
            lead = _SLOT.match(phrase)
            spelt = ([s + lead.group(3) + phrase[lead.end():] for s in subjects[lead.group(1)]]
                     if lead and lead.group(1) in subjects and not lead.group(2) else [phrase])
            for p in spelt:
                sequences.append([*_units(p, slots), f"(?P<c{i}_{len(sequences)}>)"])
    phrases = re.compile(r"(?<![\w'])" + _trie(sequences) + r"(?!\w)")
    words = value_words()
    number_words = [*words.units, *words.tens, *words.fractions, *words.percent_words]
    has_number = re.compile(r"\d|%|\b(?:" + "|".join(map(re.escape, number_words)) + r")", re.IGNORECASE)
    return _Compiled(speakers, speaker_cue, verbs, phrases, phrase_cue,
                     [c for c in rules.cues if c.kind == "quantity"], has_number,
                     re.compile(_number_regex(fractions=True)), partners, rules.max_gap_words)


# --- matching ----------------------------------------------------------------------------------


def _mentions(lower: str) -> list[_Mention]:
    """Speaker words in the sentence, in order (the longest where several start together)."""
    c = _compiled()
    return [_Mention(m.start(), m.end(), c.speaker_cue[_key(m.group("s"))])
            for m in c.speakers.finditer(lower)]


def _joined(lower: str, left: _Mention, right: _Mention) -> bool:
    """Whether two speaker words belong to one noun phrase."""
    gap = lower[left.end:right.start]
    if re.search(r"[^\w\s'-]", gap):
        return False
    words = re.findall(_WORD, gap)
    if not words:
        return True
    if all(w in _PHRASE_WORDS for w in words) and words[-1] in _PHRASE_ENDS:
        return True
    others = [w for w in words if w not in _PHRASE_WORDS]
    return (left.cue.category == PARTNERS and len(others) <= _MODIFIER_WORDS
            and not any(w.endswith("ed") for w in others))


def _complement(lower: str, start: int) -> bool:
    """Whether the speaker phrase starting at ``start`` is the complement of "of"."""
    m = _OF_BEFORE.search(lower, max(0, start - 40), start)
    if m is None:
        return False
    word = m.group(1)
    return word not in _QUANTIFIERS and not _compiled().quantity_word.fullmatch(word)


def _speaker_cue(sentence: str, phrase: list[_Mention]) -> Cue:
    """The cue a noun phrase of speaker words speaks for (see the module docstring)."""
    head = phrase[0].cue
    if head.category == PEOPLE:
        return head
    partner = next((m.cue for m in phrase if m.cue.category == PARTNERS), None)
    if partner is None and _NAMED_ORIGIN.match(sentence, phrase[-1].end):
        partner = _compiled().partners
    return partner or head


def _reported(sentence: str, lower: str) -> list[_Match]:
    """One match per speaker phrase followed closely by a verb its cue accepts."""
    c = _compiled()
    mentions = _mentions(lower)
    out = []
    for i, last in enumerate(mentions):
        first = i
        while first > 0 and _joined(lower, mentions[first - 1], mentions[first]):
            first -= 1
        if _complement(lower, mentions[first].start):
            continue
        cue = _speaker_cue(sentence, mentions[first:i + 1])
        limit = mentions[i + 1].start if i + 1 < len(mentions) else len(lower)
        verb = c.verbs[cue.id].search(lower, last.end, limit)
        if verb is None:
            continue
        gap = re.findall(_WORD, lower[last.end:verb.start()])
        if gap == ["and"]:
            continue  # "... named the safeguarding lead and explained": the lead is an object
        if len(gap) <= c.max_gap:
            out.append(_Match(cue.priority, mentions[first].start, verb.end(), cue))
    return out


def _phrases(lower: str) -> list[_Match]:
    """Phrase matches, left to right, the longest where several start together."""
    c = _compiled()
    out = []
    for m in c.phrases.finditer(lower):
        cue = c.phrase_cue[str(m.lastgroup).split("_")[0]]
        out.append(_Match(cue.priority, m.start(), m.end(), cue))
    return out


def _outermost(matches: list[_Match]) -> list[_Match]:
    """Drop every match that overlaps one starting earlier (or at the same place but longer)."""
    kept: list[_Match] = []
    end = -1
    for m in sorted(matches, key=lambda m: (m.start, m.start - m.end)):
        if m.start >= end:
            kept.append(m)
            end = m.end
    return kept


def categorise(sentence: str) -> tuple[str, str | None]:
    """The evidence category of one sentence and the cue that decided it.

    Returns:
        ``(category, cue)`` where cue reads ``"<cue id>: <matched text>"``, or
        ``("unclassified", None)`` when no cue fires.
    """
    c = _compiled()
    lower = fold(sentence).lower()
    found = _outermost(_reported(sentence, lower) + _phrases(lower))
    best = min((f.priority for f in found), default=None)
    for cue in c.quantities:
        if (best is not None and best <= cue.priority) or not c.has_number.search(sentence):
            continue  # a stronger cue already decides, or there is no number to find
        q = next((q for q in find_quantities(sentence) if q.kind in cue.quantity_kinds), None)
        if q is not None:
            found.append(_Match(cue.priority, q.start, q.end, cue))
    if not found:
        return UNCLASSIFIED, None
    decided = min(found, key=lambda f: (f.priority, f.start))
    return decided.cue.category, f"{decided.cue.id}: {sentence[decided.start:decided.end]}"
