"""Benchmark circuit families for distributed compilation (as in ../shared/bench/dqc).

>>> qft(4).num_qubits, cz_fraction(6, depth=4, seed=1).num_qubits
(4, 6)
>>> sum(1 for ins in bernstein_vazirani(5).data if ins.operation.name == "cx")
4
"""

from __future__ import annotations

import networkx as nx
import numpy as np
from qiskit import QuantumCircuit, transpile
from qiskit.circuit.library import quantum_volume
from qiskit.synthesis import synth_qft_full


def qft(n: int) -> QuantumCircuit:
    """Quantum Fourier transform without the final swaps (H and CP gates)."""
    return transpile(synth_qft_full(n, do_swaps=False), basis_gates=["h", "cp"], optimization_level=0)


def bernstein_vazirani(n: int) -> QuantumCircuit:
    """Bernstein-Vazirani with secret 1...1: n - 1 data qubits and the ancilla last (Clifford)."""
    qc = QuantumCircuit(n)
    qc.x(n - 1)
    qc.h(range(n))
    for q in range(n - 1):
        qc.cx(q, n - 1)
    qc.h(range(n - 1))
    return qc


def cz_fraction(n: int, depth: int = 20, fraction: float = 0.5, seed: int = 2024) -> QuantumCircuit:
    """Random layers: each qubit gets H with probability 1 - fraction, the rest pair up by CZ."""
    rng = np.random.default_rng(seed)
    qc = QuantumCircuit(n)
    for _ in range(depth):
        chosen = []
        for q in range(n):
            if rng.random() > fraction:
                qc.h(q)
            else:
                chosen.append(q)
        chosen = [int(q) for q in rng.permutation(chosen)]
        for a, b in zip(chosen[0::2], chosen[1::2], strict=False):
            qc.cz(a, b)
    return qc


def qaoa_maxcut(n: int, seed: int = 11, gamma: float = 0.7, beta: float = 0.4) -> QuantumCircuit:
    """MaxCut QAOA, p = 1, on a random 3-regular graph (RZZ per edge)."""
    graph = nx.random_regular_graph(3, n, seed=seed)
    qc = QuantumCircuit(n)
    qc.h(range(n))
    for u, v in sorted(tuple(sorted(e)) for e in graph.edges):
        qc.rzz(2 * gamma, u, v)
    for q in range(n):
        qc.rx(2 * beta, q)
    return qc


def qv(n: int, seed: int = 7, depth: int | None = None) -> QuantumCircuit:
    """Quantum volume circuit (SU(4) blocks on random pairs, 3 CX each)."""
    qc = quantum_volume(n, depth=depth or n, seed=seed)
    return transpile(qc, basis_gates=["u3", "cx"], optimization_level=1, seed_transpiler=seed)


FAMILIES = {
    "qft": qft,
    "bv": bernstein_vazirani,
    "qaoa": qaoa_maxcut,
    "czfrac": cz_fraction,
    "qv": qv,
}
