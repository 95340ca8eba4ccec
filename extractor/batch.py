"""Batch conversion: many inputs to a JSONL file of records and a JSONL file of failures.

Guarantees
----------
* **Lossless accounting**: every input ends as exactly one line, a record in ``out`` or a
  failure in ``errors``; the summary checks ``inputs == records + failures``.
* **Deterministic order**: lines are written in input order whatever the number of workers, so
  a batch gives the same bytes with ``jobs=1``, ``jobs=8`` or a Dask cluster.
* **Kill-safe, resumable**: each line is one ``write`` (see :mod:`extractor.jsonl`). With
  ``resume=True`` a torn last line is dropped and the inputs already in ``out`` or ``errors``
  are skipped, matched by content hash (``source.sha256`` of a record, ``sha256`` of a failure)
  and counted as a multiset, so two inputs with the same bytes are both accounted for. A run
  resumed after ``kill -9`` ends with the same files as an uninterrupted run. A records file
  made with other options (NER on or off, names masked) or by another schema version is not
  carried on: the records would not be alike.
* **Flat memory**: inputs are loaded lazily and at most a few chunks per worker are in flight.

The per-document function :func:`process` is pure and picklable; the executors (in-process,
a process pool, or Dask distributed) only decide where it runs.
"""

from __future__ import annotations

import gc
import json
import math
import os
import re
import time
import traceback
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extractor.errors import CQCExtractError, InputError
from extractor.executors import Executor, make_executor
from extractor.inputs import InputRef, Inputs, LoadedInput, load, ref_id
from extractor.jsonl import LineWriter, dumps_line, iter_json_lines, repair_tail
from extractor.pipeline import ExtractOptions, extract_bytes, nlp_flags
from models import SCHEMA_VERSION

_GC_YOUNG = 20_000  # allocations between young-generation collections in a worker

__all__ = ["Outcome", "BatchSummary", "process", "process_chunk", "run_batch", "default_errors_path"]


@dataclass(frozen=True)
class Task:
    """One loaded input, as sent to a worker."""

    index: int
    source_id: str
    path: str | None
    url: str | None
    data: bytes
    sha256: str


@dataclass(frozen=True)
class Outcome:
    """The result of one input: a record line or a failure line (both JSON, no newline)."""

    index: int
    sha256: str | None
    record: str | None = None
    failure: str | None = None
    internal: bool = False
    kind: str | None = None  # a record's document_kind, or a failure's error type


def failure_line(*, source_id: str | None, path: str | None, url: str | None, sha256: str | None,
                 exc: BaseException) -> tuple[str, bool]:
    """The error-file line of a failed input, and whether the failure is internal (a defect)."""
    internal = not isinstance(exc, CQCExtractError)
    message = exc.message if isinstance(exc, CQCExtractError) else str(exc)
    obj: dict[str, Any] = {
        "id": source_id, "path": path, "url": url, "sha256": sha256,
        "error_type": type(exc).__name__, "message": message, "internal": internal,
    }
    if internal:
        frame = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
        obj["where"] = f"{Path(frame[0].filename).name}:{frame[0].lineno}" if frame else None
    return dumps_line(obj), internal


def process(task: Task, options: ExtractOptions) -> Outcome:
    """Run the pipeline on one input; never raises for a bad input or a pipeline defect."""
    try:
        report = extract_bytes(task.data, source_id=task.source_id, path=task.path, url=task.url,
                               options=options)
        return Outcome(task.index, task.sha256, record=report.model_dump_json(), kind=report.document_kind)
    except Exception as exc:  # a failed input must not stop the batch
        line, internal = failure_line(source_id=task.source_id, path=task.path, url=task.url,
                                      sha256=task.sha256, exc=exc)
        return Outcome(task.index, task.sha256, failure=line, internal=internal, kind=type(exc).__name__)


def process_chunk(tasks: Sequence[Task], options: ExtractOptions) -> list[Outcome]:
    """:func:`process` over a chunk of inputs (the unit of work sent to a worker).

    A document leaves tens of thousands of short-lived objects, nearly all freed by reference
    counting: a young-generation collection every 700 allocations (Python's default) walks them
    for nothing, about 5% of the rules-only time. For the chunk, it runs every ``_GC_YOUNG``
    allocations instead; cycles are still collected.
    """
    young, *older = gc.get_threshold()
    gc.set_threshold(max(young, _GC_YOUNG), *older)
    try:
        return [process(t, options) for t in tasks]
    finally:
        gc.set_threshold(young, *older)


def warm_up(options: ExtractOptions, *, freeze: bool = True) -> None:
    """Load what the pipeline loads lazily (taxonomy, spaCy model) once, in this process (a
    worker, or with ``freeze=False`` the batch's own process when it runs with one job).

    BLAS is held to one thread: workers run one per core, and BLAS threads on top of them
    oversubscribe the cores.
    """
    from threadpoolctl import threadpool_limits

    from extractor.synth import page

    threadpool_limits(limits=1)

    process(Task(-1, "warm-up", None, None, page(0, 0).text.encode("utf-8"), ""), options)
    # In a worker, what is loaded now (model, taxonomy, compiled rules) lives as long as the
    # process: frozen, the garbage collector stops walking it again in every full collection.
    # (Not in a caller's own process, whose objects are not ours to pin.)
    if freeze:
        gc.collect()
        gc.freeze()


@dataclass
class BatchSummary:
    """Accounting of a batch over all its inputs (including those done by an earlier run)."""

    inputs: int = 0
    records: int = 0
    failures: int = 0
    internal_failures: int = 0
    resumed_records: int = 0
    resumed_failures: int = 0
    unmatched_lines: int = 0
    seconds: float = 0.0
    new: int = 0
    kinds: Counter[str] = field(default_factory=Counter)  # records of this run by document kind
    error_types: Counter[str] = field(default_factory=Counter)  # failures of this run by error type

    @property
    def balanced(self) -> bool:
        return self.inputs == self.records + self.failures

    def text(self) -> str:
        line = (f"inputs: {self.inputs} = records: {self.records} + failures: {self.failures}"
                f" ({'balanced' if self.balanced else 'NOT BALANCED'})")
        if self.resumed_records or self.resumed_failures:
            line += (f"; {self.resumed_records} records and {self.resumed_failures} failures "
                     "were already done")
        if self.new and self.seconds > 0:
            line += f"; {self.new} processed in {self.seconds:.1f} s ({self.new / self.seconds:.1f}/s)"
        return line

    def breakdown(self) -> str | None:
        """This run's records by document kind and failures by error type, or None when empty."""
        parts = []
        if self.kinds:
            parts.append("records by kind: " + ", ".join(f"{k} {n}" for k, n in sorted(self.kinds.items())))
        if self.error_types:
            parts.append("failures by type: " + ", ".join(f"{k} {n}" for k, n in sorted(self.error_types.items())))
        return "; ".join(parts) or None


def default_errors_path(out: str | Path) -> Path:
    """``OUT.jsonl`` -> ``OUT.errors.jsonl`` beside it."""
    p = Path(out)
    stem = p.name[: -len(".jsonl")] if p.name.endswith(".jsonl") else p.name
    return p.with_name(stem + ".errors.jsonl")


def failure_key(obj: dict[str, Any]) -> str | None:
    """The resume key of a failure line: its content hash, or its id if it was never loaded."""
    sha = obj.get("sha256")
    if isinstance(sha, str) and sha:
        return sha
    return f"id:{obj['id']}" if obj.get("id") else None


# The first "sha256" key of a record line is source.sha256 (source precedes every other object
# with such a key, and a quote inside a JSON string is escaped, so no value can fake the key).
_SOURCE_SHA = re.compile(rb'"sha256":"([0-9a-f]{64})"')


# A record's schema version is its first key, and its "nlp" block (no other object has that
# key) says how the run that made it was set; read as the hash is, without parsing the record.
_SCHEMA = re.compile(rb'\{"schema_version":"([^"\\]*)"')
_NLP = re.compile(rb'"nlp":\{"enabled":(true|false),"rules":(true|false),[^{}]*"redacted_people":(true|false)\}')


def _record_lines(path: Path) -> Iterator[tuple[int, dict[str, Any] | None]]:
    """Like :func:`iter_json_lines` for a records file, reading only each line's source hash,
    schema version and NLP flags (records are tens of kilobytes; a resume over a million of them
    must not parse them all)."""
    with open(path, "rb") as fh:
        for number, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            whole = raw.startswith(b"{") and raw.rstrip().endswith(b"}")
            found = _SOURCE_SHA.search(raw) if whole else None
            schema = _SCHEMA.match(raw) if found else None
            nlp = _NLP.match(raw, max(raw.rfind(b'"nlp":{'), 0)) if schema else None
            if found and schema and nlp:
                enabled, rules, redacted = (flag == b"true" for flag in nlp.groups())
                yield number, {"schema_version": schema.group(1).decode(),
                               "source": {"sha256": found.group(1).decode()},
                               "nlp": {"enabled": enabled, "rules": rules, "redacted_people": redacted}}
                continue
            try:
                obj = json.loads(raw)
            except ValueError:
                obj = None
            yield number, obj if isinstance(obj, dict) else None


def _describe(flags: tuple[bool, bool, bool]) -> str:
    enabled, rules, redacted = flags
    if not rules:
        return "structure rules only (--no-nlp)"
    if not enabled:
        return "rules without NER (--no-ner)"
    return "rules and NER" + (", people's names masked (--redact-people)" if redacted else "")


def _check_alike(obj: dict[str, Any], number: int, path: Path, options: ExtractOptions) -> None:
    """Refuse to carry on a records file whose records another version or other options made."""
    version = obj.get("schema_version")
    if version != SCHEMA_VERSION:
        raise InputError(f"line {number} is a record of schema {version}, and this version writes "
                         f"{SCHEMA_VERSION}; cannot resume: write to a new file", source_id=str(path))
    given = obj.get("nlp")
    nlp: dict[str, Any] = given if isinstance(given, dict) else {}
    found = (bool(nlp.get("enabled")), bool(nlp.get("rules")), bool(nlp.get("redacted_people")))
    wanted = nlp_flags(options)
    if found != wanted:
        raise InputError(f"line {number} is a record made with {_describe(found)}, and this run makes "
                         f"{_describe(wanted)}; cannot resume: give the first run's options, or write to "
                         "a new file", source_id=str(path))


def _done_hashes(out: Path, errors: Path,
                 options: ExtractOptions) -> tuple[Counter[str], Counter[str], Counter[str]]:
    """Resume keys already in the output and error files (torn tails dropped first): records,
    failures, and failures that were internal errors.

    Raises:
        InputError: a line is not JSON, or a record was made by another schema version or with
            other options than ``options``.
    """
    records: Counter[str] = Counter()
    failures: Counter[str] = Counter()
    internal: Counter[str] = Counter()
    for path in (out, errors):
        if not path.exists():
            continue
        repair_tail(path)
        lines = _record_lines(path) if path == out else iter_json_lines(path)
        for number, obj in lines:
            if obj is None:
                raise InputError(f"line {number} is not JSON; cannot resume", source_id=str(path))
            if path == out:
                _check_alike(obj, number, path, options)
                sha = (obj.get("source") or {}).get("sha256")
                if isinstance(sha, str) and sha:
                    records[sha] += 1
                continue
            key = failure_key(obj)
            if key:
                failures[key] += 1
                internal[key] += int(bool(obj.get("internal")))
    return records, failures, internal


class _Progress:
    """A tqdm bar on a terminal; otherwise a plain log line every ``interval`` seconds."""

    def __init__(self, total: int, *, enabled: bool, tty: bool, log: Callable[[str], None],
                 interval: float = 10.0) -> None:
        self.total, self.enabled, self.log, self.interval = total, enabled, log, interval
        self.done = 0
        self.failed = 0
        self.start = self.last = time.monotonic()
        self.bar = None
        if enabled and tty:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="doc", dynamic_ncols=True, smoothing=0.1)
            self.bar.set_postfix(failed=0)

    def update(self, n: int, failed: int) -> None:
        self.done += n
        self.failed += failed
        if not self.enabled:
            return
        if self.bar is not None:
            self.bar.update(n)
            if failed:
                self.bar.set_postfix(failed=self.failed, refresh=False)
            return
        now = time.monotonic()
        if now - self.last >= self.interval:
            self.last = now
            self.log(self._line(now))

    def _line(self, now: float) -> str:
        elapsed = max(now - self.start, 1e-9)
        rate = self.done / elapsed
        eta = (self.total - self.done) / rate if rate > 0 else math.inf
        pct = 100.0 * self.done / self.total if self.total else 100.0
        eta_text = f"{eta:.0f} s" if math.isfinite(eta) else "?"
        return (f"batch: {self.done}/{self.total} ({pct:.1f}%), {rate:.1f} docs/s, "
                f"{self.failed} failed, ETA {eta_text}")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


class _InFlight:
    """Chunks submitted and not yet written, in input order, with recovery from dead workers.

    When a chunk's future fails (a worker was killed, the cluster lost it), the executor is
    restarted, the lost chunks are submitted again, and the failed chunk's inputs are retried
    one at a time; an input whose retry fails too is written as an internal failure
    (``WorkerDied``), so one input that kills its worker cannot stop the batch.
    """

    def __init__(self, start: Callable[[], Executor], log: Callable[[str], None]) -> None:
        self.start, self.log = start, log
        self._executor: Executor | None = None
        self.entries: deque[Outcome | tuple[list[Task], Any]] = deque()

    @property
    def executor(self) -> Executor:
        if self._executor is None:
            self._executor = self.start()
        return self._executor

    def close(self) -> None:
        if self._executor is not None:
            self._executor.close()

    def __len__(self) -> int:
        return len(self.entries)

    def add(self, item: list[Task] | Outcome) -> None:
        self.entries.append(item if isinstance(item, Outcome) else (item, self.executor.submit(item)))

    def pop(self) -> list[Outcome]:
        head = self.entries.popleft()
        if isinstance(head, Outcome):
            return [head]
        chunk, fut = head
        try:
            return self.executor.result(fut)
        except Exception as exc:  # the worker, not the input: process() never raises
            self.log(f"batch: a worker failed ({type(exc).__name__}: {exc}); retrying "
                     f"{len(chunk)} inputs one at a time")
            self._restart()
            return [self._retry(task) for task in chunk]

    def _restart(self) -> None:
        if not self.executor.restart():
            return
        for i, entry in enumerate(self.entries):
            if isinstance(entry, Outcome):
                continue
            chunk, fut = entry
            if not (fut.done() and not fut.cancelled() and fut.exception() is None):
                self.entries[i] = (chunk, self.executor.submit(chunk))

    def _retry(self, task: Task) -> Outcome:
        try:
            [outcome] = self.executor.result(self.executor.submit([task]))
            return outcome
        except Exception as exc:
            self._restart()
            obj = {"id": task.source_id, "path": task.path, "url": task.url, "sha256": task.sha256,
                   "error_type": "WorkerDied", "internal": True,
                   "message": f"the worker died while extracting this input ({type(exc).__name__}: {exc})"}
            return Outcome(task.index, task.sha256, failure=dumps_line(obj), internal=True, kind="WorkerDied")


def auto_chunksize(total: int, jobs: int, *, ner: bool = False) -> int:
    """Inputs per chunk: 8 (2 with NER), or fewer when a small batch would leave workers idle.

    A fixed size (not one growing with the batch) keeps the memory in flight, a few chunks per
    worker of inputs and records, the same for 1,000 inputs as for 1,000,000. Without NER, 8
    pages of work (tens of milliseconds) make the cost of sending a chunk negligible. With NER a
    page takes a tenth of a second or more, so 2 pages already do; smaller chunks then keep the
    workers evenly busy to the end (the last chunk of a batch runs alone while the other workers
    wait).
    """
    return max(1, min(2 if ner else 8, total // max(1, jobs * 4)))


def _work(refs: Iterable[InputRef], done: Counter[str], summary: BatchSummary) -> Iterator[Task | Outcome]:
    """Load inputs in order; yield a task, or an outcome for an input that cannot be loaded.
    Inputs already done (by resume key) are consumed from ``done`` and yield nothing."""
    for index, ref in enumerate(refs):
        summary.inputs += 1
        try:
            item: LoadedInput = load(ref)
        except CQCExtractError as exc:
            source_id = exc.source_id or ref_id(ref)
            if done[f"id:{source_id}"] > 0:
                done[f"id:{source_id}"] -= 1
                continue
            line, internal = failure_line(source_id=source_id, path=ref.path, url=None,
                                          sha256=None, exc=exc)
            yield Outcome(index, None, failure=line, internal=internal, kind=type(exc).__name__)
            continue
        if done[item.sha256] > 0:
            done[item.sha256] -= 1
            continue
        yield Task(index, item.source_id, item.path, item.url, item.data, item.sha256)


def _chunks(items: Iterable[Task | Outcome], size: int) -> Iterator[list[Task] | Outcome]:
    """Group consecutive tasks into chunks; outcomes (load failures) pass through in order."""
    chunk: list[Task] = []
    for item in items:
        if isinstance(item, Outcome):
            if chunk:
                yield chunk
                chunk = []
            yield item
        else:
            chunk.append(item)
            if len(chunk) >= size:
                yield chunk
                chunk = []
    if chunk:
        yield chunk


def run_batch(refs: Inputs | Sequence[InputRef], out: str | Path, *, errors: str | Path | None = None,
              jobs: int = 1, options: ExtractOptions | None = None, resume: bool = False,
              scheduler: Any = None, chunksize: int | None = None, progress: bool = False,
              tty: bool = False, log: Callable[[str], None] = print) -> BatchSummary:
    """Process ``refs`` into ``out`` (records) and ``errors`` (failures), in input order.

    Args:
        refs: the inputs (see :func:`extractor.inputs.discover`), in order.
        out: the records JSONL file; truncated unless ``resume``.
        errors: the failures JSONL file (default: :func:`default_errors_path` of ``out``).
        jobs: worker processes; 1 runs in this process.
        options: pipeline options.
        resume: keep ``out`` and ``errors`` and skip the inputs they already account for.
        scheduler: run on Dask instead of a process pool: ``"local"`` (a LocalCluster of
            ``jobs`` workers), a scheduler address ``"tcp://host:port"``, or a
            ``distributed.Client``.
        chunksize: inputs per unit of work (default: :func:`auto_chunksize`).
        progress: show progress (a bar if ``tty``, else a log line every 10 s).
        log: where progress lines go.

    Raises:
        InputError: ``resume`` and an existing file holds a line that is not JSON, or a record
            made by another schema version or with other options.
    """
    options = options or ExtractOptions()
    out = Path(out)
    errors = Path(errors) if errors is not None else default_errors_path(out)
    total = len(refs)  # for the progress bar; the summary counts the inputs as they come
    jobs = max(1, min(jobs, total))  # no idle workers loading a model for nothing
    summary = BatchSummary()
    if resume:
        rec_done, fail_done, internal_done = _done_hashes(out, errors, options)
    else:
        rec_done, fail_done, internal_done = Counter(), Counter(), Counter()
    done = rec_done + fail_done
    size = chunksize or auto_chunksize(total, jobs, ner=options.ner and options.nlp)
    window = max(2, jobs * 4)  # chunks in flight: enough to keep workers busy, bounded memory
    for path in (out, errors):
        _make_folder(path)
    bar = _Progress(total, enabled=progress, tty=tty, log=log)
    started = time.monotonic()
    with LineWriter(out, append=resume) as out_w, LineWriter(errors, append=resume) as err_w:
        # Workers start with the first chunk: a resumed batch with nothing left loads no model.
        flight = _InFlight(lambda: make_executor(process_chunk, options, jobs=jobs,
                                                 scheduler=scheduler, warm=warm_up), log)

        def write(outcomes: list[Outcome]) -> None:
            failed = 0
            for o in outcomes:
                if o.record is not None:
                    out_w.write_line(o.record)
                    summary.records += 1
                    summary.kinds[o.kind or "unknown"] += 1
                else:
                    err_w.write_line(o.failure or "")
                    summary.failures += 1
                    summary.error_types[o.kind or "unknown"] += 1
                    summary.internal_failures += int(o.internal)
                    failed += 1
            summary.new += len(outcomes)
            bar.update(len(outcomes), failed)

        try:
            for item in _chunks(_work(refs, done, summary), size):
                flight.add(item)
                while len(flight) > window:
                    write(flight.pop())
            while len(flight):
                write(flight.pop())
        finally:
            flight.close()
            bar.close()
    summary.seconds = time.monotonic() - started
    # What an earlier run had done for these inputs: keys consumed from ``done``, counted as
    # records first (the same bytes give the same outcome, so a key is rarely in both files).
    for key in set(rec_done) | set(fail_done):
        consumed = rec_done[key] + fail_done[key] - done[key]
        as_record = min(rec_done[key], consumed)
        summary.resumed_records += as_record
        summary.resumed_failures += consumed - as_record
        summary.internal_failures += min(internal_done[key], consumed - as_record)
    summary.unmatched_lines = sum(done.values())
    summary.records += summary.resumed_records
    summary.failures += summary.resumed_failures
    return summary


def _make_folder(path: Path) -> None:
    """Create the folder ``path`` is to be written in, or say why it cannot be."""
    blocking = next((p for p in path.parents if p.exists()), None)
    if blocking is not None and not blocking.is_dir():
        raise InputError(f"cannot write: {blocking} is a file, not a folder", source_id=str(path))
    path.parent.mkdir(parents=True, exist_ok=True)


def exit_code(summary: BatchSummary) -> int:
    """0 all inputs have a record; 3 some failed on their input; 4 some hit a defect."""
    if summary.internal_failures:
        return 4
    if summary.failures:
        return 3
    return 0


def cpu_count() -> int:
    """Cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1
