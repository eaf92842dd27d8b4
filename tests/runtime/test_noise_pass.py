"""The noise pass: idle channels for exactly the idle time, ebit states, crosstalk, ideal mode."""

from __future__ import annotations

import dataclasses

import pytest

from ionnet.compiler.program import DistributedProgram
from ionnet.hardware import link_physics, load_network
from ionnet.runtime.noise import NoiseModel, idle_pauli
from ionnet.runtime.noisy import build_noisy_circuit, compose_z
from ionnet.runtime.timing import schedule
from ionnet.seeding import stream

PROGRAM = "H m0.q0\nEPR m0.c0 m1.c0\nCX m0.q0 m0.c0\nMEASURE m0.c0 -> t0"


def _idle_before_cx(nc):
    cx = next(i for i, s in enumerate(nc.steps) if s.kind == "gate" and s.name == "CX")
    return next(s for s in reversed(nc.steps[:cx]) if s.kind == "pauli1" and s.qubits == ("m0.q0",))


def _circuit(net, ideal=False, seed=4):
    program = DistributedProgram.from_text(PROGRAM)
    trace = schedule(program, net, stream(seed, "t"))
    return trace, build_noisy_circuit(program, trace, NoiseModel.from_network(net, ideal))


def test_idle_noise_covers_exactly_the_wait_for_the_ebit():
    net = load_network("default")
    trace, nc = _circuit(net)
    (ebit,) = trace.ebits
    m = net.modules[0]
    wait = ebit.herald_s - m.single_qubit_gate_time_s  # the H ends, then q0 waits for the herald
    expected = idle_pauli(wait, m.memory_t1_s, m.memory_t2_s, m.coherence_envelope)
    assert _idle_before_cx(nc).probs == pytest.approx(expected)


def test_ebit_state_is_the_link_physics_heralded_state():
    net = load_network("default")
    _, nc = _circuit(net)
    epr = next(i for i, s in enumerate(nc.steps) if s.kind == "epr")
    state = link_physics.heralded_state(net.link, net.modules[0], net.modules[1])
    assert nc.steps[epr + 1].qubits == ("m1.c0",)
    assert nc.steps[epr + 1].probs == pytest.approx((state.p_x, state.p_y, state.p_z))


def test_crosstalk_dephases_memory_ions_per_attempt():
    base = load_network("default")
    p = 1e-5
    module = dataclasses.replace(base.modules[0], crosstalk_dephasing_per_attempt=p)
    net = dataclasses.replace(base, modules=(module, module))
    trace, nc = _circuit(net)
    (ebit,) = trace.ebits
    m = net.modules[0]
    t0 = m.single_qubit_gate_time_s
    n = ebit.attempts * (ebit.herald_s - t0) / (ebit.herald_s - ebit.start_s)
    idle = idle_pauli(ebit.herald_s - t0, m.memory_t1_s, m.memory_t2_s, m.coherence_envelope)
    expected = compose_z(idle, 0.5 * (1 - (1 - 2 * p) ** n))
    step = _idle_before_cx(nc)
    assert step.probs == pytest.approx(expected)
    assert step.probs[2] > idle[2]


def test_ideal_mode_has_no_noise_but_the_same_timing():
    net = load_network("default")
    trace_noisy, noisy = _circuit(net)
    trace_ideal, ideal = _circuit(net, ideal=True)
    assert trace_noisy.makespan_s == trace_ideal.makespan_s
    assert noisy.num_locations > 0 and ideal.num_locations == 0
    assert all(s.probs == (0.0,) for s in ideal.steps if s.kind == "measure")
