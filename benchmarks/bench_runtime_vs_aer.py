"""Noisy runs of the circuits users bring: ionnet's runtime vs qiskit-aer, side by side (issue 10).

    .venv/bin/python benchmarks/bench_runtime_vs_aer.py [--shots 1000] [--seed 0] [--threads 2]
        [--only NAME ...] [--modules 2 4] [--no-aer]

The circuits are generated here (no input files): QFT-16 as h + cp, transpiled to u3 + cx and
to the ion-native r + rz + rxx; quantum volume 12 and 16 (depth = width); a random 16-qubit
circuit of depth 20; Grover on 8 qubits; QAOA (p = 2) on a 3-regular 16-node graph. Every
circuit measures all qubits. Each runs on 2 and 4 modules of the ``default`` network (capacity
ceil(n / modules)), 1,000 shots, full noise (gates, SPAM, idle T1/T2 along the timeline,
Bell-diagonal ebits). The peer is qiskit-aer's noisy ``statevector`` method on the monolithic
circuit (transpiled to u3 + cx) with the module's depolarizing gate errors and readout error,
the same shots, the same thread count (``max_parallel_threads``), in the same process.
Compile time is measured and reported apart; ionnet's time is ``run_program`` (timing pass,
noise pass, state simulation, fidelity to the ideal reference) plus the ideal reference.

The bars (issue 10): ionnet <= aer for every row, geometric mean of ionnet/aer <= 0.5.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time

import numpy as np
from qiskit import QuantumCircuit, transpile
from qiskit.circuit.library import QuantumVolume, grover_operator
from qiskit.circuit.random import random_circuit

from ionnet.hardware.module import ModuleSpec


def qft_hcp(n: int = 16) -> QuantumCircuit:
    """The textbook QFT (no final swaps) as h + cp, on a basis-state input (x on odd qubits)."""
    qc = QuantumCircuit(n)
    for q in range(1, n, 2):
        qc.x(q)
    for j in reversed(range(n)):
        qc.h(j)
        for k in reversed(range(j)):
            qc.cp(math.pi / 2 ** (j - k), j, k)
    return qc


def quantum_volume(n: int, seed: int) -> QuantumCircuit:
    """Quantum volume of width ``n``, depth ``n``, transpiled to u3 + cx (as a user would)."""
    return transpile(
        QuantumVolume(n, n, seed=seed), basis_gates=["u3", "cx"], optimization_level=1, seed_transpiler=seed
    )


def random16(seed: int) -> QuantumCircuit:
    """Qiskit's random circuit, 16 qubits, depth 20, at most two-qubit gates, in u3 + cx."""
    qc = random_circuit(16, 20, max_operands=2, seed=seed)
    return transpile(qc, basis_gates=["u3", "cx"], optimization_level=1, seed_transpiler=seed)


def grover8(marked: int = 0b10110101) -> QuantumCircuit:
    """Grover search of one marked 8-bit string, the optimal 12 iterations, in u3 + cx."""
    n = 8
    oracle = QuantumCircuit(n)
    zeros = [q for q in range(n) if not (marked >> q) & 1]
    if zeros:
        oracle.x(zeros)
    oracle.h(n - 1)
    oracle.mcx(list(range(n - 1)), n - 1)
    oracle.h(n - 1)
    if zeros:
        oracle.x(zeros)
    qc = QuantumCircuit(n)
    qc.h(range(n))
    op = grover_operator(oracle)
    for _ in range(int(math.pi / 4 * math.sqrt(2**n))):
        qc.compose(op, inplace=True)
    return transpile(qc, basis_gates=["u3", "cx"], optimization_level=1, seed_transpiler=1)


def qaoa16(seed: int, layers: int = 2) -> QuantumCircuit:
    """QAOA MaxCut on a random 3-regular graph of 16 nodes (rzz + rx layers), in u3 + cx."""
    rng = np.random.default_rng(seed)
    n = 16
    while True:  # configuration model, retried until simple
        stubs = rng.permutation(np.repeat(np.arange(n), 3))
        pairs = {tuple(sorted(p)) for p in stubs.reshape(-1, 2).tolist()}
        if len(pairs) == 24 and all(a != b for a, b in pairs):
            break
    qc = QuantumCircuit(n)
    qc.h(range(n))
    for layer in range(layers):
        gamma, beta = 0.4 + 0.2 * layer, 0.7 - 0.2 * layer
        for a, b in sorted(pairs):
            qc.rzz(2 * gamma, a, b)
        qc.rx(2 * beta, range(n))
    return transpile(qc, basis_gates=["u3", "cx"], optimization_level=1, seed_transpiler=seed)


def circuits(seed: int) -> dict[str, QuantumCircuit]:
    """The benchmark set (before measurement)."""
    qft = qft_hcp(16)
    return {
        "qft16_hcp": qft,
        "qft16_u3cx": transpile(qft, basis_gates=["u3", "cx"], optimization_level=1, seed_transpiler=seed),
        "qft16_native": transpile(
            qft, basis_gates=["r", "rz", "rxx"], optimization_level=1, seed_transpiler=seed
        ),
        "qv12": quantum_volume(12, seed),
        "qv16": quantum_volume(16, seed),
        "random16_d20": random16(seed),
        "grover8": grover8(),
        "qaoa16": qaoa16(seed),
    }


def measured(qc: QuantumCircuit) -> QuantumCircuit:
    out = qc.copy()
    out.measure_all()
    return out


def aer_noise_model(module: ModuleSpec):  # type: ignore[no-untyped-def]
    """The module's errors for Aer: depolarizing λ = d(1 - F)/(d - 1) after every u3 and cx,
    readout flips with the SPAM error (ionnet's p = (d + 1)(1 - F)/d total Pauli weight is the
    same channel)."""
    from qiskit_aer.noise import NoiseModel, ReadoutError, depolarizing_error

    noise = NoiseModel()
    noise.add_all_qubit_quantum_error(
        depolarizing_error(2 * (1 - module.single_qubit_gate_fidelity), 1), ["u3"]
    )
    noise.add_all_qubit_quantum_error(
        depolarizing_error(4 / 3 * (1 - module.two_qubit_gate_fidelity), 2), ["cx"]
    )
    e = module.spam_error
    noise.add_all_qubit_readout_error(ReadoutError([[1 - e, e], [e, 1 - e]]))
    return noise


def run_aer(qc: QuantumCircuit, module: ModuleSpec, shots: int, seed: int, threads: int) -> float:
    """Wall seconds of Aer's noisy statevector run of the monolithic circuit (transpile excluded)."""
    from qiskit_aer import AerSimulator

    sim = AerSimulator(
        method="statevector", noise_model=aer_noise_model(module), max_parallel_threads=threads
    )
    tqc = transpile(qc, basis_gates=["u3", "cx"], optimization_level=0)
    start = time.perf_counter()
    sim.run(tqc, shots=shots, seed_simulator=seed).result()
    return time.perf_counter() - start


def run_ionnet(qc: QuantumCircuit, modules: int, shots: int, seed: int) -> dict[str, float | str | int]:
    """Compile (timed apart) and run with full noise; the reference is part of the run time."""
    from ionnet.compiler.pipeline import compile_circuit
    from ionnet.hardware import load_network
    from ionnet.runtime.execute import run_program
    from ionnet.runtime.reference import ideal_reference

    network = load_network("default").with_modules(modules, capacity=math.ceil(qc.num_qubits / modules))
    start = time.perf_counter()
    program = compile_circuit(qc, network, seed=seed).program
    compile_s = time.perf_counter() - start
    start = time.perf_counter()
    reference = ideal_reference(qc)
    result = run_program(program, network, shots=shots, seed=seed, reference=reference)
    run_s = time.perf_counter() - start
    return {
        "compile_s": compile_s,
        "run_s": run_s,
        "ebits": result.ebits,
        "backend": result.backend,
        "trajectories": result.trajectories or 0,
        "fidelity": result.fidelity if result.fidelity is not None else float("nan"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shots", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1, help="Aer's max_parallel_threads (ionnet uses 1)")
    parser.add_argument("--modules", type=int, nargs="+", default=[2, 4])
    parser.add_argument("--only", nargs="+", default=None, help="circuit names to run")
    parser.add_argument("--no-aer", action="store_true")
    args = parser.parse_args(argv)
    from ionnet.hardware import load_network

    module = load_network("default").modules[0]
    table = circuits(args.seed)
    names = args.only or list(table)
    print(
        f"# {args.shots} shots, seed {args.seed}, {args.threads} thread(s), {os.cpu_count()} cpus, "
        f"load {os.getloadavg()[0]:.1f}"
    )
    header = ("circuit", "mod", "ebits", "compile_s", "ionnet_s", "aer_s", "ratio", "fidelity", "traj")
    print(f"{header[0]:14s} " + " ".join(f"{h:>9s}" for h in header[1:]))
    ratios: list[float] = []
    for name in names:
        qc = measured(table[name])
        aer_s = float("nan") if args.no_aer else run_aer(qc, module, args.shots, args.seed, args.threads)
        for k in args.modules:
            r = run_ionnet(qc, k, args.shots, args.seed)
            ratio = float(r["run_s"]) / aer_s
            if not math.isnan(ratio):
                ratios.append(ratio)
            print(
                f"{name:14s} {k:9d} {r['ebits']:9d} {r['compile_s']:9.2f} {r['run_s']:9.2f} {aer_s:9.2f} "
                f"{ratio:9.2f} {r['fidelity']:9.3f} {r['trajectories']:9d}",
                flush=True,
            )
    if ratios:
        gmean = math.exp(sum(math.log(x) for x in ratios) / len(ratios))
        worst = max(ratios)
        print(f"geometric mean ionnet/aer = {gmean:.2f} (bar 0.5), worst = {worst:.2f} (bar 1.0)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
