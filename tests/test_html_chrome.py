"""No site chrome (menus, cookie banner, search, footer, sidebars) reaches a record.

The phrases below are the chrome of the corpus' page templates (tools/saf_html/templates/):
none may appear in the canonical text of any HTML corpus page, and so none in any evidence
paragraph, sentence, summary or entity of its record.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest
from conftest import CORPUS

from extractor.pipeline import extract_document
from extractor.reading import read_any

PAGES = sorted((CORPUS / "saf-html").rglob("*.html"))

# Menu entries and links that are chrome as a whole block (the words may occur in report text).
CHROME_BLOCKS = ["Home", "Publications", "Professionals", "News", "Menu", "Search", "Cookies",
                 "Yes", "No", "Public", "Providers", "What we do", "Accessibility", "Privacy"]

# Phrases that only chrome uses.
CHROME_PHRASES = [
    # cookie banners
    "Cookies on the CQC website", "Accept additional cookies", "Reject additional cookies",
    "This site uses cookies", "fine with this", "Cookie settings",
    # header, menus, search, sign-in
    "Skip to main content", "Find and compare services", "Give feedback on care",
    "Guidance and regulation", "Publications", "About us", "Contact us", "Search CQC",
    "Search this site", "Sign in", "Your rights", "Share your experience",
    # breadcrumb and page tools
    "Is this page useful", "Report a problem with this page", "Share this page", "Back to top",
    # sidebar and footer
    "Related pages", "How we rate services", "Tell us about your care", "Accessibility statement",
    "Privacy notice", "Freedom of information", "Follow us on", "Care Quality Commission",
    "Terms and conditions", "Support links",
]


def _evidence_texts(record: dict[str, Any]) -> Iterator[str]:
    """Texts of every paragraph, sentence and entity of a dumped record."""
    if isinstance(record, dict):
        for key, value in record.items():
            if key in ("evidence", "summary"):
                for para in value:
                    yield para["span"]["text"]
                    for sent in para.get("sentences", []):
                        yield sent["span"]["text"]
                        yield from (e["text"] for e in sent.get("entities", []))
            else:
                yield from _evidence_texts(value)
    elif isinstance(record, list):
        for value in record:
            yield from _evidence_texts(value)


def test_templates_hold_the_chrome_phrases() -> None:
    """The phrases are really there in the raw pages (so the test below tests something)."""
    raw = " ".join(p.read_text(encoding="utf-8", errors="replace") for p in PAGES)
    missing = [c for c in [*CHROME_PHRASES, *CHROME_BLOCKS] if c not in raw]
    assert missing == []


@pytest.mark.parametrize("page", PAGES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_no_chrome_in_text_or_evidence(page: Path) -> None:
    doc = read_any(page.read_bytes(), source_id=str(page))
    assert [c for c in CHROME_PHRASES if c in doc.text] == []
    assert [b.text for b in doc.blocks if b.text in CHROME_BLOCKS] == []
    report = extract_document(doc)
    texts = list(_evidence_texts(report.model_dump(mode="json")))
    assert texts or not report.key_questions
    leaked = sorted({c for t in texts for c in CHROME_PHRASES if c in t})
    assert leaked == []
