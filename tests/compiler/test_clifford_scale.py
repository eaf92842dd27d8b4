"""Clifford families at 32 and 64 qubits: the compiled program, run on stim, gives the same state."""

from __future__ import annotations

import dataclasses

import pytest
import stim
from program_executor import StimExecutor
from qiskit import QuantumCircuit

from ionnet.compiler import families
from ionnet.compiler.pipeline import compile_circuit
from ionnet.hardware.network import load_network


def network(modules: int, capacity: int, comm: int = 2):
    base = load_network("default").with_modules(modules, capacity)
    module = dataclasses.replace(base.modules[0], communication_ions=comm)
    return dataclasses.replace(base, modules=(module,) * modules)


def reference(qc: QuantumCircuit, axis: dict[int, int], total: int) -> stim.TableauSimulator:
    """The original circuit on stim, qubit q on ion axis[q] of ``total`` (others stay |0>)."""
    sim = stim.TableauSimulator()
    sim.set_num_qubits(total)
    names = {"h": "h", "x": "x", "cx": "cx", "cz": "cz", "s": "s", "z": "z"}
    for ins in qc.data:
        targets = [axis[qc.find_bit(q).index] for q in ins.qubits]
        getattr(sim, names[ins.operation.name])(*targets)
    return sim


def random_clifford_input(n: int, seed: int) -> QuantumCircuit:
    """H / S layers so that |0> hides no phase or bit error."""
    qc = QuantumCircuit(n)
    for q in range(n):
        if (q * 7 + seed) % 3:
            qc.h(q)
        if (q * 5 + seed) % 2:
            qc.s(q)
    return qc


def assert_same_stabilizers(qc: QuantumCircuit, modules: int, capacity: int, seed: int) -> None:
    program = compile_circuit(qc, network(modules, capacity), seed=seed).program
    for branch in range(2):
        executor = StimExecutor(program, seed=branch)
        sim = executor.run()
        axis = {q: executor.axis[slot] for q, slot in program.final_placement.items()}
        expected = reference(qc, axis, len(executor.names))
        assert sim.canonical_stabilizers() == expected.canonical_stabilizers()
    assert program.cost().ebits == sum(1 for ins in program.instructions if ins.op == "EPR")


CASES = [
    ("bv", 32, 4),
    ("czfrac", 32, 4),
    ("bv", 64, 8),
    ("czfrac", 64, 8),
]


@pytest.mark.parametrize(("family", "n", "modules"), CASES)
def test_clifford_family_at_scale(family, n, modules):
    body = families.bernstein_vazirani(n) if family == "bv" else families.cz_fraction(n, depth=20, seed=5)
    qc = random_clifford_input(n, seed=n).compose(body)
    assert_same_stabilizers(qc, modules, n // modules, seed=0)
