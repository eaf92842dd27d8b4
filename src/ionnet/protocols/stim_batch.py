"""A protocol written once as a stim circuit, then every shot sampled in one batch.

:class:`StimRecorder` is a state backend that simulates nothing: each operation a protocol
performs is appended to a ``stim.Circuit``. Gates become stim gates (a Clifford without a stim
name goes through its tableau), Pauli channels become ``PAULI_CHANNEL_1/2`` (a non-Pauli
channel such as amplitude damping is Pauli-twirled first, exactly as the per-shot
:class:`~ionnet.states.StabilizerBackend` does), a measurement with SPAM flip ``p`` is
``M(p)``, and a feed-forward Pauli correction is a classically controlled Pauli
(``CX rec[-k] q``). Protocol timing in :class:`~ionnet.protocols.context.NetworkContext` does not
depend on measurement outcomes, so one recording is every shot's circuit.

The figure of merit is a fidelity to a stabilizer state |ψ>. For Pauli noise, each trajectory
ends in a stabilizer state, and ``<Π_g (1 + g)/2>`` over trajectories is the mean fidelity, so
measuring every generator ``g`` of |ψ> noiselessly (``MPP``) at the end and counting the shots
where all give +1 estimates the same mean fidelity as the per-shot path (each per-shot value is
the conditional probability of that event; the batch samples the event itself). Sampling is
stim's frame simulator (Gidney, Quantum 5, 497 (2021)): all shots at once.

>>> from ionnet.seeding import stream
>>> rec = StimRecorder(stream(0, "doc"))
>>> a, b = rec.allocate(2)
>>> rec.apply_gate("H", [a]); rec.apply_gate("CX", [a, b])
>>> rec.dephase(b, 0.1)
>>> hits, shots = rec.sample_stabilizers(["+XX", "+ZZ"], [a, b], shots=20000, seed=1)
>>> round(hits / shots, 2)
0.9
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Sequence
from typing import ClassVar, Self

import numpy as np
import stim

from ionnet.errors import BackendError
from ionnet.states.backend import StateBackend
from ionnet.states.channels import pauli_twirl
from ionnet.states.gates import Matrix, gate_unitary, is_clifford, unitary_is_clifford

_STIM_NAMES = {
    "H": "H",
    "X": "X",
    "Y": "Y",
    "Z": "Z",
    "S": "S",
    "SDG": "S_DAG",
    "SX": "SQRT_X",
    "SXDG": "SQRT_X_DAG",
    "CX": "CX",
    "CZ": "CZ",
    "SWAP": "SWAP",
}
_CONTROLLED = {"X": "CX", "Y": "CY", "Z": "CZ"}
# stim's PAULI_CHANNEL_2 argument order: IX IY IZ XI XX ... ZZ (first letter: first target)
_PAULI2_ORDER = ["".join(p) for p in itertools.product("IXYZ", repeat=2)][1:]


# a Clifford as stim operations on target positions: (name, positions, args)
Ops = tuple[tuple[str, tuple[int, ...], tuple[float, ...]], ...]


def _ops(circuit: stim.Circuit) -> Ops:
    out = []
    for op in circuit:
        assert isinstance(op, stim.CircuitInstruction)
        out.append((op.name, tuple(t.value for t in op.targets_copy()), tuple(op.gate_args_copy())))
    return tuple(out)


@functools.lru_cache(maxsize=1024)
def _clifford_ops(name: str, params: tuple[float, ...]) -> Ops:
    if not is_clifford(name, params):
        raise BackendError(f"stabilizer backend: {name}{params or ''} is not a Clifford gate")
    tableau = stim.Tableau.from_unitary_matrix(gate_unitary(name, params), endian="big")
    return _ops(tableau.to_circuit("elimination"))


def _unitary_ops(u: Matrix) -> Ops:
    if not unitary_is_clifford(np.asarray(u)):
        raise BackendError("stabilizer backend: the unitary is not a Clifford operation")
    return _ops(stim.Tableau.from_unitary_matrix(np.asarray(u), endian="big").to_circuit("elimination"))


def _twirl_1q(kraus: Sequence[Matrix]) -> tuple[float, float, float]:
    """(p_x, p_y, p_z) of the Pauli twirl of a one-qubit channel: Σ_k |tr(P K_k)|²/4."""
    px = py = pz = 0.0
    for k in kraus:
        px += abs(k[0, 1] + k[1, 0]) ** 2 / 4
        py += abs(k[0, 1] - k[1, 0]) ** 2 / 4
        pz += abs(k[0, 0] - k[1, 1]) ** 2 / 4
    return float(px), float(py), float(pz)


def _line(name: str, targets: Sequence[int | str], args: Sequence[float] = ()) -> str:
    head = f"{name}({','.join(repr(float(a)) for a in args)})" if args else name
    return head + " " + " ".join(str(t) for t in targets)


class StimRecorder(StateBackend):
    """Records a Clifford protocol with Pauli noise as one ``stim.Circuit`` (see the module doc).

    Alongside the noisy circuit it keeps the protocol's noiseless *deferred* form (Nielsen &
    Chuang §4.4: every measurement and classically controlled Pauli becomes a coherent
    controlled Pauli from the measured qubit, one stim qubit per ionnet qubit), a unitary
    Clifford whose tableau says at once whether the ideal output satisfies every target
    stabilizer with sign +1. When it does, the sampler needs no reference sample (stim's frame
    simulator gives measurement flips, and the flips of the final stabilizer measurements are
    then their values), which saves the O(n²)-per-measurement tableau run of a 2,000-qubit
    protocol; otherwise the reference sample is computed as usual.

    Queries of the state (expectations, fidelities) are not available while recording; use
    :meth:`sample_stabilizers` once the protocol is written.
    """

    name: ClassVar[str] = "stabilizer"
    is_exact: ClassVar[bool] = False
    default_max_qubits: ClassVar[int] = 100_000

    def __init__(self, rng: np.random.Generator, max_qubits: int | None = None) -> None:
        super().__init__(rng, max_qubits)
        self._lines: list[str] = []
        self._deferred: list[str] | None = []  # None once the protocol has no deferred form
        self._measured: set[int] = set()
        self._record_qubit: list[int] = []
        self.records = 0
        self._index: dict[int, int] = {}
        self._free: list[int] = []
        self._width = 0

    @property
    def qubits(self) -> tuple[int, ...]:
        return tuple(self._index)

    def _is_live(self, qubit: int) -> bool:
        return qubit in self._index

    def _add_qubit(self, qubit: int) -> None:
        if self._free:
            idx = self._free.pop()
            self._lines.append(f"R {idx}")  # a reused stim qubit starts again in |0>
        else:
            idx = self._width
            self._width += 1
        self._index[qubit] = idx

    def _remove_qubit(self, qubit: int) -> None:
        self._free.append(self._index.pop(qubit))

    @property
    def circuit(self) -> stim.Circuit:
        """The protocol written so far."""
        return stim.Circuit("\n".join(self._lines))

    # ---- operations -----------------------------------------------------------------------
    def _unitary_line(self, name: str, qubits: Sequence[int], args: Sequence[float] = ()) -> None:
        """Append a gate: to the noisy circuit and, on ionnet ids, to the deferred form."""
        self._lines.append(_line(name, [self._index[q] for q in qubits], args))
        if self._deferred is not None:
            if self._measured.intersection(qubits):
                self._deferred = None  # a gate after a measurement: no deferred form
            else:
                self._deferred.append(_line(name, qubits, args))

    def _append(self, ops: Ops, qubits: list[int]) -> None:
        for name, positions, args in ops:
            self._unitary_line(name, [qubits[i] for i in positions], args)

    def _apply_named(self, name: str, params: tuple[float, ...], qubits: list[int]) -> None:
        if name == "I":
            return
        if name in _STIM_NAMES:
            self._unitary_line(_STIM_NAMES[name], qubits)
            return
        self._append(_clifford_ops(name, tuple(round(p, 12) for p in params)), qubits)

    def _apply_unitary(self, u: Matrix, qubits: list[int]) -> None:
        self._append(_unitary_ops(u), qubits)

    def _apply_pauli_channel(self, qubits: list[int], channel: dict[str, float]) -> None:
        targets = [self._index[q] for q in qubits]
        if len(qubits) == 1:
            self._lines.append(_line("PAULI_CHANNEL_1", targets, [channel.get(p, 0.0) for p in "XYZ"]))
        elif len(qubits) == 2:
            args = [channel.get(p, 0.0) for p in _PAULI2_ORDER]
            self._lines.append(_line("PAULI_CHANNEL_2", targets, args))
        else:
            raise BackendError(f"stim recording supports 1- and 2-qubit Pauli channels (got {len(qubits)})")

    def apply_kraus(self, kraus: Sequence[Matrix], qubits: Sequence[int]) -> None:
        """The Pauli twirl of the channel (as the stabilizer backend); one-qubit in closed form."""
        qs = self._check_qubits(qubits)
        if len(qs) != 1:
            super().apply_kraus(kraus, qs)
            return
        total = sum(k.conj().T @ k for k in (np.asarray(m, dtype=complex) for m in kraus))
        if float(np.abs(total - _EYE2).max()) > 1e-9:
            raise BackendError("the Kraus operators are not trace preserving")
        px, py, pz = _twirl_1q(kraus)
        if px + py + pz > 0:
            self._lines.append(_line("PAULI_CHANNEL_1", [self._index[qs[0]]], [px, py, pz]))

    def _apply_kraus(self, kraus: list[Matrix], qubits: list[int]) -> None:
        self._apply_pauli_channel(qubits, pauli_twirl(kraus))

    def depolarize(self, qubits: Sequence[int], p: float) -> None:
        """``DEPOLARIZE1/2(p)``: each non-identity Pauli with p/3 (p/15), as ``channels.depolarizing``."""
        qs = self._check_qubits(qubits)
        _check_probability(p)
        if p > 0:
            if len(qs) > 2:
                raise BackendError(f"stim recording depolarizes 1 or 2 qubits (got {len(qs)})")
            self._lines.append(_line(f"DEPOLARIZE{len(qs)}", [self._index[q] for q in qs], [p]))

    def dephase(self, qubit: int, p: float) -> None:
        """``Z_ERROR(p)``."""
        (q,) = self._check_qubits([qubit])
        _check_probability(p)
        if p > 0:
            self._lines.append(_line("Z_ERROR", [self._index[q]], [p]))

    def _measure(self, qubit: int) -> int:
        raise BackendError("a recorded protocol has no outcome yet: use measure_record")

    def reset(self, qubit: int) -> None:
        (q,) = self._check_qubits([qubit])
        self._lines.append(f"R {self._index[q]}")
        self._deferred = None  # a reset is not unitary

    def measure_record(self, qubit: int, flip_probability: float = 0.0) -> int:
        """Measure ``qubit`` in Z, the recorded bit flipped with ``flip_probability``; its record index."""
        (q,) = self._check_qubits([qubit])
        self._lines.append(_line("M", [self._index[q]], [flip_probability] if flip_probability > 0 else []))
        self._measured.add(q)
        self._record_qubit.append(q)
        self.records += 1
        return self.records - 1

    def controlled_pauli(self, pauli: str, record: int, qubit: int) -> None:
        """Apply ``pauli`` to ``qubit`` in the shots where measurement ``record`` gave 1."""
        (q,) = self._check_qubits([qubit])
        self._lines.append(f"{_CONTROLLED[pauli]} rec[{record - self.records}] {self._index[q]}")
        if self._deferred is not None:
            if q in self._measured:
                self._deferred = None
            else:
                self._deferred.append(f"{_CONTROLLED[pauli]} {self._record_qubit[record]} {q}")

    # ---- queries --------------------------------------------------------------------------
    def _expectation(self, pauli: str, qubits: list[int]) -> float:
        raise BackendError("a recorded protocol has no state to query: use sample_stabilizers")

    def _fidelity(self, psi: Matrix, qubits: list[int]) -> float:
        raise BackendError("a recorded protocol has no state to query: use sample_stabilizers")

    def ideal_output_satisfies(self, stabilizers: Sequence[str], qubits: Sequence[int]) -> bool | None:
        """Whether the noiseless protocol leaves every generator at +1 (None: not decidable here).

        With U the deferred protocol, ``g U|0> = U|0>`` iff ``U† g U`` is a Z-type string of
        sign +1, which the inverse tableau gives in one application per generator.
        """
        if self._deferred is None or self._measured.intersection(qubits):
            return None
        sim = stim.TableauSimulator()
        sim.set_num_qubits(self._next_id)
        sim.do_circuit(stim.Circuit("\n".join(self._deferred)))
        inverse = sim.current_inverse_tableau()
        where = np.asarray(qubits, dtype=np.int64)
        xs, zs = np.zeros(len(inverse), dtype=bool), np.zeros(len(inverse), dtype=bool)
        for text in stabilizers:
            letters = np.frombuffer(_body(text, len(qubits)).encode(), dtype=np.uint8)
            xs[where] = (letters == ord("X")) | (letters == ord("Y"))
            zs[where] = (letters == ord("Z")) | (letters == ord("Y"))
            sign = -1 if text.startswith("-") else 1
            image = inverse(stim.PauliString.from_numpy(xs=xs, zs=zs, sign=sign))
            if image.sign != 1 or np.any(image.to_numpy()[0]):
                return False
        return True

    def stabilizer_circuit(self, stabilizers: Sequence[str], qubits: Sequence[int]) -> stim.Circuit:
        """The protocol followed by one noiseless ``MPP`` per generator (records after ``records``).

        ``stabilizers[g][k]`` acts on ``qubits[k]`` (``"+XX"``, ``"-ZIZ"``; ``_`` or ``I``: none).
        """
        qs = self._check_qubits(qubits)
        stim_index = np.array([self._index[q] for q in qs], dtype=np.int64)
        products = []
        for text in stabilizers:
            letters = np.frombuffer(_body(text, len(qs)).encode(), dtype=np.uint8)
            used = np.flatnonzero(letters != ord("I"))
            pairs = zip(letters[used].tolist(), stim_index[used].tolist(), strict=True)
            factors = [f"{chr(c)}{i}" for c, i in pairs]
            if factors:
                products.append(("!" if text.startswith("-") else "") + "*".join(factors))
        lines = [*self._lines, "MPP " + " ".join(products)] if products else self._lines
        return stim.Circuit("\n".join(lines))

    def sample_stabilizers(
        self, stabilizers: Sequence[str], qubits: Sequence[int], shots: int, seed: int
    ) -> tuple[int, int]:
        """(shots in which every generator measures +1, shots): :meth:`stabilizer_circuit`, sampled."""
        circuit = self.stabilizer_circuit(stabilizers, qubits)
        skip = self.ideal_output_satisfies(stabilizers, self._check_qubits(qubits)) is True
        sampler = circuit.compile_sampler(skip_reference_sample=skip, seed=seed)
        samples = sampler.sample(shots)[:, self.records :]
        return int((~samples.any(axis=1)).sum()), shots

    def copy(self) -> Self:
        raise BackendError("a stim recording cannot be copied")


_EYE2 = np.eye(2)


def _check_probability(p: float) -> None:
    if not 0.0 <= p <= 1.0:
        raise BackendError(f"a channel probability must be in [0, 1] (got {p!r})")


def _body(text: str, n: int) -> str:
    body = text.lstrip("+-").replace("_", "I")
    if len(body) != n or set(body) - set("IXYZ"):
        raise BackendError(f"stabilizer {text!r} does not fit {n} qubit(s)")
    return body


def stabilizer_generators(statevector: np.ndarray) -> list[str]:
    """Generators of a stabilizer state given as amplitudes (first qubit most significant).

    >>> stabilizer_generators(np.array([1, 0, 0, 1]) / np.sqrt(2))
    ['+XX', '+ZZ']
    """
    try:
        tableau = stim.Tableau.from_state_vector(np.asarray(statevector, dtype=np.complex64), endian="big")
    except ValueError:
        raise BackendError("the target state is not a stabilizer state") from None
    return [str(s).replace("_", "I") for s in tableau.to_stabilizers(canonicalize=True)]
