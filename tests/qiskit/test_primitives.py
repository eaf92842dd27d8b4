"""The V2 primitives on the backend: BackendSamplerV2 and BackendEstimatorV2."""

from __future__ import annotations

import json

import numpy as np
import pytest
from qiskit import ClassicalRegister, QuantumCircuit, QuantumRegister, qasm2
from qiskit.circuit import Parameter
from qiskit.primitives import BackendEstimatorV2, BackendSamplerV2
from qiskit.quantum_info import SparsePauliOp

from ionnet.cli import main

SHOTS = 1000


def _rx_circuit(registers: int) -> QuantumCircuit:
    theta = Parameter("θ")
    if registers == 1:
        qc = QuantumCircuit(2, 2)
        qc.rx(theta, 0)
        qc.h(1)
        qc.measure([0, 1], [0, 1])
        return qc
    qc = QuantumCircuit(QuantumRegister(2, "q"), ClassicalRegister(1, "alpha"), ClassicalRegister(1, "beta"))
    qc.rx(theta, 0)
    qc.rx(theta, 1)
    qc.measure(0, qc.cregs[0][0])
    qc.measure(1, qc.cregs[1][0])
    return qc


@pytest.mark.parametrize("registers", [1, 2])
def test_sampler_parameter_sets_give_the_right_distributions(registers, ideal_2x3):
    qc = _rx_circuit(registers)
    sampler = BackendSamplerV2(backend=ideal_2x3, options={"seed_simulator": 12})
    result = sampler.run([(qc, [[0.0], [np.pi], [np.pi / 2]])], shots=SHOTS).result()[0]
    bits = result.data.c if registers == 1 else result.data.alpha
    first = bits.slice_bits(0) if registers == 1 else bits
    assert first.get_counts(0) == {"0": SHOTS}
    assert first.get_counts(1) == {"1": SHOTS}
    ones = first.get_counts(2).get("1", 0)
    assert abs(ones - SHOTS / 2) < 3 * np.sqrt(SHOTS / 4)  # binomial, 3 sigma
    if registers == 2:
        assert result.data.beta.get_counts(1) == {"1": SHOTS}
        both = result.data.alpha.num_shots, result.data.beta.num_shots
        assert both == (SHOTS, SHOTS)


def test_sampler_bell_pair_gives_only_00_and_11(ideal_2x3, noisy_2x1):
    qc = QuantumCircuit(2)
    qc.h(0)
    qc.cx(0, 1)
    qc.measure_all()
    counts = BackendSamplerV2(backend=ideal_2x3).run([qc], shots=SHOTS).result()[0].data.meas.get_counts()
    assert set(counts) == {"00", "11"} and abs(counts["00"] - SHOTS / 2) < 3 * np.sqrt(SHOTS / 4)
    noisy = BackendSamplerV2(backend=noisy_2x1).run([qc], shots=SHOTS).result()[0].data.meas.get_counts()
    assert set(noisy) > {"00", "11"}  # the teleported CNOT's errors show


def test_noisy_sampler_agrees_with_ionnet_run(noisy_2x1, tmp_path, capsys):
    """The same circuit, network and seed: the Sampler's counts are ``ionnet run``'s."""
    qc = QuantumCircuit(2, 2)
    qc.h(0)
    qc.cx(0, 1)
    qc.rz(0.25, 1)
    qc.h(1)
    qc.measure([0, 1], [0, 1])
    path = tmp_path / "circuit.qasm"
    path.write_text(qasm2.dumps(qc))
    code = main(["run", str(path), "--network", "default", "--modules", "2", "--capacity", "1",
                 "--shots", str(SHOTS), "--seed", "21", "--json"])  # fmt: skip
    cli = json.loads(capsys.readouterr().out)
    assert code == 0
    sampler = BackendSamplerV2(backend=noisy_2x1, options={"seed_simulator": 21})
    counts = sampler.run([qc], shots=SHOTS).result()[0].data.c.get_counts()
    assert counts == cli["counts"]


def _bell() -> QuantumCircuit:
    qc = QuantumCircuit(2)
    qc.h(0)
    qc.cx(0, 1)
    return qc


XX_YY_ZZ = SparsePauliOp(["XX", "YY", "ZZ"])


def test_estimator_bell_pair_ideal(ideal_2x3):
    estimator = BackendEstimatorV2(backend=ideal_2x3, options={"seed_simulator": 3})
    data = estimator.run([(_bell(), XX_YY_ZZ)], precision=0.02).result()[0].data
    assert abs(float(data.evs) - 1.0) <= 3 * float(data.stds) + 1e-12
    # a state with sampling noise: |+>|0> has <XX+YY+ZZ> = 0 with std > 0
    plus = QuantumCircuit(2)
    plus.h(0)
    data = estimator.run([(plus, XX_YY_ZZ)], precision=0.02).result()[0].data
    assert float(data.stds) > 0 and abs(float(data.evs)) <= 3 * float(data.stds)


def test_estimator_sign_on_a_circuit_with_its_own_register(ideal_2x3):
    qc = QuantumCircuit(3, 2)  # its own register 'c': the estimator adds another
    qc.x(0)
    qc.h(2)
    obs = [SparsePauliOp("IIZ"), SparsePauliOp("IZI"), SparsePauliOp("XII"), SparsePauliOp("IZZ")]
    estimator = BackendEstimatorV2(backend=ideal_2x3, options={"seed_simulator": 4})
    evs = estimator.run([(qc, obs)], precision=0.03).result()[0].data.evs
    assert evs.tolist() == [-1.0, 1.0, 1.0, -1.0]


def test_noisy_estimate_is_smaller_in_magnitude(noisy_2x1):
    estimator = BackendEstimatorV2(backend=noisy_2x1, options={"seed_simulator": 5})
    data = estimator.run([(_bell(), XX_YY_ZZ)], precision=0.01).result()[0].data
    assert 0.5 < float(data.evs) < 1.0 - 3 * float(data.stds)


def test_two_primitive_jobs_submitted_together(noisy_2x3, ideal_2x3):
    bell = _bell()
    bell.measure_all()
    ones = QuantumCircuit(3)
    ones.x(range(3))
    ones.measure_all()
    sampler = BackendSamplerV2(backend=ideal_2x3, options={"seed_simulator": 8})
    estimator = BackendEstimatorV2(backend=noisy_2x3, options={"seed_simulator": 8})
    jobs = [
        sampler.run([bell], shots=500),
        sampler.run([ones], shots=500),
        estimator.run([(_bell(), XX_YY_ZZ)]),
    ]
    again = sampler.run([bell], shots=500).result()[0].data.meas.get_counts()
    bell_counts, ones_counts = (j.result()[0].data.meas.get_counts() for j in jobs[:2])
    assert set(bell_counts) == {"00", "11"} and bell_counts == again
    assert ones_counts == {"111": 500}
    assert 0.8 < float(jobs[2].result()[0].data.evs) <= 1.0
