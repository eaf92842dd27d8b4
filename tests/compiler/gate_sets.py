"""The four gate sets circuits arrive in (issue 9), ion-native gates, and a rebuild of lowered ops.

Uses Qiskit only (no compiler code) so tests can compare the compiler's output with it.
"""

from __future__ import annotations

from math import pi

from qiskit import QuantumCircuit, transpile
from qiskit.circuit import Gate

GATE_SETS = {
    "h,rz,cp": ["h", "rz", "cp", "cz"],
    "rz,sx,cx": ["rz", "sx", "cx"],
    "u3,cx": ["u3", "cx"],
    "r,rz,rxx": ["r", "rz", "rxx"],
}
NAMES = list(GATE_SETS)


def in_gate_set(qc: QuantumCircuit, name: str | None) -> QuantumCircuit:
    """``qc`` as Qiskit's transpiler leaves it for gate set ``name`` (None: unchanged)."""
    if name is None:
        return qc
    return transpile(qc, basis_gates=GATE_SETS[name], optimization_level=1, seed_transpiler=0)


class GPiGate(Gate):
    """IonQ's GPi(φ) = [[0, e^{-iφ}], [e^{iφ}, 0]] (as qiskit-ionq defines it)."""

    def __init__(self, phi: float):
        super().__init__("gpi", 1, [phi])

    def _define(self) -> None:
        qc = QuantumCircuit(1)
        qc.u(pi, self.params[0], pi - self.params[0], 0)
        self.definition = qc


class GPi2Gate(Gate):
    """IonQ's GPi2(φ) = [[1, -i e^{-iφ}], [-i e^{iφ}, 1]] / √2."""

    def __init__(self, phi: float):
        super().__init__("gpi2", 1, [phi])

    def _define(self) -> None:
        qc = QuantumCircuit(1)
        qc.rz(-self.params[0], 0)
        qc.rx(pi / 2, 0)
        qc.rz(self.params[0], 0)
        self.definition = qc


class IonMSGate(Gate):
    """IonQ's MS(φ0, φ1) = exp(-i π/4 σ(φ0) ⊗ σ(φ1)), σ(φ) = cos φ X + sin φ Y."""

    def __init__(self, phi0: float, phi1: float):
        super().__init__("ms", 2, [phi0, phi1])

    def _define(self) -> None:
        qc = QuantumCircuit(2)
        qc.rz(-self.params[0], 0)
        qc.rz(-self.params[1], 1)
        qc.rxx(pi / 2, 0, 1)
        qc.rz(self.params[0], 0)
        qc.rz(self.params[1], 1)
        self.definition = qc


_QISKIT_NAMES = {"I": "id", "SDG": "sdg", "TDG": "tdg", "SXDG": "sxdg"}


def rebuild(ops, num_qubits: int) -> QuantumCircuit:
    """A QuantumCircuit of lowered unconditioned gate ops (program gate names)."""
    qc = QuantumCircuit(num_qubits)
    for op in ops:
        assert op.condition is None and op.name not in ("MEASURE", "RESET"), op
        if op.name == "BARRIER":
            qc.barrier(*op.qubits)
            continue
        getattr(qc, _QISKIT_NAMES.get(op.name, op.name.lower()))(*op.params, *op.qubits)
    return qc
