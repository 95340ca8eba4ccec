"""Build a large saved SAF page and report the memory used to read it (run as a script).

Prints one JSON object: the page size, the peak resident memory added by reading it (from
``getrusage``, so the C parser's allocations count too), the peak of Python allocations during
the read (``tracemalloc``, with ``--tracemalloc``), the canonical text length and the seconds taken.
"""

from __future__ import annotations

import json
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from extractor.htmlread import read_html  # noqa: E402

PARAGRAPH = ("<p>Staff recorded accidents and incidents in the provider&rsquo;s digital incident log, "
             "but managers did not always review them promptly. Records showed 11 of the 26 incidents "
             "logged between April and July 2024 had no recorded outcome.</p>\n")
STATEMENT = ('<div class="statement"><h3 class="statement__title">Learning culture</h3>\n'
             '<p class="statement__score">Score: <span class="score">2</span></p>\n')
SCRIPT = "<script>window.__STATE__ = {" + ",".join(f'"k{i}": [{i}, "v{i}"]' for i in range(300)) + "};</script>\n"
CHROME = ('<div class="cookie-banner"><p>We use cookies</p></div><nav class="main-menu"><ul>'
          + "".join(f"<li><a href='/m{i}'>Menu item {i}</a></li>" for i in range(40)) + "</ul></nav>\n")


def build_text_heavy(size: int) -> bytes:
    """A page that is nearly all report text (the worst case: memory follows the text kept)."""
    unit = STATEMENT + PARAGRAPH * 40 + "</div>\n"
    return ("<html><body><main>" + unit * (size // len(unit) + 1) + "</main></body></html>").encode()


def build(size: int) -> bytes:
    """A page mixing report text with site chrome and scripts, as saved pages do."""
    head = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>Big page</title></head><body>'
            + CHROME + '<main><h1>Brackenridge Nursing Home</h1><p>Report from 17 September 2024 assessment</p>'
              "<h2>Safe</h2>")
    parts, total = [head], len(head)
    unit = STATEMENT + PARAGRAPH * 6 + "</div>\n" + SCRIPT + CHROME
    while total < size:
        parts.append(unit)
        total += len(unit)
    parts.append("</main></body></html>")
    return "".join(parts).encode("utf-8")


def main() -> None:
    size = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 20_000_000
    read_html(build(10_000), source_id="warm-up")  # imports, rules and regexes loaded first
    data = build_text_heavy(size) if "--text-heavy" in sys.argv else build(size)
    trace = "--tracemalloc" in sys.argv
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    doc = read_html(data, source_id="big")
    seconds = time.perf_counter() - started
    py_peak = tracemalloc.get_traced_memory()[1] if trace else None
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"bytes": len(data), "rss_added": after - before, "python_peak": py_peak,
                      "text_chars": len(doc.text), "blocks": len(doc.blocks), "seconds": seconds}))


if __name__ == "__main__":
    main()
