"""Writing a JSONL file of records as normalised tables: SQLite, Parquet or CSV.

Records are read one line at a time, validated against :class:`models.Report`, flattened by
:func:`extractor.tables.report_rows` and written in batches, so memory stays flat in the number
of records. The tables and keys are declared in ``extractor/data/tables.yaml``.

* **SQLite** (the default): one database file with primary and foreign keys (checked with
  ``PRAGMA foreign_key_check`` before the file is put in place).
* **Parquet**: a folder with one ``<table>.parquet`` per table, typed by the same declaration.
* **CSV**: a folder with one ``<table>.csv`` per table (UTF-8, header row, empty for null,
  ``true``/``false`` for booleans).

Each export is written to a temporary name beside ``dest`` and renamed into place at the end,
so an interrupted export leaves no half-written database. A record whose ``report_id`` (content
hash) was already exported is skipped and counted: the same page saved twice is one report.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from pydantic import ValidationError

from extractor.errors import InputError
from extractor.tables import TABLE_NAMES, Table, report_rows, table_specs
from models import SCHEMA_VERSION, Report

__all__ = ["ExportSummary", "export_jsonl", "read_records", "FORMATS"]

Format = Literal["sqlite", "parquet", "csv"]
FORMATS: tuple[str, ...] = ("sqlite", "parquet", "csv")
_BATCH = 500  # records per write batch

Row = dict[str, Any]


@dataclass
class ExportSummary:
    """What an export wrote: records read and written, duplicates skipped, rows per table."""

    records: int = 0
    duplicates: int = 0
    rows: dict[str, int] = field(default_factory=lambda: {t: 0 for t in TABLE_NAMES})


def read_records(path: str | Path, *, read: Callable[[int], None] | None = None) -> Iterator[tuple[int, Report]]:
    """Yield ``(line_number, record)`` for each line of a records JSONL file.

    An unterminated last line (a write cut short by a kill) is ignored. ``read``, when given, is
    told the length in bytes of every line as it is read (for a progress bar).

    Raises:
        InputError: the file cannot be read, or a line is not a valid record.
    """
    try:
        fh = open(path, "rb")
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", source_id=str(path)) from exc
    with fh:
        for number, raw in enumerate(fh, start=1):
            if read is not None:
                read(len(raw))
            if not raw.endswith(b"\n") or not raw.strip():
                continue
            try:
                yield number, Report.model_validate_json(raw)
            except ValidationError as exc:
                if _is_failure_line(raw):
                    raise InputError(f"line {number} is a failure line of a batch error file, not a "
                                     "record: export the records file (batch -o)",
                                     source_id=str(path)) from None
                raise InputError(f"line {number} is not a record: {_why(raw, exc)}",
                                 source_id=str(path)) from None


def _why(raw: bytes, exc: ValidationError) -> str:
    """Why a line is not a record, in one line: where it stops being JSON, or the first field
    that is wrong (and the schema version it claims when it is not this version's)."""
    try:
        obj = json.loads(raw)
    except ValueError as bad:
        what = bad.msg.lower().removesuffix(" at") if isinstance(bad, json.JSONDecodeError) else str(bad)
        return f"not JSON ({what} at character {getattr(bad, 'pos', 0) + 1})"
    first = exc.errors()[0]
    where = ".".join(str(x) for x in first["loc"])
    why = f"{where}: {first['msg']}" if where else first["msg"]
    version = obj.get("schema_version") if isinstance(obj, dict) else None
    if isinstance(version, str) and version != SCHEMA_VERSION:
        why += f" (a record of schema {version}; this version reads {SCHEMA_VERSION})"
    return why


def _is_failure_line(raw: bytes) -> bool:
    """Whether a line is one of ``batch``'s failure lines (it has their keys, not a record's)."""
    try:
        obj = json.loads(raw)
    except ValueError:
        return False
    return isinstance(obj, dict) and {"error_type", "message", "id"} <= obj.keys() and "source" not in obj


class _Sink(Protocol):
    def write(self, table: Table, rows: list[Row]) -> None: ...
    def commit(self) -> None: ...
    def abort(self) -> None: ...


def _sql_type(kind: str) -> str:
    return {"text": "TEXT", "integer": "INTEGER", "real": "REAL", "boolean": "INTEGER"}[kind]


def create_table_sql(spec: Table) -> str:
    """The ``CREATE TABLE`` statement of one declared table."""
    cols = [f'"{name}" {_sql_type(kind)}' + (" NOT NULL" if name in spec.primary_key else "")
            for name, kind in spec.columns]
    cols.append("PRIMARY KEY (" + ", ".join(f'"{c}"' for c in spec.primary_key) + ")")
    for fk in spec.foreign_keys:
        cols.append("FOREIGN KEY (" + ", ".join(f'"{c}"' for c in fk.columns) + f') REFERENCES "{fk.table}" ('
                    + ", ".join(f'"{c}"' for c in fk.references) + ")")
    return f'CREATE TABLE "{spec.name}" (\n  ' + ",\n  ".join(cols) + "\n)"


class _SqliteSink:
    def __init__(self, dest: Path, specs: dict[str, Table]) -> None:
        self.dest = dest
        self.tmp = dest.with_name(f".{dest.name}.tmp")
        self.tmp.unlink(missing_ok=True)
        self.conn = sqlite3.connect(self.tmp)
        self.conn.execute("PRAGMA journal_mode = OFF")
        self.conn.execute("PRAGMA synchronous = OFF")
        for spec in specs.values():
            self.conn.execute(create_table_sql(spec))
        for spec in specs.values():
            for fk in spec.foreign_keys:
                # Index the referencing columns so joins and FK checks stay fast.
                name = f"ix_{spec.name}_{'_'.join(fk.columns)}"
                self.conn.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "{spec.name}" ('
                                  + ", ".join(f'"{c}"' for c in fk.columns) + ")")
        self.inserts = {
            s.name: f'INSERT INTO "{s.name}" VALUES (' + ", ".join("?" * len(s.columns)) + ")"
            for s in specs.values()
        }

    def write(self, table: Table, rows: list[Row]) -> None:
        names = table.column_names
        self.conn.executemany(self.inserts[table.name], [tuple(r[c] for c in names) for r in rows])

    def commit(self) -> None:
        self.conn.commit()
        bad = self.conn.execute("PRAGMA foreign_key_check").fetchmany(3)
        self.conn.close()
        if bad:
            self.tmp.unlink(missing_ok=True)
            raise InputError(f"foreign keys do not hold in the export: {bad}")
        os.replace(self.tmp, self.dest)

    def abort(self) -> None:
        self.conn.close()
        self.tmp.unlink(missing_ok=True)


class _FolderSink:
    """Shared by Parquet and CSV: one file per table in a temporary folder, renamed at the end."""

    suffix = ""

    def __init__(self, dest: Path, specs: dict[str, Table]) -> None:
        self.dest = dest
        self.tmp = dest.with_name(f".{dest.name}.tmp")
        shutil.rmtree(self.tmp, ignore_errors=True)
        self.tmp.mkdir(parents=True)
        self.specs = specs

    def commit(self) -> None:
        self.close_files()
        self.dest.mkdir(parents=True, exist_ok=True)
        for spec in self.specs.values():
            name = spec.name + self.suffix
            os.replace(self.tmp / name, self.dest / name)
        self.tmp.rmdir()

    def abort(self) -> None:
        self.close_files()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def close_files(self) -> None:
        raise NotImplementedError


class _CsvSink(_FolderSink):
    suffix = ".csv"

    def __init__(self, dest: Path, specs: dict[str, Table]) -> None:
        super().__init__(dest, specs)
        self.files = {}
        self.writers = {}
        for spec in specs.values():
            fh = open(self.tmp / (spec.name + self.suffix), "w", encoding="utf-8", newline="")
            self.files[spec.name] = fh
            self.writers[spec.name] = csv.writer(fh)
            self.writers[spec.name].writerow(spec.column_names)

    @staticmethod
    def _cell(value: Any) -> Any:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        return value

    def write(self, table: Table, rows: list[Row]) -> None:
        names = table.column_names
        self.writers[table.name].writerows([[self._cell(r[c]) for c in names] for r in rows])

    def close_files(self) -> None:
        for fh in self.files.values():
            fh.close()


class _ParquetSink(_FolderSink):
    suffix = ".parquet"

    def __init__(self, dest: Path, specs: dict[str, Table]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        super().__init__(dest, specs)
        types = {"text": pa.string(), "integer": pa.int64(), "real": pa.float64(),
                 "boolean": pa.bool_()}
        self.pa = pa
        self.schemas = {s.name: pa.schema([(c, types[k]) for c, k in s.columns]) for s in specs.values()}
        self.writers = {
            s.name: pq.ParquetWriter(self.tmp / (s.name + self.suffix), self.schemas[s.name])
            for s in specs.values()
        }

    def write(self, table: Table, rows: list[Row]) -> None:
        if rows:
            batch = self.pa.Table.from_pylist(rows, schema=self.schemas[table.name])
            self.writers[table.name].write_table(batch)

    def close_files(self) -> None:
        for writer in self.writers.values():
            writer.close()


_SINKS: dict[str, Callable[[Path, dict[str, Table]], _Sink]] = {
    "sqlite": _SqliteSink, "csv": _CsvSink, "parquet": _ParquetSink}


def _clear(dest: Path, fmt: str, specs: dict[str, Table]) -> None:
    if fmt == "sqlite":
        dest.unlink(missing_ok=True)
        return
    for spec in specs.values():
        (dest / f"{spec.name}.{fmt}").unlink(missing_ok=True)


def _check_dest(dest: Path, fmt: str, replace: bool, specs: dict[str, Table]) -> None:
    if fmt == "sqlite":
        if dest.is_dir():
            raise InputError(f"{dest} is a folder; SQLite export writes one file")
        exists = dest.exists()
    else:
        if dest.exists() and not dest.is_dir():
            raise InputError(f"{dest} is a file; {fmt} export writes a folder of tables")
        exists = any((dest / f"{s.name}.{fmt}").exists() for s in specs.values())
    if exists and not replace:
        raise InputError(f"{dest} already holds an export (use --replace to overwrite it)")


def export_jsonl(source: str | Path, dest: str | Path, fmt: str = "sqlite", *,
                 replace: bool = False, read: Callable[[int], None] | None = None) -> ExportSummary:
    """Export the records of a JSONL file to normalised tables.

    Args:
        source: a JSONL file of records (as written by ``cqc-extract batch``).
        dest: the SQLite file, or the folder of Parquet or CSV files.
        fmt: ``sqlite``, ``parquet`` or ``csv``.
        replace: overwrite an existing export at ``dest``.
        read: told the length in bytes of each line of ``source`` as it is read (for progress).

    Raises:
        InputError: the source cannot be read or holds a line that is not a record, or ``dest``
            holds an export and ``replace`` is false, or cannot be written.
    """
    if fmt not in _SINKS:
        raise InputError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")
    specs = table_specs()
    dest = Path(dest)
    _check_dest(dest, fmt, replace, specs)
    if not Path(source).is_file():
        raise InputError("no such records file", source_id=str(source))
    summary = ExportSummary()
    seen: set[str] = set()
    pending: dict[str, list[Row]] = {t: [] for t in TABLE_NAMES}
    try:
        sink: _Sink = _SINKS[fmt](dest, specs)
    except (OSError, sqlite3.Error) as exc:
        raise _unwritable(dest, exc) from None

    def flush() -> None:
        for name in TABLE_NAMES:
            if pending[name]:
                sink.write(specs[name], pending[name])
                summary.rows[name] += len(pending[name])
                pending[name] = []

    try:
        batched = 0
        for _, record in read_records(source, read=read):
            rid = record.source.sha256
            if rid in seen:
                summary.duplicates += 1
                continue
            seen.add(rid)
            for name, rows in report_rows(record, rid).items():
                pending[name].extend(rows)
            summary.records += 1
            batched += 1
            if batched >= _BATCH:
                flush()
                batched = 0
        flush()
        if replace:
            _clear(dest, fmt, specs)
        sink.commit()
    except (OSError, sqlite3.Error) as exc:  # the destination, not the records: those raise InputError
        sink.abort()
        raise _unwritable(dest, exc) from None
    except BaseException:
        sink.abort()
        raise
    return summary


def _unwritable(dest: Path, exc: OSError | sqlite3.Error) -> InputError:
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return InputError(f"cannot write the export: {reason}", source_id=str(dest))
