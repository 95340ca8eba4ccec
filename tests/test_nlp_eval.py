"""Scores on the labelled set, the eval-nlp command, and throughput against the plain pipeline.

Floors are pinned below the measured figures (see corpus/labelled/README.md); raise them when the
figures rise, never lower them silently.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor.nlp.evaluate import EvalReport, evaluate

ROOT = Path(__file__).resolve().parent.parent
LABELLED = ROOT / "corpus" / "labelled" / "sentences.jsonl"


@pytest.fixture(scope="module")
def report_all() -> EvalReport:
    return evaluate(LABELLED)


@pytest.fixture(scope="module")
def report_test() -> EvalReport:
    return evaluate(LABELLED, split="test")


def test_acceptance_on_the_labelled_set(report_all: EvalReport) -> None:
    assert report_all.sentences >= 150
    assert report_all.ner_rules.overall.f1 >= 0.90
    assert report_all.category_accuracy >= 0.85
    # Pinned below the measured figures (all: entities 0.976, categories 0.988 with batch 4).
    assert report_all.ner_rules.overall.f1 >= 0.97
    assert report_all.category_accuracy >= 0.98


def test_rules_beat_ner_alone(report_all: EvalReport) -> None:
    assert report_all.ner_rules.overall.f1 > report_all.ner_only.overall.f1 + 0.2
    for label in ("ROLE", "REGULATION", "POLICY"):
        assert report_all.ner_only.per_label[label].f1 == 0.0
        assert report_all.ner_rules.per_label[label].f1 >= 0.9


def test_held_out_floors(report_test: EvalReport) -> None:
    # The held-out split is the fourth batch (97_heldout_batch4.txt), written after the entity
    # fixes of cqc_rules.v2 and scored once before any rule saw it: entity F1 0.934, categories
    # 0.959. The floors sit just below (see corpus/labelled/README.md for the history).
    assert report_test.sentences >= 45
    assert report_test.ner_rules.overall.f1 >= 0.93
    assert report_test.category_accuracy >= 0.95


def test_eval_nlp_command() -> None:
    from extractor.cli import cli

    result = CliRunner().invoke(cli, ["eval-nlp", "--split", "test", "--labelled", str(LABELLED)])
    assert result.exit_code == 0, result.output
    assert "Entities, NER alone" in result.output
    assert "Entities, NER plus rules" in result.output
    assert "Evidence category accuracy:" in result.output
    assert "Labelled set (test):" in result.output


def test_eval_nlp_command_reports_a_missing_model_cleanly(tmp_path: Path) -> None:
    from extractor.cli import cli

    bad = tmp_path / "broken.jsonl"
    bad.write_text('{"doc": "x", "index": 0, "text": "Hi", "category": "unclassified", '
                   '"entities": [{"start": 0, "end": 9, "label": "ORG"}]}\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval-nlp", "--labelled", str(bad)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: broken.jsonl:1: entity offsets outside the sentence")


def test_throughput_beats_the_plain_pipeline() -> None:
    from extractor.nlp.bench import compare_throughput

    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus" / "saf-text").glob("*.txt"))]
    texts.append((ROOT / "seeds" / "000_055984bc2d9da33b.txt").read_text(encoding="utf-8"))
    result = compare_throughput(texts, repeat=2)
    assert result.speedup >= 1.5, result.summary()
