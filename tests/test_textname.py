"""The name the prose gives the service, against the header's (a rename leaves the old name)."""

from __future__ import annotations

import pytest
from conftest import CORPUS

from extractor.pipeline import ExtractOptions, extract_bytes

LARKSPUR = (CORPUS / "saf-text" / "08_larkspur_house_all_five.txt").read_text(encoding="utf-8")


def opening(sentence_start: str):
    """The Larkspur House sample with its first summary sentence opening otherwise."""
    assert "Larkspur House is a" in LARKSPUR
    text = LARKSPUR.replace("Larkspur House is a", sentence_start, 1)
    return extract_bytes(text.encode(), source_id="larkspur.txt", options=ExtractOptions(nlp=False))


def test_another_name_in_the_opening_sentence_is_recorded_and_flagged_the_header_kept() -> None:
    r = opening("Larkspur Lodge is a")
    loc = r.location
    assert (loc.name.value, loc.name_in_text.value, loc.name_in_text.span.text) == (
        "Larkspur House", "Larkspur Lodge", "Larkspur Lodge")
    assert loc.name_in_text.span.start > loc.name.span.end  # in the prose, not the header
    assert [w.code for w in r.warnings] == ["name_differs"]


@pytest.mark.parametrize("start", [
    "Larkspur House is a",  # the same name
    "Larkspur is a",  # a short form: the header name's first word
    "This is a",  # no name
    "It was a",
])
def test_the_same_service_or_no_name_is_not_a_rename(start: str) -> None:
    r = opening(start)
    assert r.location.name_in_text is None and "name_differs" not in [w.code for w in r.warnings]


def test_the_provider_named_in_the_opening_sentence_is_not_a_rename() -> None:
    provider = opening("Larkspur House is a").location.provider.value
    r = opening(f"{provider} provides a")
    assert r.location.name_in_text is None and r.warnings == []
