"""The ``estimate`` task kind: an analytic success estimate for circuits too large to simulate.

It compiles the circuit and runs the runtime's timing pass (so durations, link waits and ebits
are those of a real run), then multiplies the probability that nothing goes wrong
(the "estimated success probability" of error-aware compilers, Nishio et al., ACM JETC 16, 2020):

    P ~ prod_gates F_gate * prod_ebits F_ebit * prod_measurements (1 - spam)
        * prod_qubits (1 + exp(-idle_q / T2)) / 2

with F_ebit the heralded fidelity of the link (:func:`ionnet.hardware.link_physics
.heralded_fidelity`) and idle_q the time qubit q waits between its first and last operation
without being operated on (exponential dephasing; a Z flip has probability (1 - C) / 2). Every
error is counted as fatal, so for circuits whose answer tolerates some errors it is a lower
bound; the comparison labels rows computed this way as ``estimate``.

>>> from ionnet.hardware import load_network
>>> from ionnet.analysis.runkind import build_run_inputs
>>> inputs = build_run_inputs(load_network("default"), {"circuit.family": "ghz",
...     "circuit.num_qubits": 6, "network.modules": 2, "network.capacity": "auto"})
>>> out = compute_estimate({**inputs, "kind": "estimate"})
>>> out["ebits"], 0.8 < out["success_probability"] < 1
(1, True)
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from ionnet.analysis.circuits import family_circuit
from ionnet.analysis.kinds import TaskKind, register
from ionnet.analysis.params import network_from_canonical
from ionnet.analysis.runkind import build_run_inputs, check_run_value
from ionnet.compiler.circuit_input import parse_qasm
from ionnet.compiler.pipeline import compile_circuit
from ionnet.hardware.link_physics import heralded_fidelity
from ionnet.hardware.network import NetworkSpec
from ionnet.runtime.timing import schedule
from ionnet.runtime.trace import Trace
from ionnet.seeding import stream

ESTIMATE_OUTPUTS = ("qubits", "modules", "success_probability", "makespan_s", "ebits", "compile_wall_s")


def success_estimate(trace: Trace, network: NetworkSpec) -> float:
    """The product of the probabilities that no operation, ebit or idle period fails."""
    log_p = 0.0
    first: dict[str, float] = {}
    last: dict[str, float] = {}
    busy: dict[str, float] = defaultdict(float)
    for op in trace.ops:
        if op.lane.startswith("link") or op.kind in ("send", "barrier"):
            continue
        module = network.modules[int(op.lane[1:])]
        log_p += math.log(max(1e-300, _op_fidelity(op.kind, len(op.qubits), module)))
        for q in op.qubits:
            first[q] = min(first.get(q, op.start_s), op.start_s)
            last[q] = max(last.get(q, op.end_s), op.end_s)
            busy[q] += op.duration_s
    for ebit in trace.ebits:
        a, b = ebit.link
        log_p += math.log(
            heralded_fidelity(network.link_between(a, b), network.modules[a], network.modules[b])
        )
    for q in first:
        module = network.modules[int(q.split(".")[0][1:])]
        idle = max(0.0, last[q] - first[q] - busy[q])
        log_p += math.log((1 + math.exp(-idle / module.memory_t2_s)) / 2)
    return math.exp(log_p)


def _op_fidelity(kind: str, num_qubits: int, module: Any) -> float:
    if kind == "measure":
        return float(1 - module.spam_error)
    if kind != "gate":
        return 1.0
    return float(module.two_qubit_gate_fidelity if num_qubits == 2 else module.single_qubit_gate_fidelity)


def compute_estimate(inputs: Mapping[str, Any]) -> dict[str, Any]:
    """Compile, schedule and estimate one point (outputs as in ESTIMATE_OUTPUTS)."""
    network = network_from_canonical(inputs["network"])
    spec = inputs["circuit"]
    if "qasm" in spec:
        circuit = parse_qasm(spec["qasm"], spec.get("name", "<sweep>"))
    else:
        circuit = family_circuit(spec["family"], spec["num_qubits"])[0]
    start = time.perf_counter()
    compiled = compile_circuit(circuit, network, **inputs["compiler"])
    compile_wall_s = time.perf_counter() - start
    trace = schedule(compiled.program, network, stream(inputs["seed"], "runtime", "links"))
    return {
        "qubits": circuit.num_qubits,
        "modules": network.num_modules,
        "success_probability": success_estimate(trace, network),
        "makespan_s": trace.makespan_s,
        "ebits": len(trace.ebits),
        "compile_wall_s": compile_wall_s,
    }


def build_estimate_inputs(base: str | Any | NetworkSpec, params: Mapping[str, Any]) -> dict[str, Any]:
    """As for a run task, with kind ``estimate`` (shots are not used and not hashed)."""
    inputs = build_run_inputs(base, params)
    inputs.pop("shots")
    return {**inputs, "kind": "estimate"}


register(
    TaskKind(
        name="estimate",
        namespaces=("module", "link", "network", "compiler", "circuit"),
        top_level=("seed",),
        outputs=ESTIMATE_OUTPUTS,
        build_inputs=build_estimate_inputs,
        compute=compute_estimate,
        check_value=check_run_value,
    )
)
