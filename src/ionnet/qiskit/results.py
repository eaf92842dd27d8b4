"""ionnet's run results in the formats of Qiskit's own simulators (``qiskit.result.Result``).

Counts are keyed by hexadecimal integers of the classical bits (``"0x3"``), per-shot memory is
a list of the same strings, and the header carries the register sizes and memory slots that
``Result.get_counts()`` / ``get_memory()`` use to print ``"x yy"`` keys for circuits with
several registers; this is what ``qiskit.providers.basic_provider.BasicSimulator`` and Qiskit
Aer write, and what ``BackendSamplerV2`` reads (it asks for ``memory=True``).

The runtime returns counts. Its shots are independent and identically distributed, so a
uniformly random order of the sampled outcomes (seeded) is distributed exactly as a per-shot
record would be; that is the memory.

>>> import numpy as np
>>> from qiskit import QuantumCircuit, ClassicalRegister, QuantumRegister
>>> qc = QuantumCircuit(QuantumRegister(2, "q"), ClassicalRegister(1, "a"), ClassicalRegister(1, "b"))
>>> hex_counts({"10": 3, "01": 1})
{'0x2': 3, '0x1': 1}
>>> header(qc)["creg_sizes"], header(qc)["memory_slots"]
([['a', 1], ['b', 1]], 2)
>>> shot_memory({"10": 2, "01": 1}, np.random.default_rng(0))
['0x2', '0x1', '0x2']
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from qiskit import QuantumCircuit

from ionnet.runtime.api import RunOutcome


def _hex(bits: str) -> str:
    return hex(int(bits, 2)) if bits else "0x0"


def hex_counts(counts: Mapping[str, int]) -> dict[str, int]:
    """Bitstring counts (c0 rightmost) -> hexadecimal counts, as Qiskit's simulators store them."""
    out: dict[str, int] = {}
    for bits, n in counts.items():
        key = _hex(bits)
        out[key] = out.get(key, 0) + n
    return out


def shot_memory(counts: Mapping[str, int], rng: np.random.Generator) -> list[str]:
    """One hexadecimal outcome per shot, in a uniformly random (seeded) order."""
    keys = sorted(counts)
    labels = np.array([_hex(k) for k in keys], dtype=object)
    order = np.repeat(np.arange(len(keys)), [counts[k] for k in keys])
    rng.shuffle(order)
    return labels[order].tolist()


def header(circuit: QuantumCircuit) -> dict[str, Any]:
    """The experiment header Qiskit's ``Result`` reads (registers, memory slots, metadata)."""
    return {
        "name": circuit.name,
        "n_qubits": circuit.num_qubits,
        "qreg_sizes": [[r.name, r.size] for r in circuit.qregs],
        "creg_sizes": [[r.name, r.size] for r in circuit.cregs],
        "qubit_labels": [[r.name, j] for r in circuit.qregs for j in range(r.size)],
        "clbit_labels": [[r.name, j] for r in circuit.cregs for j in range(r.size)],
        "memory_slots": circuit.num_clbits,
        "global_phase": float(circuit.global_phase),
        "metadata": circuit.metadata if circuit.metadata is not None else {},
    }


def ionnet_metadata(outcome: RunOutcome, kept: list[int]) -> dict[str, Any]:
    """ionnet's figures of one experiment: fidelity, machine time, ebits, path, placement."""
    r, program = outcome.result, outcome.program
    return {
        "fidelity": r.fidelity,
        "fidelity_kind": r.fidelity_kind,
        "fidelity_ci95": list(r.fidelity_ci95) if r.fidelity_ci95 else None,
        "hellinger_fidelity": r.hellinger_fidelity,
        "makespan_s": r.makespan_s,
        "ebits": r.ebits,
        "link_attempts": r.link_attempts,
        "path": r.backend,
        "ideal": r.ideal,
        "trajectories": r.trajectories,
        "remote_gates": program.remote_gates,
        "teleported_qubits": program.teleported_qubits,
        "modules_used": len(set(program.placement.values())),
        "placement": {kept[q]: m for q, m in program.placement.items()},
        "utilisation": r.utilisation,
        "compile_s": outcome.compile_s,
        "run_s": r.wall_s,
    }


def experiment_dict(
    circuit: QuantumCircuit,
    outcome: RunOutcome,
    kept: list[int],
    seed: int,
    memory: list[str] | None,
    time_taken_s: float,
) -> dict[str, Any]:
    """One entry of ``Result.results`` in the dict form ``Result.from_dict`` takes."""
    data: dict[str, Any] = {"counts": hex_counts(outcome.result.counts)}
    if memory is not None:
        data["memory"] = memory
    return {
        "name": circuit.name,
        "shots": outcome.result.shots,
        "success": True,
        "status": "DONE",
        "meas_level": 2,
        "data": data,
        "header": header(circuit),
        "seed_simulator": seed,
        "metadata": ionnet_metadata(outcome, kept),
        "time_taken": time_taken_s,
    }
