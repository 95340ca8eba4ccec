"""Whole assessments: pages grouped by assessment and merged into one record each."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import CORPUS, iter_spans

from extractor.assemble import assemble, merge, read_page
from extractor.pipeline import ExtractOptions
from models import Report

HTML = CORPUS / "saf-html"
SIX = HTML / "assessment-larkspur-house"
OLDER = HTML / "assessment-larkspur-house-2023"
OPTIONS = ExtractOptions(ner=False)


@pytest.fixture(scope="module")
def six() -> Report:
    assemblies, failures = assemble([str(SIX)], OPTIONS)
    assert failures == [] and len(assemblies) == 1
    return assemblies[0].report


def test_six_pages_give_one_record_with_five_key_questions(six: Report) -> None:
    assert len(list(SIX.glob("*.html"))) == 6
    assert six.document_kind == "saf_assessment"
    assert [k.name.value for k in six.key_questions] == ["Safe", "Effective", "Caring", "Responsive", "Well-led"]
    assert [k.rating.value for k in six.key_questions if k.rating] == ["Good"] * 5
    assert six.location.name and six.location.name.value == "Larkspur House"
    assert six.assessment_date and six.assessment_date.value.iso == "2024-11-05"


def test_six_pages_carry_the_overview_facts(six: Report) -> None:
    ov = six.overview
    assert ov is not None
    assert ov.period_start and ov.period_start.value.iso == "2024-11-05"
    assert ov.period_end and ov.period_end.value.iso == "2024-12-02"
    assert [v.value.iso for v in ov.visit_dates] == ["2024-11-05", "2024-11-12"]
    assert [k.value for k in ov.key_questions_assessed] == ["Safe", "Effective", "Caring", "Responsive", "Well-led"]
    assert len(ov.statements_assessed) == 24
    assert "Kindness, compassion and dignity" in [s.value for s in ov.statements_assessed]
    assert ov.summary


def test_overview_agrees_with_the_carried_over_statements(six: Report) -> None:
    assert not [w for w in six.warnings if w.code.startswith("overview_")]


def test_overview_that_disagrees_is_flagged() -> None:
    (assembly,), _ = assemble([str(OLDER)], OPTIONS)
    codes = [w.code for w in assembly.report.warnings]
    assert codes == ["overview_statement_carried_over"]
    warning = assembly.report.warnings[0]
    assert warning.span is not None and "Medicines optimisation" in assembly.text[warning.span.start - 200:warning.span.end]


def test_every_span_points_into_the_assembled_text() -> None:
    (assembly,), _ = assemble([str(SIX)], OPTIONS)
    spans = list(iter_spans(assembly.report.model_dump(mode="json")))
    assert len(spans) > 200
    for span in spans:
        assert assembly.text[span["start"]:span["end"]] == span["text"]
    assert assembly.report.source.canonical_length == len(assembly.text)
    # Each page sits where the assembly says it does.
    assert [p.source.id.rsplit("/", 1)[-1] for p in assembly.pages][0] == "0_overview.html"
    for part in assembly.pages:
        assert assembly.text[part.start:part.end] == assembly.text[part.start:part.end].strip("\n")


def test_two_assessments_in_one_folder_give_two_records(tmp_path: Path) -> None:
    for page in [*SIX.glob("*.html"), *OLDER.glob("*.html")]:
        shutil.copy(page, tmp_path / f"{page.parent.name}-{page.name}")
    assemblies, failures = assemble([str(tmp_path)], OPTIONS)
    assert failures == []
    by_date = {a.report.assessment_date.value.iso: a.report for a in assemblies if a.report.assessment_date}
    assert sorted(by_date) == ["2023-03-14", "2024-11-05"]
    assert len(by_date["2024-11-05"].key_questions) == 5
    assert [k.name.value for k in by_date["2023-03-14"].key_questions] == ["Safe", "Well-led"]


def test_crawled_pages_in_jsonl_give_the_same_records(tmp_path: Path) -> None:
    crawl = tmp_path / "crawl.jsonl"
    with crawl.open("w", encoding="utf-8") as fh:
        for page in sorted([*OLDER.glob("*.html"), *SIX.glob("*.html")], reverse=True):
            url = f"https://www.cqc.org.uk/location/1-4418820913/reports/{page.parent.name}/{page.stem}"
            fh.write(json.dumps({"url": url, "html": page.read_bytes().decode("utf-8")}) + "\n")
    from_folder, _ = assemble([str(SIX), str(OLDER)], OPTIONS)
    from_crawl, failures = assemble([str(crawl)], OPTIONS)
    assert failures == []
    assert len(from_crawl) == 2
    folder_kqs = sorted((a.report.assessment_date.value.iso, [k.model_dump() for k in a.report.key_questions])
                        for a in from_folder if a.report.assessment_date)
    crawl_kqs = sorted((a.report.assessment_date.value.iso, [k.name.value for k in a.report.key_questions])
                       for a in from_crawl if a.report.assessment_date)
    assert [(d, [k["name"]["value"] for k in kqs]) for d, kqs in folder_kqs] == crawl_kqs
    assert {a.report.identifiers.location_id for a in from_crawl} == {"1-4418820913"}


def test_pages_of_different_locations_are_never_merged() -> None:
    pages = [read_page(p.read_bytes(), source_id=p.name, options=OPTIONS)
             for p in (HTML / "01_brackenridge_nursing_safe.html", HTML / "02_hollin_bank_gp_effective.html")]
    assemblies, _ = assemble([str(HTML / "01_brackenridge_nursing_safe.html"),
                              str(HTML / "02_hollin_bank_gp_effective.html")], OPTIONS)
    assert len(assemblies) == 2
    # A single page comes back as its own record, unchanged.
    assert assemblies[0].report == pages[0].report.model_copy(update={"source": assemblies[0].report.source})


def test_the_same_page_twice_is_taken_once() -> None:
    page = SIX / "1_safe.html"
    one = read_page(page.read_bytes(), source_id="a", options=OPTIONS)
    two = read_page(page.read_bytes(), source_id="b", options=OPTIONS)
    merged = merge([one, two])
    assert len(merged.report.key_questions) == 1
    assert len(merged.pages) == 1


def test_failures_are_reported_not_raised(tmp_path: Path) -> None:
    (tmp_path / "empty.html").write_bytes(b"")
    (tmp_path / "chrome-only.html").write_bytes(
        b"<!doctype html><html><body><nav><ul><li>Home</li></ul></nav></body></html>")
    shutil.copy(SIX / "1_safe.html", tmp_path / "1_safe.html")
    assemblies, failures = assemble([str(tmp_path)], OPTIONS)
    assert len(assemblies) == 1
    assert sorted(f.error.kind for f in failures) == ["EmptyInput", "EmptyInput"]


def test_six_pages_agree_with_the_text_copy_of_the_same_assessment(six: Report) -> None:
    """Sample 08 is the five key-question pages copied as one text; the HTML pages say the same."""
    from extractor.pipeline import extract_file
    from extractor.provenance import differences, without_provenance

    text = without_provenance(extract_file(CORPUS / "saf-text" / "08_larkspur_house_all_five.txt",
                                           options=OPTIONS))
    html = without_provenance(six)
    for key in ("location", "assessment_date", "key_questions"):
        assert differences(html[key], text[key], key) == []
