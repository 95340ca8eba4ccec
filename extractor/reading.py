"""Choosing the reader for an input: HTML by its leading markup, otherwise plain text."""

from __future__ import annotations

import re

from extractor.document import Document
from extractor.textread import read_text

_HTML_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
                         re.I | re.S)


def looks_like_html(data: bytes) -> bool:
    head = data[:4096].lstrip(b"\xef\xbb\xbf")
    return bool(_HTML_START.match(head))


def read_any(data: bytes, *, source_id: str, path: str | None = None, url: str | None = None,
             media_type: str | None = None) -> Document:
    """Read text or HTML bytes into a :class:`Document`.

    ``media_type`` ("text/html" or "text/plain") overrides sniffing, e.g. for a crawled page
    whose markup is a fragment.
    """
    if media_type == "text/html" or (media_type is None and looks_like_html(data)):
        from extractor.htmlread import read_html

        return read_html(data, source_id=source_id, path=path, url=url)
    return read_text(data, source_id=source_id, path=path, url=url)
