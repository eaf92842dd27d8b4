"""The Qiskit adapter's cost: ``IonnetBackend.run`` vs ``ionnet.run_circuit``, a Sampler PUB, and Aer.

    .venv/bin/python benchmarks/bench_qiskit_backend.py [--shots 1000] [--repeat 5] [--seed 0]

1. Overhead (issue 12 §3, bar: at most +10 %): the same circuit, network (``default`` as 2
   modules x 5 qubits), shots and seed through ``backend.run(qc, memory=True).result()`` and
   through ``run_circuit``, interleaved, ``--repeat`` times each; the median wall times and
   their ratio. Circuits: GHZ-10 (Clifford: stim path), QFT-8 and a hardware-efficient ansatz
   on 10 qubits (non-Clifford: trajectories), each as written and as ``transpile(qc, backend)``
   leaves it (r/rz/rxx/rzz). The last column is load-proof: the share of ``backend.run``'s wall
   time spent outside ``run_circuit`` (checks, idle-qubit removal, Result and memory building).
2. A ``BackendSamplerV2`` PUB of 10 parameter sets on the 10-qubit, 2-module ansatz, 1,000 shots
   each, next to the 10 ``run_circuit`` calls it amounts to.
3. Aer as a user's cross-check: ``AerSimulator.from_backend(backend)`` (its noise model built by
   ``NoiseModel.from_backend`` from our Target) on the transpiled GHZ-10 and ansatz, next to the
   backend's own run; wall times, each one's Hellinger fidelity to the ideal distribution, and
   between the two (biased low by sampling when the outcomes are many).

Every input is generated here (Qiskit's circuit library); wall times exclude imports.
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings

import numpy as np
from qiskit import QuantumCircuit, transpile
from qiskit.circuit import ParameterVector
from qiskit.circuit.library import QFTGate
from qiskit.primitives import BackendSamplerV2
from qiskit.quantum_info import Statevector, hellinger_fidelity

import ionnet.qiskit.backend as adapter
from ionnet.hardware import load_network
from ionnet.qiskit import IonnetBackend
from ionnet.qiskit.backend import experiment_seed
from ionnet.runtime import run_circuit


class InsideTimer:
    """Counts the wall time ``backend.run`` spends inside ``run_circuit`` (the rest is the adapter's)."""

    def __init__(self) -> None:
        self.inside_s = 0.0

    def __enter__(self) -> InsideTimer:
        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return run_circuit(*args, **kwargs)
            finally:
                self.inside_s += time.perf_counter() - start

        adapter.run_circuit = timed
        return self

    def __exit__(self, *exc: object) -> None:
        adapter.run_circuit = run_circuit


def ghz(n: int) -> QuantumCircuit:
    qc = QuantumCircuit(n, name=f"ghz{n}")
    qc.h(0)
    for i in range(n - 1):
        qc.cx(i, i + 1)
    qc.measure_all()
    return qc


def qft(n: int) -> QuantumCircuit:
    qc = QuantumCircuit(n, name=f"qft{n}")
    qc.h(range(n))
    qc.append(QFTGate(n), range(n))
    qc.measure_all()
    return qc


def ansatz(n: int, layers: int = 2) -> QuantumCircuit:
    """RY layers with CX chains; its parameters are bound by the caller."""
    theta = ParameterVector("θ", n * (layers + 1))
    qc = QuantumCircuit(n, name=f"ansatz{n}")
    for layer in range(layers + 1):
        for q in range(n):
            qc.ry(theta[layer * n + q], q)
        if layer < layers:
            for q in range(n - 1):
                qc.cx(q, q + 1)
    qc.measure_all()
    return qc


def _median_s(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def overhead(
    backend: IonnetBackend, circuits: list[QuantumCircuit], shots: int, seed: int, repeat: int
) -> None:
    print("## 1. backend.run vs run_circuit (median wall s)\n")
    print("| circuit | form | path | run_circuit | backend.run | overhead | adapter's own share |")
    print("|---|---|---|---|---|---|---|")
    for qc in circuits:
        for form, circuit in (
            ("as written", qc),
            ("transpiled", transpile(qc, backend, seed_transpiler=seed)),
        ):
            direct_times, backend_times, shares = [], [], []
            for _ in range(repeat):  # interleaved, so load changes hit both alike
                direct_times.append(
                    _median_s(lambda c=circuit: run_circuit(c, backend.network, shots=shots, seed=seed), 1)
                )
                with InsideTimer() as timer:
                    start = time.perf_counter()
                    backend.run(circuit, shots=shots, seed_simulator=seed, memory=True).result()
                    backend_times.append(time.perf_counter() - start)
                shares.append((backend_times[-1] - timer.inside_s) / timer.inside_s)
            path = backend.run(circuit, shots=shots, seed_simulator=seed).result().results[0].metadata["path"]
            d, b = statistics.median(direct_times), statistics.median(backend_times)
            share = statistics.median(shares)
            ratio = f"{100 * (b / d - 1):+.1f} % | {100 * share:+.2f} %"
            print(f"| {qc.name} | {form} | {path} | {d:.3f} | {b:.3f} | {ratio} |")


def sampler_pub(backend: IonnetBackend, shots: int, seed: int) -> None:
    qc = ansatz(10)
    values = np.random.default_rng(seed).uniform(0, np.pi, (10, qc.num_parameters))
    sampler = BackendSamplerV2(backend=backend, options={"seed_simulator": seed})
    start = time.perf_counter()
    result = sampler.run([(qc, values)], shots=shots).result()
    pub_s = time.perf_counter() - start
    start = time.perf_counter()
    for i, row in enumerate(values):  # the seeds the backend gives its experiments
        run_circuit(qc.assign_parameters(row), backend.network, shots=shots, seed=experiment_seed(seed, i))
    direct_s = time.perf_counter() - start
    print("\n## 2. Sampler PUB: 10 parameter sets, 10 qubits on 2 modules\n")
    print("| what | shots each | wall s |")
    print("|---|---|---|")
    print(f"| BackendSamplerV2 PUB | {shots} | {pub_s:.2f} |")
    print(f"| 10 x run_circuit | {shots} | {direct_s:.2f} |")
    print(f"\nPUB result shape {result[0].data.meas.shape}, {result[0].data.meas.num_shots} shots each")


def aer_side_by_side(backend: IonnetBackend, circuits: list[QuantumCircuit], shots: int, seed: int) -> None:
    from qiskit_aer import AerSimulator

    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sim = AerSimulator.from_backend(backend)
    build_s = time.perf_counter() - start
    print("\n## 3. AerSimulator.from_backend vs IonnetBackend (same transpiled circuit)\n")
    print(f"AerSimulator.from_backend (NoiseModel.from_backend inside): {build_s:.2f} s\n")
    print("| circuit | Aer wall s | ionnet wall s | ionnet ebits | ionnet makespan_s "
          "| Hellinger to ideal: Aer | ionnet | Aer vs ionnet |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|")
    for qc in circuits:
        tq = transpile(qc, backend, seed_transpiler=seed)
        start = time.perf_counter()
        aer = sim.run(tq, shots=shots, seed_simulator=seed).result().get_counts()
        aer_s = time.perf_counter() - start
        start = time.perf_counter()
        ours = backend.run(tq, shots=shots, seed_simulator=seed).result()
        ours_s = time.perf_counter() - start
        meta = ours.results[0].metadata
        ideal = {
            k: float(v)
            for k, v in Statevector(qc.remove_final_measurements(inplace=False)).probabilities_dict().items()
        }
        h_aer, h_ours = hellinger_fidelity(aer, ideal), hellinger_fidelity(ours.get_counts(), ideal)
        h = hellinger_fidelity(aer, ours.get_counts())
        print(f"| {qc.name} | {aer_s:.3f} | {ours_s:.3f} | {meta['ebits']} | {meta['makespan_s']:.4f} "
              f"| {h_aer:.3f} | {h_ours:.3f} | {h:.3f} |")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shots", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    backend = IonnetBackend(load_network("default").with_modules(2, capacity=5))
    rng = np.random.default_rng(args.seed)
    bound = ansatz(10)
    bound = bound.assign_parameters(rng.uniform(0, np.pi, bound.num_parameters))
    circuits = [ghz(10), qft(8), bound]
    overhead(backend, circuits, args.shots, args.seed, args.repeat)
    sampler_pub(backend, args.shots, args.seed)
    aer_side_by_side(backend, [ghz(10), bound], args.shots, args.seed)


if __name__ == "__main__":
    main()
