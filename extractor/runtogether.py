"""Texts whose report lines run together: a whole printed page a line, as some sites transcribe
a report's PDF ("1 Fellbrook Hospitals NHS Trust Quality Report Brook Lane, Fellbrook. FB1 2AB
Tel: ... Date of inspection visit: 9, 10 July 2014 Date of publication: 14/11/2014 ... Ratings
Overall rating for this trust Are services at this trust safe? ...").

The readers of rating-era reports take a report line by line, so such a text gives them nothing.
:func:`reline` gives those lines back: the white space before each line that opens a report's
part (the cover's labels, the ratings block's lines, the key questions, section headings) becomes
a line break, one character for one, so offsets do not move. After a key question, a rating
word ends its line before the prose that follows ("Are services safe? Good Staff were ...").
A page's running footer ("3 Fellbrook Hospitals NHS Trust Quality Report 14/11/2014") and the
page number that starts a page are set on lines of their own.

A text is taken for one run together only when most of its lines are long (a page a line) and
one of them holds two or more of those lines inside it: CQC's own extracts, a paragraph a line,
have headings, ratings and labels on short lines of their own. The words are data: the inspection reader's own (``inspection.yaml``) and a few cover labels
(``run_together.yaml``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from extractor import taxonomy as tx
from extractor.dates import DATE_PATTERN, NUMERIC_DATE_PATTERN
from extractor.document import fold
from extractor.inspection_words import inspection_vocabulary

__all__ = ["reline"]

_LONG_LINE = 400  # characters: a line this long may be a page run together
_MIN_INSIDE = 2  # line openers inside one long line that make the text one run together
_WORDS = r"[^\s?]+(?:\s+[^\s?]+){0,5}"  # a few words: a hospital's core service in its question


class _GridWords(BaseModel):
    """The rating grid reader's titles (the rest of its file is ignored)."""
    model_config = ConfigDict(extra="ignore", frozen=True)
    titles: list[str]


class _Vocabulary(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    labels: list[str]
    provider_ends: list[str]


class _Patterns:
    def __init__(self) -> None:
        words = inspection_vocabulary()
        own: _Vocabulary = tx.load_validated(_Vocabulary, "run_together.yaml")
        grid: _GridWords = tx.load_validated(_GridWords, "rating_grid.yaml")
        kq = tx.phrases_pattern([w for forms in words.key_questions.values() for w in forms])
        questions = [tx.phrase_pattern(q.replace("{kq}", "KQ").replace("{service}", "SERVICE"))
                     .replace("KQ", f"(?:{kq})").replace("SERVICE", _WORDS)
                     for q in [*words.questions, *words.service_questions]]
        question = "|".join(sorted(questions, key=len, reverse=True))
        rated = "|".join(sorted([*questions, *(tx.phrase_pattern(o) for o in words.overall)], key=len, reverse=True))
        headings = tx.phrases_pattern([*(s for group in words.sections.values() for s in group), *words.report_title])
        labels = tx.phrases_pattern([*words.visit_label, *words.publication_label, *own.labels])
        rating = tx.phrases_pattern(tx.rating_words())
        # What follows a question on its line: a rating, or the action taken with its mark.
        verdict = tx.phrases_pattern([*tx.rating_words(), *(f for k, forms in words.actions.items() for f in [k, *forms])])
        # A row of a rating grid or of the population groups: a core service, a group or
        # "Overall", then a rating; and the grid's head, the key questions in a row.
        rows = tx.phrases_pattern([*tx.core_service_names(), "Overall", "Overall*",
                                   *(f for k, forms in words.population_groups.items() for f in [k, *forms])])
        head = r"[ \t]+".join(["Safe", "Effective", "Caring", "Responsive", "Well-led", "Overall"])
        # Each match takes its row's first cell and rating, so that a row name inside another
        # ("Families, children and young people") does not start a row of its own; a core
        # service's name before its question ("Maternity Are services safe?") heads a section.
        services = tx.phrases_pattern(tx.core_service_names())
        self.row = re.compile(rf"(?<=[^\s,&])(?P<gap>[ \t]+)(?:(?:{rows})[ \t]+(?:{rating})(?![\w-])|{head}(?![\w-])"
                              rf"|(?:{services})(?=[ \t]+(?:{question}))"
                              rf"|(?-i:{tx.phrases_pattern(grid.titles)})(?=[ \t]))", re.I)
        self.head_end = re.compile(rf"{head}(?P<gap>[ \t]+)(?=\S)", re.I)
        self.title = re.compile(tx.phrases_pattern(words.report_title), re.I)
        self.provider_end = re.compile(rf"(?<!\S)(?:{tx.phrases_pattern(own.provider_ends)})(?P<gap>[ \t]+)(?=\S)", re.I)
        # The white space before a line opener; before a heading only where a line of its own
        # could follow ("formal enforcement action at this stage" is prose).
        self.opener = re.compile(rf"(?<=\S)[ \t]+(?=(?:{rated}|{labels})(?![\w-])|(?:{headings})(?:[ \t]+(?-i:[A-Z0-9•])|[ \t]*$))",
                                 re.I | re.M)
        # The white space after a heading, a question or an overall line (and its rating), or a
        # label's date, where a new line of prose starts.
        self.after = re.compile(rf"(?:(?:(?:{rated})(?:[ \t]+(?:{verdict})[ \t{_MARKS}]*?)?|(?:{labels})\s*:?[^\n]{{0,60}}?(?:{_DATE}))"
                                rf"(?P<gap>[ \t]+)(?=(?-i:[A-Z]))|(?:{headings})(?P<after_heading>[ \t]+)(?=(?-i:[A-Z0-9])))", re.I)


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    return _Patterns()


_DATE = "|".join(re.sub(r"\?P<\w+>", "", d) for d in (DATE_PATTERN, NUMERIC_DATE_PATTERN))
_PAGE_NUMBER = re.compile(r"^[ \t]*\d{1,3}(?P<gap>[ \t]+)(?=[A-Z])", re.M)
_MARKS = "✔✓✘✗✖"  # the tick or cross after an action
_BULLET = re.compile(r"(?<=\S)[ \t]+(?=[•●▪][ \t]+\w)")  # a list item inside the line


def reline(text: str) -> str:
    """``text`` with the lines of a report that ran together set apart (see the module docstring);
    any other text as it is."""
    lines = [line for line in text.split("\n") if line.strip() and not line.strip().isdigit()]
    if not lines or sum(len(line) >= _LONG_LINE for line in lines) * 2 < len(lines):
        return text  # a text of short lines, or of a paragraph a line with headings between
    p = _patterns()
    folded = fold(text)
    long_lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]{%d,}" % _LONG_LINE, folded)]
    if not any(_holds(p.opener, folded, s, e, _MIN_INSIDE) for s, e in long_lines):
        return text
    cuts: list[tuple[int, int]] = []
    footers, provider = _footers(folded, p)
    if provider is not None:
        cuts.append(provider)
    cuts += [(m.start("gap"), m.end("gap")) for m in _PAGE_NUMBER.finditer(folded)]
    # Once a text is taken for one run together, every line of it is relined.
    cuts += [m.span() for m in p.opener.finditer(folded)]
    cuts += [m.span("gap") if m.group("gap") else m.span("after_heading") for m in p.after.finditer(folded)]
    cuts += [m.span() for m in _BULLET.finditer(folded)]
    cuts += [m.span("gap") for m in p.row.finditer(folded)]
    cuts += [m.span("gap") for m in p.head_end.finditer(folded)]
    out = list(text)
    for a, b in cuts:  # the first character of the white space breaks the line
        if not any(fs < a < fe for fs, fe in footers):
            out[a] = "\n"
    for fs, fe in footers:  # the footer on a line of its own
        for a, b in ((fs - 1, fs), (fe, fe + 1)):
            if 0 <= a and b <= len(text) and text[a:b] in (" ", "\t"):
                out[a:b] = "\n"
    return "".join(out)


def _holds(pattern: re.Pattern[str], text: str, start: int, end: int, n: int) -> bool:
    """Whether ``pattern`` matches ``n`` times or more in ``text[start:end]``."""
    found = 0
    for _ in pattern.finditer(text, start, end):
        found += 1
        if found >= n:
            return True
    return False


def _footers(folded: str, p: _Patterns) -> tuple[list[tuple[int, int]], tuple[int, int] | None]:
    """Where a page's running footer stands ("[page] <name> <report title> <date> [page]", the
    name being what precedes the report's title on its first line), and the white space that
    parts a provider from the location in that name ("Holmebridge Care Homes Limited Tanfield
    Lodge"), if any."""
    first = _PAGE_NUMBER.match(folded)
    start = first.end() if first else 0
    line_end = folded.find("\n", start)
    title = p.title.search(folded, start, line_end if line_end >= 0 else len(folded))
    name = folded[start:title.start()].strip() if title else ""
    if title is None or len(name.split()) < 2:
        return [], None
    provider = p.provider_end.search(folded, start, title.start())
    footer = re.compile(rf"(?:\d{{1,3}}[ \t]+)?{tx.phrase_pattern(name)}\s+(?:{p.title.pattern})\s+(?:{_DATE})"
                        rf"(?:[ \t]+\d{{1,3}}(?!\S))?", re.I)
    found = [m.span() for m in footer.finditer(folded) if m.start() > title.end()]
    return found, (provider.span("gap") if provider and provider.end() < title.start() else None)
