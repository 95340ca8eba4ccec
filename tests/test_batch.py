"""``cqc-extract batch``: accounting, error lines, order, inputs and resume after ``kill -9``.

The batches run the real pipeline on generated pages (extractor.synth) plus a few bad inputs.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SEED

from extractor.batch import run_batch
from extractor.inputs import Skipped, _walk_folder, discover
from extractor.jsonl import LineWriter, repair_tail
from extractor.pipeline import ExtractOptions, extract_bytes, nlp_flags
from extractor.synth import pages
from models import SCHEMA_VERSION

RULES = ExtractOptions(ner=False)


def run(*args: str, cwd: Path | None = None, input: bytes | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "extractor.cli", *args], capture_output=True,
                          text=True, timeout=300, cwd=cwd, input=None if input is None else input.decode())


def write_pages(folder: Path, n: int, *, seed: int = 7, bad: bool = True) -> list[Path]:
    """``n`` generated pages, with three bad inputs spread among them when ``bad``."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for page in pages(seed, n):
        path = folder / f"{page.index:05d}.txt"
        path.write_text(page.text, encoding="utf-8")
        paths.append(path)
    if bad:
        spots = [n // 4, n // 2, (3 * n) // 4]
        contents = [b"\x00\x01binary\x00", b"Minutes of the allotment society.\nWe bought a shed.\n", b""]
        for spot, content in zip(spots, contents):
            path = folder / f"{spot:05d}b.txt"
            path.write_bytes(content)
            paths.append(path)
    return sorted(paths)


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_every_input_is_a_record_or_a_failure_line(tmp_path: Path) -> None:
    docs = write_pages(tmp_path / "docs", 12)
    out, err = tmp_path / "out.jsonl", tmp_path / "err.jsonl"
    res = run("batch", str(tmp_path / "docs"), "-o", str(out), "--errors", str(err), "--no-ner",
              "-j", "2")
    assert res.returncode == 3, res.stderr
    records, failures = lines(out), lines(err)
    assert len(records) == 12 and len(failures) == 3
    assert "inputs: 15 = records: 12 + failures: 3 (balanced)" in res.stderr
    assert ("records by kind: saf_key_question_page 12; failures by type: BinaryInput 1, EmptyInput 1, "
            "NotACQCReport 1") in res.stderr
    assert f"failures are listed in {err}" in res.stderr
    assert [f["error_type"] for f in failures] == ["BinaryInput", "NotACQCReport", "EmptyInput"]
    for failure in failures:
        assert set(failure) == {"id", "path", "url", "sha256", "error_type", "message", "internal"}
        assert failure["id"] == failure["path"] and Path(failure["path"]) in docs
        assert failure["internal"] is False and failure["message"]
    ids = [r["source"]["id"] for r in records] + [f["id"] for f in failures]
    assert sorted(ids) == sorted(str(p) for p in docs)


def test_a_clean_batch_exits_0_and_writes_an_empty_error_file(tmp_path: Path) -> None:
    write_pages(tmp_path / "docs", 4, bad=False)
    out = tmp_path / "out.jsonl"
    res = run("batch", str(tmp_path / "docs"), "-o", str(out), "--no-ner", "-j", "1")
    assert res.returncode == 0, res.stderr
    assert len(lines(out)) == 4
    assert (tmp_path / "out.errors.jsonl").read_text() == ""
    assert res.stderr.strip().splitlines()[-1].startswith("inputs: 4 = records: 4 + failures: 0 (balanced)")


def test_output_order_is_input_order_whatever_the_jobs(tmp_path: Path) -> None:
    docs = write_pages(tmp_path / "docs", 30)
    refs = discover([str(tmp_path / "docs")])
    assert [r.path for r in refs] == [str(p) for p in docs] and len(refs) == 33
    results = []
    for jobs, chunk in ((1, None), (2, 1), (3, 4)):
        out, err = tmp_path / f"out{jobs}.jsonl", tmp_path / f"err{jobs}.jsonl"
        summary = run_batch(refs, out, errors=err, jobs=jobs, options=RULES, chunksize=chunk)
        assert summary.balanced and summary.inputs == 33
        results.append((out.read_bytes(), err.read_bytes()))
    assert results[0] == results[1] == results[2]
    order = [json.loads(line)["source"]["id"] for line in results[0][0].decode().splitlines()]
    assert order == [str(p) for p in docs if not p.name.endswith("b.txt")]


def test_record_hash_is_the_hash_of_the_input_bytes(tmp_path: Path) -> None:
    import hashlib

    docs = write_pages(tmp_path / "docs", 3, bad=False)
    out = tmp_path / "out.jsonl"
    run_batch(discover([str(tmp_path / "docs")]), out, options=RULES)
    assert [r["source"]["sha256"] for r in lines(out)] == [
        hashlib.sha256(p.read_bytes()).hexdigest() for p in docs]


def _uninterrupted(tmp_path: Path, docs: Path) -> tuple[bytes, bytes]:
    out, err = tmp_path / "full.jsonl", tmp_path / "full.errors.jsonl"
    summary = run_batch(discover([str(docs)]), out, errors=err, jobs=2, options=RULES)
    assert summary.balanced and summary.failures == 3
    return out.read_bytes(), err.read_bytes()


def _stop_midway(docs: Path, out: Path, sig: signal.Signals) -> tuple[int, str]:
    """Start a batch of ``docs``, send ``sig`` to it and its workers (as a terminal or ``kill``
    would) once 40 lines are written; its exit code and standard error."""
    cmd = [sys.executable, "-m", "extractor.cli", "batch", str(docs), "-o", str(out), "--no-ner",
           "-j", "2", "--chunksize", "1", "--no-progress"]
    # A batch started with Ctrl-C ignored keeps ignoring it (as a shell's background job is
    # started): start it as a terminal would, whatever this test runner was started as.
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            if out.exists() and out.read_bytes().count(b"\n") >= 40:
                break
            if proc.poll() is not None:
                pytest.fail("the batch finished before it could be stopped")
            time.sleep(0.005)
    finally:
        os.killpg(proc.pid, sig)
        _, stderr = proc.communicate(timeout=60)
    return proc.returncode, stderr.decode()


def _resume_gives(docs: Path, out: Path, err: Path, full: tuple[bytes, bytes]) -> None:
    """``--resume`` completes a stopped batch into the uninterrupted run's files."""
    written = out.read_bytes().count(b"\n") + err.read_bytes().count(b"\n")
    assert 40 <= written < 163, "stopped midway"
    res = run("batch", str(docs), "-o", str(out), "--no-ner", "-j", "2", "--resume")
    assert res.returncode == 3, res.stderr
    assert "inputs: 163 = records: 160 + failures: 3 (balanced)" in res.stderr
    assert "were already done" in res.stderr
    assert (out.read_bytes(), err.read_bytes()) == full


def test_resume_after_sigkill_gives_the_uninterrupted_output(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write_pages(docs, 160)
    full = _uninterrupted(tmp_path, docs)
    out, err = tmp_path / "out.jsonl", tmp_path / "out.errors.jsonl"
    code, _ = _stop_midway(docs, out, signal.SIGKILL)  # the batch and its workers, as kill -9 would
    assert code == -signal.SIGKILL
    _resume_gives(docs, out, err, full)


def test_ctrl_c_stops_with_a_resume_hint_and_whole_lines(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write_pages(docs, 160)
    full = _uninterrupted(tmp_path, docs)
    out, err = tmp_path / "out.jsonl", tmp_path / "out.errors.jsonl"
    code, stderr = _stop_midway(docs, out, signal.SIGINT)
    assert code == 130
    assert stderr.strip().splitlines()[-1] == (
        f"interrupted: {out} and {err} hold whole lines for the inputs done so far; run the same "
        "command with --resume to carry on")
    assert "Traceback" not in stderr
    assert all(json.loads(line) for line in out.read_text(encoding="utf-8").splitlines())
    _resume_gives(docs, out, err, full)


def test_a_worker_killed_midway_loses_no_input(tmp_path: Path) -> None:
    import psutil

    docs = tmp_path / "docs"
    write_pages(docs, 160)
    full_out, full_err = _uninterrupted(tmp_path, docs)
    out = tmp_path / "out.jsonl"
    proc = subprocess.Popen([sys.executable, "-m", "extractor.cli", "batch", str(docs), "-o", str(out),
                             "--no-ner", "-j", "2", "--chunksize", "2", "--no-progress"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not (out.exists() and out.read_bytes().count(b"\n") >= 30):
        time.sleep(0.005)
    workers = psutil.Process(proc.pid).children()
    assert workers, "no worker processes to kill"
    os.kill(workers[0].pid, signal.SIGKILL)
    _, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 3, stderr
    assert "a worker failed" in stderr
    assert "inputs: 163 = records: 160 + failures: 3 (balanced)" in stderr
    assert out.read_bytes() == full_out
    assert (tmp_path / "out.errors.jsonl").read_bytes() == full_err


def test_a_pool_broken_before_a_submission_is_recovered(tmp_path: Path) -> None:
    """A worker that dies between two submissions breaks the pool before the next chunk is sent;
    the batch must retry that chunk, not stop."""
    import hashlib

    from extractor.batch import Task, _InFlight, process_chunk, warm_up
    from extractor.executors import Pool

    texts = [page.text.encode("utf-8") for page in pages(3, 4)]
    tasks = [Task(i, f"doc{i}", None, None, data, hashlib.sha256(data).hexdigest())
             for i, data in enumerate(texts)]
    options = ExtractOptions(nlp=False)
    logged: list[str] = []
    flight = _InFlight(lambda: Pool(process_chunk, options, 2, warm_up), logged.append)
    try:
        flight.add(tasks[:2])
        assert [o.index for o in flight.pop()] == [0, 1]
        pool = flight.executor.pool  # type: ignore[attr-defined]
        victim = next(iter(pool._processes.values()))
        os.kill(victim.pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while not pool._broken and time.monotonic() < deadline:
            time.sleep(0.01)
        assert pool._broken, "the pool did not notice its dead worker"
        flight.add(tasks[2:])  # must not raise BrokenProcessPool
        outcomes = flight.pop()
    finally:
        flight.close()
    assert [o.index for o in outcomes] == [2, 3]
    assert all(o.record is not None for o in outcomes)
    assert any("a worker failed" in line for line in logged)


def test_resume_drops_a_torn_line_and_writes_no_duplicate(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write_pages(docs, 20)
    full_out, full_err = _uninterrupted(tmp_path, docs)
    out, err = tmp_path / "out.jsonl", tmp_path / "out.errors.jsonl"
    cut = full_out.index(b"\n", len(full_out) // 2) + 200  # 200 bytes into a line
    out.write_bytes(full_out[:cut])
    err.write_bytes(full_err[: full_err.index(b"\n") + 1] + b'{"id": "torn')
    res = run("batch", str(docs), "-o", str(out), "--no-ner", "-j", "2", "--resume")
    assert res.returncode == 3, res.stderr
    assert out.read_bytes() == full_out and err.read_bytes() == full_err


def test_resume_of_a_finished_batch_changes_nothing(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write_pages(docs, 6)
    full_out, full_err = _uninterrupted(tmp_path, docs)
    res = run("batch", str(docs), "-o", str(tmp_path / "full.jsonl"), "--no-ner", "--resume")
    assert res.returncode == 3
    assert ("inputs: 9 = records: 6 + failures: 3 (balanced); "
            "6 records and 3 failures were already done") in res.stderr
    assert (tmp_path / "full.jsonl").read_bytes() == full_out
    assert (tmp_path / "full.errors.jsonl").read_bytes() == full_err


def test_identical_inputs_are_each_accounted_on_resume(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        shutil.copy(SEED, docs / name)
    out = tmp_path / "out.jsonl"
    assert run_batch(discover([str(docs)]), out, options=RULES).records == 3
    full = out.read_bytes()
    out.write_bytes(full[: full.index(b"\n") + 1])
    summary = run_batch(discover([str(docs)]), out, options=RULES, resume=True)
    assert (summary.records, summary.resumed_records, summary.failures) == (3, 1, 0)
    assert out.read_bytes() == full


@pytest.mark.parametrize("flags, made", [
    (["--no-nlp"], "structure rules only (--no-nlp)"),
    ([], "rules and NER"),
])
def test_resume_refuses_records_made_with_other_options(tmp_path: Path, flags: list[str], made: str) -> None:
    docs = tmp_path / "docs"
    write_pages(docs, 4, bad=False)
    out = tmp_path / "out.jsonl"
    assert run("batch", str(docs), "-o", str(out), "--no-ner").returncode == 0
    first = out.read_bytes()[: out.read_bytes().index(b"\n") + 1]
    out.write_bytes(first)  # a run stopped after one record
    res = run("batch", str(docs), "-o", str(out), "--resume", *flags)
    assert res.returncode == 1
    assert res.stderr.strip() == (
        f"Error: {out}: line 1 is a record made with rules without NER (--no-ner), and this run makes "
        f"{made}; cannot resume: give the first run's options, or write to a new file")
    assert out.read_bytes() == first  # nothing is mixed in
    assert run("batch", str(docs), "-o", str(out), "--resume", "--no-ner").returncode == 0
    assert [r["nlp"]["enabled"] for r in lines(out)] == [False] * 4


@pytest.mark.parametrize("options", [ExtractOptions(nlp=False), RULES, ExtractOptions(),
                                     ExtractOptions(redact_people=True)])
def test_every_record_states_the_flags_resume_compares(options: ExtractOptions) -> None:
    record = extract_bytes(SEED.read_bytes(), source_id="seed", options=options)
    assert (record.nlp.enabled, record.nlp.rules, record.nlp.redacted_people) == nlp_flags(options)


def test_resume_refuses_records_of_another_schema_version(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write_pages(docs, 3, bad=False)
    out = tmp_path / "out.jsonl"
    assert run_batch(discover([str(docs)]), out, options=RULES).records == 3
    records = out.read_text(encoding="utf-8").splitlines()
    now = f'{{"schema_version":"{SCHEMA_VERSION}",'
    assert records[1].startswith(now)
    records[1] = records[1].replace(now, '{"schema_version":"0.9",', 1)
    out.write_text("\n".join(records[:2]) + "\n", encoding="utf-8")
    res = run("batch", str(docs), "-o", str(out), "--resume", "--no-ner")
    assert res.returncode == 1
    assert res.stderr.strip() == (f"Error: {out}: line 2 is a record of schema 0.9, and this version writes "
                                  f"{SCHEMA_VERSION}; cannot resume: write to a new file")


def test_file_lists_globs_and_crawl_files(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write_pages(docs, 4, bad=False)
    page = next(pages(3, 1))
    crawl = tmp_path / "crawl.jsonl"
    crawl.write_text(json.dumps({"url": page.url, "html": page.text}) + "\n\n"
                     + json.dumps({"id": "no-body", "url": "https://example.org/x"}) + "\n")
    listing = tmp_path / "list.txt"
    listing.write_text(f"# inputs\n{docs / '00001.txt'}\n\n{tmp_path / 'gone.txt'}\n{docs}/0000[23].txt\n")
    out, err = tmp_path / "out.jsonl", tmp_path / "err.jsonl"
    res = run("batch", f"@{listing}", str(crawl), str(docs / "*.txt"), "-o", str(out),
              "--errors", str(err), "--no-ner")
    assert res.returncode == 3, res.stderr
    ids = [r["source"]["id"] for r in lines(out)]
    assert ids == [str(docs / n) for n in ("00001.txt", "00002.txt", "00003.txt")] + [
        page.url, str(docs / "00000.txt")]
    crawled = lines(out)[3]
    assert crawled["identifiers"]["location_id"] == page.url.split("/")[4]
    failures = lines(err)
    assert [(f["id"], f["error_type"]) for f in failures] == [
        (str(tmp_path / "gone.txt"), "InputError"), ("no-body", "InputError")]
    assert failures[0]["sha256"] is None
    # A resumed run knows the never-loaded input by its id, and adds no second line for it.
    again = run("batch", f"@{listing}", str(crawl), str(docs / "*.txt"), "-o", str(out),
                "--errors", str(err), "--no-ner", "--resume")
    assert again.returncode == 3 and len(lines(err)) == 2 and len(lines(out)) == 5


def test_an_output_under_a_file_is_refused_before_any_work(tmp_path: Path) -> None:
    (tmp_path / "notes").write_text("a file, not a folder\n", encoding="utf-8")
    out = tmp_path / "notes" / "out.jsonl"
    res = run("batch", str(SEED), "-o", str(out), "--no-ner")
    assert res.returncode == 1
    assert res.stderr.strip() == f"Error: {out}: cannot write: {tmp_path / 'notes'} is a file, not a folder"
    res = run("batch", str(SEED), "-o", str(tmp_path / "new" / "deeper" / "out.jsonl"), "--no-ner")
    assert res.returncode == 0 and len(lines(tmp_path / "new" / "deeper" / "out.jsonl")) == 1


def test_file_list_from_standard_input(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    paths = write_pages(docs, 3, bad=False)
    out = tmp_path / "out.jsonl"
    res = run("batch", "@-", "-o", str(out), "--no-ner",
              input="\n".join(str(p) for p in reversed(paths)).encode())
    assert res.returncode == 0, res.stderr
    assert [r["source"]["id"] for r in lines(out)] == [str(p) for p in reversed(paths)]


@pytest.mark.parametrize("arg, message", [
    ("missing-folder", "Error: no such input: missing-folder"),
    ("nothing-*.txt", "Error: no input matches nothing-*.txt"),
    ("@absent-list.txt", "Error: cannot read the file list absent-list.txt: No such file or directory"),
])
def test_a_bad_input_argument_stops_the_batch_with_exit_1(tmp_path: Path, arg: str, message: str) -> None:
    res = run("batch", arg, "-o", "out.jsonl", "--no-ner", cwd=tmp_path)
    assert res.returncode == 1
    assert res.stderr.strip() == message
    assert not (tmp_path / "out.jsonl").exists()


@pytest.mark.parametrize("flags, option", [(["-o", "-"], "--output"),
                                           (["-o", "out.jsonl", "--errors", "-"], "--errors")])
def test_standard_output_is_refused_with_the_command_that_streams(
    tmp_path: Path, flags: list[str], option: str,
) -> None:
    res = run("batch", str(SEED), *flags, "--no-ner", cwd=tmp_path)
    assert res.returncode == 2
    assert res.stderr.splitlines()[-1].startswith(f"Error: {option} -: batch writes to files")
    assert "cqc-extract parse --format jsonl" in res.stderr
    assert list(tmp_path.iterdir()) == []  # no file called "-", nor any other


def test_files_a_folder_walk_leaves_out_are_counted_and_named(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write_pages(docs, 2, bad=False)
    (docs / "letter.docx").write_bytes(b"PK\x03\x04")
    (docs / "sub").mkdir()
    (docs / "sub" / "notes.md").write_text("# notes\n")
    (docs / "sub" / "LICENCE").write_text("text\n")
    (docs / "sub" / "pages.jsonl").write_text(json.dumps({"html": next(pages(3, 1)).text}) + "\n")
    (docs / ".DS_Store").write_bytes(b"\x00")  # hidden files are passed over without a word
    out = tmp_path / "out.jsonl"
    res = run("batch", str(docs), "-o", str(out), "--no-ner")
    assert res.returncode == 0, res.stderr
    assert len(lines(out)) == 2
    assert res.stderr.splitlines()[0] == (
        "note: 4 other files in the input folders left out ((no suffix) 1, .docx 1, .jsonl 1, .md 1): "
        "folders give only their .txt, .text, .htm, .html and .pdf files; a crawl file (.jsonl) is "
        "read when named itself")
    assert "inputs: 2 = records: 2 + failures: 0 (balanced)" in res.stderr


def test_a_folder_without_report_files_says_what_it_holds(tmp_path: Path) -> None:
    (tmp_path / "letters").mkdir()
    (tmp_path / "letters" / "a.docx").write_bytes(b"PK\x03\x04")
    res = run("batch", "letters", "-o", "out.jsonl", "--no-ner", cwd=tmp_path)
    assert res.returncode == 1
    assert res.stderr.strip() == (
        "Error: no input files found in letters (1 other file in the input folders left out (.docx 1): "
        "folders give only their .txt, .text, .htm, .html and .pdf files)")


def test_a_folder_that_cannot_be_listed_is_named(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "page.txt"
    not_a_folder.write_text("x")
    skipped = Skipped()
    assert list(_walk_folder(not_a_folder, skipped)) == []
    assert skipped.unlisted == [f"{not_a_folder} (Not a directory)"]
    assert skipped.describe() == f"could not list 1 folder: {not_a_folder} (Not a directory)"
    assert Skipped().describe() is None


def test_line_writer_appends_whole_lines_and_repair_cuts_a_torn_tail(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    with LineWriter(path) as w:
        w.write_line('{"a":1}')
        w.write_line('{"a":2}')
    with open(path, "ab") as fh:
        fh.write(b'{"a":')
    assert repair_tail(path) == 5
    assert path.read_bytes() == b'{"a":1}\n{"a":2}\n'
    assert repair_tail(path) == 0
    with LineWriter(path, append=True) as w:
        w.write_line('{"a":3}')
    assert path.read_bytes().count(b"\n") == 3


def test_progress_off_a_terminal_is_plain_log_lines() -> None:
    from extractor.batch import _Progress

    lines: list[str] = []
    progress = _Progress(10, enabled=True, tty=False, log=lines.append, interval=0)
    progress.update(4, 1)
    progress.update(6, 0)
    assert len(lines) == 2
    assert re.fullmatch(r"batch: 4/10 \(40\.0%\), [\d.]+ docs/s, 1 failed, ETA \d+ s", lines[0])
    assert re.fullmatch(r"batch: 10/10 \(100\.0%\), [\d.]+ docs/s, 1 failed, ETA 0 s", lines[1])


def test_chunks_are_smaller_with_ner_and_never_leave_workers_idle() -> None:
    from extractor.batch import auto_chunksize

    assert auto_chunksize(10_000, 2) == 8
    assert auto_chunksize(10_000, 2, ner=True) == 2
    # A small batch: every worker still gets several chunks.
    assert auto_chunksize(40, 2) == 5
    assert auto_chunksize(40, 2, ner=True) == 2
    assert auto_chunksize(3, 2, ner=True) == 1
