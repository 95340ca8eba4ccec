"""Telling a SAF page from other CQC report families and from text that is no CQC report."""

from __future__ import annotations

import re

from extractor.blocklabels import HEADER_MARKERS, Label
from extractor.document import Document
from extractor.errors import CQCExtractError, NotACQCReport, UnsupportedReportFamily
from extractor.evidencetable import is_evidence_table
from extractor.history import has_history
from extractor.localauthority import is_local_authority_page
from extractor.segment import Segmentation
from extractor.websummary import is_web_summary

# A rating-era report (2014-2023) is read by extractor.inspection, an essential-standards one
# (2010-2014) by extractor.essential, a star-rated one (2009-2010) by extractor.starrated; their
# entries only place their markers among the others'.
_RATING_ERA = "a rating-era inspection report"
_ESSENTIAL = "an essential-standards report"  # read by extractor.essential
_STAR_RATED = "a star-rated key inspection report"  # read by extractor.starrated
# Markers of other report families, checked in order when no SAF structure is found.
_OTHER_FAMILIES: list[tuple[str, re.Pattern[str], type[CQCExtractError]]] = [
    ("a Commission for Social Care Inspection report (the predecessor regulator), not a CQC report",
     re.compile(r"Commission for Social Care Inspection|Inspecting for better lives", re.I),
     NotACQCReport),
    (_RATING_ERA, re.compile(r"Overall rating for this (?:service|location|practice|provider)|"
                             r"(?:Is the service|Are services) (?:safe|well-led)\?|"
                             r"Dates? of inspection visit", re.I), UnsupportedReportFamily),
    (_ESSENTIAL,
     re.compile(r"Review of compliance|essential standards|Our judgements for each standard inspected|"
                r"We inspected the following standards|Reasons for our judgement", re.I), UnsupportedReportFamily),
    (_STAR_RATED,
     re.compile(r"Key inspection report", re.I), UnsupportedReportFamily),
]


def document_kind(doc: Document, seg: Segmentation) -> str:
    """The family of a segmented document; raises when it is none the extractor reads: a SAF page,
    a local authority statement page, a rating-era, essential-standards or star-rated report, a
    GP practice's inspection evidence table."""
    if is_local_authority_page(doc.text):  # its statement names are also provider statements'
        return "la_statement_page"
    if is_evidence_table(doc.text):  # its key questions' lines look like a SAF page's
        return "inspection_evidence_table"
    if not any(lab.label is Label.REPORT_FROM for lab in seg.labels):  # no SAF page: maybe a location's
        if is_web_summary(doc):  # its key questions look like a SAF page's
            return "inspection_summary_page"
        if has_history(doc):
            return "location_history_page"
    sections = seg.key_questions
    structured = [s for s in sections if s.statements or s.kq_score is not None or s.rating is not None]
    markers = {lab.label for lab in seg.labels if lab.label in HEADER_MARKERS}
    if structured:
        return "saf_assessment" if len(sections) > 1 else "saf_key_question_page"
    if Label.REPORT_FROM in markers and len(markers) >= 2:
        # "Report from <date> assessment" is the SAF's own: an overview page may still mention
        # "the overall rating for this service" of an earlier inspection in its prose.
        return "saf_overview_page"
    for message, pattern, error in _OTHER_FAMILIES:
        if pattern.search(doc.text):
            if message == _RATING_ERA:
                return "inspection_report"
            if message == _ESSENTIAL:
                return "essential_standards_report"
            if message == _STAR_RATED:
                return "star_rated_report"
            raise error(message, source_id=doc.source_id)
    if {Label.REPORT_FROM, Label.OVERALL} & markers and len(markers) >= 2:
        return "saf_overview_page"
    raise NotACQCReport("not a CQC report: no key question, rating, score or report header found",
                        source_id=doc.source_id)
