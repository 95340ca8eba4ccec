"""Consistency checks that make a record trustworthy; each problem becomes a warning.

* the key-question percentage recomputed from its statements' scores against the printed one;
* the printed rating against the band of the percentage (62.5 and 87.5 are flagged, never
  assigned a band: CQC publishes no rounding rule);
* statements under the wrong key question, duplicated, or unknown (the last is raised while
  building statements);
* dates that are impossible (raised while reading them) or out of order (an inspection report
  published before its last visit, too).
"""

from __future__ import annotations

from collections import Counter

from extractor import taxonomy as tx
from models import DateValue, Field, Inspection, KeyQuestion, ScoreCheck, Warning, construct

BOUNDARIES = (62.5, 87.5)
TOLERANCE = 1.0  # printed percentages are whole numbers: a difference under 1 point is rounding


def score_check(kq: KeyQuestion) -> ScoreCheck:
    """Sum, maximum and percentage of the statements' valid (1-4) scores."""
    scores = [s.score.value for s in kq.quality_statements if s.score and 1 <= s.score.value <= 4]
    total, maximum = sum(scores), 4 * len(scores)
    percent = round(100 * total / maximum, 1) if maximum else None
    consistent = None
    if percent is not None and kq.score_percent is not None:
        consistent = abs(100 * total / maximum - kq.score_percent.value) < TOLERANCE
    # Numbers computed here, of the fields' types: built without validation.
    return construct(ScoreCheck, sum=total, max=maximum, percent=percent, consistent=consistent,
                     statements_counted=len(scores))


def check_key_question(kq: KeyQuestion) -> list[Warning]:
    """Warnings about one key question's scores, rating and statements."""
    warnings: list[Warning] = []
    check = kq.computed_from_statements
    name = kq.name.value
    if check and check.consistent is False and kq.score_percent:
        warnings.append(Warning(
            code="kq_score_mismatch",
            message=f"{name}: printed score {kq.score_percent.value} but statements give "
                    f"{check.sum}/{check.max} = {check.percent}",
            span=kq.score_percent.span))
    exact = (100 * check.sum / check.max) if check and check.max else None
    if kq.score_percent is not None:
        percent: float | None = float(kq.score_percent.value)
    else:
        percent = exact
    if exact is not None and any(abs(exact - b) < 1e-9 for b in BOUNDARIES):
        warnings.append(Warning(
            code="score_boundary",
            message=f"{name}: {check.sum}/{check.max} = {exact}% lies on a band boundary; "  # type: ignore[union-attr]
                    "the rating band cannot be decided",
            span=kq.score_percent.span if kq.score_percent else kq.name.span))
    elif percent is not None and kq.rating is not None:
        warnings.extend(check_band(kq.rating, percent, f"{name}: "))
    met, not_met = tx.non_rated_judgements()
    if kq.rating is not None and kq.rating.value == met:
        for s in kq.quality_statements:
            if s.judgement is not None and s.judgement.value == not_met:
                warnings.append(Warning(
                    code="judgement_propagation",
                    message=f"{name}: judged {met!r} but {s.name.value} is {not_met!r}, which shows on its "
                            "key question too",
                    span=kq.rating.span))
    counts = Counter(s.id for s in kq.quality_statements if s.id)
    for s in kq.quality_statements:
        if s.key_question and s.key_question != name:
            warnings.append(Warning(
                code="statement_wrong_key_question",
                message=f"{s.id} {s.name.value} belongs to {s.key_question}, found under {name}",
                span=s.name.span))
    seen: set[str] = set()
    for s in kq.quality_statements:
        if s.id and counts[s.id] > 1 and s.id in seen:
            warnings.append(Warning(code="statement_duplicated",
                                    message=f"{s.id} {s.name.value} appears more than once under {name}",
                                    span=s.name.span))
        if s.id:
            seen.add(s.id)
    return warnings


def check_band(rating: Field[str], percent: float, where: str = "") -> list[Warning]:
    """A printed rating against the band of a percentage (``rating_band_mismatch``, never changed);
    ``where`` begins the message ("Safe: ")."""
    band = tx.band_of(round(percent))
    if band is None or band == rating.value:
        return []
    return [Warning(code="rating_band_mismatch",
                    message=f"{where}rated {rating.value!r} but {round(percent)} falls in the {band!r} band",
                    span=rating.span)]


def check_dates(assessment: Field[DateValue] | None, kqs: list[KeyQuestion]) -> list[Warning]:
    """A key-question date earlier than the assessment it reports on is flagged, never fixed."""
    if assessment is None:
        return []
    out = []
    for kq in kqs:
        if kq.date is not None and kq.date.value.iso < assessment.value.iso:
            out.append(Warning(
                code="date_order",
                message=f"{kq.name.value}: date {kq.date.value.iso} is before the assessment date "
                        f"{assessment.value.iso}",
                span=kq.date.span))
    return out


def check_publication(inspection: Inspection) -> list[Warning]:
    """An inspection report published before its last visit is flagged, never fixed."""
    published = inspection.publication_date
    if published is None or not inspection.visit_dates:
        return []
    last = max(d.value.iso for d in inspection.visit_dates)
    n = min(len(published.value.iso), len(last))  # a month ("2011-03") is compared as a month
    if published.value.iso[:n] >= last[:n]:
        return []
    return [Warning(code="date_order", message=f"published {published.value.iso}, before the inspection "
                    f"visit of {last}", span=published.span)]


def allowed_overall(ratings: list[str]) -> list[str]:
    """The overall ratings CQC's ratings principles (``rating_principles`` in vocabulary.yaml)
    allow for five key-question ratings, worst first: two or more inadequate give inadequate, two
    or more requires improvement give requires improvement, none inadequate and at most one
    requires improvement give good, or outstanding with at least two outstanding and none below
    good; with one inadequate they say only that it is not outstanding."""
    p = tx.rating_principles()
    scale = tx.rating_scale()
    count = Counter(ratings)
    inadequate, ri = count[scale[0]], count[scale[1]]
    if inadequate >= p.inadequate_for_inadequate:
        return [scale[0]]
    if ri >= p.requires_improvement_for_requires_improvement:
        return [scale[1]]
    if inadequate:
        return scale[:3]
    return scale[2:] if count[scale[3]] >= p.outstanding_for_outstanding and not ri else [scale[2]]


def check_rating_principles(overall: Field[str] | None, kq_ratings: list[Field[str]], breaches: int, *,
                            subject: str = "overall rating") -> list[Warning]:
    """An overall rating aggregated from five key questions' against :func:`allowed_overall`, and
    a breach against the cap it puts on a rating: each departure is a ``rating_consistency``
    warning, as the principles hold only "normally". Nothing is checked unless the overall and
    all five ratings are on the four-point scale. ``subject`` opens each message (a core service's
    row of a rating grid names its service)."""
    scale = tx.rating_scale()
    ratings = [k.value for k in kq_ratings]
    if overall is None or overall.value not in scale or len(ratings) != 5 or any(r not in scale for r in ratings):
        return []
    given, cap = overall.value, tx.rating_principles().breach_cap
    problems = []
    if breaches and all(scale.index(r) > scale.index(cap) for r in [given, *ratings]):
        # Read as the cap of the key question the breach concerns, or of the overall rating, a
        # breach leaves some rating at the cap or below.
        problems.append(f"a regulation is breached, but no rating is {cap!r} or below")
    allowed = allowed_overall(ratings)
    if given not in allowed:
        counts = ", ".join(f"{n} {r.lower()}" for r, n in sorted(Counter(ratings).items()))
        problems.append(f"the key questions ({counts}) normally give {' or '.join(map(repr, allowed))}")
    return [Warning(code="rating_consistency", message=f"{subject} {given!r}: {problem}", span=overall.span)
            for problem in problems]


def check_duplicate_key_questions(kqs: list[KeyQuestion]) -> list[Warning]:
    counts = Counter(kq.name.value for kq in kqs)
    seen: set[str] = set()
    out = []
    for kq in kqs:
        if counts[kq.name.value] > 1 and kq.name.value in seen:
            out.append(Warning(code="key_question_duplicated",
                               message=f"{kq.name.value} appears more than once", span=kq.name.span))
        seen.add(kq.name.value)
    return out
