"""The stabilizer path: a Clifford NoisyCircuit becomes one stim.Circuit and all shots sample at once.

Noise locations become ``PAULI_CHANNEL_1`` / ``DEPOLARIZE2``, readout flips ``M(p)``, an EPR is
``R a b; H a; CX a b`` followed by the link's Pauli channel, and a feed-forward Pauli
``IF t X q`` becomes ``CX rec[-k] q`` for the last measurement written into t (a parity of
several bits is one classically controlled Pauli per bit). Clifford one-qubit gates without a
stim name (a ``U`` with quarter-turn angles) are decomposed through their tableau. The state
fidelity to a stabilizer target is estimated by measuring the target's stabilizers
(:func:`stim_state_fidelity`). For a Clifford circuit too large for a state vector, the target's
stabilizers come from a tableau simulation of the original circuit (:func:`clifford_reference`),
so a 1,000-qubit program still gets its state fidelity: the probability that every stabilizer of
the ideal output holds.

>>> from ionnet.runtime.noisy import NoisyCircuit, Step
>>> nc = NoisyCircuit([Step("gate", ("a",), "H"), Step("gate", ("a", "b"), "CX"),
...                    Step("measure", ("a",), bit="c0", probs=(0.0,)),
...                    Step("measure", ("b",), bit="c1", probs=(0.0,))], 2, {})
>>> counts = run_stim(nc, 100, seed=3)
>>> sorted(counts), sum(counts.values())
(['00', '11'], 100)
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import stim
from qiskit import QuantumCircuit

from ionnet.errors import BackendError
from ionnet.runtime.noisy import NoisyCircuit, Step
from ionnet.states.gates import gate_unitary, unitary_is_clifford

_STIM_1Q = {"I": "I", "H": "H", "X": "X", "Y": "Y", "Z": "Z", "S": "S", "SDG": "S_DAG", "SX": "SQRT_X",
            "SXDG": "SQRT_X_DAG"}  # fmt: skip
_STIM_2Q = {"CX": "CX", "CZ": "CZ", "SWAP": "SWAP"}
_QUARTER_TURNS = {
    "RZ": ("I", "S", "Z", "S_DAG"),
    "RX": ("I", "SQRT_X", "X", "SQRT_X_DAG"),
    "RY": ("I", "SQRT_Y", "Y", "SQRT_Y_DAG"),
}


def _stim_gate(s: Step) -> str:
    if s.name in _STIM_1Q:
        return _STIM_1Q[s.name]
    if s.name in _STIM_2Q:
        return _STIM_2Q[s.name]
    if s.name in _QUARTER_TURNS:
        k = round(s.params[0] / (math.pi / 2)) % 4
        return _QUARTER_TURNS[s.name][k]
    if s.name == "CP":
        return "CZ" if round(s.params[0] / math.pi) % 2 else "I"
    return ""


Ops = tuple[tuple[str, tuple[int, ...], tuple[float, ...]], ...]
"""Stim operations on target positions: (name, positions, args)."""


@functools.lru_cache(maxsize=256)
def _decomposed(name: str, params: tuple[float, ...]) -> Ops:
    """A Clifford one- or two-qubit gate (e.g. a U with quarter-turn angles) as stim gates."""
    u = gate_unitary(name, params)
    if not unitary_is_clifford(u):
        raise BackendError(f"gate {name}{params} is not Clifford: the stim path cannot run it")
    circuit = stim.Tableau.from_unitary_matrix(u, endian="big").to_circuit("elimination")
    ops = []
    for op in circuit:
        assert isinstance(op, stim.CircuitInstruction)
        ops.append((op.name, tuple(t.value for t in op.targets_copy()), tuple(op.gate_args_copy())))
    return tuple(ops)


def _line(name: str, targets: list[int], args: tuple[float, ...] | list[float] = ()) -> str:
    head = f"{name}({','.join(repr(float(a)) for a in args)})" if args else name
    return head + " " + " ".join(map(str, targets))


class _Builder:
    """Writes the circuit as stim text (one parse at the end is much faster than appends)."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.index: dict[str, int] = {}
        self.records = 0
        self.last_record: dict[str, int] = {}

    @property
    def circuit(self) -> stim.Circuit:
        return stim.Circuit("\n".join(self.lines))

    def q(self, name: str) -> int:
        return self.index.setdefault(name, len(self.index))

    def add(self, s: Step) -> None:
        out = self.lines
        targets = [self.q(name) for name in s.qubits]
        if s.kind == "pauli1":
            if any(s.probs):
                out.append(_line("PAULI_CHANNEL_1", targets, s.probs))
        elif s.kind == "depol2":
            if s.probs[0] > 0:
                out.append(_line("DEPOLARIZE2", targets, s.probs[:1]))
        elif s.kind == "epr":
            out.extend((_line("R", targets), _line("H", targets[:1]), _line("CX", targets)))
        elif s.kind == "reset":
            out.append(_line("R", targets))
        elif s.kind == "measure":
            out.append(_line("M", targets, s.probs[:1] if s.probs and s.probs[0] > 0 else ()))
            self.last_record[s.bit] = self.records
            self.records += 1
        elif s.condition:
            self._conditional(s, targets[0])
        else:
            name = _stim_gate(s)
            if name == "":
                for op, positions, args in _decomposed(s.name, s.params):
                    out.append(_line(op, [targets[i] for i in positions], args))
            elif name != "I":
                out.append(_line(name, targets))

    def _conditional(self, s: Step, target: int) -> None:
        control = {"X": "CX", "Y": "CY", "Z": "CZ", "I": None}.get(s.name, "")
        if control == "":
            raise BackendError(f"conditioned gate {s.name} is not a Pauli: the stim path cannot run it")
        if control is None:
            return
        for bit in s.condition:
            lookback = self.last_record[bit] - self.records
            self.lines.append(f"{control} rec[{lookback}] {target}")


def build_stim_circuit(nc: NoisyCircuit) -> tuple[stim.Circuit, dict[str, int]]:
    """The stim.Circuit of ``nc`` and, per circuit bit, the record index of its final value."""
    builder = _Builder()
    for s in nc.steps:
        builder.add(s)
    finals = {b: r for b, r in builder.last_record.items() if b.startswith("c")}
    return builder.circuit, finals


def run_stim(nc: NoisyCircuit, shots: int, seed: int) -> dict[str, int]:
    """Sample ``shots`` shots of a Clifford NoisyCircuit; counts keyed c0-rightmost."""
    circuit, finals = build_stim_circuit(nc)
    if circuit.num_measurements == 0:
        return {"0" * nc.num_clbits: shots}
    samples = circuit.compile_sampler(seed=seed).sample(shots)
    n = nc.num_clbits
    bits = np.zeros((shots, n), dtype=np.uint8)
    for b, r in finals.items():
        bits[:, n - 1 - int(b[1:])] = samples[:, r]
    # count packed rows as bytes (np.unique over rows sorts them: slow for wide registers)
    tally = Counter(map(bytes, np.packbits(bits, axis=1)))
    out = {}
    for key, c in tally.items():
        row = np.unpackbits(np.frombuffer(key, dtype=np.uint8), count=n) + ord("0")
        out[row.astype(np.uint8).tobytes().decode()] = c
    return dict(sorted(out.items()))


def stabilizers_of(statevector: np.ndarray) -> list[stim.PauliString]:
    """Stabilizer generators of a stabilizer state (Qiskit order: index k is qubit k)."""
    n = statevector.size.bit_length() - 1
    try:
        tableau = stim.Tableau.from_state_vector(statevector, endian="little")
    except ValueError as exc:
        raise BackendError(f"the ideal output is not a stabilizer state: {exc}") from None
    return [tableau.z_output(k) for k in range(n)]


def fidelity_circuit(
    nc: NoisyCircuit, stabilizers: list[stim.PauliString], slots: list[str]
) -> tuple[stim.Circuit, int]:
    """The noisy circuit without its final measurements, then one noiseless ``MPP`` per generator.

    Returns the circuit and the record index of the first MPP (qubit k of a generator lives in
    ``slots[k]``).
    """
    builder = _Builder()
    for i, s in enumerate(nc.steps):
        if i not in nc.terminal:
            builder.add(s)
    first = builder.records
    slot_index = np.array([builder.q(slot) for slot in slots], dtype=np.int64)
    products = []
    for generator in stabilizers:
        xs, zs = generator.to_numpy()
        used = np.flatnonzero(xs | zs)
        letters = np.where(xs[used] & zs[used], "Y", np.where(xs[used], "X", "Z"))
        factors = [f"{p}{q}" for p, q in zip(letters.tolist(), slot_index[used].tolist(), strict=True)]
        if factors:
            products.append(("!" if generator.sign == -1 else "") + "*".join(factors))
    if products:
        builder.lines.append("MPP " + " ".join(products))
    return builder.circuit, first


def stim_state_fidelity(
    nc: NoisyCircuit, stabilizers: list[stim.PauliString], slots: list[str], shots: int, seed: int
) -> tuple[float, float]:
    """Mean state fidelity before the final measurements, and its standard error.

    For a stabilizer target state |ψ> and Pauli noise, the fidelity of a trajectory is 1 when its
    net Pauli error stabilizes |ψ> (up to sign) and 0 otherwise, so the mean fidelity is the
    probability that every generator of |ψ> still measures +1 (:func:`fidelity_circuit`).
    """
    circuit, first = fidelity_circuit(nc, stabilizers, slots)
    samples = circuit.compile_sampler(seed=seed).sample(shots)[:, first:]
    hits = int((~samples.any(axis=1)).sum())
    # Agresti-Coull: the standard error of (hits + 2)/(shots + 4), so that 0 or all hits still
    # give an interval of nonzero width (Agresti & Coull, Am. Stat. 52, 119 (1998))
    adjusted = (hits + 2) / (shots + 4)
    return hits / shots, float(np.sqrt(adjusted * (1.0 - adjusted) / (shots + 4)))


_QISKIT_TO_STIM = {"id": "I", "h": "H", "x": "X", "y": "Y", "z": "Z", "s": "S", "sdg": "S_DAG",
                   "sx": "SQRT_X", "sxdg": "SQRT_X_DAG", "cx": "CX", "cz": "CZ", "cy": "CY",
                   "swap": "SWAP"}  # fmt: skip


@dataclass(frozen=True)
class CliffordReference:
    """The ideal output of a Clifford circuit as stabilizer generators (no state vector).

    Attributes:
        stabilizers: Generators of the ideal state before the final measurements; position k of
            each is circuit qubit k.
        num_qubits: The circuit's qubits.
        distribution: Not computed (empty): a stabilizer state over n qubits can have 2^n outcomes.
    """

    stabilizers: list[stim.PauliString]
    num_qubits: int
    distribution: dict[str, float] = field(default_factory=dict)


@functools.lru_cache(maxsize=1024)
def _matrix_tableau(matrix: bytes, n: int) -> stim.Tableau | None:
    u = np.frombuffer(matrix, dtype=complex).reshape(2**n, 2**n)
    if not unitary_is_clifford(u):
        return None
    return stim.Tableau.from_unitary_matrix(u, endian="little")  # qiskit: first qubit least significant


def clifford_reference(circuit: QuantumCircuit) -> CliffordReference | None:
    """Stabilizers of ``circuit``'s ideal output, or None if it is not Clifford or measures mid-way.

    Gates stim names go straight to a tableau simulator; any other gate (a ``u3`` or ``rz`` at
    quarter turns) through its matrix when that is Clifford. Measurements count as final when
    nothing acts on their qubit afterwards.

    >>> qc = QuantumCircuit(3, 3); _ = qc.h(0); _ = qc.cx(0, 1); _ = qc.cx(1, 2)
    >>> _ = qc.measure(range(3), range(3))
    >>> [str(s) for s in clifford_reference(qc).stabilizers]
    ['+XXX', '+Z_Z', '+_ZZ']
    """
    sim = stim.TableauSimulator()
    sim.set_num_qubits(circuit.num_qubits)
    measured: set[int] = set()
    for inst in circuit.data:
        op = inst.operation
        qubits = [circuit.find_bit(q).index for q in inst.qubits]
        if op.name == "barrier":
            continue
        if op.name == "measure" and not measured.intersection(qubits[1:]):
            measured.update(qubits)
            continue
        if op.name in ("measure", "reset", "if_else") or inst.clbits or measured.intersection(qubits):
            return None
        if op.name in _QISKIT_TO_STIM:
            sim.do_circuit(stim.Circuit(f"{_QISKIT_TO_STIM[op.name]} {' '.join(map(str, qubits))}"))
            continue
        try:
            matrix = np.asarray(op.to_matrix(), dtype=complex)
        except Exception:  # a gate without a matrix is not simulated here
            return None
        tableau = _matrix_tableau(matrix.tobytes(), len(qubits))
        if tableau is None:
            return None
        sim.do_tableau(tableau, qubits)
    stabilizers = sim.canonical_stabilizers()
    return CliffordReference(stabilizers, circuit.num_qubits)
