"""Rating grids of rating-era hospital reports: each core service's rating for each key question.

A hospital's report (and some independent hospitals') rates its core services in a grid:

* an optional title line, "Our ratings for this hospital are:" or "Ratings for Northgate Hospital";
* a header row of the five key questions and "Overall", on one line or one heading a line;
* a row per core service: its name, then a rating per column; a cell may print after its rating
  how it changed since the last inspection (an arrow) and the month it was given ("Jan 2020");
* often an overall row ("Overall*") and a note ("*Overall ratings for this hospital are from
  combining ratings for services ...").

A PDF text extract keeps a row on one line, or puts every cell, and every word of "Requires
improvement", on a line of its own; a long service name may wrap. So the grid is read as a run of
tokens across its lines: rating words, marks (arrows, months) and the text between them. A row is
the text up to its first rating word (its name) and as many rating words as there are columns.

A row that stops short of a rating per column (text comes first) gives ``grid_row_incomplete``
and is not kept, unless that text is prose: then the grid ended there. The grid ends at the
first line that is not part of a row or note, at a line the report reader knows (a section, a
key question, the ratings block) or at prose.

The words the grid may print are data (``rating_grid.yaml``; rating words from ``vocabulary.yaml``,
core service names from its ``core_services``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from extractor import taxonomy as tx
from extractor.checks import check_rating_principles
from extractor.dates import MONTHS
from extractor.document import Document
from extractor.errors import TaxonomyError
from extractor.spans import make_field, make_span
from models import Field, GridRow, RatingGrid, ServiceSection, Warning

__all__ = ["GridsRead", "check_grids", "location_overall_row", "read_grids"]

OVERALL = "Overall"


class _Vocabulary(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    titles: list[str]
    columns: dict[str, list[str]]
    cells: dict[str, str]
    marks: list[str]
    notes: list[str]
    overall_row: str


@dataclass(frozen=True)
class _Patterns:
    column: re.Pattern[str]  # one heading of the header row
    column_of: dict[str, str]  # match key of a printed heading -> column name
    header_line: re.Pattern[str]  # a line of headings only
    title: re.Pattern[str]  # a title line; group "title" is the title
    token: re.Pattern[str]  # a cell (group "cell") or a mark (group "mark")
    cell_of: dict[str, str]  # match key of a printed cell -> rating
    note: re.Pattern[str]
    overall_row: re.Pattern[str]


@dataclass
class GridsRead:
    """The grids of a report, the blocks they take up (not prose) and their warnings."""

    grids: list[RatingGrid] = field(default_factory=list)
    blocks: set[int] = field(default_factory=set)
    warnings: list[Warning] = field(default_factory=list)


@dataclass(frozen=True)
class _Token:
    kind: str  # "cell", "mark" or "text"
    start: int
    end: int
    block: int
    value: str = ""  # a cell's rating


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    vocab: _Vocabulary = tx.load_validated(_Vocabulary, "rating_grid.yaml")
    names = [k.name for k in tx.taxonomy().key_questions]
    if set(vocab.columns) != {*names, OVERALL}:
        raise TaxonomyError(f"data file rating_grid.yaml: columns must be {[*names, OVERALL]}")
    column_of = {tx.match_key(w): name for name, words in vocab.columns.items() for w in words}
    columns = tx.phrases_pattern([w for words in vocab.columns.values() for w in words])
    unknown = sorted(r for r in vocab.cells.values() if tx.rating(r) is None)
    if unknown:
        raise TaxonomyError(f"data file rating_grid.yaml: cells stand for unknown ratings {unknown}")
    cell_of = {tx.match_key(w): str(tx.rating(w)) for w in tx.rating_words()}
    cell_of.update({tx.match_key(w): str(tx.rating(r)) for w, r in vocab.cells.items()})
    cells = tx.phrases_pattern([*tx.rating_words(), *vocab.cells])
    months = "|".join(sorted(MONTHS, key=len, reverse=True))
    marks = "|".join(re.escape(m) for m in sorted(vocab.marks, key=len, reverse=True))
    return _Patterns(
        column=re.compile(rf"(?<![\w-])(?:{columns})(?![\w-])", re.I),
        column_of=column_of,
        header_line=re.compile(rf"\s*(?:(?:{columns})\s*)+", re.I),
        title=re.compile(rf"(?P<title>(?:{tx.phrases_pattern(vocab.titles)})\s+.*?)(?:\s+are)?\s*:?\s*", re.I),
        token=re.compile(rf"(?<![\w/])(?P<cell>{cells})(?![\w/])|(?P<mark>(?:{marks})|\b(?:{months})\.?\s+\d{{4}}\b)",
                         re.I),
        cell_of=cell_of,
        note=re.compile(rf"\*?\s*(?:{tx.phrases_pattern(vocab.notes)})", re.I),
        overall_row=re.compile(rf"{tx.phrase_pattern(vocab.overall_row)}\b", re.I),
    )


def read_grids(doc: Document, *, stops: Collection[int] = (), skip: Collection[int] = ()) -> GridsRead:
    """Every rating grid of a rating-era report.

    Args:
        doc: the report.
        stops: blocks that end a grid (lines the report's reader knows: sections, questions).
        skip: blocks inside a grid to pass over (page footers).
    """
    p = _patterns()
    out = GridsRead()
    i = 0
    while i < len(doc.blocks):
        header = _header(doc, i, p)
        if header is None:
            i += 1
            continue
        columns, last = header
        grid, used, end = _read_rows(doc, columns, last + 1, stops, skip, out.warnings)
        if grid.rows:
            first = i
            title = _title(doc, i - 1, skip)
            if title is not None:
                grid.title = title[0]
                first = title[1]
            grid.span = make_span(doc, doc.blocks[first].start, doc.blocks[end].end)
            out.grids.append(grid)
            out.blocks.update(range(first, last + 1))
            out.blocks.update(used)
            i = end + 1
        else:
            i = last + 1
    return out


def _header(doc: Document, i: int, p: _Patterns) -> tuple[list[str], int] | None:
    """The columns of a header row starting at block ``i`` and its last block: all five key
    questions and the overall, each once, on one line or over several lines of headings only."""
    columns: list[str] = []
    j = i
    while j < len(doc.blocks) and len(columns) < 6:
        b = doc.blocks[j]
        text = doc.folded[b.start:b.end]
        if not p.header_line.fullmatch(text):
            break
        columns += [p.column_of[tx.match_key(m.group())] for m in p.column.finditer(text)]
        j += 1
    if len(columns) != 6 or len(set(columns)) != 6:
        return None
    return columns, j - 1


def _title(doc: Document, i: int, skip: Collection[int]) -> tuple[Field[str], int] | None:
    """The title on the line above the header (block ``i``, page footers passed over), and the
    grid's first block: a heading that repeats the title ("Our ratings for this hospital" over
    "Our ratings for this hospital are:") belongs to the grid too."""
    p = _patterns()

    def above(k: int) -> int:
        while k >= 0 and k in skip:
            k -= 1
        return k

    i = above(i)
    if i < 0 or (m := p.title.fullmatch(doc.folded, doc.blocks[i].start, doc.blocks[i].end)) is None:
        return None
    s, e = m.span("title")
    title = make_field(doc, " ".join(doc.text[s:e].split()), s, e, "inspection.grid_title")
    j = above(i - 1)
    if j >= 0 and p.title.fullmatch(doc.folded, doc.blocks[j].start, doc.blocks[j].end):
        i = j
    return title, i


def _tokens(doc: Document, first: int, last: int, skip: Collection[int]) -> list[_Token]:
    """The tokens of blocks ``first..last``: cells and marks (across line breaks) and, between
    them, the text of each line."""
    p = _patterns()
    folded = doc.folded
    starts = [b.start for b in doc.blocks]
    lo, hi = doc.blocks[first].start, doc.blocks[last].end
    out: list[_Token] = []

    def text(start: int, end: int) -> None:
        for line in re.finditer(r"[^\n]*\S[^\n]*", folded[start:end]):
            s = start + line.start() + len(line.group()) - len(line.group().lstrip())
            e = start + line.start() + len(line.group().rstrip())
            out.append(_Token("text", s, e, bisect_right(starts, s) - 1))

    pos = lo
    for m in p.token.finditer(folded, lo, hi):
        text(pos, m.start())
        block = bisect_right(starts, m.start()) - 1
        if m.group("cell") is not None:
            out.append(_Token("cell", m.start(), m.end(), block, p.cell_of[tx.match_key(m.group())]))
        else:
            out.append(_Token("mark", m.start(), m.end(), block))
        pos = m.end()
    text(pos, hi)
    return [t for t in out if t.block not in skip]


def _read_rows(doc: Document, columns: list[str], first: int, stops: Collection[int], skip: Collection[int],
               warnings: list[Warning]) -> tuple[RatingGrid, set[int], int]:
    """The rows after a header (its last block is ``first - 1``): the grid, the blocks its rows
    and note take up, and its last block."""
    p = _patterns()
    grid = RatingGrid.model_construct(title=None, rows=[], span=None)
    used: set[int] = set()
    last = first
    while last < len(doc.blocks) and last not in stops:
        last += 1
    if last == first:
        return grid, used, first - 1
    name: list[_Token] = []
    cells: list[_Token] = []
    in_note = note_open = False
    repeated = -1  # the last block of a header row printed again (a grid running onto a new page)
    for tok in _tokens(doc, first, last - 1, skip):
        if tok.block <= repeated:
            continue
        if tok.kind == "text" and not name and not cells and not in_note and (again := _header(doc, tok.block, p)):
            repeated = again[1]
            used.update(range(tok.block, repeated + 1))
            continue
        if tok.kind == "text":
            text = doc.folded[tok.start:tok.end]
            is_note = p.note.match(text) is not None
            if in_note and not (is_note or note_open):
                break
            if in_note or (is_note and grid.rows and not name and not cells):
                in_note, note_open = True, not text.endswith((".", "!", "?"))
                used.add(tok.block)
                continue
            prose = _prose(text) and tx.core_service(text) is None
            if cells:
                if prose or len(cells) == 1:
                    break  # the grid ended with the row before: this is a heading and its rating
                _incomplete(doc, name, cells, len(columns), warnings)
                used.update(t.block for t in [*name, *cells])
                name, cells = [], []
            if prose or len({t.block for t in name} | {tok.block}) > 3:
                break  # prose, or a run of lines no rating follows: not a row
            name.append(tok)
        elif in_note:
            break
        elif tok.kind == "mark":
            if cells or (grid.rows and not name):
                used.add(tok.block)  # a cell's trend or date, after its rating
        else:
            if not name:
                break  # a rating with no row name: not this grid's
            cells.append(tok)
            if len(cells) == len(columns):
                grid.rows.append(_row(doc, name, cells, columns))
                used.update(t.block for t in [*name, *cells])
                name, cells = [], []
    if len(cells) > 1:
        _incomplete(doc, name, cells, len(columns), warnings)
        used.update(t.block for t in [*name, *cells])
    return grid, used, max(used, default=first - 1)


def _prose(text: str) -> bool:
    """Whether a line of text between cells reads as prose rather than a row's name (the caller
    takes a known core service's name as a name whatever its length: the longest run to 13 words)."""
    words = len(text.split(None, 16))
    return words > 16 or (words > 3 and text.rstrip().endswith((".", "!", "?")))


def _row(doc: Document, name: list[_Token], cells: list[_Token], columns: list[str]) -> GridRow:
    p = _patterns()
    s, e = name[0].start, name[-1].end
    printed = " ".join(doc.text[s:e].split()).rstrip("*").rstrip()
    while e > s and doc.text[e - 1] in "* ":
        e -= 1
    core = None if p.overall_row.match(printed) else tx.core_service(printed)
    return GridRow.model_construct(
        service=make_field(doc, printed, s, e, "inspection.grid_row"),
        core_service=core.name if core is not None else None,
        ratings={col: make_field(doc, c.value, c.start, c.end, "inspection.grid_cell")
                 for col, c in zip(columns, cells)},
        span=make_span(doc, s, cells[-1].end),
    )


def _incomplete(doc: Document, name: list[_Token], cells: list[_Token], n: int, warnings: list[Warning]) -> None:
    s, e = name[0].start, name[-1].end
    printed = " ".join(doc.text[s:e].split())
    warnings.append(Warning(
        code="grid_row_incomplete",
        message=f"rating grid row {printed!r} has {len(cells)} of {n} ratings; it is left out",
        span=make_span(doc, s, cells[-1].end)))


def check_grids(grids: list[RatingGrid], location_name: str | None, overall: Field[str] | None,
                block: dict[str, Field[str]], sections: Sequence[ServiceSection] = ()) -> list[Warning]:
    """Each core service's overall rating against CQC's ratings principles for its five key
    questions (``rating_consistency``); the overall row of the location's grid against the
    report's ratings block, and each core service's section ratings and its overall rating on
    the cover (a grid of kind "cover") against its row (``grid_rating_mismatch``).

    The location's grid is the only grid, or one whose title names the location or "this
    hospital" (a trust's report has a grid per hospital and one for the trust).
    """
    p = _patterns()
    names = [k.name for k in tx.taxonomy().key_questions]
    out: list[Warning] = []
    for grid in (g for g in grids if g.kind == "grid"):
        for row in grid.rows:
            if not p.overall_row.match(row.service.value):
                out.extend(check_rating_principles(
                    row.ratings.get(OVERALL), [row.ratings[n] for n in names if n in row.ratings], 0,
                    subject=f"rating grid: {row.service.value}: overall rating"))
    printed = {**block, **({OVERALL: overall} if overall is not None else {})}
    for grid in _location_grids(grids, location_name):
        rows = {tx.match_key(row.service.value): row for row in grid.rows}
        by_core: dict[str | None, GridRow] = {row.core_service: row for row in grid.rows if row.core_service}
        for row in grid.rows:
            if p.overall_row.fullmatch(row.service.value):
                out.extend(_mismatch(f"{column}: the ratings block says {other.value!r}, the rating grid's overall "
                                     f"row says {cell.value!r}", cell)
                           for column, cell in row.ratings.items()
                           if (other := printed.get(column)) is not None and other.value != cell.value)
        for section in sections:
            rated = rows.get(tx.match_key(section.service.value)) or by_core.get(section.core_service)
            cell = rated.ratings.get(section.key_question) if rated is not None else None
            if cell is not None and section.rating is not None and section.rating.value != cell.value:
                out.append(_mismatch(f"{section.service.value}: {section.key_question}: the rating grid says "
                                     f"{cell.value!r}, its section says {section.rating.value!r}", section.rating))
        for cover in (g for g in grids if g.kind == "cover"):
            for listed in cover.rows:
                rated = rows.get(tx.match_key(listed.service.value)) or by_core.get(listed.core_service)
                cell = rated.ratings.get(OVERALL) if rated is not None else None
                said = listed.ratings.get(OVERALL)
                if cell is not None and said is not None and said.value != cell.value:
                    out.append(_mismatch(f"{listed.service.value}: the cover says {said.value!r}, the rating "
                                         f"grid's row says {cell.value!r}", said))
    return out


def location_overall_row(grids: list[RatingGrid], location_name: str | None) -> GridRow | None:
    """The overall row of the location's grid (its key questions' ratings), when there is one
    location grid with such a row."""
    own = _location_grids(grids, location_name)
    rows = [row for g in own for row in g.rows if _patterns().overall_row.fullmatch(row.service.value)]
    return rows[0] if len(rows) == 1 else None


def _location_grids(grids: list[RatingGrid], location_name: str | None) -> list[RatingGrid]:
    """The grids of the location itself (see :func:`check_grids`)."""
    grids = [g for g in grids if g.kind == "grid"]
    if len(grids) <= 1:
        return grids
    own = {tx.match_key(n) for n in ("this hospital", "this location", "this service", location_name or "")} - {""}
    return [g for g in grids if g.title is not None
            and any(f" {n} " in f" {tx.match_key(g.title.value)} " for n in own)]


def _mismatch(message: str, where: Field[str]) -> Warning:
    return Warning(code="grid_rating_mismatch", message=message, span=where.span)
