"""Placement search: alternatives judged by the exact gate placement, compiled and executed."""

from __future__ import annotations

from collections import Counter

from program_executor import StimExecutor
from test_clifford_scale import network, random_clifford_input, reference

from ionnet.compiler import families
from ionnet.compiler.circuit_input import load_circuit
from ionnet.compiler.pipeline import Compiler, module_info
from ionnet.compiler.placement import MetisPlacement
from ionnet.compiler.placement_search import PlacementSearch, packet_ebits


def test_search_finds_fewer_ebits_and_the_program_is_exact():
    qc = random_clifford_input(10, seed=3).compose(families.cz_fraction(10, depth=12, seed=4))
    circuit, net = load_circuit(qc), network(5, 2)
    info = module_info(net)
    placement = MetisPlacement(seed=0).place(circuit, [2] * 5)
    better = PlacementSearch().better(circuit, placement, info, MetisPlacement(seed=0))
    assert better is not None
    assert max(Counter(better).values()) <= 2
    before, after = packet_ebits(circuit, placement, info, 5.0), packet_ebits(circuit, better, info, 5.0)
    assert before is not None and after is not None and after < before

    program = Compiler(MetisPlacement(seed=0)).compile(circuit, net)[0]
    unsearched = Compiler(MetisPlacement(seed=0), search=None).compile(circuit, net)[0]
    # the searched placement is compiled too; here a teleport strategy from the first placement
    # ties with it (since the canonical form of issue 9), so the program is never worse
    assert program.cost().ebits <= unsearched.cost().ebits
    for branch in range(2):
        executor = StimExecutor(program, seed=branch)
        sim = executor.run()
        axis = {q: executor.axis[slot] for q, slot in program.final_placement.items()}
        assert sim.canonical_stabilizers() == reference(qc, axis, len(executor.names)).canonical_stabilizers()
    assert program.cost().ebits == sum(1 for ins in program.instructions if ins.op == "EPR")


def test_search_returns_only_strictly_better_placements():
    found = 0
    for seed in range(6):
        circuit = load_circuit(families.cz_fraction(10, depth=12, seed=seed))
        info = module_info(network(5, 2))
        placement = MetisPlacement(seed=0).place(circuit, [2] * 5)
        better = PlacementSearch().better(circuit, placement, info, MetisPlacement(seed=0))
        if better is not None:
            found += 1
            after = packet_ebits(circuit, better, info, 5.0)
            before = packet_ebits(circuit, placement, info, 5.0)
            assert after is not None and before is not None and after < before
    assert found >= 1


def test_no_search_without_remote_gates():
    circuit = load_circuit(families.cz_fraction(4, depth=4, seed=0))
    info = module_info(network(1, 4))
    assert PlacementSearch().better(circuit, [0] * 4, info, MetisPlacement()) is None
