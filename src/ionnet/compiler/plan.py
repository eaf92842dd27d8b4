"""The distribution plan: what the passes between placement and emission agree on.

A plan is the lowered circuit's ops in order, with

- ``Teleport`` steps that move a qubit's home to another module (one ebit), or swap two qubits
  between full modules (two ebits),
- an execution module ``at`` for each two-qubit gate (its home module when it is local; for a
  remote gate, the module where copies of both qubits meet).

A qubit's *run* is a stretch of its ops between two non-diagonal ops (or teleports). Sharing a run
to another module with a cat-entangler costs one ebit per hop and serves every gate of the run
executed there.

>>> from ionnet.compiler.circuit_input import Op, LogicalCircuit
>>> c = LogicalCircuit(2, 0, (Op("CZ", (0, 1)), Op("H", (0,)), Op("CZ", (0, 1))))
>>> p = Plan.static(c, [0, 1])
>>> [s.runs for s in p.steps]
[(0, 1), (2,), (2, 1)]
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ionnet.compiler.circuit_input import LogicalCircuit, Op


@dataclass(frozen=True)
class Step:
    """One plan step: a circuit op, or a teleport of ``qubits`` to ``destinations``.

    Attributes:
        op: The circuit op (None for a teleport).
        qubits: The logical qubits the step acts on.
        destinations: Teleport only: the destination module of each qubit (a pair is a swap).
        at: Two-qubit gates: the executing module.
        homes: Home module of each qubit when the step starts (filled by ``Plan.annotate``).
        runs: Global run id of each qubit at this step (filled by ``Plan.annotate``).
    """

    op: Op | None
    qubits: tuple[int, ...]
    destinations: tuple[int, ...] = ()
    at: int | None = None
    homes: tuple[int, ...] = ()
    runs: tuple[int, ...] = ()

    @property
    def is_teleport(self) -> bool:
        """True for a teleport (or swap) step."""
        return self.op is None

    def is_diagonal(self) -> bool:
        """True if the step commutes with diagonal gates on all its qubits."""
        return self.op is not None and self.op.is_diagonal()

    def is_remote_gate(self) -> bool:
        """True for a two-qubit gate whose qubits live on different modules."""
        return self.op is not None and self.op.is_two_qubit_gate and self.homes[0] != self.homes[1]


@dataclass
class Plan:
    """Steps, the initial placement (qubit -> module) and the run homes."""

    circuit: LogicalCircuit
    initial: list[int]
    steps: list[Step] = field(default_factory=list)
    run_home: list[int] = field(default_factory=list)

    @classmethod
    def static(cls, circuit: LogicalCircuit, placement: list[int]) -> Plan:
        """A plan without teleports; remote gates execute at their first qubit's home."""
        return cls.from_steps(circuit, placement, [Step(op, op.qubits) for op in circuit.ops])

    @classmethod
    def from_steps(cls, circuit: LogicalCircuit, placement: list[int], steps: list[Step]) -> Plan:
        """Build and annotate a plan from steps."""
        plan = cls(circuit, list(placement), steps)
        plan.annotate()
        return plan

    def annotate(self) -> None:
        """Fill homes, runs and default execution modules by replaying the steps."""
        home = list(self.initial)
        run = list(range(len(home)))
        self.run_home = list(home)
        out = []
        for step in self.steps:
            if not step.is_diagonal():
                for q in step.qubits:
                    run[q] = len(self.run_home)
                    self.run_home.append(home[q])
            homes = tuple(home[q] for q in step.qubits)
            at = step.at
            if step.op is not None and step.op.is_two_qubit_gate and at is None:
                at = homes[0]
            runs = tuple(run[q] for q in step.qubits)
            out.append(Step(step.op, step.qubits, step.destinations, at, homes, runs))  # not replace(): slow
            for q, d in zip(step.qubits, step.destinations, strict=False):
                home[q] = d
                run[q] = len(self.run_home)
                self.run_home.append(d)
        self.steps = out

    def final_homes(self) -> list[int]:
        """Module of each qubit after the last step."""
        home = list(self.initial)
        for step in self.steps:
            for q, d in zip(step.qubits, step.destinations, strict=False):
                home[q] = d
        return home

    def num_teleports(self) -> int:
        """Qubit teleportations (a swap counts two)."""
        return sum(len(s.destinations) for s in self.steps)
