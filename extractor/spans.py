"""Building spans and fields that point into a document's canonical text."""

from __future__ import annotations

from typing import TypeVar

from extractor.document import Document
from models import DateValue, Field, Span, construct

T = TypeVar("T")

# The classes of the fields built here, resolved once (parametrising a generic model is slow).
# A value of a type listed gets the class record annotations name (``Field[str]``): validating
# a key question or statement then takes such a field as it is, and revalidates only a field
# of another class, which still checks every value a rule gives against its annotation.
_Field = Field[T]
_FIELD_OF: dict[type, type[Field]] = {str: Field[str], int: Field[int], DateValue: Field[DateValue]}


def make_span(doc: Document, start: int, end: int) -> Span:
    """The span ``[start, end)`` of ``doc.text``, trimmed of surrounding white space."""
    while start < end and doc.text[start].isspace():
        start += 1
    while end > start and doc.text[end - 1].isspace():
        end -= 1
    return trimmed_span(doc, start, end)


def trimmed_span(doc: Document, start: int, end: int) -> Span:
    """The span ``[start, end)`` of ``doc.text``, whose ends the caller has trimmed already.

    Sentence cuts come trimmed from the splitter: trimming them again would only scan white
    space that is not there. Offsets come from the document itself, so the span needs no
    validation.
    """
    return construct(Span, start=start, end=end, text=doc.text[start:end])


def make_field(doc: Document, value: T, start: int, end: int, rule: str) -> Field[T]:
    """A value found at ``[start, end)`` of ``doc.text`` by ``rule``."""
    # Only the caller's value is taken as it is; validation would not check it either (T is open).
    cls = _FIELD_OF.get(type(value), _Field)
    return construct(cls, value=value, span=make_span(doc, start, end), rule=rule)
