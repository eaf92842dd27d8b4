"""A small statevector register with named qubits that come and go, for the trajectory fast path.

The state is a C-contiguous ndarray of shape (2,)*n, one axis per live qubit, in whatever axis
order the last operation left (``axes`` maps qubit -> axis). Qubits are added in |0>, removed
after a projective measurement, and SWAP is a relabelling of axes (no arithmetic).

Three things keep it near the memory bandwidth of numpy:

* Pauli gates cost nothing: the register keeps a *Pauli frame* (the physical state is
  ``P |stored>`` with P a product of X and Z per qubit, global phase dropped). X, Y, Z and
  sampled Pauli errors only update the frame; diagonal gates index the stored amplitudes with
  the frame's flips, CX and H update the frame by conjugation, any other gate U acts on the
  stored state as P† U P. Measurements, probabilities and overlaps read the frame.
* Diagonal gates touch only the amplitudes they change.
* Every other gate, and every fused block of gates on a few qubits
  (:meth:`Register.apply_unitary`), is one ``tensordot``: a BLAS matrix product over the gate's
  axes whose result keeps those axes in front, so a run of gates on the same qubits costs no
  transposition (the layout follows the work).

It is deliberately minimal: the general backends with the full contract live in
:mod:`ionnet.states`; this kernel exists because the fast path copies and branches states
thousands of times per run.

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
import functools
import math
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
from threadpoolctl import threadpool_limits

from ionnet.states.gates import gate_unitary

_PHASE_ON_ONE = {
    "S": 1j,
    "SDG": -1j,
    "T": cmath.exp(1j * math.pi / 4),
    "TDG": cmath.exp(-1j * math.pi / 4),
}
DTYPE = np.complex64
"""Amplitude precision: single precision halves memory traffic (errors ~1e-7 per amplitude)."""

_SXDG = np.array([[0.5 - 0.5j, 0.5 + 0.5j], [0.5 + 0.5j, 0.5 - 0.5j]], dtype=complex)
_H = np.array([[1, 1], [1, -1]], dtype=complex) / math.sqrt(2.0)
_FRAME = {  # (x, z) -> X^x Z^z
    (0, 0): np.eye(2, dtype=complex),
    (1, 0): np.array([[0, 1], [1, 0]], dtype=complex),
    (0, 1): np.array([[1, 0], [0, -1]], dtype=complex),
    (1, 1): np.array([[0, -1], [1, 0]], dtype=complex),
}
_PAULI_NAMES = {"X": 1, "Y": 2, "Z": 3}
_MIN_INNER = 512
"""Below this many contiguous amplitudes per row a batched product is slower than a transpose."""


def gate_matrix(name: str, params: tuple[float, ...]) -> np.ndarray:
    """The unitary of a program gate (``SXDG`` included; first listed qubit most significant)."""
    if name == "H":
        return _H
    if name == "SXDG":
        return _SXDG
    return gate_unitary(name, params)


@functools.lru_cache(maxsize=4096)
def _frame_matrix(bits: tuple[tuple[bool, bool], ...]) -> np.ndarray:
    """⊗ X^x Z^z over the listed qubits (first = most significant)."""
    p = np.eye(1, dtype=complex)
    for x, z in bits:
        p = np.kron(p, _FRAME[(x, z)])
    return p


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """Run the block in one BLAS thread.

    The kernel's matrix products are small (a 2^k x 2^k gate on 2^n amplitudes); OpenBLAS
    threads them anyway, and on a loaded 2-core machine that made each product 10x slower.
    """
    with threadpool_limits(1, user_api="blas"):
        yield


def embed(m: np.ndarray, u: np.ndarray, positions: list[int], k: int) -> np.ndarray:
    """``u`` (acting on positions ``positions`` of k qubits, first = most significant) times ``m``.

    >>> embed(np.eye(4), gate_matrix("X", ()), [1], 2).real.astype(int).tolist()[0]
    [0, 1, 0, 0]
    """
    j = len(positions)
    t = m.reshape((2,) * k + (-1,))
    out = np.tensordot(u.reshape((2,) * (2 * j)), t, axes=(list(range(j, 2 * j)), positions))
    return np.moveaxis(out, list(range(j)), positions).reshape(m.shape)


class Register:
    """A statevector over named qubits with a Pauli frame (see the module docstring)."""

    def __init__(self, dtype: type = DTYPE) -> None:
        self.state: np.ndarray = np.ones((), dtype=dtype)
        self.axes: dict[str, int] = {}
        self.values: dict[str, int] = {}
        self.fx: set[str] = set()
        self.fz: set[str] = set()

    @property
    def live(self) -> tuple[str, ...]:
        """Live qubits in axis order."""
        return tuple(sorted(self.axes, key=self.axes.__getitem__))

    @property
    def nbytes(self) -> int:
        """Bytes of the stored amplitudes."""
        return int(self.state.nbytes)

    def copy(self) -> Register:
        """An independent copy."""
        other = Register.__new__(Register)
        other.state = self.state.copy()
        other.axes = dict(self.axes)
        other.values = dict(self.values)
        other.fx = set(self.fx)
        other.fz = set(self.fz)
        return other

    def _ix(self, qubit: str, value: int) -> tuple[slice | int, ...]:
        """Index of the stored amplitudes where ``qubit`` physically reads ``value``."""
        return (slice(None),) * self.axes[qubit] + (value ^ (qubit in self.fx),)

    def _ix2(self, a: str, va: int, b: str, vb: int) -> tuple[slice | int, ...]:
        index: list[slice | int] = [slice(None)] * self.state.ndim
        index[self.axes[a]] = va ^ (a in self.fx)
        index[self.axes[b]] = vb ^ (b in self.fx)
        return tuple(index)

    def ensure(self, qubit: str) -> None:
        """Make ``qubit`` live (in |0>, or in the basis state it was measured in)."""
        if qubit in self.axes:
            return
        value = self.values.pop(qubit, 0)
        new = np.zeros((2, *self.state.shape), dtype=self.state.dtype)
        new[value] = self.state
        self.state = new
        for other in self.axes:
            self.axes[other] += 1
        self.axes[qubit] = 0

    def discard(self, qubit: str) -> None:
        """Forget ``qubit`` entirely (it will restart in |0>)."""
        self.values.pop(qubit, None)
        if qubit in self.axes:
            self.measure_likelier(qubit)
            self.values.pop(qubit, None)

    def prepare_bell(self, a: str, b: str) -> None:
        """Put fresh qubits a, b into |Φ+> (one write of the doubled state)."""
        self.discard(a)
        self.discard(b)
        self.values.pop(a, None)
        self.values.pop(b, None)
        new = np.zeros((2, 2, *self.state.shape), dtype=self.state.dtype)
        r = 1.0 / math.sqrt(2.0)
        np.multiply(self.state, r, out=new[0, 0, ...])
        new[1, 1, ...] = new[0, 0, ...]
        self.state = new
        for other in self.axes:
            self.axes[other] += 2
        self.axes[a] = 0
        self.axes[b] = 1

    def apply(self, name: str, params: tuple[float, ...], qubits: tuple[str, ...]) -> None:
        """Apply a named gate (names of :mod:`ionnet.compiler.program`)."""
        for q in qubits:
            self.ensure(q)
        s = self.state
        if len(qubits) == 1:
            q = qubits[0]
            if name in _PAULI_NAMES:
                self.pauli(q, _PAULI_NAMES[name])
            elif name in _PHASE_ON_ONE:
                s[self._ix(q, 1)] *= _PHASE_ON_ONE[name]
            elif name == "RZ":
                s[self._ix(q, 0)] *= cmath.exp(-0.5j * params[0])
                s[self._ix(q, 1)] *= cmath.exp(0.5j * params[0])
            elif name == "H":
                x, z = q in self.fx, q in self.fz  # H X^x Z^z H = X^z Z^x
                self.apply_unitary(_H, (q,), conjugate=False)
                self._set_frame(q, z, x)
            elif name != "I":
                self.apply_unitary(gate_matrix(name, params), (q,))
            return
        a, b = qubits
        if name == "CZ":
            s[self._ix2(a, 1, b, 1)] *= -1.0
        elif name == "CP":
            s[self._ix2(a, 1, b, 1)] *= cmath.exp(1j * params[0])
        elif name == "CX":
            ax, bx = self.axes[a], self.axes[b]
            index: list[slice | int] = [slice(None)] * s.ndim
            index[ax] = 1
            index[bx] = 0
            i10 = tuple(index)
            index[bx] = 1
            i11 = tuple(index)
            tmp = s[i10].copy()
            s[i10] = s[i11]
            s[i11] = tmp
            # CX (X^xa Z^za ⊗ X^xb Z^zb) CX = X^xa Z^(za^zb) ⊗ X^(xa^xb) Z^zb
            if a in self.fx:
                self.fx ^= {b}
            if b in self.fz:
                self.fz ^= {a}
        elif name == "SWAP":
            self.axes[a], self.axes[b] = self.axes[b], self.axes[a]
            fa, fb = (a in self.fx, a in self.fz), (b in self.fx, b in self.fz)
            self._set_frame(a, *fb)
            self._set_frame(b, *fa)
        else:
            self.apply_unitary(gate_matrix(name, params), (a, b))

    def _set_frame(self, q: str, x: bool, z: bool) -> None:
        (self.fx.add if x else self.fx.discard)(q)
        (self.fz.add if z else self.fz.discard)(q)

    def apply_unitary(self, u: np.ndarray, qubits: tuple[str, ...], conjugate: bool = True) -> None:
        """Apply a 2^k x 2^k unitary to ``qubits`` (the first listed is the most significant bit).

        One ``tensordot``; the result keeps ``qubits`` as its leading axes, in that order.

        >>> r = Register(); r.apply_unitary(gate_matrix("CX", ()), ("a", "b")); r.live
        ('a', 'b')
        """
        for q in qubits:
            self.ensure(q)
        k = len(qubits)
        if conjugate and any(q in self.fx or q in self.fz for q in qubits):
            p = _frame_matrix(tuple((q in self.fx, q in self.fz) for q in qubits))
            u = p.conj().T @ u @ p
        axes = [self.axes[q] for q in qubits]
        first = axes[0]
        if axes == list(range(first, first + k)) and 1 << (self.state.ndim - first - k) >= _MIN_INNER:
            # the gate's axes are adjacent and in order: a (batched) product on a view, in place
            view = self.state.reshape(1 << first, 1 << k, -1)
            self.state = np.matmul(np.asarray(u, dtype=self.state.dtype), view).reshape(self.state.shape)
            return
        tensor = np.asarray(u, dtype=self.state.dtype).reshape((2,) * (2 * k))
        out = np.tensordot(tensor, self.state, axes=(list(range(k, 2 * k)), axes))
        chosen = set(qubits)
        rest = sorted((ax, q) for q, ax in self.axes.items() if q not in chosen)
        self.axes = {q: i for i, q in enumerate(qubits)}
        for i, (_, q) in enumerate(rest):
            self.axes[q] = k + i
        self.state = out

    def apply_phases(self, phases: np.ndarray) -> None:
        """Multiply by a diagonal given as an array in the current axis layout."""
        flips = tuple(
            slice(None, None, -1) if q in self.fx else slice(None)
            for q in sorted(self.axes, key=self.axes.__getitem__)
        )
        self.state *= phases[flips]

    def pauli(self, q: str, code: int) -> None:
        """Apply X (1), Y (2) or Z (3) to ``q`` (a frame update; global phase dropped)."""
        self.ensure(q)
        if code in (1, 2):
            self.fx ^= {q}
        if code in (2, 3):
            self.fz ^= {q}

    def _part(self, q: str, stored: int) -> np.ndarray:
        v = self.state.reshape(1 << self.axes[q], 2, -1)
        return np.ascontiguousarray(v[:, stored, :])

    def prob_one(self, q: str) -> float:
        """Probability that ``q`` reads 1."""
        if q not in self.axes:
            return float(self.values.get(q, 0))
        part = self._part(q, 1 ^ (q in self.fx))
        return float(np.vdot(part, part).real)

    def measure_likelier(self, q: str) -> int:
        """Project ``q`` onto its likelier outcome (0 on a tie) and return it."""
        if q not in self.axes:
            return self.values.get(q, 0)
        x = int(q in self.fx)
        one = self._part(q, 1 ^ x)
        p1 = float(np.vdot(one, one).real)
        zero = self._part(q, x)
        p0 = float(np.vdot(zero, zero).real)
        value, part, p = (1, one, p1) if p1 > p0 else (0, zero, p0)
        self._drop(q, part, p)
        self.values[q] = value
        return value

    def project(self, q: str, value: int) -> None:
        """Project ``q`` onto |value>, renormalise and remove its axis (it stays classical)."""
        if q not in self.axes:
            self.values[q] = value
            return
        part = self._part(q, value ^ (q in self.fx))
        self._drop(q, part, float(np.vdot(part, part).real))
        self.values[q] = value

    def _drop(self, q: str, part: np.ndarray, p: float) -> None:
        axis = self.axes.pop(q)
        part *= 1.0 / math.sqrt(p)
        self.state = part.reshape(self.state.shape[:axis] + self.state.shape[axis + 1 :])
        for other, k in self.axes.items():
            if k > axis:
                self.axes[other] = k - 1
        self.fx.discard(q)
        self.fz.discard(q)

    def probabilities(self, qubits: list[str]) -> np.ndarray:
        """Joint outcome probabilities of ``qubits``; index bit k (LSB first) is qubits[k]."""
        for q in qubits:
            self.ensure(q)
        s = self.state
        p = s.real * s.real
        p += s.imag * s.imag
        keep = [self.axes[q] for q in qubits]
        others = tuple(k for k in range(p.ndim) if k not in keep)
        marginal = p.sum(axis=others) if others else p
        order = sorted(keep)
        # marginal axes follow increasing axis number; reorder to qubits[::-1] (MSB first)
        marginal = np.transpose(marginal, [order.index(k) for k in reversed(keep)])
        flips = tuple(slice(None, None, -1) if q in self.fx else slice(None) for q in reversed(qubits))
        flat = np.ascontiguousarray(marginal[flips]).reshape(-1).astype(float)
        return flat / flat.sum()

    def overlap(self, reference: np.ndarray, qubits: list[str]) -> float:
        """⟨ref|ρ_qubits|ref⟩ for a reference vector on ``qubits`` (Qiskit order: qubits[0] LSB).

        The frame on the other qubits is a unitary on what is traced out, so only the frame on
        ``qubits`` matters: ⟨ref|P ρ P†|ref⟩ = ⟨P† ref|ρ|P† ref⟩.
        """
        for q in qubits:
            self.ensure(q)
        m = len(qubits)
        ref = reference.conj().astype(self.state.dtype).reshape((2,) * m)
        for i, q in enumerate(reversed(qubits)):  # axis i of ref holds qubits[m - 1 - i]
            if q in self.fx:
                ref = np.flip(ref, axis=i)
            if q in self.fz:
                ref = ref.copy()
                ref[(slice(None),) * i + (1,)] *= -1.0
        keep = [self.axes[q] for q in reversed(qubits)]
        rest = [k for k in range(self.state.ndim) if k not in keep]
        mat = np.transpose(self.state, keep + rest).reshape(2**m, -1)
        v = ref.reshape(-1) @ mat
        return float(np.vdot(v, v).real)
