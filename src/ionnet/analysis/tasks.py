"""Sweep tasks: content-addressed inputs, their hash, and the function that computes one.

A task's ``inputs`` is a JSON-able dict holding everything its result depends on: the task kind,
the fully resolved network (every module, link and arm field, see
:func:`ionnet.analysis.params.network_to_canonical`), the circuit, the compiler options, the
shots and the seed. Its ``task_id`` is the sha256 of the canonical JSON of ``inputs`` (sorted
keys, no spaces, shortest float repr), so ``fiber_length_m = 10`` and ``10.0`` give the same id,
and a rerun finds the same points in the store (sinter's resumable, content-addressed tasks).

>>> inputs = {"kind": "link", "seed": 0, "x": 1.0}
>>> canonical_json(inputs)
'{"kind":"link","seed":0,"x":1.0}'
>>> task_id(inputs) == task_id({"x": 1.0, "seed": 0, "kind": "link"})
True
>>> task_id(inputs)[:16]
'a405e1b1fd0ba60f'
"""

from __future__ import annotations

import hashlib
import json
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ionnet.analysis.kinds import kind_spec
from ionnet.errors import IonnetError, SweepError

TASK_FORMAT = 1
"""Bumped when the meaning of a task's inputs changes, so old stored results are not reused."""


def canonical_json(obj: Any) -> str:
    """The canonical JSON text of ``obj``: sorted keys, compact, ASCII, no NaN or infinity."""
    try:
        return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False)
    except ValueError as exc:
        raise SweepError(f"task inputs must be finite numbers: {exc}") from None


def task_id(inputs: Mapping[str, Any]) -> str:
    """The sha256 hex digest of the canonical JSON of ``inputs``."""
    return hashlib.sha256(canonical_json(inputs).encode()).hexdigest()


@dataclass(frozen=True)
class Task:
    """One sweep point: its id, full inputs, and the swept values that name it in tables.

    Attributes:
        task_id: sha256 of ``inputs`` (see :func:`task_id`).
        inputs: Everything the result depends on (JSON-able).
        axes: The values of the sweep's axes at this point (``{"link.fiber_length_m": 10.0}``).
    """

    task_id: str
    inputs: Mapping[str, Any]
    axes: Mapping[str, Any]

    @classmethod
    def from_inputs(cls, inputs: Mapping[str, Any], axes: Mapping[str, Any]) -> Task:
        """A Task whose id is the hash of ``inputs`` (with the task format added)."""
        full = {"task_format": TASK_FORMAT, **inputs}
        return cls(task_id=task_id(full), inputs=full, axes=dict(axes))


def compute_task(inputs: Mapping[str, Any]) -> dict[str, Any]:
    """Compute one task: its outputs, ``error`` ('' when it worked) and ``task_wall_s``.

    An :class:`ionnet.errors.IonnetError` raised by the physics (e.g. a circuit that does not fit)
    becomes the point's ``error`` text rather than stopping the sweep; any other exception is a
    bug and propagates.
    """
    compute = kind_spec(inputs["kind"]).compute
    start = time.perf_counter()
    try:
        outputs = compute(inputs)
        error = ""
    except IonnetError as exc:
        outputs, error = {}, f"{type(exc).__name__}: {exc}"
    outputs = {k: _plain(v) for k, v in outputs.items()}
    return {**outputs, "error": error, "task_wall_s": time.perf_counter() - start}


def compute_batch(batch: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Compute several tasks in order (one round trip to a worker for many cheap tasks)."""
    return [compute_task(inputs) for inputs in batch]


def _plain(value: Any) -> Any:
    if hasattr(value, "item") and callable(value.item):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
