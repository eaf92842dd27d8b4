"""The ideal output of the original circuit: state vector and measured distribution (Qiskit).

The reference does not reuse the compiler's bookkeeping: it simulates the original circuit,
gate by gate with each gate's own matrix (Qiskit's ``to_matrix``), on the trajectory path's
register in double precision (one BLAS product per gate; Qiskit's ``Statevector`` builds an
operator per gate and took seconds on a 16-qubit circuit of a few hundred gates). Gates without
a matrix (opaque or composite instructions) are first decomposed by Qiskit.

>>> from qiskit import QuantumCircuit
>>> qc = QuantumCircuit(2, 2); _ = qc.h(0); _ = qc.cx(0, 1); _ = qc.measure([0, 1], [0, 1])
>>> ref = ideal_reference(qc)
>>> {k: round(v, 3) for k, v in ref.distribution.items()}
{'00': 0.5, '11': 0.5}
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from qiskit import QuantumCircuit, transpile

from ionnet.runtime.kernel import Register, embed, one_blas_thread

MAX_REFERENCE_QUBITS = 24
"""Largest circuit whose ideal state vector is computed."""
FUSED_QUBITS = 4
"""Consecutive gates on at most this many qubits are multiplied into one matrix first."""


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
    data = _statevector(body)
    num_clbits = circuit.num_clbits
    distribution: dict[str, float] = {}
    if measured:
        bits = sorted(measured)
        probs = _marginal(data, [measured[b] for b in bits])
        index = np.flatnonzero(probs > 1e-12)
        chars = np.full((index.size, num_clbits), ord("0"), dtype=np.uint8)
        for j, b in enumerate(bits):
            chars[:, num_clbits - 1 - b] += ((index >> j) & 1).astype(np.uint8)
        keys = chars.view(f"S{num_clbits}").reshape(-1) if num_clbits else np.zeros(index.size, "S1")
        for key, p in zip(keys.tolist(), probs[index].tolist(), strict=True):
            k = key.decode()
            distribution[k] = distribution.get(k, 0.0) + p
    return IdealReference(data, distribution)


def _statevector(body: QuantumCircuit) -> np.ndarray:
    """Amplitudes of ``body`` on |0...0> (Qiskit order), without the global phase."""
    if any(not _has_matrix(inst.operation) for inst in body.data if inst.operation.name != "barrier"):
        body = transpile(body, basis_gates=["u", "cx"], optimization_level=0)
    reg = Register(np.complex128)
    n = body.num_qubits
    for q in range(n):
        reg.ensure(q_name(q))
    block: list[str] = []
    matrix = np.eye(1, dtype=complex)
    with one_blas_thread():
        for inst in body.data:
            op = inst.operation
            if op.name in ("barrier", "id", "delay"):
                continue
            # Qiskit's matrices have the first qarg as the least significant bit
            names = [q_name(body.find_bit(q).index) for q in reversed(inst.qubits)]
            new = [q for q in names if q not in block]
            if block and len(block) + len(new) > FUSED_QUBITS:
                reg.apply_unitary(matrix, tuple(block))
                block, matrix, new = [], np.eye(1, dtype=complex), names
            for _ in new:  # widen the block: the new qubit is the least significant
                matrix = np.kron(matrix, np.eye(2))
            block.extend(new)
            u = np.asarray(op.to_matrix(), dtype=complex)
            matrix = embed(matrix, u, [block.index(q) for q in names], len(block))
        if block:
            reg.apply_unitary(matrix, tuple(block))
    order = [reg.axes[q_name(q)] for q in reversed(range(n))]
    return np.ascontiguousarray(np.transpose(reg.state, order)).reshape(-1)


def q_name(index: int) -> str:
    """The register name of circuit qubit ``index``."""
    return f"q{index}"


def _has_matrix(op: object) -> bool:
    try:
        op.to_matrix()  # type: ignore[attr-defined]
    except Exception:
        return False
    return True


def _marginal(data: np.ndarray, qubits: list[int]) -> np.ndarray:
    """Probabilities of ``qubits`` (index bit k = qubits[k]) from Qiskit-ordered amplitudes."""
    n = data.size.bit_length() - 1
    p = (np.abs(data) ** 2).reshape((2,) * n)  # axis i holds qubit n - 1 - i
    axes = [n - 1 - q for q in qubits]
    others = tuple(a for a in range(n) if a not in axes)
    marginal = p.sum(axis=others) if others else p
    order = sorted(axes)
    marginal = np.transpose(marginal, [order.index(a) for a in reversed(axes)])
    return marginal.reshape(-1)
