"""A compact view of a record: the facts a careful reader takes from a page, without spans.

The corpus keeps its expected results in this form (``corpus/**/NN_name.expected.json``), written
by hand from the page; :func:`compare` lists where a record and the expectation differ.
"""

from __future__ import annotations

from typing import Any

from models import Field, RatingStatement, Report


def _v(field: Field[Any] | None) -> Any:
    return None if field is None else field.value


def _statements(statements: list[RatingStatement]) -> list[dict[str, Any]]:
    return [{"subject": _v(s.subject), "about_location": s.about_location, "key_question": _v(s.key_question), "rating": _v(s.rating),
             "change": _v(s.change)} for s in statements]


def report_facts(report: Report) -> dict[str, Any]:
    """The compact facts of a record (see the module docstring)."""
    loc = report.location
    address = None
    if loc.address is not None:
        a = loc.address
        address = {k: _v(getattr(a, k)) for k in
                   ("premises", "street", "locality", "town", "county", "postcode")}
    phone = None if loc.phone is None else {"as_printed": loc.phone.as_printed, "e164": loc.phone.e164}
    kqs = []
    for kq in report.key_questions:
        check = kq.computed_from_statements
        kqs.append({
            "name": kq.name.value,
            "rating": _v(kq.rating),
            "action": _v(kq.action),
            "previous_rating": _v(kq.previous_rating),
            "rating_change": _v(kq.rating_change),
            "date": kq.date.value.iso if kq.date else None,
            "score_percent": _v(kq.score_percent),
            "computed_from_statements": None if check is None else {
                "sum": check.sum, "max": check.max, "percent": check.percent,
                "consistent": check.consistent},
            "quality_statements": [
                {"id": s.id, "name": s.name.value, "score": _v(s.score), "judgement": _v(s.judgement),
                 "basis": s.basis.value}
                for s in kq.quality_statements],
            "statements_not_present": [f"{r.id} {r.name}" for r in kq.statements_not_present],
        })
    facts: dict[str, Any] = {
        "location": {
            "name": _v(loc.name),
            "service_types": [s.value for s in loc.service_types],
            "address": address,
            "phone": phone,
            "provider": _v(loc.provider),
            "overall_rating": _v(loc.overall_rating),
            "name_in_text": _v(loc.name_in_text),
        },
        "location_id": report.identifiers.location_id,
        "assessment_date": report.assessment_date.value.iso if report.assessment_date else None,
        "key_questions": kqs,
        "warnings": sorted(w.code for w in report.warnings),
    }
    ins = report.inspection
    if ins is not None:  # rating-era reports only: SAF expectations have no such key
        facts["inspection"] = {
            "visit_dates": [d.value.iso for d in ins.visit_dates],
            "publication_date": ins.publication_date.value.iso if ins.publication_date else None,
            "updated": ins.updated.value.iso if ins.updated else None,
            "previous_rating": _v(ins.previous_rating),
            "previous_publication_date": ins.previous_publication_date.value.iso if ins.previous_publication_date else None,
            "rating_change": _v(ins.rating_change),
            "first_inspection": _v(ins.first_inspection),
            "registration_date": ins.registration_date.value.iso if ins.registration_date else None,
            "breaches": [{"regulation": b.regulation.value, "regulations": b.regulations, "name": _v(b.name),
                          "section": b.section, "key_questions": [k.value for k in b.key_questions]}
                         for b in ins.breaches],
            "population_groups": [{"name": g.name.value, "rating": g.rating.value}
                                  for g in ins.population_groups],
            "rating_grids": [{"kind": g.kind, "title": _v(g.title), "rows": [
                {"service": row.service.value, "core_service": row.core_service,
                 "ratings": {k: v.value for k, v in row.ratings.items()}} for row in g.rows]}
                for g in ins.rating_grids],
            "service_sections": [{"service": sec.service.value, "core_service": sec.core_service,
                                  "key_question": sec.key_question, "rating": _v(sec.rating)}
                                 for sec in ins.service_sections],
            "standards": [{"outcome": s.outcome, "name": s.name.value, "judgement": _v(s.judgement),
                           "impact": _v(s.impact)} for s in ins.standards],
            "star_rating": None if ins.star_rating is None else {
                "stars": ins.star_rating.stars.value, "quality": ins.star_rating.quality.value},
            "rating_statements": _statements(ins.rating_statements),
            "data_download_date": ins.data_download_date.value.iso if ins.data_download_date else None,
            "checklist": [{"key_question": a.key_question, "topic": _v(a.topic), "question": a.question.value,
                           "answer": a.answer.value} for a in ins.checklist],
        }
    if report.history is not None:  # location pages listing all inspections only
        facts["history"] = [{"start": e.start.value.iso if e.start else None,
                             "end": e.end.value.iso if e.end else None, "kind": e.kind.value,
                             "rating_statements": _statements(e.rating_statements),
                             "previous_rating": _v(e.previous_rating),
                             "previous_publication_date": (e.previous_publication_date.value.iso
                                                           if e.previous_publication_date else None),
                             "rating_change": _v(e.rating_change)}
                            for e in report.history]
    la = report.local_authority
    if la is not None:  # local authority assessments only
        facts["local_authority"] = {**la.model_dump(mode="json"), "score_percent": _v(la.score_percent)}
    return facts


def compare(actual: Any, expected: Any, path: str = "") -> list[str]:
    """Differences between two fact trees as ``path: expected X, got Y`` lines.

    Only keys present in ``expected`` are compared, so an expectation may state a subset.
    Numbers compare by value (75 equals 75.0).
    """
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path or '.'}: expected an object, got {actual!r}"]
        out = []
        for key, value in expected.items():
            if key.startswith("_"):
                continue
            out.extend(compare(actual.get(key), value, f"{path}.{key}" if path else key))
        return out
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [f"{path}: expected {expected!r}, got {actual!r}"]
        out = []
        for i, (a, e) in enumerate(zip(actual, expected)):
            out.extend(compare(a, e, f"{path}[{i}]"))
        return out
    if actual != expected:
        return [f"{path}: expected {expected!r}, got {actual!r}"]
    return []
