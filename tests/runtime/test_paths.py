"""The simulation paths agree: stim, the trajectory fast path and per-shot backends.

Both runs of a comparison share the seed, hence the timing trace (the idle noise depends on
it), and draw errors and outcomes from different named streams. Each comparison is a chi-square
test of homogeneity of the two count distributions at significance 1e-3 (fixed seeds, so the
outcome is deterministic; a correct engine fails with probability 1e-3 per comparison over
seeds).
"""

from __future__ import annotations

import pytest
from qiskit import QuantumCircuit
from runtime_helpers import noisy_network, same_distribution

from ionnet.compiler.pipeline import compile_circuit
from ionnet.runtime.execute import run_program
from ionnet.runtime.reference import ideal_reference

ALPHA = 1e-3


def _rotations_circuit() -> QuantumCircuit:
    qc = QuantumCircuit(4, 4)
    for q, angle in enumerate((0.4, 1.1, 2.0, 0.7)):
        qc.ry(angle, q)
    qc.cp(1.3, 0, 2)
    qc.cx(1, 3)
    qc.h(2)
    qc.cp(0.6, 3, 0)
    qc.t(1)
    qc.cx(2, 1)
    qc.h(0)
    qc.measure(range(4), range(4))
    return qc


def test_stim_and_trajectories_and_statevector_agree_on_a_teleported_cnot(teleported_cnot):
    net = noisy_network(capacity=1)
    runs = {
        b: run_program(teleported_cnot, net, shots=n, seed=11, backend=b).counts
        for b, n in (("stim", 20000), ("trajectories", 20000), ("statevector", 3000))
    }
    for a, b in (("stim", "trajectories"), ("stim", "statevector"), ("trajectories", "statevector")):
        ok, p = same_distribution(runs[a], runs[b], ALPHA)
        assert ok, f"{a} vs {b}: p = {p:.2e}"
    # the noise is visible: odd-parity outcomes appear at a few per cent
    odd = (runs["stim"].get("01", 0) + runs["stim"].get("10", 0)) / 20000
    assert 0.01 < odd < 0.3


@pytest.mark.slow
def test_trajectories_and_density_matrix_agree_on_a_teleported_cnot(teleported_cnot):
    net = noisy_network(capacity=1)
    fast = run_program(teleported_cnot, net, shots=20000, seed=4, backend="trajectories").counts
    exact = run_program(teleported_cnot, net, shots=1500, seed=4, backend="density").counts
    ok, p = same_distribution(fast, exact, ALPHA)
    assert ok, p


def test_fast_path_matches_per_shot_statevector_on_a_non_clifford_circuit():
    qc = _rotations_circuit()
    net = noisy_network(capacity=2)
    program = compile_circuit(qc, net, seed=0).program
    assert program.cost().ebits >= 2
    ref = ideal_reference(qc)
    fast = run_program(program, net, shots=20000, seed=1, backend="trajectories", reference=ref)
    slow = run_program(program, net, shots=2000, seed=1, backend="statevector", reference=ref)
    assert fast.backend == "trajectories" and slow.backend == "statevector"
    ok, p = same_distribution(fast.counts, slow.counts, ALPHA)
    assert ok, p
    # both are noisy, and equally so
    assert fast.hellinger_fidelity is not None and slow.hellinger_fidelity is not None
    assert fast.hellinger_fidelity < 0.995
    assert abs(fast.hellinger_fidelity - slow.hellinger_fidelity) < 0.03


def test_state_fidelity_estimate_is_consistent_with_the_counts():
    qc = _rotations_circuit()
    net = noisy_network(capacity=2)
    program = compile_circuit(qc, net, seed=0).program
    r = run_program(program, net, shots=4000, seed=3, reference=ideal_reference(qc))
    assert r.fidelity_kind == "state" and r.fidelity_ci95 is not None
    lo, hi = r.fidelity_ci95
    assert lo <= r.fidelity <= hi < 1.0
    # the state fidelity bounds the classical fidelity of the output distribution from below
    assert r.hellinger_fidelity is not None and r.hellinger_fidelity >= lo - 0.02


def test_same_seed_same_result_and_different_seed_different_draws(teleported_cnot):
    net = noisy_network(capacity=1)
    a = run_program(teleported_cnot, net, shots=500, seed=21, backend="trajectories")
    b = run_program(teleported_cnot, net, shots=500, seed=21, backend="trajectories")
    c = run_program(teleported_cnot, net, shots=500, seed=22, backend="trajectories")
    assert a.counts == b.counts and a.makespan_s == b.makespan_s and a.fidelity == b.fidelity
    assert (c.counts, c.makespan_s) != (a.counts, a.makespan_s)


def test_stim_state_fidelity_agrees_with_the_trajectory_fidelity():
    # GHZ over three modules: Clifford, so stim estimates the state fidelity by measuring the
    # ideal state's stabilizers; the trajectory path computes overlaps. Within 4 standard errors.
    qc = QuantumCircuit(6, 6)
    qc.h(0)
    for i in range(5):
        qc.cx(i, i + 1)
    qc.measure(range(6), range(6))
    net = noisy_network(modules=3, capacity=2)
    program = compile_circuit(qc, net, seed=0).program
    ref = ideal_reference(qc)
    a = run_program(program, net, shots=20000, seed=6, backend="stim", reference=ref)
    b = run_program(program, net, shots=20000, seed=6, backend="trajectories", reference=ref)
    assert a.fidelity_kind == b.fidelity_kind == "state"
    assert a.fidelity_ci95 is not None and b.fidelity_ci95 is not None
    sa = (a.fidelity_ci95[1] - a.fidelity_ci95[0]) / 3.92
    sb = (b.fidelity_ci95[1] - b.fidelity_ci95[0]) / 3.92
    assert abs(a.fidelity - b.fidelity) < 4 * (sa**2 + sb**2) ** 0.5
    assert a.fidelity < 0.95
