"""Finding the inputs of a batch, in a deterministic order, and loading them one at a time.

An input argument is one of:

* a **file**: taken as one report, whatever its name, except ``*.jsonl`` (below);
* a **folder**: every ``*.txt``, ``*.text``, ``*.htm``, ``*.html`` and ``*.pdf`` file under it,
  recursively, in sorted path order, hidden files and folders skipped;
* a **glob** (``corpus/**/*.html``): the matches in sorted order (``**`` crosses folders);
  folders and ``*.jsonl`` files among them are expanded as above;
* a **file list** ``@paths.txt`` (``@-`` reads standard input): one path per line, relative to
  the current folder, blank lines and ``#`` comments skipped; entries are files, folders or
  globs; a listed file that has gone missing becomes a failed input, not an error of the batch;
* a **crawl** ``pages.jsonl``: one JSON object per line with ``"html"`` (or ``"text"``) and
  optionally ``"url"`` and ``"id"``; each line is one input. Its id is ``"id"``, else ``"url"``,
  else ``<file>:<line number>``.

The same file named twice (by two arguments, or a folder and a glob) is taken once. Inputs are
*counted* up front (so the progress bar knows the total), then found again and *loaded* one at a
time as the batch goes, so memory stays flat in the number of inputs. The count also notes what
the folder walks passed over (:class:`Skipped`): files of other types, and folders that could not
be listed, so that a batch can say what it left out.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from extractor.errors import InputError

__all__ = ["InputRef", "Inputs", "LoadedInput", "Skipped", "discover", "load"]

_DOCUMENT_SUFFIXES = (".txt", ".text", ".htm", ".html", ".pdf")  # in the order messages name them
DOCUMENT_SUFFIXES = frozenset(_DOCUMENT_SUFFIXES)
CRAWL_SUFFIX = ".jsonl"
_GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True)
class InputRef:
    """Where one input is: a file, or one line (``line``, at byte ``offset``) of a crawl file."""

    path: str
    line: int | None = None
    offset: int | None = None


@dataclass(frozen=True)
class LoadedInput:
    """One input's bytes with its id, origin and content hash (sha256 of ``data``)."""

    source_id: str
    path: str | None
    url: str | None
    data: bytes
    sha256: str
    media_type: str | None = None  # "text/html" or "text/plain" when the input says; else sniffed


@dataclass
class Skipped:
    """What walking the input folders passed over (hidden files and folders aside)."""

    suffixes: Counter[str] = field(default_factory=Counter)  # files of other types, by suffix
    unlisted: list[str] = field(default_factory=list)  # "folder (reason)" for each unreadable folder

    def describe(self) -> str | None:
        """One line saying what was passed over, or None when nothing was."""
        parts = []
        if self.suffixes:
            n = sum(self.suffixes.values())
            kinds = ", ".join(f"{suffix} {count}" for suffix, count in sorted(self.suffixes.items()))
            parts.append(f"{n} other file{'s' * (n != 1)} in the input folders left out ({kinds}): "
                         f"folders give only their {', '.join(_DOCUMENT_SUFFIXES[:-1])} and "
                         f"{_DOCUMENT_SUFFIXES[-1]} files")
            if CRAWL_SUFFIX in self.suffixes:
                parts.append(f"a crawl file ({CRAWL_SUFFIX}) is read when named itself")
        if self.unlisted:
            parts.append(f"could not list {len(self.unlisted)} folder{'s' * (len(self.unlisted) != 1)}: "
                         + "; ".join(self.unlisted))
        return "; ".join(parts) or None


def _walk_folder(folder: Path, skipped: Skipped | None = None) -> Iterator[Path]:
    """Report files under ``folder`` in sorted path order, one folder listing in memory at a time.

    What it passes over is noted in ``skipped``, when given.
    """
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        if skipped is not None:
            skipped.unlisted.append(f"{folder} ({exc.strerror or exc})")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            yield from _walk_folder(Path(entry.path), skipped)
        elif entry.is_file():
            suffix = os.path.splitext(entry.name)[1].lower()
            if suffix in DOCUMENT_SUFFIXES:
                yield Path(entry.path)
            elif skipped is not None:
                skipped.suffixes[suffix or "(no suffix)"] += 1


def _crawl_lines(path: Path) -> Iterator[InputRef]:
    """One ref per non-blank line of a crawl file, with its byte offset."""
    offset = 0
    with open(path, "rb") as fh:
        for number, raw in enumerate(fh, start=1):
            if raw.strip():
                yield InputRef(path=str(path), line=number, offset=offset)
            offset += len(raw)


def _list_entries(spec: str, stdin_lines: list[str] | None) -> Iterator[str]:
    name = spec[1:]
    if name == "-":
        lines: Iterable[str] = stdin_lines or []
        yield from (e for e in (line.strip() for line in lines) if e and not e.startswith("#"))
        return
    try:
        with open(name, encoding="utf-8") as fh:
            for line in fh:
                entry = line.strip()
                if entry and not entry.startswith("#"):
                    yield entry
    except OSError as exc:
        raise InputError(f"cannot read the file list {name}: {exc.strerror or exc}") from exc


def _expand(spec: str, *, listed: bool, skipped: Skipped | None = None) -> Iterator[InputRef]:
    path = Path(spec)
    if path.is_dir():
        for found in _walk_folder(path, skipped):
            yield InputRef(path=str(found))
        return
    if path.is_file():
        if path.suffix.lower() == CRAWL_SUFFIX:
            yield from _crawl_lines(path)
        else:
            yield InputRef(path=str(path))
        return
    if _GLOB_CHARS & set(spec):
        matches = sorted(glob.glob(spec, recursive=True))
        if not matches and not listed:
            raise InputError(f"no input matches {spec}")
        for match in matches:
            yield from _expand(match, listed=True, skipped=skipped)
        return
    if listed:
        # A stale entry in a list is one failed input, reported when it is loaded.
        yield InputRef(path=spec)
        return
    raise InputError(f"no such input: {spec}")


class Inputs:
    """The inputs named by some arguments, found lazily in a deterministic order, each file once.

    Iterating walks the folders, globs, lists and crawl files again; ``len()`` counts them with
    one such walk (done once), which also fills :attr:`skipped`. Nothing is held per input but a
    64-bit hash of each file's real path (to take a file named twice once), so memory stays flat
    for millions of inputs. A list read from standard input (``@-``) is the exception: it is read
    once and kept.
    """

    def __init__(self, specs: Iterable[str]) -> None:
        self.specs = list(specs)
        self._stdin: list[str] | None = None
        self._count: int | None = None
        self.skipped = Skipped()  # filled by the count
        for spec in self.specs:
            if spec == "@-":
                if self._stdin is None:
                    self._stdin = sys.stdin.read().splitlines()
            elif spec.startswith("@"):
                for _ in _list_entries(spec, None):  # fails now if the list cannot be read
                    break
            else:
                for _ in _expand(spec, listed=False):  # fails now if the argument names nothing
                    break

    def __iter__(self) -> Iterator[InputRef]:
        return self._walk(None)

    def _walk(self, skipped: Skipped | None) -> Iterator[InputRef]:
        seen: set[int] = set()
        for spec in self.specs:
            if spec.startswith("@"):
                expanded: Iterable[InputRef] = (
                    ref for entry in _list_entries(spec, self._stdin)
                    for ref in _expand(entry, listed=True, skipped=skipped)
                )
            else:
                expanded = _expand(spec, listed=False, skipped=skipped)
            for ref in expanded:
                key = hash((os.path.realpath(ref.path), ref.line))
                if key in seen:
                    continue
                seen.add(key)
                yield ref

    def __len__(self) -> int:
        if self._count is None:
            self._count = sum(1 for _ in self._walk(self.skipped))
        return self._count


def discover(specs: Iterable[str]) -> Inputs:
    """Resolve input arguments to refs, in argument order, each file once.

    Raises:
        InputError: an argument names nothing (missing path, glob without matches), or a file
            list cannot be read.
    """
    return Inputs(specs)


def _crawl_record(ref: InputRef) -> LoadedInput:
    where = f"{ref.path}:{ref.line}"
    with open(ref.path, "rb") as fh:
        fh.seek(ref.offset or 0)
        raw = fh.readline()
    try:
        obj = json.loads(raw)
    except ValueError as exc:
        raise InputError(f"line is not JSON: {exc}", source_id=where) from exc
    if not isinstance(obj, dict):
        raise InputError("line is not a JSON object", source_id=where)
    url = obj.get("url") if isinstance(obj.get("url"), str) else None
    given = obj.get("id")
    source_id = str(given) if given not in (None, "") else (url or where)
    body = obj.get("html", obj.get("text"))
    if not isinstance(body, str):
        raise InputError('line has no "html" or "text" string', source_id=source_id)
    media_type = "text/html" if isinstance(obj.get("html"), str) else "text/plain"
    data = body.encode("utf-8")
    return LoadedInput(source_id, ref.path, url, data, hashlib.sha256(data).hexdigest(), media_type)


def load(ref: InputRef) -> LoadedInput:
    """Read one input's bytes.

    Raises:
        InputError: the file cannot be read, or a crawl line is not a page object; the error's
            ``source_id`` names the input.
    """
    try:
        if ref.line is not None:
            return _crawl_record(ref)
        data = Path(ref.path).read_bytes()
    except OSError as exc:
        source_id = ref.path if ref.line is None else f"{ref.path}:{ref.line}"
        raise InputError(f"cannot read: {exc.strerror or exc}", source_id=source_id) from exc
    return LoadedInput(ref.path, ref.path, None, data, hashlib.sha256(data).hexdigest())


def ref_id(ref: InputRef) -> str:
    """The id an input is known by before it is loaded (for errors raised while loading)."""
    return ref.path if ref.line is None else f"{ref.path}:{ref.line}"
