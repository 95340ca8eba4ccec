"""The document between reading and segmentation: canonical text plus blocks.

Canonical text
--------------
Spans in records index the *canonical text*, which is derived from the input deterministically:

* bytes are decoded (UTF-8, with a byte-order mark removed; otherwise the detected charset);
* line endings ``\\r\\n`` and lone ``\\r`` become ``\\n``;
* non-breaking and other fixed-width spaces (U+00A0, U+2007, U+202F) become a plain space, and
  zero-width characters (U+200B, U+FEFF inside the text) are removed;
* in a text set a printed line a line (another tool's extract of a PDF, told by its line widths),
  a line break inside a paragraph becomes a space, one character for one
  (:func:`extractor.textread.unwrap`);
* nothing else changes: curly quotes, dashes, letter case and white space stay as printed.

Matching must tolerate curly and straight quotes and the dash family without rewriting the text
that spans point at. :func:`fold` maps each character to a plain form *one for one*, so a regular
expression can run over ``fold(text)`` and its match offsets are valid in ``text``.

Blocks
------
A block is one non-empty line (text input) or one block-level element (HTML input). Its kind is
``heading``, ``paragraph`` or ``list_item``; list items keep their bullet in ``marker`` and their
``start`` points past it. HTML blocks also carry the DOM path they came from.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["heading", "paragraph", "list_item"]

_FOLD_TABLE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
        "\t": " ",
    }
)


_FOLD_MAP = {chr(c): str(v) for c, v in _FOLD_TABLE.items()}
_ASCII_FOLD_MAP = {char: plain for char, plain in _FOLD_MAP.items() if char.isascii()}


def fold(text: str) -> str:
    """Return ``text`` with quotes, dashes and spaces in plain form, keeping every offset.

    Each character folds to one character that is not folded itself, so replacing one
    character after another gives what a single pass would. Most texts hold few of them, and
    a fast ``in`` test skips each that is absent; ASCII text can hold only the ASCII ones.

    >>> fold("People\u2019s care \u2013 safe")
    "People's care - safe"
    """
    for char, plain in (_ASCII_FOLD_MAP if text.isascii() else _FOLD_MAP).items():
        if char in text:
            text = text.replace(char, plain)
    return text


def is_page_number(text: str) -> bool:
    """Whether a line holds nothing but a page's number (one to three digits): furniture that a
    printed page's copy leaves on a line of its own."""
    body = text.strip()
    return 0 < len(body) <= 3 and body.isdigit()


def may_contain(text: str, words: tuple[str, ...]) -> bool:
    """Whether ``text`` may hold one of ``words`` (lower-case ASCII) in any letter case.

    A cheap test before a slow case-insensitive search whose every match holds one of the words:
    False means the search cannot match. ASCII text holds a word in some case exactly when its
    lower-cased form holds it; other text is never ruled out, since ``re.IGNORECASE`` also
    matches a few non-ASCII letters to ASCII ones ("ſ" to "s", the Kelvin sign to "k").

    >>> may_contain("This service SCORED 75", ("scored",)), may_contain("Score: 3", ("scored",))
    (True, False)
    """
    if not text.isascii():
        return True
    low = text.lower()
    for word in words:
        if word in low:
            return True
    return False


_FIXED_SPACES = ("\u00a0", "\u2007", "\u202f")
_ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")


def canonicalise(text: str) -> str:
    """Apply the canonical-text rules (see module docstring) to decoded text.

    Each rule looks for its characters first: a fast ``in`` test, where most texts hold none.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for char in _ZERO_WIDTH:
        if char in text:
            text = text.replace(char, "")
    for space in _FIXED_SPACES:
        if space in text:
            text = text.replace(space, " ")
    return text


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    start: int
    end: int
    text: str
    marker: str = ""
    level: int = 0
    dom_path: str | None = None


@dataclass
class Document:
    """Canonical text, its blocks and where it came from."""

    text: str
    blocks: list[Block]
    source_id: str
    media_type: str = "text/plain"
    encoding: str = "utf-8"
    raw_sha256: str = ""
    path: str | None = None
    url: str | None = None
    page_starts: tuple[int, ...] = ()  # PDF input: where each page starts in ``text``
    folded: str = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.folded = fold(self.text)

    @property
    def canonical_sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()
