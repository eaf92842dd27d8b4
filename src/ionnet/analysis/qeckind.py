"""The ``qec`` task kind: sample a surface-code memory or surgery experiment split across modules.

Parameters: ``qec.experiment`` (``memory``, default, or ``surgery``), ``qec.distance`` (required),
``qec.rounds``, ``qec.patch``, ``qec.seam``, ``qec.basis``, ``qec.modules``, ``qec.interface``
(``uniform``, default, ``scaled`` or ``link``), ``qec.p``, ``qec.lambda``, ``qec.ebit_fidelity``,
``qec.teleport``, ``qec.purification_rounds``, ``qec.max_errors``; ``shots`` (default 10,000)
and ``seed`` (default 0); and, for the ``link`` interface, every ``module.*``, ``link.*`` and
``network.*`` key of the sweep's network (the network is part of a link task's inputs and of
nothing else's, so a uniform sweep does not depend on it; ``network.capacity = "auto"`` gives
each module the qubits its part of the code needs).

Each point is one :func:`ionnet.qec.report.sample_experiment` in one worker, seeded by its
``seed``: resuming is the sweep store's (one row per point, committed as it finishes), and the
counts do not depend on the number of workers. Outputs: the fields of ``ionnet qec memory
--json`` (the intervals as ``[low, high]``) and ``collect_wall_s``.

>>> from ionnet.hardware import load_network
>>> inputs = build_qec_inputs(load_network("default"), {"qec.distance": 3, "qec.p": 0.01,
...     "shots": 2000, "seed": 1})
>>> out = compute_qec(inputs)
>>> out["shots"], out["rounds"], 0 < out["logical_error_per_round"] < 0.1
(2000, 3, True)
>>> build_qec_inputs(load_network("default"), {"qec.distance": 4})
Traceback (most recent call last):
...
ionnet.errors.ConfigError: 'distance' must be an odd integer >= 3 (got 4)
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ionnet.analysis.kinds import TaskKind, register
from ionnet.analysis.params import (
    apply_parameters,
    group_parameters,
    network_from_canonical,
    network_to_canonical,
)
from ionnet.errors import ConfigError
from ionnet.hardware.network import NetworkSpec

QEC_KEYS = {
    "experiment": "memory",
    "distance": None,
    "rounds": None,
    "patch": "square",
    "seam": "crossing",
    "basis": None,
    "modules": 2,
    "interface": "uniform",
    "p": 1e-3,
    "lambda": 1.0,
    "ebit_fidelity": None,
    "teleport": "physical",
    "purification_rounds": 0,
    "max_errors": None,
}
EXPERIMENTS = ("memory", "surgery")
QEC_OUTPUTS = (
    "distance",
    "rounds",
    "shots",
    "errors",
    "logical_error_per_shot",
    "logical_error_per_shot_ci95",
    "logical_error_per_round",
    "logical_error_per_round_ci95",
    "round_time_s",
    "ebits_per_round",
    "logical_error_per_s",
    "logical_error_per_s_ci95",
    "collect_wall_s",
)


def _count(name: str, value: Any, minimum: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise ConfigError(f"'{name}' must be an integer >= {minimum} (got {value!r})")
    return value


def _qec_table(table: Mapping[str, Any]) -> dict[str, Any]:
    for key in table:
        if key not in QEC_KEYS:
            raise ConfigError(f"unknown parameter 'qec.{key}' (known: {', '.join(QEC_KEYS)})")
    merged = {**QEC_KEYS, **table}
    if merged["distance"] is None:
        raise ConfigError("a qec task needs 'qec.distance'")
    if merged["experiment"] not in EXPERIMENTS:
        raise ConfigError(f"'qec.experiment' must be memory or surgery (got {merged['experiment']!r})")
    if merged["basis"] is None:
        merged["basis"] = "Z" if merged["experiment"] == "memory" else "ZZ"
    if merged["max_errors"] is not None:
        _count("qec.max_errors", merged["max_errors"], 1)
    return merged


def build_qec_inputs(base: str | Path | NetworkSpec, params: Mapping[str, Any]) -> dict[str, Any]:
    """Inputs of a qec task (raises ConfigError naming the key; builds nothing heavy)."""
    groups = group_parameters(params)
    qec = _qec_table(groups["qec"])
    network = None
    if qec["interface"] == "link":
        base_net = base if isinstance(base, NetworkSpec) else None
        modules = groups["network"].get("modules", base_net.num_modules if base_net else 2)
        need = _need({"qec": qec})
        num_qubits = need * modules if isinstance(modules, int) else None
        network = network_to_canonical(apply_parameters(base, params, num_qubits=num_qubits))
    inputs = {
        "kind": "qec",
        "qec": qec,
        "network": network,
        "shots": _count("shots", params.get("shots", 10000), 1),
        "seed": _count("seed", params.get("seed", 0), 0),
    }
    _specs(inputs)  # validates the distance, seam, interface, p, lambda... with their own messages
    return inputs


def _need(inputs: Mapping[str, Any]) -> int:
    """Qubits the fullest module holds (``network.capacity = "auto"``)."""
    from ionnet.qec.memory import memory_qubits_per_module
    from ionnet.qec.surgery import surgery_qubits_per_module

    spec = _spec(inputs["qec"])
    if inputs["qec"]["experiment"] == "surgery":
        return max(surgery_qubits_per_module(spec))
    return max(memory_qubits_per_module(spec))


def _spec(q: Mapping[str, Any]) -> Any:
    from ionnet.qec import MemorySpec, SurgerySpec

    if q["experiment"] == "surgery":
        return SurgerySpec(distance=q["distance"], rounds=q["rounds"], basis=q["basis"])
    return MemorySpec(
        distance=q["distance"],
        rounds=q["rounds"],
        patch=q["patch"],
        seam=q["seam"],
        basis=q["basis"],
        modules=q["modules"],
    )


def _specs(inputs: Mapping[str, Any]) -> tuple[Any, Any]:
    from ionnet.qec import InterfaceNoise

    q = inputs["qec"]
    network = network_from_canonical(inputs["network"]) if inputs["network"] else None
    noise = InterfaceNoise(
        kind=q["interface"],
        p=q["p"],
        lam=q["lambda"],
        network=network,
        ebit_fidelity=q["ebit_fidelity"],
        teleport=q["teleport"],
        purification_rounds=q["purification_rounds"],
    )
    return _spec(q), noise


def check_qec_value(base: NetworkSpec, name: str, value: Any) -> None:
    """Check one parameter value of a qec sweep on its own (with distance 3 where none is given)."""
    head, _, key = name.partition(".")
    if name in ("shots", "seed"):
        _count(name, value, 1 if name == "shots" else 0)
    elif head == "qec":
        params: dict[str, Any] = {"qec.distance": 3, name: value}
        params.update({"qec.interface": "scaled"} if key == "lambda" else {})
        params.update({"qec.interface": "link"} if key == "ebit_fidelity" else {})
        if key == "basis":  # its valid values depend on the experiment: checked with the points
            _qec_table(group_parameters(params)["qec"])
        else:
            build_qec_inputs(base, params)
    else:
        apply_parameters(base, {name: value})


def compute_qec(inputs: Mapping[str, Any]) -> dict[str, Any]:
    """Build and sample one point; outputs as in QEC_OUTPUTS."""
    import ionnet.qec
    from ionnet.qec.report import sample_experiment

    spec, noise = _specs(inputs)
    build = getattr(ionnet.qec, f"{inputs['qec']['experiment']}_experiment")
    report = sample_experiment(
        build(spec, noise), shots=inputs["shots"], max_errors=inputs["qec"]["max_errors"], seed=inputs["seed"]
    )
    out = report.as_dict()
    out["collect_wall_s"] = out.pop("wall_s")
    return {name: out[name] for name in QEC_OUTPUTS}


register(
    TaskKind(
        name="qec",
        namespaces=("module", "link", "network", "qec"),
        top_level=("seed", "shots"),
        outputs=QEC_OUTPUTS,
        build_inputs=build_qec_inputs,
        compute=compute_qec,
        check_value=check_qec_value,
    )
)
