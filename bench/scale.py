"""Scale check: 10,000 generated pages through ``cqc-extract batch --jobs 2``.

Checks, and prints:

* exact accounting: every input is one line, a record or a failure (1 page in 500 is made
  broken on purpose, so both files are exercised), in input order, and the summary line and the
  exit code say so;
* flat memory: the peak RSS of the batch's whole process tree at 10,000 pages is within 10% of
  the peak at 1,000 pages.

    python bench/scale.py [--n 10000] [--small 1000] [--jobs 2] [--no-ner] [--keep DIR]

Exit status 0 when every check holds, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BROKEN_EVERY = 500
RSS_TOLERANCE = 0.10


def write_inputs(folder: Path, n: int) -> list[Path]:
    from extractor.synth import pages

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for page in pages(0, n):
        path = folder / f"{page.index:06d}.txt"
        if page.index % BROKEN_EVERY == BROKEN_EVERY // 2:
            path.write_bytes(b"\x00 not a report \x00")
        else:
            path.write_text(page.text, encoding="utf-8")
        paths.append(path)
    return paths


def run_batch(paths: list[Path], work: Path, jobs: int, ner: bool) -> dict[str, object]:
    listing = work / f"list{len(paths)}.txt"
    listing.write_text("".join(f"{p}\n" for p in paths), encoding="utf-8")
    out = work / f"out{len(paths)}.jsonl"
    err = work / f"out{len(paths)}.errors.jsonl"
    cmd = [sys.executable, "-m", "extractor.cli", "batch", f"@{listing}", "-o", str(out),
           "--errors", str(err), "--jobs", str(jobs), "--no-progress"] + ([] if ner else ["--no-ner"])
    started = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    peak = {"sum": 0, "largest": 0}
    done = threading.Event()

    def sample() -> None:
        root = psutil.Process(proc.pid)
        while not done.is_set():
            sizes = []
            try:
                for p in [root, *root.children(recursive=True)]:
                    try:
                        sizes.append(p.memory_info().rss)
                    except psutil.Error:
                        pass
            except psutil.Error:
                pass
            peak["sum"] = max(peak["sum"], sum(sizes))
            peak["largest"] = max(peak["largest"], max(sizes, default=0))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = proc.communicate()
    done.set()
    sampler.join()
    seconds = time.monotonic() - started
    records = [json.loads(line)["source"]["id"] for line in out.read_text(encoding="utf-8").splitlines()]
    failures = [json.loads(line)["id"] for line in err.read_text(encoding="utf-8").splitlines()]
    return {"n": len(paths), "exit": proc.returncode, "stderr": stderr.strip(), "records": records,
            "failures": failures, "seconds": seconds, "peak_rss_mb": peak["sum"] / 2**20,
            "peak_rss_largest_mb": peak["largest"] / 2**20}


def check_accounting(paths: list[Path], run: dict[str, object]) -> list[str]:
    problems = []
    n = len(paths)
    broken = [str(p) for p in paths if int(p.stem) % BROKEN_EVERY == BROKEN_EVERY // 2]
    good = [str(p) for p in paths if str(p) not in set(broken)]
    if run["records"] != good:
        problems.append(f"records are not the {len(good)} good inputs in input order")
    if run["failures"] != broken:
        problems.append(f"failures are not the {len(broken)} broken inputs in input order")
    expected = f"inputs: {n} = records: {len(good)} + failures: {len(broken)} (balanced)"
    if expected not in str(run["stderr"]):
        problems.append(f"summary line missing: {expected!r}; got {run['stderr']!r}")
    if run["exit"] != (3 if broken else 0):
        problems.append(f"exit code {run['exit']}, expected {3 if broken else 0}")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-ner", action="store_true", help="rules only")
    parser.add_argument("--keep", type=Path, default=None, help="work in this folder and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        t0 = time.monotonic()
        paths = write_inputs(work / "docs", args.n)
        broken = sum(1 for p in paths if int(p.stem) % BROKEN_EVERY == BROKEN_EVERY // 2)
        print(f"generated {args.n} pages in {time.monotonic() - t0:.1f} s ({broken} broken on purpose)")
        problems = []
        runs = {}
        for n in (args.small, args.n):
            run = run_batch(paths[:n], work, args.jobs, not args.no_ner)
            runs[n] = run
            found = check_accounting(paths[:n], run)
            problems += [f"{n} inputs: {p}" for p in found]
            print(f"{n:>6} inputs, --jobs {args.jobs}{'' if not args.no_ner else ' --no-ner'}: "
                  f"{run['seconds']:.1f} s ({n / float(run['seconds']):.1f} docs/s end to end), "
                  f"peak RSS {run['peak_rss_mb']:.0f} MB over the process tree "
                  f"(largest process {run['peak_rss_largest_mb']:.0f} MB); "
                  f"accounting {'exact' if not found else 'WRONG'}")
            summary = [line for line in str(run["stderr"]).splitlines() if line.startswith("inputs:")]
            print(f"        {summary[-1] if summary else run['stderr']}")
        ratio = float(runs[args.n]["peak_rss_mb"]) / float(runs[args.small]["peak_rss_mb"])
        verdict = "within" if ratio <= 1 + RSS_TOLERANCE else "NOT within"
        print(f"peak RSS at {args.n} / at {args.small}: {ratio:.3f} ({verdict} {RSS_TOLERANCE:.0%})")
        if ratio > 1 + RSS_TOLERANCE:
            problems.append(f"peak RSS grew by {ratio - 1:.1%}")
    if problems:
        print("FAILED:\n  " + "\n  ".join(problems))
        sys.exit(1)
    print("all scale checks hold")


if __name__ == "__main__":
    main()
