"""Pydantic records emitted by cqc-extract.

Every value taken from a document carries a :class:`Span` into the document's canonical text
(``canonical_text[start:end] == span.text``) and the id of the rule that found it. Values that
come from elsewhere (the input's URL) carry ``span=None`` and a rule naming their origin.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, partial
from typing import Any, Generic, Literal, Optional, TypeVar

from pydantic import BaseModel, ConfigDict, Field as PydField
from pydantic.fields import FieldInfo

SCHEMA_VERSION = "1.8"

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

Rating = Literal[
    "Outstanding",
    "Good",
    "Requires improvement",
    "Inadequate",
    "Not rated",
    "Not applicable",
    "Regulations met",
    "Not all regulations met",
    "Inspected but not rated",
    "Insufficient evidence to rate",
    "No published rating",
]

EvidenceCategory = Literal[
    "People's experience",
    "Feedback from staff and leaders",
    "Feedback from partners",
    "Observation",
    "Processes",
    "Outcomes",
    "unclassified",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Span(_Model):
    """A half-open character range of the canonical text, with the text it covers."""

    start: int = PydField(ge=0)
    end: int = PydField(ge=0)
    text: str


class Field(_Model, Generic[T]):
    """An extracted value with where it stands and how it was found."""

    value: T
    span: Optional[Span] = None
    rule: str


class DateValue(_Model):
    """A calendar date as printed and as ISO 8601: ``YYYY-MM-DD``, or ``YYYY-MM`` where only the
    month is printed (the publication month of a 2010-2011 review of compliance)."""

    iso: str
    printed: str


class Address(_Model):
    premises: Optional[Field[str]] = None
    street: Optional[Field[str]] = None
    locality: Optional[Field[str]] = None
    town: Optional[Field[str]] = None
    county: Optional[Field[str]] = None
    postcode: Optional[Field[str]] = None
    span: Span


class Phone(_Model):
    as_printed: str
    e164: Optional[str] = None
    span: Span
    rule: str


class Location(_Model):
    name: Optional[Field[str]] = None
    name_prefix: Optional[Field[str]] = None
    service_types: list[Field[str]] = PydField(default_factory=list)
    core_service: Optional[Field[str]] = None
    overall_rating: Optional[Field[str]] = None
    address: Optional[Address] = None
    phone: Optional[Phone] = None
    provider: Optional[Field[str]] = None
    name_in_text: Optional[Field[str]] = PydField(
        default=None, description="Another name the prose gives the service in its opening sentence "
                                  "(an earlier name, after a rename); the header's name stays the name")


class Identifiers(_Model):
    """Identifiers read from the input's URL (CQC API names: locationId, reportLinkId...)."""

    url: Optional[str] = None
    location_id: Optional[str] = None
    assessment_id: Optional[str] = None
    key_question: Optional[str] = None
    core_service: Optional[str] = None


class Entity(_Model):
    """A named entity or domain term found in summary or evidence text."""

    label: str
    text: str
    span: Span
    rule: str
    normalised: Optional[str] = None
    value: Optional[float] = None


class Abbreviation(_Model):
    short: str
    long: str
    span: Span
    definition_span: Optional[Span] = None
    rule: str


class Quantity(_Model):
    """A percentage, fraction or count with its normalised value."""

    kind: Literal["percent", "fraction", "count"]
    value: float
    unit: Optional[str] = None
    span: Span
    rule: str


class DateExpression(_Model):
    """A date or period written in prose, normalised to ISO dates."""

    start: Optional[str] = None
    end: Optional[str] = None
    granularity: Literal["day", "month", "quarter", "year", "range"]
    span: Span
    rule: str


class Sentence(_Model):
    span: Span
    category: Optional[EvidenceCategory] = None
    category_cue: Optional[str] = None
    entities: list[Entity] = PydField(default_factory=list)
    quantities: list[Quantity] = PydField(default_factory=list)
    dates: list[DateExpression] = PydField(default_factory=list)


class Paragraph(_Model):
    span: Span
    sentences: list[Sentence] = PydField(default_factory=list)


class ScoreCheck(_Model):
    """The key-question percentage recomputed from its statements' scores."""

    sum: int
    max: int
    percent: Optional[float]
    consistent: Optional[bool]
    statements_counted: int


class QualityStatement(_Model):
    id: Optional[str] = PydField(description="Taxonomy id (S1..W8); null when the name is unknown")
    name: Field[str]
    key_question: Optional[str] = PydField(description="The key question the taxonomy puts it under")
    score: Optional[Field[int]] = None
    judgement: Optional[Field[str]] = PydField(
        default=None, description='Services CQC does not rate (dentists, ...): "Regulations met" or "Not all '
                                  'regulations met", in place of a score')
    basis: Field[Literal["assessed", "previous rating"]]
    span: Span
    evidence: list[Paragraph] = PydField(default_factory=list)


class StatementRef(_Model):
    id: str
    name: str


class KeyQuestion(_Model):
    name: Field[str]
    rating: Optional[Field[str]] = None
    action: Optional[Field[str]] = PydField(
        default=None, description='Rating-era reports of services CQC does not rate (dentists, ...): the action '
                                  'printed beside the key question, "No action", "Requirements notice" or '
                                  '"Enforcement action"')
    previous_rating: Optional[Field[str]] = PydField(
        default=None, description='Rating-era reports: the rating at the inspection before, as the key question\'s '
                                  'section gives it ("At the last inspection this key question was rated as good")')
    rating_change: Optional[Field[str]] = PydField(
        default=None, description='How the rating moved since then, as the section says: "improved", "stayed the '
                                  'same" or "went down" ("At this inspection this key question has remained the same")')
    date: Optional[Field[DateValue]] = None
    score_percent: Optional[Field[int]] = None
    computed_from_statements: Optional[ScoreCheck] = None
    summary: list[Paragraph] = PydField(default_factory=list)
    quality_statements: list[QualityStatement] = PydField(default_factory=list)
    statements_not_present: list[StatementRef] = PydField(default_factory=list)
    span: Span


class Warning(_Model):
    code: str
    message: str
    span: Optional[Span] = None


class Source(_Model):
    id: str
    path: Optional[str] = None
    url: Optional[str] = None
    media_type: str
    sha256: str
    encoding: str
    canonical_length: int
    canonical_sha256: str
    page_starts: Optional[list[int]] = PydField(
        default=None, description="PDF input: the offset in the canonical text where each page starts")


class Overview(_Model):
    """Facts of an assessment's overview page: period, visits and what was assessed."""

    period_start: Optional[Field[DateValue]] = None
    period_end: Optional[Field[DateValue]] = None
    visit_dates: list[Field[DateValue]] = PydField(default_factory=list)
    key_questions_assessed: list[Field[str]] = PydField(default_factory=list)
    statements_assessed: list[Field[str]] = PydField(default_factory=list)
    summary: list[Paragraph] = PydField(default_factory=list)


class Breach(_Model):
    """A regulation the provider was found to breach ("Regulation 12 HSCA RA Regulations 2014 Safe
    care and treatment"), from an inspection report's action or enforcement table."""

    regulation: Field[str] = PydField(description='The regulation\'s number as printed: "12", "20A"')
    regulations: Literal["2014", "2010"] = PydField(
        description="Which Health and Social Care Act 2008 (Regulated Activities) Regulations: 2014 "
                    "(fundamental standards) or 2010 (essential standards)")
    name: Optional[Field[str]] = PydField(default=None, description="The regulation's name as printed after '2014'")
    section: Literal["action", "enforcement"] = PydField(
        description='"action": under "Action we have told the provider to take"; "enforcement": '
                    'under "Enforcement actions"')
    key_questions: list[Field[str]] = PydField(
        default_factory=list, description="The key questions whose sections say the regulation was breached "
        '("This was a breach of Regulation 12 (Safe care and treatment) ..." under safe), each pointing at the words')
    span: Span


class PopulationGroup(_Model):
    """A GP practice's rating for one of the six population groups."""

    name: Field[str]
    rating: Field[str]


class ChecklistAnswer(_Model):
    """One row of a Y/N/Partial checklist of a GP practice's inspection evidence table (2019 onward):
    a statement the inspectors checked and their answer."""

    key_question: Optional[str] = PydField(default=None, description="The key question whose part of the table "
                                           "holds the row")
    topic: Optional[Field[str]] = PydField(default=None, description='The checklist\'s title ("Safeguarding"), '
                                           "where printed")
    question: Field[str] = PydField(description="The row's statement as printed (wrapped lines joined)")
    answer: Field[str] = PydField(description='"Yes", "No", "Partial" or "Not applicable" ("N/A" as printed)')
    span: Span


class GridRow(_Model):
    """One row of a rating grid: a core service's rating for each key question and overall, or
    the grid's own overall row (``service`` "Overall")."""

    service: Field[str] = PydField(description="The row's name as printed (wrapped lines joined, a "
                                               "trailing '*' left out)")
    core_service: Optional[str] = PydField(default=None, description="The core service's canonical name "
                                           "(vocabulary.yaml core_services); null for the overall row or a "
                                           "service the vocabulary does not know")
    ratings: dict[str, Field[str]] = PydField(description='Column ("Safe" ... "Well-led", "Overall") -> the '
                                              "cell's rating word")
    span: Span


class RatingGrid(_Model):
    """A rating-era hospital report's grid of its core services' ratings ("Our ratings for this
    hospital"), or its cover's list of each core service's overall rating."""

    kind: Literal["grid", "cover"] = PydField(default="grid", description='"grid": the table of the core '
                                              'services by key question; "cover": the ratings block of '
                                              "the cover listing each core service's overall rating "
                                              "(hospital reports of 2014-2016), rows with an Overall column only")
    title: Optional[Field[str]] = PydField(default=None, description="The line above the grid "
                                           '("Ratings for Northgate Hospital"), without a trailing "are:"')
    rows: list[GridRow] = PydField(default_factory=list)
    span: Span


class ServiceSection(_Model):
    """A hospital report's findings on one key question for one core service: the question's
    section under the service's heading."""

    service: Field[str] = PydField(description="The service's heading as printed")
    core_service: Optional[str] = PydField(default=None, description="Its canonical name, when the "
                                           "vocabulary knows it")
    key_question: str
    rating: Optional[Field[str]] = PydField(default=None, description="The rating the section prints")
    span: Span


class StandardJudgement(_Model):
    """An essential standard of quality and safety (2010-2014) as an inspection judged it."""

    outcome: Optional[int] = PydField(description="The standard's outcome number (1-28)")
    name: Field[str]
    judgement: Optional[Field[str]] = PydField(
        description='"Met this standard", "Action needed" or "Enforcement action taken"')
    impact: Optional[Field[str]] = PydField(default=None, description="minor, moderate or major: the "
                                            "impact on people of a standard not met")
    evidence: list[Paragraph] = PydField(default_factory=list)
    span: Span


class StarRating(_Model):
    """The quality rating of a star-rated key inspection report (2009-2010): "two star good service"."""

    stars: Field[int] = PydField(description="0 to 3")
    quality: Field[str] = PydField(description="poor, adequate, good or excellent")


class RatingStatement(_Model):
    """A rating stated in a sentence of the prose, as reports of 2017 onward state them ("Our
    rating of this service stayed the same. We rated it as good because:", "We rated safe and
    responsive as requires improvement")."""

    subject: Optional[Field[str]] = PydField(
        default=None, description='What is rated, as printed ("this service", "the trust", a named hospital); '
        'a sentence that lists key questions takes the subject of the statement before it')
    key_question: Optional[Field[str]] = PydField(
        default=None, description="The key question rated (canonical name, spanning the printed words); "
        "null when the statement rates the subject overall")
    rating: Optional[Field[str]] = PydField(default=None, description="The rating stated (canonical)")
    change: Optional[Field[str]] = PydField(
        default=None, description='"improved", "stayed the same" or "went down", from "Our rating of ... improved"')
    about_location: bool = PydField(description="Whether the subject is the report's own location "
                                    '("this service", "this hospital"; "the trust" in a trust\'s report)')
    span: Span


class Inspection(_Model):
    """Facts of an inspection report: rating era (October 2014 to 2023), essential standards era
    (2010 to 2014) or star ratings (2009 to 2010): its dates, summary, the regulations found
    breached, and per era the population groups rated, the standards judged or the star rating."""

    visit_dates: list[Field[DateValue]] = PydField(default_factory=list)
    publication_date: Optional[Field[DateValue]] = None
    updated: Optional[Field[DateValue]] = PydField(
        default=None, description='Rating-era web summary pages: the date the summary was updated ("Updated 18 May 2023")')
    summary: list[Paragraph] = PydField(default_factory=list, description="The 'Overall summary' paragraphs")
    previous_rating: Optional[Field[str]] = PydField(
        default=None, description='The location\'s rating before this inspection, as the summary gives it ("The '
                                  'last rating for this service was good (published 12 March 2018)")')
    previous_publication_date: Optional[Field[DateValue]] = PydField(
        default=None, description="When that rating's report was published, where the summary says")
    rating_change: Optional[Field[str]] = PydField(
        default=None, description='How the location\'s rating moved since then, as the summary says: "improved", '
                                  '"stayed the same" or "went down" ("At this inspection the rating has fallen to ...")')
    first_inspection: Optional[Field[bool]] = PydField(
        default=None, description='True where the summary says this is the location\'s first inspection ("This is '
                                  'the first inspection for this newly registered service")')
    registration_date: Optional[Field[DateValue]] = PydField(
        default=None, description='When the location registered, where the summary says ("registered with us on '
                                  '9 April 2019"; the month alone as YYYY-MM)')
    breaches: list[Breach] = PydField(default_factory=list)
    population_groups: list[PopulationGroup] = PydField(default_factory=list, description="GP practices")
    rating_grids: list[RatingGrid] = PydField(default_factory=list, description="Hospitals: the ratings "
                                              "of each core service")
    service_sections: list[ServiceSection] = PydField(
        default_factory=list, description="Hospitals: which core service each key question's section "
                                          "covers (the key question's summary holds its paragraphs)")
    standards: list[StandardJudgement] = PydField(default_factory=list, description="Essential standards "
                                                  "reports (2010-2014)")
    star_rating: Optional[StarRating] = PydField(default=None, description="Star-rated key inspection "
                                                 "reports (2009-2010)")
    rating_statements: list[RatingStatement] = PydField(
        default_factory=list, description="Ratings stated in the summary's sentences (reports of 2017 onward)")
    data_download_date: Optional[Field[DateValue]] = PydField(
        default=None, description='GP inspection evidence tables: the date their data was taken ("Date of data '
                                  'download: 08 July 2019")')
    checklist: list[ChecklistAnswer] = PydField(
        default_factory=list, description="GP inspection evidence tables: every row of their Y/N/Partial checklists")


class LocalAuthorityScore(_Model):
    """The overall score of a local authority assessment, recomputed from its statement scores:
    the sum of the valid (1-4) scores over 4 per statement. CQC rates a local authority on all
    nine statements: ``band`` is given only when all nine are scored (``complete``)."""

    statements_counted: int
    sum: int
    max: int
    percent: Optional[float]
    complete: bool
    band: Optional[Rating] = None
    score_percent: Optional[Field[int]] = PydField(
        default=None, description='The overall score an overview page prints ("scored 67 out of 100 overall")')
    consistent: Optional[bool] = PydField(
        default=None, description="Whether the printed overall score is within 1 point of the recomputed "
                                  "one; null unless both are known and all nine statements are scored")


class PageRef(_Model):
    """One page of an assembled assessment: its source and where its canonical text sits."""

    source: Source
    start: int = PydField(ge=0)
    end: int = PydField(ge=0)


class NlpInfo(_Model):
    """What the NLP stage did: ``enabled`` is spaCy's NER; ``rules`` the rule-based evidence
    categories, values and abbreviations (off only in structure-only runs)."""

    enabled: bool
    rules: bool = False
    model: Optional[str] = None
    model_version: Optional[str] = None
    redacted_people: bool = False


class HistoryEntry(_Model):
    """One entry of a location page's list of all its inspections and assessments (newest first)."""

    start: Optional[Field[DateValue]] = PydField(
        default=None, description="The entry's date, or the first of its dates; an assessment entry may have none")
    end: Optional[Field[DateValue]] = PydField(default=None, description="The last of its dates, when several")
    kind: Field[str] = PydField(description='"During a routine inspection", "During an assessment under our new approach"')
    summary: list[Paragraph] = PydField(default_factory=list)
    rating_statements: list[RatingStatement] = PydField(
        default_factory=list, description="Ratings stated in the entry's summary (2017 onward)")
    previous_rating: Optional[Field[str]] = PydField(
        default=None, description='The rating before, as the entry\'s summary gives it ("The last rating for this '
                                  'service was good (published 12 March 2018)")')
    previous_publication_date: Optional[Field[DateValue]] = None
    rating_change: Optional[Field[str]] = PydField(
        default=None, description='How the rating moved, as the summary says ("improved", "stayed the same", '
                                  '"went down")')
    span: Span


class Report(_Model):
    """One CQC report as a record."""

    schema_version: str = SCHEMA_VERSION
    document_kind: Literal["saf_key_question_page", "saf_assessment", "saf_overview_page", "inspection_report",
                           "la_statement_page", "la_overview_page", "la_assessment", "inspection_summary_page",
                           "location_history_page", "essential_standards_report",
                           "star_rated_report", "inspection_evidence_table"]
    source: Source
    identifiers: Identifiers = PydField(default_factory=Identifiers)
    location: Location
    assessment_date: Optional[Field[DateValue]] = None
    key_questions: list[KeyQuestion] = PydField(default_factory=list)
    overview: Optional[Overview] = None
    inspection: Optional[Inspection] = PydField(default=None, description="Rating-era (2014-2023) and "
                                                "essential standards (2010-2014) reports only")
    local_authority: Optional[LocalAuthorityScore] = PydField(
        default=None, description="Local authority assessments only; their key_questions are the four themes")
    history: Optional[list[HistoryEntry]] = PydField(
        default=None, description="A location page's list of all its inspections and assessments, newest first")
    pages: list[PageRef] = PydField(default_factory=list, description="Pages of an assembled "
                                    "assessment; spans index their canonical texts joined by newlines")
    abbreviations: list[Abbreviation] = PydField(default_factory=list)
    nlp: NlpInfo = PydField(default_factory=lambda: NlpInfo(enabled=False))
    warnings: list[Warning] = PydField(default_factory=list)


# --- Trusted construction -------------------------------------------------------------------------
#
# The extractor builds hundreds of small records per document (a span for every sentence,
# paragraph and field) from values it has computed itself, so validating them buys nothing.
# ``BaseModel.model_construct`` skips validation but still walks every field's aliases in
# Python, which makes it slower than validating; :func:`construct` does only what a record
# needs: its ``__dict__`` in field order (serialisation follows that order), the set of fields
# given (``model_fields_set``) and defaults for the others.

_new = object.__new__
_set_dict = object.__setattr__  # not BaseModel.__setattr__, whose checks run in Python
# The other three live in BaseModel's slots: setting them through their descriptors is cheapest.
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__


@cache
def _fields(cls: type[BaseModel]) -> tuple[tuple[str, ...], dict[str, Any]]:
    """The field names of ``cls`` in order, and how to fill each field left out.

    The filler is ``None`` for a required field, else a function giving the default. Only plain
    records qualify: :func:`construct` sets no private attributes, runs no ``model_post_init``,
    keeps no extra fields and does not call a custom ``__new__``.
    """
    if cls.__pydantic_post_init__ or cls.__private_attributes__ or cls.__pydantic_root_model__ \
            or cls.model_config.get("extra") == "allow" or cls.__new__ is not object.__new__:
        raise TypeError(f"{cls.__name__} cannot be built by construct()")
    fillers = {name: _filler(info) for name, info in cls.__pydantic_fields__.items()}
    return tuple(fillers), fillers


def _filler(info: FieldInfo) -> Callable[[], Any] | None:
    """What fills a field left out: its default factory, or its default (copied as pydantic does)."""
    if info.is_required():
        return None
    if info.default_factory is not None:
        if info.default_factory_takes_validated_data:
            raise TypeError("default factories taking the validated data are not supported")
        return info.default_factory  # type: ignore[return-value]
    default = info.default
    if default is None or type(default) in (bool, int, float, str):
        return lambda: default  # immutable: pydantic hands out the default itself, uncopied
    return partial(info.get_default, call_default_factory=False)


def _complete(cls: type[BaseModel], values: dict[str, Any]) -> dict[str, Any]:
    """``values`` in field order, with the defaults of the fields not given."""
    names, fillers = _fields(cls)
    unknown = values.keys() - fillers.keys()
    if unknown:
        raise TypeError(f"{cls.__name__} has no field {sorted(unknown)[0]!r}")
    out: dict[str, Any] = {}
    for name, fill in fillers.items():
        if name in values:
            out[name] = values[name]
        elif fill is None:
            raise TypeError(f"{cls.__name__}: missing required field {name!r}")
        else:
            out[name] = fill()
    return out


# The field names of each class built so far: the fast path's one look-up, a plain dict being
# cheaper to ask than the cached _fields (a record is built hundreds of times per document).
_field_order: dict[type[BaseModel], tuple[str, ...]] = {}


def construct(cls: type[M], /, **values: Any) -> M:
    """A record of ``cls`` from trusted values, without validation.

    The result equals ``cls.model_construct(**values)``: the same ``__dict__`` (field order,
    defaults filled in, default factories called) and ``model_fields_set`` (the fields given).
    Unlike ``model_construct`` it refuses unknown and missing required fields. Values must
    already have their field's type: nothing is checked or converted. Passing every field in
    declaration order is the fast path.
    """
    fields_set = set(values)
    names = _field_order.get(cls)
    if names is None:
        names = _field_order[cls] = _fields(cls)[0]
    if tuple(values) != names:
        values = _complete(cls, values)
    m = _new(cls)
    _set_dict(m, "__dict__", values)
    _set_fields_set(m, fields_set)
    _set_extra(m, None)
    _set_private(m, None)
    return m
