"""Services CQC does not rate (dentists, ...): judgements in place of scores and ratings, and the
rule that "not all regulations met" in a statement shows on its key question."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import batch_to_sqlite

from extractor.pipeline import ExtractOptions, extract_bytes

PAGE = """\
• Dentists
  • Dental practice

Harbour Street Dental Practice

14 Harbour Street, Whitby, North Yorkshire, YO21 3PU 0113 496 0277

Provided and run by:
Harbour Street Dental Limited

Report from 3 June 2024 assessment

On this page

Safe

{kq}

12 July 2024

We assessed 3 quality statements in this key question. Staff told us they felt well supported.

Learning culture

Regulations met

Staff told us they reported incidents and that the practice discussed them at monthly meetings.

Safeguarding

{safeguarding}

Two of the five staff files we looked at had no record of safeguarding training.

Infection prevention and control

Regulations met

We saw the decontamination room was clean and well organised.
"""


def parse(kq: str = "Not all regulations met", safeguarding: str = "Not all regulations met", **options: bool):
    text = PAGE.format(kq=kq, safeguarding=safeguarding)
    return extract_bytes(text.encode(), source_id="dental.txt", options=ExtractOptions(**options))


def test_statement_judgements_are_read_in_place_of_scores_and_are_not_evidence() -> None:
    r = parse(nlp=False)
    [kq] = r.key_questions
    assert (kq.name.value, kq.rating.value, kq.score_percent) == ("Safe", "Not all regulations met", None)
    assert [(s.id, s.score, s.judgement.value) for s in kq.quality_statements] == [
        ("S1", None, "Regulations met"), ("S3", None, "Not all regulations met"), ("S7", None, "Regulations met")]
    safeguarding = kq.quality_statements[1]
    assert (safeguarding.judgement.span.text, safeguarding.judgement.rule) == (
        "Not all regulations met", "statement.judgement_line")
    assert [p.span.text[:9] for p in safeguarding.evidence] == ["Two of th"]
    check = kq.computed_from_statements
    assert (check.statements_counted, check.percent, check.consistent) == (0, None, None)  # nothing to score
    assert [s.value for s in r.location.service_types] == ["Dentists", "Dental practice"]
    assert r.location.overall_rating is None and r.warnings == []


@pytest.mark.parametrize(("kq", "safeguarding", "codes"), [
    ("Regulations met", "Not all regulations met", ["judgement_propagation"]),  # not shown above: flagged
    ("Not all regulations met", "Regulations met", []),  # a statement not on this page may be the one
    ("Regulations met", "Regulations met", []),
])
def test_not_all_met_in_a_statement_must_show_on_its_key_question(kq: str, safeguarding: str, codes: list[str]) -> None:
    r = parse(kq, safeguarding, nlp=False)
    assert [w.code for w in r.warnings] == codes
    assert r.key_questions[0].rating.value == kq  # flagged, never changed
    if codes:
        assert r.warnings[0].span.text == "Regulations met" and "Safeguarding" in r.warnings[0].message


def test_export_gives_each_statement_judgement(tmp_path: Path) -> None:
    out, db = batch_to_sqlite({"dental.txt": PAGE.format(kq="Not all regulations met",
                                                        safeguarding="Not all regulations met")}, tmp_path)
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT statement_id, score, judgement FROM quality_statements "
                            "ORDER BY statement_no").fetchall()
        assert rows == [("S1", None, "Regulations met"), ("S3", None, "Not all regulations met"),
                        ("S7", None, "Regulations met")]
        assert conn.execute("SELECT rating FROM key_questions").fetchone() == ("Not all regulations met",)
