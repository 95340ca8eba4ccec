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
# Letters and stops: what a word before a stop is made of ("e.g", "Dr", "J").
_WORD_CHARS = re.compile(r"[A-Za-z.]*")


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    # nlp_text.yaml is validated by extractor.nlp.data; only this list is read here, so that
    # splitting sentences never imports the NLP stage (and spaCy).
    return frozenset(str(a).lower().rstrip(".") for a in load_yaml("nlp_text.yaml")["sentence_abbreviations"])


@lru_cache(maxsize=1)
def _longest_abbreviation() -> int:
    return max(map(len, _abbreviations()))


def _is_abbreviation(folded: str, stop: int) -> bool:
    """True when the stop at ``folded[stop]`` belongs to an abbreviation.

    The word is the run of letters and stops just before it (at most 19 characters, a bounded
    look-behind), from its first letter. It is found by matching the reversed run, which costs
    one match however long the run is. Most stops end an ordinary word longer than any
    abbreviation: when the letters just before the stop show that, nothing is matched.
    """
    n = _longest_abbreviation() + 1
    if stop >= n:
        tail = folded[stop - n:stop]
        if tail.isascii() and tail.isalpha():
            return False  # a word longer than any abbreviation, so not an initial either
    lo = max(0, stop - 19)
    run = _WORD_CHARS.match(folded[lo:stop][::-1]).end()  # type: ignore[union-attr]
    word = folded[stop - run:stop].lstrip(".")
    if not word:
        return False
    if len(word) == 1 and word.isupper():
        return True  # an initial: "J. Smith"
    return word.lower().rstrip(".") in _abbreviations()


def split_sentences(text: str, folded: str | None = None) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` of ``text``, trimmed of surrounding white space.

    Line breaks also end a sentence, so a paragraph that runs over several lines of a list does
    not merge its items. ``folded`` is ``fold(text)`` when the caller has it already.
    """
    if folded is None:
        folded = fold(text)
    cuts = [m.end() for m in _BOUNDARY.finditer(folded)
            if not (m.end() - m.start() == 1 and folded[m.start()] == "."
                    and _is_abbreviation(folded, m.start()))]
    if "\n" in folded:
        cuts = sorted({*cuts, *(m.start() for m in re.finditer(r"\n", folded))})
    cuts.append(len(text))
    spans: list[tuple[int, int]] = []
    start = 0
    for cut in cuts:
        piece = text[start:cut]
        s = start + len(piece) - len(piece.lstrip())
        e = start + len(piece.rstrip())
        if e > s:
            spans.append((s, e))
        start = cut
    return spans
