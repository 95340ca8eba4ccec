"""JSON Lines files that survive ``kill -9``: whole-line appends and torn-tail repair.

A batch may be killed at any moment. Each line is written with one ``os.write`` call on an
unbuffered file descriptor opened with ``O_APPEND``, so a line is either in the file or not;
a process killed in the middle of that call can at worst leave an unterminated tail, which
:func:`repair_tail` drops before a resumed run appends to the file. No ``fsync`` is done: a
killed *process* loses nothing the kernel has accepted (a power cut is another matter).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["LineWriter", "repair_tail", "iter_json_lines", "dumps_line"]


def dumps_line(obj: Any) -> str:
    """One JSON object as a line of compact, key-ordered JSON (no newline)."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def repair_tail(path: str | Path) -> int:
    """Cut an unterminated last line off ``path``; return how many bytes were dropped.

    A missing or empty file is left alone (0 bytes dropped).
    """
    p = Path(path)
    if not p.exists():
        return 0
    size = p.stat().st_size
    if size == 0:
        return 0
    with open(p, "rb+") as fh:
        # Walk back in blocks to the last newline; a torn tail is at most one line long.
        block = 65536
        pos = size
        keep = 0
        while pos > 0:
            start = max(0, pos - block)
            fh.seek(start)
            chunk = fh.read(pos - start)
            nl = chunk.rfind(b"\n")
            if nl >= 0:
                keep = start + nl + 1
                break
            pos = start
        if keep == size:
            return 0
        fh.truncate(keep)
        return size - keep


def iter_json_lines(path: str | Path) -> Iterator[tuple[int, dict[str, Any] | None]]:
    """Yield ``(line_number, object)`` for each non-empty line; ``None`` for a line that is not
    a JSON object. An unterminated last line is skipped: it is a torn write, not data."""
    with open(path, "rb") as fh:
        for number, raw in enumerate(fh, start=1):
            if not raw.endswith(b"\n"):
                return
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw)
            except ValueError:
                yield number, None
                continue
            yield number, obj if isinstance(obj, dict) else None


class LineWriter:
    """Append whole lines to a file, one ``write`` system call per line.

    Args:
        path: the file; created if missing.
        append: keep what is there (after :func:`repair_tail`) instead of truncating.
    """

    def __init__(self, path: str | Path, *, append: bool = False) -> None:
        self.path = Path(path)
        if append:
            repair_tail(self.path)
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | (0 if append else os.O_TRUNC)
        self._fd: int | None = os.open(self.path, flags, 0o644)
        self.lines = 0

    def write_line(self, line: str) -> None:
        """Write ``line`` (no newline in it) plus a newline as a single write."""
        if self._fd is None:
            raise ValueError(f"{self.path} is closed")
        data = (line + "\n").encode("utf-8")
        view = memoryview(data)
        # A regular file takes the whole buffer in one call; loop only for the rare short write.
        while view:
            written = os.write(self._fd, view)
            view = view[written:]
        self.lines += 1

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> "LineWriter":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
