"""Stabilizer backend through stim's ``TableauSimulator``: Clifford gates with Pauli noise.

Scales to thousands of qubits (the tableau costs O(n²) memory). Limits and approximations:

* Only Clifford operations: a named gate is accepted when Clifford at the given angles
  (``RZ(π/2)``, ``MS(0, 0, π/2)``, ``ZZ(π/2)`` are; ``T`` or ``RZ(0.3)`` raise BackendError),
  as is any unitary matrix that is Clifford (converted with ``stim.Tableau.from_unitary_matrix``).
* Pauli channels are sampled per application, like quantum trajectories.
* **Non-Pauli channels are Pauli-twirled** before sampling (see
  :func:`ionnet.states.channels.pauli_twirl`): amplitude damping with decay ``γ`` becomes X and Y
  errors with ``γ/4`` each and a Z error with ``(1 - √(1-γ))²/4``. The twirl keeps every Pauli
  fidelity (hence the process fidelity) but drops the channel's bias towards ``|0>``, so
  populations under T1 decay differ from the density-matrix backend's.
* Measurement outcomes are drawn from the numpy Generator passed in (a random outcome is
  ``postselect_z`` on a fair coin), so runs are reproducible without stim's own PRNG.

>>> from ionnet.seeding import stream
>>> b = StabilizerBackend(stream(0, "doc"))
>>> q = b.allocate(1000)
>>> b.apply_gate("H", [q[0]])
>>> for a, c in zip(q, q[1:]): b.apply_gate("CX", [a, c])
>>> zz = ["+" + "I" * i + "ZZ" + "I" * (998 - i) for i in range(999)]
>>> b.stabilizer_fidelity(["+" + "X" * 1000, *zz], q)
1.0
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import ClassVar, Self

import numpy as np
import stim

from ionnet.errors import BackendError
from ionnet.states.backend import StateBackend
from ionnet.states.channels import pauli_twirl
from ionnet.states.gates import Matrix, gate_unitary, is_clifford, unitary_is_clifford

_DIRECT = {
    "H": "h",
    "X": "x",
    "Y": "y",
    "Z": "z",
    "S": "s",
    "SDG": "s_dag",
    "SX": "sqrt_x",
    "CX": "cx",
    "CZ": "cz",
    "SWAP": "swap",
}


@functools.lru_cache(maxsize=4096)
def _named_tableau(name: str, params: tuple[float, ...]) -> stim.Tableau:
    if not is_clifford(name, params):
        raise BackendError(f"stabilizer backend: {name}{params or ''} is not a Clifford gate")
    return stim.Tableau.from_unitary_matrix(gate_unitary(name, params), endian="big")


def unitary_tableau(u: Matrix) -> stim.Tableau:
    """The stim Tableau of a Clifford unitary (first qubit most significant), or BackendError."""
    # stim's own check is loose (it accepts RZ(0.3) as the identity): test the Pauli images first
    if not unitary_is_clifford(np.asarray(u)):
        raise BackendError("stabilizer backend: the unitary is not a Clifford operation")
    return stim.Tableau.from_unitary_matrix(np.asarray(u), endian="big")


class StabilizerBackend(StateBackend):
    """Clifford + Pauli-noise simulation through stim; see the module docstring."""

    name: ClassVar[str] = "stabilizer"
    is_exact: ClassVar[bool] = False
    default_max_qubits: ClassVar[int] = 100_000

    def __init__(self, rng: np.random.Generator, max_qubits: int | None = None) -> None:
        super().__init__(rng, max_qubits)
        self._sim = stim.TableauSimulator()
        self._index: dict[int, int] = {}
        self._free: list[int] = []

    @property
    def qubits(self) -> tuple[int, ...]:
        return tuple(self._index)

    @property
    def simulator(self) -> stim.TableauSimulator:
        """The underlying stim simulator (stim qubit ``stim_index(q)`` is ionnet qubit ``q``)."""
        return self._sim

    def _is_live(self, qubit: int) -> bool:
        return qubit in self._index

    def stim_index(self, qubit: int) -> int:
        """The stim qubit index holding ionnet qubit ``qubit``."""
        return self._index[self._check_qubits([qubit])[0]]

    # ---- register -------------------------------------------------------------------------
    def _add_qubit(self, qubit: int) -> None:
        if self._free:
            self._index[qubit] = self._free.pop()
        else:
            self._index[qubit] = len(self._index) + len(self._free)
            self._sim.set_num_qubits(max(self._sim.num_qubits, self._index[qubit] + 1))

    def _remove_qubit(self, qubit: int) -> None:
        idx = self._index.pop(qubit)
        self._sim.reset(idx)
        self._free.append(idx)

    # ---- operations -----------------------------------------------------------------------
    def _apply_named(self, name: str, params: tuple[float, ...], qubits: list[int]) -> None:
        targets = [self._index[q] for q in qubits]
        if name == "I":
            return
        if name in _DIRECT:
            getattr(self._sim, _DIRECT[name])(*targets)
            return
        key = tuple(round(p, 12) for p in params)
        self._sim.do_tableau(_named_tableau(name, key), targets)

    def _apply_unitary(self, u: Matrix, qubits: list[int]) -> None:
        self._sim.do_tableau(unitary_tableau(u), [self._index[q] for q in qubits])

    def _apply_pauli_channel(self, qubits: list[int], channel: dict[str, float]) -> None:
        labels = list(channel)
        probs = np.array([channel[lbl] for lbl in labels])
        label = labels[int(self.rng.choice(len(labels), p=probs / probs.sum()))]
        for q, letter in zip(qubits, label, strict=True):
            if letter != "I":
                getattr(self._sim, letter.lower())(self._index[q])

    def _apply_kraus(self, kraus: list[Matrix], qubits: list[int]) -> None:
        self._apply_pauli_channel(qubits, pauli_twirl(kraus))

    def _measure(self, qubit: int) -> int:
        idx = self._index[qubit]
        z = self._sim.peek_z(idx)
        outcome = int(z == -1) if z != 0 else int(self.rng.random() < 0.5)
        if z == 0:
            self._sim.postselect_z(idx, desired_value=bool(outcome))
        return outcome

    # ---- queries --------------------------------------------------------------------------
    def _pauli_string(self, pauli: str, qubits: Sequence[int], sign: str = "+") -> stim.PauliString:
        letters = ["_"] * self._sim.num_qubits
        for q, letter in zip(qubits, pauli, strict=True):
            letters[self._index[q]] = "_" if letter == "I" else letter
        return stim.PauliString(sign + "".join(letters))

    def _expectation(self, pauli: str, qubits: list[int]) -> float:
        return float(self._sim.peek_observable_expectation(self._pauli_string(pauli, qubits)))

    def _fidelity(self, psi: Matrix, qubits: list[int]) -> float:
        try:
            tableau = stim.Tableau.from_state_vector(psi, endian="big")
        except ValueError:
            raise BackendError("stabilizer backend: the target state is not a stabilizer state") from None
        return self._projector_probability([str(s) for s in tableau.to_stabilizers()], qubits)

    def stabilizer_fidelity(self, stabilizers: Sequence[str], qubits: Sequence[int]) -> float:
        qs = self._check_qubits(qubits)
        return self._projector_probability(list(stabilizers), qs)

    def _projector_probability(self, stabilizers: list[str], qubits: list[int]) -> float:
        """``<Π_g (1 + g)/2>``: project on each generator in turn (a copy of the state)."""
        sim = self._sim.copy()
        fidelity = 1.0
        for text in stabilizers:
            sign = "-" if text.startswith("-") else "+"
            body = text.lstrip("+-").replace("_", "I")
            if len(body) != len(qubits):
                raise BackendError(f"stabilizer {text!r} does not fit {len(qubits)} qubit(s)")
            observable = self._pauli_string(body, qubits, sign)
            value = sim.peek_observable_expectation(observable)
            if value == -1:
                return 0.0
            if value == 0:
                fidelity *= 0.5
                sim.postselect_observable(observable)
        return fidelity

    def copy(self) -> Self:
        import copy as _copy

        other = _copy.copy(self)
        other._sim = self._sim.copy()
        other._index = dict(self._index)
        other._free = list(self._free)
        other.rng = _copy.deepcopy(self.rng)
        return other
