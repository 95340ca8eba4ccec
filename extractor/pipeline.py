"""The per-document pipeline: read, segment, extract, check, assemble one :class:`Report`.

Every function here is pure (same input, same record) and picklable through its arguments, so
a process pool or a Dask cluster can run :func:`extract_bytes` as it is.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from extractor import checks
from extractor.classify import document_kind
from extractor.document import Document
from extractor.errors import InputError, UnsupportedReportFamily
from extractor.compliance import is_review_of_compliance, read_review
from extractor.essential import read_essential
from extractor.evidencetable import read_evidence_table
from extractor.header import HeaderResult, read_header
from extractor.history import has_history, history_start, read_history
from extractor.inspection import InspectionRead, read_inspection
from extractor.keyquestions import build_key_question
from extractor.localauthority import LocalAuthorityRead, read_local_authority
from extractor.overview import read_overview
from extractor.reading import read_any
from extractor.segment import Segmentation, segment
from extractor.starrated import read_star_rated
from extractor.textname import check_name_in_text
from extractor.urlids import identifiers_from_url
from extractor.websummary import read_web_summary, summary_start
from models import Abbreviation, HistoryEntry, Inspection, KeyQuestion, NlpInfo, Overview, Paragraph, Report, Source, Warning


@dataclass(frozen=True)
class ExtractOptions:
    """What the pipeline does besides the rules.

    Attributes:
        ner: run spaCy's NER over the prose (entities).
        nlp: run the NLP stage at all: without it (structure only) sentences carry no evidence
            categories, values or entities, and no abbreviations are resolved.
        model: the spaCy model to load (default: the installed small English model).
        redact_people: mask person names in emitted text (needs ``ner``).
    """

    ner: bool = True
    nlp: bool = True
    model: str | None = None
    redact_people: bool = False


def _merge_headers(doc: Document, headers: list[HeaderResult]) -> tuple[HeaderResult, list[Warning]]:
    """The first page's header wins; later pages that name another place or date are flagged."""
    first = headers[0]
    warnings: list[Warning] = []
    for other in headers[1:]:
        if first.location.name and other.location.name and \
                other.location.name.value != first.location.name.value:
            warnings.append(Warning(code="page_header_mismatch",
                                    message=f"page names {other.location.name.value!r}, first page "
                                            f"{first.location.name.value!r}",
                                    span=other.location.name.span))
        if first.assessment_date and other.assessment_date and \
                other.assessment_date.value.iso != first.assessment_date.value.iso:
            warnings.append(Warning(code="page_header_mismatch",
                                    message=f"page reports the {other.assessment_date.value.iso} "
                                            f"assessment, first page {first.assessment_date.value.iso}",
                                    span=other.assessment_date.span))
    return first, warnings


def extract_document(doc: Document, options: ExtractOptions | None = None) -> Report:
    """Extract the record of one read document."""
    options = options or ExtractOptions()
    seg = segment(doc)
    kind = document_kind(doc, seg)
    warnings: list[Warning] = []
    overview = inspection = local_authority = None
    history: list[HistoryEntry] | None = None
    identifiers = identifiers_from_url(doc.url)
    if kind in _INSPECTION_READERS:
        read = _INSPECTION_READERS[kind](doc)
        if identifiers.location_id is None and read.location_id is not None:
            identifiers.location_id = read.location_id
        header, kqs, inspection = HeaderResult(location=read.location), read.key_questions, read.inspection
        warnings.extend(read.warnings)
        warnings.extend(checks.check_publication(read.inspection))
    elif kind == "la_statement_page":
        la = read_local_authority(doc)
        if not la.themes and (la.overview is None or la.location.overall_rating is None):
            raise UnsupportedReportFamily("a local authority assessment page without quality statement "
                                          "scores", source_id=doc.source_id)
        header, kqs, local_authority, overview = HeaderResult(location=la.location), la.themes, la.score, la.overview
        kind = _la_kind(la)
        warnings.extend(la.warnings)
    else:
        header, kqs, overview = _read_saf(doc, seg, kind, warnings)
        if kind == "location_history_page" or has_history(doc):
            history, history_warnings = read_history(doc, header.location)
            warnings.extend(history_warnings)
        if kind == "inspection_summary_page":
            inspection, summary_warnings = read_web_summary(doc, seg, header.location, kqs)
            warnings.extend(summary_warnings)
            if not kqs:  # a page of 2016-2018: the report's own summary, its key questions in its prose
                kqs = _summary_key_questions(doc)
    source = Source(
        id=doc.source_id, path=doc.path, url=doc.url, media_type=doc.media_type,
        sha256=doc.raw_sha256, encoding=doc.encoding, canonical_length=len(doc.text),
        canonical_sha256=doc.canonical_sha256, page_starts=list(doc.page_starts) or None,
    )
    prose = _prose(kqs, overview, inspection, history)
    warnings.extend(check_name_in_text(doc, header.location, prose))
    abbreviations: list[Abbreviation] = []
    nlp_info = NlpInfo(enabled=False)
    if options.nlp:  # also with no prose, so that every record's ``nlp`` says how the run was made
        family = "local_authority" if local_authority is not None else None
        abbreviations, nlp_info = _annotate(doc, header, prose, options, family)
    report = Report(
        document_kind=kind,  # type: ignore[arg-type]
        source=source,
        identifiers=identifiers,
        location=header.location,
        assessment_date=header.assessment_date,
        key_questions=kqs,
        overview=overview,
        inspection=inspection,
        local_authority=local_authority,
        history=history,
        abbreviations=abbreviations,
        nlp=nlp_info,
        warnings=sorted(warnings, key=lambda w: (w.span.start if w.span else -1, w.code)),
    )
    if options.ner and options.redact_people:
        from extractor.nlp.redact import redact_report

        report = redact_report(report, doc.text, person_spans(report))
    return report


def _summary_key_questions(doc: Document) -> list[KeyQuestion]:
    """The key questions a web summary page of 2016-2018 gives in its prose, as the report's reader
    reads them there: a list restating their ratings ("Are services safe? – Good"), or a service
    CQC does not rate, its findings ("Are services well-led? We found this practice was providing
    well-led care in accordance with the relevant regulations"). Their prose is left to the page's
    summary, which holds it."""
    try:
        kqs = read_inspection(doc).key_questions
    except UnsupportedReportFamily:
        return []
    for kq in kqs:
        kq.summary = []  # the page's summary holds their prose already
    return kqs


def _la_kind(la: LocalAuthorityRead) -> str:
    """An overview page alone, one statement page alone, or more than one page of an assessment."""
    if la.overview is not None:
        return "la_assessment" if la.statement_pages else "la_overview_page"
    return "la_assessment" if la.pages > 1 or la.score.statements_counted > 1 else "la_statement_page"


def _read_essential_standards(doc: Document) -> InspectionRead:
    """Either layout of the essential standards era: a review of compliance or a later report."""
    return read_review(doc) if is_review_of_compliance(doc) else read_essential(doc)


# Readers of the inspection-report families, by document kind.
_INSPECTION_READERS: dict[str, Callable[[Document], InspectionRead]] = {
    "inspection_report": read_inspection,
    "essential_standards_report": _read_essential_standards,
    "star_rated_report": read_star_rated,
    "inspection_evidence_table": read_evidence_table,
}


def _read_saf(doc: Document, seg: Segmentation, kind: str,
              warnings: list[Warning]) -> tuple[HeaderResult, list[KeyQuestion], Overview | None]:
    """Header, key questions and overview of a SAF page or assessment; adds its warnings."""
    end = history_start(doc) if kind == "location_history_page" else \
        summary_start(doc) if kind == "inspection_summary_page" else None
    ranges = seg.headers
    if kind == "inspection_summary_page" and end is not None:  # nothing below the summary's first line
        ranges = [(lo, hi) for lo, hi in ranges if lo < end]
    headers = [read_header(doc, seg.labels, lo, min(hi, end) if end is not None and lo < end else hi)
               for lo, hi in ranges]
    header, header_warnings = _merge_headers(doc, headers) if headers else (HeaderResult(), [])
    for h in headers:
        warnings.extend(h.warnings)
    warnings.extend(header_warnings)
    kqs = []
    for kseg in seg.key_questions:
        kq_warnings: list[Warning] = []
        kq = build_key_question(doc, seg.labels, kseg, kq_warnings)
        kq.computed_from_statements = checks.score_check(kq)
        kq_warnings.extend(checks.check_key_question(kq))
        warnings.extend(kq_warnings)
        kqs.append(kq)
    overview = None
    if kind == "saf_overview_page":
        overview, overview_warnings = read_overview(doc)
        warnings.extend(overview_warnings)
    warnings.extend(checks.check_duplicate_key_questions(kqs))
    warnings.extend(checks.check_dates(header.assessment_date, kqs))
    return header, kqs, overview


def _prose(kqs: list[KeyQuestion], overview: Overview | None, inspection: Inspection | None,
           history: list[HistoryEntry] | None = None) -> list[Paragraph]:
    """Every summary and evidence paragraph, in document order: what the NLP stage reads."""
    paras = list(overview.summary) if overview is not None else []
    if inspection is not None:
        paras.extend(inspection.summary)
        for standard in inspection.standards:
            paras.extend(standard.evidence)
    for kq in kqs:
        paras.extend(kq.summary)
        for st in kq.quality_statements:
            paras.extend(st.evidence)
    for entry in history or []:  # the list of all inspections closes a location's page
        paras.extend(entry.summary)
    return paras


def _annotate(doc: Document, header: HeaderResult, paras: list[Paragraph], options: ExtractOptions,
              family: str | None) -> tuple[list[Abbreviation], NlpInfo]:
    """Run the NLP stage over the prose paragraphs and put its sentences back into them."""
    # Imported here, so that structure-only runs never load the rules, nor runs without NER spaCy.
    from extractor.nlp.annotate import annotate

    nlp = None
    if options.ner:
        from extractor.nlp.model import load_pipeline

        nlp = load_pipeline(options.model, fallback=options.model is None)
    names = [(f.span.start, f.value) for f in (header.location.name, header.location.provider)
             if f is not None and f.span is not None]
    result = annotate([(p.span.start, p.span.text) for p in paras], nlp=nlp, names=names,
                      sentences=[[(s.span.start, s.span.end) for s in p.sentences] for p in paras],
                      family=family)
    for para, found in zip(paras, result.texts):
        para.sentences = found.sentences
    _, rules, redacted = nlp_flags(options)
    info = result.info.model_copy(update={"redacted_people": redacted, "rules": rules})
    return result.abbreviations, info


def nlp_flags(options: ExtractOptions) -> tuple[bool, bool, bool]:
    """What every record made with ``options`` says in its ``nlp`` block: ``enabled`` (NER),
    ``rules`` and ``redacted_people``."""
    if not options.nlp:
        return False, False, False
    return options.ner, True, options.ner and options.redact_people


def person_spans(report: Report) -> list[tuple[int, int]]:
    """Where the record's PERSON entities stand in the canonical text."""
    return [(e.span.start, e.span.end) for kq in report.key_questions
            for para in [*kq.summary, *(p for st in kq.quality_statements for p in st.evidence)]
            for sent in para.sentences for e in sent.entities if e.label == "PERSON"]


def extract_bytes(data: bytes, *, source_id: str, path: str | None = None, url: str | None = None,
                  media_type: str | None = None, options: ExtractOptions | None = None) -> Report:
    """Read and extract one input given as bytes (text or HTML; ``media_type`` overrides sniffing)."""
    doc = read_any(data, source_id=source_id, path=path, url=url, media_type=media_type)
    return extract_document(doc, options)


def extract_file(path: str | os.PathLike[str], *, url: str | None = None,
                 options: ExtractOptions | None = None) -> Report:
    """Read and extract one file."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except IsADirectoryError as exc:
        raise InputError("is a directory, not a report file", source_id=str(path)) from exc
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", source_id=str(path)) from exc
    return extract_bytes(data, source_id=str(path), path=str(path), url=url, options=options)


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
