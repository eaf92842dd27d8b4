"""Statevector backend with quantum trajectories, for registers up to about 24 qubits.

The state is a tensor with one axis per live qubit. A gate views the state as ``(A, 2, B)``
(one qubit) or ``(A, 2, B, 2, C)`` (two qubits) and forms each output slice as a linear
combination of input slices, skipping zero matrix entries (elementwise numpy only: BLAS
threads stall on a shared machine); diagonal gates multiply in place and permutation-like gates (X,
CX, SWAP) only move slices. When a gate axis lies near the end of the tensor (short contiguous
runs), the gate axes are first moved to the front, and the backend remembers the new axis
order. Outputs go to a reused buffer, so a gate is a few passes over the array and no fresh
memory (timings on 20 qubits: benchmarks/bench_protocols.py).

Noise is sampled per application (quantum trajectories, Dalibard, Castin & Mølmer, PRL 68, 580
(1992)): a Pauli channel applies one Pauli drawn from its probabilities; a Kraus channel picks
branch ``k`` with probability ``||K_k ψ||²`` and renormalises. Averaging any quantity over
trajectories gives its value under the mixed-state evolution.

>>> from ionnet.seeding import stream
>>> b = StatevectorBackend(stream(0, "doc"))
>>> q = b.allocate(3)
>>> b.apply_gate("H", [q[0]]); b.apply_gate("CX", [q[0], q[1]]); b.apply_gate("CX", [q[1], q[2]])
>>> ghz = np.zeros(8); ghz[[0, 7]] = 2 ** -0.5
>>> round(b.fidelity(ghz, q), 12)
1.0
"""

from __future__ import annotations

import copy
from typing import ClassVar, Self

import numpy as np

from ionnet.states.backend import StateBackend
from ionnet.states.gates import Matrix, pauli_matrix
from ionnet.states.kernels import apply_sliced, ascending, is_diagonal, is_monomial, view_around

SHORT_RUN = 4096
"""Contiguous runs shorter than this many amplitudes make sliced gate kernels slow."""


class StatevectorBackend(StateBackend):
    """Pure-state trajectory simulation; see the module docstring."""

    name: ClassVar[str] = "statevector"
    is_exact: ClassVar[bool] = False
    default_max_qubits: ClassVar[int] = 24

    def __init__(self, rng: np.random.Generator, max_qubits: int | None = None) -> None:
        super().__init__(rng, max_qubits)
        self._order: list[int] = []  # qubit held by each tensor axis (may be permuted)
        self._alloc: list[int] = []  # live qubits in allocation order
        self._spare: np.ndarray | None = None  # output buffer reused by the next gate
        self._psi: np.ndarray = np.ones((), dtype=complex)

    @property
    def qubits(self) -> tuple[int, ...]:
        return tuple(self._alloc)

    def statevector(self) -> Matrix:
        """The state as a flat vector, first allocated live qubit most significant."""
        axes = [self._order.index(q) for q in self._alloc]
        return np.transpose(self._psi, axes).reshape(-1).copy()

    # ---- register -------------------------------------------------------------------------
    def _add_qubit(self, qubit: int) -> None:
        psi = np.zeros((*self._psi.shape, 2), dtype=complex)
        psi[..., 0] = self._psi
        self._psi = psi
        self._order.append(qubit)
        self._alloc.append(qubit)

    def _remove_qubit(self, qubit: int) -> None:
        outcome = self._measure(qubit)
        i = self._order.index(qubit)
        self._psi = np.take(self._psi, outcome, axis=i)
        self._order.remove(qubit)
        self._alloc.remove(qubit)

    # ---- operations -----------------------------------------------------------------------
    def _apply_unitary(self, u: Matrix, qubits: list[int]) -> None:
        axes = [self._order.index(q) for q in qubits]
        k = len(axes)
        if k > 2:
            self._apply_dense(u, axes)
            return
        if not is_diagonal(u):  # monomial gates only copy slices: stride-2 ones (last axis) stay cheap
            axes = self._avoid_short_runs(axes, shortest=2 if is_monomial(u) else 1)
        u, axes = ascending(u, axes)
        view = view_around(self._psi, axes)
        result = apply_sliced(u, view, self._output(view.shape))
        if result is not view:
            self._swap_in(result)

    def _avoid_short_runs(self, axes: list[int], shortest: int = 1) -> list[int]:
        """Permute the tensor when a gate axis has ``shortest`` to SHORT_RUN - 1 trailing amplitudes.

        Slices along such an axis are short contiguous runs, which numpy walks slowly. Moving
        the gate axes to the front (one copy into the reusable buffer, done on the 3- or 5-axis
        view so numpy copies long runs) gives long runs again; ``_order`` records the new axis
        of each qubit. Returns the gate axes after the move.
        """
        n = len(self._order)
        if n < 10 or not any(shortest <= 2 ** (n - 1 - a) < SHORT_RUN for a in axes):
            return axes
        sorted_axes = sorted(axes)
        view = view_around(self._psi, sorted_axes)
        gate_dims = [1 + 2 * i for i in range(len(axes))]
        order = [gate_dims[sorted_axes.index(a)] for a in axes]
        permuted = np.transpose(view, order + [d for d in range(view.ndim) if d not in gate_dims])
        out = self._output(permuted.shape)
        np.copyto(out, permuted)
        self._swap_in(out)
        self._order = [self._order[a] for a in axes] + [q for i, q in enumerate(self._order) if i not in axes]
        return list(range(len(axes)))

    def _output(self, shape: tuple[int, ...]) -> np.ndarray:
        """A buffer the size of the state for a gate's output (reused: no fresh pages per gate)."""
        if self._spare is None or self._spare.size != self._psi.size:
            self._spare = np.empty(self._psi.size, dtype=complex)
        return self._spare.reshape(shape)

    def _swap_in(self, out: np.ndarray) -> None:
        old = self._psi
        self._psi = out.reshape(old.shape)
        self._spare = old.reshape(-1)

    def _apply_dense(self, u: Matrix, axes: list[int]) -> None:
        k = len(axes)
        tensor = u.reshape((2,) * (2 * k))
        moved = np.tensordot(tensor, self._psi, axes=(list(range(k, 2 * k)), axes))
        self._psi = np.ascontiguousarray(np.moveaxis(moved, list(range(k)), axes))

    def _apply_kraus(self, kraus: list[Matrix], qubits: list[int]) -> None:
        original = self._psi
        r = self.rng.random()
        acc = 0.0
        for i, k in enumerate(kraus):
            self._psi = original.copy()  # gates may work in place
            self._apply_unitary(k, qubits)
            weight = float(np.vdot(self._psi, self._psi).real)
            acc += weight
            if (r < acc or i == len(kraus) - 1) and weight > 0:
                self._psi = self._psi / np.sqrt(weight)
                return
        self._psi = original  # numerically impossible branch; keep the state

    def _apply_pauli_channel(self, qubits: list[int], channel: dict[str, float]) -> None:
        labels = list(channel)
        probs = np.array([channel[lbl] for lbl in labels])
        label = labels[int(self.rng.choice(len(labels), p=probs / probs.sum()))]
        for q, letter in zip(qubits, label, strict=True):
            if letter != "I":
                self._apply_unitary(pauli_matrix(letter), [q])

    def _measure(self, qubit: int) -> int:
        i = self._order.index(qubit)
        view = view_around(self._psi, [i])
        p1 = float(np.vdot(view[:, 1, :], view[:, 1, :]).real)
        p0 = float(np.vdot(view[:, 0, :], view[:, 0, :]).real)
        outcome = int(self.rng.random() < p1 / (p0 + p1))
        view[:, 1 - outcome, :] = 0
        view[:, outcome, :] /= np.sqrt(p1 if outcome else p0)
        return outcome

    def _reduced_amplitudes(self, qubits: list[int]) -> np.ndarray:
        """The state as a (2^k, rest) matrix with ``qubits`` (in order) as the row index."""
        axes = [self._order.index(q) for q in qubits]
        rest = [a for a in range(len(self._order)) if a not in axes]
        return np.transpose(self._psi, axes + rest).reshape(2 ** len(axes), -1)

    def _expectation(self, pauli: str, qubits: list[int]) -> float:
        m = self._reduced_amplitudes(qubits)
        return float(np.real(np.vdot(m, pauli_matrix(pauli) @ m)))

    def _fidelity(self, psi: Matrix, qubits: list[int]) -> float:
        m = self._reduced_amplitudes(qubits)
        overlap = psi.conj() @ m
        return float(np.vdot(overlap, overlap).real)

    def copy(self) -> Self:
        other = copy.copy(self)
        other._order = list(self._order)
        other._alloc = list(self._alloc)
        other._spare = None
        other._psi = self._psi.copy()
        other.rng = copy.deepcopy(self.rng)
        return other
