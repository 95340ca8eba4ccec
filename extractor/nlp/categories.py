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
as a trie (shared prefixes factored out), and the phrases of all cues share one scan. That scan
uses a copy of the phrase regex without the thousands of empty groups that name the cues (groups
make every attempt dearer); the named regex is then run only where the copy matched, to read the
cue. The quantity search only runs on sentences that no stronger cue decides and that hold a
digit or number word. :func:`extractor.nlp.annotate.annotate` hands over the folded and
lower-cased sentence it already has, and the paragraphs of a document are scanned as one text
(:func:`categorise_paragraphs`).

>>> categorise("Managers told us this change meant a difference in staff skill mix.")
('Feedback from staff and leaders', 'staff_reported: Managers told us')
>>> categorise("The service displayed posters with information on the provider.")
('Observation', 'environment_seen: displayed')
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Iterator, NamedTuple, Sequence, TypeVar

from extractor.document import fold
from extractor.errors import TaxonomyError
from extractor.nlp.data import EVIDENCE_CATEGORIES, Cue, category_rules, entity_rules, value_words
from extractor.nlp.numbers import QuantityMatch, QuantityScan, find_quantities

__all__ = ["categorise", "categorise_sentences", "categorise_paragraphs", "UNCLASSIFIED"]

UNCLASSIFIED = "unclassified"

PEOPLE, PARTNERS = EVIDENCE_CATEGORIES[0], EVIDENCE_CATEGORIES[2]

# Grammar, not vocabulary: these closed word classes decide how words attach, whatever the cue
# lists hold, so they live here rather than in the data file.
_WORD = r"[\w'-]+"
_WORD_CHAR = r"[\w']"  # a speaker or phrase never starts right after one of these
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
_REPORTING_HERE = re.compile(_NOT_REPORTING)
# A speaker word after "of" is a complement ("a policy on the selection of staff stated"), unless
# "of" follows a quantity ("most of the staff said", "two of the relatives", "80% of staff").
_OF_BEFORE = re.compile(r"([\w%'-]+)\s+of\s+$")
_QUANTIFIERS = frozenset({"most", "some", "all", "many", "none", "several", "few", "each", "both",
                          "any", "majority", "minority", "number", "proportion", "rest", "remainder",
                          "either", "neither", "percent", "cent"})
# A speaker followed by "from" or "at" and a capitalised name comes from a named organisation.
_NAMED_ORIGIN = re.compile(r"\s+(?:from|at)\s+(?:the\s+)?[A-Z]")
_T = TypeVar("_T")
_BETWEEN = "\n\n"  # between paragraphs scanned as one text
_MEMO_SIZE = 20_000  # entries per memo; a long batch meets few more distinct phrases than this
_SLOT = re.compile(r"\{(\w+)(\?)?\}(\S*)")
_SPACE = r"\s+"  # between the words of a phrase
_CUE_GROUP = re.compile(r"\(\?P<c\d+_\d+>\)")  # the empty group that ends a phrase and names its cue
_GAP_PUNCTUATION = re.compile(r"[^\w\s'-]")
_WORDS = re.compile(_WORD)
# The ASCII characters a word may start after.
_AFTER = frozenset(chr(i) for i in range(128) if not re.fullmatch(_WORD_CHAR, chr(i)))


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
class _WordScan:
    """A regex whose matches start only where a word may start (not after a word character or
    an apostrophe), scanned fast.

    ``re`` tests a leading look-behind at every character of the text; over ASCII text the same
    matches are found far sooner by looking for one character a match may follow (a set ``re``
    skips to in a tight loop) and starting the match after it, with the match at the very start
    of the text tried on its own.
    """

    anywhere: re.Pattern[str]  # the look-behind and the body: any text
    after: re.Pattern[str]  # one character a match may follow, then the body: ASCII text
    at_start: re.Pattern[str]  # the body alone: a match at the start of ASCII text

    @classmethod
    def compile(cls, body: str) -> "_WordScan":
        after = "".join(re.escape(ch) for ch in sorted(_AFTER))
        return cls(re.compile(f"(?<!{_WORD_CHAR}){body}"), re.compile(f"[{after}]{body}"), re.compile(body))

    def finditer(self, text: str) -> Iterator[tuple[int, re.Match[str]]]:
        """``(start, match)`` of each match ``anywhere.finditer(text)`` gives, in order.

        With ``after``, a match's own start is that of the character before it; the search for the
        next match starts one character before the end of the last, since the look-behind only
        reads that character and a match may start right where another ends.
        """
        if not text.isascii():
            yield from ((m.start(), m) for m in self.anywhere.finditer(text))
            return
        end = 0
        first = self.at_start.match(text)
        if first is not None:
            if first.end() == 0:  # an empty match: leave the stepping to ``re``
                yield from ((m.start(), m) for m in self.anywhere.finditer(text))
                return
            yield 0, first
            end = first.end()
        while True:
            m = self.after.search(text, max(end - 1, 0))
            if m is None:
                return
            if m.end() == m.start() + 1:  # an empty match after the character
                yield from ((x.start(), x) for x in self.anywhere.finditer(text, m.start() + 1))
                return
            yield m.start() + 1, m
            end = m.end()

    def spans(self, text: str) -> list[tuple[int, int, re.Match[str]]]:
        """``(start, end, match)`` of each match :meth:`finditer` gives; read only the text of
        ``match`` and its groups, as its offsets may be one more.

        The same matches in one call of ``re`` where that is safe: over ASCII text with a space
        put before it, every match follows a character of ``after``, and one ``finditer`` call
        steps from match to match. It would miss only a match that starts right where another
        ends on a character of ``after`` (its search goes on after that character, not from
        it); where a match ends so, or is empty, :meth:`finditer` takes over.
        """
        if text.isascii():
            found = [(m.start(), m.end() - 1, m) for m in self.after.finditer(" " + text)]
            if not any(start == end or text[end - 1] in _AFTER for start, end, _ in found):
                return found
        return [(start, m.end(), m) for start, m in self.finditer(text)]


@dataclass(frozen=True)
class _Compiled:
    speakers: _WordScan  # every subject of every reported cue, the subject in group "s"
    speaker_cue: dict[str, Cue]  # folded subject -> its cue
    verbs: dict[str, re.Pattern[str]]  # cue id -> verbs of that cue
    phrases: re.Pattern[str]  # every phrase of every phrase cue; the group that ends a match names its cue
    phrase_scan: _WordScan  # the same without the groups: it matches exactly where ``phrases`` does
    cue_by_text: bool  # no phrase looks past its end ("!word"), so a match's text decides its cue
    phrase_cue: dict[str, Cue]  # group name -> cue
    quantities: list[Cue]
    has_number: re.Pattern[str]  # a digit or number word: worth running the quantity search
    has_number_lower: re.Pattern[str]  # the same for ASCII text already lower-cased, minding case
    quantity_word: re.Pattern[str]  # "two", "80%", "three-quarters"
    partners: Cue  # the reported cue of partners, for speakers from named organisations
    max_gap: int
    # Answers already worked out, per text as matched: speaker word -> cue, phrase -> cue.
    speaker_memo: dict[str, Cue] = field(default_factory=dict)
    phrase_memo: dict[str, Cue | None] = field(default_factory=dict)


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
        space = _SPACE + (rf"(?:{_ADVERB}\s+)?" if verb and words == 1 else "")
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


def _trie(sequences: list[list[str]], single_words: frozenset[str] = frozenset()) -> str:
    """One regex matching any of the unit sequences, with shared prefixes factored out.

    Python's ``re`` tries the branches of an alternation one by one at every position; a trie
    makes that one branch per distinct next unit. Longer continuations are tried first, so the
    longest phrase at a position wins, as in a longest-first alternation.

    ``single_words`` are units that match one word or number and end only where it ends; where
    every continuation after such a unit starts with white space, giving back characters of it
    cannot help a match, so it is made atomic and never given back. That matters for "{w}
    assessments": otherwise every word of every sentence is matched and given back letter by
    letter.
    """
    root: dict[str, dict] = {}  # type: ignore[type-arg]
    for seq in sequences:
        node = root
        for unit in seq:
            node = node.setdefault(unit, {})
        node[""] = {}  # a phrase ends here

    def emit(node: dict) -> tuple[str, int]:  # type: ignore[type-arg]
        """The regex below ``node`` and the length of its longest continuation."""
        branches = sorted(((_atomic(unit, child) + body, depth + 1) for unit, child in node.items() if unit
                           for body, depth in [emit(child)]), key=lambda b: -b[1])
        if not branches:
            return "", 0
        body = branches[0][0] if len(branches) == 1 else "(?:" + "|".join(b for b, _ in branches) + ")"
        return (f"(?:{body})?" if "" in node else body), branches[0][1]

    def _atomic(unit: str, child: dict) -> str:  # type: ignore[type-arg]
        after_space = bool(child) and all(k.startswith(_SPACE) for k in child)
        return f"(?>{unit})" if unit in single_words and after_space else unit

    return "(?:" + emit(root)[0] + ")"


def _role_terms() -> list[str]:
    rules = entity_rules()
    return [t for r in rules.phrases if r.label == "ROLE" for t in r.terms if not t.isupper()]


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", fold(text).lower())


def _compiled(family: str | None = None) -> _Compiled:
    """The compiled rules of a report family (``family_subjects`` of the data file), handed down
    the call chain from :func:`categorise` and :func:`categorise_sentences`."""
    return _compiled_for(family if family in category_rules().family_subjects else None)


def _cues_of(family: str | None) -> list[Cue]:
    """The cues, with the speakers ``family_subjects`` moves for ``family`` moved to their cue."""
    rules = category_rules()
    moves = rules.family_subjects.get(family or "", {})
    if not moves:
        return list(rules.cues)
    moved = {_key(s) for subjects in moves.values() for s in subjects}
    cues = []
    for cue in rules.cues:
        if cue.kind == "reported":
            kept = [s for s in cue.subjects if _key(s) not in moved]
            cue = cue.model_copy(update={"subjects": [*moves.get(cue.id, []), *kept]})
        cues.append(cue)
    return cues


@lru_cache(maxsize=None)
def _compiled_for(family: str | None) -> _Compiled:
    rules = category_rules()
    all_cues = _cues_of(family)
    basic = {"w": _WORD, "n": _number_regex()}
    reported = [cue for cue in all_cues if cue.kind == "reported"]
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
    speakers = _WordScan.compile(_DETERMINER + "(?P<s>" + every_subject + r")(?![\w'])")
    # The passive and infinitive checks are left out of the verb regexes and made where a verb is
    # found (:func:`_verb`): run at every word they cost more than the verbs themselves.
    verbs = {cue.id: re.compile(r"(?<![\w'])"
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
    for i, cue in enumerate(c for c in all_cues if c.kind == "phrases"):
        phrase_cue[f"c{i}"] = cue
        for phrase in cue.phrases:
            lead = _SLOT.match(phrase)
            spelt = ([s + lead.group(3) + phrase[lead.end():] for s in subjects[lead.group(1)]]
                     if lead and lead.group(1) in subjects and not lead.group(2) else [phrase])
            for p in spelt:
                sequences.append([*_units(p, slots), f"(?P<c{i}_{len(sequences)}>)"])
    if any(_CUE_GROUP.search(unit) for seq in sequences for unit in seq[:-1]):
        raise _invalid("a phrase holds text that reads as a cue group")
    # A word or a number as a unit of its own (a slot with nothing after it in the same token).
    single_words = frozenset(f"(?:{basic[name]})" for name in basic)
    phrase_body = _trie(sequences, single_words) + r"(?!\w)"
    phrase_source = f"(?<!{_WORD_CHAR})" + phrase_body
    # The groups are empty and mark nothing the match depends on, so the copy without them
    # matches at the same places with the same extent.
    phrase_scan = _WordScan.compile(_CUE_GROUP.sub("", phrase_body))
    words = value_words()
    number_words = [*words.units, *words.tens, *words.fractions, *words.percent_words]
    number_source = r"\d|%|\b(?:" + "|".join(map(re.escape, number_words)) + r")"
    lower_source = r"\d|%|\b(?:" + "|".join(re.escape(w.lower()) for w in number_words) + r")"
    by_text = not any(token.startswith("!") for cue in all_cues for phrase in cue.phrases
                      for token in phrase.split())
    return _Compiled(speakers, speaker_cue, verbs, re.compile(phrase_source), phrase_scan, by_text,
                     phrase_cue,
                     [c for c in all_cues if c.kind == "quantity"],
                     re.compile(number_source, re.IGNORECASE), re.compile(lower_source),
                     re.compile(_number_regex(fractions=True)), partners, rules.max_gap_words)


# --- matching ----------------------------------------------------------------------------------


def _speaker(c: _Compiled, subject: str) -> Cue:
    """The cue of a speaker word as matched (its spacing may vary)."""
    cue = c.speaker_memo.get(subject)
    if cue is None:
        cue = c.speaker_cue[_key(subject)]
        _remember(c.speaker_memo, subject, cue)
    return cue


def _remember(memo: dict[str, _T], key: str, value: _T) -> None:
    """Store ``value`` in a memo that is emptied when it grows past ``_MEMO_SIZE``."""
    if len(memo) >= _MEMO_SIZE:
        memo.clear()
    memo[key] = value


def _mentions(c: _Compiled, lower: str) -> list[_Mention]:
    """Speaker words in the sentence, in order (the longest where several start together)."""
    memo = c.speaker_memo
    return [_Mention(start, m.end(), memo.get(s) or _speaker(c, s))
            for start, m in c.speakers.finditer(lower) for s in [m.group("s")]]


def _speaker_hits(c: _Compiled, lower: str) -> list[tuple[int, int, Cue]]:
    """``(start, end, cue)`` of each speaker word in the text, as :func:`_mentions` gives, found
    with :meth:`_WordScan.spans` (a paragraph holds more matches than a sentence)."""
    memo = c.speaker_memo
    return [(start, end, memo.get(s) or _speaker(c, s))
            for start, end, m in c.speakers.spans(lower) for s in [m.group("s")]]


def _joined(lower: str, left: _Mention, right: _Mention) -> bool:
    """Whether two speaker words belong to one noun phrase."""
    gap = lower[left.end:right.start]
    if _GAP_PUNCTUATION.search(gap):
        return False
    words = _WORDS.findall(gap)
    if not words:
        return True
    if all(w in _PHRASE_WORDS for w in words) and words[-1] in _PHRASE_ENDS:
        return True
    others = [w for w in words if w not in _PHRASE_WORDS]
    return (left.cue.category == PARTNERS and len(others) <= _MODIFIER_WORDS
            and not any(w.endswith("ed") for w in others))


def _complement(c: _Compiled, lower: str, start: int) -> bool:
    """Whether the speaker phrase starting at ``start`` is the complement of "of"."""
    lo = max(0, start - 40)
    k = start
    while k > lo and lower[k - 1].isspace():
        k -= 1
    if k == start or not lower.endswith("of", lo, k):
        return False  # no "of" and white space just before: the regex cannot match
    m = _OF_BEFORE.search(lower, lo, start)
    if m is None:
        return False
    word = m.group(1)
    return word not in _QUANTIFIERS and not c.quantity_word.fullmatch(word)


def _speaker_cue(c: _Compiled, sentence: str, phrase: list[_Mention]) -> Cue:
    """The cue a noun phrase of speaker words speaks for (see the module docstring)."""
    head = phrase[0].cue
    if head.category == PEOPLE:
        return head
    partner = next((m.cue for m in phrase if m.cue.category == PARTNERS), None)
    if partner is None and _NAMED_ORIGIN.match(sentence, phrase[-1].end):
        partner = c.partners
    return partner or head


def _reported(c: _Compiled, sentence: str, lower: str, mentions: list[_Mention] | None = None) -> list[_Match]:
    """One match per speaker phrase followed closely by a verb its cue accepts.

    ``mentions`` are ``_mentions(lower)``, when the caller already has them.
    """
    if mentions is None:
        mentions = _mentions(c, lower)
    out = []
    for i, last in enumerate(mentions):
        first = i
        while first > 0 and _joined(lower, mentions[first - 1], mentions[first]):
            first -= 1
        if _complement(c, lower, mentions[first].start):
            continue
        cue = _speaker_cue(c, sentence, mentions[first:i + 1])
        limit = mentions[i + 1].start if i + 1 < len(mentions) else len(lower)
        verb = _verb(c.verbs[cue.id], lower, last.end, limit)
        if verb is None:
            continue
        gap = _WORDS.findall(lower, last.end, verb.start())
        if gap == ["and"]:
            continue  # "... named the safeguarding lead and explained": the lead is an object
        if len(gap) <= c.max_gap:
            out.append(_Match(cue.priority, mentions[first].start, verb.end(), cue))
    return out


def _verb(verbs: re.Pattern[str], lower: str, start: int, limit: int) -> re.Match[str] | None:
    """The first verb in ``lower[start:limit]`` that is not passive or an infinitive.

    The same as searching with the passive and infinitive checks put before the verbs: a
    place where those fail is skipped, and the search goes on from the next character.
    """
    while True:
        m = verbs.search(lower, start, limit)
        if m is None or _REPORTING_HERE.match(lower, m.start()):
            return m
        start = m.start() + 1


def _phrases(c: _Compiled, lower: str) -> list[_Match]:
    """Phrase matches, left to right, the longest where several start together."""
    return [_Match(cue.priority, start, end, cue) for start, end, cue in _phrase_hits(c, lower)]


def _phrase_hits(c: _Compiled, lower: str) -> list[tuple[int, int, Cue]]:
    """``(start, end, cue)`` of each phrase match in the text, as :func:`_phrases` gives."""
    memo = c.phrase_memo
    out = []
    for start, end, _ in c.phrase_scan.spans(lower):
        if c.cue_by_text:
            text = lower[start:end]
            cue = memo[text] if text in memo else _phrase_cue(c, text)
        else:
            m = c.phrases.match(lower, start)  # the same match, with the group naming its cue
            cue = c.phrase_cue[str(m.lastgroup).split("_")[0]] if m is not None else None
        if cue is None or (not c.cue_by_text and m is not None and m.end() != end):
            raise RuntimeError(f"phrase regexes disagree at {lower[start:end]!r}")  # a bug, not bad input
        out.append((start, end, cue))
    return out


def _phrase_cue(c: _Compiled, text: str) -> Cue | None:
    """The cue of the phrase the named regex picks for a match that covers exactly ``text``.

    Inside a phrase there is nothing that looks beyond the phrase but the final "not followed by
    a word character", which held where ``text`` was found and holds at its end here; so which
    phrase matches (the first in the regex's order among those that cover the text) follows
    from the text alone, and matches of the same text share the answer.
    """
    if text in c.phrase_memo:
        return c.phrase_memo[text]
    m = c.phrases.fullmatch(text)
    cue = c.phrase_cue[str(m.lastgroup).split("_")[0]] if m is not None else None
    _remember(c.phrase_memo, text, cue)
    return cue


def _outermost(matches: list[_Match]) -> list[_Match]:
    """Drop every match that overlaps one starting earlier (or at the same place but longer)."""
    kept: list[_Match] = []
    end = -1
    for m in sorted(matches, key=lambda m: (m.start, m.start - m.end)):
        if m.start >= end:
            kept.append(m)
            end = m.end
    return kept


def categorise(
    sentence: str, *, folded: str | None = None, lower: str | None = None,
    quantities: list[QuantityMatch] | None = None, family: str | None = None,
) -> tuple[str, str | None]:
    """The evidence category of one sentence and the cue that decided it.

    Args:
        sentence: the sentence as printed.
        folded: ``fold(sentence)``, when the caller already has it.
        lower: ``fold(sentence).lower()``, when the caller already has it.
        quantities: ``find_quantities(sentence)``, when the caller already has it (see
            :meth:`extractor.nlp.numbers.QuantityScan.within`).
        family: the report family, when its rules differ (``"local_authority"``: see
            ``family_subjects`` in the data file).

    Returns:
        ``(category, cue)`` where cue reads ``"<cue id>: <matched text>"``, or
        ``("unclassified", None)`` when no cue fires.
    """
    return _categorise(_compiled(family), sentence, folded, lower, quantities)


def _categorise(c: _Compiled, sentence: str, folded: str | None, lower: str | None,
                quantities: list[QuantityMatch] | None) -> tuple[str, str | None]:
    if folded is None:
        folded = fold(sentence)
    if lower is None:
        lower = folded.lower()
    return _decide(c, sentence, folded, lower, _reported(c, sentence, lower) + _phrases(c, lower), lambda: quantities)


def categorise_sentences(
    text: str, spans: Sequence[tuple[int, int]], *, folded: str | None = None,
    scan: QuantityScan | None = None, family: str | None = None,
) -> list[tuple[str, str | None]]:
    """:func:`categorise` of each sentence ``text[start:end]`` of a paragraph, in the order given.

    The same answers as categorising each sentence on its own, sooner: the speaker and phrase
    regexes scan the paragraph once, and each sentence takes the matches that lie inside it (see
    :func:`_inside` for when that is safe; any other sentence is scanned on its own).

    Args:
        text: the paragraph as printed.
        spans: ``(start, end)`` of each sentence in ``text``.
        folded: ``fold(text)``, when the caller already has it.
        scan: ``scan_quantities(text)``, when the caller already has it; the quantities of a
            sentence are read off it where they can be, and only when they can decide.
        family: the report family, as for :func:`categorise`.

    >>> categorise_sentences("Managers told us so. We saw posters.", [(0, 20), (21, 36)])
    [('Feedback from staff and leaders', 'staff_reported: Managers told us'), ('Observation', 'we_observed: We saw')]
    """
    return _categorise_sentences(_compiled(family), text, spans, folded, scan)


def categorise_paragraphs(
    texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]], *,
    folded: Sequence[str] | None = None, scans: Sequence[QuantityScan | None] | None = None,
    family: str | None = None,
) -> list[list[tuple[str, str | None]]]:
    """:func:`categorise_sentences` of each paragraph ``texts[i]`` with its sentences ``spans[i]``.

    The same answers, sooner: the paragraphs that the paragraph scan serves (ASCII once folded)
    are scanned as one text, set apart by a blank line, which saves the cost of a scan per
    paragraph. A match reaching over a blank line can only reach over a sentence's end, and
    :func:`categorise_sentences` scans such a sentence on its own.

    Args:
        texts: the paragraphs as printed.
        spans: ``(start, end)`` of each sentence of each paragraph, in the paragraph (within it).
        folded: ``fold`` of each paragraph, when the caller already has them.
        scans: ``scan_quantities`` of each paragraph, when the caller already has them.
        family: the report family, as for :func:`categorise`.
    """
    c = _compiled(family)
    folded = [fold(t) for t in texts] if folded is None else folded
    given: Sequence[QuantityScan | None] = [None] * len(texts) if scans is None else scans
    out: list[list[tuple[str, str | None]]] = [[] for _ in texts]
    together = [i for i, f in enumerate(folded) if f.isascii()] if c.cue_by_text else []
    for i in sorted(set(range(len(texts))) - set(together)):
        out[i] = _categorise_sentences(c, texts[i], spans[i], folded[i], given[i])
    if not together:
        return out
    starts, at = [], 0
    for i in together:
        starts.append(at)
        at += len(texts[i]) + len(_BETWEEN)
    joined = _BETWEEN.join(folded[i] for i in together)
    parts = [(known, start) for i, start in zip(together, starts) if (known := given[i]) is not None]
    scan = QuantityScan.joined(joined, parts) if len(parts) == len(together) else None
    found = _categorise_sentences(c, _BETWEEN.join(texts[i] for i in together),
                                  [(s + start, e + start) for i, start in zip(together, starts) for s, e in spans[i]],
                                  joined, scan)
    k = 0
    for i in together:
        out[i], k = found[k:k + len(spans[i])], k + len(spans[i])
    return out


def _categorise_sentences(c: _Compiled, text: str, spans: Sequence[tuple[int, int]], folded: str | None,
                          scan: QuantityScan | None) -> list[tuple[str, str | None]]:
    if folded is None:
        folded = fold(text)
    if not (folded.isascii() and c.cue_by_text):
        # Lower-casing keeps offsets for ASCII text only; other text is lower-cased per sentence.
        # A phrase that looks past its end ("!word") could read the next sentence.
        return [_categorise(c, text[s:e], folded[s:e], None, scan.within(s, e) if scan is not None else None)
                for s, e in spans]
    lower = folded.lower()
    speakers, phrases = _speaker_hits(c, lower), _phrase_hits(c, lower)
    speaker_ends, phrase_ends = [h[1] for h in speakers], [h[1] for h in phrases]
    # A quantity cue can only decide where no cue at least this strong has matched.
    floor = min((q.priority for q in c.quantities), default=None)
    out: list[tuple[str, str | None]] = []
    for s, e in spans:
        own = said = None
        if _apart(lower, s, e):
            own = _inside(s, e, speakers, speaker_ends)
            said = _inside(s, e, phrases, phrase_ends) if own is not None else None
        if said is None or own is None:
            out.append(_categorise(c, text[s:e], folded[s:e], lower[s:e],
                                   scan.within(s, e) if scan is not None else None))
            continue
        if not own and said:
            # Phrase matches come from one scan and never overlap, so each stands for its own
            # stretch; the strongest (the first of equals) decides unless a quantity could win.
            a, b, cue = min(said, key=_priority)
            if floor is None or cue.priority <= floor:
                out.append((cue.category, f"{cue.id}: {text[a:b]}"))
                continue
        read = (lambda s=s, e=e: scan.within(s, e)) if scan is not None else _no_quantities
        sentence, sentence_lower = text[s:e], lower[s:e]
        found = _reported(c, sentence, sentence_lower, [_Mention(a - s, b - s, cue) for a, b, cue in own]) if own else []
        found += [_Match(cue.priority, a - s, b - s, cue) for a, b, cue in said]
        out.append(_decide(c, sentence, folded[s:e], sentence_lower, found, read))
    return out


def _priority(hit: tuple[int, int, Cue]) -> int:
    return hit[2].priority


def _no_quantities() -> None:
    return None


def _apart(lower: str, start: int, end: int) -> bool:
    """Whether ``lower[start:end]`` is a sentence that stands between white space (or the ends of
    the paragraph ``lower``), so that its own scans see what the paragraph's scans see there
    (see :func:`_inside`)."""
    return (0 <= start < end <= len(lower) and (not start or lower[start - 1].isspace())
            and (end == len(lower) or lower[end].isspace()))


def _inside(
    start: int, end: int, hits: list[tuple[int, int, Cue]], ends: list[int],
) -> list[tuple[int, int, Cue]] | None:
    """The hits of a scan of a paragraph that lie in the sentence ``start:end`` (which stands
    between white space: :func:`_apart`), or None when the same scan of the sentence alone might
    find others.

    It cannot when no hit reaches across either end of the sentence. The scans look one
    character behind a match, which is white space in both cases, and past a match only at one
    character, not a word character in both cases; every other step of a match attempt that
    reads past the sentence end fails in the sentence, and in the paragraph either fails too or
    ends in a match that reaches across. So a scan of the paragraph meets the sentence with no
    match in progress and from there finds what the sentence's own scan finds. Hits never
    overlap, so their ends are sorted.
    """
    first = bisect_right(ends, start)  # the first hit that ends past the sentence start
    if first == len(hits):
        return []
    if hits[first][0] < start:
        return None  # it starts before the sentence
    last = bisect_right(ends, end, first)  # the hits that end by the sentence end
    if last < len(hits) and hits[last][0] < end:
        return None  # it ends past the sentence end
    return hits[first:last]


def _decide(
    c: _Compiled, sentence: str, folded: str, lower: str, found: list[_Match],
    quantities: Callable[[], list[QuantityMatch] | None],
) -> tuple[str, str | None]:
    """What :func:`categorise` returns, given the speaker and phrase matches of the sentence.

    ``quantities()`` gives ``find_quantities(sentence)`` or None (then it is worked out here); it
    is only asked when a quantity cue could decide.
    """
    if len(found) > 1:
        found = _outermost(found)
    best = min([f.priority for f in found]) if found else None
    known: list[QuantityMatch] | None = None
    for cue in c.quantities:
        if best is not None and best <= cue.priority:
            continue  # a stronger cue already decides
        if known is None:
            known = quantities()
            if known is None:
                known = find_quantities(sentence, folded=folded)
        q = next((q for q in known if q.kind in cue.quantity_kinds), None)
        # Only a sentence with a digit, "%" or a number word counts ("hundred out of a
        # thousand" does not).
        if q is not None and _has_number(c, sentence, folded, lower):
            found.append(_Match(cue.priority, q.start, q.end, cue))
    if not found:
        return UNCLASSIFIED, None
    decided = min(found, key=lambda f: (f.priority, f.start)) if len(found) > 1 else found[0]
    return decided.cue.category, f"{decided.cue.id}: {sentence[decided.start:decided.end]}"


def _has_number(c: _Compiled, sentence: str, folded: str, lower: str) -> bool:
    """Whether the sentence holds a digit, "%" or a number word.

    Folding maps quotes, dashes and spaces only, none of which is a digit, "%" or part of a word,
    so the folded sentence answers for the sentence; when it is ASCII, the lower-cased text with
    lower-case words answers as ignoring case would, only faster.
    """
    if folded.isascii() and len(lower) == len(folded):
        return c.has_number_lower.search(lower) is not None
    return c.has_number.search(sentence) is not None
