"""The Target: native gates as Qiskit gates, figures from the modules and links, pairs, T1/T2."""

from __future__ import annotations

import dataclasses

import pytest

from ionnet.errors import ConfigError
from ionnet.hardware import link_budget, load_network
from ionnet.hardware.network import make_edges
from ionnet.protocols.batch import sample_teleported_cnot
from ionnet.protocols.native_gates import depolarizing_probability
from ionnet.qiskit import IonnetBackend, IonnetProvider, build_target, remote_gate_figures


def test_native_operations_and_local_figures(net_2x3):
    target = build_target(net_2x3)
    m = net_2x3.modules[0]
    assert set(target.operation_names) == {"r", "rz", "rxx", "rzz", "measure", "reset", "delay", "if_else"}
    assert target["r"][(0,)].duration == m.single_qubit_gate_time_s
    assert target["r"][(0,)].error == pytest.approx(1 - m.single_qubit_gate_fidelity)
    assert (target["rz"][(4,)].duration, target["rz"][(4,)].error) == (0.0, 0.0)
    assert target["rxx"][(1, 2)].duration == m.two_qubit_gate_time_s
    assert target["rxx"][(2, 1)].error == pytest.approx(1 - m.two_qubit_gate_fidelity)
    assert target["rzz"][(3, 5)].error == pytest.approx(1 - m.zz_gate_fidelity)
    assert target["measure"][(5,)].error == m.spam_error
    assert target["measure"][(5,)].duration == m.measurement_time_s
    assert target["reset"][(0,)].duration == m.reset_time_s


def test_every_ordered_pair_and_remote_pairs_cost_a_teleported_gate(net_2x3):
    target = build_target(net_2x3)
    assert len(target["rxx"]) == len(target["rzz"]) == 6 * 5
    remote = remote_gate_figures(net_2x3, 0, 1)
    local = target["rxx"][(0, 1)]
    for q, r in [(0, 3), (3, 0), (2, 5)]:
        assert target["rxx"][(q, r)].error == pytest.approx(remote.error)
        assert target["rxx"][(q, r)].duration == pytest.approx(remote.duration_s)
    budget = link_budget(net_2x3.link, net_2x3.modules[0])
    assert remote.duration_s > 1.0 / budget.rate_hz > 5 * local.duration
    assert remote.ebit_fidelity == pytest.approx(budget.fidelity)
    assert remote.error > 0.8 * (1 - budget.fidelity) > 5 * local.error


def test_remote_error_matches_the_sampled_teleported_cnot(net_2x3):
    """Without idling, the analytic error agrees with the stim protocol's average gate fidelity."""
    figures = remote_gate_figures(net_2x3, 0, 1, idle=False)
    budget = link_budget(net_2x3.link, net_2x3.modules[0])
    est = sample_teleported_cnot(budget.state, net_2x3.modules[0], shots=200_000, seed=11)
    # the product 1 - Π(1 - p_i) ignores rare cancelling error pairs: at most ~ p² above the exact value
    assert abs(figures.error - (1 - est.average_gate_fidelity)) <= est.ci95 + figures.pauli_error**2


def test_two_hops_cost_more_than_one():
    net = load_network("default").with_modules(3, capacity=2)
    chain = dataclasses.replace(net, edges=make_edges("chain", 3), links=(net.link,) * 2, topology="chain")
    one, two = remote_gate_figures(chain, 0, 1), remote_gate_figures(chain, 0, 2)
    assert (one.hops, two.hops) == (1, 2)
    assert two.error > one.error and two.duration_s > one.duration_s
    assert two.ebit_fidelity < one.ebit_fidelity
    assert depolarizing_probability(0.9, 2) > 0  # the table the figures come from is importable


def test_qubit_properties_modules_and_module_of(net_2x3):
    backend = IonnetBackend(net_2x3)
    m = net_2x3.modules[0]
    props = backend.qubit_properties(4)
    assert (props.t1, props.t2) == (m.memory_t1_s, m.memory_t2_s)
    assert backend.modules == ((0, 1, 2), (3, 4, 5))
    assert [backend.module_of(q) for q in range(6)] == [0, 0, 0, 1, 1, 1]
    with pytest.raises(ConfigError, match=r"qubit must be in 0\.\.5"):
        backend.module_of(6)


def test_backend_from_preset_name_file_and_provider(tmp_path):
    path = tmp_path / "tiny.toml"
    path.write_text('[network]\nname = "tiny"\nmodules = 3\n[module]\ndata_qubits = 2\n')
    assert IonnetBackend(path).num_qubits == 6
    assert IonnetBackend("duke-2024").num_qubits == 2
    provider = IonnetProvider()
    assert {b.name for b in provider.backends()} >= {"ionnet_default", "ionnet_oxford-2020"}
    assert provider.get_backend("ionnet_oxford-2020").network.name == "oxford-2020"
    with pytest.raises(ConfigError, match="no ionnet backend 'nope'"):
        provider.get_backend("nope")
    with pytest.raises(ConfigError, match="unknown network"):
        IonnetBackend("nope")
