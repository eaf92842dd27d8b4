"""The stabilizer path: a Clifford NoisyCircuit becomes one stim.Circuit and all shots sample at once.

Noise locations become ``PAULI_CHANNEL_1`` / ``DEPOLARIZE2``, readout flips ``M(p)``, an EPR is
``R a b; H a; CX a b`` followed by the link's Pauli channel, and a feed-forward Pauli
``IF t X q`` becomes ``CX rec[-k] q`` for the last measurement written into t (a parity of
several bits is one classically controlled Pauli per bit). Clifford one-qubit gates without a
stim name (a ``U`` with quarter-turn angles) are decomposed through their tableau. The state
fidelity to a stabilizer target is estimated by measuring the target's stabilizers
(:func:`stim_state_fidelity`).

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

import numpy as np
import stim

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


@functools.lru_cache(maxsize=256)
def _decomposed(name: str, params: tuple[float, ...]) -> stim.Circuit:
    """A Clifford one- or two-qubit gate (e.g. a U with quarter-turn angles) as stim gates."""
    u = gate_unitary(name, params)
    if not unitary_is_clifford(u):
        raise BackendError(f"gate {name}{params} is not Clifford: the stim path cannot run it")
    return stim.Tableau.from_unitary_matrix(u, endian="big").to_circuit("elimination")


class _Builder:
    def __init__(self) -> None:
        self.circuit = stim.Circuit()
        self.index: dict[str, int] = {}
        self.records = 0
        self.last_record: dict[str, int] = {}

    def q(self, name: str) -> int:
        return self.index.setdefault(name, len(self.index))

    def add(self, s: Step) -> None:
        c = self.circuit
        targets = [self.q(name) for name in s.qubits]
        if s.kind == "pauli1":
            c.append("PAULI_CHANNEL_1", targets, list(s.probs))
        elif s.kind == "depol2":
            c.append("DEPOLARIZE2", targets, [s.probs[0]])
        elif s.kind == "epr":
            c.append("R", targets)
            c.append("H", targets[:1])
            c.append("CX", targets)
        elif s.kind == "reset":
            c.append("R", targets)
        elif s.kind == "measure":
            c.append("M", targets, [s.probs[0]] if s.probs and s.probs[0] > 0 else [])
            self.last_record[s.bit] = self.records
            self.records += 1
        elif s.condition:
            self._conditional(s, targets[0])
        else:
            name = _stim_gate(s)
            if name == "":
                for op in _decomposed(s.name, s.params):
                    c.append(op.name, [targets[t.value] for t in op.targets_copy()], op.gate_args_copy())
            elif name != "I":
                c.append(name, targets)

    def _conditional(self, s: Step, target: int) -> None:
        control = {"X": "CX", "Y": "CY", "Z": "CZ", "I": None}.get(s.name, "")
        if control == "":
            raise BackendError(f"conditioned gate {s.name} is not a Pauli: the stim path cannot run it")
        if control is None:
            return
        for bit in s.condition:
            lookback = self.last_record[bit] - self.records
            self.circuit.append(control, [stim.target_rec(lookback), target])


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
    rows, counts = np.unique(bits, axis=0, return_counts=True)
    return {"".join(map(str, row.tolist())): int(c) for row, c in zip(rows, counts, strict=True)}


def stabilizers_of(statevector: np.ndarray) -> list[stim.PauliString]:
    """Stabilizer generators of a stabilizer state (Qiskit order: index k is qubit k)."""
    n = statevector.size.bit_length() - 1
    try:
        tableau = stim.Tableau.from_state_vector(statevector, endian="little")
    except ValueError as exc:
        raise BackendError(f"the ideal output is not a stabilizer state: {exc}") from None
    return [tableau.z_output(k) for k in range(n)]


def stim_state_fidelity(
    nc: NoisyCircuit, stabilizers: list[stim.PauliString], slots: list[str], shots: int, seed: int
) -> tuple[float, float]:
    """Mean state fidelity before the final measurements, and its standard error.

    For a stabilizer target state |ψ> and Pauli noise, the fidelity of a trajectory is 1 when its
    net Pauli error stabilizes |ψ> (up to sign) and 0 otherwise, so the mean fidelity is the
    probability that every generator of |ψ> still measures +1: the noisy circuit without its
    final measurements, followed by one noiseless ``MPP`` per generator (qubit k of a generator
    lives in ``slots[k]``).
    """
    builder = _Builder()
    for i, s in enumerate(nc.steps):
        if i not in nc.terminal:
            builder.add(s)
    first = builder.records
    for generator in stabilizers:
        targets: list[stim.GateTarget] = []
        for k, pauli in enumerate(generator):
            if pauli == 0:
                continue
            if targets:
                targets.append(stim.target_combiner())
            q = builder.q(slots[k])
            make = (stim.target_x, stim.target_y, stim.target_z)[pauli - 1]
            targets.append(make(q, invert=not targets and generator.sign == -1))
        if targets:
            builder.circuit.append("MPP", targets)
            builder.records += 1
    samples = builder.circuit.compile_sampler(seed=seed).sample(shots)[:, first:]
    ok = ~samples.any(axis=1)
    mean = float(ok.mean())
    return mean, float(np.sqrt(mean * (1.0 - mean) / max(shots - 1, 1)))
