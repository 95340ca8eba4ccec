"""Rule-based sentence splitting of evidence paragraphs, with offsets.

A sentence ends at ".", "!" or "?" (optionally followed by a closing quote or bracket) that is
followed by white space and an upper-case letter, a digit or an opening quote, unless the word
before the stop is a known abbreviation ("e.g.", "Dr.", "St.") or a single initial.
"""

from __future__ import annotations

import re

_ABBREVIATIONS = frozenset(
    "e.g i.e etc dr mr mrs ms prof st no vs approx incl cf fig dept govt co ltd inc jan feb mar apr "
    "jun jul aug sep sept oct nov dec".split()
)
_LAST_WORD = re.compile(r"([A-Za-z.]+)$")
_BOUNDARY = re.compile(r"[.!?][\"'’”)\]]*(?=\s+[\"'‘“(\[]?[A-Z0-9])")


def split_sentences(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Sentence spans of ``text`` as ``(start, end)`` pairs shifted by ``offset``.

    >>> split_sentences("Staff were kind. We saw e.g. records. Dr. Jones agreed.")
    [(0, 16), (17, 37), (38, 55)]
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        stop = m.start()
        word = _LAST_WORD.search(text, max(start, stop - 12), stop)
        if word:
            w = word.group(1).lower().rstrip(".")
            if w in _ABBREVIATIONS or len(w) == 1:
                continue
        end = m.end()
        spans.append((start, end))
        start = end
        while start < len(text) and text[start].isspace():
            start += 1
    tail = text[start:].rstrip()
    if tail:
        spans.append((start, start + len(tail)))
    return [(offset + s, offset + e) for s, e in spans]
