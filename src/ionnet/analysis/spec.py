"""Sweep files: a TOML file naming the task kind, the network, the axes and the outputs.

::

    [sweep]
    name = "fibre"                  # optional; default: the file's stem
    kind = "link"                   # link (analytic link physics) or run (compile + run a circuit)
    network = "default"             # preset name or network TOML (relative to this file)
    outputs = ["rate_hz", "fidelity"]

    [fixed]                         # parameters shared by every point (optional)
    "link.detector_efficiency" = 0.9

    [axes]                          # the grid is the product of the axes, in file order
    "link.fiber_length_m" = [1.0, 10.0, 100.0]
    "link.collection_efficiency" = { start = 0.01, stop = 0.5, num = 10 }            # linear
    "link.attempt_rate_hz" = { start = 1e5, stop = 1e7, num = 3, scale = "log" }    # geometric

Parameter names are listed in :mod:`ionnet.analysis.params`. The whole file is checked before
any work: an unknown table, key or parameter, an empty axis or a value of the wrong type or range
raises :class:`~ionnet.errors.SweepError` naming the key.

>>> spec = sweep_from_dict({"sweep": {"kind": "link", "outputs": ["rate_hz"]},
...                         "axes": {"link.fiber_length_m": [1, 10]}})
>>> spec.num_points, [t.axes for t in spec.tasks()]
(2, [{'link.fiber_length_m': 1}, {'link.fiber_length_m': 10}])
>>> sweep_from_dict({"sweep": {"kind": "link", "outputs": ["rate_hz"]}, "axes": {"link.fiber_length_m": []}})
Traceback (most recent call last):
...
ionnet.errors.SweepError: axis 'link.fiber_length_m' is empty
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ionnet.analysis.kinds import TaskKind, kind_spec
from ionnet.analysis.tasks import Task
from ionnet.errors import ConfigError, SweepError
from ionnet.hardware.network import NetworkSpec, load_network, read_toml

TABLES = ("sweep", "fixed", "axes")
SWEEP_KEYS = ("name", "description", "kind", "network", "outputs")
RANGE_KEYS = ("start", "stop", "num", "scale")
MAX_POINTS = 1_000_000
"""Most points of one sweep (the product of its axes), checked before any point is built."""


@dataclass(frozen=True)
class SweepSpec:
    """A validated sweep.

    Attributes:
        name: Sweep name (used in figure titles).
        kind: Task kind (``link`` or ``run``).
        network: Preset name or network file path (resolved against the sweep file's folder).
        outputs: Outputs recorded in tables and figures.
        fixed: Parameters shared by every point.
        axes: ``(parameter, values)`` pairs; the points are their product, in order.
        path: The sweep file (None when built from a dict).
    """

    name: str
    kind: str
    network: str
    outputs: tuple[str, ...]
    fixed: Mapping[str, Any] = field(default_factory=dict)
    axes: tuple[tuple[str, tuple[Any, ...]], ...] = ()
    path: Path | None = None

    @property
    def num_points(self) -> int:
        """Number of points (the product of the axis lengths)."""
        return int(np.prod([len(values) for _, values in self.axes])) if self.axes else 1

    @property
    def axis_names(self) -> tuple[str, ...]:
        """The swept parameters, in file order."""
        return tuple(name for name, _ in self.axes)

    def base_network(self) -> NetworkSpec:
        """The network every point starts from."""
        return load_network(self.network)

    def tasks(self) -> list[Task]:
        """Every point as a Task (raises SweepError naming the point's values if one is invalid)."""
        kind = kind_spec(self.kind)
        base = self.base_network()
        names = self.axis_names
        tasks = []
        for combo in itertools.product(*(values for _, values in self.axes)):
            axes = dict(zip(names, combo, strict=True))
            try:
                inputs = kind.build_inputs(base, {**self.fixed, **axes})
            except ConfigError as exc:
                raise SweepError(f"point {axes}: {exc}") from None
            tasks.append(Task.from_inputs(inputs, axes))
        return tasks


def load_sweep(path: str | Path) -> SweepSpec:
    """Read and validate a sweep file (see the module docstring)."""
    path = Path(path)
    try:
        data = read_toml(path, "sweep file")
    except ConfigError as exc:
        raise SweepError(str(exc)) from None
    return sweep_from_dict(data, path=path)


def sweep_from_dict(data: Mapping[str, Any], path: Path | None = None) -> SweepSpec:
    """Validate a parsed sweep file; every problem raises SweepError naming the key."""
    for key in data:
        if key not in TABLES:
            raise SweepError(f"unknown table '[{key}]' (known: {', '.join(TABLES)})")
    head = _table(data, "sweep")
    for key in head:
        if key not in SWEEP_KEYS:
            raise SweepError(f"unknown key 'sweep.{key}' (known: {', '.join(SWEEP_KEYS)})")
    kind = kind_spec(_string(head, "kind", None))
    network = _resolve_network(_string(head, "network", "default"), path)
    fixed = {k: _resolve_file(k, v, path) for k, v in _table(data, "fixed").items()}
    axes = tuple(
        (name, tuple(_resolve_file(name, v, path) for v in _axis_values(name, spec)))
        for name, spec in _table(data, "axes").items()
    )
    points = 1
    for name, values in axes:
        points *= len(values)
        if points > MAX_POINTS:
            raise SweepError(f"axis '{name}' takes the sweep past {MAX_POINTS} points")
    for name in [*fixed, *(n for n, _ in axes)]:
        _check_parameter(kind, name)
    spec = SweepSpec(
        name=_string(head, "name", path.stem if path else "sweep"),
        kind=kind.name,
        network=network,
        outputs=_outputs(head, kind),
        fixed=fixed,
        axes=axes,
        path=path,
    )
    _check_values(spec, kind)
    return spec


def _table(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    table = data.get(key, {})
    if not isinstance(table, Mapping):
        raise SweepError(f"'{key}' must be a table (got {table!r})")
    return table


def _string(table: Mapping[str, Any], key: str, default: str | None) -> str:
    value = table.get(key, default)
    if value is None:
        raise SweepError(f"'sweep.{key}' is required")
    if not isinstance(value, str):
        raise SweepError(f"'sweep.{key}' must be a string (got {value!r})")
    return value


def _resolve_network(name: str, path: Path | None) -> str:
    if name.endswith(".toml") and path is not None and not Path(name).is_absolute():
        return str((path.parent / name).resolve())
    return name


def _resolve_file(name: str, value: Any, path: Path | None) -> Any:
    """A relative ``circuit.file`` is read from the sweep file's folder."""
    if name != "circuit.file" or not isinstance(value, str) or path is None or Path(value).is_absolute():
        return value
    return str(path.parent / value)


def _outputs(head: Mapping[str, Any], kind: TaskKind) -> tuple[str, ...]:
    outputs = head.get("outputs", list(kind.outputs))
    if not isinstance(outputs, list) or not outputs or not all(isinstance(o, str) for o in outputs):
        raise SweepError(f"'sweep.outputs' must be a non-empty list of names (got {outputs!r})")
    for name in outputs:
        if name not in kind.outputs:
            raise SweepError(
                f"unknown output '{name}' in 'sweep.outputs' for {kind.name} tasks "
                f"(known: {', '.join(kind.outputs)})"
            )
    return tuple(outputs)


def _check_parameter(kind: TaskKind, name: str) -> None:
    try:
        kind.check_parameter(name)
    except ConfigError as exc:
        raise SweepError(str(exc)) from None


def _axis_values(name: str, spec: Any) -> tuple[Any, ...]:
    """The values of one axis: a list, or a ``{start, stop, num, scale}`` range."""
    if isinstance(spec, Mapping):
        return _range_values(name, spec)
    if not isinstance(spec, list):
        raise SweepError(f"axis '{name}' must be a list or a {{start, stop, num}} table (got {spec!r})")
    if not spec:
        raise SweepError(f"axis '{name}' is empty")
    return tuple(spec)


def _range_values(name: str, spec: Mapping[str, Any]) -> tuple[float, ...]:
    for key in spec:
        if key not in RANGE_KEYS:
            raise SweepError(f"unknown key '{key}' in axis '{name}' (known: {', '.join(RANGE_KEYS)})")
    start, stop = (_number(name, key, spec.get(key)) for key in ("start", "stop"))
    num = spec.get("num")
    if not isinstance(num, int) or isinstance(num, bool) or not 1 <= num <= MAX_POINTS:
        raise SweepError(f"'num' of axis '{name}' must be an integer in [1, {MAX_POINTS}] (got {num!r})")
    scale = spec.get("scale", "linear")
    if scale == "linear":
        values = np.linspace(start, stop, num)
    elif scale == "log":
        if start <= 0 or stop <= 0:
            raise SweepError(f"a log axis '{name}' needs start and stop > 0 (got {start}, {stop})")
        values = np.geomspace(start, stop, num)
    else:
        raise SweepError(f"'scale' of axis '{name}' must be linear or log (got {scale!r})")
    return tuple(float(v) for v in values)


def _number(axis: str, key: str, value: Any) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool) or abs(value) > 1e300 or value != value:
        raise SweepError(f"'{key}' of axis '{axis}' must be a finite number (got {value!r})")
    return float(value)


def _check_values(spec: SweepSpec, kind: TaskKind) -> None:
    """Check every fixed value and every axis value on its own, naming the key when one is bad.

    Combinations are checked when the points are built (:meth:`SweepSpec.tasks`), still before
    any work starts.
    """
    try:
        base = spec.base_network()
    except ConfigError as exc:
        raise SweepError(f"'sweep.network': {exc}") from None
    for name, value in spec.fixed.items():
        try:
            kind.check_value(base, name, value)
        except ConfigError as exc:
            raise SweepError(f"[fixed] '{name}' = {value!r}: {exc}") from None
    for name, values in spec.axes:
        for value in values:
            try:
                kind.check_value(base, name, value)
            except ConfigError as exc:
                raise SweepError(f"axis '{name}' value {value!r}: {exc}") from None
