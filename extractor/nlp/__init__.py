"""The NLP stage: entities, quantities, dates, abbreviations and evidence categories.

The pipeline calls :func:`load_pipeline` once per process and :func:`annotate` once per document,
with the document's summary and evidence paragraphs. See ``annotate``'s docstring for the contract.
"""

from extractor.nlp.annotate import NlpResult, TextAnnotation, annotate
from extractor.nlp.model import load_pipeline
from extractor.nlp.redact import redact_people, redact_result

__all__ = ["annotate", "load_pipeline", "NlpResult", "TextAnnotation", "redact_people", "redact_result"]
