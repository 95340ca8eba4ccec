"""The rule layer over the statistical NER (rule set ``cqc_rules.v2``).

Two pipeline components follow the model's ``ner``:

1. ``cqc_rules``: spaCy's ``span_ruler`` with the phrase and token patterns of
   ``nlp_entities.yaml``. It writes ``doc.ents`` through the registered filter
   ``cqc.rules_filter.v2``: rule matches (longest first) replace any model entity they overlap,
   and model entities that are never entities in CQC prose (statement names, "Staff", text with
   bullets or line breaks, unbalanced brackets) or whose label we do not keep are dropped. The
   model's spans are first drawn as the labelling guidelines draw them
   (:func:`model_entity_parts`): no title in a name, no "the" before one, no comparison before a
   duration, no joining word after it, two spans for a change between two durations, and no
   name in lower case.
2. ``cqc_values``: regular-expression rules of the data file (regulation numbers, which do not
   fall on token boundaries), dates and quantities (:mod:`extractor.nlp.dates`,
   :mod:`extractor.nlp.numbers`). Dates, percentages and fractions replace overlapping model
   entities; counts, parts of the day and regex rules marked ``fills_gaps`` only fill gaps (the
   model's CARDINAL for "61" is already right). The values found are left in ``doc.user_data``
   for :func:`extractor.nlp.annotate.annotate`.

Rule spans carry their rule id in ``Span.id_``; model entities have an empty id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans, registry

from extractor.document import fold
from extractor.nlp.data import EntityRules, entity_rules
from extractor.nlp.dates import DateMatch, find_dates
from extractor.nlp.numbers import QuantityMatch, QuantityScan, scan_quantities

__all__ = [
    "RULES_PIPE",
    "VALUES_PIPE",
    "USER_DATA_KEY",
    "add_rule_layer",
    "span_ruler_patterns",
    "is_never_entity",
]

RULES_PIPE = "cqc_rules"
COUNTIES_ID = "uk_counties"
PARTS_OF_DAY_ID = "part_of_day"
VALUES_PIPE = "cqc_values"
USER_DATA_KEY = "cqc_values"
SCAN_KEY = "cqc_quantity_scan"  # every quantity of the text, before rule entities claim some
_BAD_ENTITY_TEXT = re.compile(r"[\u2022\n\r\t|]|^\W+$")


@lru_cache(maxsize=1)
def _never_keys() -> frozenset[str]:
    """Folded, lower-cased texts that are never entities: the data list plus the taxonomy."""
    from extractor import taxonomy  # the taxonomy's names are data owned elsewhere

    names = list(entity_rules().never_entities)
    for kq in taxonomy.taxonomy().key_questions:
        names += [kq.name, *kq.aliases]
    for st in taxonomy.taxonomy().statements:
        names += [st.name, *st.aliases]
        names += [part for part in re.split(r",| and ", st.name) if part.strip()]
    names += taxonomy.rating_words()
    return frozenset(_key(n) for n in names)


def _key(text: str) -> str:
    text = fold(text).lower().strip()
    text = re.sub(r"^(the|a|an|our|their)\s+", "", text)
    return re.sub(r"\s+", " ", text)


def is_never_entity(text: str) -> bool:
    """True for model entities that CQC prose never means as entities.

    >>> is_never_entity("Partnerships"), is_never_entity("9BJ (01293"), is_never_entity("Sussex")
    (True, True, False)
    """
    if _BAD_ENTITY_TEXT.search(text):
        return True
    if text.count("(") != text.count(")"):
        return True
    return _key(text) in _never_keys()


def span_ruler_patterns(rules: EntityRules, nlp: Language) -> list[dict[str, object]]:
    """The span ruler's patterns built from the data file.

    Terms written in capitals match exactly (token ORTH); others match by lower case through the
    ruler's phrase matcher.
    """
    patterns: list[dict[str, object]] = []
    for rule in rules.phrases:
        for term in rules_terms(rule.terms):
            # Every term goes to the fast phrase matcher by lower case; the filter then drops
            # matches of case-sensitive terms printed in another case ("nice" is not NICE).
            patterns.append({"label": rule.label, "pattern": term, "id": rule.id})
    from extractor.taxonomy import address_vocabulary  # counties are shared with addresses

    for county in address_vocabulary().counties:
        patterns.append({"label": "GPE", "pattern": county, "id": COUNTIES_ID})
    for token_rule in rules.tokens:
        for token_pattern in token_rule.patterns:
            patterns.append({"label": token_rule.label, "pattern": token_pattern, "id": token_rule.id})
    pol = rules.policies
    first = [t.lower() for t in pol.topics if t.lower() not in pol.not_first]
    topics = [t.lower() for t in pol.topics]
    inner = topics + [j.lower() for j in pol.joiners]
    heads = [h.lower() for h in pol.heads]
    patterns.append({"label": pol.label, "id": "named_policy",
                     "pattern": [{"LOWER": {"IN": first}}, {"LOWER": {"IN": heads}}]})
    patterns.append({"label": pol.label, "id": "named_policy",
                     "pattern": [{"LOWER": {"IN": first}}, {"LOWER": {"IN": inner}, "OP": "*"},
                                 {"LOWER": {"IN": topics}}, {"LOWER": {"IN": heads}}]})
    return patterns


@lru_cache(maxsize=1)
def exact_forms() -> dict[str, str]:
    """Lower-cased form -> the only printed form that matches, for case-sensitive terms."""
    from extractor.taxonomy import address_vocabulary

    forms: dict[str, str] = {}
    for rule in entity_rules().phrases:
        for term in rules_terms(rule.terms):
            if rule.case_sensitive or _exact(term):
                forms[term.lower()] = term
    for county in address_vocabulary().counties:
        forms[county.lower()] = county
    return forms


def case_ok(span: Span) -> bool:
    """False when ``span`` matched a case-sensitive term in another case."""
    text = fold(span.text)
    wanted = exact_forms().get(text.lower())
    return wanted is None or wanted == text


def rules_terms(terms: Iterable[str]) -> list[str]:
    """Terms with curly quotes folded; a term with an apostrophe also matches the curly form."""
    out: list[str] = []
    for term in terms:
        out.append(fold(term))
        if "'" in term:
            out.append(fold(term).replace("'", "\u2019"))
    return out


def _exact(term: str) -> bool:
    letters = [c for c in term if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _overlaps(a: Span | tuple[int, int], spans: Iterable[Span]) -> bool:
    start, end = (a.start_char, a.end_char) if isinstance(a, Span) else a
    return any(start < s.end_char and s.start_char < end for s in spans)


@dataclass(frozen=True)
class _Trims:
    leading: dict[str, list[tuple[str, ...]]]  # label -> word sequences a span loses at its start
    trailing: dict[str, frozenset[str]]  # label -> words a span loses at its end
    split: dict[str, frozenset[str]]  # label -> words between two durations that part them
    units: dict[str, frozenset[str]]  # label -> the units of those durations
    capitals: frozenset[str]  # labels of names, which need a capital


@lru_cache(maxsize=1)
def _trims() -> _Trims:
    rules = entity_rules()
    out = _Trims({"PERSON": [(t.lower(),) for t in rules.person_titles]}, {}, {}, {},
                 frozenset(rules.names_with_capitals))
    for trim in rules.trims:
        for label in trim.labels:
            out.leading.setdefault(label, []).extend(tuple(w.lower().split()) for w in trim.leading)
            for attr, words in ((out.trailing, trim.trailing), (out.split, trim.split_between),
                                (out.units, trim.units)):
                attr[label] = attr.get(label, frozenset()) | {w.lower() for w in words}
    return out


def model_entity_parts(e: Span) -> list[Span]:
    """A model entity as the guidelines draw it: no, one or two spans.

    Titles leave PERSON names ("Mrs Helen Carter"), "the" leaves names, comparisons and joining
    words leave dates and durations ("more than 12 hours", "52 days to"), a change between two
    durations parts in two ("25 minutes to 10 minutes"), and a name written all in lower case is
    none ("fed" of "fed back" as ORG). See ``trims`` in ``nlp_entities.yaml``.
    """
    t = _trims()
    words = [tok.lower_.rstrip(".") if e.label_ == "PERSON" else tok.lower_ for tok in e]
    split, units = t.split.get(e.label_, frozenset()), t.units.get(e.label_, frozenset())
    for i in range(e.start + 2, e.end - 2):
        left, right = (e.start, i), (i + 1, e.end)
        if words[i - e.start] in split and all(_duration(e, words, a, b, units) for a, b in (left, right)):
            return [p for a, b in (left, right) for p in _trimmed(e, words, a, b, t)]
    return _trimmed(e, words, e.start, e.end, t)


def _duration(e: Span, words: list[str], start: int, end: int, units: frozenset[str]) -> bool:
    """Whether tokens ``start:end`` of the doc are a number and a unit ("25 minutes")."""
    return end - start == 2 and e.doc[start].like_num and words[end - 1 - e.start] in units


def _trimmed(e: Span, words: list[str], start: int, end: int, t: _Trims) -> list[Span]:
    moved = True
    while moved and start < end:
        moved = False
        for phrase in t.leading.get(e.label_, ()):
            n = len(phrase)
            if start + n <= end and tuple(words[start - e.start:start - e.start + n]) == phrase:
                start += n
                moved = True
    drop = t.trailing.get(e.label_, frozenset())
    while end > start and words[end - 1 - e.start] in drop:
        end -= 1
    if start >= end:
        return []
    span = e if (start, end) == (e.start, e.end) else Span(e.doc, start, end, label=e.label_)
    if e.label_ in t.capitals and not any(ch.isupper() for ch in span.text):
        return []
    return [span]


@registry.misc("cqc.rules_filter.v2")  # type: ignore[untyped-decorator]
def make_rules_filter() -> Callable[[Iterable[Span], Iterable[Span]], list[Span]]:
    """The span ruler's ``ents_filter``: rules win over overlapping model entities."""
    kept_labels = frozenset(entity_rules().model_labels)

    def rules_filter(entities: Iterable[Span], spans: Iterable[Span]) -> list[Span]:
        rule_spans = filter_spans([s for s in spans if case_ok(s)])
        model = []
        for entity in entities:
            for e in (model_entity_parts(entity) if not entity.id_ else [entity]):
                keep = e.id_ or (e.label_ in kept_labels and not is_never_entity(e.text))
                if keep and not _overlaps(e, rule_spans):
                    model.append(e)
        return model + rule_spans

    return rules_filter


class ValuesComponent:
    """Regex entity rules, dates and quantities (see the module docstring)."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        rules = entity_rules()
        self.regex = [(r.id, r.label, re.compile(r.pattern)) for r in rules.regex if not r.fills_gaps]
        self.gap_regex = [(r.id, r.label, re.compile(r.pattern)) for r in rules.regex if r.fills_gaps]
        self.gap_regex.append((PARTS_OF_DAY_ID, rules.parts_of_day.label, parts_of_day_regex()))

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        folded = fold(text)
        ents = list(doc.ents)
        rule_spans = [e for e in ents if e.id_]
        for rule_id, label, pattern in self.regex:
            for m in pattern.finditer(folded):
                span = doc.char_span(m.start(), m.end(), label=label, alignment_mode="expand",
                                     span_id=rule_id)
                if span is not None:
                    rule_spans.append(span)
        rule_spans = filter_spans(rule_spans)
        model = [e for e in ents if not e.id_ and not _overlaps(e, rule_spans)]

        scan = scan_quantities(text)
        quantities = scan.quantities
        counts = [q for q in quantities if q.kind == "count"]
        dates = [
            d for d in find_dates(text)
            if not _overlaps((d.start, d.end), rule_spans)
            and not (d.granularity == "year" and any(d.start < q.end and q.start < d.end for q in counts))
        ]
        quantities = [q for q in quantities if not _overlaps((q.start, q.end), rule_spans)]

        overriding: list[Span] = []
        for d in dates:
            span = doc.char_span(d.start, d.end, label="DATE", alignment_mode="expand", span_id=d.rule)
            if span is not None:
                overriding.append(span)
        for q in quantities:
            if q.kind == "count":
                continue
            label = "PERCENT" if q.kind == "percent" else "CARDINAL"
            span = doc.char_span(q.number_start, q.number_end, label=label, alignment_mode="expand",
                                 span_id=q.rule)
            if span is not None:
                overriding.append(span)
        overriding = [s for s in filter_spans(overriding) if not _overlaps(s, rule_spans)]
        model = [e for e in model if not _overlaps(e, overriding)]
        fills: list[Span] = []
        taken = rule_spans + overriding + model
        for q in counts:
            span = doc.char_span(q.number_start, q.number_end, label="CARDINAL", alignment_mode="expand",
                                 span_id=q.rule)
            if span is not None and not _overlaps(span, taken) and not is_never_entity(span.text):
                fills.append(span)
        for rule_id, label, pattern in self.gap_regex:
            for m in pattern.finditer(folded):
                span = doc.char_span(m.start(), m.end(), label=label, alignment_mode="expand",
                                     span_id=rule_id)
                if span is not None and not _overlaps(span, taken) and not _overlaps(span, fills):
                    fills.append(span)
        doc.ents = sorted(filter_spans(rule_spans + overriding + model + fills), key=lambda s: s.start)
        doc.user_data[USER_DATA_KEY] = (dates, quantities)
        doc.user_data[SCAN_KEY] = scan
        return doc


@lru_cache(maxsize=1)
def parts_of_day_regex() -> re.Pattern[str]:
    """Parts of the day, with "the" before them unless they describe the next noun."""
    pod = entity_rules().parts_of_day

    def alternation(words: list[str]) -> str:
        return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))

    words, nouns = alternation(pod.words), alternation(pod.described_nouns)
    the = rf"(?:the\s+(?=(?:{words})\b(?!-)(?!\s+(?:{nouns})\b)))?"
    return re.compile(rf"\b{the}(?:{words})\b(?!-)", re.IGNORECASE)


@Language.factory(VALUES_PIPE)
def make_values_component(nlp: Language, name: str) -> ValuesComponent:
    return ValuesComponent(nlp, name)


def add_rule_layer(nlp: Language) -> Language:
    """Add the ``cqc_rules`` span ruler and the ``cqc_values`` component after the NER."""
    rules = entity_rules()
    ruler = nlp.add_pipe(
        "span_ruler",
        name=RULES_PIPE,
        config={
            "spans_key": None,
            "annotate_ents": True,
            "ents_filter": {"@misc": "cqc.rules_filter.v2"},
            "phrase_matcher_attr": "LOWER",
            "overwrite": False,
            "validate": True,
        },
    )
    ruler.add_patterns(span_ruler_patterns(rules, nlp))  # type: ignore[attr-defined]
    # A term like "IR(ME)R" keeps a following full stop in its token ("IR(ME)R."), so the term
    # would never match at the end of a sentence; split the stop off for such terms.
    for rule in rules.phrases:
        for term in rules_terms(rule.terms):
            if _exact(term) and not term.replace(" ", "").isalnum() and len(nlp.make_doc(term)) == 1:
                nlp.tokenizer.add_special_case(  # type: ignore[union-attr]
                    term + ".", [{"ORTH": term}, {"ORTH": "."}])
    nlp.add_pipe(VALUES_PIPE)
    return nlp


def stored_values(doc: Doc) -> tuple[list[DateMatch], list[QuantityMatch]] | None:
    """The dates and quantities ``cqc_values`` left on ``doc``, or None without the component."""
    found = doc.user_data.get(USER_DATA_KEY)
    return found if found is not None else None


def stored_scan(doc: Doc) -> QuantityScan | None:
    """The quantity scan of the whole text ``cqc_values`` left on ``doc``, or None."""
    scan = doc.user_data.get(SCAN_KEY)
    return scan if isinstance(scan, QuantityScan) else None
