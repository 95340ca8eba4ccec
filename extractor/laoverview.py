"""A local authority assessment's overview page: the council's rating, its printed overall score and
the nine statement scores, and the summaries under them.

Copied as text it reads "Local authority rating and score", the council, its rating ("Good"),
"<council> scored 67 out of 100 overall", "Quality statement scores" with each statement's name
(maybe a list item), "Score: N" and maybe its meaning line ("2 - Evidence shows some shortfalls"),
then summaries: an overall summary and one under each theme's name. :func:`read_overview` reads
the blocks of one such page; :mod:`extractor.localauthority` checks its scores against the
statement pages and recomputes the overall score.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extractor import taxonomy as tx
from extractor.blocklabels import SCORE_RE
from extractor.document import Document
from extractor.laframework import StatementDef, framework, meaning_mismatch
from extractor.spans import make_field
from models import Field, Warning

__all__ = ["Listed", "OverviewRead", "read_overview"]


@dataclass
class Listed:
    """A statement in the overview's list of scores."""

    heading: int  # the block of its name
    sdef: StatementDef
    theme: str
    score: Field[int] | None = None
    last: int = 0  # its last block


@dataclass
class OverviewRead:
    council: Field[str] | None = None
    rating: Field[str] | None = None
    score_percent: Field[int] | None = None
    listed: list[Listed] = field(default_factory=list)
    summary: list[int] = field(default_factory=list)  # paragraphs not under a theme's heading
    theme_summary: dict[str, list[int]] = field(default_factory=dict)  # theme -> its paragraphs
    warnings: list[Warning] = field(default_factory=list)


def read_overview(doc: Document, start: int, end: int) -> OverviewRead:
    """Read the blocks ``start:end`` of ``doc``: an overview page from its opening line to the next
    page's title line (or the end)."""
    fw = framework()
    out = OverviewRead()
    part = "header"  # then "scores", then "summary"
    theme: str | None = None
    theme_at = -1  # the block of the last theme heading in the list of scores
    for i in range(start + 1, end):
        b = doc.blocks[i]
        folded = doc.folded[b.start:b.end]
        key = tx.match_key(folded)
        if key in fw.furniture:
            continue
        if part == "header":
            if key in fw.overview_scores:
                part = "scores"
            else:
                _header_line(doc, i, out)
            continue
        if part == "scores":
            if key in fw.statement_of:
                sdef, sdef_theme = fw.statement_of[key]
                out.listed.append(Listed(i, sdef, sdef_theme, last=i))
                continue
            if out.listed and (m := SCORE_RE.fullmatch(folded)) is not None:
                current = out.listed[-1]
                if current.score is None:
                    current.score = make_field(doc, int(m["n"]), b.start + m.start("n"), b.start + m.end("n"),
                                               "local_authority.overview_score")
                    current.last = i
                continue
            if out.listed and fw.meaning.fullmatch(folded):
                current = out.listed[-1]
                current.last = i
                if (w := meaning_mismatch(doc, i, current.sdef, current.score, "the overview lists")) is not None:
                    out.warnings.append(w)
                continue
            named = fw.theme_of_heading(folded) if b.kind == "heading" else None
            if named is not None:  # the list grouped by theme, or (if prose follows) a theme's summary
                theme, theme_at = named, i
                continue
            part = "summary"
            if theme_at != i - 1:
                theme = None
        named = fw.theme_of_heading(folded) if b.kind == "heading" else None
        if named is not None:
            theme = named
        elif b.kind in ("paragraph", "list_item"):
            (out.theme_summary.setdefault(theme, []) if theme else out.summary).append(i)
    return out


def _header_line(doc: Document, i: int, out: OverviewRead) -> None:
    """The council's name, its rating or its printed overall score, whichever the line gives."""
    b = doc.blocks[i]
    folded = doc.folded[b.start:b.end]
    m = framework().overall.fullmatch(folded)
    if m is not None and out.score_percent is None:
        out.score_percent = make_field(doc, int(m["n"]), b.start + m.start("n"), b.start + m.end("n"),
                                       "local_authority.overview_overall_score")
        return
    rating = tx.rating(folded)
    if rating is not None and out.rating is None:
        out.rating = make_field(doc, rating, b.start, b.end, "local_authority.overview_rating")
    elif rating is None and out.council is None and out.rating is None:
        out.council = make_field(doc, doc.text[b.start:b.end].strip(), b.start, b.end, "local_authority.overview_council")
