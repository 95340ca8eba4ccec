"""Ratings stated in sentences, as reports of 2017 onward state them.

From late 2017, summaries say what was rated in prose, often with how the rating moved since the
last inspection, and a location page's list of inspections repeats those summaries:

* "Our rating of this service stayed the same. We rated it as good because:" - the subject, the
  change and (from the sentence after) the rating;
* "We rated safe and responsive as requires improvement, effective and caring as good." - key
  questions, each group with its rating, about the subject of the statement before;
* "We have rated this practice as requires improvement overall." and "This practice is rated as
  Good overall.";
* "We rated the practice as requires improvement for providing safe services because:" (the rating
  words may stand on a line of their own) and "... as inadequate for being effective and well-led,
  and as requires improvement for being safe";
* "We rated well-led for the trust overall as good.";
* "... because safe and responsive required improvement, but effective, caring and well-led were
  good.";
* "Eastmere General Hospital and Wykebeck Hospital were rated requires improvement" (a statement
  per place named) and "Safe and well-led were rated requires improvement";
* "The rating for well-led improved to outstanding.", "Safe, effective and well led improved
  to good." and "The rating for the well-led question at trust level had gone down from
  outstanding to requires improvement." - key questions of the subject before, with the change
  and the rating;
* "We inspected surgery and rated the service outstanding." and "We rated maternity as good."
  (a core service named as the subject);
* "Overall, the practice is rated as requires improvement." then lines "Safe - Requires
  improvement." (a key question of the subject before a line);
* as GP reports of 2014-2016 put it: "The practice has an overall rating of good.", "The overall
  rating for this practice is good.", "we found the practice to be good for providing safe and
  caring services", "good in the safe and caring domains and outstanding in the effective
  domain", "It requires improvement for providing safe services".

Each becomes a :class:`models.RatingStatement` per subject or key question, with a span for every
part. A statement is about the report's own location when its subject is "this" or "the" and a
noun of the data file ("this hospital", "the practice"; "the trust" only in a trust's own report).
Past ratings ("when it was rated as good") are not statements. The words are data
(``rating_statements.yaml``).

:func:`check_statements` compares the statements about the location with the record's ratings
(``rating_mismatch``); :func:`stated_ratings` gives the ratings they state, for a reader to use
where nothing else rates a key question or the location.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from extractor import taxonomy as tx
from extractor.document import Document
from extractor.spans import make_field, make_span
from models import Field, KeyQuestion, Location, RatingStatement, Warning

__all__ = ["read_statements", "stated_ratings", "check_statements", "rating_change"]

# Between two key questions of a list, and between two clauses of a sentence.
_LIST_JOIN = r"(?:\s*,\s*(?:and\s+)?|\s+and\s+)"
_CLAUSE_JOIN = r"(?:\s*[,;]\s*(?:and\s+|but\s+|while\s+|whereas\s+)?|\s+and\s+|\s+but\s+)"
# A named subject: capitalised words ("Harrogate District Hospital", "St Mary's Hospital").
_NAME = r"(?-i:[A-Z][\w'&-]*(?:\s+(?:and\s+|of\s+|&\s+)?[A-Z][\w'&-]*){0,6})"


class _Vocabulary(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    changes: dict[str, list[str]]
    own_subject_nouns: list[str]
    own_when_named: list[str]
    service_nouns: list[str]
    verb_ratings: dict[str, list[str]]
    past_markers: list[str]


@dataclass(frozen=True)
class _Patterns:
    our_rating: re.Pattern[str]  # "our rating of <subject> <change>"
    we_rated: re.Pattern[str]  # "we rated" / "we have rated"
    is_rated: re.Pattern[str]  # "<subject> is rated as <rating> overall"
    were_rated: re.Pattern[str]  # "<key questions or named places> was/were rated <rating>"
    kq_changed: re.Pattern[str]  # "[the rating for] <key questions> improved to <rating>"
    kq_dash: re.Pattern[str]  # a line "Safe - Requires improvement."
    question_dash: re.Pattern[str]  # a line "Are services safe? - Good"
    overall_of: list[re.Pattern[str]]  # "<subject> has an overall rating of <rating>", "the overall rating for <subject> is"
    verb_for: re.Pattern[str]  # "<it or subject> requires improvement for providing <key questions>"
    kq_groups: re.Pattern[str]  # after "we rated": "<key questions> [for the trust overall] as <rating>"
    next_group: re.Pattern[str]  # ", <key questions> as <rating>"
    next_service: re.Pattern[str]  # " and <core service> as <rating>"
    subject_rated: re.Pattern[str]  # after "we rated": "<subject> as <rating> [for providing <key questions>]"
    next_for: re.Pattern[str]  # ", and as <rating> for being <key questions>"
    for_kqs: re.Pattern[str]  # after "is rated as <rating>": "in the safe and well-led domains"
    because: re.Pattern[str]  # " because "
    overall: re.Pattern[str]  # " overall"
    clause: re.Pattern[str]  # "<key questions> were <rating>" / "<key questions> required improvement"
    clause_join: re.Pattern[str]
    list_join: re.Pattern[str]
    key_question: re.Pattern[str]  # one key question's name
    change_of: dict[str, str]  # match key of a printed change -> its value
    verb_rating_of: dict[str, str]  # match key of "required improvement" -> the rating
    own_nouns: frozenset[str]
    own_when_named: frozenset[str]
    service_nouns: frozenset[str]
    past: re.Pattern[str]  # a sentence's words before "we rated" that make the rating a past one
    service: re.Pattern[str]  # a core service's name ("maternity services")


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    v: _Vocabulary = tx.load_validated(_Vocabulary, "rating_statements.yaml")
    kq = rf"(?<![\w-])(?:{tx.phrases_pattern(tx.key_question_names())})(?![\w-])"
    kqs = rf"{kq}(?:{_LIST_JOIN}{kq})*"
    rating = rf"(?<!\w)(?:{tx.phrases_pattern(tx.rating_words())})(?!\w)"
    changes = [c for forms in v.changes.values() for c in forms]
    verbs = [c for forms in v.verb_ratings.values() for c in forms]
    flags = re.I
    services = tx.phrases_pattern(tx.core_service_names())
    # "providing safe services", "being safe and for being responsive", "in the safe and
    # well-led domains"
    for_kqs = (rf"(?:(?:providing|being|having)\s+|in\s+the\s+)"
               rf"(?P<kqs>{kqs}(?:{_LIST_JOIN}for\s+(?:providing|being|having)\s+{kqs})*)(?:\s+domains?\b)?")
    return _Patterns(
        our_rating=re.compile(
            rf"\bour\s+rating\s+of\s+(?P<subject>[^.;:]{{1,60}}?)\s+(?P<change>{tx.phrases_pattern(changes)})(?!\w)"
            rf"(?:\s+since\s+(?:our|the)\s+(?:last|previous)\s+inspection)?", flags),
        we_rated=re.compile(r"\b(?:we\s+(?:have\s+)?|and\s+)rated\s+|\bwe\s+found\s+(?=(?:this|the)\s+\w+\s+to\s+be\s)",
                            flags),
        is_rated=re.compile(rf"\b(?P<subject>(?:this|the)\s+\w+)\s+(?:is|has\s+been)\s+(?:therefore\s+|now\s+)?rated\s+as\s+"
                            rf"(?P<rating>{rating})(?P<overall>\s+overall\b)?", flags),
        overall_of=[re.compile(rf"\b(?P<subject>(?:this|the)\s+\w+)\s+has\s+an\s+overall\s+rating\s+of\s+"
                               rf"(?P<rating>{rating})", flags),
                    re.compile(rf"\bthe\s+overall\s+rating\s+for\s+(?P<subject>(?:this|the)\s+\w+)\s+is\s+"
                               rf"(?P<rating>{rating})", flags)],
        verb_for=re.compile(rf"\b(?P<subject>it|(?:this|the)\s+\w+)\s+(?P<verb>{tx.phrases_pattern(verbs)})\s+for\s+{for_kqs}",
                            flags),
        kq_dash=re.compile(rf"^[ \t]*(?P<kqs>{kq})[ \t]*[-:][ \t]*(?P<rating>{rating})\.?[ \t]*$", flags | re.M),
        question_dash=re.compile(rf"^[ \t]*(?:are\s+services|is\s+the\s+\w+)\s+(?P<kqs>{kq})\?[ \t]*[-:][ \t]*"
                                 rf"(?P<rating>{rating})\.?[ \t]*$", flags | re.M),
        were_rated=re.compile(rf"(?:(?P<kqs>{kqs})|(?P<names>{_NAME}(?:{_LIST_JOIN}{_NAME})*))\s+(?:was|were)\s+"
                              rf"rated\s+(?:as\s+)?(?P<rating>{rating})", flags),
        kq_changed=re.compile(rf"(?:\bthe\s+ratings?\s+(?:for|of)\s+(?:the\s+)?)?(?P<kqs>{kqs})"
                              rf"(?:\s+(?:key\s+)?questions?)?(?:\s+at\s+(?:the\s+)?trust\s+level)?\s+(?:therefore\s+)?"
                              rf"(?P<change>{tx.phrases_pattern(changes)})(?:\s+from\s+{rating})?\s+(?:to|as)\s+"
                              rf"(?P<rating>{rating})", flags),
        kq_groups=re.compile(rf"(?P<kqs>{kqs})(?:\s+for\s+(?P<for>(?:the|this)\s+\w+)(?:\s+overall)?)?"
                             rf"\s+as\s+(?P<rating>{rating})", flags),
        next_group=re.compile(rf"{_CLAUSE_JOIN}(?P<kqs>{kqs})\s+as\s+(?P<rating>{rating})", flags),
        next_service=re.compile(rf"{_CLAUSE_JOIN}(?P<subject>(?:{services})(?:\s+services)?)\s+as\s+(?P<rating>{rating})",
                                flags),
        subject_rated=re.compile(
            rf"(?P<subject>it\s+them|it|them|(?:this|the)\s+(?:core\s+service|\w+)|(?:{services})(?:\s+services)?(?!\w)|{_NAME})"
            rf"\s+(?:to\s+be\s+)?(?:as\s+)?(?:for\s+)?"
            rf"(?P<rating>{rating})(?:\s+(?:for\s+)?{for_kqs})?", flags),
        next_for=re.compile(rf"\s*,?\s*(?:and\s+)?(?:as\s+)?(?P<rating>{rating})\s+(?:for\s+)?{for_kqs}", flags),
        for_kqs=re.compile(rf"\s+(?:for\s+)?{for_kqs}", flags),
        because=re.compile(r"(?:\s+overall)?\s+because\s+", flags),
        overall=re.compile(r"\s+overall\b", flags),
        clause=re.compile(rf"(?P<kqs>{kqs})\s+(?:(?:was|were|is|are)\s+(?:rated\s+(?:as\s+)?)?(?P<rating>{rating})"
                          rf"|(?P<verb>{tx.phrases_pattern(verbs)})(?!\w))", flags),
        clause_join=re.compile(_CLAUSE_JOIN, flags),
        list_join=re.compile(_LIST_JOIN, flags),
        key_question=re.compile(kq, flags),
        change_of={tx.match_key(c): value for value, forms in v.changes.items() for c in forms},
        verb_rating_of={tx.match_key(c): value for value, forms in v.verb_ratings.items() for c in forms},
        own_nouns=frozenset(tx.match_key(n) for n in v.own_subject_nouns),
        own_when_named=frozenset(tx.match_key(n) for n in v.own_when_named),
        service_nouns=frozenset(tx.match_key(n) for n in v.service_nouns),
        past=re.compile(rf"\b(?:{tx.phrases_pattern(v.past_markers)})\b[^.!?:]*$", flags),
        service=re.compile(rf"\b(?:{services})\b", flags),
    )


@dataclass
class _Statement:
    start: int
    end: int
    subject: Field[str] | None = None
    key_question: Field[str] | None = None
    rating: Field[str] | None = None
    change: Field[str] | None = None


@dataclass
class _Reader:
    doc: Document
    out: list[_Statement] = field(default_factory=list)
    context: Field[str] | None = None  # the subject of the last statement that named one
    context_end: int = 0  # where the statement that names the context ends
    pending: _Statement | None = None  # "Our rating of X improved", waiting for "We rated it as"

    def field(self, value: str, start: int, end: int, part: str) -> Field[str]:
        return make_field(self.doc, value, start, end, f"rating_statement.{part}")

    def rating(self, m: re.Match[str], group: str = "rating") -> Field[str] | None:
        value = tx.rating(m.group(group))
        return None if value is None else self.field(value, m.start(group), m.end(group), "rating")

    def key_questions(self, m: re.Match[str]) -> list[Field[str]]:
        out = []
        for k in _patterns().key_question.finditer(self.doc.folded, m.start("kqs"), m.end("kqs")):
            found = tx.key_question(k.group())
            if found is not None:
                out.append(self.field(found.name, k.start(), k.end(), "key_question"))
        return out

    def context_at(self, start: int) -> Field[str] | None:
        """The subject a list of key questions at ``start`` is about: the context's, unless a core
        service is named since ("Our rating of good for maternity services did not change ...
        We rated safe as good": the service's ratings, not the hospital's)."""
        if self.context is None or _patterns().service.search(self.doc.folded, self.context_end, start):
            return None
        return self.context

    def subject(self, start: int, end: int) -> Field[str]:
        return self.field(" ".join(self.doc.text[start:end].split()), start, end, "subject")

    def add(self, start: int, end: int, subject: Field[str] | None, kqs: list[Field[str]],
            rating: Field[str] | None, change: Field[str] | None = None) -> None:
        for kq in kqs:
            self.out.append(_Statement(start, end, subject, kq, rating, change))


def read_statements(doc: Document, start: int, end: int, location_name: str | None, *,
                    questions: bool = False) -> list[RatingStatement]:
    """The rating statements in ``doc.text[start:end]`` (a summary, or one entry of a location's
    list of inspections), in the order printed. With ``questions``, lines restating a key
    question's rating ("Are services safe? - Good") are statements too: a location page's list
    repeats GP reports' summaries so, where a report's own reader compares such lines with its
    ratings block itself."""
    p = _patterns()
    r = _Reader(doc)
    text = doc.folded
    found: list[tuple[int, str, re.Match[str]]] = [(m.start(), "change", m) for m in p.our_rating.finditer(text, start, end)]
    found += [(m.start(), "rated", m) for m in p.we_rated.finditer(text, start, end)]
    found += [(m.start(), "is_rated", m) for m in p.is_rated.finditer(text, start, end)]
    found += [(m.start(), "were_rated", m) for m in p.were_rated.finditer(text, start, end)]
    found += [(m.start(), "kq_changed", m) for m in p.kq_changed.finditer(text, start, end)]
    found += [(m.start(), "kq_dash", m) for m in p.kq_dash.finditer(text, start, end)]
    if questions:
        found += [(m.start(), "kq_dash", m) for m in p.question_dash.finditer(text, start, end)]
    found += [(m.start(), "overall_of", m) for pattern in p.overall_of for m in pattern.finditer(text, start, end)]
    found += [(m.start(), "verb_for", m) for m in p.verb_for.finditer(text, start, end)]
    for _, kind, m in sorted(found, key=lambda f: f[0]):
        if kind == "change":
            _read_change(r, m)
        elif p.past.search(text, max(start, m.start() - 200), m.start()):
            continue  # "At our last inspection we rated the service good": a past rating
        elif kind == "were_rated":
            if not any(s.start <= m.start() < s.end for s in r.out):  # not read already as a clause
                _read_were_rated(r, m)
        elif kind in ("kq_dash", "kq_changed"):  # key questions of the subject before
            change = (r.field(p.change_of[tx.match_key(m.group("change"))], m.start("change"), m.end("change"), "change")
                      if kind == "kq_changed" else None)
            r.add(m.start(), m.end(), r.context_at(m.start()), r.key_questions(m), r.rating(m), change)
        elif kind == "verb_for":
            if not any(s.start <= m.start() < s.end for s in r.out):  # not read already after "we rated"
                _read_verb_for(r, m)
        elif kind in ("is_rated", "overall_of"):
            _read_is_rated(r, m, kind, end)
        else:
            _read_rated(r, m.start(), m.end(), end)
    own = _own_check(location_name)
    return [RatingStatement(subject=s.subject, key_question=s.key_question, rating=s.rating, change=s.change,
                            about_location=s.subject is not None and own(s.subject.value)
                            and not _service_named_before(doc, s.subject),
                            span=make_span(doc, s.start, s.end))
            for s in r.out]


def _read_verb_for(r: _Reader, m: re.Match[str]) -> None:
    """ "It requires improvement for providing safe services": "it" is the subject before."""
    p = _patterns()
    rating = r.field(p.verb_rating_of[tx.match_key(m.group("verb"))], m.start("verb"), m.end("verb"), "rating")
    named = tx.match_key(m.group("subject")) != "it"
    subject = r.subject(m.start("subject"), m.end("subject")) if named else r.context_at(m.start())
    r.add(m.start(), m.end(), subject, r.key_questions(m), rating)


def _read_is_rated(r: _Reader, m: re.Match[str], kind: str, limit: int) -> None:
    """ "This practice is rated as good overall", "The practice has an overall rating of good":
    the subject rated, the subject of what follows. Without "overall", only the place's own nouns
    ("the food is rated as good by people" is no statement). Key questions after the rating are
    rated instead of the place: "The practice has been rated as inadequate in the safe and
    well-led domains, and requires improvement in the caring domain"."""
    p = _patterns()
    if kind == "is_rated" and not m.group("overall") \
            and tx.match_key(m.group("subject")).split()[-1] not in p.own_nouns:
        return
    subject = r.subject(m.start("subject"), m.end("subject"))
    r.context, r.context_end, r.pending = subject, m.end(), None
    kqs = p.for_kqs.match(r.doc.folded, m.end(), limit) if kind == "is_rated" and not m.group("overall") else None
    if kqs is None:
        r.out.append(_Statement(m.start(), m.end(), subject, None, r.rating(m)))
        return
    r.add(m.start(), kqs.end(), subject, r.key_questions(kqs), r.rating(m))
    while (more := p.next_for.match(r.doc.folded, kqs.end(), limit)) is not None:
        kqs = more
        r.add(more.start(), more.end(), subject, r.key_questions(more), r.rating(more))


def _service_named_before(doc: Document, subject: Field[str]) -> bool:
    """Whether "the service" names a core service given just before it, in its sentence or as the
    heading above it ("Maternity" / "Our rating of this service improved"): then it is that
    service, not the location."""
    p = _patterns()
    if subject.span is None or tx.match_key(subject.value).split()[-1] not in p.service_nouns:
        return False
    lo = max(0, subject.span.start - 150)
    before = doc.folded[lo:subject.span.start]
    cut = max(before.rfind(". "), before.rfind(".\n"), before.rfind(": "), before.rfind(":\n"))
    return p.service.search(before, cut + 1) is not None


def _read_change(r: _Reader, m: re.Match[str]) -> None:
    """ "Our rating of <subject> <change>": the subject, or a key question of the subject before."""
    p = _patterns()
    change = r.field(p.change_of[tx.match_key(m.group("change"))], m.start("change"), m.end("change"), "change")
    kq = tx.key_question(m.group("subject"))
    if kq is not None:
        named = r.field(kq.name, m.start("subject"), m.end("subject"), "key_question")
        statement = _Statement(m.start(), m.end(), r.context, named, None, change)
    else:
        subject = r.subject(m.start("subject"), m.end("subject"))
        statement = _Statement(m.start(), m.end(), subject, None, None, change)
        r.context, r.context_end = subject, m.end()
    r.out.append(statement)
    r.pending = statement


def _read_rated(r: _Reader, start: int, at: int, limit: int) -> None:
    """What follows "we rated" at ``at``: key questions in groups, or a subject and its rating."""
    p, text = _patterns(), r.doc.folded
    subject: Field[str] | None
    m = p.kq_groups.match(text, at, limit)
    if m is not None:
        subject = r.subject(m.start("for"), m.end("for")) if m.group("for") else r.context_at(start)
        r.add(start, m.end(), subject, r.key_questions(m), r.rating(m))
        while (m := p.next_group.match(text, m.end(), limit)) is not None:
            r.add(m.start("kqs"), m.end(), subject, r.key_questions(m), r.rating(m))
        r.pending = None
        return
    m = p.subject_rated.match(text, at, limit)
    if m is None:
        return
    words = tx.match_key(m.group("subject"))
    kqs = r.key_questions(m) if m.group("kqs") else []
    pending = r.pending
    r.pending = None
    if words not in ("it", "them", "it them"):
        subject = r.context = r.subject(m.start("subject"), m.end("subject"))
        r.context_end = m.end()
    elif (pending is not None and pending.rating is None and not kqs and start - pending.end < 200
          and not p.service.search(text, pending.end, start)):
        pending.rating, pending.end = r.rating(m), m.end()  # "Our rating of X improved. We rated it as good"
        r.context_end = m.end()
        _read_because(r, m.end(), limit, pending.subject)
        return
    else:
        subject = r.context_at(start) if kqs else None  # "it" with nothing before it names nothing known
    if not kqs:
        r.out.append(_Statement(start, m.end(), subject, None, r.rating(m)))
        # "We rated the hospital requires improvement overall, and safe and responsive as requires improvement"
        word = p.overall.match(text, m.end(), limit)
        while (more := p.next_group.match(text, word.end() if word else m.end(), limit)) is not None:
            m, word = more, None
            r.add(m.start("kqs"), m.end(), subject, r.key_questions(m), r.rating(m))
        while (more := p.next_service.match(text, m.end(), limit)) is not None:  # "... and surgery as good"
            m = more
            subject = r.context = r.subject(m.start("subject"), m.end("subject"))
            r.context_end = m.end()
            r.out.append(_Statement(m.start("subject"), m.end(), subject, None, r.rating(m)))
        _read_because(r, m.end(), limit, subject)
        return
    r.add(start, m.end(), subject, kqs, r.rating(m))
    while (more := p.next_for.match(text, m.end(), limit)) is not None:  # ", and good for being caring"
        m = more
        r.add(m.start(), m.end(), subject, r.key_questions(m), r.rating(m))


def _read_were_rated(r: _Reader, m: re.Match[str]) -> None:
    """ "Safe and well-led were rated requires improvement": key questions of the subject before;
    "Eastmere General Hospital and Wykebeck Hospital were rated good": each place named. A list
    splits into places only where every part has two words or more, so "Barking, Havering and
    Redbridge University Hospitals" stays one place."""
    if m.group("kqs"):
        r.add(m.start(), m.end(), r.context_at(m.start()), r.key_questions(m), r.rating(m))
        return
    lo, hi = m.start("names"), m.end("names")
    cuts = [lo, *(x for j in _patterns().list_join.finditer(r.doc.folded, lo, hi) for x in (j.start(), j.end())), hi]
    parts = list(zip(cuts[::2], cuts[1::2]))
    if any(len(r.doc.text[a:b].split()) < 2 for a, b in parts):
        parts = [(lo, hi)]
    rating = r.rating(m)
    for a, b in parts:
        r.out.append(_Statement(m.start(), m.end(), r.subject(a, b), None, rating))


def _read_because(r: _Reader, at: int, limit: int, subject: Field[str] | None) -> None:
    """ "... because safe and responsive required improvement, but caring was good"."""
    p, text = _patterns(), r.doc.folded
    b = p.because.match(text, at, limit)
    if b is None:
        return
    pos = b.end()
    while (m := p.clause.match(text, pos, limit)) is not None:
        if m.group("verb"):
            value = p.verb_rating_of[tx.match_key(m.group("verb"))]
            rating: Field[str] | None = r.field(value, m.start("verb"), m.end("verb"), "rating")
        else:
            rating = r.rating(m)
        r.add(m.start(), m.end(), subject, r.key_questions(m), rating)
        j = p.clause_join.match(text, m.end(), limit)
        if j is None:
            return
        pos = j.end()


def _own_check(location_name: str | None) -> Callable[[str], bool]:
    """Whether a subject names the report's own location (see the module docstring)."""
    p = _patterns()
    named = set(tx.match_key(location_name or "").split())  # "the trust" in a trust's report

    def own(subject: str) -> bool:
        if location_name and tx.match_key(subject) == tx.match_key(location_name):
            return True
        words = tx.match_key(subject).split(maxsplit=1)
        if len(words) != 2 or words[0] not in ("this", "the"):
            return False
        return words[1] in p.own_nouns or (words[1] in p.own_when_named and words[1] in named)
    return own


def rating_change(rating: str, before: str) -> str | None:
    """How a rating moved from ``before``: "improved", "stayed the same" or "went down" (None when
    either is off the four-point scale)."""
    scale = tx.rating_scale()
    if rating not in scale or before not in scale:
        return None
    a, b = scale.index(rating), scale.index(before)
    return "improved" if a > b else "went down" if a < b else "stayed the same"


def stated_ratings(statements: list[RatingStatement]) -> dict[str | None, Field[str]]:
    """The first rating each key question (None: the location overall) is given by a statement
    about the location."""
    out: dict[str | None, Field[str]] = {}
    for s in statements:
        if s.about_location and s.rating is not None:
            out.setdefault(s.key_question.value if s.key_question else None, s.rating)
    return out


def check_statements(statements: list[RatingStatement], location: Location, kqs: list[KeyQuestion]) -> list[Warning]:
    """``rating_mismatch`` for each statement about the location whose rating differs from the one
    the record gives it (the message names the rule that gave the record's)."""
    given: dict[str | None, Field[str] | None] = {k.name.value: k.rating for k in kqs}
    given[None] = location.overall_rating
    out = []
    for s in statements:
        if not s.about_location or s.rating is None:
            continue
        name = s.key_question.value if s.key_question else None
        rating = given.get(name)
        if rating is None or rating is s.rating or rating.value == s.rating.value:
            continue
        text = " ".join(s.span.text.split())
        out.append(Warning(code="rating_mismatch", message=f"{name or 'overall'}: rated {rating.value!r} "
                           f"({rating.rule}), but the statement {text[:70]!r} says {s.rating.value!r}",
                           span=s.rating.span))
    return out
