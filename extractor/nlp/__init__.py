"""The NLP stage: entities, quantities, dates, abbreviations and evidence categories.

The pipeline calls :func:`load_pipeline` once per process and :func:`annotate` once per document,
with the document's summary and evidence paragraphs. See ``annotate``'s docstring for the contract.
"""

from typing import Any

from extractor.nlp.annotate import NlpResult, TextAnnotation, annotate
from extractor.nlp.redact import redact_people, redact_result


def __getattr__(name: str) -> Any:
    # Imported on first use: loading spaCy takes seconds, and rules without NER never need it.
    if name == "load_pipeline":
        from extractor.nlp.model import load_pipeline

        return load_pipeline
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = ["annotate", "load_pipeline", "NlpResult", "TextAnnotation", "redact_people", "redact_result"]
