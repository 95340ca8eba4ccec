"""``--redact-people``: person names masked in emitted text, keeping every span valid.

The mask has the same length as the name it hides, and white space inside a name is kept, so
``masked[start:end]`` still lines up with every span computed on the original text.

>>> redact_people("The registered manager, Jane Smith, told us.", [(24, 34)])
'The registered manager, \u2588\u2588\u2588\u2588 \u2588\u2588\u2588\u2588\u2588, told us.'
"""

from __future__ import annotations

import dataclasses
from typing import Iterable, TypeVar

from pydantic import BaseModel

from extractor.errors import InputError
from extractor.nlp.annotate import NlpResult
from models.record import Span

__all__ = ["redact_people", "redact_result", "redact_report", "MASK"]

MASK = "\u2588"  # FULL BLOCK

M = TypeVar("M", bound=BaseModel)


def redact_people(text: str, spans: Iterable[tuple[int, int]], *, mask: str = MASK) -> str:
    """``text`` with every non-space character inside ``spans`` replaced by ``mask``.

    Raises:
        InputError: a span lies outside the text, or ``mask`` is not one character.
    """
    if len(mask) != 1:
        raise InputError("the redaction mask must be one character, so the text keeps its length")
    chars = list(text)
    for start, end in spans:
        if not 0 <= start <= end <= len(text):
            raise InputError(f"span {start}-{end} lies outside the text (length {len(text)})")
        for i in range(start, end):
            if not chars[i].isspace():
                chars[i] = mask
    masked = "".join(chars)
    assert len(masked) == len(text)
    return masked


def _resliced(model: M, masked: str) -> M:
    """A copy of ``model`` whose spans and entity texts are read again from ``masked``."""
    updates: dict[str, object] = {}
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, Span):
            updates[name] = value.model_copy(update={"text": masked[value.start:value.end]})
        elif isinstance(value, BaseModel):
            updates[name] = _resliced(value, masked)
        elif isinstance(value, list) and value and isinstance(value[0], BaseModel):
            updates[name] = [_resliced(v, masked) for v in value]
    span = updates.get("span")
    if "text" in type(model).model_fields and isinstance(span, Span):
        updates["text"] = span.text
    return model.model_copy(update=updates)


def redact_result(result: NlpResult, masked: str) -> NlpResult:
    """``result`` with every span text (and entity text) taken from the masked canonical text."""
    texts = []
    for t in result.texts:
        texts.append(dataclasses.replace(
            t,
            text=masked[t.offset:t.offset + len(t.text)],
            sentences=[_resliced(s, masked) for s in t.sentences],
            entities=[_resliced(e, masked) for e in t.entities],
            quantities=[_resliced(q, masked) for q in t.quantities],
            dates=[_resliced(d, masked) for d in t.dates],
        ))
    info = result.info.model_copy(update={"redacted_people": True})
    abbreviations = [_resliced(a, masked) for a in result.abbreviations]
    return dataclasses.replace(result, texts=texts, abbreviations=abbreviations, info=info)


def _replace_strings(value: object, names: dict[str, str]) -> object:
    if isinstance(value, str):
        for name, mask in names.items():
            value = value.replace(name, mask)
        return value
    if isinstance(value, Span):
        return value
    if isinstance(value, BaseModel):
        return value.model_copy(update={f: _replace_strings(getattr(value, f), names)
                                        for f in type(value).model_fields})
    if isinstance(value, list):
        return [_replace_strings(v, names) for v in value]
    return value


def redact_report(report: M, text: str, spans: Iterable[tuple[int, int]]) -> M:
    """A record with person names masked: span texts are read again from the masked canonical
    text, and any other string that quotes a masked name (a cue, a value) is masked too."""
    spans = list(spans)
    masked = redact_people(text, spans)
    names = {text[s:e]: masked[s:e] for s, e in spans if text[s:e].strip()}
    names = dict(sorted(names.items(), key=lambda kv: -len(kv[0])))
    return _replace_strings(_resliced(report, masked), names)  # type: ignore[return-value]
