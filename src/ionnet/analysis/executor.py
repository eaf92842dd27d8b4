"""Where sweep tasks run: in this process, a local process pool, or a Dask cluster.

Every backend takes batches of task inputs and yields ``(batch_index, outputs)`` as batches
finish, in whatever order; the caller stores each point as it arrives. A task's result depends
only on its inputs (its randomness comes from its own seed through :mod:`ionnet.seeding`), so the
stored results are the same whatever the backend, the number of workers or the order.

Why a ``concurrent.futures`` process pool by default rather than a Dask ``LocalCluster``: the
pool starts in well under a second (a LocalCluster starts a scheduler, nannies and workers, a few
seconds), needs no ports, and its workers live for the whole sweep, so heavy modules (qiskit, the
runtime) are imported once per worker: workers come from a ``forkserver`` that has preloaded them.
Workers run their numerical libraries single-threaded (N workers use N cores, not N x BLAS threads).
Dask is used where it adds something: an existing cluster named by ``--scheduler``, which
reschedules the batches of a worker that dies.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any

from ionnet.analysis.tasks import compute_batch
from ionnet.errors import SweepError

Batch = list[Mapping[str, Any]]
PRELOAD = ["ionnet.analysis.tasks", "ionnet.analysis.kinds"]
SINGLE_THREAD_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
"""Each worker is one process on one core: its BLAS must not start threads of its own."""


def make_batches(inputs: Sequence[Mapping[str, Any]], batch_size: int) -> list[Batch]:
    """Split ``inputs`` into consecutive batches of at most ``batch_size``.

    >>> [len(b) for b in make_batches([{}] * 5, 2)]
    [2, 2, 1]
    """
    return [list(inputs[i : i + batch_size]) for i in range(0, len(inputs), batch_size)]


def choose_batch_size(num_tasks: int, workers: int, max_batch: int) -> int:
    """About eight batches per worker (for balance and progress), at most ``max_batch`` tasks each.

    >>> choose_batch_size(1000, 2, 64), choose_batch_size(10, 2, 64), choose_batch_size(100, 2, 1)
    (63, 1, 1)
    """
    return max(1, min(max_batch, -(-num_tasks // (8 * max(1, workers)))))


def run_serial(batches: Sequence[Batch]) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    """Compute the batches one after the other in this process."""
    for index, batch in enumerate(batches):
        yield index, compute_batch(batch)


def _init_worker(parent_pid: int) -> None:
    """Worker initializer: import what tasks need (once per worker) and exit with the parent.

    A sweep killed with SIGKILL cannot shut its pool down; without the watcher its workers (whose
    parent is the forkserver) would wait for work forever.
    """
    import importlib

    for name in PRELOAD:
        importlib.import_module(name)
    threading.Thread(target=_exit_with, args=(parent_pid,), daemon=True).start()


def _exit_with(parent_pid: int, period_s: float = 1.0) -> None:
    while True:
        time.sleep(period_s)
        try:
            os.kill(parent_pid, 0)
        except ProcessLookupError:
            os._exit(1)


def run_local_pool(
    batches: Sequence[Batch], workers: int, preload: Sequence[str] = ()
) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    """Compute the batches on ``workers`` local processes (reused for the whole sweep)."""
    method = "forkserver" if sys.platform.startswith("linux") else "spawn"
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload([*PRELOAD, *preload])
    saved = {k: os.environ.get(k) for k in SINGLE_THREAD_ENV}
    os.environ.update(SINGLE_THREAD_ENV)  # read by the worker processes' BLAS when they start
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_init_worker, initargs=(os.getpid(),)
    )
    try:
        futures: dict[Future[list[dict[str, Any]]], int] = {
            pool.submit(compute_batch, batch): i for i, batch in enumerate(batches)
        }
        pending = set(futures)
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield futures[future], future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def run_dask(
    batches: Sequence[Batch], scheduler: str, keys: Sequence[str]
) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    """Compute the batches on the Dask cluster at ``scheduler`` (``tcp://host:port``).

    Batches are submitted under deterministic keys (``keys``); if a worker dies, the scheduler
    runs its unfinished batches on another worker.
    """
    from distributed import Client, as_completed

    try:
        client = Client(scheduler, timeout="10s", set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise SweepError(f"cannot reach the Dask scheduler {scheduler!r}: {exc}") from None
    try:
        futures = [
            client.submit(compute_batch, batch, key=key, pure=False, retries=2)
            for batch, key in zip(batches, keys, strict=True)
        ]
        index = {future.key: i for i, future in enumerate(futures)}
        for future in as_completed(futures, loop=client.loop):
            yield index[future.key], future.result()
    finally:
        client.close()
