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


def batch_to_sqlite(inputs: Path | dict[str, str], tmp_path: Path) -> tuple[Path, Path]:
    """Run ``cqc-extract batch --no-ner`` over ``inputs`` (a folder, or texts by file name, written
    to a folder first) and export the records to SQLite, as a user would; returns the records
    file and the database."""
    import subprocess
    import sys

    if isinstance(inputs, dict):
        folder = tmp_path / "docs"
        folder.mkdir()
        for name, text in inputs.items():
            (folder / name).write_text(text, encoding="utf-8")
        inputs = folder
    out, db = tmp_path / "records.jsonl", tmp_path / "out.sqlite"
    cli = [sys.executable, "-m", "extractor.cli"]
    res = subprocess.run([*cli, "batch", str(inputs), "-o", str(out), "--no-ner", "-j", "1", "--no-progress"],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    res = subprocess.run([*cli, "export", str(out), str(db)], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    return out, db
