"""Exact density-matrix backend (numpy), for registers up to about 12 qubits.

The state is a tensor with one row axis and one column axis per live qubit; a gate or Kraus
operator acts on the row axes of its qubits and, conjugated, on their column axes, with the
elementwise kernels of :mod:`ionnet.states.kernels`; a one-qubit channel is one pass of its
4x4 superoperator on the (row, column) axis pair, and uniform depolarizing uses the partial
trace. Channels are exact mixtures; measurement samples the outcome from the Born probability
and projects.

>>> from ionnet.seeding import stream
>>> b = DensityMatrixBackend(stream(0, "doc"))
>>> (q,) = b.allocate(1)
>>> b.apply_gate("H", [q]); b.dephase(q, 0.25)
>>> round(b.expectation("X", [q]), 12)
0.5
"""

from __future__ import annotations

import copy
import itertools
from typing import ClassVar, Self

import numpy as np

from ionnet.states.backend import StateBackend
from ionnet.states.gates import Matrix, pauli_matrix
from ionnet.states.kernels import apply_matrix


class DensityMatrixBackend(StateBackend):
    """Exact mixed-state simulation; see the module docstring."""

    name: ClassVar[str] = "density"
    is_exact: ClassVar[bool] = True
    default_max_qubits: ClassVar[int] = 12

    def __init__(self, rng: np.random.Generator, max_qubits: int | None = None) -> None:
        super().__init__(rng, max_qubits)
        self._order: list[int] = []
        self._rho: np.ndarray = np.ones((), dtype=complex)
        self._spare: np.ndarray | None = None

    @property
    def qubits(self) -> tuple[int, ...]:
        return tuple(self._order)

    def density_matrix(self, qubits: list[int] | None = None) -> Matrix:
        """The (reduced) density matrix of ``qubits`` (default: all, in allocation order)."""
        qs = self._check_qubits(qubits if qubits is not None else self._order)
        n = len(self._order)
        axes = [self._order.index(q) for q in qs]
        rows = list(range(n))
        cols = [n + i for i in range(n)]
        for i in range(n):
            if i not in axes:
                cols[i] = rows[i]  # repeated index: traced out
        out = [rows[a] for a in axes] + [n + a for a in axes]
        red = np.einsum(self._rho, rows + cols, out)
        d = 2 ** len(qs)
        return red.reshape(d, d)

    # ---- register -------------------------------------------------------------------------
    def _add_qubit(self, qubit: int) -> None:
        n = len(self._order)
        zero = np.zeros((2, 2), dtype=complex)
        zero[0, 0] = 1
        rho = np.multiply.outer(self._rho, zero)
        self._rho = np.ascontiguousarray(np.moveaxis(rho, 2 * n, n))
        self._order.append(qubit)

    def _remove_qubit(self, qubit: int) -> None:
        n = len(self._order)
        i = self._order.index(qubit)
        self._rho = np.trace(self._rho, axis1=i, axis2=n + i)
        self._order.remove(qubit)

    # ---- operations -----------------------------------------------------------------------
    def _sandwich(self, rho: np.ndarray, op: Matrix, qubits: list[int]) -> np.ndarray:
        """``op ρ op†``: ``op`` on the row axes, its conjugate on the column axes.

        Works between ``rho``'s memory and the spare buffer; whichever does not hold the result
        becomes the spare buffer.
        """
        n = len(self._order)
        rows = [self._order.index(q) for q in qubits]
        spare = self._buffer(rho)
        half = apply_matrix(rho, op, rows, out=spare)
        free = rho if np.shares_memory(half, spare) else spare
        result = apply_matrix(half, op.conj(), [n + a for a in rows], out=free)
        self._spare = spare if np.shares_memory(result, rho) else rho.reshape(-1)
        return result

    def _buffer(self, like: np.ndarray) -> np.ndarray:
        """A reusable scratch array the size of ρ (no fresh 256 MB pages per gate at 12 qubits)."""
        if self._spare is None or self._spare.size != like.size:
            self._spare = np.empty(like.size, dtype=complex)
        return self._spare

    def _apply_unitary(self, u: Matrix, qubits: list[int]) -> None:
        self._rho = self._sandwich(self._rho, u, qubits)

    def _apply_kraus(self, kraus: list[Matrix], qubits: list[int]) -> None:
        if len(qubits) == 1:  # one pass with the 4x4 superoperator Σ K ⊗ K* on (row, column)
            row = self._order.index(qubits[0])
            superop = np.sum([np.kron(k, k.conj()) for k in kraus], axis=0)
            out = apply_matrix(self._rho, superop, [row, len(self._order) + row], out=self._buffer(self._rho))
            if not np.shares_memory(out, self._rho):
                self._rho, self._spare = out, self._rho.reshape(-1)
            return
        original = self._rho
        total = np.zeros_like(original)
        for k in kraus:
            total += self._sandwich(original.copy(), k, qubits)  # the sandwich reuses its input
        self._rho = total

    def _apply_pauli_channel(self, qubits: list[int], channel: dict[str, float]) -> None:
        errors = [p for label, p in channel.items() if set(label) != {"I"}]
        d2 = 4 ** len(qubits)
        if len(qubits) > 1 and len(errors) == d2 - 1 and np.allclose(errors, errors[0]):
            self._depolarize(qubits, errors[0] * d2)  # uniform: ρ -> (1-λ)ρ + λ I/d ⊗ Tr_Q ρ
            return
        self._apply_kraus([np.sqrt(p) * pauli_matrix(lbl) for lbl, p in channel.items() if p > 0], qubits)

    def _depolarize(self, qubits: list[int], lam: float) -> None:
        """``(1-λ)ρ + λ (I/d)_Q ⊗ Tr_Q ρ`` (Nielsen & Chuang eq. 8.102), in two passes."""
        n = len(self._order)
        axes = [self._order.index(q) for q in qubits]
        rows = list(range(n))
        cols = [n + i if i not in axes else i for i in range(n)]
        rest = [i for i in range(2 * n) if i % n not in axes]
        reduced = np.einsum(self._rho, rows + cols, rest) * (lam / 2 ** len(axes))
        self._rho *= 1 - lam
        for bits in itertools.product(range(2), repeat=len(axes)):
            index: list[int | slice] = [slice(None)] * (2 * n)
            for a, bit in zip(axes, bits, strict=True):
                index[a] = index[n + a] = bit
            self._rho[tuple(index)] += reduced

    def _measure(self, qubit: int) -> int:
        p = np.clip(np.real(np.diag(self.density_matrix([qubit]))), 0.0, 1.0)
        outcome = int(self.rng.random() < p[1] / p.sum())
        n = len(self._order)
        i = self._order.index(qubit)
        keep: list[int | slice] = [slice(None)] * (2 * n)
        rho = np.zeros_like(self._rho)
        keep[i] = keep[n + i] = outcome
        rho[tuple(keep)] = self._rho[tuple(keep)] / p[outcome]
        self._rho = rho
        return outcome

    def _expectation(self, pauli: str, qubits: list[int]) -> float:
        red = self.density_matrix(qubits)
        return float(np.real(np.trace(red @ pauli_matrix(pauli))))

    def _fidelity(self, psi: Matrix, qubits: list[int]) -> float:
        red = self.density_matrix(qubits)
        return float(np.real(psi.conj() @ red @ psi))

    def copy(self) -> Self:
        other = copy.copy(self)
        other._order = list(self._order)
        other._rho = self._rho.copy()
        other._spare = None
        other.rng = copy.deepcopy(self.rng)
        return other
