"""Large Clifford programs get a state fidelity: the stabilizers of the ideal output, from stim."""

from __future__ import annotations

import math

import numpy as np
import pytest
from qiskit import QuantumCircuit, transpile

from ionnet.cli.demo_runtime import ghz_circuit as ghz
from ionnet.hardware import load_network
from ionnet.runtime import run_circuit
from ionnet.runtime.reference import ideal_reference
from ionnet.runtime.stim_path import clifford_reference, stabilizers_of


def same_group(a: list, b: list) -> bool:  # type: ignore[type-arg]
    """Two generating sets of one stabilizer state generate the same group."""
    import stim

    def canonical(gens: list) -> list:  # type: ignore[type-arg]
        return stim.Tableau.from_stabilizers(gens).to_stabilizers(canonicalize=True)

    return canonical(a) == canonical(b)


@pytest.mark.parametrize("basis", [None, ["u3", "cx"], ["rz", "sx", "cx"]])
def test_clifford_reference_equals_the_statevector_stabilizers(basis: list[str] | None) -> None:
    qc = QuantumCircuit(5, 5)
    qc.h(0)
    qc.s(1)
    qc.cx(0, 1)
    qc.cz(1, 2)
    qc.h(3)
    qc.swap(3, 4)
    qc.sdg(4)
    qc.cx(4, 0)
    qc.measure(range(5), range(5))
    circuit = qc if basis is None else transpile(qc, basis_gates=basis, seed_transpiler=1)
    ref = clifford_reference(circuit)
    exact = ideal_reference(circuit)
    assert ref is not None and exact is not None
    assert same_group(ref.stabilizers, stabilizers_of(exact.statevector))


def test_non_clifford_or_mid_circuit_measurement_has_no_clifford_reference() -> None:
    qc = QuantumCircuit(2, 1)
    qc.h(0)
    qc.t(0)
    assert clifford_reference(qc) is None
    mid = QuantumCircuit(2, 2)
    mid.h(0)
    mid.measure(0, 0)
    mid.cx(0, 1)
    assert clifford_reference(mid) is None


def test_state_fidelity_from_stabilizers_matches_the_statevector_reference() -> None:
    # 12 qubits: both references exist; the same run scored against either agrees within 4 sigma
    circuit = ghz(12)
    net = load_network("default").with_modules(3, capacity=4)
    by_vector = run_circuit(circuit, net, shots=4000, seed=3).result
    from ionnet.runtime import execute

    compiled = run_circuit(circuit, net, shots=1, seed=3).program
    ref = clifford_reference(circuit)
    by_stabilizers = execute.run_program(compiled, net, shots=4000, seed=3, reference=ref)
    for r in (by_vector, by_stabilizers):
        assert r.fidelity_kind == "state" and r.fidelity_ci95 is not None
    assert by_stabilizers.hellinger_fidelity is None
    a, b = by_vector, by_stabilizers
    assert a.fidelity is not None and b.fidelity is not None
    sa = (a.fidelity_ci95[1] - a.fidelity_ci95[0]) / 3.92  # type: ignore[index]
    sb = (b.fidelity_ci95[1] - b.fidelity_ci95[0]) / 3.92  # type: ignore[index]
    assert abs(a.fidelity - b.fidelity) < 4 * math.hypot(sa, sb)
    assert 0.3 < b.fidelity < 1.0


def test_a_200_qubit_ghz_gets_a_state_fidelity() -> None:
    net = load_network("default").with_modules(8, capacity=25)
    ideal = run_circuit(ghz(200), net, shots=500, seed=1, ideal=True).result
    assert ideal.backend == "stim" and ideal.fidelity == 1.0
    assert set(ideal.counts) == {"0" * 200, "1" * 200}
    noisy = run_circuit(ghz(200), net, shots=2000, seed=1).result
    assert noisy.fidelity_kind == "state" and noisy.fidelity is not None
    lo, hi = noisy.fidelity_ci95  # type: ignore[misc]
    assert 0.0 <= lo <= noisy.fidelity <= hi <= 1.0 and hi - lo > 0


@pytest.mark.slow
def test_a_1000_qubit_ghz_over_40_modules() -> None:
    net = load_network("default").with_modules(40)
    out = run_circuit(ghz(1000), net, shots=10_000, seed=1, ideal=True)
    assert out.result.fidelity == 1.0 and out.result.ebits == 39
    assert sum(out.result.counts.values()) == 10_000
    ones = out.result.counts.get("1" * 1000, 0)
    assert abs(ones / 10_000 - 0.5) < 4 * np.sqrt(0.25 / 10_000)
