"""The fast paths of the NLP stage give what the plain algorithms give.

The rule-based part of the NLP stage skips work it can prove useless: patterns are tried only
where a match can start (:mod:`extractor.nlp.numbers`, :mod:`extractor.nlp.dates`), the phrase
scan runs without its naming groups and reads the cue from a memo, the quantities of a sentence
are read off its paragraph's scan, and ASCII text is compared in lower case. Each test here puts
the plain algorithm (written out below, as it stood before those changes, over the same compiled
patterns) beside the fast one, over the labelled sentences and over generated text built to hit
the edges: overlapping number words, runs of white space, sentence cuts inside words, non-ASCII
letters that match ASCII ones when case is ignored ("ſ", the Kelvin sign).
"""

from __future__ import annotations

import random
import re
from dataclasses import astuple
from typing import Any

import pytest
from conftest import ROOT

from extractor.document import _FOLD_MAP, fold
from extractor.nlp import abbreviations, categories, dates, numbers
from extractor.nlp.categories import categorise
from extractor.nlp.data import Cue
from extractor.nlp.labelled import load_jsonl

LABELLED = [s.text for d in load_jsonl(ROOT / "corpus/labelled/sentences.jsonl") for s in d.sentences]

WORDS = ("one two three seven seventeen twenty eighty-eight hundred thousand and a an half halves "
         "third thirds quarter quarters out of in the percent per cent % people people's care "
         "records staff new more 12 61 1,200 2.5 5 1 20 Five Of The ſix K Seventy İn said told us "
         "we observed audit policy feedback from visiting nurse relatives were positive to be "
         "records showed risk assessments minutes of the team meeting regulation 12. between from "
         "2017-2020 2023/24 2024 13 February March may May Q3 first fourth financial year "
         "03/04/2023 Monday, 4th £2000 x2024 ( ) - / , .").split()
SEPARATORS = (" ", " ", " ", "  ", " \n ", "-", "\n", ", ", ". ", "", "\t", "\u2019", "\u00a0")


def _texts(seed: int, count: int, longest: int = 24) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choice(WORDS) + rnd.choice(SEPARATORS) for _ in range(rnd.randint(1, longest)))
            for _ in range(count)]


def _rows(items: list[Any]) -> list[tuple[Any, ...]]:
    return [astuple(x) for x in items]


# --- the plain algorithms ----------------------------------------------------------------------


def plain_quantities(text: str) -> list[numbers.QuantityMatch]:
    """Every pattern scanned over the whole folded text, then the longest of overlaps kept."""
    p, folded, out = numbers._patterns(), fold(text), []

    def add(priority: int, start: int, end: int, kind: Any, value: float, rule: str,
            unit: str | None = None, number: tuple[int, int] | None = None) -> None:
        ns, ne = number or (start, end)
        match = numbers.QuantityMatch(start, end, text[start:end], kind, value, unit, rule, ns, ne)
        out.append((priority, match))

    for m in p.percent.finditer(folded):
        n = numbers.parse_number(m["n"])
        if n is not None and n <= 1000:
            add(0, m.start(), m.end(), "percent", round(n / 100, 6), "rule:quantity.percent")
    for m in p.fraction.finditer(folded):
        singular = not m["d"].lower().endswith("s") or m["d"].lower() == "halves"
        value = numbers._fraction_value(m["n"], m["d"])
        if (m["of"] or not singular) and value is not None:
            end = m.start("d") + len(m["d"])
            add(1, m.start(), end, "fraction", round(value, 6), "rule:quantity.fraction_words")
    for m in p.half.finditer(folded):
        add(1, m.start(), m.end(), "fraction", 0.5, "rule:quantity.half")
    ratios = ((p.out_of, "rule:quantity.out_of", None), (p.in_n, "rule:quantity.one_in_n", 20.0))
    for pattern, rule, limit in ratios:
        for m in pattern.finditer(folded):
            n, d = numbers.parse_number(m["n"]), numbers.parse_number(m["d"])
            if n is not None and d and n <= d and (limit is None or d <= limit):
                add(1, m.start(), m.end(), "fraction", round(n / d, 6), rule)
    for m in p.count.finditer(folded):
        n = numbers.parse_number(m["n"])
        if n is not None and m["n"].lower() not in ("a", "an"):
            add(2, m.start(), m.end(), "count", n, "rule:quantity.count", text[m.start("u"):m.end("u")],
                (m.start("n"), m.end("n")))
    out.sort(key=lambda pq: (-(pq[1].end - pq[1].start), pq[0], pq[1].start))
    kept: list[numbers.QuantityMatch] = []
    for _, q in out:
        if all(q.end <= k.start or q.start >= k.end for k in kept):
            kept.append(q)
    return sorted(kept, key=lambda q: q.start)


def plain_dates(text: str) -> list[dates.DateMatch]:
    """Every rule scanned over the whole folded text, then the longest of overlaps kept."""
    folded, found = fold(text), []
    for rule in dates._rules():
        for m in rule.pattern.finditer(folded):
            read = rule.read(m)
            if read is not None and read[1] >= read[0]:
                found.append(dates.DateMatch(m.start(), m.end(), text[m.start():m.end()], read[0].isoformat(),
                                             read[1].isoformat(), read[2], f"rule:{rule.id}"))
    found.sort(key=lambda d: (-(d.end - d.start), d.start))
    kept: list[dates.DateMatch] = []
    for d in found:
        if all(d.end <= k.start or d.start >= k.end for k in kept):
            kept.append(d)
    return sorted(kept, key=lambda d: d.start)


def plain_categorise(sentence: str) -> tuple[str, str | None]:
    """Phrases read from the named regex, verbs searched with the passive checks in the regex,
    the sentence's own quantities, and "has a number" asked of the sentence as printed."""
    c = categories._compiled()
    lower = fold(sentence).lower()
    lead = r"(?<![\w'])"
    verbs = {cue_id: re.compile(lead + categories._NOT_REPORTING + v.pattern[len(lead):])
             for cue_id, v in c.verbs.items()}
    mentions = [categories._Mention(m.start(), m.end(), c.speaker_cue[categories._key(m["s"])])
                for m in c.speakers.anywhere.finditer(lower)]
    found = []
    for i, last in enumerate(mentions):
        first = i
        while first > 0 and categories._joined(lower, mentions[first - 1], mentions[first]):
            first -= 1
        start = mentions[first].start
        of = re.search(r"([\w%'-]+)\s+of\s+$", lower[max(0, start - 40):start])
        if of and of[1] not in categories._QUANTIFIERS and not c.quantity_word.fullmatch(of[1]):
            continue
        cue = categories._speaker_cue(c, sentence, mentions[first:i + 1])
        limit = mentions[i + 1].start if i + 1 < len(mentions) else len(lower)
        verb = verbs[cue.id].search(lower, last.end, limit)
        if verb is None:
            continue
        gap = re.findall(categories._WORD, lower[last.end:verb.start()])
        if gap != ["and"] and len(gap) <= c.max_gap:
            found.append(categories._Match(cue.priority, mentions[first].start, verb.end(), cue))
    for m in c.phrases.finditer(lower):
        cue = c.phrase_cue[str(m.lastgroup).split("_")[0]]
        found.append(categories._Match(cue.priority, m.start(), m.end(), cue))
    found = categories._outermost(found)
    best = min((f.priority for f in found), default=None)
    for q_cue in c.quantities:
        if (best is not None and best <= q_cue.priority) or not c.has_number.search(sentence):
            continue
        q = next((q for q in plain_quantities(sentence) if q.kind in q_cue.quantity_kinds), None)
        if q is not None:
            found.append(categories._Match(q_cue.priority, q.start, q.end, q_cue))
    if not found:
        return categories.UNCLASSIFIED, None
    decided = min(found, key=lambda f: (f.priority, f.start))
    return decided.cue.category, f"{decided.cue.id}: {sentence[decided.start:decided.end]}"


# --- the fast paths give the same ------------------------------------------------------------


@pytest.mark.parametrize("seed", [1, 2])
def test_quantities(seed: int) -> None:
    texts = LABELLED + _texts(seed, 3000)
    assert sum(bool(plain_quantities(t)) for t in texts) > 300  # the texts do hold quantities
    for text in texts:
        assert _rows(numbers.find_quantities(text)) == _rows(plain_quantities(text)), text


@pytest.mark.parametrize("seed", [3, 4])
def test_dates(seed: int) -> None:
    texts = LABELLED + _texts(seed, 3000)
    assert sum(bool(plain_dates(t)) for t in texts) > 500
    for text in texts:
        assert _rows(dates.find_dates(text)) == _rows(plain_dates(text)), text


# Dates that reach as far back from their first year as each rule allows, with runs of white
# space of every kind between their words.
DATE_FORMS = ("{wd} {d} of {M}, {Y}", "{wd} {M} {d}, {Y}", "between {d} {M} to {d} {M} {Y}",
              "from {M} {Y} to {M} {Y}", "between {M} and {M} {Y}", "Q3 of the {Y}", "the fiscal year {Y}-25",
              "the first quarter of the financial year {Y}/25", "from {Y} to {Y}", "{Y}/25")


def test_dates_at_their_longest() -> None:
    rnd = random.Random(10)
    found = 0
    for _ in range(1500):
        spaced = re.sub(" ", lambda _: rnd.choice([" ", "  ", "\n", " \t ", "   "]), rnd.choice(DATE_FORMS))
        date = spaced.format(wd=rnd.choice(["Monday,", "Tuesday"]), d=rnd.choice(["4th", "12", "1"]),
                             M=rnd.choice(["March", "Sept.", "April"]), Y=rnd.choice(["2023", "2024"]))
        text = f"{_texts(rnd.randint(0, 10**6), 1, 4)[0]} {date} {rnd.choice(WORDS)}"
        found += any(d.text == date for d in plain_dates(text))
        assert _rows(dates.find_dates(text)) == _rows(plain_dates(text)), text
    assert found > 1000


@pytest.mark.parametrize("seed", [5, 6])
def test_categories(seed: int) -> None:
    for sentence in LABELLED + _texts(seed, 1500):
        assert categorise(sentence) == plain_categorise(sentence), sentence


def test_quantities_of_a_part_read_off_the_whole() -> None:
    rnd = random.Random(7)
    read_off = 0
    for text in _texts(8, 1500, longest=40):
        scan = numbers.scan_quantities(text)
        for _ in range(6):
            start = rnd.randint(0, len(text))
            end = rnd.randint(start, len(text))
            if rnd.random() < 0.7:  # most parts end at white space, as sentences do
                while start > 0 and not text[start - 1].isspace():
                    start -= 1
                while end < len(text) and not text[end].isspace():
                    end += 1
            part = scan.within(start, end)
            if part is not None:
                read_off += 1
                assert _rows(part) == _rows(plain_quantities(text[start:end])), (text, start, end)
    assert read_off > 3000


def test_a_quantity_read_across_a_sentence_end_is_not_read_off() -> None:
    text = "Staff completed half\nof the audits were late."
    scan = numbers.scan_quantities(text)
    assert [q.text for q in scan.quantities] == ["half"]
    assert scan.within(0, 20) is None  # "half" counts only because "of" follows, after the cut
    assert numbers.find_quantities(text[:20]) == []


def test_folding_changes_no_digit_percent_or_word_character() -> None:
    # categorise asks the folded sentence whether the printed one holds a number.
    for source, target in _FOLD_MAP.items():
        assert not re.search(r"[\w%]", source + target) and len(target) == 1


def test_white_space_bounds_of_date_rules() -> None:
    assert dates._space_bound(r"(?<![\w/])(?:the\s+)?(?P<y>\d{4})\s*-\s*\d\d") == 3
    for unbounded in (r"a.b", r"(?:a\s)+", r"[^a]", r"\W", r"a b", r"[\s]"):
        assert dates._space_bound(unbounded) is None, unbounded
    assert all(bound is not None for bound in dates._bounds().values())


def test_word_before_a_bracket() -> None:
    plain = re.compile(r"([A-Za-z][A-Za-z0-9&]{1,9})\s*$")
    for text in _texts(9, 2000):
        for end in range(len(text) + 1):
            m = plain.search(text[:end])
            assert abbreviations._word_before(text, end) == ((m.start(1), m.end(1), m[1]) if m else None)


def test_phrase_cues_come_from_the_named_regex() -> None:
    c = categories._compiled()
    assert c.cue_by_text  # no phrase looks past its end
    for sentence in LABELLED:
        lower = fold(sentence).lower()
        named = [(m.span(), c.phrase_cue[str(m.lastgroup).split("_")[0]])
                 for m in c.phrases.finditer(lower)]
        fast = [((m.start, m.end), m.cue) for m in categories._phrases(c, lower)]
        assert fast == named, sentence
    assert all(isinstance(cue, Cue) for cue in c.phrase_memo.values())


def test_word_scans_find_what_the_look_behind_finds() -> None:
    c = categories._compiled()
    edges = ["regulation 12.policy", "staff.staff said", "'staff' said", "audit", "ſtaff said"]
    texts = LABELLED + _texts(11, 2000) + edges
    for scan in (c.speakers, c.phrase_scan):
        for text in texts:
            lower = fold(text).lower()
            fast = [(start, m.end()) for start, m in scan.finditer(lower)]
            assert fast == [m.span() for m in scan.anywhere.finditer(lower)], text
