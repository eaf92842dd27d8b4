"""Exact density-matrix backend (numpy), for registers up to about 12 qubits.

The state is a tensor with one row axis and one column axis per live qubit; gates and Kraus
operators are contracted on the axes of their qubits with ``numpy.einsum`` (integer sublists,
so no letter limit). Channels are applied as exact mixtures; measurement samples the outcome
from the Born probability and projects.

>>> from ionnet.seeding import stream
>>> b = DensityMatrixBackend(stream(0, "doc"))
>>> (q,) = b.allocate(1)
>>> b.apply_gate("H", [q]); b.dephase(q, 0.25)
>>> round(b.expectation("X", [q]), 12)
0.5
"""

from __future__ import annotations

import copy
from typing import ClassVar, Self

import numpy as np

from ionnet.states.backend import StateBackend
from ionnet.states.gates import Matrix, pauli_matrix


class DensityMatrixBackend(StateBackend):
    """Exact mixed-state simulation; see the module docstring."""

    name: ClassVar[str] = "density"
    is_exact: ClassVar[bool] = True
    default_max_qubits: ClassVar[int] = 12

    def __init__(self, rng: np.random.Generator, max_qubits: int | None = None) -> None:
        super().__init__(rng, max_qubits)
        self._order: list[int] = []
        self._rho: np.ndarray = np.ones((), dtype=complex)

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
        self._rho = np.moveaxis(rho, 2 * n, n)
        self._order.append(qubit)

    def _remove_qubit(self, qubit: int) -> None:
        n = len(self._order)
        i = self._order.index(qubit)
        self._rho = np.trace(self._rho, axis1=i, axis2=n + i)
        self._order.remove(qubit)

    # ---- operations -----------------------------------------------------------------------
    def _contract(self, op: Matrix, qubits: list[int], side: str) -> np.ndarray:
        """``op`` acting on the row axes (``side='row'``) or, conjugated, on the column axes."""
        n, k = len(self._order), len(qubits)
        base = [self._order.index(q) + (n if side == "col" else 0) for q in qubits]
        tensor = op.reshape((2,) * (2 * k))
        if side == "col":
            tensor = tensor.conj()
        new = [2 * n + j for j in range(k)]
        rho_axes = list(range(2 * n))
        out = rho_axes.copy()
        for j, a in enumerate(base):
            out[a] = new[j]
        return np.einsum(tensor, new + base, self._rho, rho_axes, out)

    def _apply_unitary(self, u: Matrix, qubits: list[int]) -> None:
        self._rho = self._contract(u, qubits, "row")
        self._rho = self._contract(u, qubits, "col")

    def _apply_kraus(self, kraus: list[Matrix], qubits: list[int]) -> None:
        original = self._rho
        total = np.zeros_like(original)
        for k in kraus:
            self._rho = original
            self._rho = self._contract(k, qubits, "row")
            total += self._contract(k, qubits, "col")
        self._rho = total

    def _apply_pauli_channel(self, qubits: list[int], channel: dict[str, float]) -> None:
        self._apply_kraus([np.sqrt(p) * pauli_matrix(lbl) for lbl, p in channel.items() if p > 0], qubits)

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
        other.rng = copy.deepcopy(self.rng)
        return other
