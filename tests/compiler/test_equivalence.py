"""Compiled programs, run by an independent executor, give the original circuit's state.

Each circuit also arrives in one of the four gate sets of ``gate_sets.GATE_SETS`` (as Qiskit's
``transpile`` leaves it), and the compiled program must still give the *original* circuit's state
and validate against its network; ``slow`` runs every case in every gate set.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from gate_sets import NAMES, in_gate_set
from program_executor import StatevectorExecutor, equal_up_to_phase
from qiskit import QuantumCircuit
from qiskit.circuit.random import random_circuit
from qiskit.quantum_info import Statevector
from reference_sim import reference_state

from ionnet.compiler import families
from ionnet.compiler.circuit_input import load_circuit
from ionnet.compiler.pipeline import Compiler, Strategy, compile_circuit
from ionnet.compiler.placement import MetisPlacement
from ionnet.compiler.teleport import QubitTeleporter
from ionnet.hardware.network import NetworkSpec, load_network


def network(modules: int, capacity: int, comm: int = 2, topology: str = "all_to_all") -> NetworkSpec:
    base = load_network("default").with_modules(modules, capacity)
    module = dataclasses.replace(base.modules[0], communication_ions=comm)
    spec = dataclasses.replace(base, modules=(module,) * modules)
    if topology == "chain":
        edges = tuple((i, i + 1) for i in range(modules - 1))
        spec = dataclasses.replace(spec, edges=edges, links=(spec.link,) * len(edges), topology="chain")
    return spec


def with_random_input(qc: QuantumCircuit, seed: int = 0) -> QuantumCircuit:
    """``qc`` preceded by a random single-qubit rotation on every qubit (so |0> hides no error)."""
    rng = np.random.default_rng(seed)
    out = QuantumCircuit(qc.num_qubits, qc.num_clbits)
    for q in range(qc.num_qubits):
        out.u(*rng.uniform(0, 2 * np.pi, 3), q)
    return out.compose(qc)


def assert_equivalent(qc: QuantumCircuit, program, seeds=(0, 1), network: NetworkSpec | None = None) -> None:
    if network is not None:
        assert program.is_valid(network)
    expected = Statevector(qc).data
    for seed in seeds:
        psi, _, _ = StatevectorExecutor(program, seed).run()
        assert equal_up_to_phase(psi, expected), f"branch seed {seed} differs"
    assert program.cost().ebits == sum(1 for ins in program.instructions if ins.op == "EPR")


CASES = [
    ("qft", lambda: families.qft(8), 4, 2),
    ("qft", lambda: families.qft(9), 3, 3),
    ("bv", lambda: families.bernstein_vazirani(8), 2, 4),
    ("qaoa", lambda: families.qaoa_maxcut(8), 4, 2),
    ("czfrac", lambda: families.cz_fraction(8, depth=8, seed=3), 2, 4),
    ("qv", lambda: families.qv(6, seed=2), 2, 3),
    ("qv-spare", lambda: families.qv(6, seed=3), 2, 4),
]


def gate_set_cases(slow: bool) -> list:
    """Every case in its own gate set (by position), or (``slow``) in every gate set."""
    params = []
    for i, case in enumerate(CASES):
        for j, gate_set in enumerate([None, *NAMES]):
            if slow != (j == i % (1 + len(NAMES))):
                marks = [pytest.mark.slow] if slow else []
                params.append(pytest.param(*case, gate_set, marks=marks, id=f"{case[0]}-{i}-{gate_set}"))
    return params


@pytest.mark.parametrize(
    ("name", "make", "modules", "capacity", "gate_set"), gate_set_cases(False) + gate_set_cases(True)
)
def test_families_compile_to_the_same_state(name, make, modules, capacity, gate_set):
    qc = with_random_input(make())
    net = network(modules, capacity)
    result = compile_circuit(in_gate_set(qc, gate_set), net, seed=0)
    assert_equivalent(qc, result.program, network=net)


@pytest.mark.parametrize(("comm", "gate_set"), [(1, "r,rz,rxx"), (3, "u3,cx")])
def test_teleport_strategy_is_exact(comm, gate_set):
    qc = with_random_input(families.qv(6, seed=5))
    compiler = Compiler(MetisPlacement(seed=1), (Strategy("teleport", QubitTeleporter()),))
    net = network(2, 4 if comm == 1 else 3, comm=comm)
    program, _ = compiler.compile(load_circuit(in_gate_set(qc, gate_set)), net)
    assert program.teleported_qubits > 0
    assert_equivalent(qc, program, network=net)


@pytest.mark.parametrize("seed", range(6))
def test_random_circuits(seed):
    """Random circuits, in gate set ``seed`` mod 5 (the first: as drawn)."""
    qc = with_random_input(random_circuit(7, depth=6, max_operands=2, seed=seed), seed)
    net = network(3, 3, comm=2)
    result = compile_circuit(in_gate_set(qc, [None, *NAMES][seed % 5]), net, seed=seed)
    assert_equivalent(qc, result.program, seeds=(seed,), network=net)


def test_chain_topology_routes_by_entanglement_swapping():
    qc = with_random_input(families.qft(6))
    program = compile_circuit(qc, network(3, 2, comm=2, topology="chain"), seed=0).program
    eprs = [ins for ins in program.instructions if ins.op == "EPR"]
    assert all(abs(int(a[1]) - int(b[1])) == 1 for a, b in (ins.qubits for ins in eprs))
    assert_equivalent(qc, program)


@pytest.mark.parametrize("gate_set", ["h,rz,cp", "r,rz,rxx"])
def test_one_communication_ion_per_module(gate_set):
    qc = with_random_input(families.qft(8))
    net = network(2, 4, comm=1)
    program = compile_circuit(in_gate_set(qc, gate_set), net, seed=0).program
    assert_equivalent(qc, program, network=net)


@pytest.mark.parametrize("gate_set", [None, *NAMES])
def test_mid_circuit_measurement_and_feed_forward(gate_set):
    qc = QuantumCircuit(4, 2)
    qc.u(0.3, 0.2, 0.9, 0)
    qc.u(1.1, 0.4, 0.2, 2)
    qc.u(0.5, 1.4, 0.7, 3)
    qc.cx(0, 2)
    qc.ry(0.7, 1)
    qc.cx(1, 3)
    qc.measure(0, 0)
    with qc.if_test((qc.clbits[0], 1)):
        qc.x(3)
        qc.cz(3, 1)
    with qc.if_test((qc.clbits[0], 0)):
        qc.h(2)
    qc.measure(2, 1)
    qc.reset(0)
    qc.cx(3, 0)
    net = network(2, 2)
    program = compile_circuit(in_gate_set(qc, gate_set), net, seed=0).program
    assert program.is_valid(net)
    for c0 in (0, 1):
        for c1 in (0, 1):
            forced = {"c0": c0, "c1": c1}
            expected, p_ref = reference_state(qc, forced)
            if p_ref < 1e-12:
                continue
            psi, bits, p = StatevectorExecutor(program, seed=c0 + 2 * c1, forced=forced).run()
            assert np.isclose(p, p_ref)
            assert bits["c0"] == c0 and bits["c1"] == c1
            assert equal_up_to_phase(psi, expected)
