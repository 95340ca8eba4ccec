"""The CQC taxonomy and vocabularies, loaded once from ``extractor/data/*.yaml`` and validated.

Matching is by a *match key*: the text folded (quotes, dashes), lower-cased, "&" read as "and",
apostrophes dropped and every other run of non-alphanumerics made one space. Known spelling
variants are aliases in the data; small typos in statement headings are caught by a close match.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from importlib import resources
from typing import Any, Optional

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from extractor.document import fold
from extractor.errors import TaxonomyError

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=8192)
def match_key(text: str) -> str:
    """Normalise a label for matching.

    >>> match_key("Responding to people’s immediate  needs")
    'responding to peoples immediate needs'
    >>> match_key("Well led") == match_key("Well-led")
    True
    """
    folded = fold(text).lower().replace("&", " and ").replace("'", "")
    return _NON_ALNUM.sub(" ", folded).strip()


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class KeyQuestionDef(_Strict):
    name: str
    slug: str
    aliases: list[str]


class StatementDef(_Strict):
    id: str
    key_question: str
    name: str
    aliases: list[str]


class RatingDef(_Strict):
    name: str
    variants: list[str]


class BandDef(_Strict):
    rating: str
    low: int
    high: int


class CoreServiceDef(_Strict):
    name: str
    slug: Optional[str] = None  # the URL path segment, for the services whose pages have one
    variants: list[str] = []  # other names reports print (a rating grid's row names)


class Taxonomy(_Strict):
    key_questions: list[KeyQuestionDef]
    statements: list[StatementDef]

    @model_validator(mode="after")
    def _check(self) -> "Taxonomy":
        kq_names = [k.name for k in self.key_questions]
        if len(kq_names) != 5:
            raise ValueError(f"expected 5 key questions, found {len(kq_names)}")
        ids = [s.id for s in self.statements]
        if len(set(ids)) != len(ids):
            raise ValueError("statement ids are not unique")
        for s in self.statements:
            if s.key_question not in kq_names:
                raise ValueError(f"statement {s.id} names unknown key question {s.key_question!r}")
            if not re.fullmatch(r"[SECRW][1-8]", s.id) or s.id[0] != s.key_question[0].upper():
                raise ValueError(f"statement id {s.id} does not fit key question {s.key_question}")
        keys = [match_key(n) for s in self.statements for n in [s.name, *s.aliases]]
        if len(set(keys)) != len(keys):
            raise ValueError("two statements share a name or alias")
        return self


class NonRatedDef(_Strict):
    met: str
    not_met: str


class RatingPrinciplesDef(_Strict):
    breach_cap: str
    inadequate_for_inadequate: int
    requires_improvement_for_requires_improvement: int
    outstanding_for_outstanding: int


class Vocabulary(_Strict):
    ratings: list[RatingDef]
    non_rated_judgements: NonRatedDef
    score_bands: list[BandDef]
    rating_principles: RatingPrinciplesDef
    not_names: list[str]
    service_types: list[str]
    core_services: list[CoreServiceDef]

    @model_validator(mode="after")
    def _check(self) -> "Vocabulary":
        names = {r.name for r in self.ratings}
        for judgement in (self.non_rated_judgements.met, self.non_rated_judgements.not_met,
                          self.rating_principles.breach_cap):
            if judgement not in names:
                raise ValueError(f"non-rated judgement {judgement!r} is not among the ratings")
        for band in self.score_bands:
            if band.rating not in names:
                raise ValueError(f"score band names unknown rating {band.rating!r}")
        bounds = sorted((b.low, b.high) for b in self.score_bands)
        for (_, high), (low, _) in zip(bounds, bounds[1:]):
            if low != high + 1:
                raise ValueError("score bands must be contiguous")
        return self


class AddressVocabulary(_Strict):
    thoroughfare_words: list[str]
    counties: list[str]
    postcode_areas: list[str]
    town_joiners: list[str]
    multi_word_towns: list[str]


def phrase_pattern(text: str) -> str:
    """A printed phrase as a regex over folded text: case and runs of white space are free (the
    pattern is compiled with ``re.I``)."""
    return r"\s+".join(re.escape(word) for word in fold(text).split())


def phrases_pattern(phrases: list[str]) -> str:
    """Several printed phrases as one alternation of :func:`phrase_pattern`, the longest first (so
    that a phrase is not cut short by another it starts with)."""
    return "|".join(phrase_pattern(p) for p in sorted(phrases, key=len, reverse=True))


def line_pattern(phrases: list[str]) -> re.Pattern[str]:
    """A line of folded text that holds one of the printed phrases alone: one search of a whole
    text finds it, where matching every block would cost every document read."""
    return re.compile(rf"^[ \t]*(?:{phrases_pattern(phrases)})[ \t]*$", re.I | re.M)


def load_yaml(name: str) -> Any:
    """The parsed content of data file ``name`` (not yet validated)."""
    try:
        text = resources.files("extractor.data").joinpath(name).read_text(encoding="utf-8")
        return yaml.safe_load(text)
    except (OSError, yaml.YAMLError) as exc:
        raise TaxonomyError(f"cannot read data file {name}: {exc}") from exc


def load_validated(model: type[BaseModel], name: str) -> Any:
    """Data file ``name`` validated as ``model``; a :class:`TaxonomyError` names what is wrong."""
    try:
        return model.model_validate(load_yaml(name))
    except ValidationError as exc:
        first = exc.errors()[0]
        raise TaxonomyError(f"data file {name} is invalid: {first['loc']}: {first['msg']}") from exc


@lru_cache(maxsize=1)
def taxonomy() -> Taxonomy:
    return load_validated(Taxonomy, "taxonomy.yaml")  # type: ignore[no-any-return]


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    return load_validated(Vocabulary, "vocabulary.yaml")  # type: ignore[no-any-return]


@lru_cache(maxsize=1)
def address_vocabulary() -> AddressVocabulary:
    return load_validated(AddressVocabulary, "address.yaml")  # type: ignore[no-any-return]


def key_question_names() -> list[str]:
    """Every printed name of the five key questions: their names and aliases."""
    return [n for k in taxonomy().key_questions for n in [k.name, *k.aliases]]


@lru_cache(maxsize=1)
def _kq_index() -> dict[str, KeyQuestionDef]:
    return {match_key(n): k for k in taxonomy().key_questions for n in [k.name, *k.aliases]}


@lru_cache(maxsize=1)
def _statement_index() -> dict[str, StatementDef]:
    return {match_key(n): s for s in taxonomy().statements for n in [s.name, *s.aliases]}


@lru_cache(maxsize=1)
def _rating_index() -> dict[str, str]:
    return {match_key(n): r.name for r in vocabulary().ratings for n in [r.name, *r.variants]}


@lru_cache(maxsize=1)
def _service_type_index() -> dict[str, str]:
    return {match_key(n): n for n in vocabulary().service_types}


@lru_cache(maxsize=1)
def _core_service_index() -> dict[str, CoreServiceDef]:
    idx = {match_key(c.name): c for c in vocabulary().core_services}
    idx.update({match_key(c.slug): c for c in vocabulary().core_services if c.slug})
    idx.update({match_key(v): c for c in vocabulary().core_services for v in c.variants})
    return idx


def key_question(text: str) -> KeyQuestionDef | None:
    """The key question a heading names, or None."""
    return _kq_index().get(match_key(text))


def key_question_by_slug(slug: str) -> KeyQuestionDef | None:
    return next((k for k in taxonomy().key_questions if k.slug == slug.lower()), None)


def statement(text: str, *, fuzzy: bool = False) -> tuple[StatementDef, str] | None:
    """The quality statement a heading names, with how it matched ("exact", "alias", "fuzzy")."""
    key = match_key(text)
    found = _statement_index().get(key)
    if found is not None:
        how = "exact" if key == match_key(found.name) else "alias"
        return found, how
    if fuzzy and len(key) >= 8:
        close = difflib.get_close_matches(key, list(_statement_index()), n=1, cutoff=0.9)
        if close:
            return _statement_index()[close[0]], "fuzzy"
    return None


def statements_of(kq_name: str) -> list[StatementDef]:
    return [s for s in taxonomy().statements if s.key_question == kq_name]


def rating(text: str) -> str | None:
    """The canonical rating word for ``text`` (case and known typos tolerated), or None."""
    return _rating_index().get(match_key(text))


def rating_words() -> list[str]:
    """Every printed form of every rating, longest first (for building patterns)."""
    forms = [n for r in vocabulary().ratings for n in [r.name, *r.variants]]
    return sorted(forms, key=len, reverse=True)


def service_type(text: str) -> str | None:
    return _service_type_index().get(match_key(text))


def core_service(text: str) -> CoreServiceDef | None:
    return _core_service_index().get(match_key(text))


def core_service_names() -> list[str]:
    """Every printed name of every core service: canonical names and the variants grids print."""
    return [n for c in vocabulary().core_services for n in [c.name, *c.variants]]


def non_rated_judgements() -> tuple[str, str]:
    """The judgements of services CQC does not rate: (met, not all met)."""
    j = vocabulary().non_rated_judgements
    return j.met, j.not_met


def rating_scale() -> list[str]:
    """The four ratings of a rated service, worst first (the order of the score bands)."""
    return [b.rating for b in sorted(vocabulary().score_bands, key=lambda b: b.low)]


def rating_principles() -> RatingPrinciplesDef:
    """CQC's principles for aggregating five key-question ratings (see vocabulary.yaml)."""
    return vocabulary().rating_principles


def band_of(percent: int) -> str | None:
    """The rating band an integer percentage falls in, or None outside 25-100."""
    for band in vocabulary().score_bands:
        if band.low <= percent <= band.high:
            return band.rating
    return None
