"""One essential standard's record (2010-2014), from either layout of the era, with its checks."""

from __future__ import annotations

from extractor.document import Document
from extractor.keyquestions import paragraphs
from extractor.spans import make_field, make_span
from models import Field, StandardJudgement, Warning

__all__ = ["judged_standard"]


def judged_standard(
    doc: Document, heading: int, last: int, outcome: int, name: str, judgement: Field[str] | None,
    impact: Field[str] | None, evidence: list[int], listed: Field[str] | None, rule: str, warnings: list[Warning],
) -> StandardJudgement:
    """The record of a standard whose part runs from block ``heading`` to ``last``.

    ``listed`` is the judgement the report's list or summary gives the standard: a different one is
    flagged (``judgement_mismatch``) and the part's own kept; a part with no judgement is flagged
    too (``judgement_missing``). ``evidence`` indexes the part's evidence blocks.
    """
    hb = doc.blocks[heading]
    if listed is not None and judgement is not None and listed.value != judgement.value and judgement.span:
        warnings.append(Warning(code="judgement_mismatch",
                                message=f"{name}: the summary of standards says {listed.value!r}, its judgement "
                                        f"says {judgement.value!r}", span=judgement.span))
    if judgement is None:
        warnings.append(Warning(code="judgement_missing", message=f"{name}: no judgement printed with the standard",
                                span=make_span(doc, hb.start, hb.end)))
    return StandardJudgement(
        outcome=outcome, name=make_field(doc, name, hb.start, hb.end, rule), judgement=judgement, impact=impact,
        evidence=paragraphs(doc, evidence), span=make_span(doc, hb.start, doc.blocks[last].end))
