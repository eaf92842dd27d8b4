"""Time-aware reordering of a DistributedProgram (same instructions, shorter makespan).

The runtime runs each module's instructions in program order and waits at an EPR until its
ebit has heralded, while the ebit itself is generated in the background from the moment its
communication ions are free. ``reorder_for_time`` keeps every dependency of the program (the
order of the instructions on each qubit and on each classical bit, so ebits, communication-ion
use and semantics are unchanged) and chooses a new interleaving by list scheduling on the
compiler's timing model (``ionnet.compiler.timing``): the instruction that can start first goes
next, ties to the one with the longest chain of work after it (its upward rank, as in HEFT:
Topcuoglu, Hariri, Wu, IEEE TPDS 13, 260 (2002)). So a module does local work while an ebit is
generated instead of blocking at the EPR, and work that others wait for (a cat-entangler's
measurement, a share's gates that hold a communication ion) goes first.

>>> from ionnet.compiler.program import DistributedProgram
>>> from ionnet.hardware.network import load_network
>>> from ionnet.compiler.timing import TimingModel
>>> text = "EPR m0.c0 m1.c0\\nCX m0.q0 m0.c0\\nH m1.q0\\nH m1.q0\\nH m1.q0"
>>> model = TimingModel.from_network(load_network("default"))
>>> p = DistributedProgram.from_text(text)
>>> print(reorder_for_time(p, model).instructions[0])
H m1.q0
>>> model.estimate(reorder_for_time(p, model)) <= model.estimate(p)
True
"""

from __future__ import annotations

import dataclasses
import heapq

from ionnet.compiler.program import DistributedProgram, Instruction, parse_qubit
from ionnet.compiler.timing import Replay, TimingModel


def _resources(ins: Instruction) -> list[str]:
    return [*ins.qubits, *(f"bit:{b}" for b in (*ins.bits, *ins.condition))]


def dependency_graph(program: DistributedProgram) -> tuple[list[list[int]], list[int]]:
    """Successors of each instruction and its number of predecessors (per-qubit and per-bit order)."""
    last: dict[str, int] = {}
    succ: list[list[int]] = [[] for _ in program.instructions]
    preds = [0] * len(program.instructions)
    for i, ins in enumerate(program.instructions):
        before = {last[r] for r in _resources(ins) if r in last}
        for j in before:
            succ[j].append(i)
        preds[i] = len(before)
        for r in _resources(ins):
            last[r] = i
    return succ, preds


def _weight(ins: Instruction, model: TimingModel) -> float:
    if ins.op == "EPR":
        return model.ebit_time_s[model.link_of(ins)]
    if ins.op == "SEND":
        assert ins.route is not None
        return model.latency_s.get(ins.route, 0.0)
    return model.duration(ins, parse_qubit(ins.qubits[0])[0]) if ins.qubits else 0.0


def upward_rank(program: DistributedProgram, model: TimingModel, succ: list[list[int]]) -> list[float]:
    """Longest chain of work from each instruction to the end (its own time included)."""
    rank = [0.0] * len(program.instructions)
    for i in reversed(range(len(program.instructions))):
        rank[i] = _weight(program.instructions[i], model) + max((rank[j] for j in succ[i]), default=0.0)
    return rank


def _start(ins: Instruction, replay: Replay) -> float:
    """When ``ins`` would start if it were written next."""
    if ins.op == "EPR":
        return replay.herald_estimate(*ins.qubits)
    if ins.op == "SEND":
        assert ins.route is not None
        src = ins.route[0]
        return max([replay.module_free[src], *(replay.bit_at.get((b, src), 0.0) for b in ins.bits)])
    if not ins.qubits:
        return 0.0
    m = parse_qubit(ins.qubits[0])[0]
    return max([replay.module_free[m], *(replay.bit_at.get((b, m), 0.0) for b in ins.condition)])


def reorder_for_time(program: DistributedProgram, model: TimingModel) -> DistributedProgram:
    """The program with its instructions interleaved for a short makespan (see module docstring)."""
    instructions = program.instructions
    succ, preds = dependency_graph(program)
    rank = upward_rank(program, model, succ)
    replay = Replay(model)
    heap = [(0.0, -rank[i], i) for i, p in enumerate(preds) if p == 0]
    heapq.heapify(heap)
    order: list[int] = []
    while heap:
        start, neg_rank, i = heapq.heappop(heap)
        now = _start(instructions[i], replay)
        if now > start + 1e-12:
            heapq.heappush(heap, (now, neg_rank, i))
            continue
        order.append(i)
        replay.feed(instructions[i])
        for j in succ[i]:
            preds[j] -= 1
            if preds[j] == 0:
                heapq.heappush(heap, (_start(instructions[j], replay), -rank[j], j))
    assert len(order) == len(instructions), "dependency cycle in a program"
    return dataclasses.replace(program, instructions=[instructions[i] for i in order])


def best_order(program: DistributedProgram, model: TimingModel) -> DistributedProgram:
    """``program`` or its time-aware reordering, whichever the model says finishes first."""
    reordered = reorder_for_time(program, model)
    return reordered if model.estimate(reordered) < model.estimate(program) else program
