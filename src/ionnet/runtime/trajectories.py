"""The trajectory fast path: all shots' Pauli errors sampled up front, shared prefixes simulated once.

With Pauli noise a shot is the ideal circuit with a list of Pauli events inserted. Events are
sampled for all shots up front and moved as late as they commute (:mod:`ionnet.runtime.patterns`);
shots with the same core events share one simulation, and cores with a common prefix share the
state up to their first difference: the cores form a trie walked depth first, so the error-free
path is simulated once and a trajectory is re-simulated only from its first core error on.
Trailing Paulis (after a qubit's last gate) are applied per shot to the final state. The walk
goes over *units* (:func:`plan_units`): runs of diagonal gates fused into one cached phase
array, and consecutive gates on at most MAX_BLOCK_QUBITS qubits fused into one dense block
(Aer's gate fusion); an event inside a block splits its product there (the segments are cached
matrices, the event itself a Pauli-frame update of the register).

Feed-forward bits ``t*`` are protocol bits (teleportation, cat entangler/disentangler): their
outcomes are equivalent up to the Pauli corrections they trigger, also with Pauli errors present
(a Pauli error before a measurement only permutes the branches and the corrections are Paulis),
so each protocol measurement is projected onto its likelier outcome instead of being sampled.
A readout flip of a protocol bit equals an X error just before the measurement. Circuit bits
``c*`` must be measured at the end (:meth:`NoisyCircuit.has_fast_path`): their distribution is
computed exactly per trajectory and sampled, then readout flips are applied per shot.

Effective channels: the algebra behind the fast path, for a Bell-diagonal ebit (I⊗P)|Φ+> used
by a teleported gate (checked against full simulation in tests/runtime/test_effective.py):

* teleported CNOT (cat entangler on control a, remote target b): ebit Z -> Z on a; ebit X ->
  X on b; ebit Y -> Z on a and X on b. With several targets on the remote module the X part
  hits every target; for a CZ it becomes Z on every target;
* teleported CP(θ) is not Clifford: an X error on the cat copy flips the control of the remote
  gates, CP(θ) -> (I⊗P(θ)) CP(-θ), which the trajectory path simulates exactly;
* state teleportation: ebit P -> P on the teleported qubit.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from ionnet.compiler.program import DIAGONAL_GATES
from ionnet.runtime.kernel import Register, embed, gate_matrix, one_blas_thread
from ionnet.runtime.memory import check_memory
from ionnet.runtime.noisy import NoisyCircuit, Step
from ionnet.runtime.patterns import Core, Trailing, qubit_names, sample_groups

_MIN_FUSED = 3
MAX_BLOCK_QUBITS = 4
PHASE_CACHE_BYTES = 1 << 28
"""Most memory the cached phase arrays of diagonal runs may take (beyond it they are rebuilt)."""
"""Largest dense block of fused gates (a 16 x 16 matrix product per amplitude group)."""


@dataclass
class TrajectoryOutput:
    """What the fast path returns.

    Attributes:
        counts: Bitstring (c0 rightmost) -> count.
        fidelity: Mean state fidelity to the reference over shots (None without reference).
        fidelity_sem: Standard error of that mean.
        trajectories: Distinct core error patterns simulated.
        steps_simulated: Operations executed over all trajectories (the work done).
    """

    counts: dict[str, int]
    fidelity: float | None
    fidelity_sem: float | None
    trajectories: int
    steps_simulated: int


def prepare_steps(nc: NoisyCircuit) -> list[Step]:
    """Turn readout flips of protocol measurements into X locations just before them."""
    steps: list[Step] = []
    for s in nc.steps:
        if s.kind == "measure" and not s.bit.startswith("c") and s.probs and s.probs[0] > 0.0:
            steps.append(Step("pauli1", s.qubits, probs=(s.probs[0], 0.0, 0.0)))
            s = Step("measure", s.qubits, bit=s.bit, probs=(0.0,))
        steps.append(s)
    return steps


def _is_plain_diagonal(s: Step) -> bool:
    return s.kind == "gate" and not s.condition and s.name in DIAGONAL_GATES


def diagonal_runs(steps: list[Step]) -> dict[int, int]:
    """Start -> end (exclusive) of each maximal run of unconditioned diagonal gates (and noise)."""
    runs: dict[int, int] = {}
    i = 0
    while i < len(steps):
        if not _is_plain_diagonal(steps[i]):
            i += 1
            continue
        j, gates = i, 0
        while j < len(steps) and (steps[j].is_noise or _is_plain_diagonal(steps[j])):
            gates += not steps[j].is_noise
            j += 1
        if gates >= _MIN_FUSED:
            runs[i] = j
        i = j
    return runs


@dataclass(frozen=True)
class Unit:
    """A stretch of steps the walker applies as one: a single operation (``step``), a run of
    diagonal gates as one cached phase array (``diag``), or consecutive unconditioned gates on at
    most MAX_BLOCK_QUBITS qubits as one dense unitary (``block``). Noise steps are not units:
    sampled errors are events keyed to the operation they precede.

    Attributes:
        kind: ``step``, ``diag`` or ``block``.
        start / end: Step range [start, end).
        ops: Indices of the operations in the range.
        qubits: Qubits of a block, in the order of its matrix (first = most significant).
    """

    kind: str
    start: int
    end: int
    ops: tuple[int, ...]
    qubits: tuple[str, ...] = ()


def _fusable(s: Step) -> bool:
    return s.kind == "gate" and not s.condition and s.name not in ("SWAP", "I")


def widest(steps: list[Step]) -> int:
    """Most qubits live at once on the fast path (protocol measurements free their qubit).

    >>> from ionnet.runtime.noisy import Step
    >>> widest([Step("epr", ("a", "b")), Step("measure", ("a",), bit="t0"), Step("gate", ("c",), "H")])
    2
    """
    live: set[str] = set()
    most = 0
    for s in steps:
        if s.kind in ("gate", "epr"):
            live.update(s.qubits)
            most = max(most, len(live))
        elif s.kind == "reset" or (s.kind == "measure" and not s.bit.startswith("c")):
            live.discard(s.qubits[0])
    return most


def plan_units(steps: list[Step], max_block: int | None = None) -> list[Unit]:
    """Cut the operations into units (see :class:`Unit`), greedily in program order.

    >>> from ionnet.runtime.noisy import Step
    >>> steps = [Step("gate", ("a",), "H"), Step("gate", ("a", "b"), "CX"), Step("gate", ("b",), "H"),
    ...          Step("measure", ("a",), bit="c0", probs=(0.0,))]
    >>> [(u.kind, u.ops, u.qubits) for u in plan_units(steps)]
    [('block', (0, 1, 2), ('a', 'b')), ('step', (3,), ())]
    """
    max_block = MAX_BLOCK_QUBITS if max_block is None else max_block
    runs = diagonal_runs(steps)
    units: list[Unit] = []
    block: list[int] = []
    qubits: list[str] = []

    def close() -> None:
        if len(block) == 1:
            units.append(Unit("step", block[0], block[0] + 1, (block[0],)))
        elif block:
            units.append(Unit("block", block[0], block[-1] + 1, tuple(block), tuple(qubits)))
        block.clear()
        qubits.clear()

    i = 0
    while i < len(steps):
        s = steps[i]
        if i in runs:
            close()
            end = runs[i]
            units.append(Unit("diag", i, end, tuple(j for j in range(i, end) if not steps[j].is_noise)))
            i = end
            continue
        if s.is_noise:
            i += 1
            continue
        if _fusable(s):
            new = [q for q in s.qubits if q not in qubits]
            if len(qubits) + len(new) > max_block:
                close()
                new = list(s.qubits)
            block.append(i)
            qubits.extend(new)
        else:
            close()
            units.append(Unit("step", i, i + 1, (i,)))
        i += 1
    close()
    return units


Group = list[tuple[Core, dict[Trailing, int]]]

_PAULI = {1: np.array([[0, 1], [1, 0]], dtype=complex), 2: np.array([[0, -1j], [1j, 0]]),
          3: np.array([[1, 0], [0, -1]], dtype=complex)}  # fmt: skip


class _Walker:
    def __init__(
        self,
        steps: list[Step],
        nc: NoisyCircuit,
        rng: np.random.Generator,
        reference: tuple[np.ndarray, list[str]] | None,
    ) -> None:
        self.steps = steps
        self.rng = rng
        self.reference = reference
        self.names = qubit_names(steps)
        self.units = plan_units(steps)
        self.block_cache: dict[tuple[int, int, int], np.ndarray] = {}
        self.phase_cache: dict[tuple[int, tuple[tuple[str, int], ...]], np.ndarray] = {}
        self.cache_bytes = 0
        last_write: dict[str, tuple[str, float]] = {}
        for s in steps:
            if s.kind == "measure" and s.bit.startswith("c"):
                last_write[s.bit] = (s.qubits[0], s.probs[0] if s.probs else 0.0)
        self.measured = sorted(last_write.items(), key=lambda kv: int(kv[0][1:]))
        self.measured_index = {q: k for k, (_, (q, _)) in enumerate(self.measured)}
        self.num_clbits = nc.num_clbits
        self.counts: dict[str, int] = defaultdict(int)
        self.fid_sum = 0.0
        self.fid_sq = 0.0
        self.trajectories = 0
        self.work = 0

    def step(self, reg: Register, s: Step) -> None:
        if s.kind == "gate":
            if s.condition and sum(reg.values.get(b, 0) for b in s.condition) % 2 == 0:
                return
            reg.apply(s.name, s.params, s.qubits)
        elif s.kind == "epr":
            reg.prepare_bell(*s.qubits)
        elif s.kind == "measure":
            if not s.bit.startswith("c"):
                reg.values[s.bit] = reg.measure_likelier(s.qubits[0])
        elif s.kind == "reset":
            reg.discard(s.qubits[0])
        self.work += 1

    def fused(self, reg: Register, unit: Unit) -> bool:
        """Apply a diagonal run as one cached phase array, if its qubits are live."""
        if any(q not in reg.axes for i in unit.ops for q in self.steps[i].qubits):
            return False
        key = (unit.start, tuple(sorted(reg.axes.items())))
        phases = self.phase_cache.get(key)
        if phases is None:
            tmp = Register()
            tmp.axes = dict(reg.axes)
            tmp.state = np.ones(reg.state.shape, dtype=reg.state.dtype)
            for i in unit.ops:
                s = self.steps[i]
                if s.name == "Z":  # on a register a Z is a frame update; the array needs its phase
                    tmp.state[tmp._ix(s.qubits[0], 1)] *= -1.0
                else:
                    tmp.apply(s.name, s.params, s.qubits)
            phases = tmp.state
            if self.cache_bytes + phases.nbytes <= PHASE_CACHE_BYTES:
                self.phase_cache[key] = phases
                self.cache_bytes += phases.nbytes
        reg.apply_phases(phases)
        self.work += 1
        return True

    def block_matrix(self, unit: Unit, lo: int = 0, hi: int | None = None) -> np.ndarray:
        """The unitary of operations ``unit.ops[lo:hi]`` of a block (cached)."""
        hi = len(unit.ops) if hi is None else hi
        key = (unit.start, lo, hi)
        m = self.block_cache.get(key)
        if m is not None:
            return m
        k = len(unit.qubits)
        pos = {q: j for j, q in enumerate(unit.qubits)}
        m = np.eye(2**k, dtype=complex)
        for i in unit.ops[lo:hi]:
            s = self.steps[i]
            m = embed(m, gate_matrix(s.name, s.params), [pos[q] for q in s.qubits], k)
        self.block_cache[key] = m
        return m

    def apply_unit(self, reg: Register, unit: Unit, events: Core) -> None:
        """Apply one unit with these events (all keyed inside it) inserted.

        In a block, the events split the product: the segments between them are applied as
        cached matrices and each event is a Pauli-frame update (free).
        """
        if unit.kind == "block":
            lo, e = 0, 0
            for j, i in enumerate(unit.ops):
                if e < len(events) and events[e][0] == i:
                    if j > lo:
                        reg.apply_unitary(self.block_matrix(unit, lo, j), unit.qubits)
                    while e < len(events) and events[e][0] == i:
                        reg.pauli(self.names[events[e][1]], events[e][2])
                        e += 1
                    lo = j
            reg.apply_unitary(self.block_matrix(unit, lo), unit.qubits)
            self.work += 1
            return
        if unit.kind == "diag" and not events and self.fused(reg, unit):
            return
        e = 0
        for i in unit.ops:
            while e < len(events) and events[e][0] == i:
                reg.pauli(self.names[events[e][1]], events[e][2])
                e += 1
            self.step(reg, self.steps[i])

    def walk(self, reg: Register, u: int, group: Group, depth: int) -> None:
        """Simulate ``group`` (cores agree on their first ``depth`` events) from unit ``u`` on."""
        done = [trail for core, trail in group if len(core) == depth]
        pending = sorted((g for g in group if len(g[0]) > depth), key=lambda g: g[0][depth:])
        i = 0
        while u < len(self.units):
            unit = self.units[u]
            j = i
            while j < len(pending) and pending[j][0][depth][0] < unit.end:
                j += 1
            if j > i:
                children: dict[Core, Group] = {}
                for core, trail in pending[i:j]:
                    d = depth
                    while d < len(core) and core[d][0] < unit.end:
                        d += 1
                    children.setdefault(core[depth:d], []).append((core, trail))
                i = j
                for c, (events, sub) in enumerate(children.items()):
                    last = i == len(pending) and not done and c == len(children) - 1
                    child = reg if last else reg.copy()
                    self.apply_unit(child, unit, events)
                    self.walk(child, u + 1, sub, depth + len(events))
                    if last:
                        return
            self.apply_unit(reg, unit, ())
            u += 1
        for trails in done:
            self.finish(reg, trails)

    def finish(self, reg: Register, trails: dict[Trailing, int]) -> None:
        self.trajectories += 1
        probs = reg.probabilities([q for _, (q, _) in self.measured]) if self.measured else None
        for trailing, count in trails.items():
            if self.reference is not None:
                f = self._fidelity(reg, trailing)
                self.fid_sum += f * count
                self.fid_sq += f * f * count
            self._sample(probs, trailing, count)

    def _fidelity(self, reg: Register, trailing: Trailing) -> float:
        assert self.reference is not None
        if not trailing:
            return reg.overlap(*self.reference)
        other = reg.copy()
        for qi, code in trailing:
            other.pauli(self.names[qi], code)
        return other.overlap(*self.reference)

    def _sample(self, probs: np.ndarray | None, trailing: Trailing, count: int) -> None:
        if probs is None:
            self.counts["0" * self.num_clbits] += count
            return
        m = len(self.measured)
        outcomes = self.rng.choice(probs.size, size=count, p=probs)
        bits = (outcomes[:, None] >> np.arange(m)[None, :]) & 1
        for qi, code in trailing:
            k = self.measured_index.get(self.names[qi])
            if k is not None and code in (1, 2):
                bits[:, k] ^= 1
        flips = np.array([f for _, (_, f) in self.measured])
        if flips.any():
            bits ^= (self.rng.random(bits.shape) < flips[None, :]).astype(bits.dtype)
        positions = [int(b[1:]) for b, _ in self.measured]
        for row, n in zip(*np.unique(bits, axis=0, return_counts=True), strict=True):
            chars = ["0"] * self.num_clbits
            for pos, v in zip(positions, row.tolist(), strict=True):
                chars[self.num_clbits - 1 - pos] = str(v)
            self.counts["".join(chars)] += int(n)


def run_trajectories(
    nc: NoisyCircuit,
    shots: int,
    rng: np.random.Generator,
    reference: tuple[np.ndarray, list[str]] | None = None,
) -> TrajectoryOutput:
    """Run ``shots`` shots of a NoisyCircuit on the fast path.

    Args:
        nc: The noisy circuit (must satisfy ``nc.has_fast_path()``).
        shots: Number of shots.
        rng: Source of the error patterns and the sampled outcomes.
        reference: Optional (ideal state vector, qubits it lives on in Qiskit order) for the
            state fidelity before the final measurements.
    """
    steps = prepare_steps(nc)
    check_memory("trajectories", widest(steps))
    groups = sample_groups(steps, shots, rng)
    walker = _Walker(steps, nc, rng, reference)
    with one_blas_thread():
        walker.walk(Register(), 0, sorted(groups.items()), 0)
    fid = sem = None
    if reference is not None:
        fid = walker.fid_sum / shots
        var = max(walker.fid_sq / shots - fid * fid, 0.0)
        sem = float(np.sqrt(var / max(shots - 1, 1)))
    return TrajectoryOutput(dict(walker.counts), fid, sem, walker.trajectories, walker.work)
