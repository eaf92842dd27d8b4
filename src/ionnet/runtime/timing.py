"""The timing pass: a SimPy discrete-event run of a DistributedProgram on a network -> Trace.

Model (each point is a modelling choice, stated once here):

* each module executes its instruction stream in program order, one operation at a time (a
  trapped-ion module drives one gate at a time); an operation starts when the module is free
  and the classical bits it is conditioned on have arrived at that module;
* gate, measurement and reset durations come from the module (:mod:`ionnet.runtime.noise`);
  Rz-type gates are virtual and take no time;
* an ``EPR a b`` is generated in the background: its link starts attempting as soon as both
  communication ions are free (their previous instruction has ended), so pairs are generated
  ahead of need, and at most ``link.communication_ions`` pairs attempt on a link at once;
  the time to the herald and the number of attempts are sampled by the link layer
  (:func:`ionnet.link.generation.next_herald_delay_s`, geometric in the attempts); the module
  waits at the EPR only if the pair has not heralded yet;
* storage (the network's ``[storage]`` table, :class:`~ionnet.hardware.network.StoragePolicy`;
  by default a pair waits in its communication ions until used, as before): with
  ``swap_to_memory`` a heralded pair whose communication ions a later EPR needs moves into a
  free memory ion on each side (``swap_time_s``; the ion pair does the swap without holding up
  the module's gate stream, an assumption), and the next EPR on those ions starts attempting
  at once; with ``cutoff_s`` a pair still in its communication ions that neither module has
  started to use within ``cutoff_s`` of its herald is discarded and generated again (a pair in
  memory is kept: memory ions are what long storage is for). Both show in the trace (``swap``
  ops on the module lanes, ``discard`` ops on the link lane, ``EbitRecord.memory_s`` and
  ``discarded``); :mod:`ionnet.runtime.storage` adds the swap's error and memory-ion idling;
* ``SEND`` takes the fibre latency of the shortest fibre path between the modules and does not
  occupy the sending module;
* ties at equal simulated time run first-in first-out (SimPy's rule), so a seed fixes the trace.

>>> from ionnet.compiler.program import DistributedProgram
>>> from ionnet.hardware import load_network
>>> from ionnet.seeding import stream
>>> p = DistributedProgram.from_text("EPR m0.c0 m1.c0\\nCX m0.q0 m0.c0\\nMEASURE m0.c0 -> t0")
>>> trace = schedule(p, load_network("default"), stream(1, "doc"))
>>> len(trace.ebits), trace.makespan_s > 0.0008
(1, True)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Generator
from typing import Any

import networkx as nx
import numpy as np
import simpy

from ionnet.compiler.program import DistributedProgram, Instruction, parse_qubit
from ionnet.errors import NetworkError, ProgramError
from ionnet.hardware import link_physics
from ionnet.hardware.network import NetworkSpec
from ionnet.link.generation import next_herald_delay_s
from ionnet.runtime.noise import ModuleNoise
from ionnet.runtime.trace import EbitRecord, Trace, TraceOp

Process = Generator[Any, Any, None]


def check_fits(program: DistributedProgram, network: NetworkSpec) -> None:
    """Raise NetworkError/ProgramError unless every module, slot, ion and link exists.

    >>> from ionnet.hardware import load_network
    >>> p = DistributedProgram.from_text("H m3.q0")
    >>> check_fits(p, load_network("default"))
    Traceback (most recent call last):
    ...
    ionnet.errors.NetworkError: the program uses 4 modules but network 'default' has 2
    """
    n = network.num_modules
    if program.num_modules > n:
        raise NetworkError(
            f"the program uses {program.num_modules} modules but network '{network.name}' has {n}"
        )
    for name in sorted(program.qubits_used()):
        m, kind, j = parse_qubit(name)
        if m >= n:
            raise NetworkError(f"the program uses module m{m} but network '{network.name}' has {n} modules")
        spec = network.modules[m]
        limit = spec.data_qubits if kind == "q" else spec.communication_ions
        if j >= limit:
            what = "data qubits" if kind == "q" else "communication ions"
            raise NetworkError(f"{name} does not exist: module m{m} has {limit} {what}")
    for ins in program.instructions:
        if ins.op == "EPR":
            a, b = (parse_qubit(q)[0] for q in ins.qubits)
            network.link_between(a, b)
            if link_physics.p_success(network.link_between(a, b)) <= 0.0:
                raise NetworkError(f"link m{min(a, b)}-m{max(a, b)} never heralds (p_success = 0)")
    network.require_connected()


def bit_versions(
    program: DistributedProgram,
) -> tuple[list[list[tuple[str, int, int]]], list[list[tuple[str, int, int]]]]:
    """Per instruction: the (bit, module, version) it reads and the ones it writes.

    Version v of a bit on a module is its v-th write there (a MEASURE on that module or a SEND
    delivering it). A read of a bit that has no version on the module raises ProgramError.
    """
    count: dict[tuple[str, int], int] = defaultdict(int)
    reads: list[list[tuple[str, int, int]]] = []
    writes: list[list[tuple[str, int, int]]] = []
    for index, ins in enumerate(program.instructions):
        if ins.op == "SEND":
            assert ins.route is not None
            here, there = ins.route
            read_bits, read_at = ins.bits + ins.condition, here
        else:
            read_bits = ins.condition
            read_at = parse_qubit(ins.qubits[0])[0] if ins.qubits else 0
        r = []
        for b in read_bits:
            if count[(b, read_at)] == 0:
                raise ProgramError(
                    f"instruction {index} ({ins}) reads bit {b} on m{read_at} "
                    "before it is measured or sent there"
                )
            r.append((b, read_at, count[(b, read_at)]))
        w = []
        if ins.op == "MEASURE":
            key = (ins.bits[0], parse_qubit(ins.qubits[0])[0])
            count[key] += 1
            w.append((*key, count[key]))
        elif ins.op == "SEND":
            for b in ins.bits:
                count[(b, there)] += 1
                w.append((b, there, count[(b, there)]))
        reads.append(r)
        writes.append(w)
    return reads, writes


class _Timing:
    """State of one SimPy timing run (internal; see :func:`schedule`)."""

    def __init__(self, program: DistributedProgram, network: NetworkSpec, rng: np.random.Generator) -> None:
        self.program = program
        self.network = network
        self.rng = rng
        self.env = simpy.Environment()
        self.noise = [ModuleNoise.from_module(m, ideal=True) for m in network.modules]
        self.ops: list[TraceOp] = []
        self.ebits: dict[int, EbitRecord] = {}
        self.consumed: dict[int, list[float]] = defaultdict(list)
        self.end: dict[tuple[int, int], simpy.Event] = {}
        self.bits: dict[tuple[str, int, int], simpy.Event] = {}
        self.reads, self.writes = bit_versions(program)
        self.herald: dict[int, simpy.Event] = {}
        self.claimed: dict[int, simpy.Event] = {}  # a module reached the EPR (the pair is in use)
        self.freed: dict[tuple[int, str], simpy.Event] = {}  # EPR's half left this comm ion
        self.storage = network.storage
        self.next_epr, self.last_use = _storage_lookahead(program)
        self.memory_free = self._memory_slots()
        self.links = {
            edge: simpy.Resource(self.env, capacity=link.communication_ions)
            for edge, link in zip(network.edges, network.links, strict=True)
        }
        self.latency = self._latencies()

    def _latencies(self) -> dict[tuple[int, int], float]:
        g = nx.Graph()
        g.add_nodes_from(range(self.network.num_modules))
        for (a, b), link in zip(self.network.edges, self.network.links, strict=True):
            g.add_edge(a, b, delay=link.fiber_length_m / link_physics.speed_in_fiber_m_per_s(link))
        lengths = dict(nx.all_pairs_dijkstra_path_length(g, weight="delay"))
        return {(a, b): d for a, row in lengths.items() for b, d in row.items()}

    def _memory_slots(self) -> list[int]:
        """Memory ions per module free to hold ebit halves (StoragePolicy.memory_slots or spare data ions)."""
        used: dict[int, set[str]] = defaultdict(set)
        for name in self.program.qubits_used():
            m, kind, _ = parse_qubit(name)
            if kind == "q":
                used[m].add(name)
        spare = [spec.data_qubits - len(used[m]) for m, spec in enumerate(self.network.modules)]
        slots = self.storage.memory_slots
        return [max(0, s) if slots is None else min(slots, max(0, s)) for s in spare]

    def freed_event(self, index: int, qubit: str) -> simpy.Event:
        key = (index, qubit)
        if key not in self.freed:
            self.freed[key] = self.env.event()
        return self.freed[key]

    def bit(self, key: tuple[str, int, int]) -> simpy.Event:
        if key not in self.bits:
            self.bits[key] = self.env.event()
        return self.bits[key]

    def end_event(self, index: int, module: int) -> simpy.Event:
        key = (index, module)
        if key not in self.end:
            self.end[key] = self.env.event()
        return self.end[key]

    def run(self) -> Trace:
        program = self.program
        previous: dict[str, int] = {}
        last_epr: dict[str, int] = {}
        for index, ins in enumerate(program.instructions):
            if ins.op == "EPR":
                self.herald[index] = self.env.event()
                self.claimed[index] = self.env.event()
                before = [(previous.get(q), last_epr.get(q)) for q in ins.qubits]
                self.env.process(self.generate(index, ins, before))
                for q in ins.qubits:
                    last_epr[q] = index
            for q in ins.qubits:
                previous[q] = index
        streams: dict[int, list[int]] = defaultdict(list)
        for index, ins in enumerate(program.instructions):
            for m in self.modules_of(ins):
                streams[m].append(index)
        procs = [self.env.process(self.module(m, stream)) for m, stream in sorted(streams.items())]
        self.env.run()
        stuck = [m for m, p in zip(sorted(streams), procs, strict=True) if p.is_alive]
        if stuck:
            raise ProgramError(
                f"program deadlocks: modules {', '.join(f'm{m}' for m in stuck)} wait for a bit "
                "that is never measured or sent to them"
            )
        return self._trace()

    @staticmethod
    def modules_of(ins: Instruction) -> tuple[int, ...]:
        return (
            tuple(dict.fromkeys(parse_qubit(q)[0] for q in ins.qubits)) if ins.op != "SEND" else ins.modules
        )

    def generate(self, index: int, ins: Instruction, before: list[tuple[int | None, int | None]]) -> Process:
        """Background generation of the ebit of EPR instruction ``index``.

        ``before[k]``: the last instruction on qubit k before this EPR, and the last EPR on it.
        """
        waits: list[simpy.Event] = []
        for (p, epr), q in zip(before, ins.qubits, strict=True):
            if p is None:
                continue
            end = self.end_event(p, parse_qubit(q)[0])
            # a pair swapped into memory frees its communication ion before its users end
            if epr is not None and self.storage.swap_to_memory:
                waits.append(self.env.any_of([end, self.freed_event(epr, q)]))
            else:
                waits.append(end)
        if waits:
            yield self.env.all_of(waits)
        a, b = sorted(parse_qubit(q)[0] for q in ins.qubits)
        link = self.network.link_between(a, b)
        start, attempts, discarded = None, 0, 0
        cutoff = self.storage.cutoff_s
        while True:
            with self.links[(a, b)].request() as request:
                yield request
                began = self.env.now
                start = began if start is None else start
                delay, tries = next_herald_delay_s(link, self.rng)
                attempts += tries
                yield self.env.timeout(delay)
            herald = self.env.now
            self.ops.append(
                TraceOp(f"link m{a}-m{b}", f"attempts x{tries}", began, herald, ins.qubits, "attempts", index)
            )
            memory_s = yield from self.maybe_swap(index, ins, (a, b))
            if memory_s is not None or cutoff is None:
                break
            claimed = self.claimed[index]
            yield self.env.any_of([claimed, self.env.timeout(cutoff)])
            if claimed.triggered:
                break
            discarded += 1
            label = f"discard (unused {cutoff * 1e3:.3g} ms)"
            self.ops.append(
                TraceOp(f"link m{a}-m{b}", label, herald, self.env.now, ins.qubits, "discard", index)
            )
        assert start is not None
        self.ebits[index] = EbitRecord(
            index,
            (ins.qubits[0], ins.qubits[1]),
            (a, b),
            start,
            herald,
            herald,
            attempts,
            memory_s,
            discarded,
        )
        self.herald[index].succeed()

    def maybe_swap(
        self, index: int, ins: Instruction, link: tuple[int, int]
    ) -> Generator[Any, Any, float | None]:
        """Swap both halves into memory ions if the policy asks, a later EPR needs the ions and
        memory is free; returns when the pair is in memory (None: no swap)."""
        modules = [parse_qubit(q)[0] for q in ins.qubits]
        wanted = self.storage.swap_to_memory and any((index, q) in self.next_epr for q in ins.qubits)
        if not wanted or any(self.memory_free[m] <= 0 for m in modules):
            return None
        for m in modules:
            self.memory_free[m] -= 1
        begin = self.env.now
        yield self.env.timeout(max(self.network.modules[m].swap_time_s for m in modules))
        for q, m in zip(ins.qubits, modules, strict=True):
            self.ops.append(TraceOp(f"m{m}", f"SWAP {q} -> memory", begin, self.env.now, (q,), "swap", index))
            self.freed_event(index, q).succeed()
            self.env.process(self.release_memory(index, q, m))
        return self.env.now

    def release_memory(self, index: int, qubit: str, module: int) -> Process:
        """The memory ion holding EPR ``index``'s half on ``qubit`` is free after its last use."""
        last = self.last_use.get((index, qubit))
        if last is not None:
            yield self.end_event(last, module)
        self.memory_free[module] += 1

    def module(self, m: int, stream: list[int]) -> Process:
        """Module ``m`` executing its instructions in program order."""
        env = self.env
        for index in stream:
            ins = self.program.instructions[index]
            for key in self.reads[index]:
                if key[1] == m:
                    yield self.bit(key)
            if ins.op == "EPR":
                if not self.claimed[index].triggered:
                    self.claimed[index].succeed()
                yield self.herald[index]
                self.consumed[index].append(env.now)
            elif ins.op == "SEND":
                env.process(self.send(index, ins))
            elif ins.op != "BARRIER":
                start = env.now
                yield env.timeout(self.duration(ins, m))
                kind = {"MEASURE": "measure", "RESET": "reset"}.get(ins.op, "gate")
                self.ops.append(TraceOp(f"m{m}", str(ins), start, env.now, ins.qubits, kind, index))
                if ins.op == "MEASURE":
                    self.bit(self.writes[index][0]).succeed()
            self.end_event(index, m).succeed()

    def send(self, index: int, ins: Instruction) -> Process:
        assert ins.route is not None
        src, dst = ins.route
        start = self.env.now
        yield self.env.timeout(self.latency.get((src, dst), float("inf")) if src != dst else 0.0)
        self.ops.append(TraceOp(f"m{src}", str(ins), start, self.env.now, (), "send", index))
        for key in self.writes[index]:
            self.bit(key).succeed()

    def duration(self, ins: Instruction, m: int) -> float:
        spec = self.network.modules[m]
        if ins.op == "MEASURE":
            return spec.measurement_time_s
        if ins.op == "RESET":
            return spec.reset_time_s
        kinds = tuple(parse_qubit(q)[1] for q in ins.qubits)
        return self.noise[m].gate(ins.op, kinds)[0]

    def _trace(self) -> Trace:
        ebits = []
        for index, record in sorted(self.ebits.items()):
            consumed = max(self.consumed.get(index, [record.herald_s]))
            ebits.append(
                EbitRecord(
                    record.index,
                    record.qubits,
                    record.link,
                    record.start_s,
                    record.herald_s,
                    consumed,
                    record.attempts,
                    record.memory_s,
                    record.discarded,
                )
            )
        ops = sorted(self.ops, key=lambda op: (op.start_s, op.index))
        by_index: dict[int, list[TraceOp]] = defaultdict(list)
        for op in ops:
            by_index[op.index].append(op)
        return Trace(ops, ebits, self.network.num_modules, dict(by_index))


def _storage_lookahead(
    program: DistributedProgram,
) -> tuple[set[tuple[int, str]], dict[tuple[int, str], int]]:
    """(EPR, ion) pairs whose ion a later EPR uses, and the last use of each EPR's half.

    The last use of the half EPR ``i`` left on ``q`` is the last instruction on ``q`` before the
    next EPR on ``q`` (or the program's end).
    """
    next_epr: set[tuple[int, str]] = set()
    last_use: dict[tuple[int, str], int] = {}
    current: dict[str, int] = {}
    for index, ins in enumerate(program.instructions):
        for q in ins.qubits:
            if ins.op == "EPR":
                if q in current:
                    next_epr.add((current[q], q))
                current[q] = index
            elif q in current:
                last_use[(current[q], q)] = index
    return next_epr, last_use


def schedule(program: DistributedProgram, network: NetworkSpec, rng: np.random.Generator) -> Trace:
    """Run the timing pass: every instruction's start and end, every ebit's herald.

    Args:
        program: The compiled program.
        network: The network it runs on (must fit: see :func:`check_fits`).
        rng: Source of the link layer's herald-time draws.

    Returns:
        The Trace (operations per module lane, attempts per link lane, ebit records).

    Raises:
        NetworkError: The program does not fit the network, or a link never heralds.
        ProgramError: The program deadlocks (a bit is read where it never arrives).
    """
    check_fits(program, network)
    return _Timing(program, network, rng).run()
