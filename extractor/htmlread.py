"""Reading a saved web page (HTML) into a :class:`~extractor.document.Document`.

The canonical text of an HTML page is what a text copy of the page's report would read:

* one block per heading, paragraph, list item and table cell (any element of
  ``block_tags`` in ``data/html.yaml`` starts and ends a block), blocks joined by ``"\\n"``;
* inside a block, runs of white space are one space and the ends are trimmed; then the
  canonical-text rules of :mod:`extractor.document` apply (non-breaking spaces, zero-width);
* a ``<br>`` ends a block (a new line of a text copy), except inside an address, where the lines
  are joined with ``", "`` (or a space after a comma, or before a phone number);
* a rating shown only as a badge (``alt``, ``aria-label``, ``title``, a rating class) reads as
  its rating words where the badge stands (see :mod:`extractor.htmlbadge`);
* site chrome and hidden elements are left out (see :mod:`extractor.htmlrules`).

Block kinds: ``h1``-``h6`` give headings (``level`` is the number), ``li`` gives list items
(``level`` is the list depth, ``marker`` is empty since HTML bullets are not text), and other
blocks take the kind a text copy's line would get, so the segmenter sees the same blocks whichever
form the page came in. Each block's ``dom_path`` is the path of the innermost block element it
came from, e.g. ``html/body/main/div[2]/h2``: ``tag[n]`` is the n-th child element with that tag,
and ``[1]`` is left out (add ``[1]`` to each step without an index, and a leading ``/``, to get an
XPath that finds the element).

Safety and memory: the page is parsed by libxml2's HTML parser as a stream of start/end/text
events (lxml's parser-target interface), with comments removed, no network access and nothing
external loaded. No tree is built and the HTML parser has no entity declarations, so an
entity-expansion bomb is read as inert text; memory grows with the text kept, not with the markup.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from lxml import etree

from extractor.document import Block, BlockKind, Document, canonicalise
from extractor.errors import EmptyInput, InputError
from extractor.htmlbadge import badge_rating, label_rating, rating_in, shows_rating
from extractor.htmldecode import choose_encoding, iter_text
from extractor.htmlrules import is_address, is_dropped, is_hidden, is_search_box, rules
from extractor.textread import line_kind as text_line_kind  # the same kind a text copy's line gets

# Pages larger than this are refused rather than read (no CQC page comes near it).
MAX_HTML_BYTES = 200 * 1024 * 1024
# Element nesting deeper than this is read as inline text (bounds the stack on hostile input).
MAX_DEPTH = 512
# Characters fed to the parser per step.
FEED_CHARS = 1 << 20

_WS = re.compile(r"[ \t\n\r\f\v]+")
_PHONE_START = re.compile(r"\s*(?:\(?0\d{2,4}\)?\s?\d{3}|\+\s?44|Tel\b|Phone\b|Telephone\b)", re.I)
_BR = "\x00br"  # a <br> inside an address, resolved when the block is complete


@dataclass
class _Frame:
    """An open element that is read (not dropped)."""

    tag: str
    path: str
    block: "_Frame | None"  # the innermost block element at or above this one
    kind: str = ""  # "heading" or "list_item" when inside h1-h6 or li
    level: int = 0
    address: bool = False
    pre: bool = False
    badge: str | None = None  # rating shown if the element shows nothing else
    shown_at_start: int = 0
    counts: dict[str, int] = field(default_factory=dict)


class _BlockBuilder:
    """Parser target: turns start/end/data events into blocks of text."""

    def __init__(self) -> None:
        self.root = _Frame(tag="", path="", block=None)
        self.stack: list[_Frame] = [self.root]
        self.skip = 0  # depth inside a dropped subtree
        self.sections = 0  # open article/main/section/aside elements
        self.overflow = 0  # depth beyond MAX_DEPTH
        self.svg: tuple[str | None, list[str]] | None = None  # badge label of a dropped <svg>
        self.in_svg_title = False
        self.forms: list[tuple[int, bool]] = []  # (blocks before the form, holds a search box)
        self.pieces: list[tuple[str, bool]] = []  # (text, is a badge) of the current block
        self.shown = 0  # characters shown so far (visible text and badges)
        self.blocks: list[Block] = []
        self.pos = 0  # where the next block starts in the canonical text

    # -- parser target interface -------------------------------------------------------------
    def start(self, tag: str, attrib: Mapping[str, str]) -> None:
        tag = tag.lower() if isinstance(tag, str) else ""
        attrib = dict(attrib) if attrib else {}  # lxml's mapping is slow to query repeatedly
        if self.skip:
            self.skip += 1
            self.in_svg_title = self.svg is not None and tag == "title"
            return
        parent = self.stack[-1]
        if self.forms and is_search_box(tag, attrib):
            self.forms[-1] = (self.forms[-1][0], True)
        if len(self.stack) > MAX_DEPTH:
            self.overflow += 1
            if is_dropped(tag, attrib, in_section=True):
                self.skip = 1
            return
        index = parent.counts[tag] = parent.counts.get(tag, 0) + 1
        if is_dropped(tag, attrib, in_section=self.sections > 0):
            self.skip = 1
            if tag == "svg" and not is_hidden(attrib):
                self.svg = (label_rating(attrib), [])
            return
        if tag == "img":
            if rating := label_rating(attrib):
                self._badge(rating)
            self.stack.append(_Frame(tag, "", parent.block, parent.kind, parent.level))
            return
        r = rules()
        step = tag if index == 1 else f"{tag}[{index}]"
        frame = _Frame(
            tag=tag,
            path=f"{parent.path}/{step}" if parent.path else step,
            block=parent.block,
            kind=parent.kind,
            level=parent.level,
            address=parent.address or is_address(attrib, tag),
            pre=parent.pre or tag == "pre",
            badge=badge_rating(tag, attrib),
            shown_at_start=self.shown,
        )
        if tag in r.heading_tags:
            frame.kind, frame.level = "heading", int(tag[1])
        elif tag in r.list_item_tags:
            frame.level = (parent.level if parent.kind == "list_item" else 0) + 1
            frame.kind = "list_item"
        if tag in r.block_tags:
            self._flush()
            frame.block = frame
        if tag == "br":
            if parent.address:
                self.pieces.append((_BR, False))
            else:
                self._flush()
        if tag == "form":
            self.forms.append((len(self.blocks), False))
        if tag in r.sectioning_tags:
            self.sections += 1
        self.stack.append(frame)

    def end(self, tag: str) -> None:
        if self.skip:
            self.skip -= 1
            if self.skip == 0 and self.svg is not None:
                label, title = self.svg
                self.svg = None
                if rating := (label or rating_in(" ".join(title))):
                    self._badge(rating)
            self.in_svg_title = False
            return
        if self.overflow:
            self.overflow -= 1
            return
        if len(self.stack) == 1:
            return
        frame = self.stack[-1]
        if frame.badge and self.shown == frame.shown_at_start:
            self._badge(frame.badge)
        if frame.block is frame:
            self._flush()
        self.stack.pop()
        if frame.tag in rules().sectioning_tags:
            self.sections -= 1
        if frame.tag == "form" and self.forms:
            mark, search = self.forms.pop()
            if search and mark < len(self.blocks):
                self.pos = self.blocks[mark].start
                del self.blocks[mark:]

    def data(self, text: str) -> None:
        if self.skip:
            if self.svg is not None and self.in_svg_title:
                self.svg[1].append(text)
            return
        if self.stack[-1].pre and "\n" in text:
            lines = text.split("\n")
            for line in lines[:-1]:
                self._text(line)
                self._flush()
            text = lines[-1]
        self._text(text)

    def close(self) -> list[Block]:
        self._flush()
        return self.blocks

    # -- helpers -----------------------------------------------------------------------------
    def _text(self, text: str) -> None:
        if text:
            self.pieces.append((text, False))
            self.shown += len(text.strip())

    def _badge(self, rating: str) -> None:
        self.pieces.append((rating, True))
        self.shown += len(rating)

    def _flush(self) -> None:
        if not self.pieces:
            return
        pieces, self.pieces = self.pieces, []
        text = _join(pieces)
        if not text:
            return
        top = self.stack[-1]
        kind: BlockKind
        if top.kind == "heading":
            kind, level = "heading", top.level
        elif top.kind == "list_item":
            kind, level = "list_item", top.level
        else:
            kind, level = text_line_kind(text), 0
        end = self.pos + len(text)
        self.blocks.append(Block(kind=kind, start=self.pos, end=end, text=text, level=level,
                                 dom_path=(top.block or self.root).path))
        self.pos = end + 1  # blocks are joined by one "\n"


def _join(pieces: list[tuple[str, bool]]) -> str:
    """The text of one block: badges not already shown as text, address lines joined."""
    visible = "".join(t for t, badge in pieces if not badge and t != _BR)
    parts: list[str] = []
    last_badge = ""  # the badge shown last, while only white space follows it
    for i, (text, badge) in enumerate(pieces):
        if badge:
            # A badge adds its rating unless the text shows it, or the same badge stands next
            # to it (an icon and its label element both naming the rating).
            if not shows_rating(visible, text) and text.lower() != last_badge:
                parts.append(f" {text} ")
                last_badge = text.lower()
            continue
        if text.strip():
            last_badge = ""
        if text == _BR:
            before = "".join(parts).rstrip()
            after = "".join(t for t, b in pieces[i + 1:] if not b and t != _BR).lstrip()
            if before and after:
                parts.append(" " if before[-1] in ",;" or _PHONE_START.match(after) else ", ")
        else:
            parts.append(text)
    return _WS.sub(" ", canonicalise("".join(parts))).strip()


def read_html(data: bytes, *, source_id: str, path: str | None = None,
              url: str | None = None) -> Document:
    """Read the bytes of a saved web page into a :class:`Document` (see the module docstring).

    Raises:
        EmptyInput: no bytes, or no report text once markup and site chrome are left out.
        BinaryInput: bytes that are not text.
        InputError: a page larger than :data:`MAX_HTML_BYTES`.
    """
    if len(data) > MAX_HTML_BYTES:
        raise InputError(f"page too large: {len(data)} bytes (limit {MAX_HTML_BYTES})",
                         source_id=source_id)
    codec, encoding = choose_encoding(data, source_id)
    builder = _BlockBuilder()
    parser = etree.HTMLParser(
        target=builder,
        encoding="utf-8",  # what we feed: the page decoded by us, re-encoded step by step
        remove_comments=True,
        remove_pis=True,
        no_network=True,
        huge_tree=False,  # no tree is built; keep libxml2's own limits switched on
        recover=True,
    )
    for piece in iter_text(data, codec):
        for i in range(0, len(piece), FEED_CHARS):
            parser.feed(piece[i:i + FEED_CHARS].encode("utf-8"))
    blocks: list[Block] = parser.close()
    if not blocks:
        raise EmptyInput("no report text in the page once markup and site chrome are left out",
                         source_id=source_id)
    return Document(
        text="\n".join(b.text for b in blocks),
        blocks=blocks,
        source_id=source_id,
        media_type="text/html",
        encoding=encoding,
        raw_sha256=hashlib.sha256(data).hexdigest(),
        path=path,
        url=url,
    )
