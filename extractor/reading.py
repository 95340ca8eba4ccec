"""Choosing the reader for an input: PDF by its header, HTML by its leading markup, otherwise
plain text."""

from __future__ import annotations

import re

from extractor.document import Document
from extractor.pdfread import looks_like_pdf
from extractor.textread import read_text

_HTML_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
                         re.I | re.S)


def looks_like_html(data: bytes) -> bool:
    head = data[:4096].lstrip(b"\xef\xbb\xbf")
    return bool(_HTML_START.match(head))


def read_any(data: bytes, *, source_id: str, path: str | None = None, url: str | None = None,
             media_type: str | None = None) -> Document:
    """Read PDF, HTML or text bytes into a :class:`Document`.

    ``media_type`` ("application/pdf", "text/html" or "text/plain") overrides sniffing, e.g. for
    a crawled page whose markup is a fragment.
    """
    if media_type == "application/pdf" or (media_type is None and looks_like_pdf(data)):
        from extractor.pdfread import read_pdf

        return read_pdf(data, source_id=source_id, path=path, url=url)
    if media_type == "text/html" or (media_type is None and looks_like_html(data)):
        from extractor.htmlread import read_html

        return read_html(data, source_id=source_id, path=path, url=url)
    return read_text(data, source_id=source_id, path=path, url=url)
