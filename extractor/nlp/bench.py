"""Throughput of the NLP stage against the plain English pipeline over whole documents.

The baseline is what a naive integration would do: the full ``en_core_web_sm`` pipeline (tagger,
parser, lemmatizer, NER) through ``nlp.pipe`` over each document's whole text. The NLP stage runs
NER and the rule layer only, and only on the prose paragraphs, through :func:`annotate`, which
also splits sentences, normalises values and categorises sentences. Both are timed on the same
documents after a warm-up run; the best of ``repeat`` runs counts.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, Sequence

import spacy

from extractor.document import Document
from extractor.nlp.annotate import annotate
from extractor.nlp.model import DEFAULT_MODELS, load_pipeline
from extractor.textread import read_text

__all__ = ["Throughput", "best_seconds", "prose_texts", "compare_throughput"]


@dataclass(frozen=True)
class Throughput:
    documents: int
    characters: int
    baseline_seconds: float
    nlp_stage_seconds: float

    @property
    def speedup(self) -> float:
        return self.baseline_seconds / self.nlp_stage_seconds if self.nlp_stage_seconds else float("inf")

    def summary(self) -> str:
        b = self.documents / self.baseline_seconds
        n = self.documents / self.nlp_stage_seconds
        return (f"{self.documents} documents ({self.characters} characters): plain pipeline {b:.1f} docs/s, "
                f"NER plus rules on prose {n:.1f} docs/s, {self.speedup:.2f}x")


def prose_texts(document: Document, min_length: int = 60) -> list[tuple[int, str]]:
    """Paragraph blocks long enough to be prose: a stand-in for the pipeline's evidence selection."""
    return [(b.start, b.text) for b in document.blocks if b.kind == "paragraph" and len(b.text) >= min_length]


def best_seconds(run: Callable[[], object], repeat: int) -> float:
    """The least time of ``repeat`` runs of ``run``, after one run to warm caches up."""
    run()  # warm-up: caches, lazy regexes
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def _baseline_model() -> spacy.language.Language:
    for name in DEFAULT_MODELS:
        if spacy.util.is_package(name):
            return spacy.load(name)
    return load_pipeline(rules=False)  # raises ModelNotInstalled with the install command


def compare_throughput(texts: Sequence[str], *, repeat: int = 3) -> Throughput:
    """Time the plain pipeline over whole ``texts`` against the NLP stage over their prose."""
    baseline = _baseline_model()
    ours = load_pipeline()
    documents = [read_text(t, source_id=f"bench-{i}") for i, t in enumerate(texts)]
    prose = [prose_texts(d) for d in documents]

    def run_baseline() -> None:
        for _ in baseline.pipe(texts, batch_size=16):
            pass

    def run_ours() -> None:
        for texts_of_doc in prose:
            annotate(texts_of_doc, nlp=ours)

    return Throughput(len(texts), sum(len(t) for t in texts),
                      best_seconds(run_baseline, repeat), best_seconds(run_ours, repeat))
