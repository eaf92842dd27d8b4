"""Mt-KaHyPar placement candidates: capacities, determinism, and the structure they find."""

from __future__ import annotations

from collections import Counter

import numpy as np

from ionnet.compiler import families
from ionnet.compiler.circuit_input import LogicalCircuit, Op, load_circuit
from ionnet.compiler.pipeline import module_info
from ionnet.compiler.placement import (
    MetisPlacement,
    gate_hypergraph,
    kahypar_alternatives,
    kahypar_partitions,
    two_qubit_gates,
)
from ionnet.compiler.placement_search import PlacementSearch
from ionnet.hardware.network import load_network


def clustered(groups: int, size: int, gates: int, seed: int = 0) -> LogicalCircuit:
    """Random CZ/H circuit whose qubits interact only inside their group (shuffled labels)."""
    rng = np.random.default_rng(seed)
    labels = rng.permutation(groups * size)
    ops = []
    for _ in range(gates):
        g = int(rng.integers(groups))
        a, b = rng.choice(size, 2, replace=False)
        ops.append(Op("CZ", (int(labels[g * size + a]), int(labels[g * size + b]))))
        ops.append(Op("H", (int(labels[g * size + a]),)))
    return LogicalCircuit(groups * size, 0, tuple(ops))


def test_hypergraph_has_a_qubit_and_its_gates_per_run():
    c = LogicalCircuit(3, 0, (Op("CZ", (0, 1)), Op("CZ", (0, 2)), Op("H", (0,)), Op("CZ", (0, 1))))
    edges = sorted(map(sorted, gate_hypergraph(c)))
    # runs: q0 before H (gates 0, 1), q0 after H (gate 2), q1 (gates 0, 2), q2 (gate 1)
    assert edges == [[0, 3, 4], [0, 5], [1, 3, 5], [2, 4]]


def test_partitions_respect_capacity_and_seed():
    circuit = load_circuit(families.cz_fraction(24, depth=10))
    capacities = [8, 8, 8]
    first = list(kahypar_partitions(circuit, capacities, [1, 2]))
    again = list(kahypar_partitions(circuit, capacities, [1, 2]))
    assert first == again
    for part in first:
        assert len(part) == 24 and max(Counter(part).values()) <= 8


def test_partition_finds_the_clusters():
    circuit = clustered(groups=3, size=5, gates=60)
    part = next(kahypar_partitions(circuit, [5, 5, 5], [7]))
    for a, b, _, _ in two_qubit_gates(circuit):
        assert part[a] == part[b]


def test_search_takes_a_kahypar_placement_that_saves_ebits():
    circuit = clustered(groups=2, size=6, gates=50, seed=3)
    info = module_info(load_network("default").with_modules(2, capacity=6))
    mixed = [q % 2 for q in range(12)]  # a bad start: every cluster split
    better = PlacementSearch(alternatives=0).better(circuit, mixed, info, MetisPlacement(seed=0))
    assert better is not None
    assert all(better[a] == better[b] for a, b, _, _ in two_qubit_gates(circuit))
    assert len(list(kahypar_alternatives(circuit, [6, 6], 2, seed=0))) >= 1
