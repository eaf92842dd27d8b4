"""Reference simulation of a Qiskit circuit with forced mid-circuit measurement outcomes.

Uses only qiskit.quantum_info (gate definitions from Qiskit), nothing of the compiler.
"""

from __future__ import annotations

import numpy as np
from qiskit import QuantumCircuit
from qiskit.circuit import IfElseOp
from qiskit.quantum_info import Operator, Statevector


def reference_state(qc: QuantumCircuit, forced: dict[str, int]) -> tuple[np.ndarray, float]:
    """Final state and probability of the branch where bit c{k} reads ``forced['c{k}']``."""
    state = Statevector.from_label("0" * qc.num_qubits)
    bits: dict[int, int] = {}
    weight = 1.0
    for ins in qc.data:
        qargs = [qc.find_bit(q).index for q in ins.qubits]
        op = ins.operation
        if op.name == "barrier":
            continue
        if op.name == "measure":
            k = qc.find_bit(ins.clbits[0]).index
            value = forced[f"c{k}"]
            p = state.probabilities(qargs)[value]
            weight *= p
            state = _project(state, qargs[0], value)
            bits[k] = value
        elif op.name == "reset":
            p1 = state.probabilities(qargs)[1]
            value = 1 if p1 > 0.5 else 0
            state = _project(state, qargs[0], value)
            if value:
                state = state.evolve(Operator.from_label("X"), qargs)
        elif isinstance(op, IfElseOp):
            clbit, value = op.condition
            body = (
                op.blocks[0]
                if bits[qc.find_bit(clbit).index] == value
                else (op.blocks[1] if len(op.blocks) > 1 else None)
            )
            if body is not None:
                state = state.evolve(Operator(body), qargs)
        else:
            state = state.evolve(op, qargs)
    return np.asarray(state.data), weight


def _project(state: Statevector, qubit: int, value: int) -> Statevector:
    data = np.asarray(state.data).copy()
    idx = np.arange(len(data))
    data[((idx >> qubit) & 1) != value] = 0
    norm = np.linalg.norm(data)
    return Statevector(data / norm if norm > 0 else data)
