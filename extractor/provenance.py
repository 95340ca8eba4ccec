"""What a record says about *where* it came from, as opposed to *what* the report says.

The same report read from a text copy, a saved web page or a set of crawled pages must give the
same record apart from its provenance. Provenance is exactly:

1. ``source``: the input's id, path, URL, media type, hashes, encoding and canonical length,
   and ``pages``: the sources of an assembled assessment's pages and where each sits;
2. ``identifiers.url``: the URL the input was given with (ids read from it are not provenance);
3. the ``start`` and ``end`` offsets of every span (canonical texts differ between forms);
4. the white space inside a span's ``text``: a span over several blocks holds the separators
   between them, which a text copy writes as the line breaks and blank lines it was copied with
   and the HTML reader as one ``"\\n"``; and the markers of list items inside it, which a text
   copy prints at the start of their lines ("• ") and a page gives as markup. Span texts are
   compared with such markers left out and every run of white space read as one space.

Everything else (values, rule ids, span texts, warnings with their codes, messages and span
texts, key questions, statements, evidence paragraphs and sentences, entities, the overview) is
content and must be equal.
"""

from __future__ import annotations

import re
from typing import Any

from extractor.textread import BULLET_MARKER
from models import Report

_WS = re.compile(r"\s+")
_MARKER = re.compile(rf"\n[ \t]*{BULLET_MARKER}[ \t]+(?=\S)")  # a list item's marker, after a line break
_SPAN_KEYS = frozenset({"start", "end", "text"})


def without_provenance(record: Report | dict[str, Any]) -> dict[str, Any]:
    """The record as plain data with its provenance (see the module docstring) taken out.

    >>> without_provenance({"source": {"id": "a"}, "name": {"value": "X", "rule": "r",
    ...                     "span": {"start": 3, "end": 9, "text": "Oak\\n\\nHouse"}}})
    {'name': {'value': 'X', 'rule': 'r', 'span': 'Oak House'}}
    """
    data = record.model_dump(mode="json") if isinstance(record, Report) else record
    out = _strip(data)
    out.pop("source", None)
    out.pop("pages", None)
    if isinstance(out.get("identifiers"), dict):
        out["identifiers"].pop("url", None)
    return out  # type: ignore[no-any-return]


def _strip(node: Any) -> Any:
    if isinstance(node, dict):
        if set(node) == _SPAN_KEYS:
            return _WS.sub(" ", _MARKER.sub("\n", node["text"]))
        return {k: _strip(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_strip(v) for v in node]
    return node


def differences(a: Any, b: Any, path: str = "") -> list[str]:
    """Where two plain-data trees differ, as ``path: a != b`` lines (for test messages)."""
    if isinstance(a, dict) and isinstance(b, dict):
        out: list[str] = []
        for key in sorted(set(a) | set(b)):
            out.extend(differences(a.get(key), b.get(key), f"{path}.{key}"))
        return out
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} items != {len(b)} items"]
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in differences(x, y, f"{path}[{i}]")]
    return [] if a == b else [f"{path}: {a!r} != {b!r}"]
