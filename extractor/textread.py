"""Reading plain text (copied pages, PDF text extracts) into a :class:`Document`."""

from __future__ import annotations

import hashlib
import re

from extractor.document import Block, BlockKind, Document, canonicalise
from extractor.errors import BinaryInput, EmptyInput
from extractor.runtogether import reline

# Characters that start a list item when they lead a line, followed by a space.
BULLET_MARKER = r"[•●◦▪‣·∙\-–*]"  # a list item's marker at the start of its line
BULLET_LINE = re.compile(rf"[ \t]*({BULLET_MARKER})[ \t]+(?=\S)")
# Last characters of a line that ends like a sentence (before any trailing white space).
SENTENCE_ENDS = tuple(".!?:;)]\"'’”")

# Control characters that never occur in a text file (NUL, and the C0 set bar tab/newlines/form feed).
# Counted by deleting them (bytes.translate), which is several times faster than a regex.
_CONTROL = bytes([*range(0x00, 0x09), *range(0x0e, 0x1b), *range(0x1c, 0x20)])


def decode_bytes(data: bytes, source_id: str) -> tuple[str, str]:
    """Decode the bytes of a text input; return ``(text, encoding)``.

    UTF-8 (with or without a byte-order mark) is tried first, then UTF-16 with a byte-order mark,
    then cp1252, the usual charset of older Windows-saved pages.

    Raises:
        EmptyInput: no bytes, or only white space.
        BinaryInput: NUL or other control bytes, or bytes no charset decodes.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise BinaryInput("not text: invalid UTF-16", source_id=source_id) from exc
        encoding = "utf-16"
    else:
        sample = data[:65536]
        bad = len(sample) - len(sample.translate(None, _CONTROL))
        if b"\x00" in sample or bad > max(2, len(sample) // 1000):
            raise BinaryInput("not text: the file holds binary data", source_id=source_id)
        try:
            text, encoding = data.decode("utf-8-sig"), "utf-8"
        except UnicodeDecodeError:
            try:
                text, encoding = data.decode("cp1252"), "cp1252"
            except UnicodeDecodeError as exc:
                raise BinaryInput("not text: no charset decodes it", source_id=source_id) from exc
    if not text.strip():
        raise EmptyInput("empty input: no text to parse", source_id=source_id)
    return text, encoding


def line_kind(line: str) -> BlockKind:
    """A paragraph: more than 14 words, or more than 3 ending like a sentence; else a heading."""
    words = len(line.split(None, 15))  # exact up to 15: enough to tell "more than 14"
    if words > 14 or (words > 3 and line.rstrip().endswith(SENTENCE_ENDS)):
        return "paragraph"
    return "heading"


def split_blocks(text: str) -> list[Block]:
    """Split canonical text into line blocks with offsets; bullets become list items."""
    blocks: list[Block] = []
    pos = 0
    for line in text.split("\n"):
        line_start = pos
        pos += len(line) + 1
        content = line.rstrip()
        if not content:
            continue
        bullet = BULLET_LINE.match(line)
        if bullet:
            indent = len(line) - len(line.lstrip())
            start = line_start + bullet.end()
            marker = bullet.group(1)
            kind: BlockKind = "list_item"
            level = 1 if indent == 0 else 2
        else:
            start = line_start + len(line) - len(line.lstrip(" \t"))
            marker = ""
            level = 0
        end = line_start + len(content)
        body = text[start:end]
        if not bullet:
            kind = line_kind(body)
        blocks.append(Block(kind=kind, start=start, end=end, text=body, marker=marker, level=level))
    return blocks


# A text set a printed line a line (another tool's extract of a PDF) is told by its widths: most
# lines no longer than about this many characters, and many of them near that width.
_WRAP_WIDTH = (40, 160)  # the range the text's width (its 90th-percentile line length) lies in
_FULL = 0.7  # a line at least this share of the width ran out of room
_FULL_SHARE = 0.2  # the share of lines that must be full for the text to count as wrapped
_OPEN_SHARE = 0.4  # and the share of those that stop mid-sentence and go on in lower case below
_MIN_LINES = 20
_TABLE_GAP = "   "  # a run of spaces inside a line: table cells, not text


def unwrap(text: str) -> str:
    """Canonical text of a text set a printed line a line: each line break inside a paragraph made
    a space, one character for one, so offsets do not move.

    A text counts as wrapped when its width (the 90th-percentile length of its lines) lies in
    ``_WRAP_WIDTH``, more than ``_FULL_SHARE`` of its lines come near it, and more than
    ``_OPEN_SHARE`` of those stop mid-sentence with the sentence going on in lower case on the
    next line (in wrapped text most do; in text of a paragraph a line, or in a list of headings,
    almost none). CQC's own extracts, a paragraph a line, are far wider as well.

    In such a text a line break joins a full line (with no run of spaces inside, as a table row
    has) to the next, unless the next starts a list item or the full line ends a sentence and
    the next starts with a capital. A page break (``\\f``, as ``pdftotext`` writes one, after a
    blank line) joins on the same terms.
    """
    lines = text.split("\n")
    lengths = sorted(len(line.rstrip()) for line in lines if line.strip())
    if len(lengths) < _MIN_LINES:
        return text
    width = lengths[int(0.9 * (len(lengths) - 1))]
    if not _WRAP_WIDTH[0] <= width <= _WRAP_WIDTH[1]:
        return text
    full = [i for i, line in enumerate(lines) if len(line.rstrip()) >= _FULL * width]
    going_on = [i for i in full if i + 1 < len(lines) and not lines[i].strip().lstrip("\f").endswith(SENTENCE_ENDS)
                and lines[i + 1].lstrip()[:1].islower()]
    if len(full) <= _FULL_SHARE * len(lengths) or len(going_on) <= _OPEN_SHARE * len(full):
        return text
    out = list(text)
    pos = 0
    for i, line in enumerate(lines[:-1]):
        end = pos + len(line)  # the "\n" after this line
        pos = end + 1
        body = line.strip().lstrip("\f")
        nxt, cut = lines[i + 1], 1  # the next line, and the characters of the break before it
        if not nxt.strip() and i + 2 < len(lines) and lines[i + 2].startswith("\f"):
            nxt, cut = lines[i + 2][1:], 3  # "...\n\n\f<next page>"
        if len(line.rstrip()) < _FULL * width or _TABLE_GAP in body or not nxt.strip() \
                or BULLET_LINE.match(nxt) or (body.endswith(SENTENCE_ENDS) and nxt.lstrip()[:1].isupper()):
            continue
        out[end:end + cut] = " " * cut
    return "".join(out)


def read_text(data: bytes | str, *, source_id: str, path: str | None = None,
              url: str | None = None) -> Document:
    """Read a text input (bytes or already-decoded text) into a :class:`Document`."""
    if isinstance(data, str):
        raw = data.encode("utf-8")
        text, encoding = data, "utf-8"
        if not text.strip():
            raise EmptyInput("empty input: no text to parse", source_id=source_id)
    else:
        raw = data
        text, encoding = decode_bytes(data, source_id)
    text = reline(unwrap(canonicalise(text.lstrip("\ufeff"))))
    return Document(
        text=text,
        blocks=split_blocks(text),
        source_id=source_id,
        media_type="text/plain",
        encoding=encoding,
        raw_sha256=hashlib.sha256(raw).hexdigest(),
        path=path,
        url=url,
    )
