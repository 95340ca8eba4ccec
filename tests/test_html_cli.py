"""``cqc-extract parse`` on HTML and ``cqc-extract assemble`` on folders and crawls."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from conftest import CORPUS

from extractor.cli import cli

HTML = CORPUS / "saf-html"


def test_parse_reads_an_html_page() -> None:
    result = CliRunner().invoke(cli, ["parse", "--no-ner", str(HTML / "01_brackenridge_nursing_safe.html")])
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["source"]["media_type"] == "text/html"
    assert record["location"]["overall_rating"]["value"] == "Requires improvement"


def test_assemble_writes_one_record_per_assessment(tmp_path: Path) -> None:
    pages = tmp_path / "pages.jsonl"
    result = CliRunner().invoke(cli, [
        "assemble", "--no-ner", "--format", "jsonl", "--pages", str(pages),
        str(HTML / "assessment-larkspur-house"), str(HTML / "assessment-larkspur-house-2023")])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines()]
    assert [r["assessment_date"]["value"]["iso"] for r in records] == ["2024-11-05", "2023-03-14"]
    assert [len(r["key_questions"]) for r in records] == [5, 2]
    maps = [json.loads(line) for line in pages.read_text().splitlines()]
    assert [len(m["pages"]) for m in maps] == [6, 3]
    assert maps[0]["record"] == records[0]["source"]["id"]


def test_assemble_reports_bad_pages_and_still_writes(tmp_path: Path) -> None:
    crawl = tmp_path / "crawl.jsonl"
    page = (HTML / "assessment-larkspur-house" / "1_safe.html").read_text(encoding="utf-8")
    crawl.write_text(json.dumps({"url": "https://www.cqc.org.uk/location/1-4418820913/reports/AP7731/safe",
                                 "html": page}) + "\nnot json\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["assemble", "--no-ner", str(crawl)])
    assert result.exit_code == 1
    record = json.loads(result.stdout)
    assert record["identifiers"]["location_id"] == "1-4418820913"
    assert f"Error: {crawl}:2: line is not JSON" in result.stderr


def test_assemble_of_nothing_is_a_clean_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["assemble", str(tmp_path / "missing")])
    assert result.exit_code == 1
    assert result.output.startswith("Error: no such input")
