"""Reading plain text (copied pages, PDF text extracts) into a :class:`Document`."""

from __future__ import annotations

import hashlib
import re

from extractor.document import Block, BlockKind, Document, canonicalise
from extractor.errors import BinaryInput, EmptyInput

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
    text = canonicalise(text.lstrip("\ufeff"))
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
