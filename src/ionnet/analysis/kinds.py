"""Task kinds: what a sweep point computes, which parameters it takes and which outputs it gives.

``link``: the analytic figures of the network's first link between its first two modules
(:func:`ionnet.hardware.link_physics.link_budget`): arm efficiencies, success probability per
attempt, attempt and ebit rates, herald latency, false-herald fraction and heralded fidelity.

``run``: compile a circuit for the network and run it on the simulated machine (see
:mod:`ionnet.analysis.runkind`).

>>> spec = kind_spec("link")
>>> "rate_hz" in spec.outputs and "link" in spec.namespaces
True
>>> inputs = spec.build_inputs("default", {"link.fiber_length_m": 2.0, "seed": 0})
>>> round(spec.compute(inputs)["p_success"], 6) > 0
True
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ionnet.analysis.params import (
    apply_parameters,
    group_parameters,
    network_from_canonical,
    network_to_canonical,
)
from ionnet.errors import ConfigError, SweepError
from ionnet.hardware.link_physics import link_budget
from ionnet.hardware.network import NetworkSpec

BuildFn = Callable[[str | Path | NetworkSpec, Mapping[str, Any]], dict[str, Any]]
ComputeFn = Callable[[Mapping[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class TaskKind:
    """A kind of sweep task.

    Attributes:
        name: ``link`` or ``run``.
        namespaces: Parameter namespaces it accepts ('' for ``seed``/``shots``/``duration_s``).
        top_level: The top-level parameters it accepts.
        outputs: Names of the outputs it records.
        build_inputs: (base network, parameters) -> the task's inputs; raises ConfigError.
        compute: inputs -> outputs (runs on a worker).
    """

    name: str
    namespaces: tuple[str, ...]
    top_level: tuple[str, ...]
    outputs: tuple[str, ...]
    build_inputs: BuildFn
    compute: ComputeFn

    def check_parameter(self, name: str) -> None:
        """Raise ConfigError unless this kind takes parameter ``name``."""
        grouped = group_parameters({name: None})
        head = next(ns for ns, table in grouped.items() if table)
        if head == "" and name not in self.top_level:
            raise ConfigError(f"parameter '{name}' does not apply to '{self.name}' tasks")
        if head and head not in self.namespaces:
            raise ConfigError(f"parameter '{name}' does not apply to '{self.name}' tasks")


LINK_OUTPUTS = (
    "eta_a",
    "eta_b",
    "p_success",
    "herald_latency_s",
    "attempt_interval_s",
    "attempt_rate_hz",
    "rate_hz",
    "false_herald_fraction",
    "fidelity",
)


def build_link_inputs(base: str | Path | NetworkSpec, params: Mapping[str, Any]) -> dict[str, Any]:
    """Inputs of a link task: the resolved network (it must have a link) and the seed."""
    network = apply_parameters(base, params)
    if not network.edges:
        raise ConfigError(f"network '{network.name}' has no link to evaluate")
    return {"kind": "link", "network": network_to_canonical(network), "seed": params.get("seed", 0)}


def compute_link(inputs: Mapping[str, Any]) -> dict[str, Any]:
    """The link budget of the first link of the task's network."""
    network = network_from_canonical(inputs["network"])
    a, b = network.edges[0]
    budget = link_budget(network.links[0], network.modules[a], network.modules[b])
    return {name: getattr(budget, name) for name in LINK_OUTPUTS}


_KINDS: dict[str, TaskKind] = {
    "link": TaskKind(
        name="link",
        namespaces=("module", "link", "network"),
        top_level=("seed",),
        outputs=LINK_OUTPUTS,
        build_inputs=build_link_inputs,
        compute=compute_link,
    ),
}


def register(kind: TaskKind) -> None:
    """Add a task kind (used by :mod:`ionnet.analysis.runkind`)."""
    _KINDS[kind.name] = kind


def kind_spec(name: str) -> TaskKind:
    """The task kind called ``name``; raises SweepError naming it when unknown."""
    if name == "run" and "run" not in _KINDS:
        from ionnet.analysis import runkind  # noqa: F401  (registers itself)
    if name not in _KINDS:
        raise SweepError(f"'kind' must be one of link, run (got {name!r})")
    return _KINDS[name]
