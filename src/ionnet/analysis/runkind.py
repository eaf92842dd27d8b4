"""The ``run`` task kind: compile a circuit for the point's network and run it.

Parameters: every ``module.*``, ``link.*`` and ``network.*`` key; ``circuit.family`` with
``circuit.num_qubits`` (see :mod:`ionnet.analysis.circuits`) or ``circuit.file`` (an OpenQASM
file, hashed by content); ``compiler.seed``; ``shots`` (default 1000) and ``seed`` (default 0,
the runtime's root seed). The compiler is :func:`ionnet.compiler.pipeline.compile_circuit` and
the runtime :func:`ionnet.runtime.execute.run_program`, with the circuit's ideal reference
(for the fidelity) and, for a family, its expected answers (for the success probability).

>>> from ionnet.hardware import load_network
>>> inputs = build_run_inputs(load_network("default"), {"circuit.family": "ghz",
...     "circuit.num_qubits": 4, "network.modules": 2, "network.capacity": "auto", "shots": 50})
>>> out = compute_run(inputs)
>>> out["ebits"], out["qubits"], 0 <= out["success_probability"] <= 1
(1, 4, True)
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from qiskit import QuantumCircuit

from ionnet.analysis.circuits import check_family, family_circuit
from ionnet.analysis.kinds import TaskKind, register
from ionnet.analysis.params import (
    apply_parameters,
    group_parameters,
    network_from_canonical,
    network_to_canonical,
)
from ionnet.compiler.circuit_input import parse_qasm
from ionnet.compiler.pipeline import compile_circuit
from ionnet.errors import ConfigError
from ionnet.hardware.network import NetworkSpec
from ionnet.runtime.execute import run_program
from ionnet.runtime.reference import ideal_reference

COMPILER_KEYS = tuple(
    name for name, p in inspect.signature(compile_circuit).parameters.items() if p.kind is p.KEYWORD_ONLY
)
RUN_OUTPUTS = (
    "qubits",
    "modules",
    "success_probability",
    "fidelity",
    "fidelity_kind",
    "makespan_s",
    "ebits",
    "link_attempts",
    "remote_gates",
    "teleported_qubits",
    "backend",
    "compile_wall_s",
    "run_wall_s",
)


def _circuit_inputs(circuit: Mapping[str, Any]) -> dict[str, Any]:
    for key in circuit:
        if key not in ("family", "num_qubits", "file"):
            raise ConfigError(f"unknown parameter 'circuit.{key}' (known: family, num_qubits, file)")
    if "file" in circuit:
        if "family" in circuit:
            raise ConfigError("give either 'circuit.file' or 'circuit.family', not both")
        path = circuit["file"]
        if not isinstance(path, str):
            raise ConfigError(f"'circuit.file' must be a path (got {path!r})")
        try:
            text = Path(path).read_text()
        except OSError as exc:
            raise ConfigError(f"'circuit.file' cannot be read: {path} ({exc.strerror})") from None
        return {"name": Path(path).stem, "qasm": text, "num_qubits": parse_qasm(text, path).num_qubits}
    if "family" not in circuit:
        raise ConfigError("a run task needs 'circuit.family' (with 'circuit.num_qubits') or 'circuit.file'")
    check_family(circuit["family"], circuit.get("num_qubits"))
    return {"family": circuit["family"], "num_qubits": circuit["num_qubits"]}


def _positive_int(name: str, value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < (1 if name == "shots" else 0):
        raise ConfigError(f"'{name}' must be an integer >= {1 if name == 'shots' else 0} (got {value!r})")
    return value


def build_run_inputs(base: str | Path | NetworkSpec, params: Mapping[str, Any]) -> dict[str, Any]:
    """Inputs of a run task (raises ConfigError naming the key)."""
    groups = group_parameters(params)
    circuit = _circuit_inputs(groups["circuit"])
    for key in groups["compiler"]:
        if key not in COMPILER_KEYS:
            raise ConfigError(f"unknown parameter 'compiler.{key}' (known: {', '.join(COMPILER_KEYS)})")
    network = apply_parameters(base, params, num_qubits=circuit["num_qubits"])
    return {
        "kind": "run",
        "network": network_to_canonical(network),
        "circuit": circuit,
        "compiler": dict(groups["compiler"]),
        "shots": _positive_int("shots", params.get("shots", 1000)),
        "seed": _positive_int("seed", params.get("seed", 0)),
    }


def check_run_value(base: NetworkSpec, name: str, value: Any) -> None:
    """Check one parameter value of a run sweep on its own."""
    head, _, key = name.partition(".")
    if name in ("shots", "seed"):
        _positive_int(name, value)
    elif head == "circuit":
        if key == "family":
            check_family(value, 2)
        elif key == "num_qubits":
            check_family("ghz", value)
        elif key == "file":
            _circuit_inputs({"file": value})
    elif head == "compiler":
        build_run_inputs(base, {"circuit.family": "ghz", "circuit.num_qubits": 2, name: value})
    elif not (head == "network" and key == "capacity" and value == "auto"):
        apply_parameters(base, {name: value})


def _circuit(spec: Mapping[str, Any]) -> tuple[QuantumCircuit, tuple[str, ...] | None]:
    if "qasm" in spec:
        return parse_qasm(spec["qasm"], spec.get("name", "<sweep>")), None
    return family_circuit(spec["family"], spec["num_qubits"])


def compute_run(inputs: Mapping[str, Any]) -> dict[str, Any]:
    """Compile and run one point; outputs as in RUN_OUTPUTS."""
    network = network_from_canonical(inputs["network"])
    circuit, expected = _circuit(inputs["circuit"])
    start = time.perf_counter()
    compiled = compile_circuit(circuit, network, **inputs["compiler"])
    compile_wall_s = time.perf_counter() - start
    result = run_program(
        compiled.program,
        network,
        shots=inputs["shots"],
        seed=inputs["seed"],
        reference=ideal_reference(circuit),
        expected=expected,
    )
    cost = compiled.program.cost()
    return {
        "qubits": circuit.num_qubits,
        "modules": network.num_modules,
        "success_probability": result.success_probability,
        "fidelity": result.fidelity,
        "fidelity_kind": result.fidelity_kind or "",
        "makespan_s": result.makespan_s,
        "ebits": result.ebits,
        "link_attempts": result.link_attempts,
        "remote_gates": cost.remote_gates,
        "teleported_qubits": cost.teleported_qubits,
        "backend": result.backend,
        "compile_wall_s": compile_wall_s,
        "run_wall_s": time.perf_counter() - start - compile_wall_s,
    }


register(
    TaskKind(
        name="run",
        namespaces=("module", "link", "network", "compiler", "circuit"),
        top_level=("seed", "shots"),
        outputs=RUN_OUTPUTS,
        build_inputs=build_run_inputs,
        compute=compute_run,
        check_value=check_run_value,
    )
)
