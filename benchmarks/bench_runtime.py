"""Runtime speed: 1,000 noisy shots of a 16-qubit QFT over 2 modules vs qiskit-aer, side by side.

    .venv/bin/python benchmarks/bench_runtime.py [--shots 1000] [--seed 0] [--repeat 1]

ionnet: /work/shared/bench/dqc/qft_16.qasm plus measurements, compiled for the ``default``
network as 2 modules x 8 qubits, run with full noise (gates, SPAM, idle T1/T2 from the
timeline, Bell-diagonal ebits). Aer: the same monolithic 16-qubit circuit with an equivalent
depolarizing model (1- and 2-qubit depolarizing from the module's gate fidelities, readout
flips from its SPAM error), statevector method, the same number of shots. Both in one process
on the same machine; wall times exclude imports. The bar (issue 5 §7): ionnet under 20 s and no
slower than Aer.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from qiskit import ClassicalRegister, QuantumCircuit, transpile
from qiskit_aer import AerSimulator
from qiskit_aer.noise import NoiseModel, ReadoutError, depolarizing_error

from ionnet.compiler.circuit_input import parse_qasm
from ionnet.compiler.pipeline import compile_circuit
from ionnet.hardware import load_network
from ionnet.hardware.module import ModuleSpec
from ionnet.runtime.execute import run_program
from ionnet.runtime.reference import ideal_reference

QFT = Path("/work/shared/bench/dqc/qft_16.qasm")


def qft16() -> QuantumCircuit:
    qc = parse_qasm(QFT.read_text())
    qc.add_register(ClassicalRegister(16, "c"))
    qc.measure(range(16), range(16))
    return qc


def aer_noise(module: ModuleSpec) -> NoiseModel:
    """Depolarizing λ with the module's average gate fidelity F: λ = d(1 - F)/(d - 1)."""
    noise = NoiseModel()
    noise.add_all_qubit_quantum_error(depolarizing_error(2 * (1 - module.single_qubit_gate_fidelity), 1),
                                      ["h", "u", "u1", "u2", "u3", "rx", "ry", "sx", "x"])  # fmt: skip
    noise.add_all_qubit_quantum_error(depolarizing_error(4 / 3 * (1 - module.two_qubit_gate_fidelity), 2),
                                      ["cx", "cz", "cp", "cu1"])  # fmt: skip
    e = module.spam_error
    noise.add_all_qubit_readout_error(ReadoutError([[1 - e, e], [e, 1 - e]]))
    return noise


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shots", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    qc = qft16()
    network = load_network("default").with_modules(2, capacity=8)
    start = time.perf_counter()
    program = compile_circuit(qc, network, seed=args.seed).program
    compile_s = time.perf_counter() - start
    reference = ideal_reference(qc)
    print(f"ionnet: compiled in {compile_s:.2f} s: {program.cost()}")
    for rep in range(args.repeat):
        start = time.perf_counter()
        r = run_program(program, network, shots=args.shots, seed=args.seed + rep, reference=reference)
        ionnet_s = time.perf_counter() - start
        print(
            f"ionnet run {rep}: {ionnet_s:.2f} s for {args.shots} shots ({r.backend}, {r.trajectories} "
            f"trajectories); state fidelity {r.fidelity:.3f}, makespan {r.makespan_s * 1e3:.1f} ms, "
            f"{r.ebits} ebits, {r.link_attempts} attempts"
        )
    sim = AerSimulator(method="statevector", noise_model=aer_noise(network.modules[0]))
    compiled = transpile(qc, sim)
    start = time.perf_counter()
    sim.run(compiled, shots=args.shots, seed_simulator=args.seed).result()
    aer_s = time.perf_counter() - start
    print(f"qiskit-aer (monolithic, depolarizing): {aer_s:.2f} s for {args.shots} shots")
    print(f"ratio aer / ionnet: {aer_s / ionnet_s:.2f} (last ionnet run)")


if __name__ == "__main__":
    main()
