"""The review page: every span highlighted, checked in the DOM and rendered by headless Chromium."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import lxml.html
import pytest
from conftest import SEED

from extractor.pipeline import ExtractOptions, extract_document
from extractor.reading import read_any
from extractor.view import collect_marks, render_view

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def seed_page() -> tuple[str, object, str]:
    doc = read_any(SEED.read_bytes(), source_id=str(SEED), path=str(SEED))
    record = extract_document(doc, ExtractOptions(ner=True))
    return render_view(record, doc.text), record, doc.text


def test_page_is_self_contained(seed_page) -> None:
    page, _, _ = seed_page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "<link" not in page


def test_every_mark_is_rebuilt_from_its_segments(seed_page) -> None:
    page, record, text = seed_page
    tree = lxml.html.fromstring(page)
    pieces: dict[str, list[str]] = {}
    for seg in tree.xpath('//pre[@id="text"]/span[contains(@class, "seg")]'):
        for mark_id in seg.get("data-spans").split():
            pieces.setdefault(mark_id, []).append(seg.text_content())
    marks = collect_marks(record)
    assert {m.kind for m in marks} >= {"header", "structure", "score", "entity", "evidence"}
    for mark in marks:
        assert "".join(pieces[mark.id]) == text[mark.start:mark.end]
    # The whole source is on the page, in order.
    assert tree.xpath('string(//pre[@id="text"])') == text


_PROBE = """<script>
var out = [];
document.querySelectorAll('.seg.k-score, .seg.k-entity, .seg.k-header').forEach(function(s){
  var cs = getComputedStyle(s);
  out.push([s.className, cs.backgroundColor, cs.borderBottomStyle, s.getBoundingClientRect().width > 0].join('|'));
});
document.body.setAttribute('data-probe', out.join(';;'));
</script></body>"""


def _chromium(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                           "--no-first-run", "--disable-background-networking",
                           "--disable-component-update", "--disable-sync", *args],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.browser
def test_highlights_render_in_headless_chromium(seed_page, tmp_path: Path) -> None:
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed on the CI machine")
        pytest.skip("chromium is not installed")
    page, record, _ = seed_page
    probe_page = tmp_path / "probe.html"
    probe_page.write_text(page.replace("</body>", _PROBE), encoding="utf-8")
    res = _chromium(f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", probe_page.as_uri())
    dom = lxml.html.fromstring(res.stdout)
    rows = [r.split("|") for r in dom.body.get("data-probe").split(";;")]
    scores = [r for r in rows if "k-score" in r[0].split()]
    entities = [r for r in rows if "k-entity" in r[0].split()]
    assert scores and all(r[1] == "rgb(155, 227, 155)" and r[3] == "true" for r in scores)
    assert entities and all(r[2] == "solid" for r in entities)
    # The live DOM keeps one list row per warning and the source text.
    assert len(dom.xpath('//ul[@id="warnings"]/li')) == max(1, len(record.warnings))

    shot = tmp_path / "view.png"
    page_file = tmp_path / "view.html"
    page_file.write_text(page, encoding="utf-8")
    _chromium(f"--user-data-dir={tmp_path / 'profile2'}", f"--screenshot={shot}",
              "--window-size=1400,900", page_file.as_uri())
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
