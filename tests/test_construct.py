"""Trusted record construction and the cheap word tests that guard slow searches."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

import models
from extractor.blocklabels import KQ_SCORE_RE, _holds_kq_score
from extractor.document import may_contain
from extractor.keyquestions import _BASIS_RULES
from models import Field, NlpInfo, Paragraph, Report, Sentence, Source, Span, construct

SPAN = Span(start=0, end=4, text="Safe")


@pytest.mark.parametrize("cls, values", [
    (Span, {"start": 1, "end": 3, "text": "ab"}),
    (Span, {"text": "ab", "start": 1, "end": 3}),
    (Sentence, {"span": SPAN}),
    (Paragraph, {"span": SPAN, "sentences": [Sentence(span=SPAN)]}),
    (Field[str], {"value": "Good", "span": SPAN, "rule": "r"}),
    (Field[str], {"value": "Good", "rule": "r"}),
    (NlpInfo, {"enabled": True}),
])
def test_construct_is_model_construct(cls: type, values: dict) -> None:
    built, reference = construct(cls, **values), cls.model_construct(**values)
    assert type(built) is type(reference)
    assert list(built.__dict__.items()) == list(reference.__dict__.items())
    assert built.model_fields_set == reference.model_fields_set
    assert built == reference
    assert built.model_dump_json() == reference.model_dump_json()
    assert built.model_dump_json(exclude_unset=True) == reference.model_dump_json(exclude_unset=True)
    assert built.model_copy(update={}) == built


def test_construct_calls_default_factories_afresh() -> None:
    source = Source(id="x", media_type="text/plain", sha256="", encoding="utf-8",
                    canonical_length=0, canonical_sha256="")
    a = construct(Report, document_kind="saf_key_question_page", source=source, location=models.Location())
    b = construct(Report, document_kind="saf_key_question_page", source=source, location=models.Location())
    assert a.key_questions == [] and a.key_questions is not b.key_questions
    assert a.nlp == NlpInfo(enabled=False) and a.nlp is not b.nlp
    assert a == Report.model_construct(document_kind="saf_key_question_page", source=source,
                                       location=models.Location())


def test_construct_refuses_unknown_and_missing_fields() -> None:
    with pytest.raises(TypeError, match="no field"):
        construct(Span, start=0, end=1, text="a", txt="a")
    with pytest.raises(TypeError, match="missing"):
        construct(Span, start=0, end=1)


def test_assigning_a_field_marks_it_set() -> None:
    sentence = construct(Sentence, span=SPAN)
    sentence.category = "Observation"
    assert sentence.model_fields_set == {"span", "category"}


_TEXT = st.text(alphabet=st.sampled_from(list("aBcDeS sk\t.-") + ["\u017f", "\u212a", "\u0130", "\u00e9"]),
                max_size=30)


@given(_TEXT, st.sampled_from(["based on", "scored", "we did not", "sk"]))
def test_may_contain_never_rules_out_a_case_insensitive_match(text: str, word: str) -> None:
    if re.search(re.escape(word), text, re.I):
        assert may_contain(text, (word,))


@given(st.lists(st.sampled_from([
    "We ", "did ", "not ", "look at", "based on ", "the ", "previous ", "rating", "carried ", "over ",
    "forward ", "transferred ", "from ", "BASED ON ", "we did not review", "\u017f", " ",
    "scored 75 (out of 100)", "Scored 7 out of 100", "x"]), max_size=12).map("".join))
def test_word_tests_agree_with_the_patterns(text: str) -> None:
    for _, words, pattern in _BASIS_RULES:
        if pattern.search(text):
            assert may_contain(text, words)
    assert _holds_kq_score(text) == (KQ_SCORE_RE.search(text) is not None)
