"""The ideal output of the original circuit: state vector and measured distribution (Qiskit).

The reference does not reuse the compiler's bookkeeping: it simulates the original circuit.

>>> from qiskit import QuantumCircuit
>>> qc = QuantumCircuit(2, 2); _ = qc.h(0); _ = qc.cx(0, 1); _ = qc.measure([0, 1], [0, 1])
>>> ref = ideal_reference(qc)
>>> {k: round(v, 3) for k, v in ref.distribution.items()}
{'00': 0.5, '11': 0.5}
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from qiskit import QuantumCircuit
from qiskit.quantum_info import Statevector

MAX_REFERENCE_QUBITS = 24
"""Largest circuit whose ideal state vector is computed."""


@dataclass(frozen=True)
class IdealReference:
    """The ideal state (before the final measurements) and the distribution of the circuit bits.

    Attributes:
        statevector: Amplitudes over the circuit's qubits (Qiskit order, qubit 0 least significant).
        distribution: Bitstring (c0 rightmost) -> ideal probability (only nonzero entries).
    """

    statevector: np.ndarray
    distribution: dict[str, float]


def ideal_reference(circuit: QuantumCircuit) -> IdealReference | None:
    """The ideal reference of ``circuit``, or None when it is too large or measures mid-way."""
    if circuit.num_qubits > MAX_REFERENCE_QUBITS:
        return None
    body = circuit.remove_final_measurements(inplace=False)
    if any(inst.operation.name in ("measure", "reset", "if_else") for inst in body.data):
        return None
    body.global_phase = 0.0
    measured: dict[int, int] = {}
    for inst in circuit.data:
        if inst.operation.name == "measure":
            measured[circuit.find_bit(inst.clbits[0]).index] = circuit.find_bit(inst.qubits[0]).index
    sv = Statevector(body)
    num_clbits = circuit.num_clbits
    distribution: dict[str, float] = {}
    if measured:
        bits = sorted(measured)
        probs = sv.probabilities(qargs=[measured[b] for b in bits])
        for index in np.flatnonzero(probs > 1e-12):
            chars = ["0"] * num_clbits
            for j, b in enumerate(bits):
                chars[num_clbits - 1 - b] = str((int(index) >> j) & 1)
            key = "".join(chars)
            distribution[key] = distribution.get(key, 0.0) + float(probs[index])
    return IdealReference(np.asarray(sv.data), distribution)
