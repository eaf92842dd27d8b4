"""The ``link`` interface: the ideal link is ``uniform``; worse ebits, rate or T2 never help."""

import dataclasses
import itertools

import pytest

from ionnet.errors import ConfigError
from ionnet.hardware import link_physics, load_network
from ionnet.qec import InterfaceNoise, MemorySpec, SurgerySpec, memory_experiment, surgery_experiment
from ionnet.qec.interface import link_rate_hz
from ionnet.qec.memory import memory_layout

BASE = load_network("default").with_modules(2, capacity=64)


def _module(net, **changes):
    module = dataclasses.replace(net.modules[0], **changes)
    return dataclasses.replace(net, modules=(module,) * net.num_modules)


def _link(net, **changes):
    link = dataclasses.replace(net.link, **changes)
    return dataclasses.replace(net, links=(link,) * len(net.links))


def _dem(circuit):
    """Undecomposed error model keyed by the coordinates of the flipped detectors."""
    coords = circuit.get_detector_coordinates()
    out = {}
    for inst in circuit.detector_error_model(approximate_disjoint_errors=True).flattened():
        if inst.type == "error":
            key = tuple(
                sorted(
                    tuple(coords[t.val]) if t.is_relative_detector_id() else (-1.0, float(t.val))
                    for t in inst.targets_copy()
                )
            )
            p, q = inst.args_copy()[0], out.get(key, 0.0)
            out[key] = p * (1 - q) + q * (1 - p)
    return out


@pytest.mark.parametrize(
    "make", [lambda: MemorySpec(3), lambda: MemorySpec(5, seam="parallel", basis="X"), lambda: SurgerySpec(3)]
)
def test_ideal_link_is_uniform(make, logical_errors, zscore):
    """Perfect ebits, no generation time, ideal teleport operations: the uniform circuit."""
    spec = make()
    build = memory_experiment if isinstance(spec, MemorySpec) else surgery_experiment
    p = 4e-3
    uniform = build(spec, InterfaceNoise("uniform", p=p))
    link = build(spec, InterfaceNoise("link", p=p, ebit_fidelity=1.0, teleport="gate"))
    assert _dem(uniform.circuit) == pytest.approx(_dem(link.circuit), abs=1e-15)
    a, b = logical_errors(uniform.circuit, 10_000, 1), logical_errors(link.circuit, 10_000, 2)
    assert abs(zscore(a, b)) < 4


def test_physical_teleport_costs_more_than_the_gate_model(logical_errors, zscore):
    spec = MemorySpec(3)
    gate = memory_experiment(spec, InterfaceNoise("link", p=4e-3, ebit_fidelity=1.0, teleport="gate"))
    physical = memory_experiment(spec, InterfaceNoise("link", p=4e-3, ebit_fidelity=1.0))
    assert zscore(logical_errors(gate.circuit, 20_000, 3), logical_errors(physical.circuit, 20_000, 4)) > 3


def test_lower_ebit_fidelity_never_helps(logical_errors, zscore):
    counts = [
        logical_errors(
            memory_experiment(MemorySpec(3), InterfaceNoise("link", p=2e-3, ebit_fidelity=f)).circuit,
            20_000,
            5,
        )
        for f in (1.0, 0.98, 0.9, 0.8)
    ]
    for better, worse in itertools.pairwise(counts):
        assert zscore(better, worse) > -3
    assert zscore(counts[0], counts[-1]) > 10


def test_lower_rate_never_helps(logical_errors, zscore):
    results = []
    for rate in (1e6, 1e5, 2e4):
        net = _link(BASE, attempt_rate_hz=rate)
        exp = memory_experiment(MemorySpec(3), InterfaceNoise("link", network=net))
        results.append((exp.round_time_s, logical_errors(exp.circuit, 20_000, 6)))
    times = [t for t, _ in results]
    assert times == sorted(times) and times[-1] > 10 * times[0]
    for (_, better), (_, worse) in itertools.pairwise(results):
        assert zscore(better, worse) > -3
    assert zscore(results[0][1], results[-1][1]) > 10


def test_lower_t2_never_helps(logical_errors, zscore):
    """The X memory sees dephasing (a Z memory is blind to Z errors)."""
    counts = []
    for t2 in (100.0, 1.0, 0.3):
        net = _module(BASE, memory_t2_s=t2, communication_t2_s=t2)
        counts.append(
            logical_errors(
                memory_experiment(MemorySpec(3, basis="X"), InterfaceNoise("link", network=net)).circuit,
                20_000,
                7,
            )
        )
    for better, worse in itertools.pairwise(counts):
        assert zscore(better, worse) > -3
    assert zscore(counts[0], counts[-1]) > 10


def test_round_time_is_local_or_generation_time():
    spec = MemorySpec(3)
    _, _, stabs, module_of = memory_layout(spec)
    m = BASE.modules[0]
    # Independent count of each module's busy time: 2 single-qubit gates per X plaquette,
    # one two-qubit gate per CX end (a teleported CX costs one CX with a communication ion).
    busy = {0: 0.0, 1: 0.0}
    for s in stabs:
        if s.basis == "X":
            busy[module_of[s.ancilla]] += 2 * m.single_qubit_gate_time_s
        for q in s.support:
            busy[module_of[q]] += m.two_qubit_gate_time_s
            busy[module_of[s.ancilla]] += m.two_qubit_gate_time_s
    local = max(busy.values()) + m.measurement_time_s + m.reset_time_s
    for rate in (1e6, 1e4):
        net = _link(BASE, attempt_rate_hz=rate)
        exp = memory_experiment(spec, InterfaceNoise("link", network=net))
        r = link_physics.rate_hz(net.link)
        assert exp.ebits_per_round == 5
        assert exp.timing["local_s"] == pytest.approx(local)
        assert exp.timing["generation_s"] == pytest.approx(5 / r)
        assert exp.round_time_s == pytest.approx(max(local, 5 / r))
    # Uniform noise with a network reports the same time; without one there is none.
    assert memory_experiment(spec, InterfaceNoise("uniform", network=BASE)).round_time_s == pytest.approx(
        memory_experiment(spec, InterfaceNoise("link", network=BASE)).round_time_s
    )
    assert memory_experiment(spec, InterfaceNoise("uniform")).round_time_s is None


def test_communication_ions_cap_the_pairs_attempting():
    two_pairs = _link(BASE, communication_ions=2)
    assert link_rate_hz(two_pairs.link, *two_pairs.modules) == pytest.approx(link_physics.rate_hz(BASE.link))
    both = _module(two_pairs, communication_ions=2)
    assert link_rate_hz(both.link, *both.modules) == pytest.approx(2 * link_physics.rate_hz(BASE.link))
    slow = memory_experiment(MemorySpec(3), InterfaceNoise("link", network=_link(BASE, attempt_rate_hz=1e4)))
    fast = memory_experiment(MemorySpec(3), InterfaceNoise("link", network=_link(both, attempt_rate_hz=1e4)))
    assert fast.round_time_s == pytest.approx(slow.round_time_s / 2)


def test_purification_trades_rate_for_fidelity(logical_errors, zscore):
    spec = MemorySpec(3)
    raw = memory_experiment(spec, InterfaceNoise("link", p=1e-3, ebit_fidelity=0.85))
    pure = memory_experiment(spec, InterfaceNoise("link", p=1e-3, ebit_fidelity=0.85, purification_rounds=2))
    assert zscore(logical_errors(pure.circuit, 20_000, 9), logical_errors(raw.circuit, 20_000, 10)) > 5
    with pytest.raises(ConfigError, match="module m0 of network 'default' has 1"):
        memory_experiment(spec, InterfaceNoise("link", network=BASE, purification_rounds=1))
    two = _link(_module(BASE, communication_ions=2), attempt_rate_hz=1e4)
    once = memory_experiment(spec, InterfaceNoise("link", network=two))
    twice = memory_experiment(spec, InterfaceNoise("link", network=two, purification_rounds=1))
    cost = twice.timing["raw_ebits_per_ebit"]
    assert 2.0 < cost < 3.0
    assert twice.timing["generation_s"] == pytest.approx(once.timing["generation_s"] * cost)


def test_surgery_pays_for_worse_ebits(logical_errors, zscore):
    spec = SurgerySpec(3, basis="XX")
    good = surgery_experiment(spec, InterfaceNoise("link", p=2e-3, ebit_fidelity=0.99))
    bad = surgery_experiment(spec, InterfaceNoise("link", p=2e-3, ebit_fidelity=0.85))
    assert zscore(logical_errors(good.circuit, 10_000, 11), logical_errors(bad.circuit, 10_000, 12)) > 5
    net = _link(_module(BASE, data_qubits=30), attempt_rate_hz=1e4)
    exp = surgery_experiment(spec, InterfaceNoise("link", network=net))
    assert exp.ebits_per_round == exp.description["crossing_cx_per_round"] == 5
    assert exp.round_time_s == pytest.approx(5 / link_physics.rate_hz(net.link))
