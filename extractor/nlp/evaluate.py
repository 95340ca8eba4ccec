"""Scores of the NLP stage on the labelled set (``corpus/labelled/sentences.jsonl``).

Entities are scored by exact match of (start, end, label) per sentence, per label and overall
(micro-averaged), twice: the model's NER alone (restricted to the labels records keep), and NER
plus the rule layer and the document rules, exactly as :func:`extractor.nlp.annotate.annotate`
runs them. Evidence categories are scored by accuracy over all sentences.

Each sample document is annotated as one document: its sentences are the texts, so names and
abbreviations work across sentences as they do in a report.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language

from extractor.nlp.annotate import NlpResult, annotate
from extractor.nlp.labelled import LabelledDoc, load_jsonl
from extractor.nlp.model import load_pipeline

__all__ = ["LabelScore", "EvalReport", "evaluate", "format_report", "DEFAULT_LABELLED"]

DEFAULT_LABELLED = Path("corpus/labelled/sentences.jsonl")

Key = tuple[str, int, int, int, str]  # doc, sentence index, start, end, label


@dataclass
class LabelScore:
    label: str
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def support(self) -> int:
        return self.tp + self.fn


@dataclass
class EntityScores:
    per_label: dict[str, LabelScore]
    overall: LabelScore
    errors: list[tuple[str, str, str]] = field(default_factory=list)  # kind, label, text


@dataclass
class EvalReport:
    split: str
    sentences: int
    documents: int
    ner_only: EntityScores
    ner_rules: EntityScores
    category_accuracy: float
    category_errors: list[tuple[str, str, str]]  # gold, predicted, sentence
    category_counts: dict[str, tuple[int, int]]  # gold category -> (correct, total)


def _texts(doc: LabelledDoc) -> list[tuple[int, str]]:
    texts, offset = [], 0
    for s in doc.sentences:
        texts.append((offset, s.text))
        offset += len(s.text) + 1
    return texts


def _predicted(doc: LabelledDoc, result: NlpResult) -> set[Key]:
    out: set[Key] = set()
    for s, t in zip(doc.sentences, result.texts):
        for e in t.entities:
            out.add((doc.id, s.index, e.span.start - t.offset, e.span.end - t.offset, e.label))
    return out


def _gold(doc: LabelledDoc) -> set[Key]:
    return {(doc.id, s.index, int(e["start"]), int(e["end"]), str(e["label"]))  # type: ignore[call-overload]
            for s in doc.sentences for e in s.entities}


def _score(gold: set[Key], predicted: set[Key], text_of: dict[tuple[str, int], str]) -> EntityScores:
    labels = sorted({k[4] for k in gold | predicted})
    per = {label: LabelScore(label) for label in labels}
    errors = []
    for key in predicted:
        if key in gold:
            per[key[4]].tp += 1
        else:
            per[key[4]].fp += 1
            errors.append(("FP", key[4], text_of[(key[0], key[1])][key[2]:key[3]]))
    for key in gold - predicted:
        per[key[4]].fn += 1
        errors.append(("FN", key[4], text_of[(key[0], key[1])][key[2]:key[3]]))
    overall = LabelScore("ALL", sum(s.tp for s in per.values()), sum(s.fp for s in per.values()),
                         sum(s.fn for s in per.values()))
    return EntityScores(per, overall, sorted(errors))


def evaluate(path: Path = DEFAULT_LABELLED, *, split: str | None = None, model: str | None = None,
             ner_only: Language | None = None, ner_rules: Language | None = None) -> EvalReport:
    """Score NER alone, NER plus rules, and evidence categories on the labelled set.

    Args:
        path: the built JSONL.
        split: ``"dev"`` (sentences the rules were written against), ``"test"`` (held out), or
            None for all.
        model: the spaCy model to load (default order of :func:`load_pipeline`).
        ner_only, ner_rules: already loaded pipelines, instead of loading them.
    """
    docs = [d for d in load_jsonl(path) if split is None or d.split == split]
    ner_only = ner_only or load_pipeline(model, rules=False)
    ner_rules = ner_rules or load_pipeline(model, rules=True)
    gold: set[Key] = set()
    found_only: set[Key] = set()
    found_rules: set[Key] = set()
    text_of: dict[tuple[str, int], str] = {}
    category_errors: list[tuple[str, str, str]] = []
    per_category: Counter[str] = Counter()
    correct_category: Counter[str] = Counter()
    for doc in docs:
        texts = _texts(doc)
        one_sentence_each = [[(o, o + len(t))] for o, t in texts]
        with_rules = annotate(texts, nlp=ner_rules, names=doc.names, sentences=one_sentence_each,
                              family=doc.family)
        alone = annotate(texts, nlp=ner_only, names=doc.names, sentences=one_sentence_each, family=doc.family)
        gold |= _gold(doc)
        found_rules |= _predicted(doc, with_rules)
        found_only |= _predicted(doc, alone)
        for s, t in zip(doc.sentences, with_rules.texts):
            text_of[(doc.id, s.index)] = s.text
            predicted = t.sentences[0].category or "unclassified"
            per_category[s.category] += 1
            if predicted == s.category:
                correct_category[s.category] += 1
            else:
                category_errors.append((s.category, predicted, s.text))
    total = sum(per_category.values())
    return EvalReport(
        split=split or "all",
        sentences=total,
        documents=len(docs),
        ner_only=_score(gold, found_only, text_of),
        ner_rules=_score(gold, found_rules, text_of),
        category_accuracy=sum(correct_category.values()) / total if total else 0.0,
        category_errors=category_errors,
        category_counts={c: (correct_category[c], n) for c, n in sorted(per_category.items())},
    )


def _table(title: str, scores: EntityScores) -> list[str]:
    lines = [title, f"  {'label':<12}{'P':>7}{'R':>7}{'F1':>7}{'support':>9}"]
    for s in [*scores.per_label.values(), scores.overall]:
        lines.append(f"  {s.label:<12}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}{s.support:>9}")
    return lines


def format_report(report: EvalReport, *, verbose: bool = False) -> str:
    """The report as plain text: two entity tables and the category accuracy."""
    lines = [f"Labelled set ({report.split}): {report.sentences} sentences in {report.documents} documents",
             ""]
    lines += _table("Entities, NER alone", report.ner_only) + [""]
    lines += _table("Entities, NER plus rules", report.ner_rules) + [""]
    lines.append(f"Evidence category accuracy: {report.category_accuracy:.3f}")
    for category, (correct, total) in report.category_counts.items():
        lines.append(f"  {category:<34}{correct:>4} / {total}")
    if verbose:
        lines += ["", "Entity errors (NER plus rules):"]
        lines += [f"  {kind} {label:<11} {text!r}" for kind, label, text in report.ner_rules.errors]
        lines += ["", "Category errors (gold -> predicted):"]
        lines += [f"  {g} -> {p}: {s}" for g, p, s in report.category_errors]
    return "\n".join(lines)
