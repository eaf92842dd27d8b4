"""Property: for any small circuit, gate set and network shape, compiled == original (Hypothesis).

The drawn circuit is compiled as drawn or as Qiskit's ``transpile`` leaves it for one of the four
gate sets of ``gate_sets.GATE_SETS``; the program is compared with the drawn circuit.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from gate_sets import NAMES, in_gate_set
from hypothesis import given, settings
from hypothesis import strategies as st
from program_executor import StatevectorExecutor, equal_up_to_phase
from qiskit import QuantumCircuit
from qiskit.quantum_info import Statevector

from ionnet.compiler.pipeline import compile_circuit
from ionnet.hardware.network import load_network

ONE = ["h", "x", "s", "t", "sx", "r"]
TWO = ["cx", "cz", "cp", "rzz", "swap", "rxx", "ecr", "iswap"]


@st.composite
def circuits(draw):
    n = draw(st.integers(3, 5))
    qc = QuantumCircuit(n)
    for q in range(n):
        qc.u(*draw(st.tuples(*[st.floats(0, 6.28)] * 3)), q)
    for _ in range(draw(st.integers(1, 14))):
        if draw(st.booleans()):
            name = draw(st.sampled_from(ONE))
            angles = [draw(st.floats(-3, 3)), draw(st.floats(-3, 3))] if name == "r" else []
            getattr(qc, name)(*angles, draw(st.integers(0, n - 1)))
        else:
            a, b = draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True))
            name = draw(st.sampled_from(TWO))
            if name in ("cp", "rzz", "rxx"):
                getattr(qc, name)(draw(st.floats(-3, 3)), a, b)
            else:
                getattr(qc, name)(a, b)
    return qc


@settings(max_examples=25, deadline=None)
@given(
    qc=circuits(),
    modules=st.integers(2, 3),
    spare=st.integers(0, 1),
    comm=st.integers(1, 3),
    seed=st.integers(0, 5),
    gate_set=st.sampled_from([None, *NAMES]),
)
def test_compiled_equals_original(qc, modules, spare, comm, seed, gate_set):
    capacity = -(-qc.num_qubits // modules) + spare
    base = load_network("default").with_modules(modules, capacity)
    network = dataclasses.replace(
        base, modules=(dataclasses.replace(base.modules[0], communication_ions=comm),) * modules
    )
    program = compile_circuit(in_gate_set(qc, gate_set), network, seed=seed).program
    assert program.is_valid(network)
    psi, _, _ = StatevectorExecutor(program, seed).run()
    assert equal_up_to_phase(psi, np.asarray(Statevector(qc).data))
