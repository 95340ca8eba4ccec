"""The NLP stage's one entry point: ``annotate`` summary and evidence texts of a document.

The pipeline hands over only prose (summary and evidence paragraphs), never headings, addresses,
breadcrumbs or bullets, as ``(offset, text)`` pairs where ``offset`` places the text in the
document's canonical text. Every span in the result indexes the canonical text.

What happens, in order:

1. all texts go through ``nlp.pipe`` in one batch (NER, then the rule layer, see
   :mod:`extractor.nlp.rules`);
2. document-wide rules: abbreviations defined anywhere ("Integrated Care Board (ICB)") and
   initials of the location or provider name ("MIP") are found; every mention of a short form
   takes the label of its long form, the location and provider names become ORG, and a short
   form of a common noun ("MSK" for musculo-skeletal) is never an entity;
3. each text is split into sentences (or the caller's sentence spans are used), and each
   sentence gets its entities, quantities, dates and evidence category.

With ``nlp=None`` (NER switched off) the result has no entities, and ``info.enabled`` is False;
sentences, categories, quantities, dates and abbreviations are rule-based and still present.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, Sequence, TypeVar

from pydantic import TypeAdapter

from extractor.document import fold
from extractor.errors import InputError
from extractor.nlp.abbreviations import AbbreviationMatch, find_abbreviations, short_form_mentions
from extractor.nlp.categories import categorise_paragraphs
from extractor.nlp.data import entity_rules
from extractor.nlp.dates import DateMatch, find_dates
from extractor.nlp.numbers import QuantityMatch, QuantityScan, scan_quantities
from extractor.sentences import split_sentences
from models.record import (
    Abbreviation,
    DateExpression,
    Entity,
    NlpInfo,
    Paragraph,
    Quantity,
    Sentence,
    Span,
    construct,
)

if TYPE_CHECKING:  # spaCy is imported only where a model is used: rules alone never load it
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["annotate", "NlpResult", "TextAnnotation"]

_T = TypeVar("_T", Entity, Quantity, DateExpression)
_ENTITIES = TypeAdapter(list[Entity])
_QUANTITIES = TypeAdapter(list[Quantity])
_DATES = TypeAdapter(list[DateExpression])


@dataclass
class TextAnnotation:
    """What the NLP stage found in one text; every span indexes the canonical text."""

    offset: int
    text: str
    sentences: list[Sentence]
    entities: list[Entity]
    quantities: list[Quantity]
    dates: list[DateExpression]

    @property
    def span(self) -> Span:
        return Span(start=self.offset, end=self.offset + len(self.text), text=self.text)

    def paragraph(self) -> Paragraph:
        """The text as a record paragraph with its sentences."""
        return Paragraph(span=self.span, sentences=self.sentences)


@dataclass
class NlpResult:
    """The NLP stage's result for one document."""

    texts: list[TextAnnotation]
    abbreviations: list[Abbreviation]
    info: NlpInfo
    warnings: list[str] = field(default_factory=list)

    @property
    def entities(self) -> list[Entity]:
        return [e for t in self.texts for e in t.entities]

    def person_spans(self) -> list[tuple[int, int]]:
        """Canonical-text spans of PERSON entities, for :func:`extractor.nlp.redact.redact_people`."""
        return [(e.span.start, e.span.end) for e in self.entities if e.label == "PERSON"]


# --- entities as plain tuples while they are merged ---------------------------------------------


@dataclass
class _Ent:
    start: int  # relative to the text
    end: int
    label: str
    rule: str
    normalised: str | None = None
    value: float | None = None

    @property
    def from_rule(self) -> bool:
        return self.rule.startswith("rule:")


def _overlap(a: _Ent, start: int, end: int) -> bool:
    return a.start < end and start < a.end


def _doc_entities(doc: Doc, dates: list[DateMatch], quantities: list[QuantityMatch]) -> list[_Ent]:
    normalised_by_id = entity_rules().normalised_by_id()
    kept_labels = set(entity_rules().model_labels)
    out = []
    for span in doc.ents:
        if not span.id_ and span.label_ not in kept_labels:
            continue  # NER alone: keep only the labels records use
        ent = _Ent(span.start_char, span.end_char, span.label_,
                   ("rule:" + span.id_.removeprefix("rule:")) if span.id_ else f"ner:{span.label_}")
        if span.id_ in normalised_by_id:
            ent.normalised = normalised_by_id[span.id_]
        elif span.label_ == "REGULATION":
            ent.normalised = re.sub(r"\s+", " ", fold(span.text))
        if span.label_ == "DATE":
            date = next((d for d in dates if d.start < span.end_char and span.start_char < d.end), None)
            if date is not None:
                ent.normalised = date.normalised
        elif span.label_ in ("PERCENT", "CARDINAL"):
            q = next((q for q in quantities
                      if (q.number_start, q.number_end) == (span.start_char, span.end_char)), None)
            if q is not None:
                ent.value = q.value
        out.append(ent)
    return out


def _replace(ents: list[_Ent], new: _Ent) -> list[_Ent]:
    """Add ``new`` unless a rule entity overlaps it; model entities it overlaps go."""
    if any(e.from_rule and _overlap(e, new.start, new.end) for e in ents):
        return ents
    return [e for e in ents if not _overlap(e, new.start, new.end)] + [new]


def _name_spans(text: str, names: Sequence[str]) -> Iterable[tuple[int, int, str]]:
    """Where the location or provider names occur in ``text``, longest name first.

    Case is ignored for names of several words; a one-word name ("Hollybank") must keep its
    capital, so that a home called "Home" does not claim every "home" in the prose.
    """
    folded = fold(text)
    for name in sorted(names, key=len, reverse=True):
        key = fold(name).strip()
        if len(key) < 3:
            continue
        flags = re.IGNORECASE if " " in key else 0
        for m in re.finditer(rf"(?<!\w){re.escape(key)}(?!\w)", folded, flags):
            yield m.start(), m.end(), name


def _document_rules(
    texts: Sequence[tuple[int, str]],
    ents_per_text: list[list[_Ent]],
    abbreviations: list[AbbreviationMatch],
    names: Sequence[str],
) -> None:
    """Names and abbreviations across the document (step 2 of the module docstring)."""
    for (offset, text), ents in zip(texts, ents_per_text):
        for start, end, name in _name_spans(text, names):
            ents[:] = _replace(ents, _Ent(start, end, "ORG", "rule:location_name", normalised=name))
    # The label of each long form, read where it is defined.
    for abbr in abbreviations:
        label: str | None = "ORG" if abbr.rule.endswith("name_initials") else None
        if label is None and abbr.long_start is not None:
            for (offset, text), ents in zip(texts, ents_per_text):
                if offset <= abbr.long_start < offset + len(text):
                    ls, le = abbr.long_start - offset, abbr.long_end - offset  # type: ignore[operator]
                    covering = [e for e in ents if e.start <= ls + 1 and e.end >= le - 1 and e.from_rule]
                    label = covering[0].label if covering else None
        proper = any(w[:1].isupper() for w in abbr.long.split() if len(w) > 3)
        for (offset, text), ents in zip(texts, ents_per_text):
            for start, end in short_form_mentions(abbr.short, text):
                if label is not None:
                    mention = _Ent(start, end, label, "rule:abbreviation", normalised=abbr.long)
                    ents[:] = _replace(ents, mention)
                elif not proper:
                    # "MSK" for "musculo-skeletal" names no organisation or person.
                    ents[:] = [e for e in ents if e.from_rule or not (e.start == start and e.end == end)]


# --- records -----------------------------------------------------------------------------------


def _span(offset: int, text: str, start: int, end: int) -> Span:
    """The span of ``text[start:end]`` in the canonical text: a slice of it, so not validated."""
    return construct(Span, start=offset + start, end=offset + end, text=text[start:end])


def _slice(texts: Sequence[tuple[int, str]], start: int, end: int, fallback: str) -> str:
    """Canonical text of ``start:end`` when a text holds it (a name in the header is not given)."""
    for offset, text in texts:
        if offset <= start and end <= offset + len(text):
            return text[start - offset:end - offset]
    return fallback


def _check(texts: Sequence[tuple[int, str]], sentences: Sequence[Sequence[tuple[int, int]]] | None) -> None:
    for item in texts:
        pair = isinstance(item, tuple) and len(item) == 2
        if not (pair and isinstance(item[0], int) and isinstance(item[1], str)):
            raise InputError(f"annotate() takes (offset, text) pairs; got {item!r:.60}")
    if sentences is not None and len(sentences) != len(texts):
        raise InputError(f"annotate() got {len(sentences)} sentence lists for {len(texts)} texts")


def _sentence_spans(offset: int, text: str, given: Sequence[tuple[int, int]] | None) -> list[tuple[int, int]]:
    if given is None:
        return split_sentences(text)
    spans = []
    for start, end in given:
        s, e = start - offset, end - offset
        if not 0 <= s <= e <= len(text):
            raise InputError(f"sentence span {start}-{end} lies outside the text at "
                             f"{offset}-{offset + len(text)}")
        spans.append((s, e))
    return spans


def _starts(items: Sequence[Entity | Quantity | DateExpression]) -> list[int] | None:
    """Where the items start, when that is in order (else None)."""
    starts = [x.span.start for x in items]
    return starts if starts == sorted(starts) else None


def _within(items: list[_T], starts: list[int] | None, start: int, end: int) -> list[_T]:
    """The items (in order) whose start lies in ``start:end``; ``starts`` from :func:`_starts`."""
    if starts is None:
        return [x for x in items if start <= x.span.start < end]
    return items[bisect_left(starts, start):bisect_left(starts, end)]


def _annotate_text(
    offset: int, text: str, ents: list[_Ent], dates: list[DateMatch], quantities: list[QuantityMatch],
    sentence_spans: list[tuple[int, int]], categories: list[tuple[str, str | None]],
) -> TextAnnotation:
    def span(start: int, end: int) -> dict[str, object]:
        return {"start": offset + start, "end": offset + end, "text": text[start:end]}

    # Records are validated a list at a time: the same records as building each one, faster.
    entities = _ENTITIES.validate_python([
        {"label": e.label, "text": text[e.start:e.end], "span": span(e.start, e.end), "rule": e.rule,
         "normalised": e.normalised, "value": e.value}
        for e in sorted(ents, key=lambda e: e.start)
    ]) if ents else []
    quantity_records = _QUANTITIES.validate_python([
        {"kind": q.kind, "value": q.value, "unit": q.unit, "span": span(q.start, q.end), "rule": q.rule}
        for q in quantities
    ]) if quantities else []
    date_records = _DATES.validate_python([
        {"start": d.start_iso, "end": d.end_iso, "granularity": d.granularity, "span": span(d.start, d.end),
         "rule": d.rule}
        for d in dates
    ]) if dates else []
    entity_starts, quantity_starts, date_starts = (
        _starts(entities), _starts(quantity_records), _starts(date_records))
    # Sentences are built from parts already checked (spans of the text, categories of the data
    # file, validated entities and values), without validation.
    sentences = []
    for (s, e), (category, cue) in zip(sentence_spans, categories):
        lo, hi = offset + s, offset + e
        sentences.append(construct(
            Sentence, span=_span(offset, text, s, e), category=category, category_cue=cue,
            entities=_within(entities, entity_starts, lo, hi) if entities else [],
            quantities=_within(quantity_records, quantity_starts, lo, hi) if quantity_records else [],
            dates=_within(date_records, date_starts, lo, hi) if date_records else []))
    return TextAnnotation(offset, text, sentences, entities, quantity_records, date_records)


def annotate(
    texts: Sequence[tuple[int, str]],
    *,
    nlp: Language | None,
    names: Sequence[str | tuple[int, str]] = (),
    sentences: Sequence[Sequence[tuple[int, int]]] | None = None,
    batch_size: int = 64,
    family: str | None = None,
) -> NlpResult:
    """Annotate the prose texts of one document.

    Args:
        texts: ``(offset, text)`` pairs: each summary or evidence paragraph and where it starts in
            the canonical text.
        nlp: the pipeline from :func:`extractor.nlp.model.load_pipeline`, or None when NER is
            off (no entities; rule-based values, sentences and categories still given).
        names: the location and provider names (strings, or ``(offset, name)`` pairs when their
            place in the canonical text is known): they become ORG entities and their initials
            are read as abbreviations.
        sentences: optional sentence spans per text, in canonical offsets, when the caller has
            already split the text; otherwise a rule-based splitter is used.
        batch_size: texts per ``nlp.pipe`` batch.
        family: the report family, where the evidence-category rules depend on it
            (``"local_authority"``: see :func:`extractor.nlp.categories.categorise`).

    Returns:
        An :class:`NlpResult`: per text its sentences (with category and cue), entities,
        quantities and dates, plus the document's abbreviations and the model used.
    """
    _check(texts, sentences)
    name_strings = [n[1] if isinstance(n, tuple) else n for n in names]
    folded = [fold(t) for _, t in texts]
    abbreviations = find_abbreviations(texts, names, folded=folded)

    values: list[tuple[list[DateMatch], list[QuantityMatch]]] = []
    scans: list[QuantityScan | None] = []
    ents_per_text: list[list[_Ent]] = []
    if nlp is not None:
        from extractor.nlp.model import model_name
        from extractor.nlp.rules import VALUES_PIPE, stored_scan, stored_values

        has_rules = VALUES_PIPE in nlp.pipe_names
        docs = nlp.pipe((t for _, t in texts), batch_size=batch_size)
        for (offset, text), f, doc in zip(texts, folded, docs):
            found = stored_values(doc)
            scan = stored_scan(doc)
            if found is None:
                scan = scan_quantities(text, folded=f)
                found = (find_dates(text, folded=f), scan.quantities)
            values.append(found)
            scans.append(scan)
            ents_per_text.append(_doc_entities(doc, found[0], found[1]))
        if has_rules:
            _document_rules(texts, ents_per_text, abbreviations, name_strings)
        model, version = model_name(nlp)
        info = NlpInfo(enabled=True, model=model, model_version=version)
    else:
        found_scans = [scan_quantities(t, folded=f) for (_, t), f in zip(texts, folded)]
        values = [(find_dates(t, folded=f), scan.quantities)
                  for (_, t), f, scan in zip(texts, folded, found_scans)]
        scans = list(found_scans)
        ents_per_text = [[] for _ in texts]
        info = NlpInfo(enabled=False)

    spans = [_sentence_spans(offset, text, sentences[i] if sentences is not None else None)
             for i, (offset, text) in enumerate(texts)]
    categories = categorise_paragraphs([t for _, t in texts], spans, folded=folded, scans=scans, family=family)
    annotations = [_annotate_text(offset, text, ents_per_text[i], values[i][0], values[i][1], spans[i], categories[i])
                   for i, (offset, text) in enumerate(texts)]

    records = [
        Abbreviation(
            short=a.short, long=a.long,
            span=Span(start=a.short_start, end=a.short_end, text=a.short),
            definition_span=(
                Span(start=a.long_start, end=a.long_end, text=_slice(texts, a.long_start, a.long_end, a.long))
                if a.long_start is not None and a.long_end is not None else None),
            rule=a.rule,
        )
        for a in abbreviations
    ]
    return NlpResult(annotations, records, info)
