"""A small statevector register with named qubits that come and go, for the trajectory fast path.

The state is an ndarray of shape (2,)*n, one axis per live qubit. Qubits are added in |0>,
removed after a projective measurement, and SWAP is a relabelling of axes (no arithmetic).
Diagonal gates touch only the amplitudes they change. It is deliberately minimal: the general
backends with the full contract live in :mod:`ionnet.states`; this kernel exists because the
fast path copies and branches states thousands of times per run.

>>> r = Register()
>>> r.apply("H", (), ("a",)); r.apply("CX", (), ("a", "b"))
>>> round(r.prob_one("b"), 6)
0.5
>>> r.project("a", 1); r.live
('b',)
>>> round(r.prob_one("b"), 6)
1.0
"""

from __future__ import annotations

import cmath
import math

import numpy as np

from ionnet.states.gates import gate_unitary

_PHASE_ON_ONE = {
    "Z": -1.0 + 0j,
    "S": 1j,
    "SDG": -1j,
    "T": cmath.exp(1j * math.pi / 4),
    "TDG": cmath.exp(-1j * math.pi / 4),
}
DTYPE = np.complex64
"""Amplitude precision: single precision halves memory traffic (errors ~1e-7 per amplitude)."""

_SXDG = np.array([[0.5 - 0.5j, 0.5 + 0.5j], [0.5 + 0.5j, 0.5 - 0.5j]], dtype=complex)


_H = np.array([[1, 1], [1, -1]], dtype=complex) / math.sqrt(2.0)
_R = np.float32(1.0 / math.sqrt(2.0))


def gate_matrix(name: str, params: tuple[float, ...]) -> np.ndarray:
    """The unitary of a program gate (``SXDG`` included)."""
    if name == "H":
        return _H
    if name == "SXDG":
        return _SXDG
    return gate_unitary(name, params)


class Register:
    """A statevector over named qubits (see the module docstring)."""

    def __init__(self) -> None:
        self.state: np.ndarray = np.ones((), dtype=DTYPE)
        self.axes: dict[str, int] = {}
        self.values: dict[str, int] = {}

    @property
    def live(self) -> tuple[str, ...]:
        """Live qubits in axis order."""
        return tuple(sorted(self.axes, key=self.axes.__getitem__))

    def copy(self) -> Register:
        """An independent copy."""
        other = Register.__new__(Register)
        other.state = self.state.copy()
        other.axes = dict(self.axes)
        other.values = dict(self.values)
        return other

    def _ix(self, qubit: str, value: int) -> tuple[slice | int, ...]:
        return (slice(None),) * self.axes[qubit] + (value,)

    def _ix2(self, a: str, va: int, b: str, vb: int) -> tuple[slice | int, ...]:
        index: list[slice | int] = [slice(None)] * self.state.ndim
        index[self.axes[a]] = va
        index[self.axes[b]] = vb
        return tuple(index)

    def ensure(self, qubit: str) -> None:
        """Make ``qubit`` live (in |0>, or in the basis state it was measured in)."""
        if qubit in self.axes:
            return
        value = self.values.pop(qubit, 0)
        new = np.zeros((2, *self.state.shape), dtype=DTYPE)
        new[value] = self.state
        self.state = new
        for other in self.axes:
            self.axes[other] += 1
        self.axes[qubit] = 0

    def discard(self, qubit: str) -> None:
        """Forget ``qubit`` entirely (it will restart in |0>)."""
        self.values.pop(qubit, None)
        if qubit in self.axes:
            p1 = self.prob_one(qubit)
            self.project(qubit, int(p1 > 0.5))
            self.values.pop(qubit, None)

    def prepare_bell(self, a: str, b: str) -> None:
        """Put fresh qubits a, b into |Φ+>."""
        self.discard(a)
        self.discard(b)
        self.apply("H", (), (a,))
        self.apply("CX", (), (a, b))

    def apply(self, name: str, params: tuple[float, ...], qubits: tuple[str, ...]) -> None:
        """Apply a named gate (names of :mod:`ionnet.compiler.program`)."""
        for q in qubits:
            self.ensure(q)
        s = self.state
        if len(qubits) == 1:
            q = qubits[0]
            if name in _PHASE_ON_ONE:
                s[self._ix(q, 1)] *= _PHASE_ON_ONE[name]
            elif name == "RZ":
                s[self._ix(q, 0)] *= cmath.exp(-0.5j * params[0])
                s[self._ix(q, 1)] *= cmath.exp(0.5j * params[0])
            elif name == "X":
                self.pauli(q, 1)
            elif name == "Y":
                self.pauli(q, 2)
            elif name != "I":
                self._single(gate_matrix(name, params), q)
            return
        a, b = qubits
        if name == "CZ":
            s[self._ix2(a, 1, b, 1)] *= -1.0
        elif name == "CP":
            s[self._ix2(a, 1, b, 1)] *= cmath.exp(1j * params[0])
        elif name == "CX":
            i10, i11 = self._ix2(a, 1, b, 0), self._ix2(a, 1, b, 1)
            tmp = s[i10].copy()
            s[i10] = s[i11]
            s[i11] = tmp
        elif name == "SWAP":
            self.axes[a], self.axes[b] = self.axes[b], self.axes[a]
        else:
            self._dense2(gate_matrix(name, params), a, b)

    def apply_matrix(self, u: np.ndarray, q: str) -> None:
        """Apply a 2x2 unitary to ``q``."""
        self.ensure(q)
        self._single(u, q)

    def _halves(self, q: str) -> tuple[np.ndarray, np.ndarray]:
        """Views of the amplitudes with ``q`` = 0 and ``q`` = 1 (the state stays C-contiguous)."""
        ax = self.axes[q]
        v = self.state.reshape(1 << ax, 2, -1)
        return v[:, 0, :], v[:, 1, :]

    def _single(self, u: np.ndarray, q: str) -> None:
        a0, a1 = self._halves(q)
        if u is _H:
            t = a0 - a1
            a0 += a1
            a0 *= _R
            np.multiply(t, _R, out=a1)
            return
        a0c = a0.copy()
        a0 *= u[0, 0]
        a0 += u[0, 1] * a1
        a1 *= u[1, 1]
        a1 += u[1, 0] * a0c

    def _dense2(self, u: np.ndarray, a: str, b: str) -> None:
        ax = [self.axes[a], self.axes[b]]
        moved = np.moveaxis(self.state, ax, [0, 1])
        out = np.tensordot(u.reshape(2, 2, 2, 2), moved, axes=([2, 3], [0, 1]))
        self.state = np.ascontiguousarray(np.moveaxis(out, [0, 1], ax))

    def pauli(self, q: str, code: int) -> None:
        """Apply X (1), Y (2) or Z (3) to ``q``."""
        self.ensure(q)
        a0, a1 = self._halves(q)
        if code == 3:
            a1 *= -1.0
            return
        tmp = a0.copy()
        a0[...] = a1
        a1[...] = tmp
        if code == 2:  # Y = [[0, -i], [i, 0]]: new a0 = -i a1, new a1 = i a0
            a0 *= -1j
            a1 *= 1j

    def prob_one(self, q: str) -> float:
        """Probability that ``q`` reads 1."""
        if q not in self.axes:
            return float(self.values.get(q, 0))
        a1 = self.state[self._ix(q, 1)]
        if self.axes[q] == 0:
            return float(np.vdot(a1, a1).real)
        return float(np.sum(a1.real * a1.real + a1.imag * a1.imag))

    def project(self, q: str, value: int) -> None:
        """Project ``q`` onto |value>, renormalise and remove its axis (it stays classical)."""
        if q not in self.axes:
            self.values[q] = value
            return
        axis = self.axes.pop(q)
        part = np.ascontiguousarray(self.state[self._ix_axis(axis, value)])
        norm = math.sqrt(float(np.vdot(part, part).real))
        part *= 1.0 / norm
        self.state = part
        for other, k in self.axes.items():
            if k > axis:
                self.axes[other] = k - 1
        self.values[q] = value

    def _ix_axis(self, axis: int, value: int) -> tuple[slice | int, ...]:
        return (slice(None),) * axis + (value,)

    def probabilities(self, qubits: list[str]) -> np.ndarray:
        """Joint outcome probabilities of ``qubits``; index bit k (LSB first) is qubits[k]."""
        for q in qubits:
            self.ensure(q)
        p = np.abs(self.state) ** 2
        keep = [self.axes[q] for q in qubits]
        others = tuple(k for k in range(p.ndim) if k not in keep)
        marginal = p.sum(axis=others) if others else p
        order = sorted(keep)
        # marginal axes follow increasing axis number; reorder to qubits[::-1] (MSB first)
        marginal = np.transpose(marginal, [order.index(k) for k in reversed(keep)])
        flat = marginal.reshape(-1)
        return flat / flat.sum()

    def overlap(self, reference: np.ndarray, qubits: list[str]) -> float:
        """⟨ref|ρ_qubits|ref⟩ for a reference vector on ``qubits`` (Qiskit order: qubits[0] LSB)."""
        for q in qubits:
            self.ensure(q)
        keep = [self.axes[q] for q in reversed(qubits)]
        rest = [k for k in range(self.state.ndim) if k not in keep]
        mat = np.transpose(self.state, keep + rest).reshape(2 ** len(keep), -1)
        v = reference.conj().astype(DTYPE) @ mat
        return float(np.vdot(v, v).real)
