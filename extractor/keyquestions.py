"""Building key-question and quality-statement records from segments."""

from __future__ import annotations

import re
from functools import lru_cache

from extractor import taxonomy as tx
from extractor.blocklabels import DATE_LINE_RE, KQ_SCORE_RE, SCORE_RE, Labelled
from extractor.document import Block, Document, fold, may_contain
from extractor.header import date_field
from extractor.segment import KeyQuestionSegment, StatementSegment
from extractor.sentences import split_sentences
from extractor.spans import make_field, make_span, trimmed_span
from extractor.textread import SENTENCE_ENDS
from models import (
    Field, KeyQuestion, Paragraph, QualityStatement, Sentence, StatementRef, Warning, construct,
)

_StrField = Field[str]

# Sentences saying a statement's score was carried over from an earlier rating, in order of
# preference: the first that matches decides, and its sentence is the basis' span. Every match
# of a rule holds one of its words (checked first, as searching is slow).
_BASIS_RULES: list[tuple[str, tuple[str, ...], re.Pattern[str]]] = [
    ("basis.based_on_previous", ("based on",), re.compile(
        r"\bbased on (?:the |its |their |our )?(?:previous|existing|last|earlier|current) "
        r"(?:rating|assessment|inspection|judgement)", re.I)),
    ("basis.carried_over", ("carried", "transferred"),
     re.compile(r"\b(?:carried (?:over|forward)|transferred) from\b", re.I)),
    ("basis.not_looked_at", ("we did not",),
     re.compile(r"\bWe did not (?:look at|assess|review)\b", re.I)),
]
_BASIS_WORDS = tuple(w for _, words, _ in _BASIS_RULES for w in words)


@lru_cache(maxsize=1)
def _prose_rating_re() -> re.Pattern[str]:
    """"We rated well-led as good", "the rating for safe has improved to requires improvement"."""
    kqs = "|".join(re.escape(fold(n)) for k in tx.taxonomy().key_questions
                   for n in sorted({k.name, k.name.replace("-", " "), *k.aliases}))
    ratings = "|".join(re.escape(fold(w)) for w in tx.rating_words())
    subject = rf"(?:{kqs}|this key question|this area)"
    return re.compile(
        rf"\bwe (?:have )?rated {subject} (?:as )?(?P<r>{ratings})\b"
        rf"|\bthe rating for {subject} (?:has )?(?:improved|gone down|changed|remained|stayed|"
        rf"declined|deteriorated) (?:to|at|as) (?P<r2>{ratings})\b", re.I)


def _rating_in_prose(doc: Document, summary: list[int]) -> Field[str] | None:
    """A key-question rating stated only in the summary's prose, when no rating line is shown."""
    for i in summary:
        b = doc.blocks[i]
        m = _prose_rating_re().search(doc.folded, b.start, b.end)
        if m:
            group = "r" if m["r"] else "r2"
            value = tx.rating(m[group])  # the pattern holds rating words only: never None
            if value is not None:
                return make_field(doc, value, m.start(group), m.end(group), "key_question.rating_in_prose")
    return None


def paragraphs(doc: Document, indices: list[int]) -> list[Paragraph]:
    """Paragraph records, with their sentences, for the given blocks.

    A block that stops mid-sentence (no sentence-ending mark) and the next block, when it goes on
    in lower case, are one paragraph: text extracts of PDFs often keep each printed line as a
    line ("... risk assessments did not" / "reflect people's current needs."). The paragraph's
    span then holds the line break, and its sentences run over it.
    """
    out = []
    for first, last in _runs(doc, indices):
        start, end = doc.blocks[first].start, doc.blocks[last].end
        text, folded = doc.text[start:end], doc.folded[start:end]
        if first != last:  # a line break inside a run is a space to the sentence splitter
            text, folded = text.replace("\n", " "), folded.replace("\n", " ")
        cuts = split_sentences(text, folded)
        sentences = [construct(Sentence, span=trimmed_span(doc, start + s, start + e),
                               category=None, category_cue=None, entities=[], quantities=[], dates=[])
                     for s, e in cuts]
        out.append(construct(Paragraph, span=make_span(doc, start, end), sentences=sentences))
    return out


def _runs(doc: Document, indices: list[int]) -> list[tuple[int, int]]:
    """``(first, last)`` block of each paragraph: runs of adjacent blocks, each but the last
    stopping mid-sentence and followed on the next line by a block that goes on in lower case."""
    runs: list[tuple[int, int]] = []
    for i in indices:
        if runs and i == runs[-1][1] + 1 and _goes_on(doc, doc.blocks[i - 1], doc.blocks[i]):
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    return runs


def _goes_on(doc: Document, upper: Block, lower: Block) -> bool:
    """The next line goes on with the sentence: no blank line or bullet between, lower case."""
    return lower.kind != "list_item" and lower.text[:1].islower() and not upper.text.endswith(SENTENCE_ENDS) \
        and doc.text.count("\n", upper.end, lower.start) == 1


def _basis(doc: Document, body: list[Paragraph]) -> Field[str]:
    texts = [(p, doc.folded[p.span.start:p.span.end]) for p in body]
    candidates = [(p, text) for p, text in texts if may_contain(text, _BASIS_WORDS)]
    for rule, words, pattern in _BASIS_RULES:
        for para, text in candidates:
            if not may_contain(text, words) \
                    or not pattern.search(doc.folded, para.span.start, para.span.end):
                continue
            for sent in para.sentences:
                if pattern.search(doc.folded, sent.span.start, sent.span.end):
                    return make_field(doc, "previous rating", sent.span.start, sent.span.end, rule)
    return construct(_StrField, value="assessed", span=None, rule="basis.default_assessed")


def build_statement(doc: Document, labels: list[Labelled], seg: StatementSegment,
                    kq_name: str, warnings: list[Warning]) -> QualityStatement:
    hb = doc.blocks[seg.heading]
    found = tx.statement(hb.text, fuzzy=True)
    if found:
        sdef, how = found
        name = make_field(doc, sdef.name, hb.start, hb.end, f"taxonomy.{how}")
        sid, skq = sdef.id, sdef.key_question
        if how == "fuzzy":
            warnings.append(Warning(code="statement_name_fuzzy",
                                    message=f"statement heading {hb.text!r} read as {sdef.id} {sdef.name}",
                                    span=name.span))
    else:
        name = make_field(doc, hb.text, hb.start, hb.end, "segment.unknown_heading")
        sid, skq = None, None
        warnings.append(Warning(code="statement_unknown",
                                message=f"{hb.text!r} is not one of the 34 quality statements",
                                span=name.span))
    score = None
    if seg.score is not None:
        sb = doc.blocks[seg.score]
        m = SCORE_RE.fullmatch(doc.folded[sb.start:sb.end])
        if m:
            s, e = sb.start + m.start("n"), sb.start + m.end("n")
            score = make_field(doc, int(m["n"]), s, e, "statement.score_line")
            if not 1 <= score.value <= 4:
                warnings.append(Warning(code="score_out_of_range",
                                        message=f"{name.value}: score {score.value} is outside 1-4",
                                        span=score.span))
    judgement = None
    word = labels[seg.judgement].value if seg.judgement is not None else None
    if seg.judgement is not None and word is not None:  # a judgement line always has its word
        jb = doc.blocks[seg.judgement]
        judgement = make_field(doc, word, jb.start, jb.end, "statement.judgement_line")
    body = paragraphs(doc, seg.body)
    end = doc.blocks[seg.last].end
    # Validated (unlike the spans, sentences and paragraphs inside it): a value of the wrong type
    # from a rule stops this document with an error instead of reaching the record.
    return QualityStatement(id=sid, name=name, key_question=skq, score=score, judgement=judgement,
                            basis=_basis(doc, body),  # type: ignore[arg-type]
                            span=make_span(doc, hb.start, end), evidence=body)


def build_key_question(doc: Document, labels: list[Labelled], seg: KeyQuestionSegment,
                       warnings: list[Warning]) -> KeyQuestion:
    hb = doc.blocks[seg.heading]
    kq_name = labels[seg.heading].value or hb.text
    name = make_field(doc, kq_name, hb.start, hb.end, "segment.key_question_heading")
    rating: Field[str] | None = None
    rating_word = labels[seg.rating].value if seg.rating is not None else None
    if seg.rating is not None and rating_word is not None:  # a rating line always has its word
        rb = doc.blocks[seg.rating]
        rating = make_field(doc, rating_word, rb.start, rb.end, "segment.rating_line")
    else:
        rating = _rating_in_prose(doc, seg.summary)
    date = None
    if seg.date is not None:
        db = doc.blocks[seg.date]
        m = DATE_LINE_RE.fullmatch(doc.folded[db.start:db.end])
        if m:
            date = date_field(doc, m, db.start, "date", "segment.date_line", warnings)
    score_percent = None
    if seg.kq_score is not None:
        kb = doc.blocks[seg.kq_score]
        m = KQ_SCORE_RE.search(doc.folded[kb.start:kb.end])
        if m:
            s, e = kb.start + m.start("n"), kb.start + m.end("n")
            score_percent = make_field(doc, int(m["n"]), s, e, "key_question.scored_out_of_100")
    statements = [build_statement(doc, labels, s, kq_name, warnings) for s in seg.statements]
    present = {s.id for s in statements}
    missing = [StatementRef(id=s.id, name=s.name) for s in tx.statements_of(kq_name)
               if s.id not in present]
    last = seg.end - 1 if seg.end > seg.heading else seg.heading
    # Validated, like a statement.
    return KeyQuestion(name=name, rating=rating, date=date, score_percent=score_percent,
                       summary=paragraphs(doc, seg.summary), quality_statements=statements,
                       statements_not_present=missing,
                       span=make_span(doc, hb.start, doc.blocks[last].end))
