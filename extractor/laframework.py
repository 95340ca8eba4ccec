"""The local authority assessment framework and page vocabulary, from ``local_authority.yaml``.

Shared by the statement-page reader (:mod:`extractor.localauthority`) and the overview-page reader
(:mod:`extractor.laoverview`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from extractor import taxonomy as tx
from extractor.document import Document
from extractor.errors import TaxonomyError
from extractor.spans import make_span
from models import Field, Warning

__all__ = ["StatementDef", "ThemeDef", "Framework", "framework", "meaning_mismatch"]


class StatementDef(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    name: str
    aliases: list[str]


class ThemeDef(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    statements: list[StatementDef]


class _OverviewDef(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    opens: list[str]
    scores: list[str]
    theme_prefix: str


class _FrameworkFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    themes: list[ThemeDef]
    title_suffix: str
    score_meanings: dict[int, str]
    sections: dict[str, list[str]]
    furniture: list[str]
    overview: _OverviewDef


@dataclass(frozen=True)
class Framework:
    themes: list[ThemeDef]
    statement_of: dict[str, tuple[StatementDef, str]]  # match key -> statement, its theme
    title: re.Pattern[str]
    meaning: re.Pattern[str]
    sections: dict[str, str]  # match key -> section name
    furniture: frozenset[str]
    overview_opens: frozenset[str]  # match keys of the line that opens an overview page
    overview_line: re.Pattern[str]  # the same, as a line of a text
    overview_scores: frozenset[str]  # ... of the line over its list of statement scores
    overall: re.Pattern[str]  # "<council> scored 67 out of 100 overall"
    theme_heading: re.Pattern[str]  # "Theme 1: Working with people": the theme in group "name"

    def theme_of_heading(self, folded: str) -> str | None:
        """The theme a summary heading names ("Leadership", "Theme 4: Leadership"), or None."""
        m = self.theme_heading.fullmatch(folded.strip())
        key = tx.match_key(m["name"] if m else folded)
        return next((t.name for t in self.themes if tx.match_key(t.name) == key), None)


def meaning_mismatch(doc: Document, i: int, sdef: StatementDef, score: Field[int] | None,
                     printed_as: str) -> Warning | None:
    """``score_mismatch`` when block ``i``, the line under a "Score: N" ("2 - Evidence shows some
    shortfalls"), gives another number than ``score``; ``printed_as`` says where the score stood."""
    b = doc.blocks[i]
    m = framework().meaning.fullmatch(doc.folded[b.start:b.end])
    if m is None or score is None or int(m["n"]) == score.value:
        return None
    return Warning(code="score_mismatch",
                   message=f"{sdef.id} {sdef.name}: {printed_as} 'Score: {score.value}' but the line under it "
                           f"reads {b.text!r}; the score is kept",
                   span=make_span(doc, b.start, b.end))


def _words(text: str) -> str:
    return r"\s+".join(re.escape(w) for w in text.split())


@lru_cache(maxsize=1)
def framework() -> Framework:
    fw: _FrameworkFile = tx.load_validated(_FrameworkFile, "local_authority.yaml")
    statement_of = {tx.match_key(n): (s, t.name) for t in fw.themes for s in t.statements for n in [s.name, *s.aliases]}
    ids = [s.id for t in fw.themes for s in t.statements]
    if len(set(ids)) != len(ids) or len(statement_of) != sum(1 + len(s.aliases) for t in fw.themes for s in t.statements):
        raise TaxonomyError("data file local_authority.yaml: statement ids and names must be unique")
    if sorted(fw.score_meanings) != [1, 2, 3, 4]:
        raise TaxonomyError("data file local_authority.yaml: score_meanings must give scores 1 to 4")
    return Framework(
        themes=fw.themes,
        statement_of=statement_of,
        title=re.compile(rf"(?P<name>\S.*?)\s*:\s*{_words(fw.title_suffix)}\s*$", re.I),
        meaning=re.compile(r"(?P<n>\d)\s*-\s*(?:" + "|".join(_words(m) for m in fw.score_meanings.values())
                           + r")\.?\s*$", re.I),
        sections={tx.match_key(line): name for name, lines in fw.sections.items() for line in lines},
        furniture=frozenset(tx.match_key(f) for f in fw.furniture),
        overview_opens=frozenset(tx.match_key(x) for x in fw.overview.opens),
        overview_line=tx.line_pattern(fw.overview.opens),
        overview_scores=frozenset(tx.match_key(x) for x in fw.overview.scores),
        overall=re.compile(r"(?P<name>\S.*?)\s+scored\s+(?P<n>\d{1,3})\s*\(?\s*out\s+of\s+100\s*\)?"
                           r"(?:\s+overall)?\s*\.?\s*$", re.I),
        theme_heading=re.compile(rf"{_words(fw.overview.theme_prefix)}\s*\d+\s*[:.\-]?\s*(?P<name>.+)", re.I),
    )
