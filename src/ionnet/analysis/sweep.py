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
from collections.abc import Iterator, Sequence
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

__all__ = ["Counts", "SweepSummary", "compute_missing", "default_store_path", "run_sweep", "sweep_from_dict"]

MAX_BATCH = {"link": 64, "run": 1, "estimate": 1, "qec": 1}
"""Tasks per batch at most: cheap analytic tasks travel in batches, runtime tasks one by one."""
PRELOAD = {
    "run": ("ionnet.analysis.runkind",),
    "estimate": ("ionnet.analysis.estimate",),
    "qec": ("ionnet.analysis.qeckind",),
}
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
        A :class:`SweepSummary`. Raises SweepError on a bad store, scheduler or worker count.
    """
    start = time.perf_counter()
    tasks = spec.tasks()
    path = Path(store_path) if store_path is not None else default_store_path(spec)
    with ResultStore(path) as store:
        done = compute_missing(
            tasks, store, label=f"sweep {spec.name}", workers=workers, scheduler=scheduler, progress=progress
        )
        records = store.records(t.task_id for t in tasks)
    errors = sum(1 for r in records if r.outputs.get("error"))
    return SweepSummary(
        points=done.points,
        computed=done.computed,
        reused=done.reused,
        errors=errors,
        store=str(path),
        wall_s=time.perf_counter() - start,
    )


@dataclass(frozen=True)
class Counts:
    """Distinct points, and how many were computed now or found in the store."""

    points: int
    computed: int
    reused: int


def compute_missing(
    tasks: Sequence[Task],
    store: ResultStore,
    *,
    label: str = "tasks",
    workers: int = 1,
    scheduler: str | None = None,
    progress: bool = True,
) -> Counts:
    """Compute the tasks not yet in ``store`` and store each as it finishes.

    Duplicate task ids are computed once. Used by :func:`run_sweep` and by ``ionnet compare``.
    """
    if workers < 1:
        raise SweepError(f"'workers' must be >= 1 (got {workers})")
    distinct = _distinct(tasks)
    stored = store.stored_ids(t.task_id for t in distinct)
    todo = [t for t in distinct if t.task_id not in stored]
    computed = 0
    with _progress_bar(progress) as bar:
        job = bar.add_task(label, total=len(distinct), completed=len(stored))
        for group, outputs in _backend(todo, workers, scheduler):
            for task, result in zip(group, outputs, strict=True):
                computed += store.add(task, result)
            bar.advance(job, len(outputs))
    return Counts(points=len(distinct), computed=computed, reused=len(stored))


def _distinct(tasks: Sequence[Task]) -> list[Task]:
    seen: dict[str, Task] = {}
    for task in tasks:
        seen.setdefault(task.task_id, task)
    return list(seen.values())


def _backend(
    todo: Sequence[Task], workers: int, scheduler: str | None
) -> Iterator[tuple[list[Task], list[dict[str, Any]]]]:
    """Yield (tasks, outputs) per finished batch, from the chosen backend."""
    if not todo:
        return
    kinds = {str(t.inputs["kind"]) for t in todo}
    max_batch = min(MAX_BATCH.get(k, 1) for k in kinds)
    size = choose_batch_size(len(todo), DASK_WORKERS_HINT if scheduler else workers, max_batch)
    groups = [list(todo[i : i + size]) for i in range(0, len(todo), size)]
    batches = make_batches([t.inputs for t in todo], size)
    if scheduler:
        keys = [f"ionnet-sweep-{task_id({'batch': [t.task_id for t in g]})[:32]}" for g in groups]
        results = run_dask(batches, scheduler, keys)
    elif workers == 1:
        results = run_serial(batches)
    else:
        preload = [m for k in sorted(kinds) for m in PRELOAD.get(k, ())]
        results = run_local_pool(batches, workers, preload)
    for index, outputs in results:
        yield groups[index], outputs


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
