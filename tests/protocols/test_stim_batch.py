"""The stim batch path of the protocol calculator against the per-shot path, density and formulas.

Every comparison of a sampled value allows 4 standard deviations at a fixed seed.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from ionnet.errors import BackendError, ConfigError
from ionnet.hardware.network import load_network
from ionnet.protocols.calculator import SHOTS, ProtocolReport, run_protocol, wilson_interval
from ionnet.protocols.context import ideal_context
from ionnet.protocols.stim_batch import StimRecorder, stabilizer_generators
from ionnet.seeding import stream


def sigma(r: ProtocolReport) -> float:
    assert r.fidelity_ci95 is not None
    low, high = r.fidelity_ci95
    return (high - low) / (2 * 1.96)


def ghz_werner(f: float, n: int) -> float:
    q = (1 - f) / 3
    return ((f + q) ** (n - 1) + (f - q) ** (n - 1)) / 2


CASES = [("teleport", 2, 0), ("cnot", 2, 1), ("cz", 2, 0), ("swap", 4, 1), ("ghz", 4, 0)]


@pytest.mark.parametrize(("protocol", "nodes", "rounds"), CASES)
def test_batch_agrees_with_density_on_a_noisy_network(protocol: str, nodes: int, rounds: int) -> None:
    net = load_network("default")
    exact = run_protocol(protocol, network=net, nodes=nodes, purification_rounds=rounds)
    batch = run_protocol(
        protocol,
        backend="stabilizer",
        network=net,
        nodes=nodes,
        shots=40_000,
        seed=11,
        purification_rounds=rounds,
    )
    # density keeps amplitude damping exact, stim twirls it: at these idle times the two differ
    # by far less than the sampling error
    assert abs(batch.fidelity - exact.fidelity) < 4 * sigma(batch)
    assert batch.ebits == exact.ebits and batch.elapsed_s == pytest.approx(exact.elapsed_s)


@pytest.mark.slow
@pytest.mark.parametrize(("protocol", "nodes", "rounds"), CASES)
def test_batch_agrees_with_the_per_shot_stabilizer_path(protocol: str, nodes: int, rounds: int) -> None:
    net = load_network("oxford-2025")
    kwargs = {"backend": "stabilizer", "network": net, "nodes": nodes, "purification_rounds": rounds}
    batch = run_protocol(protocol, shots=20_000, seed=3, **kwargs)  # type: ignore[arg-type]
    per_shot = run_protocol(protocol, shots=800, seed=3, batch=False, **kwargs)  # type: ignore[arg-type]
    assert abs(batch.fidelity - per_shot.fidelity) < 4 * math.hypot(sigma(batch), sigma(per_shot))


@pytest.mark.parametrize(("protocol", "nodes"), [("cz", 2), ("ghz", 5)])
def test_batch_agrees_with_the_per_shot_path_on_werner_ebits(protocol: str, nodes: int) -> None:
    kwargs = {"backend": "stabilizer", "ebit_fidelity": 0.8, "nodes": nodes, "purification_rounds": 1}
    batch = run_protocol(protocol, shots=20_000, seed=3, **kwargs)  # type: ignore[arg-type]
    per_shot = run_protocol(protocol, shots=600, seed=3, batch=False, **kwargs)  # type: ignore[arg-type]
    assert abs(batch.fidelity - per_shot.fidelity) < 4 * math.hypot(sigma(batch), sigma(per_shot))


def test_ghz_over_60_modules_matches_the_werner_formula() -> None:
    f, n = 0.995, 60
    r = run_protocol("ghz", backend="stabilizer", ebit_fidelity=f, nodes=n, shots=20_000, seed=5)
    assert r.ebits == n - 1 and r.shots == 20_000
    assert abs(r.fidelity - ghz_werner(f, n)) < 4 * sigma(r)


def test_swap_chain_matches_the_werner_formula() -> None:
    f, n = 0.97, 30
    w = (4 * f - 1) / 3
    r = run_protocol("swap", backend="stabilizer", ebit_fidelity=f, nodes=n, shots=20_000, seed=6)
    assert abs(r.fidelity - (3 * w ** (n - 1) + 1) / 4) < 4 * sigma(r)


@pytest.mark.slow
def test_ghz_over_1000_modules_with_network_noise_and_purification() -> None:
    f, n = 0.9995, 1000
    r = run_protocol("ghz", backend="stabilizer", ebit_fidelity=f, nodes=n, shots=10_000, seed=8)
    assert abs(r.fidelity - ghz_werner(f, n)) < 4 * sigma(r)
    noisy = run_protocol(
        "ghz",
        backend="stabilizer",
        network=load_network("default"),
        nodes=n,
        shots=2000,
        purification_rounds=2,
    )
    assert noisy.ebits > 2 * (n - 1) and 0.0 <= noisy.fidelity < 0.5


def test_same_seed_same_result_and_seeds_differ() -> None:
    def once(seed: int) -> float:
        return run_protocol(
            "ghz", backend="stabilizer", ebit_fidelity=0.9, nodes=6, shots=3000, seed=seed
        ).fidelity

    assert once(4) == once(4)
    assert once(4) != once(5)


def test_wilson_interval_is_inside_the_unit_interval_and_covers_the_estimate() -> None:
    for hits, n in [(0, 50), (50, 50), (17, 50), (9990, 10_000)]:
        low, high = wilson_interval(hits, n)
        assert 0.0 <= low <= hits / n <= high <= 1.0
    assert wilson_interval(0, 1000)[1] == pytest.approx(3.83e-3, rel=0.01)  # the "rule of 3.84/n"


def test_a_wrong_sign_is_detected_and_sampled_exactly() -> None:
    # the deferred check says no, so the sampler takes stim's reference sample: fidelity 0
    rec = StimRecorder(stream(0, "sign"))
    ctx = ideal_context(rec, num_modules=3)
    target, _ = SHOTS["ghz"][0](ctx, 3)
    good = target.generators()
    flipped = ["-" + good[0][1:], *good[1:]]
    assert rec.ideal_output_satisfies(good, target.qubits) is True
    assert rec.ideal_output_satisfies(flipped, target.qubits) is False
    assert rec.sample_stabilizers(good, target.qubits, 500, seed=1) == (500, 500)
    assert rec.sample_stabilizers(flipped, target.qubits, 500, seed=1) == (0, 500)


def test_recorder_rejects_non_clifford_gates_and_state_queries() -> None:
    rec = StimRecorder(stream(0, "t"))
    (q,) = rec.allocate(1)
    with pytest.raises(BackendError, match="Clifford"):
        rec.apply_gate("T", [q])
    with pytest.raises(BackendError, match="sample_stabilizers"):
        rec.expectation("Z", [q])
    with pytest.raises(BackendError):
        rec.measure(q)


def test_recorded_amplitude_damping_is_the_twirl() -> None:
    # amplitude damping gamma twirls to X, Y with gamma/4 and Z with (1 - sqrt(1 - gamma))^2/4;
    # on |+> only X keeps <X> = +1 among the errors... measure the share of shots with X = +1
    gamma = 0.3
    rec = StimRecorder(stream(0, "ad"))
    (q,) = rec.allocate(1)
    rec.apply_gate("H", [q])
    rec.amplitude_damp(q, gamma)
    hits, shots = rec.sample_stabilizers(["+X"], [q], 200_000, seed=2)
    p_z = (1 - math.sqrt(1 - gamma)) ** 2 / 4
    expected = 1 - gamma / 4 - p_z  # I and X errors keep X = +1
    assert abs(hits / shots - expected) < 4 * math.sqrt(expected * (1 - expected) / shots)


def test_stabilizer_generators_of_the_cnot_choi_state() -> None:
    bell = np.array([1, 0, 0, 1]) / math.sqrt(2)
    assert stabilizer_generators(bell) == ["+XX", "+ZZ"]
    with pytest.raises(BackendError, match="not a stabilizer state"):
        stabilizer_generators(np.array([1, 0.5]) / math.hypot(1, 0.5))


def test_batch_only_on_the_stabilizer_backend() -> None:
    with pytest.raises(ConfigError, match="stabilizer"):
        run_protocol("teleport", backend="statevector", batch=True)
