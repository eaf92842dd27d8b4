"""Modular against monolithic: the same circuit family at growing sizes on both machines.

For each total qubit count N the circuit runs on

* the **monolithic** machine: one chain of N ions whose two-qubit gates follow the
  :class:`~ionnet.analysis.monolithic.ScalingLaw` at N;
* the **modular** machine: ceil(N / C) modules of C data qubits (plus their communication ions)
  with gates at that chain length, joined all-to-all by the network's photonic link.

Each point is a ``run`` task (compiled and executed by the runtime) or, where the state cannot
be simulated (non-Clifford circuits above ``MAX_SIMULATED_QUBITS``), an ``estimate`` task
(:mod:`ionnet.analysis.estimate`); every row says which. The modular machine wins at N when its
success probability is higher. The **crossover** is the smallest N of the list from which the
modular machine wins at every larger size too (None if it does not win at the largest). With
``vary`` (a link parameter and its values) the comparison is repeated per value, giving the
crossover against the link's heralded fidelity and ebit rate.

>>> from ionnet.hardware import load_network
>>> result = compare(load_network("default"), "ghz", [4, 8], module_qubits=4, shots=100, progress=False)
>>> [(r.machine, r.qubits, r.modules) for r in result.rows]
[('monolithic', 4, 1), ('modular', 4, 1), ('monolithic', 8, 1), ('modular', 8, 2)]
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ionnet.analysis.estimate import build_estimate_inputs
from ionnet.analysis.monolithic import ScalingLaw, modular_network, monolithic_network
from ionnet.analysis.params import apply_parameters
from ionnet.analysis.runkind import build_run_inputs
from ionnet.analysis.store import ResultStore
from ionnet.analysis.sweep import compute_missing
from ionnet.analysis.tasks import Task
from ionnet.errors import ConfigError, SweepError
from ionnet.hardware.link_physics import link_budget
from ionnet.hardware.network import NetworkSpec

CLIFFORD_FAMILIES = ("ghz", "bv")
MAX_SIMULATED_QUBITS = 20
"""Non-Clifford circuits above this size are estimated, not simulated."""
METHODS = ("auto", "run", "estimate")


@dataclass(frozen=True)
class CompareRow:
    """One machine at one size (and one value of the varied link parameter)."""

    machine: str
    qubits: int
    modules: int
    method: str
    success_probability: float | None
    makespan_s: float | None
    time_to_solution_s: float | None
    ebits: int | None
    vary_value: Any = None
    error: str = ""


@dataclass(frozen=True)
class Crossover:
    """Where the modular machine starts to win, for one link setting."""

    vary_value: Any
    link_fidelity: float
    link_rate_hz: float
    crossover_qubits: int | None
    crossover_tts_qubits: int | None


@dataclass(frozen=True)
class Comparison:
    """Rows for every size and machine, and the crossover per link setting."""

    family: str
    network: str
    seed: int
    shots: int
    module_qubits: int
    law: ScalingLaw
    vary: str | None
    rows: list[CompareRow] = field(default_factory=list)
    crossovers: list[Crossover] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """Plain values for ``--json`` and plots."""
        return {
            "family": self.family,
            "network": self.network,
            "seed": self.seed,
            "shots": self.shots,
            "module_qubits": self.module_qubits,
            "law": asdict(self.law),
            "law_note": "assumption: 2q infidelity and gate time scale as (N / reference_ions)^exponent",
            "vary": self.vary,
            "rows": [asdict(r) for r in self.rows],
            "crossovers": [asdict(c) for c in self.crossovers],
        }


def compare(
    base: NetworkSpec,
    family: str,
    sizes: Sequence[int],
    *,
    module_qubits: int | None = None,
    law: ScalingLaw | None = None,
    shots: int = 1000,
    seed: int = 0,
    method: str = "auto",
    vary: tuple[str, Sequence[Any]] | None = None,
    workers: int = 1,
    store_path: str | Path | None = None,
    progress: bool = True,
) -> Comparison:
    """Run ``family`` at every size on both machines and find the crossover (see module doc).

    Args:
        base: Network giving the module technology and the link.
        family: Circuit family (``ghz``, ``bv``, ``qft``).
        sizes: Total qubit counts.
        module_qubits: Data qubits per module of the modular machine (default: the base module's).
        law: Gate degradation with chain length (default :class:`ScalingLaw`).
        shots, seed: Per run.
        method: ``run`` (runtime), ``estimate`` (analytic) or ``auto`` (see module doc).
        vary: ``("link.<key>", values)``: repeat the comparison for each link setting.
        workers: Local worker processes.
        store_path: SQLite store to reuse results across invocations (default: in memory).
        progress: Progress bar on stderr.
    """
    law = law or ScalingLaw(reference_ions=base.modules[0].data_qubits)
    capacity = module_qubits or base.modules[0].data_qubits
    _check(sizes, method, vary, shots)
    settings = [(None, base)] if vary is None else [(v, _with_link(base, vary[0], v)) for v in vary[1]]
    planned = [
        (value, net, n, machine, _task(net, family, n, machine, law, capacity, shots, seed, method))
        for value, net in settings
        for n in sorted(set(sizes))
        for machine in ("monolithic", "modular")
    ]
    with ResultStore(store_path or ":memory:") as store:
        tasks = [p[-1] for p in planned]
        compute_missing(tasks, store, label=f"compare {family}", workers=workers, progress=progress)
        outputs = {r.task_id: r.outputs for r in store.records(t.task_id for t in tasks)}
    rows = [_row(machine, n, task, outputs[task.task_id], value) for value, _, n, machine, task in planned]
    crossovers = [
        _crossover(value, net, [r for r in rows if r.vary_value == value]) for value, net in settings
    ]
    return Comparison(
        family, base.name, seed, shots, capacity, law, vary[0] if vary else None, rows, crossovers
    )


def _check(sizes: Sequence[int], method: str, vary: tuple[str, Sequence[Any]] | None, shots: int) -> None:
    if not sizes or any(not isinstance(n, int) or n < 2 for n in sizes):
        raise ConfigError(f"'sizes' must be integers >= 2 (got {list(sizes)!r})")
    if method not in METHODS:
        raise ConfigError(f"'method' must be one of {', '.join(METHODS)} (got {method!r})")
    if vary is not None and (not vary[0].startswith("link.") or not vary[1]):
        raise ConfigError(f"'vary' must name a link.<key> parameter and values (got {vary[0]!r})")
    if shots < 1:
        raise ConfigError(f"'shots' must be >= 1 (got {shots})")


def _with_link(base: NetworkSpec, name: str, value: Any) -> NetworkSpec:
    try:
        return apply_parameters(base, {name: value})
    except ConfigError as exc:
        raise SweepError(f"'--vary {name}' value {value!r}: {exc}") from None


def _task(
    base: NetworkSpec,
    family: str,
    n: int,
    machine: str,
    law: ScalingLaw,
    capacity: int,
    shots: int,
    seed: int,
    method: str,
) -> Task:
    network = (
        monolithic_network(base, n, law)
        if machine == "monolithic"
        else modular_network(base, n, law, capacity)
    )
    params = {"circuit.family": family, "circuit.num_qubits": n, "shots": shots, "seed": seed}
    if _method(family, n, method) == "run":
        return Task.from_inputs(build_run_inputs(network, params), {"machine": machine, "qubits": n})
    return Task.from_inputs(build_estimate_inputs(network, params), {"machine": machine, "qubits": n})


def _method(family: str, n: int, method: str) -> str:
    if method != "auto":
        return method
    return "run" if family in CLIFFORD_FAMILIES or n <= MAX_SIMULATED_QUBITS else "estimate"


def _row(machine: str, n: int, task: Task, out: Mapping[str, Any], value: Any) -> CompareRow:
    success, makespan = out.get("success_probability"), out.get("makespan_s")
    tts = makespan / success if success and makespan is not None else (math.inf if makespan else None)
    return CompareRow(
        machine=machine,
        qubits=n,
        modules=int(task.inputs["network"]["network"]["modules"]),
        method=str(task.inputs["kind"]),
        success_probability=success,
        makespan_s=makespan,
        time_to_solution_s=tts,
        ebits=out.get("ebits"),
        vary_value=value,
        error=out.get("error", ""),
    )


def crossover_size(sizes: Sequence[int], modular_wins: Sequence[bool]) -> int | None:
    """The smallest size from which the modular machine wins at every larger size.

    >>> crossover_size([8, 16, 32, 64], [False, True, False, True])
    64
    >>> crossover_size([8, 16], [True, False]) is None
    True
    """
    crossing = None
    for n, wins in sorted(zip(sizes, modular_wins, strict=True), reverse=True):
        if not wins:
            break
        crossing = n
    return crossing


def _crossover(value: Any, network: NetworkSpec, rows: list[CompareRow]) -> Crossover:
    mono = {r.qubits: r for r in rows if r.machine == "monolithic"}
    mod = {r.qubits: r for r in rows if r.machine == "modular"}
    sizes = sorted(mono)

    def better(a: float | None, b: float | None, higher: bool) -> bool:
        if a is None or b is None:
            return False
        return a > b if higher else a < b

    wins = [better(mod[n].success_probability, mono[n].success_probability, True) for n in sizes]
    faster = [better(mod[n].time_to_solution_s, mono[n].time_to_solution_s, False) for n in sizes]
    budget = link_budget(network.link, network.modules[0], network.modules[0])
    return Crossover(
        vary_value=value,
        link_fidelity=budget.fidelity,
        link_rate_hz=budget.rate_hz,
        crossover_qubits=crossover_size(sizes, wins),
        crossover_tts_qubits=crossover_size(sizes, faster),
    )
