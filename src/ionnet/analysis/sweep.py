"""Run a sweep: find the points already stored, compute the others, store each as it finishes.

>>> import tempfile, pathlib
>>> spec = sweep_from_dict({"sweep": {"kind": "link", "outputs": ["rate_hz"]},
...                         "axes": {"link.fiber_length_m": [1.0, 10.0, 100.0]}})
>>> store = pathlib.Path(tempfile.mkdtemp()) / "s.db"
>>> first = run_sweep(spec, store_path=store, progress=False)
>>> (first.points, first.computed, first.reused)
(3, 3, 0)
>>> again = run_sweep(spec, store_path=store, progress=False)
>>> (again.points, again.computed, again.reused)
(3, 0, 3)
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from ionnet.analysis.executor import choose_batch_size, make_batches, run_dask, run_local_pool, run_serial
from ionnet.analysis.spec import SweepSpec, sweep_from_dict
from ionnet.analysis.store import ResultStore
from ionnet.analysis.tasks import Task, task_id
from ionnet.errors import SweepError

__all__ = ["SweepSummary", "default_store_path", "run_sweep", "sweep_from_dict"]

MAX_BATCH = {"link": 64, "run": 1}
"""Tasks per batch at most: cheap analytic tasks travel in batches, runtime tasks one by one."""
PRELOAD = {"run": ("ionnet.analysis.runkind",)}
"""Modules each local worker imports once, before its first task (qiskit, compiler, runtime)."""
DASK_WORKERS_HINT = 8
"""Batches are sized as for this many workers on a Dask cluster (whose size may change)."""


@dataclass(frozen=True)
class SweepSummary:
    """What one invocation of a sweep did.

    Attributes:
        points: Points in the sweep (distinct task ids).
        computed: Points computed in this invocation.
        reused: Points found in the store.
        errors: Points (among all) whose task raised an ionnet error (see the ``error`` column).
        store: The result store's path.
        wall_s: Wall-clock time of this invocation.
    """

    points: int
    computed: int
    reused: int
    errors: int
    store: str
    wall_s: float

    def as_dict(self) -> dict[str, Any]:
        """Plain values for ``--json``."""
        return dict(self.__dict__)


def default_store_path(spec: SweepSpec) -> Path:
    """``<sweep file>.db`` next to the sweep file (``<name>.db`` in the current folder otherwise)."""
    return spec.path.with_suffix(".db") if spec.path else Path(f"{spec.name}.db")


def run_sweep(
    spec: SweepSpec,
    *,
    store_path: str | Path | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    progress: bool = True,
) -> SweepSummary:
    """Compute every point of ``spec`` not yet in the store, committing each as it finishes.

    Args:
        spec: A validated sweep.
        store_path: SQLite file (default :func:`default_store_path`).
        workers: Local worker processes (1 computes in this process). Ignored with ``scheduler``.
        scheduler: Address of a running Dask scheduler (``tcp://host:port``).
        progress: Show a progress bar on stderr.

    Returns:
        A :class:`SweepSummary`. Raises SweepError on a bad store or scheduler.
    """
    if workers < 1:
        raise SweepError(f"'workers' must be >= 1 (got {workers})")
    start = time.perf_counter()
    tasks = _distinct(spec.tasks())
    path = Path(store_path) if store_path is not None else default_store_path(spec)
    with ResultStore(path) as store:
        stored = store.stored_ids(t.task_id for t in tasks)
        todo = [t for t in tasks if t.task_id not in stored]
        computed = _compute_and_store(
            spec, todo, store, workers, scheduler, len(stored), len(tasks), progress
        )
        records = store.records(t.task_id for t in tasks)
    errors = sum(1 for r in records if r.outputs.get("error"))
    return SweepSummary(
        points=len(tasks),
        computed=computed,
        reused=len(stored),
        errors=errors,
        store=str(path),
        wall_s=time.perf_counter() - start,
    )


def _distinct(tasks: Sequence[Task]) -> list[Task]:
    seen: dict[str, Task] = {}
    for task in tasks:
        seen.setdefault(task.task_id, task)
    return list(seen.values())


def _compute_and_store(
    spec: SweepSpec,
    todo: Sequence[Task],
    store: ResultStore,
    workers: int,
    scheduler: str | None,
    reused: int,
    total: int,
    show: bool,
) -> int:
    if not todo:
        return 0
    hint = DASK_WORKERS_HINT if scheduler else workers
    size = choose_batch_size(len(todo), hint, MAX_BATCH.get(spec.kind, 1))
    batches = make_batches([t.inputs for t in todo], size)
    tasks_of = [list(todo[i : i + size]) for i in range(0, len(todo), size)]
    computed = 0
    with _progress_bar(show) as bar:
        job = bar.add_task(f"sweep {spec.name}", total=total, completed=reused)
        for index, outputs in _backend(batches, workers, scheduler, tasks_of, PRELOAD.get(spec.kind, ())):
            for task, result in zip(tasks_of[index], outputs, strict=True):
                computed += store.add(task, result)
            bar.advance(job, len(outputs))
    return computed


def _backend(
    batches: list[list[Mapping[str, Any]]],
    workers: int,
    scheduler: str | None,
    tasks_of: list[list[Task]],
    preload: Sequence[str],
) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    if scheduler:
        keys = [f"ionnet-sweep-{task_id({'batch': [t.task_id for t in group]})[:32]}" for group in tasks_of]
        return run_dask(batches, scheduler, keys)
    if workers == 1:
        return run_serial(batches)
    return run_local_pool(batches, workers, preload)


class _RateColumn(ProgressColumn):
    """Points per second."""

    def render(self, task: Any) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.1f} pts/s" if speed else "-- pts/s")


def _progress_bar(show: bool) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        _RateColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        disable=not show,
        transient=False,
    )
