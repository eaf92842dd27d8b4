"""The gate library: every gate ionnet knows, defined once, with its unitary and Clifford test.

Conventions: angles in radians; a multi-qubit unitary is written in the basis of its listed
qubits with the *first* listed qubit the most significant bit (so ``CX`` on ``(c, t)`` is the
textbook matrix with control ``c``). Rotations are ``exp(-i θ/2 P)``.

The trapped-ion gates follow IonQ's native-gate documentation, with phases in radians instead
of turns: ``GPI(φ) = [[0, e^{-iφ}], [e^{iφ}, 0]]``, ``GPI2(φ) = [[1, -i e^{-iφ}], [-i e^{iφ}, 1]]/√2``,
``MS(φ0, φ1, θ) = exp(-i θ/2 σ_φ0⊗σ_φ1)`` with ``σ_φ = cos φ X + sin φ Y`` (θ = π/2 is the fully
entangling gate) and ``ZZ(θ) = exp(-i θ/2 Z⊗Z)``. ``R(θ, φ) = exp(-i θ/2 σ_φ)`` and
``U(θ, φ, λ)`` follow Qiskit's RGate and UGate.

>>> gate_unitary("CX").real.astype(int).tolist()
[[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0]]
>>> is_clifford("RZ", (np.pi / 2,)), is_clifford("RZ", (0.3,)), is_clifford("T")
(True, False, False)
>>> GATES["MS"].num_params, GATES["MS"].num_qubits
(3, 2)
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ionnet.errors import BackendError

Matrix = np.ndarray

_I2 = np.eye(2, dtype=complex)
PAULI_MATRICES: dict[str, Matrix] = {
    "I": _I2,
    "X": np.array([[0, 1], [1, 0]], dtype=complex),
    "Y": np.array([[0, -1j], [1j, 0]], dtype=complex),
    "Z": np.array([[1, 0], [0, -1]], dtype=complex),
}


def pauli_matrix(label: str) -> Matrix:
    """The matrix of a Pauli string such as ``"XZ"`` (first letter most significant).

    >>> pauli_matrix("XZ").shape
    (4, 4)
    """
    try:
        return functools.reduce(np.kron, [PAULI_MATRICES[c] for c in label.upper()], np.eye(1))
    except KeyError:
        raise BackendError(f"Pauli string must use only I, X, Y, Z (got {label!r})") from None


def _rot(pauli: str, theta: float) -> Matrix:
    return np.cos(theta / 2) * _I2 - 1j * np.sin(theta / 2) * PAULI_MATRICES[pauli]


def _sigma(phi: float) -> Matrix:
    return np.cos(phi) * PAULI_MATRICES["X"] + np.sin(phi) * PAULI_MATRICES["Y"]


def _r(theta: float, phi: float) -> Matrix:
    return np.cos(theta / 2) * _I2 - 1j * np.sin(theta / 2) * _sigma(phi)


def _u(theta: float, phi: float, lam: float) -> Matrix:
    c, s = np.cos(theta / 2), np.sin(theta / 2)
    return np.array(
        [[c, -np.exp(1j * lam) * s], [np.exp(1j * phi) * s, np.exp(1j * (phi + lam)) * c]], dtype=complex
    )


def _gpi(phi: float) -> Matrix:
    return np.array([[0, np.exp(-1j * phi)], [np.exp(1j * phi), 0]], dtype=complex)


def _gpi2(phi: float) -> Matrix:
    return np.array([[1, -1j * np.exp(-1j * phi)], [-1j * np.exp(1j * phi), 1]], dtype=complex) / np.sqrt(2)


def _ms(phi0: float, phi1: float, theta: float) -> Matrix:
    pair = np.kron(_sigma(phi0), _sigma(phi1))
    return np.cos(theta / 2) * np.eye(4) - 1j * np.sin(theta / 2) * pair


def _zz(theta: float) -> Matrix:
    return np.diag(np.exp(-1j * theta / 2 * np.array([1, -1, -1, 1]))).astype(complex)


def _cp(theta: float) -> Matrix:
    return np.diag([1, 1, 1, np.exp(1j * theta)]).astype(complex)


def _const(m: Sequence[Sequence[complex]] | Matrix) -> Callable[[], Matrix]:
    arr = np.array(m, dtype=complex)
    arr.setflags(write=False)
    return lambda: arr


_S2 = 1 / np.sqrt(2)


@dataclass(frozen=True)
class GateDef:
    """One gate of the library.

    Attributes:
        name: Upper-case name (``"CX"``, ``"GPI2"``).
        num_qubits: 1 or 2.
        params: Names of the angle parameters, in call order.
        matrix: Function of the angles returning the unitary.
        always_clifford: True when Clifford for every parameter value (False: depends, or never).
    """

    name: str
    num_qubits: int
    params: tuple[str, ...]
    matrix: Callable[..., Matrix]
    always_clifford: bool = False

    @property
    def num_params(self) -> int:
        """Number of angle parameters."""
        return len(self.params)


GATES: dict[str, GateDef] = {
    g.name: g
    for g in (
        GateDef("I", 1, (), _const(np.eye(2)), True),
        GateDef("H", 1, (), _const([[_S2, _S2], [_S2, -_S2]]), True),
        GateDef("X", 1, (), _const([[0, 1], [1, 0]]), True),
        GateDef("Y", 1, (), _const([[0, -1j], [1j, 0]]), True),
        GateDef("Z", 1, (), _const([[1, 0], [0, -1]]), True),
        GateDef("S", 1, (), _const([[1, 0], [0, 1j]]), True),
        GateDef("SDG", 1, (), _const([[1, 0], [0, -1j]]), True),
        GateDef("T", 1, (), _const([[1, 0], [0, np.exp(1j * np.pi / 4)]])),
        GateDef("TDG", 1, (), _const([[1, 0], [0, np.exp(-1j * np.pi / 4)]])),
        GateDef("SX", 1, (), _const([[0.5 + 0.5j, 0.5 - 0.5j], [0.5 - 0.5j, 0.5 + 0.5j]]), True),
        GateDef("RX", 1, ("theta",), lambda t: _rot("X", t)),
        GateDef("RY", 1, ("theta",), lambda t: _rot("Y", t)),
        GateDef("RZ", 1, ("theta",), lambda t: _rot("Z", t)),
        GateDef("U", 1, ("theta", "phi", "lam"), _u),
        GateDef("R", 1, ("theta", "phi"), _r),
        GateDef("GPI", 1, ("phi",), _gpi),
        GateDef("GPI2", 1, ("phi",), _gpi2),
        GateDef("CX", 2, (), _const([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0]]), True),
        GateDef("CZ", 2, (), _const(np.diag([1, 1, 1, -1])), True),
        GateDef("CP", 2, ("theta",), _cp),
        GateDef("MS", 2, ("phi0", "phi1", "theta"), _ms),
        GateDef("ZZ", 2, ("theta",), _zz),
        GateDef("SWAP", 2, (), _const([[1, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 1]]), True),
    )
}
"""Every named gate. Aliases: ``CNOT`` = ``CX``, ``SDAG`` = ``SDG``, ``TDAG`` = ``TDG``."""

ALIASES = {"CNOT": "CX", "SDAG": "SDG", "TDAG": "TDG", "PHASE": "RZ", "RZZ": "ZZ"}


def gate_def(name: str) -> GateDef:
    """The GateDef of ``name`` (case-insensitive; aliases allowed), or BackendError."""
    key = name.upper()
    key = ALIASES.get(key, key)
    try:
        return GATES[key]
    except KeyError:
        raise BackendError(f"unknown gate {name!r} (known: {', '.join(GATES)})") from None


def gate_unitary(name: str, params: Sequence[float] = ()) -> Matrix:
    """The unitary of gate ``name`` at angles ``params`` (radians)."""
    g = gate_def(name)
    if len(params) != g.num_params:
        raise BackendError(f"gate {g.name} takes {g.num_params} parameter(s) {g.params} (got {len(params)})")
    return np.asarray(g.matrix(*(float(p) for p in params)), dtype=complex)


def _pauli_basis(n: int) -> list[tuple[str, Matrix]]:
    return [("".join(p), pauli_matrix("".join(p))) for p in itertools.product("IXYZ", repeat=n)]


def unitary_is_clifford(u: Matrix, atol: float = 1e-9) -> bool:
    """True when ``u`` maps every single-qubit X and Z to a signed Pauli string.

    >>> unitary_is_clifford(gate_unitary("H")), unitary_is_clifford(gate_unitary("T"))
    (True, False)
    """
    d = u.shape[0]
    n = d.bit_length() - 1
    basis = _pauli_basis(n)
    for k in range(n):
        for letter in "XZ":
            label = "I" * k + letter + "I" * (n - k - 1)
            image = u @ pauli_matrix(label) @ u.conj().T
            overlaps = [abs(np.trace(m.conj().T @ image)) / d for _, m in basis]
            if not np.isclose(max(overlaps), 1.0, atol=atol):
                return False
    return True


def is_clifford(name: str, params: Sequence[float] = ()) -> bool:
    """Whether gate ``name`` at angles ``params`` is a Clifford operation."""
    g = gate_def(name)
    return g.always_clifford or unitary_is_clifford(gate_unitary(name, params))
