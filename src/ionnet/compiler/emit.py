"""Emission: turn a plan into DistributedProgram instructions on physical ions.

``Machine`` keeps the physical bookkeeping (which slot holds which logical qubit, free data slots
and communication ions, where each classical bit is known) and writes the standard protocols:

- cat-entangler (Eisert et al., PRA 62, 052317 (2000)): ``EPR h.c x.c; CX q h.c; MEASURE h.c -> t;
  SEND t h -> x; IF t X x.c``. The copy ``x.c`` then stands for ``q`` in diagonal gates on x.
- cat-disentangler: ``H x.c; MEASURE x.c -> t; SEND t x -> h; IF t Z q``.
- teleportation (Bennett et al., PRL 70, 1895 (1993)): ``EPR; CX q h.c; H q; MEASURE q; MEASURE
  h.c; SEND; IF X / IF Z`` on the receiving ion, then a local SWAP into a free data slot.
- entanglement swapping through relay modules when two modules are not linked: a Bell
  measurement at each relay, the corrections applied at the far end.

Communication ions are reset after use and reused; ``ProgramEmitter`` orders the plan's steps
(diagonal gates commute, so a share's gates are run together) so that the ions a module has are
enough; when they are not, it closes the share needed furthest in the future and reopens it later.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
from collections import deque
from dataclasses import dataclass

from ionnet.compiler.circuit_input import Op
from ionnet.compiler.plan import Plan, Step
from ionnet.compiler.program import DistributedProgram, Instruction, module_of
from ionnet.compiler.remote import ModuleInfo
from ionnet.compiler.schedule import reorder_for_time
from ionnet.compiler.timing import Replay, TimingModel
from ionnet.errors import NetworkError


class Machine:
    """Physical state while emitting: slots, communication ions, classical bits, output."""

    def __init__(self, plan: Plan, info: ModuleInfo):
        self.info = info
        self.out: list[Instruction] = []
        self.free_slots: list[list[int]] = [list(range(c)) for c in info.capacities]
        self.free_comm: list[list[int]] = [list(range(c)) for c in info.communication_ions]
        self.slot_of: list[str] = []
        for module in plan.initial:
            self.slot_of.append(f"m{module}.q{self.free_slots[module].pop(0)}")
        self.bit_at: dict[str, set[int]] = {}
        self.next_bit = 0
        self.teleports = 0

    def home(self, q: int) -> int:
        """Module holding logical qubit ``q``."""
        return module_of(self.slot_of[q])

    def emit(
        self, op: str, *qubits: str, params: tuple[float, ...] = (), condition: tuple[str, ...] = ()
    ) -> None:
        """Append one instruction."""
        self.out.append(Instruction(op, tuple(qubits), params, condition=condition))

    def measure(self, qubit: str, bit: str | None = None) -> str:
        """MEASURE into ``bit`` (a fresh ``t`` bit by default); returns the bit."""
        if bit is None:
            bit, self.next_bit = f"t{self.next_bit}", self.next_bit + 1
        self.out.append(Instruction("MEASURE", (qubit,), bits=(bit,)))
        self.bit_at[bit] = {module_of(qubit)}
        return bit

    def send(self, bits: tuple[str, ...], dst: int) -> None:
        """Make ``bits`` known on module ``dst`` (one SEND per source module)."""
        by_source: dict[int, list[str]] = {}
        for b in bits:
            where = self.bit_at.get(b)
            if where is None:
                raise NetworkError(f"classical bit {b} is read before it is measured")
            if dst not in where:
                by_source.setdefault(min(where), []).append(b)
                where.add(dst)
        for src, group in by_source.items():
            self.out.append(Instruction("SEND", bits=tuple(group), route=(src, dst)))

    def take_comm(self, module: int) -> str:
        """A free communication ion of ``module``."""
        if not self.free_comm[module]:
            raise NetworkError(f"module m{module} has no free communication ion")
        return f"m{module}.c{self.free_comm[module].pop(0)}"

    def release_comm(self, ion: str) -> None:
        """RESET ``ion`` and return it to the free list."""
        self.emit("RESET", ion)
        self.free_comm[module_of(ion)].append(int(ion.split(".c")[1]))

    def epr(self, a: int, b: int) -> tuple[str, str]:
        """An ebit between modules a and b (entanglement swapping along the path if needed)."""
        path = self.info.paths[(a, b)]
        end_a, relay_in = self.take_comm(a), self.take_comm(path[1])
        self.emit("EPR", end_a, relay_in)
        for here, nxt in itertools.pairwise(path[1:]):
            relay_out, far = self.take_comm(here), self.take_comm(nxt)
            self.emit("EPR", relay_out, far)
            self.emit("CX", relay_in, relay_out)
            self.emit("H", relay_in)
            z_bit, x_bit = self.measure(relay_in), self.measure(relay_out)
            self.release_comm(relay_in)
            self.release_comm(relay_out)
            self.send((z_bit, x_bit), nxt)
            self.emit("X", far, condition=(x_bit,))
            self.emit("Z", far, condition=(z_bit,))
            relay_in = far
        return end_a, relay_in

    def open_share(self, q: int, module: int) -> str:
        """Cat-entangle ``q`` onto a communication ion of ``module``; returns that ion."""
        home = self.home(q)
        near, far = self.epr(home, module)
        self.emit("CX", self.slot_of[q], near)
        bit = self.measure(near)
        self.release_comm(near)
        self.send((bit,), module)
        self.emit("X", far, condition=(bit,))
        return far

    def close_share(self, q: int, ion: str) -> None:
        """Cat-disentangle the copy of ``q`` held in ``ion``."""
        self.emit("H", ion)
        bit = self.measure(ion)
        self.release_comm(ion)
        self.send((bit,), self.home(q))
        self.emit("Z", self.slot_of[q], condition=(bit,))

    def teleport(self, q: int, dst: int) -> str:
        """Teleport ``q`` to a communication ion of ``dst`` and park it there; returns the ion."""
        src_slot = self.slot_of[q]
        near, far = self.epr(self.home(q), dst)
        self.emit("CX", src_slot, near)
        self.emit("H", src_slot)
        z_bit, x_bit = self.measure(src_slot), self.measure(near)
        self.emit("RESET", src_slot)
        self.free_slots[module_of(src_slot)].append(int(src_slot.split(".q")[1]))
        self.release_comm(near)
        self.send((z_bit, x_bit), dst)
        self.emit("X", far, condition=(x_bit,))
        self.emit("Z", far, condition=(z_bit,))
        self.slot_of[q] = far
        self.teleports += 1
        return far

    def unpark(self, q: int) -> None:
        """SWAP a parked qubit from its communication ion into a free data slot."""
        ion, module = self.slot_of[q], self.home(q)
        slot = f"m{module}.q{self.free_slots[module].pop(0)}"
        self.emit("SWAP", ion, slot)
        self.free_comm[module].append(int(ion.split(".c")[1]))
        self.slot_of[q] = slot


@dataclass
class _Share:
    qubit: int
    ion: str | None
    uses: set[int]


@dataclass(frozen=True)
class ProgramEmitter:
    """Order the plan's steps under communication-ion limits and write the program.

    With a timing model in ``info`` the emitter writes two orders, the plain one (ready steps in
    circuit order, shares opened only when nothing else is ready) and the timed one (the step
    that can start first by the model, see ``_Emission._timed_pick``), and each reordered for time
    (``schedule.reorder_for_time``), and keeps the one with the fewest ebits, then the shortest
    mean makespan over sampled herald times (``TimingModel.sampled_mean``).
    """

    window: int = 32  # ready steps the timed order compares at each pick
    samples: int = 8  # sampled replays that judge the orders (``TimingModel.sampled_mean``)

    def emit(self, plan: Plan, info: ModuleInfo) -> DistributedProgram:
        """The DistributedProgram of ``plan`` on modules described by ``info``."""
        plain = _Emission(plan, info).run()
        timing = info.timing
        if timing is None:
            return plain
        options = [plain]
        # the timed order can strand a planned teleport without a free slot: then plain only
        with contextlib.suppress(NetworkError):
            options.append(_Emission(plan, info, timing, self.window).run())
        options += [reorder_for_time(p, timing) for p in options]
        fewest = min(p.cost().ebits for p in options)
        options = [p for p in options if p.cost().ebits == fewest]
        return min(options, key=lambda p: timing.sampled_mean(p, self.samples))


class _Emission:
    def __init__(
        self,
        plan: Plan,
        info: ModuleInfo,
        timing: TimingModel | None = None,
        window: int = 32,
        complete_only: bool = True,
    ):
        self.plan, self.info = plan, info
        self.machine = Machine(plan, info)
        self.initial = {q: s for q, s in enumerate(self.machine.slot_of)}
        self.queues: dict[tuple[str, int], deque[int]] = {}
        self.shares: dict[tuple[int, int], _Share] = {}
        self.prefix: dict[tuple[str, int], set[int]] = {}
        for i, step in enumerate(plan.steps):
            for key in self._resources(step):
                self.queues.setdefault(key, deque()).append(i)
            for q, run, module in self._needed_shares(step):
                self.shares.setdefault((run, module), _Share(q, None, set())).uses.add(i)
        self.remote_gates = 0
        self.needs = [self._needed_shares(step) for step in plan.steps]
        self.opened: list[tuple[int, int]] = []
        self.replay = Replay(timing) if timing is not None else None
        self.fed = 0
        self.window = window
        self.complete_only = complete_only

    @staticmethod
    def _resources(step: Step) -> list[tuple[str, int]]:
        keys = [("q", q) for q in step.qubits]
        if step.op is not None:
            keys += [("b", b) for b in step.op.clbits]
            if step.op.condition is not None:
                keys.append(("b", step.op.condition))
        return keys

    @staticmethod
    def _needed_shares(step: Step) -> list[tuple[int, int, int]]:
        if step.op is None or not step.op.is_two_qubit_gate or step.at is None:
            return []
        return [
            (q, run, step.at)
            for q, run, home in zip(step.qubits, step.runs, step.homes, strict=True)
            if home != step.at
        ]

    def _is_ready(self, i: int) -> bool:
        return all(i in self.prefix[key] for key in self._resources(self.plan.steps[i]))

    def _is_free(self, i: int) -> bool:
        """True if the step needs no communication ion now (local, or its shares are open)."""
        step = self.plan.steps[i]
        if step.is_teleport:
            return False
        return all(self.shares[(run, m)].ion is not None for _, run, m in self.needs[i])

    def _comm_needs(self, i: int) -> dict[int, int]:
        step = self.plan.steps[i]
        needs: dict[int, int] = {}
        pairs: list[tuple[int, int]] = []
        if step.is_teleport:
            pairs = [(self.machine.home(q), d) for q, d in zip(step.qubits, step.destinations, strict=True)]
        for q, run, module in self._needed_shares(step):
            if self.shares[(run, module)].ion is None:
                pairs.append((self.machine.home(q), module))
        for a, b in pairs:
            path = self.info.paths[(a, b)]
            for m in path:
                needs[m] = needs.get(m, 0) + (2 if m not in (a, b) else 1)
        if step.is_teleport and len(step.qubits) == 2:
            first = max(step.destinations, key=lambda m: self.info.communication_ions[m])
            needs[first] = max(needs.get(first, 0), 2)
        return needs

    def run(self) -> DistributedProgram:
        self.prefix = {key: set(self._prefix(key)) for key in self.queues}
        ready = {i for members in self.prefix.values() for i in members if self._is_ready(i)}
        free: set[int] = set()
        waiting: set[int] = set()
        waiters: dict[tuple[int, int], set[int]] = {}

        def place(j: int) -> None:
            if self._is_free(j):
                free.add(j)
                return
            waiting.add(j)
            for _, run, m in self.needs[j]:
                waiters.setdefault((run, m), set()).add(j)

        for j in ready:
            place(j)
        done = 0
        while free or waiting:
            timed = self._timed_pick(free, waiting) if self.replay is not None else None
            if timed is not None:
                i = timed
                free.discard(i)
                waiting.discard(i)
            elif free:
                i = min(free)
                free.discard(i)
            else:
                feasible = [j for j in waiting if self._slot_ok(j)]
                if not feasible:
                    raise NetworkError("no free data slot for a planned teleport (plan exceeds capacity)")
                i = self._least_evicting(feasible, waiting)
                waiting.discard(i)
                if self._make_room(i):
                    stale = {j for j in free if not self._is_free(j)}
                    free -= stale
                    for j in stale:
                        place(j)
            self.opened = []
            self._execute(i)
            self._advance_clock()
            done += 1
            fresh = self._newly_ready(i)
            for key in self.opened:
                for j in waiters.pop(key, set()):
                    if j in waiting and self._is_free(j):
                        waiting.discard(j)
                        free.add(j)
            for j in fresh:
                place(j)
        assert done == len(self.plan.steps), "scheduler stalled"
        return self._program()

    def _advance_clock(self) -> None:
        """Feed the instructions written since the last call to the timing replay."""
        if self.replay is None:
            return
        out = self.machine.out
        for ins in out[self.fed :]:
            self.replay.feed(ins)
        self.fed = len(out)

    def _timed_pick(self, free: set[int], waiting: set[int]) -> int | None:
        """The step that can start first by the timing model (None: fall back to index order).

        Local steps start when their module is free; a step that opens shares starts when its
        ebits are expected to herald (and its modules are free). Ties go to steps that open or
        use shares, so that communication ions are busy as little as possible. Only steps that
        need no eviction compete; evictions keep the index-order rule.
        """
        replay = self.replay
        assert replay is not None
        best: tuple[float, int, int] | None = None
        for j in heapq.nsmallest(self.window, free):
            at = self._exec_module(j)
            uses_share = bool(self.needs[j])
            key = (replay.module_free[at], 0 if uses_share else 1, j)
            best = key if best is None or key < best else best
        ready = free | waiting
        for j in heapq.nsmallest(self.window, waiting):
            if best is not None and replay.module_free[self._exec_module(j)] > best[0]:
                continue  # it cannot start before the best one so far
            if not self._slot_ok(j):
                continue
            needs = self._comm_needs(j)
            if not all(len(self.machine.free_comm[m]) >= c for m, c in needs.items()):
                continue
            new = [self.shares[(run, m)] for _, run, m in self.needs[j] if self.shares[(run, m)].ion is None]
            if self.complete_only and not all(share.uses <= ready for share in new):
                continue  # a share opened before all its uses are ready holds its ion idle
            key = (self._open_estimate(j), 0, j)
            best = key if best is None or key < best else best
        return None if best is None else best[2]

    def _exec_module(self, j: int) -> int:
        step = self.plan.steps[j]
        if step.at is not None and step.op is not None and step.op.is_two_qubit_gate:
            return step.at
        return self.machine.home(step.qubits[0])

    def _open_estimate(self, j: int) -> float:
        """When waiting step ``j`` could start: its new ebits' heralds and its modules' free times."""
        replay, m = self.replay, self.machine
        assert replay is not None
        step = self.plan.steps[j]
        if step.is_teleport:
            pairs = [(m.home(q), d) for q, d in zip(step.qubits, step.destinations, strict=True)]
        else:
            pairs = [(m.home(q), mod) for q, run, mod in self.needs[j] if self.shares[(run, mod)].ion is None]
        start = 0.0
        for a, b in pairs:
            start = max(start, replay.module_free[a], replay.module_free[b])
            for x, y in itertools.pairwise(self.info.paths[(a, b)]):
                start = max(start, replay.herald_estimate(self._next_ion(x), self._next_ion(y)))
        if step.at is not None:
            start = max(start, replay.module_free[step.at])
        return start

    def _next_ion(self, module: int) -> str:
        free = self.machine.free_comm[module]
        return f"m{module}.c{free[0] if free else 0}"

    def _least_evicting(self, candidates: list[int], ready: set[int]) -> int:
        """The step to open shares for: no eviction needed first, then shares whose every
        remaining use is ready now (opened, used and closed at once), then the earliest."""
        ranked = []
        for i in sorted(candidates)[:64]:
            fits = all(len(self.machine.free_comm[m]) >= c for m, c in self._comm_needs(i).items())
            new = [self.shares[(run, m)] for _, run, m in self.needs[i] if self.shares[(run, m)].ion is None]
            complete = all(share.uses <= ready for share in new)
            ranked.append((not fits, not complete, i))
        return min(ranked)[2]

    def _slot_ok(self, i: int) -> bool:
        step = self.plan.steps[i]
        if not step.is_teleport or len(step.qubits) == 2:
            return True
        return bool(self.machine.free_slots[step.destinations[0]])

    def _prefix(self, key: tuple[str, int]) -> list[int]:
        queue = self.queues[key]
        if not queue:
            return []
        head = [queue[0]]
        if key[0] == "q" and self.plan.steps[queue[0]].is_diagonal():
            for j in list(queue)[1:]:
                if not self.plan.steps[j].is_diagonal():
                    break
                head.append(j)
        return head

    def _newly_ready(self, i: int) -> set[int]:
        keys = self._resources(self.plan.steps[i])
        for key in keys:
            self.queues[key].remove(i)
            self.prefix[key] = set(self._prefix(key))
        return {j for key in keys for j in self.prefix[key] if self._is_ready(j)}

    def _make_room(self, i: int) -> bool:
        """Evict shares until step i's ions are free; True if any share was closed."""
        evicted = False
        needs = self._comm_needs(i)
        protected = {(run, m) for _, run, m in self._needed_shares(self.plan.steps[i])}
        for module, count in needs.items():
            if count > self.info.communication_ions[module]:
                raise NetworkError(
                    f"module m{module} has {self.info.communication_ions[module]} communication ions; "
                    f"step {i} needs {count} at once (relaying an ebit between unlinked modules needs 2)"
                )
            while len(self.machine.free_comm[module]) < count:
                self._evict(module, protected)
                evicted = True
        return evicted

    def _evict(self, module: int, protected: set[tuple[int, int]]) -> None:
        open_here = [
            (min(share.uses), key)
            for key, share in self.shares.items()
            if share.ion is not None and module_of(share.ion) == module and key not in protected
        ]
        if not open_here:
            raise NetworkError(f"module m{module} has too few communication ions for this program")
        _, key = max(open_here)
        share = self.shares[key]
        assert share.ion is not None
        self.machine.close_share(share.qubit, share.ion)
        share.ion = None

    def _execute(self, i: int) -> None:
        step = self.plan.steps[i]
        if step.is_teleport:
            self._teleport(step)
        elif step.op is not None and step.op.is_two_qubit_gate:
            self._gate(i, step, step.op)
        else:
            assert step.op is not None
            self._local(step.op)

    def _condition(self, op: Op, module: int) -> tuple[str, ...]:
        if op.condition is None:
            return ()
        bit = f"c{op.condition}"
        self.machine.send((bit,), module)
        return (bit,)

    def _local(self, op: Op) -> None:
        m = self.machine
        slots = [m.slot_of[q] for q in op.qubits]
        if op.name == "MEASURE":
            m.measure(slots[0], f"c{op.clbits[0]}")
        elif op.name in ("RESET", "BARRIER"):
            m.emit(op.name, *slots)
        else:
            m.emit(op.name, *slots, params=op.params, condition=self._condition(op, m.home(op.qubits[0])))

    def _gate(self, i: int, step: Step, op: Op) -> None:
        assert step.at is not None
        names = []
        for q, run, home in zip(step.qubits, step.runs, step.homes, strict=True):
            assert home == self.machine.home(q), "plan and machine disagree on a home"
            if home == step.at:
                names.append(self.machine.slot_of[q])
                continue
            share = self.shares[(run, step.at)]
            if share.ion is None:
                share.ion = self.machine.open_share(q, step.at)
                self.opened.append((run, step.at))
            names.append(share.ion)
        self.machine.emit(op.name, *names, params=op.params, condition=self._condition(op, step.at))
        if step.homes[0] != step.homes[1]:
            self.remote_gates += 1
        for _, run, module in self._needed_shares(step):
            share = self.shares[(run, module)]
            share.uses.discard(i)
            if not share.uses and share.ion is not None:
                self.machine.close_share(share.qubit, share.ion)
                share.ion = None

    def _teleport(self, step: Step) -> None:
        m = self.machine
        moves = list(zip(step.qubits, step.destinations, strict=True))
        if len(moves) == 2:
            moves.sort(key=lambda qd: -len(m.free_comm[qd[1]]))
        for q, dst in moves:
            m.teleport(q, dst)
            for p in range(len(m.slot_of)):
                if ".c" in m.slot_of[p] and m.free_slots[m.home(p)]:
                    m.unpark(p)

    def _program(self) -> DistributedProgram:
        m = self.machine
        return DistributedProgram(
            num_modules=self.info.num_modules,
            instructions=m.out,
            initial_placement=self.initial,
            final_placement=dict(enumerate(m.slot_of)),
            num_clbits=self.plan.circuit.num_clbits,
            remote_gates=self.remote_gates,
            teleported_qubits=m.teleports,
        )
