"""A self-contained HTML review page: the source text with every extracted span highlighted.

The canonical text is cut at every span boundary; each piece is one ``<span class="seg">``
whose ``data-spans`` lists the ids of the spans covering it and whose classes name their kinds
(header field, structure, score, entity, evidence category, warning). Beside the text stand the
record's values, its warnings and the record as JSON. The page loads nothing from outside.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from typing import Any, Iterator

from models import Report

KINDS = ("header", "structure", "score", "entity", "evidence", "warning")


@dataclass(frozen=True)
class Mark:
    id: str
    start: int
    end: int
    kind: str  # one of KINDS
    label: str  # what is shown for it (field name, entity label, category)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _walk(node: Any, path: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """(path, object) for every object that holds a span, depth first."""
    if isinstance(node, dict):
        if isinstance(node.get("span"), dict):
            yield path, node
        for key, value in node.items():
            if key != "span":
                yield from _walk(value, f"{path}.{key}" if path else key)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, f"{path}[{i}]")


def _kind(path: str, node: dict[str, Any]) -> tuple[str, str] | None:
    leaf = re.sub(r"\[\d+\]", "", path).split(".")[-1]
    if path.startswith("warnings"):
        return "warning", node.get("code", "warning")
    if ".entities" in path:
        return "entity", node.get("label", "entity")
    if ".sentences" in path:
        category = node.get("category")
        return ("evidence", category) if category else None
    if leaf in ("score", "score_percent", "rating", "basis", "action", "judgement"):
        return "score", leaf
    if ".ratings." in path:  # a rating grid's cell, by its column
        return "score", f"rating ({leaf})"
    if path.startswith(("location", "assessment_date", "overview", "inspection", "history")):
        return "header", leaf
    if leaf == "name" or leaf == "date":
        return "structure", leaf
    return None


def collect_marks(record: Report) -> list[Mark]:
    """The spans worth highlighting, with their kinds, in document order."""
    data = record.model_dump(mode="json")
    marks = []
    for n, (path, node) in enumerate(_walk(data, "")):
        kind = _kind(path, node)
        span = node["span"]
        if kind is None or span["end"] <= span["start"]:
            continue
        marks.append(Mark(id=f"m{n}", start=span["start"], end=span["end"], kind=kind[0],
                          label=str(kind[1])))
    return sorted(marks, key=lambda m: (m.start, -m.end, m.id))


def highlighted_text(text: str, marks: list[Mark]) -> str:
    """The text as HTML, cut at every mark boundary, each piece naming the marks over it."""
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    out = []
    for lo, hi in zip(cuts, cuts[1:]):
        covering = [m for m in marks if m.start <= lo and hi <= m.end]
        piece = html.escape(text[lo:hi])
        if not covering:
            out.append(piece)
            continue
        classes = " ".join(sorted({f"k-{m.kind}" for m in covering} |
                                  {f"l-{_slug(m.label)}" for m in covering}))
        ids = " ".join(m.id for m in covering)
        title = html.escape("; ".join(f"{m.kind}: {m.label}" for m in covering), quote=True)
        out.append(f'<span class="seg {classes}" data-spans="{ids}" title="{title}">{piece}</span>')
    return "".join(out)


_CSS = """
body{font-family:system-ui,sans-serif;margin:0;display:flex;height:100vh}
#source{flex:3;overflow:auto;padding:1em 2em;border-right:1px solid #ccc}
#source pre{white-space:pre-wrap;font:14px/1.5 Georgia,serif}
#side{flex:2;overflow:auto;padding:1em;font-size:13px}
.seg.k-evidence{background:#eef6ff}
.seg.k-evidence.l-people-s-experience{background:#fdf0e0}
.seg.k-evidence.l-feedback-from-staff-and-leaders{background:#e8f4e8}
.seg.k-evidence.l-feedback-from-partners{background:#f3e8f8}
.seg.k-evidence.l-observation{background:#fff8d6}
.seg.k-evidence.l-processes{background:#e6eefc}
.seg.k-evidence.l-outcomes{background:#e0f5f5}
.seg.k-header{background:#ffe08a}
.seg.k-structure{font-weight:bold;background:#e0e0e0}
.seg.k-score{background:#9be39b}
.seg.k-entity{border-bottom:2px solid #c0392b}
.seg.k-warning{outline:2px dashed #d35400}
.seg.hot{outline:2px solid #000}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:2px 6px;text-align:left;vertical-align:top}
.legend span{padding:0 4px;margin-right:4px}
details pre{white-space:pre-wrap;font-size:11px}
"""

_JS = """
document.querySelectorAll('[data-mark]').forEach(function(row){
  row.addEventListener('mouseenter',function(){
    document.querySelectorAll('.seg').forEach(function(s){
      if((' '+s.dataset.spans+' ').indexOf(' '+row.dataset.mark+' ')>=0){s.classList.add('hot');}});
  });
  row.addEventListener('mouseleave',function(){
    document.querySelectorAll('.seg.hot').forEach(function(s){s.classList.remove('hot');});
  });
});
"""


def _rows(marks: list[Mark], text: str, kinds: tuple[str, ...]) -> str:
    rows = []
    for m in marks:
        if m.kind in kinds:
            rows.append(f'<tr data-mark="{m.id}"><td>{html.escape(m.kind)}</td><td>'
                        f'{html.escape(m.label)}</td><td>{html.escape(text[m.start:m.end][:120])}</td></tr>')
    return "".join(rows)


def render_view(record: Report, text: str) -> str:
    """The review page of one record over its canonical text."""
    marks = collect_marks(record)
    warnings = "".join(
        f'<li data-code="{html.escape(w.code)}"><b>{html.escape(w.code)}</b>: {html.escape(w.message)}</li>'
        for w in record.warnings) or "<li>none</li>"
    legend = "".join(f'<span class="seg k-{k}">{k}</span>' for k in KINDS)
    title = record.location.name.value if record.location.name else record.source.id
    record_json = html.escape(json.dumps(record.model_dump(mode="json"), indent=2))
    return (
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{html.escape(title)} — cqc-extract review</title><style>{_CSS}</style></head><body>"
        f'<main id="source"><h1>{html.escape(title)}</h1><p class="legend">{legend}</p>'
        f'<pre id="text">{highlighted_text(text, marks)}</pre></main>'
        f'<aside id="side"><h2>Warnings ({len(record.warnings)})</h2><ul id="warnings">{warnings}</ul>'
        f'<h2>Header and scores</h2><table id="fields">'
        f'{_rows(marks, text, ("header", "structure", "score"))}</table>'
        f'<h2>Entities</h2><table id="entities">{_rows(marks, text, ("entity",))}</table>'
        f'<details><summary>Record (JSON)</summary><pre id="record">{record_json}</pre></details>'
        f"</aside><script>{_JS}</script></body></html>"
    )
