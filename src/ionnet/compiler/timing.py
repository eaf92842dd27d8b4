"""The compiler's timing model: how long a DistributedProgram takes on its network.

Built from the network alone (``hardware``): gate, measurement and reset durations of each
module, the mean time one communication-ion pair needs for a heralded ebit (the inverse of the
per-pair rate of :func:`ionnet.hardware.link_physics.rate_hz`, REFERENCES §3.2), how many pairs
each link and each module can run at once, and the fibre latency of classical messages.

The model is the runtime's (``ionnet.runtime.timing``), with mean herald times instead of
sampled ones: each module runs its instructions in program order, one at a time; Rz-type gates
are virtual (no time); an ebit is generated in the background as soon as both its communication
ions are free (their previous instruction has ended) and the link has a free pair; a module
waits at an EPR only if the ebit has not heralded; a SEND takes the fibre latency and does not
occupy its module.

- ``TimingModel.estimate`` replays a program under that model (``makespan_estimate_s``);
- ``TimingModel.lower_bound`` is what no schedule of the program can beat on average
  (``makespan_lower_bound_s``): the busiest module's serial operation time, the busiest link's
  ebits / (rate per pair x pairs), and the busiest module's ebits / (rate per pair x its
  communication ions), since one ion takes part in one ebit at a time.

>>> from ionnet.compiler.program import DistributedProgram
>>> from ionnet.hardware.network import load_network
>>> model = TimingModel.from_network(load_network("default"))
>>> round(model.ebit_time_s[(0, 1)] * 1e3, 2)  # one pair: about 230 ebits per second
4.35
>>> p = DistributedProgram.from_text("EPR m0.c0 m1.c0\\nCX m0.q0 m0.c0\\nMEASURE m0.c0 -> t0")
>>> model.estimate(p) >= model.lower_bound(p) > 0.0043
True
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import networkx as nx
import numpy as np

from ionnet.compiler.program import DistributedProgram, Instruction, parse_qubit
from ionnet.hardware import link_physics
from ionnet.hardware.network import NetworkSpec

VIRTUAL_GATES = frozenset({"I", "Z", "S", "SDG", "T", "TDG", "RZ"})
"""Frame updates on a trapped-ion module: no time (as the runtime's noise model)."""
ZZ_GATES = frozenset({"RZZ", "ZZ"})


@dataclass(frozen=True)
class ModuleTimes:
    """Durations on one module (seconds)."""

    single_qubit_s: float
    two_qubit_s: float
    zz_s: float
    swap_comm_s: float
    measure_s: float
    reset_s: float
    communication_ions: int


@dataclass(frozen=True)
class TimingModel:
    """Durations, ebit times, pairs and latencies of a network.

    Attributes:
        modules: Per-module durations and communication ions.
        ebit_time_s: Link (a, b), a < b -> mean time of one heralded ebit on one pair.
        pairs: Link -> communication-ion pairs that can attempt at once.
        latency_s: (a, b) -> fibre latency of a classical message (shortest fibre path).
    """

    modules: tuple[ModuleTimes, ...]
    ebit_time_s: dict[tuple[int, int], float]
    pairs: dict[tuple[int, int], int]
    latency_s: dict[tuple[int, int], float]
    herald: dict[tuple[int, int], tuple[float, float, float]] = field(default_factory=dict)
    """Link -> (success probability per attempt, attempt period, herald latency) for sampling."""

    @classmethod
    def from_network(cls, network: NetworkSpec) -> TimingModel:
        """The model of ``network`` (hardware parameters and link physics)."""
        modules = tuple(
            ModuleTimes(
                m.single_qubit_gate_time_s,
                m.two_qubit_gate_time_s,
                m.zz_gate_time_s,
                m.swap_time_s,
                m.measurement_time_s,
                m.reset_time_s,
                m.communication_ions,
            )
            for m in network.modules
        )
        ebit, pairs, herald = {}, {}, {}
        graph = nx.Graph()
        graph.add_nodes_from(range(network.num_modules))
        for (a, b), link in zip(network.edges, network.links, strict=True):
            rate = link_physics.rate_hz(link)
            k = min(link.communication_ions, modules[a].communication_ions, modules[b].communication_ions)
            ebit[(a, b)] = link.communication_ions / rate if rate > 0 else float("inf")
            pairs[(a, b)] = max(1, k)
            period = link_physics.attempt_interval_s(link) / link.duty_cycle
            herald[(a, b)] = (link_physics.p_success(link), period, link_physics.herald_latency_s(link))
            graph.add_edge(a, b, delay=link.fiber_length_m / link_physics.speed_in_fiber_m_per_s(link))
        lengths = dict(nx.all_pairs_dijkstra_path_length(graph, weight="delay"))
        latency = {(a, b): d for a, row in lengths.items() for b, d in row.items()}
        return cls(modules, ebit, pairs, latency, herald)

    def duration(self, ins: Instruction, module: int) -> float:
        """Time ``ins`` occupies ``module`` (EPR, SEND and BARRIER: none)."""
        t = self.modules[module]
        if ins.op == "MEASURE":
            return t.measure_s
        if ins.op == "RESET":
            return t.reset_s
        if ins.op in ("EPR", "SEND", "BARRIER") or ins.op in VIRTUAL_GATES:
            return 0.0
        if len(ins.qubits) == 1:
            return t.single_qubit_s
        if ins.op == "SWAP":
            on_comm = any(parse_qubit(q)[1] == "c" for q in ins.qubits)
            return t.swap_comm_s if on_comm else 3 * t.two_qubit_s
        return t.zz_s if ins.op in ZZ_GATES else t.two_qubit_s

    def link_of(self, ins: Instruction) -> tuple[int, int]:
        """The link an EPR instruction uses."""
        a, b = sorted(parse_qubit(q)[0] for q in ins.qubits)
        return a, b

    def lower_bound(self, program: DistributedProgram) -> float:
        """Mean makespan no schedule of ``program`` can beat (see the module docstring)."""
        busy: dict[int, float] = defaultdict(float)
        link_time: dict[tuple[int, int], float] = defaultdict(float)
        ion_time: dict[int, float] = defaultdict(float)
        for ins in program.instructions:
            if ins.op == "EPR":
                link = self.link_of(ins)
                link_time[link] += self.ebit_time_s[link] / self.pairs[link]
                for m in link:
                    ion_time[m] += self.ebit_time_s[link] / max(1, self.modules[m].communication_ions)
            elif ins.op != "SEND":
                m = parse_qubit(ins.qubits[0])[0]
                busy[m] += self.duration(ins, m)
        return max(itertools.chain(busy.values(), link_time.values(), ion_time.values()), default=0.0)

    def estimate(self, program: DistributedProgram) -> float:
        """Makespan of ``program`` under the model with mean herald times."""
        replay = Replay(self)
        for ins in program.instructions:
            replay.feed(ins)
        return replay.end

    def sampled_mean(self, program: DistributedProgram, samples: int = 16, seed: int = 0) -> float:
        """Mean makespan over ``samples`` replays with herald times drawn as the runtime does.

        The number of attempts to a herald is geometric in the link's success probability
        (REFERENCES §3.2); the k-th EPR of every program gets the k-th draw of a replay, so two
        programs compared at one seed see the same link luck (common random numbers).
        """
        ebits = sum(1 for ins in program.instructions if ins.op == "EPR")
        rng = np.random.default_rng(seed)
        total = 0.0
        for _ in range(samples):
            replay = Replay(self, self._sampler(iter(rng.random(ebits).tolist())))
            for ins in program.instructions:
                replay.feed(ins)
            total += replay.end
        return total / samples

    def _sampler(self, uniforms: Iterator[float]) -> Callable[[tuple[int, int]], float]:
        return lambda link: self._draw(link, next(uniforms))

    def _draw(self, link: tuple[int, int], u: float) -> float:
        p, period, latency = self.herald.get(link, (0.0, 0.0, 0.0))
        if not 0.0 < p < 1.0:
            return self.ebit_time_s[link]
        attempts = max(1, math.ceil(math.log1p(-u) / math.log1p(-p)))  # geometric by inversion
        return (attempts - 1) * period + latency


class Replay:
    """Replay of a program in program order, one instruction at a time (``TimingModel.estimate``).

    ``module_free``, ``qubit_end`` and ``slots`` tell when a module, an ion and a link's pairs are
    next free; the emitter reads them to order what it writes next.
    """

    def __init__(self, model: TimingModel, delay: Callable[[tuple[int, int]], float] | None = None):
        self.model = model
        self.delay = delay or (lambda link: model.ebit_time_s[link])
        self.module_free: dict[int, float] = defaultdict(float)
        self.qubit_end: dict[str, float] = defaultdict(float)
        self.bit_at: dict[tuple[str, int], float] = {}
        self.slots: dict[tuple[int, int], list[float]] = {link: [0.0] * k for link, k in model.pairs.items()}
        self.end = 0.0

    def feed(self, ins: Instruction) -> None:
        """Advance the replay by one instruction."""
        if ins.op == "EPR":
            self._epr(ins)
        elif ins.op == "SEND":
            self._send(ins)
        else:
            self._op(ins)

    def herald_estimate(self, a: str, b: str) -> float:
        """When an EPR between ions ``a`` and ``b`` would herald if requested now."""
        link = tuple(sorted((parse_qubit(a)[0], parse_qubit(b)[0])))
        ready = max(self.qubit_end[a], self.qubit_end[b], self.slots[link][0])  # type: ignore[index]
        return ready + self.model.ebit_time_s[link]  # type: ignore[index]

    def _epr(self, ins: Instruction) -> None:
        link = self.model.link_of(ins)
        ready = max(self.qubit_end[q] for q in ins.qubits)
        slots = self.slots[link]
        start = max(ready, heapq.heappop(slots))
        herald = start + self.delay(link)
        heapq.heappush(slots, herald)
        for q in ins.qubits:
            m = parse_qubit(q)[0]
            self.module_free[m] = max(self.module_free[m], herald)
            self.qubit_end[q] = self.module_free[m]
        self.end = max(self.end, herald)

    def _send(self, ins: Instruction) -> None:
        assert ins.route is not None
        src, dst = ins.route
        at = max([self.module_free[src], *(self.bit_at.get((b, src), 0.0) for b in ins.bits + ins.condition)])
        self.module_free[src] = at
        arrive = at + (self.model.latency_s.get((src, dst), 0.0) if src != dst else 0.0)
        for b in ins.bits:
            self.bit_at[(b, dst)] = arrive
        self.end = max(self.end, arrive)

    def _op(self, ins: Instruction) -> None:
        if not ins.qubits:
            return
        m = parse_qubit(ins.qubits[0])[0]
        start = max([self.module_free[m], *(self.bit_at.get((b, m), 0.0) for b in ins.condition)])
        end = start + self.model.duration(ins, m)
        self.module_free[m] = end
        for q in ins.qubits:
            self.qubit_end[q] = end
        if ins.op == "MEASURE":
            self.bit_at[(ins.bits[0], m)] = end
        self.end = max(self.end, end)
