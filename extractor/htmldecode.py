"""Decoding the bytes of a saved web page: byte-order mark, declared charset, then checked guesses.

Saved pages often declare the wrong charset (a page saved by a Windows editor declares UTF-8 but
holds cp1252; an old template declares iso-8859-1 around UTF-8 text). A declaration is therefore
a hint that must *decode*, and it yields to evidence:

1. A byte-order mark decides (UTF-8, UTF-16).
2. Bytes that are valid UTF-8 and not plain ASCII are UTF-8, whatever the declaration says:
   legacy-charset text is practically never valid UTF-8 by chance, while UTF-8 read as latin-1
   gives mojibake ("â€™") without any error to catch.
3. Otherwise the declared charset (``<meta charset>``, ``http-equiv`` or the XML declaration), if
   Python knows it and it decodes strictly; ``iso-8859-1``/``latin-1``/``ascii`` labels mean
   cp1252, as browsers read them.
4. Then UTF-8, then cp1252, then charset_normalizer's best guess.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator

from extractor.errors import BinaryInput, EmptyInput

# How far into the file a charset declaration is looked for (saved pages put long scripts and
# styles in <head>, so further than the 1024 bytes browsers scan).
SNIFF_BYTES = 16384

_META_CHARSET = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:\-]+)", re.I)
_XML_DECL = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9_.:\-]+)", re.I)

# Labels that browsers decode as windows-1252 (WHATWG Encoding Standard).
_CP1252_LABELS = frozenset({"latin_1", "iso8859_1", "ascii", "cp1252", "iso8859_15"})

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig", "utf-8"), (codecs.BOM_UTF16_LE, "utf-16", "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16", "utf-16"))


def declared_charset(data: bytes) -> str | None:
    """The Python codec name of the charset the page declares, or None (unknown or absent).

    >>> declared_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">')
    'cp1252'
    """
    head = data[:SNIFF_BYTES]
    m = _XML_DECL.match(head) or _META_CHARSET.search(head)
    if not m:
        return None
    try:
        name = codecs.lookup(m.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    name = name.replace("-", "_")
    if name in _CP1252_LABELS:
        return "cp1252"
    return "utf-8" if name == "utf_8" else name


# Bytes decoded per step: decoding and feeding the parser in steps keeps memory bounded by the
# size of a step, not of the page.
CHUNK = 1 << 20


def decodes(data: bytes, codec: str) -> bool:
    """Whether ``data`` decodes strictly with ``codec`` (checked step by step)."""
    try:
        decoder = codecs.getincrementaldecoder(codec)("strict")
        for i in range(0, len(data), CHUNK):
            decoder.decode(data[i:i + CHUNK])
        decoder.decode(b"", final=True)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def iter_text(data: bytes, codec: str) -> Iterator[str]:
    """Decode ``data`` with ``codec`` step by step (a byte-order mark is dropped)."""
    decoder = codecs.getincrementaldecoder(codec)("strict")
    first = True
    for i in range(0, len(data), CHUNK):
        piece = decoder.decode(data[i:i + CHUNK])
        if first and piece:
            piece, first = piece.lstrip("\ufeff"), False
        yield piece
    yield decoder.decode(b"", final=True)


def choose_encoding(data: bytes, source_id: str) -> tuple[str, str]:
    """Pick the codec of page bytes; return ``(python codec, encoding name for the record)``.

    Raises:
        EmptyInput: no bytes or only white space.
        BinaryInput: NUL bytes outside UTF-16, or bytes that nothing decodes.
    """
    if not data.strip():
        raise EmptyInput("empty input: no text to parse", source_id=source_id)
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            if not decodes(data, codec):
                raise BinaryInput(f"not text: invalid {name} after its byte-order mark",
                                  source_id=source_id)
            return codec, name
    if b"\x00" in data[:65536]:
        raise BinaryInput("not text: the file holds binary data", source_id=source_id)
    declared = declared_charset(data)
    if data.isascii():
        return "ascii", declared or "utf-8"
    # Rule 2 puts UTF-8 first; a declared legacy charset must still decode strictly (rule 3).
    order = ["utf-8", *([declared] if declared else []), "cp1252"]
    for codec in dict.fromkeys(order):
        if decodes(data, codec):
            return codec, codec
    return _guess(data, source_id)


def _guess(data: bytes, source_id: str) -> tuple[str, str]:
    from charset_normalizer import from_bytes  # only needed for pages no usual charset decodes

    best = from_bytes(data).best()
    if best is None or best.encoding is None or not decodes(data, best.encoding):
        raise BinaryInput("not text: no charset decodes it", source_id=source_id)
    return best.encoding, best.encoding
