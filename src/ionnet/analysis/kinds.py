"""Task kinds: what a sweep point computes, which parameters it takes and which outputs it gives.

``link``: the analytic figures of the network's first link between its first two modules
(:func:`ionnet.hardware.link_physics.link_budget`): arm efficiencies, success probability per
attempt, attempt and ebit rates, herald latency, false-herald fraction and heralded fidelity.
With ``duration_s > 0`` it also samples the heralds of that much simulated time
(:func:`ionnet.link.generation.sample_herald_times`, stream ``(seed, "sweep", "link")``) and
records ``sim_pairs`` and ``sim_rate_hz``.

``run``: compile a circuit for the network and run it on the simulated machine (see
:mod:`ionnet.analysis.runkind`). ``estimate``: compile and schedule it, and estimate its success
probability analytically (see :mod:`ionnet.analysis.estimate`). ``qec``: sample a surface code
split across modules (see :mod:`ionnet.analysis.qeckind`).

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
from ionnet.link.generation import sample_herald_times
from ionnet.seeding import stream

BuildFn = Callable[[str | Path | NetworkSpec, Mapping[str, Any]], dict[str, Any]]
CheckFn = Callable[[NetworkSpec, str, Any], None]
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
        check_value: (base network, parameter, value) -> None; raises ConfigError on a bad value.
    """

    name: str
    namespaces: tuple[str, ...]
    top_level: tuple[str, ...]
    outputs: tuple[str, ...]
    build_inputs: BuildFn
    compute: ComputeFn
    check_value: CheckFn

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
    "sim_pairs",
    "sim_rate_hz",
)


def build_link_inputs(base: str | Path | NetworkSpec, params: Mapping[str, Any]) -> dict[str, Any]:
    """Inputs of a link task: the resolved network (it must have a link) and the seed."""
    network = apply_parameters(base, params)
    if not network.edges:
        raise ConfigError(f"network '{network.name}' has no link to evaluate")
    duration_s = params.get("duration_s", 0.0)
    if not isinstance(duration_s, int | float) or isinstance(duration_s, bool) or duration_s < 0:
        raise ConfigError(f"'duration_s' must be a number >= 0 (got {duration_s!r})")
    seed = params.get("seed", 0)
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ConfigError(f"'seed' must be an integer >= 0 (got {seed!r})")
    return {
        "kind": "link",
        "network": network_to_canonical(network),
        "seed": seed,
        "duration_s": float(duration_s),
    }


def compute_link(inputs: Mapping[str, Any]) -> dict[str, Any]:
    """The link budget of the first link of the task's network."""
    network = network_from_canonical(inputs["network"])
    a, b = network.edges[0]
    budget = link_budget(network.links[0], network.modules[a], network.modules[b])
    outputs = {name: getattr(budget, name) for name in LINK_OUTPUTS if not name.startswith("sim_")}
    duration_s = inputs["duration_s"]
    if duration_s > 0:
        heralds = sample_herald_times(network.links[0], stream(inputs["seed"], "sweep", "link"), duration_s)
        outputs.update(sim_pairs=heralds.count, sim_rate_hz=heralds.count / duration_s)
    return outputs


def _discard(_: object) -> None:
    """Validation by construction: build, keep nothing."""


_KINDS: dict[str, TaskKind] = {
    "link": TaskKind(
        name="link",
        namespaces=("module", "link", "network"),
        top_level=("seed", "duration_s"),
        outputs=LINK_OUTPUTS,
        build_inputs=build_link_inputs,
        compute=compute_link,
        check_value=lambda base, name, value: _discard(build_link_inputs(base, {name: value})),
    ),
}


def register(kind: TaskKind) -> None:
    """Add a task kind (used by :mod:`ionnet.analysis.runkind`)."""
    _KINDS[kind.name] = kind


def kind_spec(name: str) -> TaskKind:
    """The task kind called ``name``; raises SweepError naming it when unknown."""
    lazy = {"run": "runkind", "estimate": "estimate", "qec": "qeckind"}
    if name in lazy and name not in _KINDS:
        import importlib

        importlib.import_module(f"ionnet.analysis.{lazy[name]}")
    if name not in _KINDS:
        raise SweepError(f"'kind' must be one of link, run, estimate, qec (got {name!r})")
    return _KINDS[name]
