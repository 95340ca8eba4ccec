"""Validating loaders for the NLP data files ``extractor/data/nlp_*.yaml``.

Each file loads into a frozen pydantic model with ``extra="forbid"``, so a misspelt key is an
error rather than a silently ignored rule. A broken file raises
:class:`extractor.errors.TaxonomyError` naming the file and the first problem found. Files are
read once per process.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from extractor.errors import TaxonomyError

__all__ = [
    "EntityRules",
    "TrimRule",
    "CategoryRules",
    "ValueWords",
    "TextWords",
    "entity_rules",
    "category_rules",
    "value_words",
    "text_words",
    "DOMAIN_LABELS",
    "EVIDENCE_CATEGORIES",
    "parse_data",
    "data_text",
]

#: Labels the rule layer adds beyond the model's.
DOMAIN_LABELS = ("ROLE", "REGULATION", "POLICY")

#: CQC's six evidence categories, in CQC's order.
EVIDENCE_CATEGORIES = (
    "People's experience",
    "Feedback from staff and leaders",
    "Feedback from partners",
    "Observation",
    "Processes",
    "Outcomes",
)

_LABEL = r"[A-Z][A-Z_]*"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- nlp_entities.yaml -------------------------------------------------------------------------


class PhraseRule(_Strict):
    """A group of literal terms with one label and one normalised name."""

    id: str
    label: str
    normalised: str
    terms: list[str]
    case_sensitive: bool = False

    @field_validator("terms")
    @classmethod
    def _not_empty(cls, terms: list[str]) -> list[str]:
        if not terms or any(not t.strip() for t in terms):
            raise ValueError("terms must be a non-empty list of non-empty strings")
        return terms


class TokenRule(_Strict):
    """spaCy Matcher patterns with one label."""

    id: str
    label: str
    patterns: list[list[dict[str, Any]]]


class RegexRule(_Strict):
    id: str
    label: str
    pattern: str
    fills_gaps: bool = False  # only where no other entity stands (else it replaces what it overlaps)

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, pattern: str) -> str:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"pattern does not compile: {exc}") from exc
        return pattern


class TrimRule(_Strict):
    """Words a model entity of these labels loses at its start or end ("the World Health
    Organization" -> "World Health Organization", "more than 12 hours" -> "12 hours")."""

    labels: list[str]
    leading: list[str] = []
    trailing: list[str] = []
    # "A to B" becomes two entities when both sides are a number and one of ``units``.
    split_between: list[str] = []
    units: list[str] = []

    @model_validator(mode="after")
    def _words(self) -> "TrimRule":
        if not self.leading and not self.trailing and not self.split_between:
            raise ValueError("a trim rule needs leading, trailing or split_between words")
        if any(not w.strip() for w in [*self.leading, *self.trailing, *self.split_between, *self.units]):
            raise ValueError("trim words must not be empty")
        if bool(self.split_between) != bool(self.units):
            raise ValueError("split_between and units go together")
        return self


class PartsOfDay(_Strict):
    """Parts of the day as entities where the model gives none ("at night", "in the morning")."""

    label: str
    words: list[str]
    # "the" belongs to the span ("in the morning") unless the word describes the noun after it
    # ("the night shift": only "night").
    described_nouns: list[str]


class PolicyRule(_Strict):
    label: str
    heads: list[str]
    joiners: list[str]
    not_first: list[str]
    topics: list[str]


class EntityRules(_Strict):
    version: str
    model_labels: list[str]
    never_entities: list[str]
    person_titles: list[str]
    names_with_capitals: list[str]
    trims: list[TrimRule]
    phrases: list[PhraseRule]
    tokens: list[TokenRule]
    regex: list[RegexRule]
    parts_of_day: PartsOfDay
    policies: PolicyRule

    @model_validator(mode="after")
    def _check(self) -> "EntityRules":
        rules: list[PhraseRule | TokenRule | RegexRule] = [*self.phrases, *self.tokens, *self.regex]
        ids = [r.id for r in rules]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"rule ids are not unique: {duplicates}")
        labels = [r.label for r in rules]
        trimmed = [label for t in self.trims for label in t.labels]
        for label in [*labels, *self.model_labels, self.policies.label, self.parts_of_day.label,
                      *self.names_with_capitals, *trimmed]:
            if not re.fullmatch(_LABEL, label):
                raise ValueError(f"label {label!r} is not an upper-case entity label")
        if not re.fullmatch(r"[a-z_]+\.v\d+", self.version):
            raise ValueError(f"version {self.version!r} is not of the form name.vN")
        return self

    @property
    def labels(self) -> list[str]:
        """Every label a record may carry: kept model labels, then domain labels."""
        rules: list[PhraseRule | TokenRule | RegexRule] = [*self.phrases, *self.tokens, *self.regex]
        rule_labels = [r.label for r in rules]
        out = list(self.model_labels)
        for label in [*rule_labels, self.policies.label, self.parts_of_day.label]:
            if label not in out:
                out.append(label)
        return out

    def normalised_by_id(self) -> dict[str, str]:
        return {r.id: r.normalised for r in self.phrases}


# --- nlp_categories.yaml -----------------------------------------------------------------------


class Cue(_Strict):
    id: str
    category: str
    priority: int
    subjects: list[str] = []
    verb_sets: list[str] = []
    phrases: list[str] = []
    quantity_kinds: list[Literal["percent", "fraction", "count"]] = []
    roles_as_subjects: bool = False

    @model_validator(mode="after")
    def _kind(self) -> "Cue":
        if self.category not in EVIDENCE_CATEGORIES:
            raise ValueError(f"cue {self.id}: unknown evidence category {self.category!r}")
        if bool(self.subjects) != bool(self.verb_sets):
            raise ValueError(f"cue {self.id}: subjects and verb_sets go together")
        kinds = [bool(self.subjects), bool(self.phrases), bool(self.quantity_kinds)]
        if sum(kinds) != 1:
            raise ValueError(f"cue {self.id}: give one of subjects with verb_sets, phrases, "
                             "or quantity_kinds")
        return self

    @property
    def kind(self) -> Literal["reported", "phrases", "quantity"]:
        if self.subjects:
            return "reported"
        return "phrases" if self.phrases else "quantity"


class CategoryRules(_Strict):
    max_gap_words: int
    verb_sets: dict[str, list[str]]
    cues: list[Cue]
    # report family -> reported cue id -> speakers that belong to that cue in that family
    family_subjects: dict[str, dict[str, list[str]]] = {}

    @model_validator(mode="after")
    def _check(self) -> "CategoryRules":
        ids = [c.id for c in self.cues]
        if len(set(ids)) != len(ids):
            raise ValueError("cue ids are not unique")
        for cue in self.cues:
            unknown = [v for v in cue.verb_sets if v not in self.verb_sets]
            if unknown:
                raise ValueError(f"cue {cue.id} names unknown verb sets {unknown}")
        reported = {c.id for c in self.cues if c.kind == "reported"}
        for family, moves in self.family_subjects.items():
            unknown = [cue_id for cue_id in moves if cue_id not in reported]
            if unknown:
                raise ValueError(f"family_subjects.{family} names unknown reported cues {unknown}")
        covered = {c.category for c in self.cues}
        missing = [c for c in EVIDENCE_CATEGORIES if c not in covered]
        if missing:
            raise ValueError(f"no cue for categories {missing}")
        return self


# --- nlp_values.yaml ---------------------------------------------------------------------------


class ValueWords(_Strict):
    units: dict[str, int]
    tens: dict[str, int]
    scales: dict[str, int]
    fractions: dict[str, int]
    ordinals: dict[str, int]
    percent_words: list[str]
    count_units: list[str]
    count_modifiers: list[str]
    months: dict[str, int]
    year_min: int
    year_max: int
    financial_year_start_month: int

    @model_validator(mode="after")
    def _check(self) -> "ValueWords":
        if sorted(set(self.months.values())) != list(range(1, 13)):
            raise ValueError("months must name each of the twelve months")
        if not 1 <= self.financial_year_start_month <= 12:
            raise ValueError("financial_year_start_month must be 1..12")
        if any(v not in (1, 2, 3, 4) for v in self.ordinals.values()):
            raise ValueError("ordinals are for quarters: values 1..4")
        if self.year_min >= self.year_max:
            raise ValueError("year_min must be below year_max")
        return self


# --- nlp_text.yaml -----------------------------------------------------------------------------


class TextWords(_Strict):
    sentence_abbreviations: list[str]
    name_stop_words: list[str]
    name_legal_suffixes: list[str]
    not_initials: list[str]


# --- loading -----------------------------------------------------------------------------------


def parse_data(model: type[BaseModel], text: str, name: str) -> Any:
    """Validate the YAML ``text`` of data file ``name`` into ``model``.

    Raises:
        TaxonomyError: the YAML does not parse or does not fit the model (first problem named).
    """
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise TaxonomyError(f"data file {name} is not valid YAML: {exc}") from exc
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise TaxonomyError(f"data file {name} is invalid: {where}: {first['msg']}") from exc


def data_text(name: str) -> str:
    """The text of a packaged data file."""
    try:
        return resources.files("extractor.data").joinpath(name).read_text(encoding="utf-8")
    except OSError as exc:
        raise TaxonomyError(f"cannot read data file {name}: {exc}") from exc


def _load(model: type[BaseModel], name: str) -> Any:
    return parse_data(model, data_text(name), name)


@lru_cache(maxsize=1)
def entity_rules() -> EntityRules:
    return _load(EntityRules, "nlp_entities.yaml")  # type: ignore[no-any-return]


@lru_cache(maxsize=1)
def category_rules() -> CategoryRules:
    return _load(CategoryRules, "nlp_categories.yaml")  # type: ignore[no-any-return]


@lru_cache(maxsize=1)
def value_words() -> ValueWords:
    return _load(ValueWords, "nlp_values.yaml")  # type: ignore[no-any-return]


@lru_cache(maxsize=1)
def text_words() -> TextWords:
    return _load(TextWords, "nlp_text.yaml")  # type: ignore[no-any-return]
