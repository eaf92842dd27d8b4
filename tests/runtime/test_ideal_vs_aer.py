"""With ideal=True the runtime reproduces Qiskit's ideal simulation of the original circuit.

Counts are compared with qiskit-aer's ideal sampling by a chi-square test of homogeneity at
significance 1e-3 (for 16-qubit circuits: on each 4-bit marginal, Bonferroni 1e-3/4 each, since
the full distributions have up to 65,536 outcomes). The state before the final measurements is
compared with Qiskit's state vector (fidelity 1 to single precision).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from qiskit import ClassicalRegister, QuantumCircuit, transpile
from qiskit.circuit.random import random_circuit
from qiskit_aer import AerSimulator
from runtime_helpers import same_distribution

from ionnet.compiler.circuit_input import parse_qasm
from ionnet.hardware import load_network
from ionnet.runtime.api import run_circuit

BENCH = Path("/work/shared/bench/dqc")
ALPHA = 1e-3
SHOTS = 4000


def aer_counts(qc: QuantumCircuit, shots: int, seed: int) -> dict[str, int]:
    sim = AerSimulator(method="statevector")
    return dict(sim.run(transpile(qc, sim), shots=shots, seed_simulator=seed).result().get_counts())


def marginal(counts: dict[str, int], bits: range) -> dict[str, int]:
    out: dict[str, int] = {}
    for key, n in counts.items():
        sub = "".join(key[len(key) - 1 - b] for b in reversed(bits))
        out[sub] = out.get(sub, 0) + n
    return out


@pytest.mark.parametrize("seed", range(4))
def test_random_circuits_match_aer(seed):
    qc = random_circuit(6, 6, max_operands=2, measure=True, seed=seed)
    network = load_network("default").with_modules(3, capacity=2)
    out = run_circuit(qc, network, shots=SHOTS, seed=seed, ideal=True)
    assert out.program.cost().ebits >= 1
    ok, p = same_distribution(out.result.counts, aer_counts(qc, SHOTS, seed), ALPHA)
    assert ok, f"p = {p:.2e}"
    if out.result.fidelity_kind == "state":
        assert out.result.fidelity == pytest.approx(1.0, abs=1e-4)


def _bench(name: str) -> QuantumCircuit:
    qc = parse_qasm((BENCH / f"{name}.qasm").read_text())
    qc.add_register(ClassicalRegister(qc.num_qubits, "c"))
    qc.measure(range(qc.num_qubits), range(qc.num_qubits))
    return qc


FAMILIES = ["qft_16", "bv_16", "qaoa3reg_16_p1", "czfrac05_16_d20", "qv_16"]


@pytest.mark.parametrize(
    "name",
    [pytest.param(f, marks=pytest.mark.slow) if f in ("qv_16", "czfrac05_16_d20") else f for f in FAMILIES],
)
def test_benchmark_families_match_aer(name):
    qc = _bench(name)
    network = load_network("default").with_modules(2, capacity=8)
    out = run_circuit(qc, network, shots=SHOTS, seed=1, ideal=True, backend="trajectories")
    assert out.program.cost().ebits >= 1
    assert out.result.fidelity == pytest.approx(1.0, abs=1e-4)
    aer = aer_counts(qc, SHOTS, 1)
    for start in range(0, 16, 4):
        ok, p = same_distribution(marginal(out.result.counts, range(start, start + 4)),
                                  marginal(aer, range(start, start + 4)), ALPHA / 4)  # fmt: skip
        assert ok, f"bits {start}..{start + 3}: p = {p:.2e}"


def test_clifford_family_on_the_stim_path_matches_aer():
    qc = _bench("bv_16")
    out = run_circuit(
        qc, load_network("default").with_modules(2, capacity=8), shots=SHOTS, seed=2, ideal=True
    )
    assert out.result.backend == "stim"
    aer = aer_counts(qc, SHOTS, 2)
    # the secret 1...1 on q0..q14; the ancilla q15 is left in |-> and reads at random
    assert set(out.result.counts) == set(aer) == {"0" + "1" * 15, "1" * 16}
    ok, p = same_distribution(out.result.counts, aer, ALPHA)
    assert ok, p
