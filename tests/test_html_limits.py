"""Safety and size limits of the HTML reader.

Memory bound (stated in README and measured here): reading a page adds at most
``48 MiB + 8 bytes x canonical characters`` to the process' peak resident memory, whatever the
page's size or markup. Almost all of it is the returned Document itself (its canonical text, the
folded copy and the blocks' texts); the reader's own working memory is one feed step (1 MiB),
one block's pieces and the parser's buffers. Measured on this project's machine: a 20 MB saved
page of chrome, scripts and report text (2.9 M canonical characters) adds about 30 MB; a 20 MB
page of nothing but report text (18.7 M characters) adds about 142 MB, of which about 120 MB is
the Document.

Entity bombs: the HTML parser has no entity declarations, so a "billion laughs" internal subset
is inert text: the page reads in milliseconds with nothing expanded; external entities are
never fetched.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from extractor.htmlread import MAX_DEPTH, read_html
from extractor.reading import read_any

HELPER = Path(__file__).with_name("helpers") / "big_page.py"
MIB = 1024 * 1024


def _measure(*args: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, str(HELPER), "20000000", *args], check=True,
                         capture_output=True, text=True, timeout=300)
    return json.loads(out.stdout)  # type: ignore[no-any-return]


@pytest.mark.parametrize("mode", ["--mixed", "--text-heavy"])
def test_20mb_page_reads_within_the_memory_bound(mode: str) -> None:
    m = _measure(mode)
    assert m["bytes"] >= 20_000_000
    assert m["blocks"] > 1000
    bound = 48 * MIB + 8 * m["text_chars"]
    assert m["rss_added"] <= bound, f"{m['rss_added'] / MIB:.0f} MiB > {bound / MIB:.0f} MiB: {m}"
    if mode == "--mixed":
        assert m["rss_added"] <= 80 * MIB


BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + b"".join(b' <!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
               for i in range(1, 10))
    + b']>\n<html><body><p>Report from 1 May 2024 assessment</p><p>&lol9;</p></body></html>'
)


def test_billion_laughs_is_inert_and_fast() -> None:
    started = time.perf_counter()
    doc = read_html(BILLION_LAUGHS, source_id="bomb")
    assert time.perf_counter() - started < 1.0
    assert len(doc.text) < 200
    assert "lollol" not in doc.text
    assert "Report from 1 May 2024 assessment" in doc.text
    started = time.perf_counter()
    read_any(BILLION_LAUGHS, source_id="bomb")  # whichever reader the sniffing picks
    assert time.perf_counter() - started < 1.0


def test_quadratic_blowup_is_inert_and_fast() -> None:
    data = (b'<!DOCTYPE html [<!ENTITY a "' + b"x" * 50_000 + b'">]><html><body><p>'
            + b"&a;" * 50_000 + b"</p></body></html>")
    started = time.perf_counter()
    doc = read_html(data, source_id="quadratic")
    assert time.perf_counter() - started < 1.0
    assert "xxxxxxxxxx" not in doc.text.split("\n")[-1]


def test_external_entities_are_not_fetched() -> None:
    data = (b'<!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            b"<html><body><p>&xxe;</p><img src='file:///etc/passwd' alt='Good'></body></html>")
    doc = read_html(data, source_id="xxe")
    assert "root:" not in doc.text


def test_deep_nesting_is_bounded() -> None:
    depth = 50_000
    data = b"<html><body>" + b"<div>" * depth + b"<p>deep text</p>" + b"</div>" * depth + b"<p>after</p></body></html>"
    started = time.perf_counter()
    doc = read_html(data, source_id="deep")
    assert time.perf_counter() - started < 5.0
    assert [b.text for b in doc.blocks] == ["deep text", "after"]
    assert max(b.dom_path.count("/") for b in doc.blocks if b.dom_path) <= MAX_DEPTH + 2


def test_many_entities_read_in_linear_time() -> None:
    data = b"<html><body><p>" + b"&amp;&rsquo; " * 200_000 + b"</p></body></html>"
    started = time.perf_counter()
    doc = read_html(data, source_id="entities")
    assert time.perf_counter() - started < 3.0
    assert doc.text.count("&") == 200_000
