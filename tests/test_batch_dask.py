"""The same per-document function on a Dask cluster gives the same files as the process pool."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_batch import run, write_pages

from extractor.batch import run_batch
from extractor.inputs import discover
from extractor.pipeline import ExtractOptions

distributed = pytest.importorskip("distributed")


def test_local_cluster_output_equals_the_process_pool(tmp_path: Path) -> None:
    write_pages(tmp_path / "docs", 24)
    refs = discover([str(tmp_path / "docs")])
    options = ExtractOptions(ner=False)
    pool = run_batch(refs, tmp_path / "pool.jsonl", jobs=2, options=options, chunksize=3)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        dask = run_batch(refs, tmp_path / "dask.jsonl", options=options, scheduler=client,
                         chunksize=2)
    counts = (dask.inputs, dask.records, dask.failures)
    assert counts == (pool.inputs, pool.records, pool.failures) == (27, 24, 3)
    assert (tmp_path / "dask.jsonl").read_bytes() == (tmp_path / "pool.jsonl").read_bytes()
    assert (tmp_path / "dask.errors.jsonl").read_bytes() == (tmp_path / "pool.errors.jsonl").read_bytes()


def test_batch_command_with_a_local_cluster(tmp_path: Path) -> None:
    write_pages(tmp_path / "docs", 8)
    pool = run("batch", str(tmp_path / "docs"), "-o", str(tmp_path / "pool.jsonl"), "--no-ner", "-j", "2")
    dask = run("batch", str(tmp_path / "docs"), "-o", str(tmp_path / "dask.jsonl"), "--no-ner", "-j", "2",
               "--scheduler", "local")
    assert pool.returncode == dask.returncode == 3, dask.stderr
    assert "inputs: 11 = records: 8 + failures: 3 (balanced)" in dask.stderr
    assert (tmp_path / "dask.jsonl").read_bytes() == (tmp_path / "pool.jsonl").read_bytes()
    assert (tmp_path / "dask.errors.jsonl").read_bytes() == (tmp_path / "pool.errors.jsonl").read_bytes()


def test_a_scheduler_address_gives_the_same_output(tmp_path: Path) -> None:
    write_pages(tmp_path / "docs", 6)
    refs = discover([str(tmp_path / "docs")])
    options = ExtractOptions(ner=False)
    run_batch(refs, tmp_path / "one.jsonl", options=options)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  protocol="tcp://", dashboard_address=None) as cluster:
        address = cluster.scheduler_address
        assert address.startswith("tcp://")
        summary = run_batch(refs, tmp_path / "tcp.jsonl", options=options, scheduler=address)
    assert summary.balanced and (summary.records, summary.failures) == (6, 3)
    assert (tmp_path / "tcp.jsonl").read_bytes() == (tmp_path / "one.jsonl").read_bytes()
