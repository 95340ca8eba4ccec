"""Damaged copies of the corpus documents: lines lost, repeated or out of order, as careless copying
and broken extracts leave them. Every family's reader must still give a record whose every span
points at its text, or refuse with a one-line error of the project's own; never crash."""

from __future__ import annotations

from pathlib import Path

from conftest import iter_spans
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor.errors import CQCExtractError
from extractor.pipeline import ExtractOptions, extract_bytes
from extractor.reading import read_any

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
DOCS = sorted([*CORPUS.glob("*-text/*.txt"), *CORPUS.glob("saf-html/**/*.html")])
TEXTS = [p.read_bytes().decode("utf-8", "surrogateescape") for p in DOCS]  # one HTML page is cp1252


@st.composite
def damaged(draw: st.DrawFn) -> tuple[str, str]:
    k = draw(st.integers(0, len(DOCS) - 1))
    lines = TEXTS[k].split("\n")
    for _ in range(draw(st.integers(1, 6))):
        i = draw(st.integers(0, len(lines) - 1))
        how = draw(st.sampled_from(["drop", "repeat", "swap", "cut", "join"]))
        if how == "drop":
            del lines[i]
        elif how == "repeat":
            lines.insert(i, lines[i])
        elif how == "swap" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        elif how == "cut":  # the copy stops part-way
            lines = lines[:max(i, 1)]
        elif how == "join" and i + 1 < len(lines):  # two lines run together
            lines[i:i + 2] = [lines[i] + " " + lines[i + 1]]
        if not lines:
            lines = [""]
    return DOCS[k].name, "\n".join(lines)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged())
def test_a_damaged_document_gives_a_consistent_record_or_a_clear_error(case: tuple[str, str]) -> None:
    name, text = case
    try:
        record = extract_bytes(text.encode("utf-8", "surrogateescape"), source_id=name, options=ExtractOptions(ner=False))
    except CQCExtractError as exc:
        assert str(exc).startswith(name) and "\n" not in str(exc)
        return
    canonical = read_any(text.encode("utf-8", "surrogateescape"), source_id=name).text
    for span in iter_spans(record.model_dump(mode="json")):
        assert canonical[span["start"]:span["end"]] == span["text"], (name, span)
