"""The result of a run: counts, fidelity, success probability, machine time, ebits, trace.

>>> r = RunResult(counts={"00": 6, "11": 4}, shots=10, ebits=1, link_attempts=40, makespan_s=0.002,
...               fidelity=0.9, fidelity_kind="hellinger", backend="stim")
>>> r.to_dict()["counts"], r.to_dict()["makespan_s"]
({'00': 6, '11': 4}, 0.002)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from qiskit.quantum_info import hellinger_fidelity

from ionnet.runtime.trace import Trace


@dataclass
class RunResult:
    """Everything one run reports (see :func:`ionnet.runtime.run_program`).

    Attributes:
        counts: Bitstring (Qiskit order: c0 rightmost) -> number of shots.
        shots: Number of shots.
        ebits: Ebits the program consumed.
        link_attempts: Photon-generation attempts spent on them.
        makespan_s: Simulated time from the first operation to the last.
        fidelity: ``fidelity_kind`` ``state`` (mean state fidelity to the ideal output before
            the final measurement), ``hellinger`` (Hellinger fidelity of the counts to the ideal
            distribution) or None when no ideal reference is known.
        fidelity_ci95: 95 % interval of a state fidelity (sampling error over trajectories).
        hellinger_fidelity: Hellinger fidelity of the counts (None without ideal distribution).
        success_probability: Share of shots giving the expected answer (None if none given).
        backend: Path that simulated the states: ``stim``, ``trajectories`` or a backend name.
        utilisation: Busy fraction of the makespan per module lane and link lane.
        trajectories: Distinct trajectories simulated (fast path only).
        wall_s: Wall-clock seconds of the whole run.
        trace: The timing trace (``to_dict`` reports from it ``ebits_discarded``, pairs dropped
            by the storage cutoff, and ``ebits_in_memory``, ebits swapped into memory ions).
    """

    counts: dict[str, int]
    shots: int
    ebits: int
    link_attempts: int
    makespan_s: float
    fidelity: float | None
    fidelity_kind: str | None
    backend: str
    fidelity_ci95: tuple[float, float] | None = None
    hellinger_fidelity: float | None = None
    success_probability: float | None = None
    utilisation: dict[str, float] = field(default_factory=dict)
    trajectories: int | None = None
    wall_s: float = 0.0
    ideal: bool = False
    trace: Trace | None = field(default=None, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (without the trace; see ``trace.to_dict()``)."""
        return {
            "counts": dict(sorted(self.counts.items(), key=lambda kv: -kv[1])),
            "shots": self.shots,
            "ebits": self.ebits,
            "link_attempts": self.link_attempts,
            "makespan_s": self.makespan_s,
            "fidelity": self.fidelity,
            "fidelity_kind": self.fidelity_kind,
            "fidelity_ci95": list(self.fidelity_ci95) if self.fidelity_ci95 else None,
            "hellinger_fidelity": self.hellinger_fidelity,
            "success_probability": self.success_probability,
            "backend": self.backend,
            "ideal": self.ideal,
            "utilisation": self.utilisation,
            "trajectories": self.trajectories,
            "ebits_discarded": self.trace.ebits_discarded if self.trace else 0,
            "ebits_in_memory": self.trace.ebits_in_memory if self.trace else 0,
            "wall_s": self.wall_s,
        }


def hellinger(counts: Mapping[str, int], ideal: Mapping[str, float]) -> float:
    """Hellinger fidelity (Σ_x √(p_x q_x))² of counts to an ideal distribution.

    Computed by ``qiskit.quantum_info.hellinger_fidelity`` (both inputs are normalised).

    >>> round(hellinger({"0": 50, "1": 50}, {"0": 0.5, "1": 0.5}), 12)
    1.0
    """
    if sum(counts.values()) == 0 or sum(ideal.values()) <= 0:
        return float("nan")
    return float(hellinger_fidelity(dict(counts), dict(ideal)))


def success_probability(counts: Mapping[str, int], expected: str | Iterable[str]) -> float:
    """Share of shots whose bitstring is (one of) the expected answer(s).

    >>> success_probability({"101": 7, "000": 3}, "101")
    0.7
    """
    wanted = {expected} if isinstance(expected, str) else set(expected)
    total = sum(counts.values())
    return sum(n for k, n in counts.items() if k in wanted) / total if total else float("nan")
