"""The timing pass: durations, herald times, fibre latency, pre-generation, errors."""

from __future__ import annotations

import dataclasses

import pytest

from ionnet.compiler.program import DistributedProgram
from ionnet.errors import NetworkError, ProgramError
from ionnet.hardware import link_physics, load_network
from ionnet.runtime.timing import schedule
from ionnet.seeding import stream


def test_teleported_cnot_trace_follows_the_durations(teleported_cnot):
    net = load_network("default")
    m = net.modules[0]
    trace = schedule(teleported_cnot, net, stream(5, "t"))
    (ebit,) = trace.ebits
    latency = net.link.fiber_length_m / link_physics.speed_in_fiber_m_per_s(net.link)
    ops = {op.label: op for op in trace.ops}
    h = ops["H m0.q0"]
    assert (h.start_s, h.end_s) == (0.0, pytest.approx(m.single_qubit_gate_time_s))
    cx = ops["CX m0.q0 m0.c0"]
    assert cx.start_s == pytest.approx(max(h.end_s, ebit.herald_s))
    assert cx.duration_s == pytest.approx(m.two_qubit_gate_time_s)
    send = ops["SEND t0 m0 -> m1"]
    assert send.duration_s == pytest.approx(latency)
    assert ops["IF t0 X m1.c0"].start_s == pytest.approx(send.end_s)
    assert ops["IF t1 Z m0.q0"].duration_s == 0.0  # Z is a virtual frame change
    assert trace.makespan_s == max(op.end_s for op in trace.ops)


def test_ebit_attempts_are_geometric_from_the_link_layer(teleported_cnot):
    net = load_network("default")
    period = 1.0 / net.link.attempt_rate_hz
    latency = link_physics.herald_latency_s(net.link)
    trace = schedule(teleported_cnot, net, stream(9, "t"))
    (ebit,) = trace.ebits
    assert ebit.herald_s - ebit.start_s == pytest.approx(
        (ebit.attempts - 1) * period / net.link.duty_cycle + latency
    )


def test_pairs_are_generated_ahead_of_need():
    # m0 computes for a long time before the EPR; the link starts at t=0 and the pair waits.
    text = "\n".join(["H m0.q0"] * 300 + ["EPR m0.c0 m1.c0", "CX m0.q0 m0.c0", "MEASURE m0.c0 -> t0"])
    trace = schedule(DistributedProgram.from_text(text), load_network("default"), stream(1, "t"))
    (ebit,) = trace.ebits
    assert ebit.start_s == 0.0
    assert ebit.herald_s < ebit.consumed_s == pytest.approx(300 * 135e-6)
    assert ebit.wait_s > 0


def test_second_ebit_on_the_same_ion_waits_for_the_first_to_be_measured():
    text = "EPR m0.c0 m1.c0\nMEASURE m0.c0 -> t0\nMEASURE m1.c0 -> t1\nEPR m0.c0 m1.c0"
    trace = schedule(DistributedProgram.from_text(text), load_network("default"), stream(1, "t"))
    first, second = trace.ebits
    measured = max(op.end_s for op in trace.ops if op.kind == "measure")
    assert second.start_s == pytest.approx(measured)
    assert second.start_s >= first.herald_s


def test_same_seed_same_trace(teleported_cnot):
    net = load_network("default")
    a = schedule(teleported_cnot, net, stream(3, "t")).to_dict()
    b = schedule(teleported_cnot, net, stream(3, "t")).to_dict()
    assert a == b


def test_program_that_does_not_fit():
    with pytest.raises(NetworkError, match=r"m0\.q30 does not exist"):
        schedule(DistributedProgram.from_text("H m0.q30"), load_network("default"), stream(0))


def test_disconnected_network():
    net = load_network("default").with_modules(3)
    net = dataclasses.replace(net, edges=((0, 1),), links=(net.link,), topology="explicit")
    with pytest.raises(NetworkError, match="not connected"):
        schedule(DistributedProgram.from_text("H m2.q0"), net, stream(0))


def test_reading_a_bit_that_never_arrives():
    text = "MEASURE m0.q0 -> t0\nIF t0 X m1.q0"
    with pytest.raises(ProgramError, match="reads bit t0 on m1"):
        schedule(DistributedProgram.from_text(text), load_network("default"), stream(0))


def test_utilisation_and_trace_json(teleported_cnot, tmp_path):
    trace = schedule(teleported_cnot, load_network("default"), stream(2, "t"))
    util = trace.utilisation()
    assert set(util) == {"m0", "m1", "link m0-m1"}
    assert all(0.0 <= u <= 1.0 for u in util.values())
    path = trace.write_json(tmp_path / "trace.json")
    assert '"makespan_s"' in path.read_text()


def test_two_communication_ion_pairs_attempt_in_parallel():
    base = load_network("default")
    module = dataclasses.replace(base.modules[0], communication_ions=2)
    net = dataclasses.replace(
        base, modules=(module, module), links=(dataclasses.replace(base.link, communication_ions=2),)
    )
    text = "EPR m0.c0 m1.c0\nEPR m0.c1 m1.c1\nMEASURE m0.c0 -> t0\nMEASURE m0.c1 -> t1"
    trace = schedule(DistributedProgram.from_text(text), net, stream(1, "t"))
    assert [e.start_s for e in trace.ebits] == [0.0, 0.0]
    # with one pair of ions per link the second generation waits for the first herald
    serial = dataclasses.replace(net, links=(base.link,))
    first, second = schedule(DistributedProgram.from_text(text), serial, stream(1, "t")).ebits
    assert second.start_s == pytest.approx(first.herald_s)
