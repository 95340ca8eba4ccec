"""Text set a printed line a line (another tool's extract of a PDF): line breaks inside paragraphs
become spaces in the canonical text when the text's widths show it is wrapped, and elsewhere a line
that goes on in lower case on the next line belongs to the same paragraph; sentences stay whole."""

from __future__ import annotations

import re
import textwrap

from conftest import CORPUS, SEED

from extractor.pipeline import ExtractOptions, extract_bytes
from extractor.synth import FAMILY_NAMES, pages
from extractor.textread import unwrap
from models import Report

FAMILIES = FAMILY_NAMES
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


def _wrapped(text: str, width: int = 90) -> str:
    """The text as another tool extracts a PDF: each long line broken at ``width``."""
    return "\n".join(textwrap.fill(line, width) if len(line) > width else line for line in text.split("\n"))


def _facts(record: Report) -> tuple[object, ...]:
    loc = record.location
    return (loc.name.value if loc.name else None, loc.overall_rating.value if loc.overall_rating else None,
            [(kq.name.value, kq.rating.value if kq.rating else None, [(st.name.value, st.score.value if st.score else None)
                                                                        for st in kq.quality_statements])
             for kq in record.key_questions])


def test_a_wrapped_text_reads_as_its_unwrapped_self() -> None:
    seed = SEED.read_text(encoding="utf-8")
    wrapped = _wrapped(seed)
    assert wrapped.count("\n") > seed.count("\n") + 50
    plain, record = _record(seed), _record(wrapped)
    assert _facts(record) == _facts(plain)
    assert sorted(_sentences(record)) == sorted(_sentences(plain))
    canonical = unwrap(wrapped)
    assert len(canonical) == len(wrapped)  # one character for one: offsets do not move
    assert {a + b for a, b in zip(wrapped, canonical) if a != b} == {"\n "}


def test_texts_of_a_paragraph_a_line_are_not_taken_for_wrapped_ones() -> None:
    texts = [SEED, *sorted(CORPUS.glob("*-text/*.txt"))]
    assert len(texts) > 60
    assert [p.name for p in texts if unwrap(p.read_text(encoding="utf-8")) != p.read_text(encoding="utf-8")] == []
    generated = [page.text for family in FAMILIES for page in pages(5, 40, family=family)]
    assert [text[:60] for text in generated if unwrap(text) != text] == []
    # Nor a list of short headings, all about as long as each other.
    headings = "\n".join(["Safe systems, pathways and transitions", "Key findings for this quality statement",
                           "Governance, management and sustainability", "I have care and support that is coordinated."] * 8)
    assert unwrap(headings) == headings


def test_in_a_wrapped_text_table_rows_list_items_and_sentence_ends_stay_lines() -> None:
    body = ("Staff completed risk assessments for each person when they moved into the home and reviewed "
            "them every month or sooner when needs changed, and the registered manager checked a sample "
            "of the reviews each week to make sure that actions were carried out.")
    paragraph = textwrap.fill(body, 80)
    table = "Is the service safe?                                     Requires improvement"
    item = "• Fire drills took place monthly and the fire risk assessment had been reviewed in 2018."
    ended = "Staff received regular training and supervision, and told us they felt well supported."
    page_break = ("Medicines were not always given at the times prescribed, and some risk assessments did not\n\n"
                  "\freflect people's current needs.")
    text = "\n".join([paragraph] * 6 + [table, table, ended, "The home was clean.", paragraph, item, item, page_break])
    lines = unwrap(text).split("\n")
    assert lines.count(body) == 7
    assert lines.count(table) == 2 and lines.count(item) == 2
    assert ended in lines and "The home was clean." in lines
    assert lines[-1] == ("Medicines were not always given at the times prescribed, and some risk assessments did not"
                         "   reflect people's current needs.")
