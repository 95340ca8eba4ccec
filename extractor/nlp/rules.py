"""The rule layer over the statistical NER (rule set ``cqc_rules.v1``).

Two pipeline components follow the model's ``ner``:

1. ``cqc_rules``: spaCy's ``span_ruler`` with the phrase and token patterns of
   ``nlp_entities.yaml``. It writes ``doc.ents`` through the registered filter
   ``cqc.rules_filter.v1``: rule matches (longest first) replace any model entity they overlap,
   and model entities that are never entities in CQC prose (statement names, "Staff", text with
   bullets or line breaks, unbalanced brackets) or whose label we do not keep are dropped.
2. ``cqc_values``: regular-expression rules of the data file (regulation numbers, which do not
   fall on token boundaries), dates and quantities (:mod:`extractor.nlp.dates`,
   :mod:`extractor.nlp.numbers`). Dates, percentages and fractions replace overlapping model
   entities; counts only fill gaps (the model's CARDINAL for "61" is already right). The values
   found are left in ``doc.user_data`` for :func:`extractor.nlp.annotate.annotate`.

Rule spans carry their rule id in ``Span.id_``; model entities have an empty id.
"""

from __future__ import annotations

import re
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


@registry.misc("cqc.rules_filter.v1")  # type: ignore[untyped-decorator]
def make_rules_filter() -> Callable[[Iterable[Span], Iterable[Span]], list[Span]]:
    """The span ruler's ``ents_filter``: rules win over overlapping model entities."""
    kept_labels = frozenset(entity_rules().model_labels)

    titles = frozenset(t.lower() for t in entity_rules().person_titles)

    def trimmed(e: Span) -> Span | None:
        """A PERSON without its leading title; None when nothing but the title is left."""
        start = e.start
        while start < e.end and e.doc[start].lower_.rstrip(".") in titles:
            start += 1
        if start == e.start:
            return e
        return Span(e.doc, start, e.end, label=e.label_) if start < e.end else None

    def rules_filter(entities: Iterable[Span], spans: Iterable[Span]) -> list[Span]:
        rule_spans = filter_spans([s for s in spans if case_ok(s)])
        model = []
        for e in entities:
            if e.label_ == "PERSON":
                e = trimmed(e)  # type: ignore[assignment]
                if e is None:
                    continue
            keep = e.id_ or (e.label_ in kept_labels and not is_never_entity(e.text))
            if keep and not _overlaps(e, rule_spans):
                model.append(e)
        return model + rule_spans

    return rules_filter


class ValuesComponent:
    """Regex entity rules, dates and quantities (see the module docstring)."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.regex = [(r.id, r.label, re.compile(r.pattern)) for r in entity_rules().regex]

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
        doc.ents = sorted(filter_spans(rule_spans + overriding + model + fills), key=lambda s: s.start)
        doc.user_data[USER_DATA_KEY] = (dates, quantities)
        doc.user_data[SCAN_KEY] = scan
        return doc


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
            "ents_filter": {"@misc": "cqc.rules_filter.v1"},
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
