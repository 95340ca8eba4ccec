"""Paragraphs of a text whose lines stop mid-sentence: a line that goes on in lower case on the
next line belongs to the same paragraph, so its sentences stay whole."""

from __future__ import annotations

import re

from conftest import SEED

from extractor.pipeline import ExtractOptions, extract_bytes
from models import Report

WHOLE = ("The provider had a good relationship with their Integrated Care Board (ICB) and they attended "
         "engagement meetings and parliamentary meetings.")
BROKEN = ("The provider had a good relationship with their Integrated Care Board (ICB) and they attended "
          "engagement meetings\nand parliamentary meetings.")


def _sentences(record: Report) -> list[str]:
    return [re.sub(r"\s+", " ", s.span.text) for kq in record.key_questions for st in kq.quality_statements
            for p in st.evidence for s in p.sentences]


def _paragraphs(record: Report) -> int:
    return sum(len(st.evidence) for kq in record.key_questions for st in kq.quality_statements)


def _record(text: str) -> Report:
    return extract_bytes(text.encode("utf-8"), source_id="page.txt", options=ExtractOptions(nlp=False))


def test_a_line_going_on_in_lower_case_stays_in_its_paragraph_and_sentence() -> None:
    seed = SEED.read_text(encoding="utf-8")
    assert WHOLE in seed
    plain, broken = _record(seed), _record(seed.replace(WHOLE, BROKEN))
    assert _sentences(broken) == _sentences(plain)
    assert _paragraphs(broken) == _paragraphs(plain)
    sentence = next(s for kq in broken.key_questions for st in kq.quality_statements for p in st.evidence
                    for s in p.sentences if s.span.text.startswith("The provider had a good relationship"))
    assert sentence.span.text == BROKEN  # the span keeps the line break as printed


def test_a_line_ending_a_sentence_before_a_capital_starts_a_paragraph() -> None:
    seed = SEED.read_text(encoding="utf-8")
    broken = _record(seed.replace(WHOLE + " As part", WHOLE + "\nAs part"))
    plain = _record(seed)
    assert _sentences(broken) == _sentences(plain)
    assert _paragraphs(broken) == _paragraphs(plain) + 1
