"""Whole assessments: the pages of one SAF assessment merged into one record.

A published SAF assessment is an overview page plus one page per key question. Pages are read
one by one (text or HTML, from files, folders or a crawl JSONL; see :mod:`extractor.inputs`),
each through the ordinary pipeline, then grouped and merged:

Grouping
    Pages belong to one assessment when they name the same location (name compared by
    :func:`extractor.taxonomy.match_key`; and, where the pages' URLs give location ids, the same
    id) and the same "Report from <date> assessment" date. Pages of different assessments are
    never merged, even of the same location. A page without a name or a date stands alone.

Merging
    Pages are ordered: overview pages first, then key-question pages in taxonomy order (Safe,
    Effective, Caring, Responsive, Well-led), then by source id. The **assembled canonical text**
    is the pages' canonical texts in that order joined by ``"\\n"``; every span of the merged
    record points into it (each page's spans are shifted by the page's offset), and
    :class:`Assembly` lists where each page sits. The location comes from the first page, with
    fields it lacks taken from later pages (a later page that disagrees gives a
    ``page_header_mismatch`` warning); key questions come from their own pages; the overview page
    gives :class:`models.Overview`, cross-checked against the statements the key-question pages
    mark as carried over from a previous rating.

The merged record's ``source`` describes the assembly: ``id`` is ``<location>@<date>``, ``path``
the pages' common folder, ``sha256`` the SHA-256 of the pages' SHA-256 hex digests joined by
``"\\n"`` in page order, ``canonical_*`` the assembled canonical text.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from pydantic import BaseModel

from extractor import taxonomy as tx
from extractor.checks import check_duplicate_key_questions
from extractor.errors import CQCExtractError
from extractor.inputs import discover, load, ref_id
from extractor.overviewcheck import cross_check
from extractor.pipeline import ExtractOptions, extract_document
from extractor.reading import read_any
from models import Identifiers, Location, PageRef, Report, Source, Span, Warning

M = TypeVar("M")

PAGE_SEPARATOR = "\n"


@dataclass(frozen=True)
class Page:
    """One read and extracted page: its record (with overview facts for an overview page) and its
    canonical text. The Document's blocks are not kept, so a large crawl held for grouping costs
    about its canonical text, not its parse."""

    report: Report
    text: str

    @property
    def source(self) -> Source:
        return self.report.source


@dataclass(frozen=True)
class Failure:
    """An input that could not be read or extracted, with the error that says why."""

    source_id: str
    error: CQCExtractError


@dataclass(frozen=True)
class PagePart:
    """Where one page's canonical text sits in the assembled canonical text: ``[start, end)``."""

    source: Source
    start: int
    end: int


@dataclass
class Assembly:
    """One assessment: its merged record, its pages and the assembled canonical text."""

    report: Report
    pages: list[PagePart] = field(default_factory=list)
    text: str = ""


# -- reading -----------------------------------------------------------------------------------
def read_page(data: bytes, *, source_id: str, path: str | None = None, url: str | None = None,
              media_type: str | None = None, options: ExtractOptions | None = None) -> Page:
    """Read and extract one page (text or HTML)."""
    doc = read_any(data, source_id=source_id, path=path, url=url, media_type=media_type)
    return Page(extract_document(doc, options), doc.text)


def read_pages(specs: Iterable[str], options: ExtractOptions | None = None) -> Iterator[Page | Failure]:
    """Read every page that ``specs`` name (files, folders, globs, ``@lists``, crawl JSONL).

    Raises:
        InputError: an argument names nothing (see :func:`extractor.inputs.discover`).
    """
    for ref in discover(specs):
        try:
            item = load(ref)
            yield read_page(item.data, source_id=item.source_id, path=item.path, url=item.url,
                            media_type=item.media_type, options=options)
        except CQCExtractError as exc:
            yield Failure(exc.source_id or ref_id(ref), exc)


# -- grouping ----------------------------------------------------------------------------------
_LA_KINDS = ("la_statement_page", "la_overview_page", "la_assessment")


def assessment_key(report: Report) -> tuple[str, str] | None:
    """(location, assessment date) of a page, or None when the page does not say."""
    if report.document_kind in _LA_KINDS:  # a council's statement pages carry no date
        return (tx.match_key(report.location.name.value), "local authority") if report.location.name else None
    name, date = report.location.name, report.assessment_date
    if name is None or date is None:
        return None
    return tx.match_key(name.value), date.value.iso


def group_pages(pages: Iterable[Page]) -> list[list[Page]]:
    """Pages grouped by assessment, groups in order of their first page."""
    groups: dict[object, list[Page]] = {}
    for page in pages:
        key = assessment_key(page.report)
        if key is None:
            groups[("alone", page.source.id, id(page))] = [page]
            continue
        loc_id = page.report.identifiers.location_id
        # Same name and date but two different location ids (from URLs): two locations.
        candidates = [k for k in groups if isinstance(k, tuple) and k[:2] == key]
        target = next((k for k in candidates if _same_location(groups[k], loc_id)), None)
        groups.setdefault(target or (*key, len(candidates)), []).append(page)
    return list(groups.values())


def _same_location(group: list[Page], loc_id: str | None) -> bool:
    ids = {p.report.identifiers.location_id for p in group} - {None}
    return loc_id is None or not ids or loc_id in ids


def _page_order(page: Page) -> tuple[int, int, str]:
    kqs = [k.name for k in tx.taxonomy().key_questions]
    if page.report.document_kind in ("saf_overview_page", "la_overview_page"):
        return (0, 0, page.source.id)
    if page.report.document_kind in _LA_KINDS:  # by the number of the page's first statement
        first_id = next((s.id for k in page.report.key_questions for s in k.quality_statements if s.id), "")
        return (1, int(first_id[2:]) if first_id[2:].isdigit() else 99, page.source.id)
    first = page.report.key_questions[0].name.value if page.report.key_questions else ""
    return (1, kqs.index(first) if first in kqs else len(kqs), page.source.id)


# -- merging -----------------------------------------------------------------------------------
def shift_spans(value: M, offset: int) -> M:
    """A copy of a record (or part of one) with every span moved by ``offset`` characters."""
    if offset == 0:
        return value
    if isinstance(value, Span):
        return Span(start=value.start + offset, end=value.end + offset, text=value.text)  # type: ignore[return-value]
    if isinstance(value, BaseModel):
        updates = {name: shift_spans(getattr(value, name), offset)
                   for name in type(value).model_fields}
        return value.model_copy(update=updates)  # type: ignore[return-value]
    if isinstance(value, list):
        return [shift_spans(v, offset) for v in value]  # type: ignore[return-value]
    return value


def _merge_location(reports: list[Report], warnings: list[Warning]) -> Location:
    merged = reports[0].location.model_copy()
    for other in reports[1:]:
        loc = other.location
        for name in ("name", "name_prefix", "core_service", "overall_rating", "address", "phone",
                     "provider"):
            mine, theirs = getattr(merged, name), getattr(loc, name)
            if mine is None:
                setattr(merged, name, theirs)
            elif theirs is not None and _header_value(mine) != _header_value(theirs):
                warnings.append(Warning(
                    code="page_header_mismatch",
                    message=f"pages disagree on the location's {name.replace('_', ' ')}: "
                            f"{_header_value(mine)!r} and {_header_value(theirs)!r}",
                    span=getattr(theirs, "span", None)))
        if not merged.service_types:
            merged.service_types = loc.service_types
    return merged


def _header_value(value: object) -> object:
    """What two pages' header fields are compared by."""
    if hasattr(value, "postcode"):  # an address: its postcode decides
        return _header_value(getattr(value, "postcode"))
    if hasattr(value, "e164"):
        return getattr(value, "e164") or getattr(value, "as_printed")
    v = getattr(value, "value", value)
    return tx.match_key(v) if isinstance(v, str) else v


def _merge_identifiers(reports: list[Report]) -> Identifiers:
    ids = [r.identifiers for r in reports]
    return Identifiers(
        location_id=next((i.location_id for i in ids if i.location_id), None),
        assessment_id=next((i.assessment_id for i in ids if i.assessment_id), None),
    )


def _assembly_source(pages: list[Page], text: str) -> Source:
    first = pages[0].report
    name = first.location.name.value if first.location.name else pages[0].source.id
    date = first.assessment_date.value.iso if first.assessment_date else "undated"
    slug = re.sub(r"[^a-z0-9]+", "-", tx.match_key(name)).strip("-")
    paths = [p.source.path for p in pages]
    folder = None
    if all(paths):
        common = os.path.commonpath([os.path.dirname(os.path.abspath(str(p))) for p in paths])
        folder = os.path.relpath(common) if not os.path.isabs(str(paths[0])) else common
    media = {p.source.media_type for p in pages}
    encodings = {p.source.encoding for p in pages}
    digest = hashlib.sha256("\n".join(p.source.sha256 for p in pages).encode("ascii")).hexdigest()
    return Source(
        id=f"{first.identifiers.location_id or slug}@{date}",
        path=folder,
        url=None,
        media_type=media.pop() if len(media) == 1 else "multipart/mixed",
        sha256=digest,
        encoding=encodings.pop() if len(encodings) == 1 else "mixed",
        canonical_length=len(text),
        canonical_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


def merge(pages: list[Page], options: ExtractOptions | None = None) -> Assembly:
    """Merge the pages of one assessment (see the module docstring).

    ``options`` matter only for a local authority's pages, which are read again as one text.
    """
    pages = sorted(pages, key=_page_order)
    parts: list[PagePart] = []
    reports: list[Report] = []
    warnings: list[Warning] = []
    overview = None
    offset = 0
    seen: dict[str, str] = {}
    kept: list[Page] = []
    for page in pages:
        if page.source.sha256 in seen:
            continue  # the same page given twice (two names, or a folder and a crawl)
        seen[page.source.sha256] = page.source.id
        kept.append(page)
        report = shift_spans(page.report, offset)
        reports.append(report)
        parts.append(PagePart(page.report.source, offset, offset + len(page.text)))
        warnings.extend(report.warnings)
        if report.overview is not None and overview is None:
            overview = report.overview
        offset += len(page.text) + len(PAGE_SEPARATOR)
    text = PAGE_SEPARATOR.join(p.text for p in kept)
    if len(kept) == 1 and overview is None:
        return Assembly(report=kept[0].report, pages=parts, text=text)
    if all(p.report.document_kind in _LA_KINDS for p in kept):
        return _merge_local_authority(kept, parts, text, options)
    location = _merge_location(reports, warnings)
    kqs = [kq for r in reports for kq in r.key_questions]
    if overview is not None:
        warnings.extend(cross_check(overview, kqs))
    warnings.extend(check_duplicate_key_questions(kqs))
    first = reports[0]
    report = Report(
        document_kind="saf_assessment" if len(kept) > 1 else first.document_kind,
        source=_assembly_source(kept, text) if len(kept) > 1 else first.source,
        identifiers=_merge_identifiers(reports) if len(kept) > 1 else first.identifiers,
        location=location,
        assessment_date=first.assessment_date,
        key_questions=kqs,
        overview=overview,
        pages=[PageRef(source=p.source, start=p.start, end=p.end) for p in parts]
        if len(kept) > 1 else [],
        abbreviations=[a for r in reports for a in r.abbreviations],
        nlp=first.nlp,
        warnings=_dedupe(sorted(warnings, key=lambda w: (w.span.start if w.span else -1, w.code))),
    )
    return Assembly(report=report, pages=parts, text=text)


def _merge_local_authority(pages: list[Page], parts: list[PagePart], text: str,
                           options: ExtractOptions | None) -> Assembly:
    """A council's statement pages as one assessment: the assembled text read again, as a whole
    assessment copied page by page would be, so statements join their themes, a statement on
    two pages is read once and the overall score counts every page."""
    source = _assembly_source(pages, text)
    doc = read_any(text.encode("utf-8"), source_id=source.id, path=source.path, media_type="text/plain")
    report = extract_document(doc, options)
    report = report.model_copy(update={
        "source": source,
        "identifiers": _merge_identifiers([p.report for p in pages]),
        "pages": [PageRef(source=p.source, start=p.start, end=p.end) for p in parts],
    })
    return Assembly(report=report, pages=parts, text=text)


def _dedupe(warnings: list[Warning]) -> list[Warning]:
    out: list[Warning] = []
    for w in warnings:
        if not out or out[-1] != w:
            out.append(w)
    return out


def assemble(specs: Iterable[str],
             options: ExtractOptions | None = None) -> tuple[list[Assembly], list[Failure]]:
    """Read, group and merge every page that ``specs`` name: one :class:`Assembly` per assessment."""
    pages: list[Page] = []
    failures: list[Failure] = []
    for item in read_pages(specs, options):
        (failures if isinstance(item, Failure) else pages).append(item)  # type: ignore[arg-type]
    return [merge(group, options) for group in group_pages(pages)], failures
