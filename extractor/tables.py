"""Flattening records into the normalised tables of ``cqc-extract export``.

The tables, their columns, keys and types are data (``extractor/data/tables.yaml``); this module
only maps one :class:`models.Report` to rows of those tables. :func:`report_rows` is pure, and
every row it returns has exactly the declared columns (a test holds it to that).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Optional

import yaml

from extractor.errors import TaxonomyError
from models import Field, Paragraph, RatingStatement, Report, ServiceSection, Span

__all__ = ["Table", "ForeignKey", "table_specs", "report_rows", "TABLE_NAMES"]

COLUMN_TYPES = ("text", "integer", "real", "boolean")
TABLE_NAMES = ("reports", "key_questions", "quality_statements", "standards", "evidence_sentences",
               "entities", "regulation_breaches", "population_groups", "checklist_answers", "grid_ratings",
               "history_entries", "rating_statements", "warnings")

Row = dict[str, Any]


@dataclass(frozen=True)
class ForeignKey:
    columns: tuple[str, ...]
    table: str
    references: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """One table: its columns ``(name, type)`` in order, primary key and foreign keys."""

    name: str
    doc: str
    columns: tuple[tuple[str, str], ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...]

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c for c, _ in self.columns)


def _parse_table(name: str, raw: Any) -> Table:
    if not isinstance(raw, dict) or set(raw) - {"doc", "primary_key", "foreign_keys", "columns"}:
        raise ValueError(f"table {name}: unexpected keys")
    columns = tuple((str(c), str(t)) for c, t in raw["columns"])
    names = [c for c, _ in columns]
    if len(set(names)) != len(names):
        raise ValueError(f"table {name}: duplicate column")
    for col, typ in columns:
        if typ not in COLUMN_TYPES:
            raise ValueError(f"table {name}: column {col} has unknown type {typ!r}")
    pk = tuple(raw["primary_key"])
    if not set(pk) <= set(names):
        raise ValueError(f"table {name}: primary key names unknown columns")
    fks = tuple(ForeignKey(tuple(f["columns"]), f["table"], tuple(f["references"]))
                for f in raw.get("foreign_keys", []))
    for fk in fks:
        if not set(fk.columns) <= set(names) or len(fk.columns) != len(fk.references):
            raise ValueError(f"table {name}: bad foreign key {fk}")
    return Table(name, str(raw.get("doc", "")).strip(), columns, pk, fks)


@lru_cache(maxsize=1)
def table_specs() -> dict[str, Table]:
    """The table definitions, loaded and validated once.

    Raises:
        TaxonomyError: ``tables.yaml`` is missing or malformed.
    """
    try:
        text = resources.files("extractor.data").joinpath("tables.yaml").read_text(encoding="utf-8")
        raw = yaml.safe_load(text)
        specs = {name: _parse_table(name, body) for name, body in raw.items()}
        if tuple(specs) != TABLE_NAMES:
            raise ValueError(f"expected tables {TABLE_NAMES}, found {tuple(specs)}")
        for spec in specs.values():
            for fk in spec.foreign_keys:
                target = specs.get(fk.table)
                if target is None or not set(fk.references) <= set(target.column_names):
                    raise ValueError(f"table {spec.name}: foreign key to unknown {fk.table}")
    except (OSError, yaml.YAMLError, ValueError, TypeError, KeyError) as exc:
        raise TaxonomyError(f"data file tables.yaml is invalid: {exc}") from exc
    return specs


def _value(f: Optional[Field[Any]]) -> Any:
    return None if f is None else f.value


def _start(span: Optional[Span]) -> Optional[int]:
    return None if span is None else span.start


def _end(span: Optional[Span]) -> Optional[int]:
    return None if span is None else span.end


def _joined(values: list[str]) -> Optional[str]:
    return "; ".join(values) if values else None


def _report_row(r: Report, report_id: str) -> Row:
    loc = r.location
    addr = loc.address
    ov, ins, la = r.overview, r.inspection, r.local_authority
    ids = r.identifiers
    return {
        "report_id": report_id,
        "source_id": r.source.id,
        "source_path": r.source.path,
        "source_url": r.source.url or ids.url,
        "media_type": r.source.media_type,
        "encoding": r.source.encoding,
        "canonical_length": r.source.canonical_length,
        "canonical_sha256": r.source.canonical_sha256,
        "pdf_pages": len(r.source.page_starts) if r.source.page_starts else None,
        "schema_version": r.schema_version,
        "document_kind": r.document_kind,
        "location_id": ids.location_id,
        "assessment_id": ids.assessment_id,
        "url_key_question": ids.key_question,
        "url_core_service": ids.core_service,
        "location_name": _value(loc.name),
        "location_name_in_text": _value(loc.name_in_text),
        "location_name_prefix": _value(loc.name_prefix),
        "service_types": _joined([s.value for s in loc.service_types]),
        "core_service": _value(loc.core_service),
        "overall_rating": _value(loc.overall_rating),
        "provider_name": _value(loc.provider),
        "address_premises": _value(addr.premises) if addr else None,
        "address_street": _value(addr.street) if addr else None,
        "address_locality": _value(addr.locality) if addr else None,
        "postal_address_town_city": _value(addr.town) if addr else None,
        "postal_address_county": _value(addr.county) if addr else None,
        "postal_code": _value(addr.postcode) if addr else None,
        "main_phone_number": loc.phone.as_printed if loc.phone else None,
        "main_phone_e164": loc.phone.e164 if loc.phone else None,
        "assessment_date": r.assessment_date.value.iso if r.assessment_date else None,
        "period_start": ov.period_start.value.iso if ov and ov.period_start else None,
        "period_end": ov.period_end.value.iso if ov and ov.period_end else None,
        "visit_dates": _joined([d.value.iso for d in dated.visit_dates]) if (dated := ov or ins) else None,
        "publication_date": ins.publication_date.value.iso if ins and ins.publication_date else None,
        "updated_date": ins.updated.value.iso if ins and ins.updated else None,
        "data_download_date": ins.data_download_date.value.iso if ins and ins.data_download_date else None,
        "previous_overall_rating": _value(ins.previous_rating) if ins else None,
        "previous_overall_publication_date": (ins.previous_publication_date.value.iso
                                              if ins and ins.previous_publication_date else None),
        "overall_rating_change": _value(ins.rating_change) if ins else None,
        "first_inspection": _value(ins.first_inspection) if ins else None,
        "registration_date": ins.registration_date.value.iso if ins and ins.registration_date else None,
        "star_rating_stars": ins.star_rating.stars.value if ins and ins.star_rating else None,
        "star_rating_quality": ins.star_rating.quality.value if ins and ins.star_rating else None,
        "key_questions_assessed": _joined([k.value for k in ov.key_questions_assessed]) if ov else None,
        "statements_assessed": _joined([s.value for s in ov.statements_assessed]) if ov else None,
        "nlp_enabled": r.nlp.enabled,
        "nlp_model": r.nlp.model,
        "nlp_model_version": r.nlp.model_version,
        "redacted_people": r.nlp.redacted_people,
        "page_count": len(r.pages),
        "la_statements_counted": la.statements_counted if la else None,
        "la_score_sum": la.sum if la else None,
        "la_score_max": la.max if la else None,
        "la_score_percent": la.percent if la else None,
        "la_complete": la.complete if la else None,
        "la_band": la.band if la else None,
        "la_score_printed": la.score_percent.value if la and la.score_percent else None,
        "la_score_consistent": la.consistent if la else None,
        "key_question_count": len(r.key_questions),
        "breach_count": len(ins.breaches) if ins else 0,
        "warning_count": len(r.warnings),
    }


class _SentenceRows:
    """Numbers sentences and their entities across a record, in document order."""

    def __init__(self, report_id: str, page_starts: Optional[list[int]] = None) -> None:
        self.report_id = report_id
        self.page_starts = page_starts
        self.sentences: list[Row] = []
        self.entities: list[Row] = []

    def add_entity(self, sentence_no: Optional[int], kind: str, **values: Any) -> None:
        row: Row = {"report_id": self.report_id, "entity_no": len(self.entities),
                    "sentence_no": sentence_no, "kind": kind, "label": None, "text": None,
                    "span_start": None, "span_end": None, "rule": None, "normalised": None,
                    "value": None, "unit": None, "date_start": None, "date_end": None,
                    "granularity": None}
        row.update(values)
        self.entities.append(row)

    def add(self, paragraphs: list[Paragraph], section: str, kq_no: Optional[int],
            statement_no: Optional[int], standard_no: Optional[int] = None, entry_no: Optional[int] = None,
            services: Optional[list[ServiceSection]] = None) -> None:
        for p_no, para in enumerate(paragraphs):
            service = next((s.service.value for s in services or []
                            if s.span.start <= para.span.start < s.span.end), None)
            for sent in para.sentences:
                s_no = len(self.sentences)
                self.sentences.append({
                    "report_id": self.report_id, "sentence_no": s_no, "section": section,
                    "kq_no": kq_no, "statement_no": statement_no, "standard_no": standard_no,
                    "entry_no": entry_no, "service": service,
                    "paragraph_no": p_no,
                    "span_start": sent.span.start, "span_end": sent.span.end,
                    "pdf_page": bisect_right(self.page_starts, sent.span.start) if self.page_starts else None,
                    "text": sent.span.text, "category": sent.category,
                    "category_cue": sent.category_cue,
                })
                for ent in sent.entities:
                    self.add_entity(s_no, "entity", label=ent.label, text=ent.text,
                                 span_start=ent.span.start, span_end=ent.span.end, rule=ent.rule,
                                 normalised=ent.normalised, value=ent.value)
                for q in sent.quantities:
                    self.add_entity(s_no, "quantity", label=q.kind, text=q.span.text,
                                 span_start=q.span.start, span_end=q.span.end, rule=q.rule,
                                 value=q.value, unit=q.unit)
                for d in sent.dates:
                    self.add_entity(s_no, "date", label="DATE", text=d.span.text,
                                 span_start=d.span.start, span_end=d.span.end, rule=d.rule,
                                 date_start=d.start, date_end=d.end, granularity=d.granularity)


def report_rows(report: Report, report_id: Optional[str] = None) -> dict[str, list[Row]]:
    """All table rows of one record, keyed by table name (every table present, maybe empty).

    Args:
        report: the record.
        report_id: the key of the record's rows (default: ``report.source.sha256``).
    """
    rid = report_id or report.source.sha256
    kq_rows: list[Row] = []
    st_rows: list[Row] = []
    text_rows = _SentenceRows(rid, report.source.page_starts)
    if report.overview is not None:
        text_rows.add(report.overview.summary, "overview", None, None)
    standard_rows: list[Row] = []
    if report.inspection is not None:
        text_rows.add(report.inspection.summary, "inspection_summary", None, None)
        for sd_no, sd in enumerate(report.inspection.standards):
            standard_rows.append({
                "report_id": rid, "standard_no": sd_no, "outcome": sd.outcome, "standard": sd.name.value,
                "judgement": _value(sd.judgement), "impact": _value(sd.impact),
                "span_start": sd.span.start, "span_end": sd.span.end,
            })
            text_rows.add(sd.evidence, "standard", None, None, sd_no)
    for kq_no, kq in enumerate(report.key_questions):
        check = kq.computed_from_statements
        kq_rows.append({
            "report_id": rid, "kq_no": kq_no, "key_question": kq.name.value,
            "rating": _value(kq.rating),
            "action": _value(kq.action),
            "previous_rating": _value(kq.previous_rating),
            "rating_change": _value(kq.rating_change),
            "rating_date": kq.date.value.iso if kq.date else None,
            "score_percent": _value(kq.score_percent),
            "computed_sum": check.sum if check else None,
            "computed_max": check.max if check else None,
            "computed_percent": check.percent if check else None,
            "score_consistent": check.consistent if check else None,
            "statements_counted": check.statements_counted if check else None,
            "statements_not_present": _joined([s.id for s in kq.statements_not_present]),
            "span_start": kq.span.start, "span_end": kq.span.end,
        })
        text_rows.add(kq.summary, "key_question_summary", kq_no, None, services=[
            s for s in (report.inspection.service_sections if report.inspection else [])
            if s.key_question == kq.name.value])
        for st_no, st in enumerate(kq.quality_statements):
            st_rows.append({
                "report_id": rid, "kq_no": kq_no, "statement_no": st_no,
                "statement_id": st.id, "statement_name": st.name.value,
                "statement_key_question": st.key_question,
                "score": _value(st.score), "judgement": _value(st.judgement), "basis": st.basis.value,
                "span_start": st.span.start, "span_end": st.span.end,
                "score_start": _start(st.score.span) if st.score else None,
                "score_end": _end(st.score.span) if st.score else None,
            })
            text_rows.add(st.evidence, "statement", kq_no, st_no)
    history_rows: list[Row] = []
    for entry_no, entry in enumerate(report.history or []):
        history_rows.append({
            "report_id": rid, "entry_no": entry_no,
            "start_date": entry.start.value.iso if entry.start else None,
            "end_date": entry.end.value.iso if entry.end else None,
            "kind": entry.kind.value, "previous_rating": _value(entry.previous_rating),
            "previous_publication_date": (entry.previous_publication_date.value.iso
                                          if entry.previous_publication_date else None),
            "rating_change": _value(entry.rating_change), "span_start": entry.span.start, "span_end": entry.span.end})
        text_rows.add(entry.summary, "history", None, None, entry_no=entry_no)
    for ab in report.abbreviations:
        text_rows.add_entity(None, "abbreviation", label="ABBR", text=ab.short,
                          span_start=ab.span.start, span_end=ab.span.end, rule=ab.rule,
                          normalised=ab.long)
    breach_rows = [
        {"report_id": rid, "breach_no": i, "regulation": b.regulation.value, "regulations": b.regulations,
         "regulation_name": _value(b.name), "section": b.section,
         "key_questions": _joined([k.value for k in b.key_questions]),
         "span_start": b.span.start, "span_end": b.span.end, "span_text": b.span.text}
        for i, b in enumerate(report.inspection.breaches if report.inspection else [])
    ]
    group_rows = [
        {"report_id": rid, "group_no": i, "population_group": g.name.value, "rating": g.rating.value,
         "span_start": _start(g.rating.span), "span_end": _end(g.rating.span)}
        for i, g in enumerate(report.inspection.population_groups if report.inspection else [])
    ]
    checklist_rows = [
        {"report_id": rid, "answer_no": i, "key_question": a.key_question, "topic": _value(a.topic),
         "question": a.question.value, "answer": a.answer.value, "span_start": a.span.start, "span_end": a.span.end}
        for i, a in enumerate(report.inspection.checklist if report.inspection else [])
    ]
    grid_rows = [
        {"report_id": rid, "grid_no": grid_no, "row_no": row_no, "grid_kind": grid.kind, "grid_title": _value(grid.title),
         "service": row.service.value, "core_service": row.core_service, "key_question": column,
         "rating": cell.value, "span_start": _start(cell.span), "span_end": _end(cell.span)}
        for grid_no, grid in enumerate(report.inspection.rating_grids if report.inspection else [])
        for row_no, row in enumerate(grid.rows)
        for column, cell in row.ratings.items()
    ]
    located: list[tuple[Optional[int], RatingStatement]] = [
        (None, s) for s in (report.inspection.rating_statements if report.inspection else [])]
    located += [(entry_no, s) for entry_no, entry in enumerate(report.history or [])
                for s in entry.rating_statements]
    statement_rows = [
        {"report_id": rid, "statement_no": i, "entry_no": entry_no, "subject": _value(s.subject),
         "about_location": s.about_location, "key_question": _value(s.key_question), "rating": _value(s.rating),
         "rating_change": _value(s.change), "span_start": s.span.start, "span_end": s.span.end,
         "span_text": s.span.text}
        for i, (entry_no, s) in enumerate(located)
    ]
    warning_rows = [
        {"report_id": rid, "warning_no": i, "code": w.code, "message": w.message,
         "span_start": _start(w.span), "span_end": _end(w.span),
         "span_text": w.span.text if w.span else None}
        for i, w in enumerate(report.warnings)
    ]
    return {
        "reports": [_report_row(report, rid)],
        "key_questions": kq_rows,
        "quality_statements": st_rows,
        "standards": standard_rows,
        "evidence_sentences": text_rows.sentences,
        "entities": text_rows.entities,
        "regulation_breaches": breach_rows,
        "population_groups": group_rows,
        "checklist_answers": checklist_rows,
        "grid_ratings": grid_rows,
        "history_entries": history_rows,
        "rating_statements": statement_rows,
        "warnings": warning_rows,
    }
