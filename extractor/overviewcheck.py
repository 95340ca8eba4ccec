"""Cross-checks between an overview page and the key-question pages of the same assessment.

The overview lists the key questions and quality statements that were assessed; each
key-question page says, statement by statement, whether its score is fresh or carried over from
the previous rating. The two must agree. Disagreements are warnings, never corrections:

* ``overview_statement_carried_over``: listed as assessed, but its page says carried over;
* ``overview_statement_not_listed``: its page has fresh evidence, but the overview omits it;
* ``overview_key_question_not_listed``: a key question with assessed statements that the
  overview does not name;
* ``overview_key_question_not_assessed``: a key question the overview names whose page marks
  every statement as carried over.

Checks run only where the overview gives a list, and only for key questions whose page is there.
"""

from __future__ import annotations

from extractor import taxonomy as tx
from models import KeyQuestion, Overview, Warning


def cross_check(overview: Overview, kqs: list[KeyQuestion]) -> list[Warning]:
    """Warnings where the overview and the key-question pages disagree (see module docstring)."""
    warnings: list[Warning] = []
    if overview.statements_assessed:
        listed = {found[0].id for f in overview.statements_assessed if (found := tx.statement(f.value))}
        for kq in kqs:
            for st in kq.quality_statements:
                if st.id is None:
                    continue
                carried = st.basis.value == "previous rating"
                if carried and st.id in listed:
                    warnings.append(Warning(
                        code="overview_statement_carried_over",
                        message=f"the overview lists {st.name.value!r} as assessed, but its page says "
                                "the score is based on the previous rating",
                        span=st.basis.span or st.name.span))
                elif not carried and st.id not in listed:
                    warnings.append(Warning(
                        code="overview_statement_not_listed",
                        message=f"{st.name.value!r} has evidence from this assessment, but the "
                                "overview does not list it among the statements assessed",
                        span=st.name.span))
    if overview.key_questions_assessed:
        named = {f.value for f in overview.key_questions_assessed}
        for kq in kqs:
            if not kq.quality_statements:
                continue
            assessed = any(st.basis.value == "assessed" for st in kq.quality_statements)
            if assessed and kq.name.value not in named:
                warnings.append(Warning(
                    code="overview_key_question_not_listed",
                    message=f"{kq.name.value} has assessed statements, but the overview does not "
                            "name it among the key questions assessed",
                    span=kq.name.span))
            elif not assessed and kq.name.value in named:
                warnings.append(Warning(
                    code="overview_key_question_not_assessed",
                    message=f"the overview names {kq.name.value} as assessed, but every statement "
                            "on its page is based on the previous rating",
                    span=kq.name.span))
    return warnings
