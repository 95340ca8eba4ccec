"""GP practices' inspection evidence tables: cover, ratings, population groups and checklist rows,
with the cells side by side or each on its own line; the checklist table and README query."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CORPUS

from extractor.errors import UnsupportedReportFamily
from extractor.pipeline import ExtractOptions, extract_bytes

ROOT = Path(__file__).resolve().parent.parent
HEAD = ("Care Quality Commission\nInspection Evidence Table\nBeckside Health Centre (1-1234567890)\n"
        "Inspection date: 7 February 2023\nDate of data download: 25 January 2023\nOverall rating: Good\n")


def read(text: str):
    return extract_bytes(text.encode(), source_id="table.txt", options=ExtractOptions(nlp=False))


def rows(record) -> list[tuple]:
    return [(a.key_question, a.topic.value if a.topic else None, a.question.value, a.answer.value)
            for a in record.inspection.checklist]


def test_the_cover_gives_the_location_its_id_dates_and_rating() -> None:
    r = read(HEAD + "Safe   Rating: Good\nThe practice kept patients safe.\n")
    assert r.document_kind == "inspection_evidence_table"
    assert (r.location.name.value, r.identifiers.location_id) == ("Beckside Health Centre", "1-1234567890")
    assert [d.value.iso for d in r.inspection.visit_dates] == ["2023-02-07"]
    assert r.inspection.data_download_date.value.iso == "2023-01-25"
    assert r.location.overall_rating.value == "Good"
    assert [(k.name.value, k.rating.value) for k in r.key_questions] == [("Safe", "Good")]
    # An identifier from the input's URL is kept over the printed one.
    from_url = extract_bytes((HEAD + "Safe   Rating: Good\n").encode(), source_id="t",
                             url="https://www.cqc.org.uk/location/1-999999999", options=ExtractOptions(nlp=False))
    assert from_url.identifiers.location_id == "1-999999999"


@pytest.mark.parametrize("body", [
    # Cells side by side, a row wrapped with its answer on its first line and on its last.
    ("Safe      Rating: Requires improvement\n"
     "Safeguarding                                   Y/N/Partial\n"
     "There was a lead member of staff for safeguarding.    Yes\n"
     "Staff had been trained to the level their role       Partial\n"
     "required.\n"
     "Records of checks were kept for every member of\n"
     "staff employed.                                      No\n"
     "Explanation of any answers and additional evidence:\n"
     "Two staff had not completed level 3 training.\n"),
    # Each cell on its own line.
    ("Safe\nRating: Requires improvement\n"
     "Safeguarding\nY/N/Partial\n"
     "There was a lead member of staff for safeguarding.\nYes\n"
     "Staff had been trained to the level their role required.\nPartial\n"
     "Records of checks were kept for every member of staff employed.\nNo\n"
     "Explanation of any answers and additional evidence:\n"
     "Two staff had not completed level 3 training.\n"),
])
def test_each_checklist_row_gives_its_statement_and_answer(body: str) -> None:
    r = read(HEAD + body)
    assert rows(r) == [
        ("Safe", "Safeguarding", "There was a lead member of staff for safeguarding.", "Yes"),
        ("Safe", "Safeguarding", "Staff had been trained to the level their role required.", "Partial"),
        ("Safe", "Safeguarding", "Records of checks were kept for every member of staff employed.", "No")]
    safe = r.key_questions[0]
    for a in r.inspection.checklist:
        assert a.answer.span.text == a.answer.value
        assert a.span.start <= a.question.span.start and a.answer.span.end <= a.span.end
        assert safe.span.start <= a.span.start and a.span.end <= safe.span.end  # the key question's part holds it
    # The explanation is the key question's prose; the rows are not.
    assert [p.span.text for p in r.key_questions[0].summary] == ["Two staff had not completed level 3 training."]
    assert r.warnings == []  # one key question requiring improvement still normally gives good


def test_a_row_without_an_answer_is_flagged_not_kept() -> None:
    r = read(HEAD + "Well-led   Rating: Good\n"
             "Governance arrangements                         Y/N/Partial\n"
             "There were governance structures which were reviewed.\n"
             "Explanation of any answers and additional evidence:\n"
             "Staff were clear about their roles.\n")
    assert rows(r) == []
    assert [(w.code, w.span.text) for w in r.warnings] == [
        ("checklist_unanswered", "There were governance structures which were reviewed.")]


def test_population_groups_and_na_answers() -> None:
    r = read(HEAD + "Effective\nRating: Good\n"
             "Older people\nPopulation group rating: Good\nFindings\n"
             "• Health checks were offered to patients over 75.\n"
             "People with long term conditions      Population group rating: Requires improvement\n"
             "Y/N/Partial\n"
             "There was a system to follow up patients at the branch surgery.     N/A\n")
    assert [(g.name.value, g.rating.value) for g in r.inspection.population_groups] == [
        ("Older people", "Good"), ("People with long-term conditions", "Requires improvement")]
    assert rows(r) == [("Effective", None, "There was a system to follow up patients at the branch surgery.",
                        "Not applicable")]


def test_a_table_with_no_rating_or_date_is_refused() -> None:
    with pytest.raises(UnsupportedReportFamily, match="evidence table"):
        read("Care Quality Commission\nInspection Evidence Table\nBeckside Health Centre\nSome notes.\n")


def test_the_readme_query_counts_answers_per_statement(tmp_path: Path) -> None:
    out = tmp_path / "records.jsonl"
    cli = [sys.executable, "-m", "extractor.cli"]
    subprocess.run([*cli, "batch", str(CORPUS / "evidence-text"), "-o", str(out), "--no-ner", "--jobs", "1"],
                   check=True, capture_output=True, cwd=ROOT)
    subprocess.run([*cli, "export", str(out), "--to", "sqlite", str(tmp_path / "t.sqlite")],
                   check=True, capture_output=True, cwd=ROOT)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Inspection evidence tables"):]
    query = re.search(r"```sql\n(.*?)```", section, re.S)
    assert query is not None
    with sqlite3.connect(tmp_path / "t.sqlite") as conn:
        found = conn.execute(query.group(1)).fetchall()
    lead = "There was a lead member of staff for safeguarding processes and procedures."
    assert (lead, "Yes", 3) in found
    assert ("Disclosure and Barring Service (DBS) checks were undertaken where required.", "No", 1) in found
    assert sum(n for _, _, n in found) == 23
