"""The name a report's prose gives the service, against the name in its header.

The opening sentence of a summary often names the service: "Larkspur Lodge is a care home for 40
older people". After a rename the header shows the new name and the prose may keep the old one.
The header's name stays the name; another name found so is recorded (``location.name_in_text``,
``name_differs``). A name that is the provider's, or one name's words at the start or end of the
other's ("Swiftcare" for "Swiftcare Patient Transport Norwich"), is the same service, not another.
"""

from __future__ import annotations

import re
from functools import lru_cache

from extractor import taxonomy as tx
from extractor.document import Document
from extractor.spans import make_field
from models import Location, Paragraph, Warning

__all__ = ["check_name_in_text"]

_WORD = r"[A-Z][\w'’&.-]*"
_JOINER = r"(?:of|and|&|the|on|upon|in|at)"
_OPENING = re.compile(rf"(?P<name>{_WORD}(?:\s+(?:{_WORD}|{_JOINER})){{0,6}})\s+"
                      r"(?:(?:is|was)\s+(?:a|an|one)\b|provides\b)")
_PARAGRAPHS = 3  # the first summary paragraphs looked at


@lru_cache(maxsize=1)
def _not_names() -> frozenset[str]:
    return frozenset(tx.match_key(w) for w in tx.vocabulary().not_names)


def _same(a: str, b: str) -> bool:
    """Whether two names name one service: equal, or one's words begin or end the other's."""
    x, y = tx.match_key(a).split(), tx.match_key(b).split()
    short, long = sorted((x, y), key=len)
    return bool(short) and (long[:len(short)] == short or long[-len(short):] == short)


def check_name_in_text(doc: Document, location: Location, paragraphs: list[Paragraph]) -> list[Warning]:
    """Record in ``location`` another name the opening of the first summary paragraphs gives the
    service; return the warning that says so (or nothing)."""
    if location.name is None:
        return []
    for para in paragraphs[:_PARAGRAPHS]:
        m = _OPENING.match(doc.text, para.span.start, para.span.end)
        if m is None:
            continue
        name = m["name"]
        first = tx.match_key(name.split()[0])
        if first in _not_names() or _same(name, location.name.value) or \
                (location.provider is not None and _same(name, location.provider.value)):
            return []
        found = make_field(doc, name, m.start("name"), m.end("name"), "text.opening_sentence_name")
        location.name_in_text = found
        return [Warning(code="name_differs",
                        message=f"the text calls the service {name!r}, the header {location.name.value!r} "
                                "(a rename?); the header's name is kept", span=found.span)]
    return []
