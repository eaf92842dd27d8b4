"""A VQE loop with Qiskit's BackendEstimatorV2 on two networked trapped-ion modules.

The Hamiltonian is H2 in a minimal basis reduced to two qubits (coefficients of the Qiskit
textbook's H2 example at 0.735 Å, electronic part). Each module holds one data qubit, so the
ansatz's CX is a teleported gate that spends an ebit on the photonic link: the run shows the
energy the noisy machine reaches, the ebits it spends and the machine time it takes per
iteration (the sum over the Estimator's circuits of makespan x shots, from each experiment's
metadata). Each iteration's Estimator has its own seed (so its link timing differs). Fixed
seeds: the output is the same on every run (checked by tests/runtime/test_examples.py against
vqe_two_modules.out).

    .venv/bin/python examples/vqe_two_modules.py
"""

from __future__ import annotations

import numpy as np
from qiskit import QuantumCircuit
from qiskit.circuit import ParameterVector
from qiskit.primitives import BackendEstimatorV2
from qiskit.quantum_info import SparsePauliOp
from scipy.optimize import minimize

from ionnet.hardware import load_network
from ionnet.qiskit import IonnetBackend

HAMILTONIAN = SparsePauliOp.from_list(
    [("II", -1.052373245772859), ("IZ", 0.39793742484318045), ("ZI", -0.39793742484318045),
     ("ZZ", -0.01128010425623538), ("XX", 0.18093119978423156)]
)  # fmt: skip


class MeteredBackend(IonnetBackend):
    """An IonnetBackend that keeps every run's Result, to read ionnet's figures off the metadata.

    (The backend itself keeps no per-call state; this meter is the example's own.)
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.results: list = []

    def run(self, run_input, **options):
        job = super().run(run_input, **options)
        self.results.append(job.result())
        return job


def ansatz() -> QuantumCircuit:
    theta = ParameterVector("θ", 4)
    qc = QuantumCircuit(2)
    qc.ry(theta[0], 0)
    qc.ry(theta[1], 1)
    qc.cx(0, 1)
    qc.ry(theta[2], 0)
    qc.ry(theta[3], 1)
    return qc


def main() -> None:
    backend = MeteredBackend(load_network("default").with_modules(2, capacity=1))
    circuit = ansatz()
    exact = float(np.linalg.eigvalsh(HAMILTONIAN.to_matrix()).min())
    print(f"backend {backend.name}: {backend.num_qubits} data qubits on {len(backend.modules)} modules")
    print(f"exact ground-state energy: {exact:.4f} Ha")
    print(
        f"{'iter':>4} {'energy_Ha':>10} {'std':>7} {'circuits':>8} {'shots':>6} {'ebits':>6} {'machine_s':>9}"
    )
    history: list[float] = []

    def energy(params: np.ndarray) -> float:
        before = len(backend.results)
        estimator = BackendEstimatorV2(backend=backend, options={"seed_simulator": 7 + len(history)})
        pub = estimator.run([(circuit, HAMILTONIAN, params)], precision=0.04).result()[0]
        experiments = [e for r in backend.results[before:] for e in r.results]
        shots = sum(e.shots for e in experiments)
        ebits = sum(e.metadata["ebits"] * e.shots for e in experiments)
        machine_s = sum(e.metadata["makespan_s"] * e.shots for e in experiments)
        value = float(pub.data.evs)
        history.append(value)
        print(f"{len(history):4d} {value:10.4f} {float(pub.data.stds):7.4f} {len(experiments):8d} "
              f"{shots:6d} {ebits:6d} {machine_s:9.2f}")  # fmt: skip
        return value

    start = np.array([2.6, 2.6, 0.0, 0.0])
    best = minimize(energy, start, method="COBYLA", options={"maxiter": 10, "rhobeg": 0.4})
    print(f"lowest estimate {min(history):.4f} Ha (exact {exact:.4f}); final parameters "
          + " ".join(f"{p:.3f}" for p in best.x))  # fmt: skip


if __name__ == "__main__":
    main()
