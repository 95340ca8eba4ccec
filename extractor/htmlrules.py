"""Rules of the HTML reader, loaded once from ``extractor/data/html.yaml`` and validated.

The reader asks three questions of each element, using only its tag, its attributes and the open
elements above it (so a page can be read as a stream, without building a tree):

* :func:`is_dropped`: is this subtree site chrome or hidden (cookie banner, navigation, search
  form, site header/footer, scripts, ``hidden``/``aria-hidden``/``display:none``)?
* :func:`is_address`: does a ``<br>`` inside it join address lines rather than start a block?
* whether it starts a block (``rules().block_tags``).

Chrome is recognised by *words* of the id, class and aria-label (split on ``-``, ``_``, spaces and
camelCase), never by substrings, so ``class="research"`` is not a search box.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from extractor.errors import TaxonomyError

_WORD_SPLIT = re.compile(r"[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])")
_HIDDEN_STYLE = re.compile(r"(?:display\s*:\s*none|visibility\s*:\s*hidden)", re.I)


class HtmlRules(BaseModel):
    """The validated content of ``html.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    drop_tags: frozenset[str]
    landmark_tags: frozenset[str]
    sectioning_tags: frozenset[str]
    drop_roles: frozenset[str]
    search_words: frozenset[str]
    chrome_words: frozenset[str]
    chrome_phrases: tuple[tuple[str, ...], ...]
    hidden_classes: frozenset[str]
    block_tags: frozenset[str]
    heading_tags: frozenset[str]
    list_item_tags: frozenset[str]
    address_words: frozenset[str]

    @field_validator("chrome_phrases", mode="before")
    @classmethod
    def _split_phrases(cls, value: object) -> object:
        if isinstance(value, list):
            return tuple(tuple(str(p).lower().split()) for p in value)
        return value

    @field_validator(
        "drop_tags", "landmark_tags", "sectioning_tags", "drop_roles", "search_words",
        "chrome_words", "hidden_classes", "block_tags", "heading_tags", "list_item_tags",
        "address_words",
    )
    @classmethod
    def _non_empty_lower(cls, value: frozenset[str]) -> frozenset[str]:
        # An empty group would silently switch a rule off; a capital would never match.
        if not value:
            raise ValueError("must not be empty")
        if any(v != v.lower() for v in value):
            raise ValueError("entries must be lower case")
        return value


@lru_cache(maxsize=1)
def rules() -> HtmlRules:
    """The HTML rules (loaded on first use)."""
    try:
        text = resources.files("extractor.data").joinpath("html.yaml").read_text(encoding="utf-8")
        return HtmlRules.model_validate(yaml.safe_load(text))
    except (OSError, yaml.YAMLError) as exc:
        raise TaxonomyError(f"cannot read data file html.yaml: {exc}") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        raise TaxonomyError(f"data file html.yaml is invalid: {first['loc']}: {first['msg']}") from exc


def words(value: str) -> list[str]:
    """The lower-cased words of an attribute value.

    >>> words("cookieBanner js-cookie_consent")
    ['cookie', 'banner', 'js', 'cookie', 'consent']
    """
    return [w.lower() for w in _WORD_SPLIT.split(value) if w]


def _name_words(attrib: Mapping[str, str]) -> list[list[str]]:
    return [words(attrib.get(a, "")) for a in ("id", "class", "aria-label")]


@lru_cache(maxsize=4096)
def _is_chrome_value(value: str) -> bool:
    # Pages repeat the same few class names thousands of times: the answer is cached per value.
    r = rules()
    seq = words(value)
    if r.chrome_words.intersection(seq):
        return True
    joined = f" {' '.join(seq)} "
    return any(f" {' '.join(p)} " in joined for p in r.chrome_phrases)


def is_chrome_name(attrib: Mapping[str, str]) -> bool:
    """Whether id, class or aria-label name a piece of site chrome."""
    return any(_is_chrome_value(v) for a in ("id", "class", "aria-label") if (v := attrib.get(a)))


def is_hidden(attrib: Mapping[str, str]) -> bool:
    """Whether the element is not rendered (``hidden``, ``aria-hidden``, inline style, class)."""
    if "hidden" in attrib or attrib.get("aria-hidden", "").strip().lower() == "true":
        return True
    if _HIDDEN_STYLE.search(attrib.get("style", "")):
        return True
    classes = attrib.get("class", "").lower().split()
    return bool(rules().hidden_classes.intersection(classes))


def is_search_form(attrib: Mapping[str, str]) -> bool:
    """Whether a ``<form>`` start tag says it is a search form."""
    r = rules()
    if "search" in attrib.get("role", "").lower().split():
        return True
    seqs = [*_name_words(attrib), words(attrib.get("action", ""))]
    return any(r.search_words.intersection(seq) for seq in seqs)


def is_search_box(tag: str, attrib: Mapping[str, str]) -> bool:
    """Whether an element inside a form is a search box (which makes the form a search form)."""
    if tag != "input":
        return False
    if attrib.get("type", "").lower() == "search":
        return True
    return bool(rules().search_words.intersection(words(attrib.get("name", ""))))


def is_dropped(tag: str, attrib: Mapping[str, str], *, in_section: bool) -> bool:
    """Whether the subtree of this element is left out of the canonical text.

    ``in_section``: an article, main, section or aside element is open above this one.
    """
    r = rules()
    if tag in r.drop_tags:
        return True
    if tag in r.landmark_tags and not in_section:
        return True
    if r.drop_roles.intersection(attrib.get("role", "").lower().split()):
        return True
    if tag == "form" and is_search_form(attrib):
        return True
    # Pages hidden until their scripts run (anti-flicker snippets) hide <html> or <body>: the
    # saved page is the report all the same.
    return (tag not in ("html", "body") and is_hidden(attrib)) or is_chrome_name(attrib)


def is_address(attrib: Mapping[str, str], tag: str) -> bool:
    """Whether the element holds a postal address (``<address>``, or named so)."""
    if tag == "address":
        return True
    r = rules()
    return any(
        r.address_words.intersection(words(attrib.get(a, "")))
        for a in ("id", "class", "itemprop")
    )
