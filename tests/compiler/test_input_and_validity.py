"""Circuit input errors, program validity and cost bookkeeping."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from qiskit import QuantumCircuit
from qiskit.circuit import Gate
from qiskit.quantum_info import Operator

from ionnet.compiler import families
from ionnet.compiler.circuit_input import load_circuit, lower_circuit
from ionnet.compiler.pipeline import compile_circuit
from ionnet.compiler.program import DistributedProgram, Instruction
from ionnet.errors import CircuitError, NetworkError
from ionnet.hardware.network import load_network


def test_qasm2_syntax_error_names_line_and_column(tmp_path):
    path = tmp_path / "bad.qasm"
    path.write_text('OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\nh q[0]\ncx q[0],q[1];\n')
    with pytest.raises(CircuitError, match=r"line 5, column 0"):
        load_circuit(path)


def test_qasm3_syntax_error_names_line_and_column():
    text = 'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[2] q;\nh q[0]\ncx q[0], q[1];\n'
    with pytest.raises(CircuitError, match=r"line 5, column 0"):
        load_circuit(text)


def test_qasm3_with_measurement_and_if_is_read():
    text = (
        'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[2] q;\nbit[1] c;\nh q[0];\n'
        "c[0] = measure q[0];\nif (c[0]) x q[1];\n"
    )
    ops = [str(op) for op in load_circuit(text).ops]
    assert ops == ["H 0", "MEASURE 0 -> c0", "IF c0 X 1"]


def test_unsupported_gate_is_named():
    qc = QuantumCircuit(2)
    qc.append(Gate("mystery", 2, []), [0, 1])
    with pytest.raises(CircuitError, match="mystery"):
        lower_circuit(qc)


@pytest.mark.parametrize("gate", ["rzz", "cu1", "crz", "cx"])
def test_lowering_keeps_the_unitary(gate):
    qc = QuantumCircuit(2)
    qc.u(0.3, 0.5, 0.7, 0)
    if gate == "cx":
        qc.cx(0, 1)
    else:
        getattr(qc, "cp" if gate == "cu1" else gate)(0.9, 0, 1)
    rebuilt = QuantumCircuit(2)
    for op in lower_circuit(qc).ops:
        name = {"CP": "cp", "CZ": "cz", "RZ": "rz", "H": "h", "U": "u"}[op.name]
        getattr(rebuilt, name)(*op.params, *op.qubits)
    assert Operator(rebuilt).equiv(Operator(qc))


def test_cx_runs_onto_one_target_become_one_cz_run():
    ops = lower_circuit(families.bernstein_vazirani(5)).ops
    target_ops = [op.name for op in ops if 4 in op.qubits]
    assert target_ops == ["CZ", "CZ", "CZ", "CZ", "H", "Z"]  # the X commutes to the end


def test_too_many_qubits_is_a_network_error():
    with pytest.raises(NetworkError, match="16 qubits"):
        compile_circuit(families.qft(16), load_network("default").with_modules(2, capacity=4))


def test_disconnected_network_is_a_network_error():
    base = load_network("default").with_modules(3, capacity=4)
    broken = dataclasses.replace(base, edges=((0, 1),), links=(base.link,), topology="explicit")
    with pytest.raises(NetworkError, match="not connected"):
        compile_circuit(families.qft(6), broken)


@pytest.mark.parametrize("family", ["qft", "qaoa", "czfrac", "bv", "qv"])
def test_programs_are_valid_and_ebits_equal_eprs(family):
    network = load_network("default").with_modules(4, capacity=3)
    program = compile_circuit(families.FAMILIES[family](8), network, seed=1).program
    assert program.is_valid(network), program.problems(network)
    assert program.cost().ebits == sum(1 for ins in program.instructions if ins.op == "EPR")
    assert DistributedProgram.from_json(program.to_json()).to_text() == program.to_text()
    assert DistributedProgram.from_text(program.to_text()).instructions == program.instructions


def test_is_valid_finds_broken_programs():
    network = load_network("default").with_modules(2, capacity=2)
    good = compile_circuit(families.qft(4), network).program
    assert good.is_valid(network)
    too_many_ions = dataclasses.replace(good, instructions=[Instruction("H", ("m0.c5",))])
    assert any("communication ions" in p for p in too_many_ions.problems(network))
    early_read = dataclasses.replace(
        good,
        instructions=[
            Instruction("MEASURE", ("m0.q0",), bits=("t0",)),
            Instruction("X", ("m1.q0",), condition=("t0",)),
        ],
    )
    assert any("read on m1" in p for p in early_read.problems(network))
    three = load_network("default").with_modules(3, 2)
    chain = dataclasses.replace(three, edges=((0, 1), (1, 2)), links=three.links[:2])
    far = dataclasses.replace(good, num_modules=3, instructions=[Instruction("EPR", ("m0.c0", "m2.c0"))])
    assert any("not linked" in p for p in far.problems(chain))
    unplaced = dataclasses.replace(good, initial_placement={0: "m0.q0"})
    assert not unplaced.is_valid(network)


def test_seeds_change_nothing_but_the_search():
    network = load_network("default").with_modules(2, capacity=5)
    a = compile_circuit(families.qaoa_maxcut(10), network, seed=3).program
    b = compile_circuit(families.qaoa_maxcut(10), network, seed=3).program
    assert a.to_text() == b.to_text()
    assert np.isfinite(a.cost().depth)
