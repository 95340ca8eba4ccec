"""Scoring records against a corpus of hand-written expected facts.

A corpus folder holds documents (``*.txt``, ``*.html``, ``*.pdf``) each beside ``<stem>.expected.json``.
Every leaf of an expectation is one checked fact; the score is the share of facts the pipeline
reproduces, per document and overall.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extractor.errors import CQCExtractError
from extractor.facts import compare, report_facts
from extractor.pipeline import ExtractOptions, extract_file

DOCUMENT_SUFFIXES = (".txt", ".html", ".htm", ".pdf")


def count_facts(expected: Any) -> int:
    """How many leaf values an expectation states (an empty list or null counts as one)."""
    if isinstance(expected, dict):
        return sum(count_facts(v) for k, v in expected.items() if not k.startswith("_"))
    if isinstance(expected, list) and expected:
        return sum(count_facts(v) for v in expected)
    return 1


@dataclass
class DocumentScore:
    path: str
    facts: int
    differences: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def correct(self) -> int:
        return 0 if self.error else max(self.facts - len(self.differences), 0)


def corpus_documents(folder: Path) -> list[Path]:
    """Documents of a corpus folder that have an expectation beside them, in name order."""
    return sorted(p for p in folder.rglob("*") if p.suffix in DOCUMENT_SUFFIXES
                  and p.with_name(p.stem + ".expected.json").exists())


def score_document(path: Path, options: ExtractOptions) -> DocumentScore:
    expected = json.loads(path.with_name(path.stem + ".expected.json").read_text(encoding="utf-8"))
    score = DocumentScore(path=str(path), facts=count_facts(expected))
    try:
        record = extract_file(path, options=options)
    except CQCExtractError as exc:
        score.error = str(exc)
        return score
    score.differences = compare(report_facts(record), expected)
    return score
