"""The taxonomy data files load, validate and match printed variants."""

from __future__ import annotations

from collections import Counter

import pytest

from extractor import taxonomy as tx


def test_34_statements_in_five_key_questions() -> None:
    counts = Counter(s.key_question for s in tx.taxonomy().statements)
    assert counts == {"Safe": 8, "Effective": 6, "Caring": 5, "Responsive": 7, "Well-led": 8}


@pytest.mark.parametrize("printed, sid", [
    ("Person-centred Care", "R1"),
    ("Responding to people’s immediate needs", "C4"),
    ("Environmental sustainability - sustainable development", "W8"),
    ("Environmental sustainability – sustainable development", "W8"),
    ("Environmental sustainability", "W8"),
    ("Equity in experience and outcomes", "R6"),
    ("Safe pathways, systems and transitions", "S2"),
    ("Infection prevention & control", "S7"),
])
def test_printed_variants_match(printed: str, sid: str) -> None:
    found = tx.statement(printed)
    assert found is not None and found[0].id == sid


def test_small_typo_matches_only_when_fuzzy_is_asked() -> None:
    assert tx.statement("Safe and efective staffing") is None
    found = tx.statement("Safe and efective staffing", fuzzy=True)
    assert found is not None and found[0].id == "S6" and found[1] == "fuzzy"
    assert tx.statement("Staff rotas", fuzzy=True) is None


@pytest.mark.parametrize("printed, rating", [
    ("Requires Improvement", "Requires improvement"),
    ("Require Improvement", "Requires improvement"),
    ("good", "Good"),
    ("Not Rated", "Not rated"),
])
def test_rating_words(printed: str, rating: str) -> None:
    assert tx.rating(printed) == rating


@pytest.mark.parametrize("percent, band", [(25, "Inadequate"), (38, "Inadequate"),
                                           (39, "Requires improvement"), (62, "Requires improvement"),
                                           (63, "Good"), (87, "Good"), (88, "Outstanding"),
                                           (100, "Outstanding"), (10, None)])
def test_score_bands(percent: int, band: str | None) -> None:
    assert tx.band_of(percent) == band


def test_key_question_spellings() -> None:
    assert tx.key_question("Well led").name == "Well-led"
    assert tx.key_question("WELL-LED").name == "Well-led"
    assert tx.key_question("Safety") is None


def _raw_taxonomy() -> dict:
    from importlib import resources

    import yaml

    return yaml.safe_load(resources.files("extractor.data").joinpath("taxonomy.yaml").read_text())


@pytest.mark.parametrize("breakage", ["duplicate_id", "unknown_key_question", "extra_key", "shared_alias"])
def test_loader_rejects_malformed_taxonomy(breakage: str) -> None:
    from pydantic import ValidationError

    data = _raw_taxonomy()
    statements = data["statements"]
    if breakage == "duplicate_id":
        statements[1]["id"] = statements[0]["id"]
    elif breakage == "unknown_key_question":
        statements[0]["key_question"] = "Kind"
    elif breakage == "extra_key":
        statements[0]["colour"] = "red"
    else:
        statements[1]["aliases"] = [statements[0]["name"]]
    with pytest.raises(ValidationError):
        tx.Taxonomy.model_validate(data)


def test_shipped_data_files_validate() -> None:
    tx.taxonomy.cache_clear()
    tx.vocabulary.cache_clear()
    assert len(tx.taxonomy().statements) == 34
    assert {b.rating for b in tx.vocabulary().score_bands} == {
        "Inadequate", "Requires improvement", "Good", "Outstanding"}
