"""Local authority assessments (Care Act 2014 Part 1, 2023 onward): statement pages to a record.

CQC publishes one page per quality statement of a council's assessment. Copied as text it reads:
"<council>: local authority assessment", maybe "Downloads", the statement's name, "Score: 2",
"2 - Evidence shows some shortfalls", "What people expect" with the framework's "I" statements,
"The local authority commitment" with its "We" statement, and "Key findings for this quality
statement" with the findings, under short sub-headings. A text may hold several such pages one
after another (a whole assessment copied page by page).

The record gives each statement its id (LA1-LA9), score and findings paragraphs, grouped under
the four themes (held in ``key_questions``, as the themes play the part of key questions), and
recomputes the overall score: sum over 4 per statement, and the rating band when all nine are
scored. The framework is data (``local_authority.yaml``). A statement printed twice is read once,
the first time (``statement_duplicated``); a score whose meaning line says another number keeps
the "Score:" value (``score_mismatch``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from extractor import taxonomy as tx
from extractor.blocklabels import SCORE_RE
from extractor.checks import TOLERANCE, check_band, score_check
from extractor.document import Document
from extractor.keyquestions import paragraphs
from extractor.laframework import StatementDef, framework, meaning_mismatch
from extractor.laoverview import OverviewRead, read_overview
from extractor.spans import make_field, make_span
from models import (
    Field, KeyQuestion, LocalAuthorityScore, Location, Overview, QualityStatement, ScoreCheck, StatementRef,
    Warning, construct,
)

__all__ = ["LocalAuthorityRead", "read_local_authority", "is_local_authority_page"]


def is_local_authority_page(text: str) -> bool:
    """Whether a text holds the title line of a local authority assessment page, or the line that
    opens its overview page."""
    c = framework()
    # Only the first lines are looked at: splitting the whole text would cost every document read.
    lines = text.split("\n", 40)[:40]
    return any(":" in line and c.title.fullmatch(line.strip()) for line in lines) or \
        c.overview_line.search("\n".join(lines)) is not None


class _Role(Enum):
    TITLE = "title"
    OVERVIEW = "overview"
    FURNITURE = "furniture"
    STATEMENT = "statement"
    SCORE = "score"
    MEANING = "meaning"
    SECTION = "section"
    TEXT = "text"


def _role(folded: str) -> tuple[_Role, str | None]:
    c = framework()
    key = tx.match_key(folded)
    if key in c.statement_of:
        return _Role.STATEMENT, key
    if key in c.sections:
        return _Role.SECTION, c.sections[key]
    if key in c.furniture:
        return _Role.FURNITURE, None
    if key in c.overview_opens:
        return _Role.OVERVIEW, None
    if SCORE_RE.fullmatch(folded):
        return _Role.SCORE, None
    if c.meaning.fullmatch(folded):
        return _Role.MEANING, None
    if ":" in folded and c.title.fullmatch(folded):
        return _Role.TITLE, None
    return _Role.TEXT, None


@dataclass
class LocalAuthorityRead:
    """What :func:`read_local_authority` found."""

    location: Location
    themes: list[KeyQuestion]
    score: LocalAuthorityScore
    pages: int  # title lines read: one per page
    overview: Overview | None  # the overview page's summaries, when the text holds it
    statement_pages: int  # statements read from their own pages
    warnings: list[Warning] = field(default_factory=list)


@dataclass
class _Statement:
    heading: int
    sdef: StatementDef
    theme: str
    score: Field[int] | None = None
    evidence: list[int] = field(default_factory=list)
    last: int = 0


def read_local_authority(doc: Document) -> LocalAuthorityRead:
    """Read one or several local authority statement pages (see the module docstring)."""
    roles = [_role(doc.folded[b.start:b.end]) for b in doc.blocks]
    warnings: list[Warning] = []
    location = Location()
    statements: list[_Statement] = []
    current: _Statement | None = None
    section: str | None = None
    pages = 0
    overview: OverviewRead | None = None
    in_overview = False
    for i, (role, value) in enumerate(roles):
        b = doc.blocks[i]
        if role is _Role.TITLE:
            pages += 1
            current, section, in_overview = None, None, False
            _read_title(doc, i, location, warnings)
        elif role is _Role.OVERVIEW and overview is None:
            # The overview page runs to the next page's title line.
            end = next((k for k in range(i + 1, len(roles)) if roles[k][0] is _Role.TITLE), len(roles))
            overview, current, in_overview = read_overview(doc, i, end), None, True
            warnings.extend(overview.warnings)
        elif in_overview:
            continue
        elif role is _Role.STATEMENT and _opens_statement(roles, i):
            sdef, theme = framework().statement_of[str(value)]
            current, section = _Statement(i, sdef, theme, last=i), None
            statements.append(current)
        elif current is None:
            continue
        elif role is _Role.SCORE and current.score is None and section is None:
            m = SCORE_RE.fullmatch(doc.folded[b.start:b.end])
            if m:
                current.score = make_field(doc, int(m["n"]), b.start + m.start("n"), b.start + m.end("n"),
                                           "local_authority.score_line")
                current.last = i
        elif role is _Role.MEANING and section is None:
            current.last = i
            if (w := meaning_mismatch(doc, i, current.sdef, current.score, "the page prints")) is not None:
                warnings.append(w)
        elif role is _Role.SECTION:
            section = value
            current.last = i
        elif role is _Role.TEXT and section == "findings" and b.kind in ("paragraph", "list_item"):
            current.evidence.append(i)
            current.last = i
        elif section == "findings":
            current.last = i  # a sub-heading of the findings
    kept = _first_of_each(doc, statements, warnings)
    from_pages = len(kept)
    summary: Overview | None = None
    if overview is not None:
        kept = _with_overview(doc, kept, overview, warnings)
        _overview_location(doc, overview, location, warnings)
        summary = Overview(summary=paragraphs(doc, overview.summary))
    built = [_theme(doc, t.name, [s for s in kept if s.theme == t.name], t.statements, warnings,
                    overview.theme_summary.get(t.name, []) if overview else [])
             for t in framework().themes]
    themes = [t for t in built if t is not None]
    score = _overall(themes)
    if overview is not None:
        _check_overall(overview, score, location, warnings)
    return LocalAuthorityRead(location, themes, score, pages, summary, from_pages, warnings)


def _with_overview(doc: Document, kept: list[_Statement], overview: OverviewRead,
                   warnings: list[Warning]) -> list[_Statement]:
    """The statements the overview lists, in its order, then any other of the pages; where both
    give a statement, the page's is kept, and a different score in the overview warned about."""
    on_pages = {st.sdef.id: st for st in kept}
    out: list[_Statement] = []
    seen: set[str] = set()
    for listed in overview.listed:
        if listed.sdef.id in seen:
            b = doc.blocks[listed.heading]
            warnings.append(Warning(code="statement_duplicated",
                                    message=f"{listed.sdef.id} {listed.sdef.name} is listed more than once in the "
                                            "overview; the first is kept", span=make_span(doc, b.start, b.end)))
            continue
        seen.add(listed.sdef.id)
        page = on_pages.get(listed.sdef.id)
        out.append(page or _Statement(listed.heading, listed.sdef, listed.theme, listed.score, [], listed.last))
        if page is None:
            continue
        if listed.score is not None and page.score is not None and listed.score.value != page.score.value:
            warnings.append(Warning(code="score_mismatch",
                                    message=f"{listed.sdef.id} {listed.sdef.name}: the overview lists score "
                                            f"{listed.score.value}, its page {page.score.value}; the page's is kept",
                                    span=listed.score.span))
    return out + [st for st in kept if st.sdef.id not in seen]


def _overview_location(doc: Document, overview: OverviewRead, location: Location, warnings: list[Warning]) -> None:
    """The council and its rating from the overview page."""
    council = overview.council
    if council is not None:
        if location.name is None:
            location.name = council
        elif tx.match_key(council.value) != tx.match_key(location.name.value):
            warnings.append(Warning(code="page_header_mismatch",
                                    message=f"the overview names {council.value!r}, the pages {location.name.value!r}",
                                    span=council.span))
    location.overall_rating = overview.rating


def _check_overall(overview: OverviewRead, score: LocalAuthorityScore, location: Location,
                   warnings: list[Warning]) -> None:
    """The printed overall score against the recomputed one, and the printed rating against the
    band of the recomputed score (of the printed one while not all nine statements are scored)."""
    printed = overview.score_percent
    score.score_percent = printed
    exact = 100 * score.sum / score.max if score.complete and score.max else None
    if printed is not None and exact is not None:
        score.consistent = abs(exact - printed.value) < TOLERANCE
        if not score.consistent:
            warnings.append(Warning(code="overall_score_mismatch",
                                    message=f"printed overall score {printed.value} but the nine statements give "
                                            f"{score.sum}/{score.max} = {score.percent}", span=printed.span))
    percent = exact if exact is not None else (printed.value if printed is not None else None)
    if location.overall_rating is not None and percent is not None:
        warnings.extend(check_band(location.overall_rating, percent, "overall score: "))


def _opens_statement(roles: list[tuple[_Role, str | None]], i: int) -> bool:
    """A statement's name opens its page when a score, or the page's title, stands next to it
    (a findings sub-heading may share a statement's name)."""
    after = roles[i + 1][0] if i + 1 < len(roles) else None
    before = next((r for r, _ in reversed(roles[:i]) if r is not _Role.FURNITURE), None)
    return after is _Role.SCORE or before is _Role.TITLE


def _read_title(doc: Document, i: int, location: Location, warnings: list[Warning]) -> None:
    b = doc.blocks[i]
    m = framework().title.fullmatch(doc.folded[b.start:b.end])
    if m is None:
        return
    s, e = b.start + m.start("name"), b.start + m.end("name")
    if location.name is None:
        location.name = make_field(doc, doc.text[s:e], s, e, "local_authority.title")
    elif tx.match_key(doc.text[s:e]) != tx.match_key(location.name.value):
        warnings.append(Warning(code="page_header_mismatch",
                                message=f"a page of {doc.text[s:e]!r} follows pages of {location.name.value!r}",
                                span=make_span(doc, s, e)))


def _first_of_each(doc: Document, statements: list[_Statement], warnings: list[Warning]) -> list[_Statement]:
    seen: set[str] = set()
    kept = []
    for st in statements:
        if st.sdef.id in seen:
            b = doc.blocks[st.heading]
            warnings.append(Warning(code="statement_duplicated",
                                    message=f"{st.sdef.id} {st.sdef.name} appears more than once; the "
                                            "first is kept",
                                    span=make_span(doc, b.start, b.end)))
            continue
        seen.add(st.sdef.id)
        kept.append(st)
    return kept


def _theme(doc: Document, name: str, found: list[_Statement], defs: list[StatementDef],
           warnings: list[Warning], summary: list[int]) -> KeyQuestion | None:
    if not found:
        return None
    records = []
    for st in found:
        hb = doc.blocks[st.heading]
        if st.score is not None and not 1 <= st.score.value <= 4:
            warnings.append(Warning(code="score_out_of_range",
                                    message=f"{st.sdef.name}: score {st.score.value} is outside 1-4",
                                    span=st.score.span))
        records.append(QualityStatement(
            id=st.sdef.id, name=make_field(doc, st.sdef.name, hb.start, hb.end, "local_authority.statement"),
            key_question=name, score=st.score,
            basis=construct(Field[str], value="assessed", span=None, rule="basis.default_assessed"),  # type: ignore[arg-type]
            span=make_span(doc, hb.start, doc.blocks[st.last].end), evidence=paragraphs(doc, st.evidence)))
    present = {st.sdef.id for st in found}
    paras = paragraphs(doc, summary)
    spans = [r.span for r in records] + [p.span for p in paras]
    theme = KeyQuestion(
        name=construct(Field[str], value=name, span=None, rule="local_authority.theme_of_statement"),
        summary=paras,
        quality_statements=records,
        statements_not_present=[StatementRef(id=d.id, name=d.name) for d in defs if d.id not in present],
        span=make_span(doc, min(sp.start for sp in spans), max(sp.end for sp in spans)),
    )
    theme.computed_from_statements = score_check(theme)  # the provider check: same sums and percentages
    return theme


def _overall(themes: list[KeyQuestion]) -> LocalAuthorityScore:
    checks: list[ScoreCheck] = [t.computed_from_statements for t in themes if t.computed_from_statements]
    total, maximum = sum(c.sum for c in checks), sum(c.max for c in checks)
    counted = sum(c.statements_counted for c in checks)
    complete = counted == sum(len(t.statements) for t in framework().themes)
    percent = round(100 * total / maximum, 1) if maximum else None
    band = tx.band_of(round(100 * total / maximum)) if complete and maximum else None
    return LocalAuthorityScore(statements_counted=counted, sum=total, max=maximum, percent=percent,
                               complete=complete, band=band)  # type: ignore[arg-type]  # validated here
