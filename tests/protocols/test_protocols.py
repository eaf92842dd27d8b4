"""Teleportation, teleported gates, swapping and GHZ against their analytic values."""

from __future__ import annotations

import math

import numpy as np
import pytest
from qiskit import QuantumCircuit
from qiskit.circuit.library import CZGate
from qiskit.quantum_info import Kraus, Operator, average_gate_fidelity

from ionnet.errors import ConfigError
from ionnet.hardware.bell import BellDiagonal
from ionnet.hardware.network import load_network
from ionnet.link.purification import dejmps
from ionnet.protocols.calculator import run_protocol
from ionnet.protocols.context import ideal_context
from ionnet.protocols.teleport import remote_controlled
from ionnet.seeding import stream
from ionnet.states import DensityMatrixBackend, gate_unitary

SAMPLING = ["statevector", "stabilizer"]
BELL = np.array([1, 0, 0, 1]) / math.sqrt(2)


def _within_4_sigma(report, expected: float) -> bool:  # type: ignore[no-untyped-def]
    """The 95 % interval spans 2 x 1.96 sigma; allow 4 sigma (plus 1e-12 for exact ties)."""
    assert report.fidelity_ci95 is not None
    low, high = report.fidelity_ci95
    sigma = max((high - low) / (2 * 1.96), 1e-12)
    return abs(report.fidelity - expected) < 4 * sigma


@pytest.mark.parametrize("protocol", ["teleport", "cnot", "cz"])
def test_perfect_ebits_give_the_ideal_channel(protocol: str) -> None:
    r = run_protocol(protocol, backend="density", ebit_fidelity=1.0)
    d = 2 if protocol == "teleport" else 4
    process_fidelity = ((d + 1) * r.fidelity - 1) / d
    assert process_fidelity == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("f", [0.25, 0.6, 0.9, 0.99])
def test_teleportation_average_fidelity_with_werner_ebit(f: float) -> None:
    assert run_protocol("teleport", ebit_fidelity=f).fidelity == pytest.approx((2 * f + 1) / 3, abs=1e-12)


@pytest.mark.parametrize(("f1", "f2"), [(0.9, 0.8), (0.95, 0.7), (1.0, 0.6)])
def test_swapping_two_werner_pairs(f1: float, f2: float) -> None:
    from ionnet.protocols.chain import swap_chain

    ctx = ideal_context(DensityMatrixBackend(stream(0, "swap2")), num_modules=3)
    ctx.ebit_state = lambda a, b: BellDiagonal.werner(f1 if (a, b) == (0, 1) else f2)
    pair = swap_chain(ctx, [0, 1, 2])
    expected = f1 * f2 + (1 - f1) * (1 - f2) / 3
    assert ctx.backend.fidelity(BELL, [pair.first, pair.last]) == pytest.approx(expected, abs=1e-12)


def test_swap_chain_of_werner_pairs_multiplies_werner_parameters() -> None:
    f, n = 0.95, 5
    w = (4 * f - 1) / 3
    r = run_protocol("swap", ebit_fidelity=f, nodes=n)
    assert r.fidelity == pytest.approx((3 * w ** (n - 1) + 1) / 4, abs=1e-12)
    assert r.ebits == n - 1


def test_ghz_with_werner_ebits() -> None:
    # Each fanned-out member carries its ebit's Pauli error: X or Y break a ZZ stabilizer, Z flips
    # the GHZ phase; the state stays GHZ when no edge has X/Y and an even number of edges have Z.
    f, n = 0.9, 3
    q = (1 - f) / 3
    z_even = ((f + q) ** 2 + (q - f) ** 2) / 2  # over the two edges: even number of Z, none X/Y
    assert run_protocol("ghz", ebit_fidelity=f, nodes=n).fidelity == pytest.approx(z_even, abs=1e-12)
    assert run_protocol("ghz", ebit_fidelity=1.0, nodes=6).fidelity == pytest.approx(1.0, abs=1e-12)


def _ghz_werner_fidelity(f: float, n: int) -> float:
    q = (1 - f) / 3
    return ((f + q) ** (n - 1) + (f - q) ** (n - 1)) / 2


@pytest.mark.parametrize("n", [2, 4])
def test_ghz_fidelity_formula_on_density(n: int) -> None:
    assert run_protocol("ghz", ebit_fidelity=0.9, nodes=n).fidelity == pytest.approx(
        _ghz_werner_fidelity(0.9, n)
    )


@pytest.mark.slow
def test_ghz_over_200_modules_on_stabilizer() -> None:
    f, n = 0.998, 200
    r = run_protocol("ghz", backend="stabilizer", ebit_fidelity=f, nodes=n, shots=400, seed=9)
    assert r.ebits == n - 1
    assert _within_4_sigma(r, _ghz_werner_fidelity(f, n))


def _qiskit_teleported_cz_fidelity(f: float) -> float:
    """Independent: the teleported CZ circuit with deferred measurements, as Kraus operators."""
    qc = QuantumCircuit(4)  # 0 = control c, 1 = target t, 2 = ebit half a (with c), 3 = half b
    qc.cx(0, 2)  # cat-entangler
    qc.cx(2, 3)  # deferred: measure a, X on b
    qc.cz(3, 1)  # the local CZ on the remote module
    qc.h(3)  # cat-disentangler: measure b in X ...
    qc.cz(3, 0)  # ... deferred Z on c
    u = Operator(qc).data.reshape(4, 4, 4, 4)  # [ebit out, ct out, ebit in, ct in]
    state = BellDiagonal.werner(f)
    paulis = {
        "I": np.eye(2),
        "X": np.array([[0, 1], [1, 0]]),
        "Y": np.array([[0, -1j], [1j, 0]]),
        "Z": np.diag([1, -1]),
    }
    kraus = []
    for name, p in zip("IXYZ", state.probabilities, strict=True):
        phi = np.eye(2) / math.sqrt(2) @ paulis[name].T  # M[a, b] of (I ⊗ P)|Φ+>
        beta = np.array([phi[a, b] for b in range(2) for a in range(2)])  # index a + 2b
        for k in range(4):
            kraus.append(math.sqrt(p) * np.einsum("xay,a->xy", u[k], beta))
    return float(average_gate_fidelity(Kraus(kraus), target=Operator(CZGate())))


@pytest.mark.parametrize("f", [1.0, 0.9, 0.7])
def test_teleported_cz_matches_qiskit(f: float) -> None:
    assert run_protocol("cz", ebit_fidelity=f).fidelity == pytest.approx(
        _qiskit_teleported_cz_fidelity(f), abs=1e-10
    )


def test_one_cat_entangled_control_serves_several_gates() -> None:
    backend = DensityMatrixBackend(stream(0, "multi"))
    ctx = ideal_context(backend, num_modules=2)
    (c,) = ctx.modules[0].allocate(1)
    t1, t2 = ctx.modules[1].allocate(2)
    refs = backend.allocate(3)
    for r, q in zip(refs, (c, t1, t2), strict=True):
        backend.apply_gate("H", [r])
        backend.apply_gate("CX", [r, q])
    remote_controlled(ctx, 0, c, 1, [("CX", t1, ()), ("CP", t2, (0.7,)), ("CZ", t1, ())])
    assert ctx.ebits_used == 1
    ideal = DensityMatrixBackend(stream(0, "multi-ideal"))
    q = ideal.allocate(6)
    for r, x in zip(q[:3], q[3:], strict=True):
        ideal.apply_gate("H", [r])
        ideal.apply_gate("CX", [r, x])
    for name, target, params in [("CX", 4, ()), ("CP", 5, (0.7,)), ("CZ", 4, ())]:
        ideal.apply_gate(gate_unitary(name, params), [q[3], q[target]])
    psi = np.linalg.eigh(ideal.density_matrix())[1][:, -1]
    assert backend.fidelity(psi, [*refs, c, t1, t2]) == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("backend", SAMPLING)
@pytest.mark.parametrize("protocol", ["teleport", "cnot", "cz", "swap", "ghz"])
def test_sampling_backends_agree_with_density(protocol: str, backend: str) -> None:
    exact = run_protocol(protocol, backend="density", ebit_fidelity=0.85).fidelity
    sampled = run_protocol(protocol, backend=backend, ebit_fidelity=0.85, shots=600, seed=2)
    assert _within_4_sigma(sampled, exact)


@pytest.mark.parametrize("protocol", ["teleport", "cz", "swap"])
def test_network_physics_statevector_agrees_with_density(protocol: str) -> None:
    net = load_network("default")
    exact = run_protocol(protocol, backend="density", network=net)
    sampled = run_protocol(protocol, backend="statevector", network=net, shots=600, seed=3)
    assert exact.fidelity < 1.0
    assert _within_4_sigma(sampled, exact.fidelity)


def test_network_noise_lowers_fidelity_below_the_ebit_alone() -> None:
    net = load_network("default")
    from ionnet.hardware.link_physics import heralded_state

    f_ebit = heralded_state(net.link, net.modules[0], net.modules[1]).fidelity
    r = run_protocol("teleport", network=net)
    assert r.fidelity < (2 * f_ebit + 1) / 3
    assert r.elapsed_s > net.modules[0].two_qubit_gate_time_s


def test_purification_before_use() -> None:
    raw = BellDiagonal.werner(0.8)
    once = dejmps(raw, raw)
    r = run_protocol("teleport", ebit_fidelity=0.8, purification_rounds=1)
    assert r.fidelity == pytest.approx((2 * once.state.fidelity + 1) / 3, abs=1e-12)
    assert r.ebits == pytest.approx(2 / once.success_probability)


def test_elapsed_time_counts_gates_measurements_and_latency() -> None:
    r = run_protocol("teleport", ebit_fidelity=1.0)
    ctx = ideal_context(DensityMatrixBackend(stream(0, "t")), 2)
    spec = ctx.modules[0].spec
    latency = ctx.latency_s(0, 1)
    expected = (
        spec.two_qubit_gate_time_s + spec.single_qubit_gate_time_s + 2 * spec.measurement_time_s + latency
    )
    assert r.elapsed_s == pytest.approx(expected)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"protocol": "teleport", "ebit_fidelity": 0.2}, "ebit_fidelity"),
        ({"protocol": "swap", "nodes": 2}, "nodes"),
        ({"protocol": "ghz", "nodes": 1}, "nodes"),
        ({"protocol": "bogus"}, "unknown protocol"),
        ({"protocol": "teleport", "backend": "qpu"}, "unknown backend"),
    ],
)
def test_bad_input_raises_config_error(kwargs: dict, match: str) -> None:  # type: ignore[type-arg]
    protocol = kwargs.pop("protocol")
    with pytest.raises(ConfigError, match=match):
        run_protocol(protocol, **kwargs)


def test_teleport_into_memory_pays_the_swap_fidelity() -> None:
    from ionnet.hardware import ModuleSpec
    from ionnet.protocols.context import NetworkContext
    from ionnet.protocols.module import NoisyModule
    from ionnet.protocols.teleport import teleport

    long = 1e15
    spec = ModuleSpec(
        single_qubit_gate_fidelity=1.0,
        two_qubit_gate_fidelity=1.0,
        spam_error=0.0,
        swap_fidelity=0.96,
        memory_t1_s=long,
        memory_t2_s=long,
        communication_t1_s=long,
        communication_t2_s=long,
        communication_ions=2,
    )
    backend = DensityMatrixBackend(stream(0, "to-memory"))
    modules = [NoisyModule(backend, spec, "m0"), NoisyModule(backend, spec, "m1")]
    ctx = NetworkContext(backend, modules, lambda a, b: BellDiagonal.perfect(), lambda a, b: 1e-6)
    (q,) = modules[0].allocate(1)
    (ref,) = backend.allocate(1)
    backend.apply_gate("H", [ref])
    backend.apply_gate("CX", [ref, q])
    moved = teleport(ctx, 0, q, 1, to_memory=True)
    assert modules[1].kind(moved.qubit) == "memory"
    assert backend.fidelity(BELL, [ref, moved.qubit]) == pytest.approx(0.96)  # process fidelity F_swap
    assert moved.done_s == pytest.approx(modules[1].ready_s([moved.qubit]))
