"""Categorising the sentences of a paragraph at once gives what categorising each alone gives.

:func:`extractor.nlp.categories.categorise_sentences` scans the paragraph once and hands each
sentence the matches inside it; the paragraphs here are built from labelled and generated
sentences joined in random orders, with cuts that leave no white space between sentences,
sentences that run across a line break, and non-ASCII text, so that both the shared scan and
the fall-back to a sentence's own scan are exercised.
"""

from __future__ import annotations

from functools import lru_cache

from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.document import fold
from extractor.nlp.categories import categorise, categorise_paragraphs, categorise_sentences
from extractor.nlp.labelled import load_jsonl
from extractor.nlp.numbers import scan_quantities
from extractor.sentences import split_sentences
from extractor.synth import pages

JOINS = (" ", " ", "  ", "\n", " \n ", "", "\t", ", ", " and ", "\u00a0")


# Pieces that end where a speaker, verb or phrase could go on, and pieces that go on from there:
# joined without white space or across a line break, a match may reach from one into the next.
EDGES = ("Staff", "Relatives we spoke with", "the", "People", "records", "risk", "a visiting",
         "said so.", "told us they felt safe.", "staff said", "showed a 20% fall.", "assessments were done",
         "nurse explained.", "of the team said", "from Northgate Hospital said", "Records showed 80%",
         "half", "of people said", "we observed", "Staff said ſo.", "'staff' said", "policy", "audit-",
         "-ed staff", "80%", "% of staff", "12.", "5 people", "with the team")


@lru_cache(maxsize=1)
def _sentences() -> list[str]:
    labelled = [s.text for d in load_jsonl(ROOT / "corpus/labelled/sentences.jsonl") for s in d.sentences]
    generated = [line[s:e] for p in pages(3, 6) for line in p.text.splitlines() for s, e in split_sentences(line)]
    return [t for t in labelled + generated if t.isascii()]


@st.composite
def _paragraphs(draw: st.DrawFn) -> tuple[str, list[tuple[int, int]]]:
    """A paragraph and the spans of the pieces it was built from, in order."""
    pool = _sentences()
    piece = st.one_of(st.sampled_from(pool), st.sampled_from(EDGES), st.sampled_from(pool + list(EDGES)))
    pieces = draw(st.lists(piece, min_size=1, max_size=8))
    text, spans = "", []
    for p in pieces:
        text += draw(st.sampled_from(JOINS)) if text else ""
        spans.append((len(text), len(text) + len(p)))
        text += p
    return text, spans


def _one_by_one(text: str, spans: list[tuple[int, int]], with_scan: bool) -> list[tuple[str, str | None]]:
    scan = scan_quantities(text) if with_scan else None
    return [categorise(text[s:e], quantities=scan.within(s, e) if scan is not None else None)
            for s, e in spans]


@settings(max_examples=1500, deadline=None)
@given(_paragraphs(), st.booleans())
def test_a_paragraph_at_once_is_each_sentence_alone(paragraph: tuple[str, list[tuple[int, int]]],
                                                    with_scan: bool) -> None:
    text, spans = paragraph
    scan = scan_quantities(text) if with_scan else None
    assert categorise_sentences(text, spans, folded=fold(text), scan=scan) == _one_by_one(text, spans, with_scan)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(_paragraphs(), st.booleans()), min_size=1, max_size=5))
def test_paragraphs_at_once_are_each_sentence_alone(
    paragraphs: list[tuple[tuple[str, list[tuple[int, int]]], bool]],
) -> None:
    # Paragraphs scanned as one text (the ASCII ones) give what each sentence alone gives, with
    # or without the quantity scans (a missing one leaves the joined text without).
    texts = [text for (text, _), _ in paragraphs]
    spans = [sp for (_, sp), _ in paragraphs]
    scans = [scan_quantities(text) if with_scan else None for (text, _), with_scan in paragraphs]
    expected = [_one_by_one(text, sp, with_scan) for (text, sp), with_scan in paragraphs]
    assert categorise_paragraphs(texts, spans, scans=scans) == expected
    assert categorise_paragraphs(texts, spans) == [_one_by_one(t, sp, False) for t, sp in zip(texts, spans)]


@settings(max_examples=500, deadline=None)
@given(_paragraphs())
def test_split_paragraphs_and_odd_spans(paragraph: tuple[str, list[tuple[int, int]]]) -> None:
    text, _ = paragraph
    split = split_sentences(text)
    assert categorise_sentences(text, split) == _one_by_one(text, split, False)
    # Spans out of order, overlapping, empty or one character wider than a sentence.
    odd = [(s, min(len(text), e + 1)) for s, e in reversed(split)] + [(0, len(text)), (0, 0)]
    assert categorise_sentences(text, odd) == _one_by_one(text, odd, False)


def test_every_labelled_sentence_in_one_paragraph() -> None:
    pool = _sentences() + list(EDGES)
    text = " ".join(pool)
    spans, at = [], 0
    for sentence in pool:
        spans.append((at, at + len(sentence)))
        at += len(sentence) + 1
    assert categorise_sentences(text, spans) == _one_by_one(text, spans, False)


def test_sentences_cut_inside_words_or_matches() -> None:
    cases = [
        ("Staff used the policyholder list.", [(0, 21), (21, 33)]),  # "policy" only in the first
        ("We reviewed the regulation 12.policy and staff said so.", [(0, 30), (30, 55)]),
        ("Relatives we spoke with\nsaid the care was good.", [(0, 23), (24, 47)]),
        ("People told us the staff said it.", [(0, 18), (19, 33)]),
        ("The policy was shared with the team.", [(0, 10), (11, 36)]),
        ("Records showed 80% of staff said yes.", [(0, 18), (19, 37), (0, 37), (5, 5)]),
    ]
    for text, spans in cases:
        assert categorise_sentences(text, spans) == _one_by_one(text, spans, False), text
        assert categorise_sentences(text, spans, scan=scan_quantities(text)) == _one_by_one(text, spans, True), text


def test_word_scan_spans_are_its_matches() -> None:
    from extractor.nlp import categories

    c = categories._compiled()
    edges = ["regulation 12.policy", "regulation 12.-risk assessments", "regulation 12,staff said", "staff.staff said", "'staff' said", "audit",
             "ſtaff said", ""]
    for scan in (c.speakers, c.phrase_scan):
        for text in _sentences() + list(EDGES) + edges:
            lower = fold(text).lower()
            named = scan is c.speakers  # the speaker word is read from the match
            assert ([(s, e, m.group("s") if named else "") for s, e, m in scan.spans(lower)]
                    == [(s, m.end(), m.group("s") if named else "") for s, m in scan.finditer(lower)]), text
