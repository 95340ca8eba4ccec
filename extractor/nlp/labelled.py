"""The labelled evidence set: a readable markup source and the JSONL built from it.

Sentences are written and labelled by hand in ``corpus/labelled/source/*.txt``::

    ## doc: willow-house | names: Willow House; Willow Care Homes Limited | split: dev
    PE | People told us they felt safe at [Willow House](ORG).

``## doc:`` opens a sample document (its sentences are annotated together, so abbreviations and
names work across them, as in a report); ``names`` are the location and provider names the
pipeline would pass; ``split`` is ``dev`` (default) or ``test`` (held out from rule writing);
``family`` (optional) is the report family whose category rules apply (``local_authority``).
Each sentence line starts with its evidence category code (see ``CATEGORY_CODES``) and marks
entities as ``[text](LABEL)``. Lines starting with ``#`` are comments. :func:`build` turns the
markup into ``corpus/labelled/sentences.jsonl`` records with character offsets; a test rebuilds it
in memory and compares, so the two never drift apart.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from extractor.errors import InputError
from extractor.nlp.data import EVIDENCE_CATEGORIES, entity_rules

__all__ = ["LabelledSentence", "LabelledDoc", "parse_markup", "build", "load_jsonl", "CATEGORY_CODES"]

CATEGORY_CODES = dict(zip(("PE", "SF", "PF", "OB", "PR", "OU"), EVIDENCE_CATEGORIES)) | {"UN": "unclassified"}

_MARK = re.compile(r"\[([^\[\]]+)\]\(([A-Z_]+)\)")
_DOC = re.compile(r"^##\s*doc:\s*(?P<id>[\w.-]+)\s*(?:\|\s*names:\s*(?P<names>[^|]*))?"
                  r"(?:\|\s*split:\s*(?P<split>dev|test)\s*)?(?:\|\s*family:\s*(?P<family>\w+)\s*)?$")
_LINE = re.compile(r"^(?P<code>[A-Z]{2})\s*\|\s*(?P<text>.+)$")


@dataclass
class LabelledSentence:
    doc: str
    index: int
    text: str
    category: str
    entities: list[dict[str, object]]

    def to_json(self) -> dict[str, object]:
        return {"doc": self.doc, "index": self.index, "text": self.text, "category": self.category,
                "entities": self.entities}


@dataclass
class LabelledDoc:
    id: str
    names: list[str]
    split: str = "dev"
    sentences: list[LabelledSentence] = field(default_factory=list)
    family: str | None = None  # the report family, where the category rules depend on it


def _unmark(marked: str, where: str) -> tuple[str, list[dict[str, object]]]:
    labels = set(entity_rules().labels)
    text, entities, pos = "", [], 0
    for m in _MARK.finditer(marked):
        text += marked[pos:m.start()]
        label = m.group(2)
        if label not in labels:
            raise InputError(f"{where}: unknown label {label!r}")
        start = len(text)
        text += m.group(1)
        entities.append({"start": start, "end": len(text), "label": label})
        pos = m.end()
    text += marked[pos:]
    if "[" in text or "](" in text:
        raise InputError(f"{where}: broken entity markup")
    return text, entities


def parse_markup(source: str, name: str = "<markup>") -> list[LabelledDoc]:
    """Parse one markup file into documents of labelled sentences."""
    docs: list[LabelledDoc] = []
    for number, raw in enumerate(source.splitlines(), 1):
        line = raw.strip()
        where = f"{name}:{number}"
        if not line or (line.startswith("#") and not line.startswith("##")):
            continue
        m = _DOC.match(line)
        if m:
            names = [n.strip() for n in (m.group("names") or "").split(";") if n.strip()]
            docs.append(LabelledDoc(m.group("id"), names, m.group("split") or "dev", family=m.group("family")))
            continue
        m = _LINE.match(line)
        if not m or m.group("code") not in CATEGORY_CODES:
            raise InputError(f"{where}: expected 'CODE | sentence' with CODE in {sorted(CATEGORY_CODES)}")
        if not docs:
            raise InputError(f"{where}: sentence before the first '## doc:' line")
        text, entities = _unmark(m.group("text"), where)
        doc = docs[-1]
        category = CATEGORY_CODES[m.group("code")]
        doc.sentences.append(LabelledSentence(doc.id, len(doc.sentences), text, category, entities))
    return docs


def source_files(folder: Path) -> list[Path]:
    return sorted((folder / "source").glob("*.txt"))


def build(folder: Path) -> str:
    """The JSONL text built from ``folder/source/*.txt`` (one sentence per line)."""
    lines = []
    seen: set[str] = set()
    for path in source_files(folder):
        for doc in parse_markup(path.read_text(encoding="utf-8"), path.name):
            if doc.id in seen:
                raise InputError(f"{path.name}: document id {doc.id!r} is used twice")
            seen.add(doc.id)
            for s in doc.sentences:
                row = s.to_json() | {"names": doc.names, "split": doc.split}
                if doc.family:
                    row["family"] = doc.family
                lines.append(json.dumps(row, ensure_ascii=False, sort_keys=True))
    return "\n".join(lines) + "\n"


def load_jsonl(path: Path) -> list[LabelledDoc]:
    """Read the built JSONL back into documents, in file order."""
    docs: dict[str, LabelledDoc] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        doc = docs.setdefault(row["doc"], LabelledDoc(row["doc"], list(row.get("names", [])),
                                                      row.get("split", "dev"), family=row.get("family")))
        for ent in row["entities"]:
            if not 0 <= ent["start"] < ent["end"] <= len(row["text"]):
                raise InputError(f"{path.name}:{number}: entity offsets outside the sentence")
        doc.sentences.append(LabelledSentence(row["doc"], row["index"], row["text"], row["category"],
                                              row["entities"]))
    return list(docs.values())


def iter_sentences(docs: Iterable[LabelledDoc]) -> Iterable[LabelledSentence]:
    for doc in docs:
        yield from doc.sentences
