"""The trajectory register (Pauli frame, fused blocks, layouts) against plain dense simulation."""

from __future__ import annotations

import numpy as np
import pytest
from qiskit import QuantumCircuit
from qiskit.circuit.library import QFTGate
from qiskit.quantum_info import Statevector
from runtime_helpers import noisy_network, same_distribution

from ionnet.compiler.pipeline import compile_circuit
from ionnet.runtime import trajectories
from ionnet.runtime.execute import run_program
from ionnet.runtime.kernel import Register, gate_matrix
from ionnet.runtime.reference import ideal_reference

NAMES = ["a", "b", "c", "d", "e"]
ONE = ["H", "X", "Y", "Z", "S", "T", "SX", "SXDG", "RZ", "RX", "U"]
TWO = ["CX", "CZ", "CP", "SWAP"]
PAULI = {1: "X", 2: "Y", 3: "Z"}


def _params(name: str, rng: np.random.Generator) -> tuple[float, ...]:
    count = {"RZ": 1, "RX": 1, "CP": 1, "U": 3}.get(name, 0)
    return tuple(float(x) for x in rng.uniform(0, 6, count))


def _dense(psi: np.ndarray, u: np.ndarray, qubits: list[int], n: int) -> np.ndarray:
    """u on qubits (first = most significant) of an n-qubit vector whose axis i is NAMES[i]."""
    k = len(qubits)
    t = np.tensordot(u.reshape((2,) * 2 * k), psi.reshape((2,) * n), axes=(list(range(k, 2 * k)), qubits))
    return np.moveaxis(t, list(range(k)), qubits).reshape(-1)


@pytest.mark.parametrize("seed", range(6))
def test_register_with_frame_and_blocks_matches_dense_simulation(seed):
    rng = np.random.default_rng(seed)
    n = len(NAMES)
    psi = np.zeros(2**n, dtype=complex)
    psi[0] = 1.0
    reg = Register(np.complex128)
    for q in NAMES:
        reg.ensure(q)
    for _ in range(60):
        kind = rng.integers(4)
        if kind == 0:  # a sampled Pauli error
            q, code = int(rng.integers(n)), int(rng.integers(1, 4))
            reg.pauli(NAMES[q], code)
            psi = _dense(psi, gate_matrix(PAULI[code], ()), [q], n)
        elif kind == 1:
            name = ONE[int(rng.integers(len(ONE)))]
            params = _params(name, rng)
            q = int(rng.integers(n))
            reg.apply(name, params, (NAMES[q],))
            psi = _dense(psi, gate_matrix(name, params), [q], n)
        elif kind == 2:
            name = TWO[int(rng.integers(len(TWO)))]
            params = _params(name, rng)
            a, b = (int(x) for x in rng.choice(n, 2, replace=False))
            reg.apply(name, params, (NAMES[a], NAMES[b]))
            psi = _dense(psi, gate_matrix(name, params), [a, b], n)
        else:  # a fused block on three qubits
            qs = [int(x) for x in rng.choice(n, 3, replace=False)]
            u = np.linalg.qr(rng.normal(size=(8, 8)) + 1j * rng.normal(size=(8, 8)))[0]
            reg.apply_unitary(u, tuple(NAMES[q] for q in qs))
            psi = _dense(psi, u, qs, n)
    # probabilities over every qubit: index bit k is NAMES[k]; psi's axis i is NAMES[i]
    expected = np.transpose(np.abs(psi.reshape((2,) * n)) ** 2, list(reversed(range(n)))).reshape(-1)
    assert np.allclose(reg.probabilities(NAMES), expected, atol=1e-12)
    # the overlap with a reference vector in Qiskit order (qubits[0] least significant)
    ref = np.transpose(psi.reshape((2,) * n), list(reversed(range(n)))).reshape(-1)
    assert reg.overlap(ref, NAMES) == pytest.approx(1.0, abs=1e-12)
    # measuring reads the frame: project b on its likelier value, compare with dense
    p1 = float(np.sum(np.abs(psi.reshape((2,) * n)[:, 1]) ** 2))
    assert reg.prob_one("b") == pytest.approx(p1, abs=1e-12)
    assert reg.measure_likelier("b") == int(p1 > 1 - p1)


def test_fused_blocks_give_the_same_run_as_gate_by_gate(monkeypatch):
    qc = QuantumCircuit(4, 4)
    qc.append(QFTGate(4), range(4))
    qc.rx(0.3, 2)
    qc.cx(0, 3)
    qc.measure(range(4), range(4))
    net = noisy_network(capacity=2)
    program = compile_circuit(qc, net, seed=0).program
    ref = ideal_reference(qc)
    fused = run_program(program, net, shots=4000, seed=5, backend="trajectories", reference=ref)
    monkeypatch.setattr(trajectories, "MAX_BLOCK_QUBITS", 1)
    single = run_program(program, net, shots=4000, seed=5, backend="trajectories", reference=ref)
    assert fused.fidelity == pytest.approx(single.fidelity, abs=1e-4)
    ok, p = same_distribution(fused.counts, single.counts)
    assert ok, p


def test_ideal_reference_matches_qiskit_statevector_including_composite_gates():
    qc = QuantumCircuit(5)
    qc.append(QFTGate(5), range(5))  # no direct matrix path needed: decomposed if required
    qc.u(0.3, 1.2, -0.4, 2)
    qc.rxx(0.7, 1, 4)
    qc.cp(0.9, 4, 0)
    qc.swap(1, 3)
    expected = Statevector(qc).data
    qc.measure_all()
    ref = ideal_reference(qc)
    assert ref is not None
    assert abs(np.vdot(expected, ref.statevector)) == pytest.approx(1.0, abs=1e-12)
    assert sum(ref.distribution.values()) == pytest.approx(1.0, abs=1e-12)
