"""The contract every state backend fulfils, and the parts of it all backends share.

A backend owns a register of qubits named by integer ids. Ids are handed out by
:meth:`StateBackend.allocate` (new qubits start in ``|0>``) and never reused. Gates are named
(see :mod:`ionnet.states.gates`) or given as a unitary matrix; multi-qubit matrices are written
with the first listed qubit as the most significant bit. Randomness (measurement outcomes,
sampled noise) comes only from the ``numpy.random.Generator`` passed at construction.

Exact and sampling backends: :class:`~ionnet.states.density.DensityMatrixBackend` applies
channels as mixtures and returns exact expectation values and fidelities; the statevector
(quantum trajectories) and stabilizer backends sample one Kraus/Pauli branch per application,
so their expectations and fidelities are values of one trajectory and must be averaged over
shots (``is_exact`` says which).

>>> from ionnet.states import DensityMatrixBackend
>>> from ionnet.seeding import stream
>>> b = DensityMatrixBackend(stream(0, "doc"))
>>> q0, q1 = b.allocate(2)
>>> b.apply_gate("H", [q0]); b.apply_gate("CX", [q0, q1])
>>> round(b.expectation("ZZ", [q0, q1]), 12), round(b.expectation("XX", [q0, q1]), 12)
(1.0, 1.0)
"""

from __future__ import annotations

import abc
from collections.abc import Sequence
from typing import ClassVar, Self

import numpy as np

from ionnet.errors import BackendError
from ionnet.states import channels
from ionnet.states.gates import Matrix, gate_def, gate_unitary

Gate = str | Matrix
"""A gate name from the library, or a unitary matrix."""


class StateBackend(abc.ABC):
    """Abstract quantum register: allocate, gate, noise, measure, reset, expectation, fidelity.

    Args:
        rng: Source of every random draw (measurement outcomes, sampled noise).
        max_qubits: Largest number of live qubits; ``allocate`` beyond it raises BackendError.
    """

    name: ClassVar[str] = "abstract"
    is_exact: ClassVar[bool] = False
    default_max_qubits: ClassVar[int] = 12

    def __init__(self, rng: np.random.Generator, max_qubits: int | None = None) -> None:
        self.rng = rng
        self.max_qubits = max_qubits if max_qubits is not None else self.default_max_qubits
        self._next_id = 0

    # ---- register -------------------------------------------------------------------------
    @property
    @abc.abstractmethod
    def qubits(self) -> tuple[int, ...]:
        """Ids of the live qubits, in allocation order."""

    @property
    def num_qubits(self) -> int:
        """Number of live qubits."""
        return len(self.qubits)

    def allocate(self, n: int = 1) -> list[int]:
        """Add ``n`` qubits in ``|0>``; return their ids."""
        if n < 0:
            raise BackendError(f"cannot allocate a negative number of qubits (got {n})")
        if self.num_qubits + n > self.max_qubits:
            raise BackendError(
                f"{self.name} backend holds at most {self.max_qubits} qubits "
                f"({self.num_qubits} live, {n} requested)"
            )
        ids = list(range(self._next_id, self._next_id + n))
        self._next_id += n
        for q in ids:
            self._add_qubit(q)
        return ids

    def release(self, qubits: int | Sequence[int]) -> None:
        """Discard qubits (traced out; on sampling backends, measured and dropped)."""
        for q in [qubits] if isinstance(qubits, int) else list(qubits):
            self._check_qubits([q])
            self._remove_qubit(q)

    @abc.abstractmethod
    def _add_qubit(self, qubit: int) -> None: ...

    @abc.abstractmethod
    def _remove_qubit(self, qubit: int) -> None: ...

    def _is_live(self, qubit: int) -> bool:
        return qubit in self.qubits

    def _check_qubits(self, qubits: Sequence[int]) -> list[int]:
        qs = [int(q) for q in qubits]
        for q in qs:
            if not self._is_live(q):
                raise BackendError(f"qubit {q} is not allocated on this {self.name} backend")
        if len(set(qs)) != len(qs):
            raise BackendError(f"a gate or channel needs distinct qubits (got {qs})")
        return qs

    # ---- gates ----------------------------------------------------------------------------
    def apply_gate(self, gate: Gate, qubits: Sequence[int], params: Sequence[float] = ()) -> None:
        """Apply a named gate (with angles ``params``) or a unitary matrix to ``qubits``."""
        qs = self._check_qubits(qubits)
        if isinstance(gate, str):
            g = gate_def(gate)
            if g.num_qubits != len(qs):
                raise BackendError(f"gate {g.name} acts on {g.num_qubits} qubit(s) (got {len(qs)})")
            self._apply_named(g.name, tuple(float(p) for p in params), qs)
            return
        u = np.asarray(gate, dtype=complex)
        if u.shape != (2 ** len(qs), 2 ** len(qs)):
            raise BackendError(f"a {u.shape} matrix cannot act on {len(qs)} qubit(s)")
        if not np.allclose(u @ u.conj().T, np.eye(u.shape[0]), atol=1e-8):
            raise BackendError("the gate matrix is not unitary")
        self._apply_unitary(u, qs)

    def _apply_named(self, name: str, params: tuple[float, ...], qubits: list[int]) -> None:
        self._apply_unitary(gate_unitary(name, params), qubits)

    @abc.abstractmethod
    def _apply_unitary(self, u: Matrix, qubits: list[int]) -> None: ...

    # ---- noise ----------------------------------------------------------------------------
    def apply_pauli_channel(self, qubits: Sequence[int], channel: channels.PauliChannel) -> None:
        """Apply Pauli string ``P`` with probability ``channel[P]`` (identity otherwise)."""
        qs = self._check_qubits(qubits)
        full = channels.validate_pauli_channel(channel, len(qs))
        if all(p == 0 for k, p in full.items() if set(k) != {"I"}):
            return
        self._apply_pauli_channel(qs, full)

    @abc.abstractmethod
    def _apply_pauli_channel(self, qubits: list[int], channel: dict[str, float]) -> None: ...

    def apply_kraus(self, kraus: Sequence[Matrix], qubits: Sequence[int]) -> None:
        """Apply the channel ``rho -> Σ K rho K†`` (checked for trace preservation)."""
        qs = self._check_qubits(qubits)
        self._apply_kraus(channels.check_kraus(kraus, len(qs)), qs)

    @abc.abstractmethod
    def _apply_kraus(self, kraus: list[Matrix], qubits: list[int]) -> None: ...

    def depolarize(self, qubits: Sequence[int], p: float) -> None:
        """Depolarizing channel with total Pauli error probability ``p`` on ``qubits`` jointly."""
        self.apply_pauli_channel(qubits, channels.depolarizing(p, len(qubits)))

    def dephase(self, qubit: int, p: float) -> None:
        """Z error with probability ``p``."""
        self.apply_pauli_channel([qubit], channels.dephasing(p))

    def amplitude_damp(self, qubit: int, gamma: float) -> None:
        """Amplitude damping with decay probability ``gamma``."""
        if gamma > 0:
            self.apply_kraus(channels.amplitude_damping_kraus(gamma), [qubit])

    # ---- measurement ----------------------------------------------------------------------
    def measure(self, qubit: int) -> int:
        """Measure ``qubit`` in the Z basis; return 0 or 1 and collapse the state."""
        (q,) = self._check_qubits([qubit])
        return int(self._measure(q))

    @abc.abstractmethod
    def _measure(self, qubit: int) -> int: ...

    def reset(self, qubit: int) -> None:
        """Put ``qubit`` back into ``|0>`` (measure, then flip on 1)."""
        if self.measure(qubit):
            self.apply_gate("X", [qubit])

    # ---- queries --------------------------------------------------------------------------
    def expectation(self, pauli: str, qubits: Sequence[int]) -> float:
        """``<P>`` for the Pauli string ``pauli`` on ``qubits`` (``"XZ"``: X on qubits[0])."""
        qs = self._check_qubits(qubits)
        if len(pauli) != len(qs) or set(pauli.upper()) - set("IXYZ"):
            raise BackendError(f"Pauli string {pauli!r} does not fit {len(qs)} qubit(s)")
        return float(self._expectation(pauli.upper(), qs))

    @abc.abstractmethod
    def _expectation(self, pauli: str, qubits: list[int]) -> float: ...

    def fidelity(self, statevector: Matrix, qubits: Sequence[int]) -> float:
        """``<ψ|rho_Q|ψ>``: fidelity of the reduced state of ``qubits`` to the pure ``ψ``."""
        qs = self._check_qubits(qubits)
        psi = np.asarray(statevector, dtype=complex).reshape(-1)
        if psi.size != 2 ** len(qs):
            raise BackendError(f"a statevector of size {psi.size} does not fit {len(qs)} qubit(s)")
        norm = np.linalg.norm(psi)
        if not np.isclose(norm, 1.0, atol=1e-8):
            raise BackendError(f"the target statevector is not normalised (norm {norm})")
        return float(min(1.0, max(0.0, self._fidelity(psi, qs))))

    @abc.abstractmethod
    def _fidelity(self, psi: Matrix, qubits: list[int]) -> float: ...

    def stabilizer_fidelity(self, stabilizers: Sequence[str], qubits: Sequence[int]) -> float:
        """Fidelity to the stabilizer state with generators ``stabilizers`` (e.g. ``["+XX", "+ZZ"]``).

        Works on every backend; the stabilizer backend does it without building a statevector,
        so it scales to thousands of qubits.
        """
        import stim

        tableau = stim.Tableau.from_stabilizers([stim.PauliString(s) for s in stabilizers])
        vec = np.asarray(tableau.to_state_vector(endian="big"), dtype=complex)  # stim gives complex64
        return self.fidelity(vec / np.linalg.norm(vec), qubits)

    @abc.abstractmethod
    def copy(self) -> Self:
        """An independent copy (sharing the random generator's state is avoided: it is copied)."""
