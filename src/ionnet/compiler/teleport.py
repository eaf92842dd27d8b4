"""Qubit teleportation: move a qubit when that is cheaper than distributing its next gates.

``QubitTeleporter.insert`` walks the circuit with the current placement; for each remote block
(consecutive gates on one qubit pair) it compares the ebits of distributing the block's gates
with teleporting one qubit to the other's module (one ebit, or two for a swap when that module
is full), including how the move changes the next few interactions of the moved qubits, and
inserts a ``Teleport`` step when moving is cheaper (dynamic re-placement, as in DISQCO: Burt,
Chen, Leung, Quantum 2026).

>>> from ionnet.compiler.circuit_input import Op, LogicalCircuit
>>> from ionnet.compiler.remote import ModuleInfo
>>> block = tuple(op for _ in range(3) for op in (Op("CZ", (0, 1)), Op("H", (0,)), Op("H", (1,))))
>>> info = ModuleInfo((2, 2), (1, 1), ((0, 1), (1, 0)), {(0, 1): (0, 1), (1, 0): (1, 0)})
>>> plan = QubitTeleporter().insert(LogicalCircuit(2, 0, block), [0, 1], info)
>>> plan.num_teleports()
1
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ionnet.compiler.circuit_input import LogicalCircuit
from ionnet.compiler.plan import Plan, Step
from ionnet.compiler.remote import ModuleInfo


@dataclass(frozen=True)
class QubitTeleporter:
    """Insert qubit teleportations where moving a qubit is cheaper than distributing its gates.

    Attributes:
        lookahead: How many of a moved qubit's next interactions the cost looks at.
        future_weight: Weight of those future interactions against the ebits spent now.
    """

    lookahead: int = 4
    future_weight: float = 0.7

    def insert(self, circuit: LogicalCircuit, placement: list[int], info: ModuleInfo) -> Plan:
        """A plan with teleport steps inserted before remote blocks."""
        walker = _TeleportWalker(circuit, list(placement), info, self)
        return Plan.from_steps(circuit, placement, walker.walk())


class _TeleportWalker:
    """State of one ``QubitTeleporter`` walk over the circuit."""

    def __init__(self, circuit: LogicalCircuit, home: list[int], info: ModuleInfo, cfg: QubitTeleporter):
        self.ops, self.home, self.info, self.cfg = circuit.ops, home, info, cfg
        self.load = Counter(home)
        self.partners: list[list[tuple[int, int]]] = [[] for _ in home]
        for i, op in enumerate(self.ops):
            if op.is_two_qubit_gate:
                a, b = op.qubits
                self.partners[a].append((i, b))
                self.partners[b].append((i, a))
        self.cursor = [0] * len(home)
        self.now = 0

    def walk(self) -> list[Step]:
        steps: list[Step] = []
        for i, op in enumerate(self.ops):
            if op.is_two_qubit_gate:
                a, b = op.qubits
                self.now = i
                if self.home[a] != self.home[b]:
                    steps.extend(self._decide(i, a, b))
            steps.append(Step(op, op.qubits))
        return steps

    def _future(self, q: int, module: int, now: int, skip: int) -> float:
        """Weighted count of q's next interactions (not with ``skip``) away from ``module``."""
        partners = self.partners[q]
        while self.cursor[q] < len(partners) and partners[self.cursor[q]][0] < now:
            self.cursor[q] += 1
        total, weight, seen = 0.0, 1.0, 0
        for _, p in self.partners[q][self.cursor[q] :]:
            if p == skip:
                continue
            total += weight * (self.home[p] != module)
            weight *= 0.6
            seen += 1
            if seen >= self.cfg.lookahead:
                break
        return total

    def _block_cost(self, i: int, a: int, b: int) -> int:
        """Ebits to distribute the block of consecutive (a, b) gates starting at op i."""
        runs = {a: 1, b: 1}
        last_kind = {a: "diag", b: "diag"}
        for op in self.ops[i + 1 :]:
            touched = [q for q in op.qubits if q in runs]
            if not touched:
                continue
            if op.is_two_qubit_gate and set(op.qubits) != {a, b}:
                break
            if op.name in ("MEASURE", "RESET", "BARRIER"):
                break
            for q in touched:
                if not op.is_diagonal():
                    last_kind[q] = "broken"
                elif op.is_two_qubit_gate and last_kind[q] == "broken":
                    runs[q] += 1
                    last_kind[q] = "diag"
        return min(runs.values())

    def _decide(self, i: int, a: int, b: int) -> list[Step]:
        distance = self.info.distance[self.home[a]][self.home[b]]
        best_cost = float(self._block_cost(i, a, b) * distance)
        best: list[Step] = []
        for mover, stay in ((a, b), (b, a)):
            cost, step = self._move_option(mover, stay)
            if step is not None and cost < best_cost - 1e-9:
                best_cost, best = cost, [step]
        for step in best:
            for q, d in zip(step.qubits, step.destinations, strict=True):
                self.load[self.home[q]] -= 1
                self.load[d] += 1
                self.home[q] = d
        return best

    def _move_option(self, mover: int, stay: int) -> tuple[float, Step | None]:
        src, dst = self.home[mover], self.home[stay]
        distance = self.info.distance[src][dst]
        w = self.cfg.future_weight
        gain = self._future(mover, dst, self.now, stay) - self._future(mover, src, self.now, stay)
        if self.load[dst] < self.info.capacities[dst]:
            return distance + w * gain, Step(None, (mover,), (dst,))
        if max(self.info.communication_ions[src], self.info.communication_ions[dst]) < 2:
            return float("inf"), None
        best_cost, best_victim = float("inf"), None
        for v, home in enumerate(self.home):
            if home != dst or v == stay:
                continue
            cost = self._future(v, src, self.now, -1) - self._future(v, dst, self.now, -1)
            if cost < best_cost:
                best_cost, best_victim = cost, v
        if best_victim is None:
            return float("inf"), None
        return 2 * distance + w * (gain + best_cost), Step(None, (mover, best_victim), (dst, src))
