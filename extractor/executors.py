"""Where the chunks of a batch run: in this process, a process pool, or a Dask cluster.

Every executor takes a chunk of inputs and gives back a future of its outcomes; the batch
(:mod:`extractor.batch`) keeps the order and does the writing. The per-document function never
raises for a bad input, so an exception from a future means the *infrastructure* failed: a worker
process was killed (out of memory, ``kill -9``) or the cluster lost it. :meth:`Executor.restart`
then gives a working executor again, and the batch retries the chunk's inputs one at a time.
"""

from __future__ import annotations

import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from extractor.batch import Outcome, Task
    from extractor.pipeline import ExtractOptions

__all__ = ["Executor", "InProcess", "Pool", "DaskExecutor", "abandoned_threads", "make_executor"]

ChunkFn = Callable[[list["Task"], "ExtractOptions"], list["Outcome"]]
_WATCH_EVERY = 1.0  # seconds between looks at a pool's workers while a chunk runs
_DEAD_WORKER_GRACE = 10.0  # seconds a pool has to fail its futures once a worker is seen dead


class Executor:
    """Runs chunks and gives back futures of their outcomes."""

    def submit(self, chunk: list[Task]) -> Future[list[Outcome]]:
        raise NotImplementedError

    def result(self, fut: Any) -> list[Outcome]:
        """The outcomes of a future this executor gave; raises when its worker failed."""
        return fut.result()  # type: ignore[no-any-return]

    def restart(self) -> bool:
        """Make the executor usable after a failure; True when every unfinished future of the
        old one is lost and must be submitted again."""
        return False

    def close(self) -> None:
        pass


class InProcess(Executor):
    """Runs each chunk at once, in this process (``jobs=1``), warmed up like a pool's worker."""

    def __init__(self, fn: ChunkFn, options: ExtractOptions,
                 warm: Callable[[ExtractOptions], None] | None = None) -> None:
        self.fn, self.options = fn, options
        if warm is not None:
            warm(options)

    def submit(self, chunk: list[Task]) -> Future[list[Outcome]]:
        fut: Future[list[Outcome]] = Future()
        fut.set_result(self.fn(chunk, self.options))
        return fut


def _start_worker(warm: Callable[[ExtractOptions], None], options: ExtractOptions) -> None:
    """A pool worker's first step: leave Ctrl-C to the batch, then ``warm`` up.

    A terminal sends Ctrl-C to every process of the batch. The batch stops on it and shuts the
    pool down, which waits for the chunks the workers are on (a few pages). A worker stopped
    mid-chunk instead would look like a crashed one, and the batch would start replacing it
    while it stops.
    """
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    warm(options)


class Pool(Executor):
    """A process pool; each worker runs ``warm`` once (loading the spaCy model) when it starts."""

    def __init__(self, fn: ChunkFn, options: ExtractOptions, jobs: int,
                 warm: Callable[[ExtractOptions], None]) -> None:
        self.fn, self.options, self.jobs, self.warm = fn, options, jobs, warm
        self.pool = self._start()

    def _start(self) -> ProcessPoolExecutor:
        import multiprocessing as mp

        # fork starts workers fast and shares the imported code; spaCy models are loaded in the
        # workers (by ``warm``), never in the parent.
        method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
        return ProcessPoolExecutor(max_workers=self.jobs, mp_context=mp.get_context(method),
                                   initializer=_start_worker, initargs=(self.warm, self.options))

    def submit(self, chunk: list[Task]) -> Future[list[Outcome]]:
        try:
            return self.pool.submit(self.fn, chunk, self.options)
        except BrokenProcessPool as exc:
            # A worker died between two submissions: hand back a failed future, so the batch
            # meets the failure where it meets every other one (when it collects this chunk).
            fut: Future[list[Outcome]] = Future()
            fut.set_exception(exc)
            return fut

    def result(self, fut: Any) -> list[Outcome]:
        """The future's outcomes, watching the workers while it runs.

        A worker killed while it was writing a result leaves the pool's result pipe holding half
        a message: the pool then waits for the rest for ever and never fails the futures (nor does
        a worker that waits for the pipe's lock the dead one held). So once a worker is seen dead,
        a future not done ``_DEAD_WORKER_GRACE`` seconds later counts as failed.
        """
        dead_since: float | None = None
        while True:
            try:
                return fut.result(timeout=_WATCH_EVERY)  # type: ignore[no-any-return]
            except FutureTimeout:
                pass
            if dead_since is None:
                processes = (getattr(self.pool, "_processes", None) or {}).values()
                if any(not process.is_alive() for process in processes):
                    dead_since = time.monotonic()
            elif time.monotonic() - dead_since > _DEAD_WORKER_GRACE:
                raise BrokenProcessPool("a worker died and the pool stopped answering")

    def restart(self) -> bool:
        # A dead worker breaks the whole pool: every unfinished future fails with it, so the
        # other workers' work is lost anyway and they are stopped at once.
        _stop(self.pool, grace=0.0)
        self.pool = self._start()
        return True

    def close(self) -> None:
        _stop(self.pool, grace=60.0)


def _stop(pool: ProcessPoolExecutor, grace: float) -> None:
    """Shut ``pool`` down, waiting at most ``grace`` seconds for each worker before killing it.

    After a worker was killed, ``shutdown(wait=True)`` can wait for ever on a worker or a queue
    thread that will never answer; a batch must not hang there, and every input of a lost chunk
    is retried anyway. A pool thread still running 5 seconds on is noted (:func:`abandoned_threads`).
    """
    # The pool's only handles on its workers and its thread; shutdown() drops them.
    processes = list((getattr(pool, "_processes", None) or {}).values())
    manager = getattr(pool, "_executor_manager_thread", None)
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.join(timeout=grace)
        if process.is_alive():
            process.kill()
            process.join(timeout=5)
    if manager is not None:
        manager.join(timeout=5)
        if manager.is_alive():
            _abandoned.append(manager)


# Pool threads that never stopped (stuck reading a half-written result). Python joins them at
# exit, which would then never come: a command whose work is done checks this and exits at once.
_abandoned: list[Any] = []


def abandoned_threads() -> bool:
    """Whether a stopped pool left a thread that will never end (see :func:`_stop`)."""
    return any(thread.is_alive() for thread in _abandoned)


class DaskExecutor(Executor):
    """The same chunk function on Dask distributed: ``"local"`` (a LocalCluster of ``jobs``
    single-threaded worker processes), a scheduler address, or a ``distributed.Client``."""

    def __init__(self, fn: ChunkFn, options: ExtractOptions, scheduler: Any, jobs: int,
                 warm: Callable[[ExtractOptions], None]) -> None:
        from distributed import Client, LocalCluster

        self.fn, self.options = fn, options
        self.cluster = None
        self.own_client = True
        if isinstance(scheduler, Client):
            self.client, self.own_client = scheduler, False
        elif scheduler == "local":
            self.cluster = LocalCluster(n_workers=jobs, threads_per_worker=1,  # type: ignore[no-untyped-call]
                                        processes=True, dashboard_address=None)
            self.client = Client(self.cluster)  # type: ignore[no-untyped-call]
        else:
            self.client = Client(scheduler, timeout="30s")  # type: ignore[no-untyped-call]
        self.client.run(warm, options)

    def submit(self, chunk: list[Task]) -> Any:
        """A ``distributed.Future``: same ``result()`` as a concurrent one."""
        # pure=False: never merge two submissions, even of equal chunks (a retry must run).
        return self.client.submit(self.fn, chunk, self.options, pure=False)

    def close(self) -> None:
        if self.own_client:
            self.client.close()  # type: ignore[no-untyped-call]
        if self.cluster is not None:
            self.cluster.close()


def make_executor(fn: ChunkFn, options: ExtractOptions, *, jobs: int, scheduler: Any,
                  warm: Callable[..., None]) -> Executor:
    if scheduler is not None:
        return DaskExecutor(fn, options, scheduler, jobs, warm)
    if jobs > 1:
        return Pool(fn, options, jobs, warm)
    return InProcess(fn, options, partial(warm, freeze=False))
