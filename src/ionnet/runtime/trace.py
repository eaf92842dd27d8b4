"""The trace of one run: every operation with its start and end time, and every ebit.

Lanes are ``m{i}`` for a module's operations and ``link m{a}-m{b}`` for photon-generation
attempts on a link. The trace is what the timing pass produces and what the noise pass reads:
the gap between two operations on a qubit is exactly the time it idles.

>>> t = Trace(ops=[TraceOp("m0", "H m0.q0", 0.0, 1e-4, ("m0.q0",), "gate")], ebits=[])
>>> t.makespan_s
0.0001
>>> t.to_dict()["ops"][0]["lane"]
'm0'
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class TraceOp:
    """One operation on one lane.

    Attributes:
        lane: ``m{i}`` or ``link m{a}-m{b}``.
        label: The instruction's text (or ``attempts xN`` on a link lane).
        start_s / end_s: Simulated start and end time.
        qubits: Qubits it acts on.
        kind: ``gate``, ``measure``, ``reset``, ``epr``, ``send``, ``barrier``, ``attempts``,
            ``swap`` (an ebit half moved into a memory ion) or ``discard`` (an ebit dropped by
            the storage cutoff, on the link lane from its herald to the discard).
        index: Position of the instruction in the program (-1 for link attempts).
    """

    lane: str
    label: str
    start_s: float
    end_s: float
    qubits: tuple[str, ...] = ()
    kind: str = "gate"
    index: int = -1

    @property
    def duration_s(self) -> float:
        """end_s - start_s."""
        return self.end_s - self.start_s


@dataclass(frozen=True)
class EbitRecord:
    """One heralded ebit: when its generation started, when it heralded, when it was used.

    Attributes:
        index: Position of the EPR instruction in the program.
        qubits: The two communication ions holding it.
        link: ``(a, b)`` module indices, a < b.
        start_s: First photon-generation attempt.
        herald_s: Both modules hold the herald (the pair exists from here on).
        consumed_s: The later of the two modules reaching the EPR instruction.
        attempts: Attempts spent (geometric), over every regeneration.
        memory_s: When both halves were in memory ions (None: they stayed in communication ions).
        discarded: Earlier pairs for this EPR dropped by the storage cutoff (``herald_s`` is
            the herald of the pair that was used).
    """

    index: int
    qubits: tuple[str, str]
    link: tuple[int, int]
    start_s: float
    herald_s: float
    consumed_s: float
    attempts: int
    memory_s: float | None = None
    discarded: int = 0

    @property
    def wait_s(self) -> float:
        """How long the pair waited (in communication or memory ions) before it was used."""
        return self.consumed_s - self.herald_s


@dataclass
class Trace:
    """All operations and ebits of one run (see the module docstring)."""

    ops: list[TraceOp]
    ebits: list[EbitRecord]
    num_modules: int = 0
    op_of_instruction: dict[int, list[TraceOp]] = field(default_factory=dict, repr=False)

    @property
    def makespan_s(self) -> float:
        """Time from the first operation's start to the last one's end."""
        return max((op.end_s for op in self.ops), default=0.0)

    @property
    def link_attempts(self) -> int:
        """Photon-generation attempts over all links."""
        return sum(e.attempts for e in self.ebits)

    @property
    def ebits_discarded(self) -> int:
        """Pairs dropped by the storage cutoff (and generated again)."""
        return sum(e.discarded for e in self.ebits)

    @property
    def ebits_in_memory(self) -> int:
        """Ebits whose halves were swapped into memory ions."""
        return sum(e.memory_s is not None for e in self.ebits)

    def lanes(self) -> list[str]:
        """Every lane: modules first (by index), then links."""
        names = {op.lane for op in self.ops} | {f"m{i}" for i in range(self.num_modules)}
        return sorted(names, key=lambda s: (s.startswith("link"), len(s), s))

    def utilisation(self) -> dict[str, float]:
        """Busy fraction of the makespan per lane (classical messages do not occupy a module)."""
        span = self.makespan_s
        busy: dict[str, float] = dict.fromkeys(self.lanes(), 0.0)
        for op in self.ops:
            if op.kind != "send":
                busy[op.lane] += op.duration_s
        return {lane: (b / span if span > 0 else 0.0) for lane, b in busy.items()}

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: ``makespan_s``, ``ops`` and ``ebits``."""
        return {
            "makespan_s": self.makespan_s,
            "ops": [{**asdict(op), "qubits": list(op.qubits)} for op in self.ops],
            "ebits": [{**asdict(e), "qubits": list(e.qubits), "link": list(e.link)} for e in self.ebits],
        }

    def write_json(self, path: str | Path) -> Path:
        """Write ``to_dict()`` as JSON; returns the path."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_dict(), indent=1))
        return path
