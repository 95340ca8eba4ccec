"""A fast rule-based sentence splitter for evidence prose.

CQC evidence is edited prose: sentences end with ".", "!" or "?" (optionally followed by a
closing quote or bracket) and the next one starts with a capital letter, a digit or an opening
quote. A stop does not end a sentence after a known abbreviation ("e.g.", "Dr.", "etc."), after a
single capital initial ("J. Smith"), or inside a number ("2.5") since no space follows it.
The abbreviations are data (``nlp_text.yaml``).

>>> text = "Staff used e.g. Datix to log incidents. Dr. Patel led 2.5 sessions. Staff agreed."
>>> [text[s:e] for s, e in split_sentences(text)]
['Staff used e.g. Datix to log incidents.', 'Dr. Patel led 2.5 sessions.', 'Staff agreed.']
"""

from __future__ import annotations

import re
from functools import lru_cache

from extractor.document import fold
from extractor.taxonomy import load_yaml

__all__ = ["split_sentences"]

# A candidate boundary: terminal punctuation, optional closers, white space, then a sentence start.
_BOUNDARY = re.compile(r"""[.!?]+["')\]]*(?=\s+["'(\[]?[A-Z0-9])""")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    # nlp_text.yaml is validated by extractor.nlp.data; only this list is read here, so that
    # splitting sentences never imports the NLP stage (and spaCy).
    return frozenset(str(a).lower().rstrip(".") for a in load_yaml("nlp_text.yaml")["sentence_abbreviations"])


def _is_abbreviation(before: str) -> bool:
    """True when the stop that ends ``before`` belongs to an abbreviation."""
    m = _WORD_BEFORE.search(before[-20:])
    if not m:
        return False
    word = m.group(1)
    if len(word) == 1 and word.isupper():
        return True  # an initial: "J. Smith"
    return word.lower().rstrip(".") in _abbreviations()


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` of ``text``, trimmed of surrounding white space.

    Line breaks also end a sentence, so a paragraph that runs over several lines of a list does
    not merge its items.
    """
    folded = fold(text)
    cuts: list[int] = []
    for m in _BOUNDARY.finditer(folded):
        end = m.end()
        single_stop = folded[m.start()] == "." and m.end() - m.start() == 1
        if single_stop and _is_abbreviation(folded[max(0, m.start() - 19): m.start() + 1]):
            continue
        cuts.append(end)
    cuts.extend(m.start() for m in re.finditer(r"\n", folded))
    spans: list[tuple[int, int]] = []
    start = 0
    for cut in sorted(set(cuts)) + [len(text)]:
        piece = text[start:cut]
        lead = len(piece) - len(piece.lstrip())
        s, e = start + lead, start + len(piece.rstrip())
        if e > s:
            spans.append((s, e))
        start = cut
    return spans
