"""Shared paths and helpers for the test suite."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED = SEEDS / "000_055984bc2d9da33b.txt"
SEED_FACTS = SEEDS / "000_055984bc2d9da33b.facts.json"
CORPUS = ROOT / "corpus"


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def iter_spans(node: Any) -> Iterator[dict[str, Any]]:
    """Every span object ({start, end, text}) anywhere in a dumped record."""
    if isinstance(node, dict):
        if set(node) == {"start", "end", "text"}:
            yield node
            return
        for value in node.values():
            yield from iter_spans(value)
    elif isinstance(node, list):
        for value in node:
            yield from iter_spans(value)


@pytest.fixture(scope="session")
def seed_bytes() -> bytes:
    return SEED.read_bytes()
