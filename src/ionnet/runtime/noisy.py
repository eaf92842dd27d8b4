"""The noise pass: a program plus its trace become a NoisyCircuit of steps and Pauli channels.

Each step is an operation or a noise location, in program order (a valid order for the state:
steps on disjoint qubits commute). Before every operation each of its qubits gets the idle
channel for exactly the gap since its previous operation in the trace (a data qubit is
prepared just in time for its first operation; the halves of an ebit exist from its herald);
after every physical gate the depolarizing channel of its fidelity; an EPR step prepares |Φ+>
and is followed by the link's Bell-diagonal state as a Pauli channel on the second half. Qubits
still alive when the program ends idle until the makespan.

>>> from ionnet.compiler.program import DistributedProgram
>>> from ionnet.hardware import load_network
>>> from ionnet.runtime.timing import schedule
>>> from ionnet.runtime.noise import NoiseModel
>>> from ionnet.seeding import stream
>>> net = load_network("default")
>>> p = DistributedProgram.from_text("EPR m0.c0 m1.c0\\nCX m0.q0 m0.c0\\nMEASURE m0.c0 -> t0")
>>> nc = build_noisy_circuit(p, schedule(p, net, stream(0, "doc")), NoiseModel.from_network(net))
>>> [s.kind for s in nc.steps][:2]
['epr', 'pauli1']
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ionnet.compiler.program import DIAGONAL_GATES, DistributedProgram, parse_qubit
from ionnet.runtime.noise import NoiseModel
from ionnet.runtime.trace import Trace
from ionnet.states.gates import is_clifford

_PAULI_GATES = frozenset({"X", "Y", "Z", "I"})


@dataclass(frozen=True)
class Step:
    """One step of a NoisyCircuit.

    Attributes:
        kind: ``gate``, ``epr``, ``measure``, ``reset``, ``pauli1`` (probs = p_x, p_y, p_z on
            one qubit) or ``depol2`` (probs = (p,), two-qubit depolarizing).
        qubits: Qubit names.
        name / params: Gate name and angles (``gate`` only).
        bit: Target bit (``measure`` only); probs = (flip probability,) for ``measure``.
        condition: Bits whose parity must be 1 for a gate to act.
    """

    kind: str
    qubits: tuple[str, ...]
    name: str = ""
    params: tuple[float, ...] = ()
    bit: str = ""
    probs: tuple[float, ...] = ()
    condition: tuple[str, ...] = ()

    @property
    def is_noise(self) -> bool:
        """A stochastic Pauli location (``pauli1``/``depol2``)."""
        return self.kind in ("pauli1", "depol2")


@dataclass
class NoisyCircuit:
    """Steps of a noisy run plus what the simulators need to read the output.

    Attributes:
        steps: Operations and noise locations in program order.
        num_clbits: Circuit bits c0..c{n-1}; counts are over these.
        final_slots: Logical qubit -> the slot that holds it at the end.
        terminal: Indices of MEASURE steps into circuit bits after which the qubit is never used.
    """

    steps: list[Step]
    num_clbits: int
    final_slots: dict[int, str]
    terminal: set[int] = field(default_factory=set)

    @property
    def num_locations(self) -> int:
        """Number of noise locations."""
        return sum(1 for s in self.steps if s.is_noise)

    def is_clifford(self) -> bool:
        """True when every gate is Clifford and every conditioned gate is a Pauli."""
        for s in self.steps:
            if s.kind != "gate":
                continue
            if s.condition and s.name not in _PAULI_GATES:
                return False
            if not _clifford_gate(s.name, s.params):
                return False
        return True

    def has_fast_path(self) -> bool:
        """True when circuit bits are only measured at the end and never read in conditions.

        Then every feed-forward bit is a protocol bit (teleportation, cat entangler) whose
        outcomes are equivalent up to the corrections, which the trajectory fast path uses.
        """
        measured_c = [i for i, s in enumerate(self.steps) if s.kind == "measure" and s.bit.startswith("c")]
        reads_c = any(b.startswith("c") for s in self.steps for b in s.condition)
        return not reads_c and all(i in self.terminal for i in measured_c)


def _clifford_gate(name: str, params: tuple[float, ...]) -> bool:
    if name in ("I", "H", "X", "Y", "Z", "S", "SDG", "SX", "SXDG", "CX", "CZ", "SWAP"):
        return True
    if name in ("RZ", "RX", "RY", "CP") and params:
        quarter = params[0] / (math.pi / 2) if name != "CP" else params[0] / math.pi
        return abs(quarter - round(quarter)) < 1e-9
    return is_clifford(name, params)


def _terminal_measures(steps: list[Step]) -> set[int]:
    seen_later: set[str] = set()
    terminal: set[int] = set()
    for i in range(len(steps) - 1, -1, -1):
        s = steps[i]
        if s.kind == "measure" and s.bit.startswith("c") and s.qubits[0] not in seen_later:
            terminal.add(i)
        if not s.is_noise:
            seen_later.update(s.qubits)
    return terminal


def build_noisy_circuit(program: DistributedProgram, trace: Trace, noise: NoiseModel) -> NoisyCircuit:
    """Insert idle, gate, ebit and readout noise into the program (see the module docstring)."""
    steps: list[Step] = []
    last_end: dict[str, float] = {}
    ebits = {e.index: e for e in trace.ebits}
    crosstalk = _crosstalk_windows(trace, noise)
    for index, ins in enumerate(program.instructions):
        if ins.op in ("SEND", "BARRIER"):
            continue
        if ins.op == "EPR":
            record = ebits[index]
            qa, qb = ins.qubits
            steps.append(Step("epr", (qa, qb)))
            state = noise.ebit_state(*record.link)
            if not noise.ideal and state.p_i < 1.0:
                steps.append(Step("pauli1", (qb,), probs=(state.p_x, state.p_y, state.p_z)))
            last_end[qa] = last_end[qb] = record.herald_s
            continue
        ops = trace.op_of_instruction.get(index, [])
        start, end = (ops[0].start_s, ops[0].end_s) if ops else (0.0, 0.0)
        module = parse_qubit(ins.qubits[0])[0]
        m_noise = noise.modules[module]
        for q in ins.qubits:
            _idle(steps, q, last_end.get(q, start), start, noise, crosstalk)
            last_end[q] = end
        if ins.op == "MEASURE":
            steps.append(Step("measure", ins.qubits, bit=ins.bits[0], probs=(m_noise.readout_flip,)))
        elif ins.op == "RESET":
            steps.append(Step("reset", ins.qubits))
        else:
            steps.append(Step("gate", ins.qubits, ins.op, ins.params, condition=ins.condition))
            kinds = tuple(parse_qubit(q)[1] for q in ins.qubits)
            _, p = m_noise.gate(ins.op, kinds)
            if p > 0.0 and len(ins.qubits) == 1:
                steps.append(Step("pauli1", ins.qubits, probs=(p / 3, p / 3, p / 3)))
            elif p > 0.0:
                steps.append(Step("depol2", ins.qubits, probs=(p,)))
    terminal = _terminal_measures(steps)
    last_kind = {q: s.kind for s in steps if not s.is_noise for q in s.qubits}
    for q, t in last_end.items():
        if last_kind.get(q) != "measure":
            _idle(steps, q, t, trace.makespan_s, noise, crosstalk)
    used = [int(s.bit[1:]) + 1 for s in steps if s.kind == "measure" and s.bit.startswith("c")]
    num_clbits = max([program.num_clbits, *used])
    return NoisyCircuit(steps, num_clbits, dict(program.final_placement), terminal)


def _crosstalk_windows(trace: Trace, noise: NoiseModel) -> dict[int, list[tuple[float, float, int]]]:
    """Per module: (start, end, attempts) of every ebit generation it takes part in."""
    windows: dict[int, list[tuple[float, float, int]]] = {}
    if noise.ideal:
        return windows
    for e in trace.ebits:
        for m in e.link:
            if noise.modules[m].module.crosstalk_dephasing_per_attempt > 0.0:
                windows.setdefault(m, []).append((e.start_s, e.herald_s, e.attempts))
    return windows


def _attempts_within(windows: list[tuple[float, float, int]], t0: float, t1: float) -> float:
    """Attempts of these generations that fall in [t0, t1] (attempts spread evenly in time)."""
    total = 0.0
    for start, end, attempts in windows:
        overlap = min(end, t1) - max(start, t0)
        if overlap > 0.0:
            total += attempts * overlap / (end - start) if end > start else attempts
    return total


def compose_z(probs: tuple[float, float, float], q: float) -> tuple[float, float, float]:
    """The Pauli channel ``probs`` (p_x, p_y, p_z) followed by a Z error with probability q.

    >>> compose_z((0.0, 0.0, 0.1), 0.1)
    (0.0, 0.0, 0.18000000000000002)
    """
    px, py, pz = probs
    pi = 1.0 - px - py - pz
    return (px * (1 - q) + py * q, py * (1 - q) + px * q, pz * (1 - q) + pi * q)


def _idle(
    steps: list[Step],
    qubit: str,
    t0: float,
    t1: float,
    noise: NoiseModel,
    crosstalk: dict[int, list[tuple[float, float, int]]],
) -> None:
    """Idle channel for [t0, t1], plus crosstalk dephasing of memory ions from photon attempts.

    Each attempt dephases a memory ion of its module with probability p, so n attempts give a
    Z error with probability (1 - (1 - 2p)^n)/2.
    """
    if t1 <= t0 or noise.ideal:
        return
    module, kind, _ = parse_qubit(qubit)
    probs = noise.modules[module].idle_channel(kind, t1 - t0)
    if kind == "q" and module in crosstalk:
        p = noise.modules[module].module.crosstalk_dephasing_per_attempt
        n = _attempts_within(crosstalk[module], t0, t1)
        probs = compose_z(probs, 0.5 * (1.0 - (1.0 - 2.0 * p) ** n))
    if sum(probs) > 0.0:
        steps.append(Step("pauli1", (qubit,), probs=probs))


__all__ = ["DIAGONAL_GATES", "NoisyCircuit", "Step", "build_noisy_circuit"]
