"""The compiler pipeline: small passes composed in plain sight.

::

    circuit --load_circuit--> LogicalCircuit
            --MetisPlacement.place--> initial placement (qubit -> module)
            (--PlacementSearch.better--> a placement with fewer ebits by the gate-placement
             integer program, if found; it goes through the passes below too)
            for each Strategy:
                --QubitTeleporter.insert (or none)--> Plan with teleports
            (drop strategies whose quick greedy bound is far above the best)
                --PacketGatePlacer.candidates--> execution modules of the remote gates,
                                                 a few candidates with estimated ebits
            --ProgramEmitter.emit--> DistributedProgram (routing, comm-ion scheduling),
                                     cheapest estimate first, until no estimate can win

>>> from qiskit import QuantumCircuit
>>> from ionnet.hardware.network import load_network
>>> qc = QuantumCircuit(4)
>>> _ = qc.h(0); _ = qc.cx(0, 1); _ = qc.cx(1, 2); _ = qc.cx(2, 3)
>>> result = compile_circuit(qc, load_network("default").with_modules(2, capacity=2))
>>> result.program.cost().ebits
1
"""

from __future__ import annotations

import dataclasses
import itertools
import time
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
from qiskit import QuantumCircuit

from ionnet.compiler.circuit_input import LogicalCircuit, load_circuit
from ionnet.compiler.emit import ProgramEmitter
from ionnet.compiler.placement import MetisPlacement
from ionnet.compiler.placement_search import PlacementSearch
from ionnet.compiler.plan import Plan
from ionnet.compiler.program import DistributedProgram
from ionnet.compiler.remote import (
    ModuleInfo,
    PacketGatePlacer,
    greedy_cover,
    share_cost,
    teleport_ebits,
)
from ionnet.compiler.teleport import QubitTeleporter
from ionnet.compiler.timing import TimingModel
from ionnet.errors import NetworkError
from ionnet.hardware.network import NetworkSpec


def module_info(network: NetworkSpec) -> ModuleInfo:
    """Capacities, communication ions, hop distances and shortest paths of ``network``."""
    network.require_connected()
    graph = network.graph()
    paths = {
        (a, b): tuple(nx.shortest_path(graph, a, b))
        for a, b in itertools.permutations(range(network.num_modules), 2)
    }
    distance = tuple(
        tuple(0 if a == b else len(paths[(a, b)]) - 1 for b in range(network.num_modules))
        for a in range(network.num_modules)
    )
    return ModuleInfo(
        capacities=tuple(m.data_qubits for m in network.modules),
        communication_ions=tuple(m.communication_ions for m in network.modules),
        distance=distance,
        paths=paths,
        timing=TimingModel.from_network(network),
    )


@dataclass(frozen=True)
class Strategy:
    """One way through the remote-operation passes (the emitter is shared by all)."""

    name: str
    teleporter: QubitTeleporter | None = None
    placer: PacketGatePlacer = field(default_factory=PacketGatePlacer)
    emitter: ProgramEmitter = field(default_factory=ProgramEmitter)

    def plan(self, circuit: LogicalCircuit, placement: list[int], info: ModuleInfo) -> Plan | None:
        """The plan with teleports (or without); None when the teleporter inserts nothing."""
        if self.teleporter is None:
            return Plan.static(circuit, placement)
        plan = self.teleporter.insert(circuit, placement, info)
        return plan if plan.num_teleports() else None

    def candidates(self, plan: Plan, info: ModuleInfo) -> list[tuple[int, Plan]]:
        """The placer's candidate plans with their estimated ebits."""
        return self.placer.candidates(plan, info)


def quick_estimate(plan: Plan, info: ModuleInfo) -> int:
    """Ebits of the plan's teleports plus a greedy cover of its remote gates (an upper bound)."""
    remote = [i for i, s in enumerate(plan.steps) if s.is_remote_gate()]
    return teleport_ebits(plan, info) + share_cost(plan, greedy_cover(plan, remote, info), info)


DEFAULT_STRATEGIES = (
    Strategy("packets"),
    Strategy("teleport", QubitTeleporter()),
    Strategy("teleport-far", QubitTeleporter(lookahead=8)),
    Strategy("teleport-near", QubitTeleporter(lookahead=2, future_weight=0.3)),
)


@dataclass(frozen=True)
class CompileResult:
    """A compiled program with how it was made."""

    program: DistributedProgram
    strategy: str
    compile_s: float
    seed: int
    ebits_with_unlimited_comm_ions: int | None = None
    makespan_estimate_s: float | None = None
    makespan_lower_bound_s: float | None = None

    def summary(self) -> dict[str, object]:
        """The fields of ``ionnet compile --json``."""
        cost = self.program.cost()
        return {
            "ebits": cost.ebits,
            "ebits_with_unlimited_comm_ions": self.ebits_with_unlimited_comm_ions,
            "makespan_estimate_s": self.makespan_estimate_s,
            "makespan_lower_bound_s": self.makespan_lower_bound_s,
            "remote_gates": cost.remote_gates,
            "teleported_qubits": cost.teleported_qubits,
            "depth": cost.depth,
            "modules": self.program.num_modules,
            "qubits": self.program.num_qubits,
            "placement": self.program.placement,
            "strategy": self.strategy,
            "seed": self.seed,
            "compile_s": self.compile_s,
        }


@dataclass(frozen=True)
class Compiler:
    """Placement, then every strategy; the program with the fewest ebits wins.

    Strategies whose quick greedy bound is far above the best one's skip the costlier search.
    When ``search`` finds a placement with fewer packet ebits (``PlacementSearch.better``), that
    one goes through the strategies too and the cheaper program wins.
    """

    placement: MetisPlacement
    strategies: tuple[Strategy, ...] = DEFAULT_STRATEGIES
    prefilter: float = 1.5  # strategies whose greedy bound exceeds this x the best are dropped
    search: PlacementSearch | None = field(default_factory=PlacementSearch)

    def compile(self, circuit: LogicalCircuit, network: NetworkSpec) -> tuple[DistributedProgram, str]:
        """The cheapest program over the placements and strategies, and the winning strategy's name."""
        program, strategy, _ = self.compile_placements(circuit, network)
        return program, strategy

    def compile_placements(
        self, circuit: LogicalCircuit, network: NetworkSpec
    ) -> tuple[DistributedProgram, str, list[list[int]]]:
        """``compile``, and the placements it compiled (the first, then the search's, if any)."""
        info = module_info(network)
        if circuit.num_qubits > sum(info.capacities):
            raise NetworkError(
                f"circuit has {circuit.num_qubits} qubits but network '{network.name}' holds only "
                f"{sum(info.capacities)} ({network.num_modules} modules)"
            )
        placement = self.placement.place(circuit, list(info.capacities))
        best = self._compile_placement(circuit, placement, info, None)
        alternative = (
            None if self.search is None else self.search.better(circuit, placement, info, self.placement)
        )
        if alternative is None:
            return (*best, [placement])
        best = self._compile_placement(circuit, alternative, info, best)
        return (*best, [placement, alternative])

    def ebits_on(self, circuit: LogicalCircuit, network: NetworkSpec, placements: list[list[int]]) -> int:
        """Fewest ebits over the strategies from these placements on ``network`` (no new search).

        Only the count matters here, so emission skips the orders for time (the timing model).
        """
        info = dataclasses.replace(module_info(network), timing=None)
        best = None
        for placement in placements:
            best = self._compile_placement(circuit, placement, info, best)
        assert best is not None
        return best[0].cost().ebits

    def _compile_placement(
        self,
        circuit: LogicalCircuit,
        placement: list[int],
        info: ModuleInfo,
        best: tuple[DistributedProgram, str] | None,
    ) -> tuple[DistributedProgram, str]:
        """The cheapest program from ``placement`` over the strategies, or ``best`` if cheaper."""
        plans = [(p, s) for s in self.strategies if (p := s.plan(circuit, placement, info)) is not None]
        quick = [quick_estimate(p, info) for p, _ in plans]
        options = [
            (estimate, order, candidate, strategy)
            for (plan, strategy), bound in zip(plans, quick, strict=True)
            if bound <= self.prefilter * min(quick)
            for order, (estimate, candidate) in enumerate(strategy.candidates(plan, info))
        ]
        for estimate, _, plan, strategy in sorted(options, key=lambda o: o[:2]):
            if best is not None and estimate >= best[0].cost().ebits:
                break  # emission never spends fewer ebits than the estimate
            program = strategy.emitter.emit(plan, info)
            if best is None or _better(program, best[0], info):
                best = (program, strategy.name)
        assert best is not None
        return best


def _better(program: DistributedProgram, than: DistributedProgram, info: ModuleInfo) -> bool:
    """Fewer ebits, or as many and a shorter mean makespan (sampled herald times)."""
    ebits, other = program.cost().ebits, than.cost().ebits
    if ebits != other or info.timing is None:
        return ebits < other
    return info.timing.sampled_mean(program) < info.timing.sampled_mean(than)


def compile_circuit(
    source: QuantumCircuit | str | Path, network: NetworkSpec, *, seed: int = 0
) -> CompileResult:
    """Compile a circuit (QuantumCircuit, QASM file or text) for ``network``.

    Raises:
        CircuitError: the circuit cannot be read or lowered.
        NetworkError: it does not fit the network, or the network is not connected (or a
            relay module of a non-linked pair has fewer than 2 communication ions).
    """
    start = time.perf_counter()
    circuit = load_circuit(source)
    compiler = Compiler(MetisPlacement(seed=seed))
    program, strategy, placements = compiler.compile_placements(circuit, network)
    program.validate(network)  # a compiler bug would surface here, not in the runtime
    unlimited = unlimited_comm_ions(network, circuit.num_qubits)
    ebits = program.cost().ebits
    if unlimited is not network:  # the same placements, every share held as long as it is used
        ebits = min(ebits, compiler.ebits_on(circuit, unlimited, placements))
    timing = TimingModel.from_network(network)
    return CompileResult(
        program,
        strategy,
        time.perf_counter() - start,
        seed,
        ebits_with_unlimited_comm_ions=ebits,
        makespan_estimate_s=timing.sampled_mean(program, ESTIMATE_SAMPLES),
        makespan_lower_bound_s=timing.lower_bound(program),
    )


ESTIMATE_SAMPLES = 32
"""Sampled replays behind ``makespan_estimate_s`` (``TimingModel.sampled_mean``)."""


def unlimited_comm_ions(network: NetworkSpec, num_qubits: int) -> NetworkSpec:
    """``network`` with at least ``num_qubits`` communication ions per module (itself if it has).

    With that many, every share a program could hold at once fits, so no share is ever closed
    early and reopened: the ebits a compile spends there are what more communication ions buy.

    >>> from ionnet.hardware.network import load_network
    >>> unlimited_comm_ions(load_network("default"), 4).modules[0].communication_ions
    4
    """
    if all(m.communication_ions >= num_qubits for m in network.modules):
        return network
    modules = tuple(
        dataclasses.replace(m, communication_ions=max(m.communication_ions, num_qubits))
        for m in network.modules
    )
    return dataclasses.replace(network, modules=modules)
