"""Error patterns of all shots, sampled up front and moved as late as they commute.

A shot's errors are Pauli events. Before grouping shots, each event is canonicalised:

* its Z part commutes (up to a global phase) with every diagonal gate and every Pauli gate on
  its qubit, so it moves forward to just before the next other operation on that qubit;
* its X part commutes with every Pauli gate, and moves likewise;
* a part that reaches the end of the qubit's life, or its final measurement into a circuit bit,
  becomes *trailing*: a Pauli on the final state (an X there flips the measured bit; both
  change the state fidelity), applied per shot at the very end;
* a part that reaches a RESET or a new EPR on the qubit is dropped (the qubit is re-prepared),
  and a Z part that reaches a protocol measurement is dropped (it does not change the outcome).

Events that meet at the same place on the same qubit multiply. Shots then group by their
*core* pattern (the non-trailing events); a core pattern is one simulation.

>>> from ionnet.runtime.noisy import Step
>>> steps = [Step("gate", ("a",), "H"), Step("pauli1", ("a",), probs=(0.0, 0.0, 1.0)),
...          Step("gate", ("a", "b"), "CP", (0.3,)), Step("measure", ("a",), bit="c0", probs=(0.0,))]
>>> groups = sample_groups(steps, 10, np.random.default_rng(0))
>>> groups  # the Z after H floats past the CP to the measurement: trailing, no core event
{(): {((0, 3),): 10}}
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from ionnet.compiler.program import DIAGONAL_GATES
from ionnet.runtime.noisy import Step

Event = tuple[int, int, int]
"""(key, qubit index, Pauli code 1 = X, 2 = Y, 3 = Z): apply the Pauli just before step ``key``."""
Core = tuple[Event, ...]
Trailing = tuple[tuple[int, int], ...]
"""(qubit index, Pauli code) on the final state."""
Groups = dict[Core, dict[Trailing, int]]

TRAIL = -1
DROP = -2
_PAULI_GATES = frozenset({"I", "X", "Y", "Z"})
# two-qubit depolarizing codes 1..15 -> (code on first, code on second)
PAIRS = [(a, b) for a in range(4) for b in range(4) if (a, b) != (0, 0)]
# code <-> (x, z) bits
_XZ = {0: (0, 0), 1: (1, 0), 2: (1, 1), 3: (0, 1)}
_CODE = {v: k for k, v in _XZ.items()}


def qubit_names(steps: list[Step]) -> list[str]:
    """Every qubit the steps touch, in order of first appearance."""
    return list(dict.fromkeys(q for s in steps for q in s.qubits))


def _passes(s: Step, part: str) -> bool:
    if s.kind != "gate":
        return False
    return s.name in _PAULI_GATES or (part == "z" and s.name in DIAGONAL_GATES)


def _target(s: Step | None, index: int, part: str) -> int:
    if s is None or (s.kind == "measure" and s.bit.startswith("c")):
        return TRAIL
    if s.kind in ("reset", "epr"):
        return DROP
    if s.kind == "measure" and part == "z":
        return DROP
    return index


def float_targets(steps: list[Step]) -> dict[tuple[int, str], tuple[int, int]]:
    """For each (noise step, qubit): where its X part and its Z part land (key, TRAIL or DROP)."""
    next_x: dict[str, int] = {}
    next_z: dict[str, int] = {}
    out: dict[tuple[int, str], tuple[int, int]] = {}
    for i in range(len(steps) - 1, -1, -1):
        s = steps[i]
        if s.is_noise:
            for q in s.qubits:
                jx, jz = next_x.get(q), next_z.get(q)
                out[(i, q)] = (
                    _target(steps[jx] if jx is not None else None, jx or 0, "x"),
                    _target(steps[jz] if jz is not None else None, jz or 0, "z"),
                )
            continue
        for q in s.qubits:
            if not _passes(s, "x"):
                next_x[q] = i
            if not _passes(s, "z"):
                next_z[q] = i
    return out


def _raw_events(
    steps: list[Step], shots: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sample (shot, location, code) of every error of every shot (code as in the step)."""
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
        shot_ids.append(rng.choice(shots, size=k, replace=False))
        locs.append(np.full(k, loc))
        codes.append(rng.choice(len(probs), size=k, p=probs / total) + 1)
    if not shot_ids:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    sid = np.concatenate(shot_ids)
    order = np.argsort(sid, kind="stable")
    return sid[order], np.concatenate(locs)[order], np.concatenate(codes)[order]


def sample_groups(steps: list[Step], shots: int, rng: np.random.Generator) -> Groups:
    """Sample all shots' errors, canonicalise them, and group shots by core pattern.

    Returns:
        core pattern -> (trailing Paulis -> number of shots).
    """
    names = qubit_names(steps)
    index = {q: i for i, q in enumerate(names)}
    targets = float_targets(steps)
    sid, loc, code = _raw_events(steps, shots, rng)
    groups: Groups = defaultdict(lambda: defaultdict(int))
    starts: list[int] = []
    ends: list[int] = []
    if sid.size:
        bounds = np.flatnonzero(np.diff(sid)) + 1
        starts = [0, *bounds.tolist()]
        ends = [*bounds.tolist(), int(sid.size)]
    for a, b in zip(starts, ends, strict=True):
        core, trailing = _canonical(steps, loc[a:b].tolist(), code[a:b].tolist(), targets, index)
        groups[core][trailing] += 1
    clean = shots - len(starts)
    if clean:
        groups[()][()] += clean
    return {k: dict(v) for k, v in groups.items()}


def _canonical(
    steps: list[Step],
    locs: list[int],
    codes: list[int],
    targets: dict[tuple[int, str], tuple[int, int]],
    index: dict[str, int],
) -> tuple[Core, Trailing]:
    acc: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
    for loc, code in zip(locs, codes, strict=True):
        s = steps[loc]
        parts = [code] if s.kind == "pauli1" else list(PAIRS[code - 1])
        for q, c in zip(s.qubits, parts, strict=True):
            x, z = _XZ[c]
            tx, tz = targets[(loc, q)]
            if x and tx != DROP:
                acc[(tx, index[q])][0] ^= 1
            if z and tz != DROP:
                acc[(tz, index[q])][1] ^= 1
    core: list[Event] = []
    trailing: list[tuple[int, int]] = []
    for (key, qi), (x, z) in sorted(acc.items()):
        c = _CODE[(x, z)]
        if c == 0:
            continue
        if key == TRAIL:
            trailing.append((qi, c))
        else:
            core.append((key, qi, c))
    return tuple(core), tuple(trailing)
