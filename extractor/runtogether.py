"""Texts whose report lines run together: a whole printed page a line, as some sites transcribe
a report's PDF ("1 Fellbrook Hospitals NHS Trust Quality Report Brook Lane, Fellbrook. FB1 2AB
Tel: ... Date of inspection visit: 9, 10 July 2014 Date of publication: 14/11/2014 ... Ratings
Overall rating for this trust Are services at this trust safe? ...").

The readers of the report families published as PDFs (rating-era, essential standards and
star-rated reports) take a report line by line, so such a text gives them nothing. :func:`reline`
gives those lines back: the white space before each line that opens a report's part (the
cover's labels, the ratings block's lines, the key questions, section headings, rows of rating
grids and of standards judged) becomes a line break, one character for one, so offsets do not
move. After a key question, a rating word ends its line before the prose that follows ("Are
services safe? Good Staff were ..."). A page's running footer ("3 Fellbrook Hospitals NHS Trust
Quality Report 14/11/2014") and the page number that starts a page are set on lines of their
own; on the cover, the provider's name is parted from the location's, and the location's from
its address.

A text is taken for one run together only when most of its lines are long (a page a line) and
one of them holds two or more of those lines inside it, or when a rating-era cover's visit
and publication dates stand on one line (a transcription a paragraph a line): CQC's own extracts
have headings, ratings and labels on short lines of their own. The words are data: the readers'
own (``inspection.yaml``, ``essential_standards.yaml``, ``star_rated.yaml``,
``rating_grid.yaml``, ``evidence_table.yaml``) and a few more (``run_together.yaml``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from extractor import taxonomy as tx
from extractor.address import HOUSE_NUMBER, POSTCODE_RE
from extractor.dates import ANY_DATE_PATTERN
from extractor.document import fold, is_page_number
from extractor.inspection_words import InspectionVocabulary, inspection_vocabulary

if TYPE_CHECKING:
    from extractor.essential import EssentialVocabulary

__all__ = ["reline"]

_LONG_LINE = 400  # characters: a line this long may be a page run together
_MIN_INSIDE = 2  # line openers inside one long line that make the text one run together
_COVER = 3000  # characters: where a report's cover ends at the latest
_WORDS = r"[^\s?]+(?:\s+[^\s?]+){0,5}"  # a few words: a hospital's core service in its question


class _GridWords(BaseModel):
    """The rating grid reader's titles (the rest of its file is ignored)."""
    model_config = ConfigDict(extra="ignore", frozen=True)
    titles: list[str]


class _Vocabulary(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    labels: list[str]
    provider_ends: list[str]


def _openers(words: InspectionVocabulary, era: EssentialVocabulary, own: _Vocabulary) -> tuple[str, str]:
    """The headings and the labels that open a line in the three families' reports, as regexes:
    rating-era (``words``), essential standards (``era``, both layouts; a review of compliance's
    parts open "Outcome 04:") and star-rated."""
    review = era.review
    star = tx.load_yaml("star_rated.yaml")  # validated by its reader
    headings = tx.phrases_pattern([
        *(s for group in words.sections.values() for s in group), *words.report_title,
        *(s for group in era.sections.values() for s in group), *era.report_title, review.title,
        *review.overall_judgement, *review.summary, *review.standards_summary, *review.framework,
        *review.judgement, *review.findings, *review.action, *review.closing,
        *star["report_title"], *star["details_heading"], *(h for h in star["headings"] if len(h.split()) > 1)])
    labels = "|".join([tx.phrases_pattern([
        *words.visit_label, *words.publication_label, *own.labels, *era.inspection_label, *era.publication_label,
        *era.provider_label, *review.address_label, *(f"{label}:" for label in review.cover_labels),
        *star["cover_labels"], *(label for group in star["labels"].values() for label in group)]),
        r"Outcome\s+\d{1,2}\s*:"])
    return headings, labels


class _Patterns:
    def __init__(self) -> None:
        from extractor.essential import vocabulary  # here: its reader's imports lead back to this module

        words, era = inspection_vocabulary(), vocabulary()
        own: _Vocabulary = tx.load_validated(_Vocabulary, "run_together.yaml")
        grid: _GridWords = tx.load_validated(_GridWords, "rating_grid.yaml")
        headings, labels = _openers(words, era, own)
        kq = tx.phrases_pattern([w for forms in words.key_questions.values() for w in forms])
        questions = [tx.phrase_pattern(q.replace("{kq}", "KQ").replace("{service}", "SERVICE"))
                     .replace("KQ", f"(?:{kq})").replace("SERVICE", _WORDS)
                     for q in [*words.questions, *words.service_questions]]
        question = "|".join(sorted(questions, key=len, reverse=True))
        rated = "|".join(sorted([*questions, *(tx.phrase_pattern(o) for o in words.overall)], key=len, reverse=True))
        rating = tx.phrases_pattern(tx.rating_words())
        # What follows a question on its line: a rating, or the action taken with its mark.
        verdict = tx.phrases_pattern([*tx.rating_words(), *(f for k, forms in words.actions.items() for f in [k, *forms])])
        # A row of a rating grid or of the population groups: a core service, a group or
        # "Overall", then a rating; and the grid's head, the key questions in a row.
        # Essential standards are listed with their judgements the same way.
        rows = tx.phrases_pattern([*tx.core_service_names(), "Overall", "Overall*",
                                   *words.group_forms()])
        standards = tx.phrases_pattern([n for sd in era.standards for n in [sd.name, *sd.aliases]])
        judged = tx.phrases_pattern([f for k, forms in era.judgements.items() for f in [k, *forms]])
        head = r"[ \t]+".join(["Safe", "Effective", "Caring", "Responsive", "Well-led", "Overall"])
        # Each match takes its row's first cell and rating, so that a row name inside another
        # ("Families, children and young people") does not start a row of its own; a core
        # service's name before its question ("Maternity Are services safe?") heads a section.
        services = tx.phrases_pattern(tx.core_service_names())
        self.row = re.compile(rf"(?<=[^\s,&])(?<!\bwith)(?P<gap>[ \t]+)(?:(?:{rows})[ \t]+(?:{rating})(?![\w-])|{head}(?![\w-])"
                              rf"|(?:(?:{standards})[ \t]+(?:{judged})|Outcome\s+\d{{1,2}}\s*:\s*(?:{standards}))(?![\w-])"
                              rf"(?:(?P<after_row>[ \t]+)(?=(?-i:[A-Z])))?"
                              rf"|(?:{services})(?=[ \t]+(?:{question}))"
                              rf"|(?-i:{tx.phrases_pattern(grid.titles)})(?=[ \t]))", re.I)
        self.evidence = _evidence_cuts(words, kq, rating)
        # The regulator's tagline on the cover, a sentence set on its own line.
        self.tagline = re.compile(rf"(?:{tx.phrases_pattern(era.boilerplate)})[^.\n]*\.(?P<gap>[ \t]+)", re.I)
        # A rating-era cover's dates, which CQC's own extracts print a label a line (an essential
        # standards report's stand side by side).
        cover_labels = [*words.visit_label, *words.publication_label]
        self.cover_date = re.compile(tx.phrases_pattern(cover_labels), re.I)
        ends = {label.lower().split()[-1] for label in cover_labels}
        # Their last words, none inside another ("date" for "dates" too): a line must hold two.
        self.cover_date_ends = tuple(sorted(e for e in ends if not any(o != e and o in e for o in ends)))
        self.head_end = re.compile(rf"{head}(?P<gap>[ \t]+)(?=\S)", re.I)
        self.title = re.compile(tx.phrases_pattern(words.report_title), re.I)
        self.provider_end = re.compile(rf"(?<!\S)(?:{tx.phrases_pattern(own.provider_ends)})(?P<gap>[ \t]+)(?=\S)", re.I)
        # The white space before a line opener; before a heading only where a line of its own
        # could follow ("formal enforcement action at this stage" is prose).
        # Each match takes its opener, so that one inside a longer one ("inspection report" in
        # "Key inspection report", "Address" in "Name: Address:") starts no line of its own.
        # An opener right after "with" is the object of a sentence ("The provider is compliant
        # with Outcome 01: ...").
        self.opener = re.compile(rf"(?<=\S)(?<!\bwith)(?P<gap>[ \t]+)(?:(?:{rated}|{labels})(?![\w-])"
                                 rf"|(?=(?-i:[A-Z]))(?:{headings})(?=[ \t]+(?-i:[A-Z0-9•])|[ \t]*$))", re.I | re.M)
        # The white space after a heading, a question or an overall line (and its rating), or a
        # label's date, where a new line of prose starts.
        self.after = re.compile(rf"(?:(?:(?:{rated})(?:[ \t]+(?:{verdict})[ \t{_MARKS}]*?)?|(?:{labels})\s*:?[^\n]{{0,60}}?(?:{ANY_DATE_PATTERN}))"
                                rf"(?P<gap>[ \t]+)(?=(?-i:[A-Z]))|(?:{headings})(?P<after_heading>[ \t]+)(?=(?-i:[A-Z0-9])))", re.I)


def _evidence_cuts(words: InspectionVocabulary, kq: str, rating: str) -> list[re.Pattern[str]]:
    """Where a GP inspection evidence table's lines ran together (each pattern's "gap"): before
    and after its title, cover labels, explanation line and a checklist's head ("... from abuse.
    Safeguarding Y/N/Partial There was ..."); before a key question's or a population group's
    rated line and after its rating; after a row's answer ("... procedures. Yes Safeguarding
    systems ...")."""
    from extractor.evidencetable import evidence_vocabulary  # here: its reader's imports lead back to this module

    ev = evidence_vocabulary()
    labels = tx.phrases_pattern([*ev.inspection_date, *ev.data_download, *ev.overall, *ev.explanation])
    head = tx.phrases_pattern(ev.checklist_head)
    answers = tx.phrases_pattern([a for forms in ev.answers.values() for a in forms])
    groups = tx.phrases_pattern(words.group_forms())
    rated = rf"(?:(?:{kq})[ \t]+(?:{tx.phrases_pattern(ev.rating_label)})" \
            rf"|(?:{groups})[ \t]+(?:{tx.phrases_pattern(words.group_rating_labels)}))[ \t]*:"
    title = tx.phrases_pattern(ev.title)
    return [re.compile(p, re.I) for p in (
        rf"(?<=\S)(?P<gap>[ \t]+)(?:{title}|(?:{labels})[ \t]*:|{rated})",
        rf"(?:{title}|(?:{rated}|(?:{tx.phrases_pattern(ev.overall)})[ \t]*:)[ \t]*(?:{rating})"
        rf"|(?:{tx.phrases_pattern(ev.explanation)})[ \t]*:|{head})(?P<gap>[ \t]+)(?=\S)",
        rf"(?<=\.)(?P<gap>[ \t]+)(?=(?:(?-i:[A-Z])[^.\n]{{0,80}}?[ \t]+)?(?:{head})(?![\w/]))",
        rf"(?<=[.?)])[ \t]+(?:{answers})(?P<gap>[ \t]+)(?=(?-i:[A-Z]))")]


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    return _Patterns()


_PAGE_NUMBER = re.compile(r"^[ \t]*\d{1,3}(?P<gap>[ \t]+)(?=[A-Z])", re.M)
_MARKS = "✔✓✘✗✖"  # the tick or cross after an action
_BULLET = re.compile(r"(?<=\S)[ \t]+(?=[•●▪][ \t]+\w)")  # a list item inside the line


def reline(text: str) -> str:
    """``text`` with the lines of a report that ran together set apart (see the module docstring);
    any other text as it is."""
    if not _run_together(text):
        return text
    p = _patterns()
    folded = fold(text)
    cuts: list[tuple[int, int]] = []
    footers = _footers(folded, p)
    cuts += [(m.start("gap"), m.end("gap")) for m in _PAGE_NUMBER.finditer(folded)]
    # Once a text is taken for one run together, every line of it is relined.
    cuts += [m.span("gap") for m in p.opener.finditer(folded)]
    cuts += [m.span("gap") if m.group("gap") else m.span("after_heading") for m in p.after.finditer(folded)]
    cuts += [m.span() for m in _BULLET.finditer(folded)]
    for m in p.row.finditer(folded):
        cuts += [m.span("gap")] + ([m.span("after_row")] if m.group("after_row") else [])
    cuts += [m.span("gap") for m in p.head_end.finditer(folded)]
    cuts += [m.span("gap") for m in p.tagline.finditer(folded)]
    cuts += [m.span("gap") for pattern in p.evidence for m in pattern.finditer(folded)]
    out = list(text)
    for a, _ in cuts:  # the first character of the white space breaks the line
        if not any(fs < a < fe for fs, fe in footers):
            out[a] = "\n"
    for fs, fe in footers:  # the footer on a line of its own
        for a, b in ((fs - 1, fs), (fe, fe + 1)):
            if 0 <= a and b <= len(text) and text[a:b] in (" ", "\t"):
                out[a:b] = "\n"
    return _cover_names("".join(out))


def _run_together(text: str) -> bool:
    """Whether the text is one run together: most of its lines long, one of them holding two or
    more line openers; or its cover's dates on one line ("... Tel: 0333 012 4018 Date of inspection
    visit: 18 July 2016 Website: ... Date of publication: 29/09/2017"), as a transcription a
    paragraph a line gives them."""
    lines = [line for line in text.split("\n") if line.strip() and not is_page_number(line)]
    if not lines:
        return False
    p = _patterns()
    if _cover_dates_on_one_line(text[:_COVER], p):
        return True
    if sum(len(line) >= _LONG_LINE for line in lines) * 2 < len(lines):
        return False  # a text of short lines, or of a paragraph a line with headings between
    folded = fold(text)
    long_lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]{%d,}" % _LONG_LINE, folded)]
    return any(_holds(p.opener, folded, s, e, _MIN_INSIDE) or _holds(p.evidence[0], folded, s, e, _MIN_INSIDE)
               for s, e in long_lines)


def _cover_dates_on_one_line(cover: str, p: _Patterns) -> bool:
    """Whether a line of the cover holds two of the visit and publication labels (only a line that
    holds their last words twice is searched)."""
    def twice(text: str) -> bool:
        lower = text.lower()
        return sum(lower.count(word) for word in p.cover_date_ends) >= 2

    return twice(cover) and any(twice(line) and _holds(p.cover_date, fold(line), 0, len(line), 2)
                                for line in cover.split("\n"))


_HOUSE_NUMBER = re.compile(rf"[ \t](?={HOUSE_NUMBER}[ \t]+[A-Z][a-z])")


def _cover_names(text: str) -> str:
    """On the cover, up to its postcode: the provider's name set apart from the location's where
    they run on one line ("Holmebridge Care Homes Limited Tanfield Lodge", parted after "Limited"),
    and the location's name from its address ("Ashgrove House Nursing Home 14 Westfield Road,
    Horsforth, ...", parted before the house number where the words before it hold no digit,
    comma or label)."""
    p = _patterns()
    found = POSTCODE_RE.search(text, 0, 2000)
    if found is None:
        return text
    out = list(text)
    start = 0
    while start < found.start():
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        line = text[start:end]
        provider = p.provider_end.search(line)
        if provider and ":" not in line and not p.title.search(line):
            out[start + provider.start("gap")] = "\n"
        start = end + 1
    line_start = text.rfind("\n", 0, found.start()) + 1
    number = _HOUSE_NUMBER.search(text, line_start, found.start())
    before = text[line_start:number.start()] if number else ""
    if number and len(before.split()) >= 2 and not any(ch.isdigit() or ch in ",:" for ch in before) \
            and not p.title.search(before):
        out[number.start()] = "\n"
    return "".join(out)


def _holds(pattern: re.Pattern[str], text: str, start: int, end: int, n: int) -> bool:
    """Whether ``pattern`` matches ``n`` times or more in ``text[start:end]``."""
    found = 0
    for _ in pattern.finditer(text, start, end):
        found += 1
        if found >= n:
            return True
    return False


def _footers(folded: str, p: _Patterns) -> list[tuple[int, int]]:
    """Where a page's running footer stands: "[page] <name> <report title> <date> [page]", the
    name being what precedes the report's title on its first line."""
    first = _PAGE_NUMBER.match(folded)
    start = first.end() if first else 0
    line_end = folded.find("\n", start)
    title = p.title.search(folded, start, line_end if line_end >= 0 else len(folded))
    name = folded[start:title.start()].strip() if title else ""
    if title is None or len(name.split()) < 2:
        return []
    footer = re.compile(rf"(?:\d{{1,3}}[ \t]+)?{tx.phrase_pattern(name)}\s+(?:{p.title.pattern})\s+(?:{ANY_DATE_PATTERN})"
                        rf"(?:[ \t]+\d{{1,3}}(?!\S))?", re.I)
    return [m.span() for m in footer.finditer(folded) if m.start() > title.end()]
