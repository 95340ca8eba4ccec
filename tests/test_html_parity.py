"""Text and HTML forms of the same report give the same record apart from provenance.

Pairs: ``corpus/saf-html/NN_name.html`` with ``corpus/saf-text/NN_name.txt`` (the seed, and the
location pages of ``corpus/inspection-text/``), and
``corpus/saf-html/NN_name/`` (a text copy of several pages, saved as one HTML page each) with the
same text, assembled. "Provenance" is defined in :mod:`extractor.provenance`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CORPUS, SEEDS

from extractor.assemble import assemble
from extractor.pipeline import ExtractOptions, extract_file
from extractor.provenance import differences, without_provenance

HTML = CORPUS / "saf-html"
OPTIONS = ExtractOptions(ner=False)


def _text_of(name: str) -> Path:
    for folder in (CORPUS / "saf-text", CORPUS / "inspection-text", SEEDS):
        if (folder / f"{name}.txt").exists():
            return folder / f"{name}.txt"
    raise AssertionError(f"no text version of {name}")


PAGES = sorted(HTML.glob("*.html"))
FOLDERS = sorted(p for p in HTML.iterdir() if p.is_dir() and (CORPUS / "saf-text" / f"{p.name}.txt").exists())


def test_there_are_pairs() -> None:
    assert len(PAGES) >= 10
    assert len(FOLDERS) >= 2


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_html_page_gives_the_text_record(page: Path) -> None:
    text_record = without_provenance(extract_file(_text_of(page.stem), options=OPTIONS))
    html_report = extract_file(page, options=OPTIONS)
    assert html_report.source.media_type == "text/html"
    assert differences(without_provenance(html_report), text_record) == []


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_html_pages_assembled_give_the_text_record(folder: Path) -> None:
    """A text holding several pages one after another = those pages saved one by one."""
    text_record = without_provenance(extract_file(_text_of(folder.name), options=OPTIONS))
    assemblies, failures = assemble([str(folder)], OPTIONS)
    assert failures == []
    assert len(assemblies) == 1
    assert differences(without_provenance(assemblies[0].report), text_record) == []


def test_provenance_is_only_where_from() -> None:
    """The stripped record still holds every value: a changed value is a difference."""
    page = HTML / "01_brackenridge_nursing_safe.html"
    record = extract_file(page, options=OPTIONS)
    changed = record.model_copy(deep=True)
    changed.key_questions[0].quality_statements[0].score.value = 4  # type: ignore[union-attr]
    assert differences(without_provenance(changed), without_provenance(record)) != []
    moved = record.model_copy(deep=True)
    moved.source.id = "elsewhere"
    moved.location.name.span.start += 5  # type: ignore[union-attr]
    assert differences(without_provenance(moved), without_provenance(record)) == []


def test_corpus_variants_are_what_they_claim() -> None:
    """The special pages really are special (so their parity tests mean something)."""
    import re

    from extractor.htmldecode import declared_charset
    from extractor.reading import read_any

    badges = (HTML / "01_brackenridge_nursing_safe.html").read_text(encoding="utf-8")
    visible = re.sub(r"<[^>]+>", " ", badges)
    assert "Requires improvement" not in visible and 'alt="Requires improvement"' in badges
    wrong = HTML / "03_kindred_hands_homecare_caring.html"
    assert declared_charset(wrong.read_bytes()) == "utf-8"
    assert read_any(wrong.read_bytes(), source_id="w").encoding == "cp1252"
    latin = HTML / "11_willow_reach_caring_wrong_statement.html"
    assert declared_charset(latin.read_bytes()) == "cp1252"  # declared iso-8859-1
    assert read_any(latin.read_bytes(), source_id="l").encoding == "utf-8"
    assert "\u2019" in read_any(latin.read_bytes(), source_id="l").text
    unclosed = (HTML / "05_brookvale_supported_living_well_led.html").read_text(encoding="utf-8")
    main = unclosed[unclosed.index("location-header"):unclosed.index("page-feedback")]
    assert "</p>" not in main and "</b></i>" in main
