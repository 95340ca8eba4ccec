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

import re
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from extractor import taxonomy as tx
from extractor.blocklabels import SCORE_RE
from extractor.checks import score_check
from extractor.document import Document
from extractor.errors import TaxonomyError
from extractor.keyquestions import paragraphs
from extractor.spans import make_field, make_span
from models import (
    Field, KeyQuestion, LocalAuthorityScore, Location, QualityStatement, ScoreCheck, StatementRef,
    Warning, construct,
)

__all__ = ["LocalAuthorityRead", "read_local_authority", "is_local_authority_page"]


class _StatementDef(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    name: str
    aliases: list[str]


class _ThemeDef(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    statements: list[_StatementDef]


class _Framework(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    themes: list[_ThemeDef]
    title_suffix: str
    score_meanings: dict[int, str]
    sections: dict[str, list[str]]
    furniture: list[str]


@dataclass(frozen=True)
class _Compiled:
    themes: list[_ThemeDef]
    statement_of: dict[str, tuple[_StatementDef, str]]  # match key -> statement, its theme
    title: re.Pattern[str]
    meaning: re.Pattern[str]
    sections: dict[str, str]  # match key -> section name
    furniture: frozenset[str]


@lru_cache(maxsize=1)
def _framework() -> _Compiled:
    fw: _Framework = tx.load_validated(_Framework, "local_authority.yaml")
    statement_of = {tx.match_key(n): (s, t.name) for t in fw.themes for s in t.statements for n in [s.name, *s.aliases]}
    ids = [s.id for t in fw.themes for s in t.statements]
    if len(set(ids)) != len(ids) or len(statement_of) != sum(1 + len(s.aliases) for t in fw.themes for s in t.statements):
        raise TaxonomyError("data file local_authority.yaml: statement ids and names must be unique")
    if sorted(fw.score_meanings) != [1, 2, 3, 4]:
        raise TaxonomyError("data file local_authority.yaml: score_meanings must give scores 1 to 4")
    words = r"\s+".join(re.escape(w) for w in fw.title_suffix.split())
    return _Compiled(
        themes=fw.themes,
        statement_of=statement_of,
        title=re.compile(rf"(?P<name>\S.*?)\s*:\s*{words}\s*$", re.I),
        meaning=re.compile(r"(?P<n>\d)\s*-\s*(?:" + "|".join(
            r"\s+".join(re.escape(w) for w in m.split()) for m in fw.score_meanings.values()) + r")\.?\s*$", re.I),
        sections={tx.match_key(line): name for name, lines in fw.sections.items() for line in lines},
        furniture=frozenset(tx.match_key(f) for f in fw.furniture),
    )


def is_local_authority_page(text: str) -> bool:
    """Whether a text holds the title line of a local authority assessment page."""
    c = _framework()
    # Only the first lines are looked at: splitting the whole text would cost every document read.
    return any(c.title.fullmatch(line.strip()) for line in text.split("\n", 40)[:40] if ":" in line)


class _Role(Enum):
    TITLE = "title"
    FURNITURE = "furniture"
    STATEMENT = "statement"
    SCORE = "score"
    MEANING = "meaning"
    SECTION = "section"
    TEXT = "text"


def _role(folded: str) -> tuple[_Role, str | None]:
    c = _framework()
    key = tx.match_key(folded)
    if key in c.statement_of:
        return _Role.STATEMENT, key
    if key in c.sections:
        return _Role.SECTION, c.sections[key]
    if key in c.furniture:
        return _Role.FURNITURE, None
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
    pages: int  # title lines read: one per statement page
    warnings: list[Warning] = field(default_factory=list)


@dataclass
class _Statement:
    heading: int
    sdef: _StatementDef
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
    for i, (role, value) in enumerate(roles):
        b = doc.blocks[i]
        if role is _Role.TITLE:
            pages += 1
            current, section = None, None
            _read_title(doc, i, location, warnings)
        elif role is _Role.STATEMENT and _opens_statement(roles, i):
            sdef, theme = _framework().statement_of[str(value)]
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
            _check_meaning(doc, i, current, warnings)
        elif role is _Role.SECTION:
            section = value
            current.last = i
        elif role is _Role.TEXT and section == "findings" and b.kind in ("paragraph", "list_item"):
            current.evidence.append(i)
            current.last = i
        elif section == "findings":
            current.last = i  # a sub-heading of the findings
    kept = _first_of_each(doc, statements, warnings)
    built = [_theme(doc, t.name, [s for s in kept if s.theme == t.name], t.statements, warnings)
             for t in _framework().themes]
    themes = [t for t in built if t is not None]
    return LocalAuthorityRead(location, themes, _overall(themes), pages, warnings)


def _opens_statement(roles: list[tuple[_Role, str | None]], i: int) -> bool:
    """A statement's name opens its page when a score, or the page's title, stands next to it
    (a findings sub-heading may share a statement's name)."""
    after = roles[i + 1][0] if i + 1 < len(roles) else None
    before = next((r for r, _ in reversed(roles[:i]) if r is not _Role.FURNITURE), None)
    return after is _Role.SCORE or before is _Role.TITLE


def _read_title(doc: Document, i: int, location: Location, warnings: list[Warning]) -> None:
    b = doc.blocks[i]
    m = _framework().title.fullmatch(doc.folded[b.start:b.end])
    if m is None:
        return
    s, e = b.start + m.start("name"), b.start + m.end("name")
    if location.name is None:
        location.name = make_field(doc, doc.text[s:e], s, e, "local_authority.title")
    elif tx.match_key(doc.text[s:e]) != tx.match_key(location.name.value):
        warnings.append(Warning(code="page_header_mismatch",
                                message=f"a page of {doc.text[s:e]!r} follows pages of {location.name.value!r}",
                                span=make_span(doc, s, e)))


def _check_meaning(doc: Document, i: int, st: _Statement, warnings: list[Warning]) -> None:
    b = doc.blocks[i]
    m = _framework().meaning.fullmatch(doc.folded[b.start:b.end])
    st.last = i
    if m is None or st.score is None or int(m["n"]) == st.score.value:
        return
    warnings.append(Warning(code="score_mismatch",
                            message=f"{st.sdef.id} {st.sdef.name}: 'Score: {st.score.value}' but the line "
                                    f"under it reads {b.text!r}; the score is kept",
                            span=make_span(doc, b.start, b.end)))


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


def _theme(doc: Document, name: str, found: list[_Statement], defs: list[_StatementDef],
           warnings: list[Warning]) -> KeyQuestion | None:
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
    theme = KeyQuestion(
        name=construct(Field[str], value=name, span=None, rule="local_authority.theme_of_statement"),
        quality_statements=records,
        statements_not_present=[StatementRef(id=d.id, name=d.name) for d in defs if d.id not in present],
        span=make_span(doc, records[0].span.start, max(r.span.end for r in records)),
    )
    theme.computed_from_statements = score_check(theme)  # the provider check: same sums and percentages
    return theme


def _overall(themes: list[KeyQuestion]) -> LocalAuthorityScore:
    checks: list[ScoreCheck] = [t.computed_from_statements for t in themes if t.computed_from_statements]
    total, maximum = sum(c.sum for c in checks), sum(c.max for c in checks)
    counted = sum(c.statements_counted for c in checks)
    complete = counted == sum(len(t.statements) for t in _framework().themes)
    percent = round(100 * total / maximum, 1) if maximum else None
    band = tx.band_of(round(100 * total / maximum)) if complete and maximum else None
    return LocalAuthorityScore(statements_counted=counted, sum=total, max=maximum, percent=percent,
                               complete=complete, band=band)  # type: ignore[arg-type]  # validated here
