"""The trajectory fast path: all shots' Pauli errors sampled up front, shared prefixes simulated once.

With Pauli noise a shot is the ideal circuit with a list of (location, Pauli) events inserted.
Shots with the same list share one simulation; lists with a common prefix share the state up
to their first difference. The patterns are grouped into a trie and walked depth first: the
error-free path is simulated once, and a trajectory is re-simulated only from its first error
on (cost ~ shots x P(error) x the part of the circuit after the first error).

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

from ionnet.runtime.kernel import Register
from ionnet.runtime.noisy import NoisyCircuit, Step

Pattern = tuple[tuple[int, int], ...]
"""One shot's error events: (location, Pauli code) in location order."""

# two-qubit depolarizing: codes 1..15 -> (code on first, code on second), 0 = I, 1 = X, 2 = Y, 3 = Z
_PAIRS = [(a, b) for a in range(4) for b in range(4) if (a, b) != (0, 0)]


@dataclass
class TrajectoryOutput:
    """What the fast path returns.

    Attributes:
        counts: Bitstring (c0 rightmost) -> count.
        fidelity: Mean state fidelity to the reference over shots (None without reference).
        fidelity_sem: Standard error of that mean.
        trajectories: Distinct error patterns simulated.
        steps_simulated: Gate steps executed over all trajectories (the work done).
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


def sample_patterns(steps: list[Step], shots: int, rng: np.random.Generator) -> dict[Pattern, int]:
    """Sample every shot's error events; return pattern -> number of shots with it."""
    shot_ids: list[np.ndarray] = []
    locs: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    for loc, s in enumerate(steps):
        if not s.is_noise:
            continue
        probs = np.asarray(s.probs, float) if s.kind == "pauli1" else np.full(15, s.probs[0] / 15.0)
        total = float(probs.sum())
        if total <= 0.0:
            continue
        k = int(rng.binomial(shots, min(total, 1.0)))
        if k == 0:
            continue
        who = rng.choice(shots, size=k, replace=False)
        shot_ids.append(who)
        locs.append(np.full(k, loc))
        codes.append(rng.choice(len(probs), size=k, p=probs / total) + 1)
    patterns: dict[Pattern, int] = defaultdict(int)
    if not shot_ids:
        patterns[()] = shots
        return dict(patterns)
    sid = np.concatenate(shot_ids)
    loc_arr = np.concatenate(locs)
    code_arr = np.concatenate(codes)
    order = np.lexsort((loc_arr, sid))
    sid, loc_arr, code_arr = sid[order], loc_arr[order], code_arr[order]
    bounds = np.flatnonzero(np.diff(sid)) + 1
    starts = np.concatenate(([0], bounds))
    ends = np.concatenate((bounds, [sid.size]))
    for a, b in zip(starts.tolist(), ends.tolist(), strict=True):
        patterns[tuple(zip(loc_arr[a:b].tolist(), code_arr[a:b].tolist(), strict=True))] += 1
    clean = shots - len(starts)
    if clean:
        patterns[()] += clean
    return dict(patterns)


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
        terminal = [(i, s) for i, s in enumerate(steps) if s.kind == "measure" and s.bit.startswith("c")]
        last_write: dict[str, tuple[str, float]] = {}
        for _, s in terminal:
            last_write[s.bit] = (s.qubits[0], s.probs[0] if s.probs else 0.0)
        self.measured = sorted(last_write.items(), key=lambda kv: int(kv[0][1:]))
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
                q = s.qubits[0]
                value = int(reg.prob_one(q) > 0.5)
                reg.project(q, value)
                reg.values[s.bit] = value
        elif s.kind == "reset":
            reg.discard(s.qubits[0])
        self.work += 1

    def apply_error(self, reg: Register, s: Step, code: int) -> None:
        if s.kind == "pauli1":
            reg.pauli(s.qubits[0], code)
            return
        ca, cb = _PAIRS[code - 1]
        if ca:
            reg.pauli(s.qubits[0], ca)
        if cb:
            reg.pauli(s.qubits[1], cb)

    def walk(self, reg: Register, pos: int, group: list[tuple[Pattern, int]], depth: int) -> None:
        done = [(p, c) for p, c in group if len(p) == depth]
        pending = sorted((p for p in group if len(p[0]) > depth), key=lambda pc: pc[0][depth])
        i = 0
        for loc in range(pos, len(self.steps)):
            s = self.steps[loc]
            if not s.is_noise:
                self.step(reg, s)
                continue
            while i < len(pending) and pending[i][0][depth][0] == loc:
                event = pending[i][0][depth]
                j = i
                while j < len(pending) and pending[j][0][depth] == event:
                    j += 1
                sub = pending[i:j]
                i = j
                last = i == len(pending) and not done
                child = reg if last else reg.copy()
                self.apply_error(child, s, event[1])
                self.walk(child, loc + 1, sub, depth + 1)
                if last:
                    return
        if done:
            self.finish(reg, sum(c for _, c in done))

    def finish(self, reg: Register, count: int) -> None:
        self.trajectories += 1
        if self.reference is not None:
            f = reg.overlap(*self.reference)
            self.fid_sum += f * count
            self.fid_sq += f * f * count
        if not self.measured:
            self.counts["0" * self.num_clbits] += count
            return
        qubits = [q for _, (q, _) in self.measured]
        probs = reg.probabilities(qubits)
        outcomes = self.rng.choice(probs.size, size=count, p=probs)
        bits = (outcomes[:, None] >> np.arange(len(qubits))[None, :]) & 1
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
    patterns = sample_patterns(steps, shots, rng)
    walker = _Walker(steps, nc, rng, reference)
    walker.walk(Register(), 0, sorted(patterns.items()), 0)
    fid = sem = None
    if reference is not None:
        fid = walker.fid_sum / shots
        var = max(walker.fid_sq / shots - fid * fid, 0.0)
        sem = float(np.sqrt(var / max(shots - 1, 1)))
    return TrajectoryOutput(dict(walker.counts), fid, sem, walker.trajectories, walker.work)
