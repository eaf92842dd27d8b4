"""Sample and decode a stim circuit in fixed, seeded batches: the same counts for any number of workers.

Sampling is stim's (``compile_detector_sampler``), decoding is PyMatching's through sinter's
built-in ``pymatching`` decoder (``sinter.BUILT_IN_DECODERS``), as ``sinter.collect`` does it. We do
not call ``sinter.collect`` itself because it cannot be seeded: each of its workers seeds stim
from the operating system and sizes its batches from its own timing, so its counts change from
run to run and with the number of workers. Here the shots are split into a fixed schedule of
batches (:func:`batch_sizes`: 256, 512, ... doubling up to 65,536 shots), batch ``k`` is sampled
with the stim seed of stream ``(seed, "qec", "batch", k)`` (:mod:`ionnet.seeding`), and batches
are counted in index order: collection stops at the shot that brings the errors to
``max_errors``, or at ``max_shots``. Workers only change which batch is computed where, never
which batches are counted, so the counts are the same for 1 or 16 workers (the few batches
computed past the stopping point are dropped). Resuming a collection is the sweep store's job
(:mod:`ionnet.analysis.qeckind`), one point at a time.

A shot is a logical error when the decoder's prediction differs from the measured value of any
observable of the circuit.

>>> import stim
>>> circuit = stim.Circuit.generated("repetition_code:memory", distance=3, rounds=3,
...                                  after_clifford_depolarization=0.05)
>>> a = collect(circuit, max_shots=5000, seed=1)
>>> b = collect(circuit, max_shots=5000, seed=1, workers=2)
>>> (a.shots, a.errors) == (b.shots, b.errors), a.shots
(True, 5000)
>>> collect(circuit, max_shots=10**6, max_errors=20, seed=1).errors
20
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import stim

from ionnet.errors import ConfigError
from ionnet.seeding import seed_sequence

FIRST_BATCH = 256
MAX_BATCH = 65536
ProgressFn = Callable[[int, int], None]
"""Called with (shots counted, errors counted) after each counted batch."""


@dataclass(frozen=True)
class Collected:
    """Counts of one collection.

    Attributes:
        shots: Shots counted.
        errors: Shots whose decoded observables were wrong.
        batches: Batches counted (the last one may be cut at the stopping shot).
        wall_s: Wall-clock time of the collection (decoder set-up, sampling and decoding).
    """

    shots: int
    errors: int
    batches: int
    wall_s: float


def batch_sizes(max_shots: int) -> Iterator[int]:
    """The fixed batch schedule: 256, 512, ... doubling up to 65,536, summing to ``max_shots``.

    >>> list(batch_sizes(2000))
    [256, 512, 1024, 208]
    """
    size, left = FIRST_BATCH, max_shots
    while left > 0:
        yield min(size, left)
        left -= size
        size = min(2 * size, MAX_BATCH)


def batch_seed(seed: int, index: int) -> int:
    """The 64-bit stim seed of batch ``index`` (stream ``(seed, "qec", "batch", index)``).

    >>> batch_seed(0, 0) == batch_seed(0, 0) != batch_seed(0, 1)
    True
    """
    words = seed_sequence(seed, "qec", "batch", index).generate_state(2, np.uint32)
    return int(words[0]) | (int(words[1]) << 32)


class BatchSampler:
    """One circuit's decoder, built once; samples and decodes batches by index.

    The detector error model is built as sinter builds it (errors decomposed for matching,
    ``PAULI_CHANNEL_2`` components taken as disjoint, stim's ``approximate_disjoint_errors``).

    >>> import stim
    >>> c = stim.Circuit.generated("repetition_code:memory", distance=3, rounds=2,
    ...                            after_clifford_depolarization=0.1)
    >>> fails = BatchSampler(c).sample(0, 100, seed=3)
    >>> fails.shape, fails.dtype
    ((100,), dtype('bool'))
    """

    def __init__(self, circuit: stim.Circuit) -> None:
        import sinter

        self.circuit = circuit
        dem = circuit.detector_error_model(decompose_errors=True, approximate_disjoint_errors=True)
        self.decoder = sinter.BUILT_IN_DECODERS["pymatching"].compile_decoder_for_dem(dem=dem)

    def sample(self, index: int, shots: int, seed: int) -> np.ndarray:
        """The per-shot logical-failure flags of batch ``index`` (``shots`` shots)."""
        sampler = self.circuit.compile_detector_sampler(seed=batch_seed(seed, index))
        dets, obs = sampler.sample(shots, separate_observables=True, bit_packed=True)
        predicted = self.decoder.decode_shots_bit_packed(bit_packed_detection_event_data=dets)
        return np.asarray(np.any(predicted != obs, axis=1))


def collect(
    circuit: stim.Circuit,
    *,
    max_shots: int,
    max_errors: int | None = None,
    seed: int = 0,
    workers: int = 1,
    progress: ProgressFn | None = None,
    pool: ProcessPoolExecutor | None = None,
) -> Collected:
    """Sample and decode ``circuit`` until ``max_shots`` shots or ``max_errors`` logical errors.

    Args:
        circuit: A stim circuit with detectors and at least one observable.
        max_shots: Shots at most (>= 1).
        max_errors: Stop at the shot that brings the errors to this count (None: no limit).
        seed: Root seed; the counts depend only on it, the circuit and the two limits.
        workers: Local processes (1: sample in this process).
        progress: Called with (shots, errors) after each counted batch.
        pool: A :func:`sampling_pool` of ``workers`` processes to use instead of starting one.

    Returns:
        The counts (see the module docstring for the batch schedule and the stopping rule).

    Raises:
        ConfigError: A limit or the worker count is out of range, or the circuit has no observable.
    """
    _check(circuit, max_shots, max_errors, workers)
    start = time.perf_counter()
    sizes = list(batch_sizes(max_shots))
    shots = errors = counted = 0
    for fails in _batches(circuit, sizes, seed, workers, pool):
        counted += 1
        if max_errors is not None and errors + int(fails.sum()) >= max_errors:
            stop = int(np.flatnonzero(fails)[max_errors - errors - 1]) + 1
            shots, errors = shots + stop, max_errors
            _report(progress, shots, errors)
            break
        shots, errors = shots + len(fails), errors + int(fails.sum())
        _report(progress, shots, errors)
    return Collected(shots=shots, errors=errors, batches=counted, wall_s=time.perf_counter() - start)


def _report(progress: ProgressFn | None, shots: int, errors: int) -> None:
    if progress is not None:
        progress(shots, errors)


def _check(circuit: stim.Circuit, max_shots: int, max_errors: int | None, workers: int) -> None:
    if not isinstance(max_shots, int) or max_shots < 1:
        raise ConfigError(f"'max_shots' must be an integer >= 1 (got {max_shots!r})")
    if max_errors is not None and (not isinstance(max_errors, int) or max_errors < 1):
        raise ConfigError(f"'max_errors' must be an integer >= 1 (got {max_errors!r})")
    if not isinstance(workers, int) or workers < 1:
        raise ConfigError(f"'workers' must be an integer >= 1 (got {workers!r})")
    if circuit.num_observables < 1:
        raise ConfigError("the circuit has no logical observable to count errors on")


def _batches(
    circuit: stim.Circuit, sizes: list[int], seed: int, workers: int, pool: ProcessPoolExecutor | None
) -> Iterator[np.ndarray]:
    """The failure flags of each batch, in index order (computed in parallel when workers > 1)."""
    if pool is not None:
        yield from _pool_batches(circuit, sizes, seed, pool, workers)
    elif workers == 1:
        sampler = BatchSampler(circuit)
        for index, size in enumerate(sizes):
            yield sampler.sample(index, size, seed)
    else:
        with sampling_pool(workers) as own:
            yield from _pool_batches(circuit, sizes, seed, own, workers)


@contextmanager
def sampling_pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """A pool of ``workers`` local processes to pass to several :func:`collect` calls.

    Starting processes takes about a second; a scan of many points shares one pool. Each worker
    keeps the decoders of the last few circuits it saw, and exits if the collecting process dies.
    """
    method = "forkserver" if sys.platform.startswith("linux") else "spawn"
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload(["ionnet.qec.collect", "sinter", "pymatching"])
    pool = ProcessPoolExecutor(
        workers, mp_context=context, initializer=_watch_parent, initargs=(os.getpid(),)
    )
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _watch_parent(parent_pid: int) -> None:
    """Worker initializer: exit when the collecting process is gone (even after ``kill -9``)."""
    threading.Thread(target=_exit_with, args=(parent_pid,), daemon=True).start()


def _exit_with(parent_pid: int, period_s: float = 1.0) -> None:
    while True:
        time.sleep(period_s)
        try:
            os.kill(parent_pid, 0)
        except ProcessLookupError:
            os._exit(1)


_SAMPLERS: dict[str, BatchSampler] = {}
_KEEP = 4


def _work(key: str, circuit_text: str, index: int, size: int, seed: int) -> np.ndarray:
    sampler = _SAMPLERS.get(key)
    if sampler is None:
        if len(_SAMPLERS) >= _KEEP:
            _SAMPLERS.pop(next(iter(_SAMPLERS)))
        sampler = _SAMPLERS[key] = BatchSampler(stim.Circuit(circuit_text))
    return sampler.sample(index, size, seed)


def _pool_batches(
    circuit: stim.Circuit, sizes: list[int], seed: int, pool: ProcessPoolExecutor, workers: int
) -> Iterator[np.ndarray]:
    """Keep about two batches per worker in flight; yield them in index order."""
    text = str(circuit)
    key = hashlib.sha256(text.encode()).hexdigest()
    pending: dict[int, Future[np.ndarray]] = {}
    ready: dict[int, np.ndarray] = {}
    submitted = 0
    try:
        for want in range(len(sizes)):
            while submitted < len(sizes) and len(pending) < 2 * workers:
                pending[submitted] = pool.submit(_work, key, text, submitted, sizes[submitted], seed)
                submitted += 1
            while want not in ready:
                done, _ = wait(list(pending.values()), return_when=FIRST_COMPLETED)
                for index in [i for i, f in pending.items() if f in done]:
                    ready[index] = pending.pop(index).result()
            yield ready.pop(want)
    finally:
        for future in pending.values():
            future.cancel()
