"""A user's cross-check: Qiskit Aer builds a simulator and a noise model from our Target."""

from __future__ import annotations

import warnings

from qiskit import QuantumCircuit, transpile
from qiskit.quantum_info import hellinger_fidelity
from qiskit_aer import AerSimulator
from qiskit_aer.noise import NoiseModel


def test_aer_constructs_from_the_backend_and_agrees_on_a_local_circuit(noisy_2x3):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Aer notes that delay/if_else carry no noise
        sim = AerSimulator.from_backend(noisy_2x3)  # builds NoiseModel.from_backend(noisy_2x3)
    model = sim.options.noise_model
    assert isinstance(model, NoiseModel)
    assert {"rxx", "rzz", "r", "measure"} <= set(model.noise_instructions)
    assert sim.num_qubits == noisy_2x3.num_qubits
    qc = QuantumCircuit(3)
    qc.h(0)
    qc.cx(0, 1)
    qc.cx(1, 2)
    qc.measure_all()
    tq = transpile(qc, noisy_2x3, seed_transpiler=2)
    modules = {
        noisy_2x3.module_of(tq.find_bit(q).index)
        for ins in tq.data
        if ins.operation.num_qubits == 2
        for q in ins.qubits
    }
    assert len(modules) == 1  # the GHZ stays on one module
    aer = sim.run(tq, shots=4000, seed_simulator=1).result().get_counts()
    ours = noisy_2x3.run(tq, shots=4000, seed_simulator=1).result().get_counts()
    assert hellinger_fidelity(aer, ours) > 0.99
    assert set(max(c, key=c.get) for c in (aer, ours)) <= {"000", "111"}
