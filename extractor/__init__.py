"""cqc-extract: CQC assessment and inspection reports to validated, source-grounded records.

The public surface is small::

    from extractor import extract_file, extract_bytes, ExtractOptions, CQCExtractError
    record = extract_file("page.html", options=ExtractOptions(ner=False))

Names are imported lazily, so importing one stage (``extractor.document``) does not load spaCy.
"""

from __future__ import annotations

from typing import Any

__all__ = ["extract_bytes", "extract_file", "extract_document", "ExtractOptions", "CQCExtractError"]

_WHERE = {
    "extract_bytes": "extractor.pipeline",
    "extract_file": "extractor.pipeline",
    "extract_document": "extractor.pipeline",
    "ExtractOptions": "extractor.pipeline",
    "CQCExtractError": "extractor.errors",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'extractor' has no attribute {name!r}")
