"""``transpile(qc, backend)``: only Target operations, the same unitary, clusters kept on modules."""

from __future__ import annotations

import numpy as np
import pytest
from qiskit import QuantumCircuit, transpile
from qiskit.circuit.library import QFTGate, quantum_volume
from qiskit.circuit.random import random_circuit
from qiskit.quantum_info import Operator

from ionnet.hardware import load_network
from ionnet.qiskit import IonnetBackend


def _ghz(n: int) -> QuantumCircuit:
    qc = QuantumCircuit(n)
    qc.h(0)
    for i in range(n - 1):
        qc.cx(i, i + 1)
    return qc


def _qft(n: int) -> QuantumCircuit:
    qc = QuantumCircuit(n)
    qc.append(QFTGate(n), range(n))
    return qc


CIRCUITS = {
    "ghz6": lambda: _ghz(6),
    "qft5": lambda: _qft(5),
    "qv4": lambda: quantum_volume(4, seed=3),
    "qv6": lambda: quantum_volume(6, depth=3, seed=5),
    "random5": lambda: random_circuit(5, 6, max_operands=2, seed=7),
    "random6": lambda: random_circuit(6, 5, max_operands=3, seed=8),
    "u3cx": lambda: transpile(_qft(4), basis_gates=["u3", "cx"], optimization_level=0),
}


def _only_target_operations(tq: QuantumCircuit, backend: IonnetBackend) -> None:
    for ins in tq.data:
        qargs = tuple(tq.find_bit(q).index for q in ins.qubits)
        name = ins.operation.name
        assert name == "barrier" or backend.target.instruction_supported(name, qargs), (name, qargs)


@pytest.mark.parametrize("name", sorted(CIRCUITS))
def test_transpiled_circuit_uses_the_target_and_is_equivalent(name, ideal_2x3):
    qc = CIRCUITS[name]()
    tq = transpile(qc, ideal_2x3, seed_transpiler=1)
    _only_target_operations(tq, ideal_2x3)
    padded = QuantumCircuit(tq.num_qubits)
    padded.compose(qc, range(qc.num_qubits), inplace=True)
    assert Operator.from_circuit(tq).equiv(Operator(padded))


def _two_clusters(size: int, seed: int) -> tuple[QuantumCircuit, list[list[int]]]:
    """Two interleaved groups of ``size`` qubits, each interacting densely only inside itself."""
    rng = np.random.default_rng(seed)
    clusters = [list(range(0, 2 * size, 2)), list(range(1, 2 * size, 2))]
    qc = QuantumCircuit(2 * size)
    for _ in range(6 * size):
        group = clusters[int(rng.integers(2))]
        a, b = rng.choice(group, 2, replace=False)
        qc.cx(int(a), int(b))
        qc.ry(float(rng.uniform(0, np.pi)), int(b))
    return qc, clusters


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_default_pass_manager_lays_each_cluster_on_one_module(seed):
    backend = IonnetBackend(load_network("default").with_modules(2, capacity=4))
    qc, clusters = _two_clusters(4, seed)
    trivial = [
        ins for ins in qc.data if len({backend.module_of(qc.find_bit(q).index) for q in ins.qubits}) > 1
    ]
    assert trivial  # the identity layout would split every cluster
    tq = transpile(qc, backend, seed_transpiler=seed)
    two_qubit = [ins for ins in tq.data if ins.operation.num_qubits == 2]
    cross = [
        ins for ins in two_qubit if len({backend.module_of(tq.find_bit(q).index) for q in ins.qubits}) > 1
    ]
    assert two_qubit and not cross
    layout = tq.layout.initial_index_layout()
    for group in clusters:
        assert len({backend.module_of(layout[q]) for q in group}) == 1


def test_cluster_layout_on_a_three_module_machine():
    backend = IonnetBackend(load_network("default").with_modules(3, capacity=3))
    rng = np.random.default_rng(4)
    clusters = [[0, 3, 6], [1, 4, 7], [2, 5, 8]]
    qc = QuantumCircuit(9)
    for _ in range(30):
        a, b = rng.choice(clusters[int(rng.integers(3))], 2, replace=False)
        qc.cx(int(a), int(b))
    tq = transpile(qc, backend, seed_transpiler=4)
    cross = sum(
        1
        for ins in tq.data
        if ins.operation.num_qubits == 2
        and len({backend.module_of(tq.find_bit(q).index) for q in ins.qubits}) > 1
    )
    assert cross == 0
