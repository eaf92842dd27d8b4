"""The runtime's ebit storage options: swap into memory ions, and a cutoff with regeneration."""

from __future__ import annotations

import dataclasses
import math
import textwrap

import pytest

from ionnet.compiler.program import DistributedProgram
from ionnet.errors import ConfigError
from ionnet.hardware import load_network
from ionnet.hardware.network import NetworkSpec, StoragePolicy, network_from_dict
from ionnet.runtime import run_program, schedule
from ionnet.runtime.noise import NoiseModel
from ionnet.runtime.noisy import build_noisy_circuit
from ionnet.runtime.storage import add_storage_noise, compose_pauli
from ionnet.seeding import stream

REMOTE_CNOT = """
CX m0.q{c} m0.c0
MEASURE m0.c0 -> t{k}
SEND t{k} m0 -> m1
IF t{k} X m1.c0
CX m1.c0 m1.q{t}
H m1.c0
MEASURE m1.c0 -> t{j}
SEND t{j} m1 -> m0
IF t{j} Z m0.q{c}
"""


def two_remote_cnots(delay_gates: int) -> DistributedProgram:
    """Two teleported CNOTs through the same communication ions; the first waits ``delay_gates``."""
    head = "QUBIT 0 m0.q0\nQUBIT 1 m1.q0\nQUBIT 2 m0.q1\nQUBIT 3 m1.q1\nCLBITS 0\nH m0.q0\nH m0.q1\n"
    first = "EPR m0.c0 m1.c0\n" + "X m0.q0\n" * delay_gates + REMOTE_CNOT.format(c=0, t=0, k=0, j=1)
    second = "EPR m0.c0 m1.c0\n" + REMOTE_CNOT.format(c=1, t=1, k=2, j=3)
    return DistributedProgram.from_text(head + first + second)


def with_storage(net: NetworkSpec, **policy: object) -> NetworkSpec:
    return dataclasses.replace(net, storage=StoragePolicy(**policy))  # type: ignore[arg-type]


def test_storage_table_in_a_network_file() -> None:
    net = network_from_dict({"storage": {"swap_to_memory": True, "cutoff_s": 0.01, "memory_slots": 2}})
    assert net.storage == StoragePolicy(swap_to_memory=True, memory_slots=2, cutoff_s=0.01)
    assert load_network("default").storage == StoragePolicy()  # default: keep pairs where they are
    with pytest.raises(ConfigError, match="cutoff_s"):
        network_from_dict({"storage": {"cutoff_s": -1}})
    with pytest.raises(ConfigError, match="swap_to_memory"):
        network_from_dict({"storage": {"swap_to_memory": "yes"}})
    with pytest.raises(ConfigError, match="bogus"):
        network_from_dict({"storage": {"bogus": 1}})


def test_default_policy_keeps_todays_trace() -> None:
    program = two_remote_cnots(10)
    net = load_network("default")
    explicit = with_storage(net, swap_to_memory=False, cutoff_s=None)
    a = schedule(program, net, stream(1, "s"))
    b = schedule(program, explicit, stream(1, "s"))
    assert a.to_dict() == b.to_dict()
    assert a.ebits_discarded == 0 and a.ebits_in_memory == 0
    assert all(e.memory_s is None and e.discarded == 0 for e in a.ebits)


def test_swap_to_memory_frees_the_communication_ion_for_the_next_ebit() -> None:
    program = two_remote_cnots(30)  # the first pair waits ~4 ms for its use
    net = load_network("default")
    spec = net.modules[0]
    for seed in range(5):
        plain = schedule(program, net, stream(seed, "s"))
        swap = schedule(program, with_storage(net, swap_to_memory=True), stream(seed, "s"))
        first, second = swap.ebits
        assert first.memory_s == pytest.approx(first.herald_s + spec.swap_time_s)
        assert second.memory_s is None  # no later EPR needs its ions: it stays put
        # the second pair starts attempting once the first is in memory, not after its users end
        assert second.start_s == pytest.approx(first.memory_s)
        assert second.start_s < plain.ebits[1].start_s
        assert [op.kind for op in swap.ops].count("swap") == 2
        assert swap.ebits_in_memory == 1


def test_no_free_memory_ion_means_no_swap() -> None:
    program = two_remote_cnots(30)
    net = load_network("default").with_modules(2, capacity=2)  # both data ions used: none free
    trace = schedule(program, with_storage(net, swap_to_memory=True), stream(0, "s"))
    assert trace.ebits_in_memory == 0
    net = load_network("default")
    trace = schedule(program, with_storage(net, swap_to_memory=True, memory_slots=0), stream(0, "s"))
    assert trace.ebits_in_memory == 0


def test_swapped_half_pays_the_swap_and_idles_as_a_memory_ion() -> None:
    program = two_remote_cnots(30)
    net = with_storage(load_network("default"), swap_to_memory=True)
    trace = schedule(program, net, stream(2, "s"))
    noise = NoiseModel.from_network(net)
    plain = build_noisy_circuit(program, trace, noise)
    nc = add_storage_noise(plain, program, trace, noise)
    first = trace.ebits[0]
    cx = next(op for op in trace.ops if op.label == "CX m0.q0 m0.c0")
    m = noise.modules[0]
    p = 1 - net.modules[0].swap_fidelity
    assert first.memory_s is not None
    in_comm = m.idle_channel("c", first.memory_s - first.herald_s)
    in_memory = m.idle_channel("q", cx.start_s - first.memory_s)
    expected = compose_pauli(compose_pauli(in_comm, in_memory), (p / 3, p / 3, p / 3))
    before_cx = [s for s in nc.steps if s.qubits == ("m0.c0",) and s.kind == "pauli1"]
    assert before_cx[0].probs == pytest.approx(expected)
    plain_idle = next(s for s in plain.steps if s.qubits == ("m0.c0",) and s.kind == "pauli1")
    assert plain_idle.probs != pytest.approx(expected)  # the noise pass alone idles it as a comm ion


def short_lived_network() -> NetworkSpec:
    net = load_network("default")
    module = dataclasses.replace(net.modules[0], communication_t2_s=0.004)  # ions dephase in ms
    return dataclasses.replace(net, modules=(module, module))


def waiting_bell_pair(delay_gates: int) -> DistributedProgram:
    """An ebit generated at once but claimed only after ``delay_gates`` X gates on both modules."""
    pad = "".join("X m0.q0\nX m1.q0\n" for _ in range(delay_gates))
    text = f"""
    QUBIT 0 m0.q0
    QUBIT 1 m1.q0
    FINAL 0 m0.c0
    FINAL 1 m1.c0
    CLBITS 2
    {pad}EPR m0.c0 m1.c0
    MEASURE m0.c0 -> c0
    MEASURE m1.c0 -> c1
    """
    return DistributedProgram.from_text(textwrap.dedent(text).replace("\n    ", "\n"))


def test_cutoff_discards_pairs_that_wait_and_regenerates_them() -> None:
    program = waiting_bell_pair(100)  # claimed after 100 x 135 us = 13.5 ms
    net = with_storage(load_network("default"), cutoff_s=0.002)
    for seed in range(5):
        trace = schedule(program, net, stream(seed, "c"))
        (e,) = trace.ebits
        claim = 100 * net.modules[0].single_qubit_gate_time_s
        assert e.discarded >= 1 and trace.ebits_discarded == e.discarded
        discards = [op for op in trace.ops if op.kind == "discard"]
        assert len(discards) == e.discarded
        assert all(op.duration_s == pytest.approx(0.002) for op in discards)
        assert e.herald_s >= claim - 0.002 - 1e-12  # the used pair waited at most the cutoff
        attempts = [op for op in trace.ops if op.kind == "attempts"]
        assert len(attempts) == e.discarded + 1 and e.attempts == sum(int(op.label[10:]) for op in attempts)


def test_cutoff_raises_the_fidelity_of_a_pair_that_waits() -> None:
    # dephasing while the pair waits shows in XX, not in the Z readout: score the state fidelity
    # to |Φ+> on the stim path
    program = waiting_bell_pair(60)
    net = short_lived_network()
    import numpy as np

    from ionnet.runtime.reference import IdealReference

    bell = np.array([1, 0, 0, 1]) / math.sqrt(2)
    ref = IdealReference(bell.astype(complex), {"00": 0.5, "11": 0.5})
    keep = run_program(program, net, shots=4000, seed=3, reference=ref)
    cut = run_program(program, with_storage(net, cutoff_s=0.001), shots=4000, seed=3, reference=ref)
    assert keep.fidelity is not None and cut.fidelity is not None
    assert keep.fidelity_ci95 is not None and cut.fidelity_ci95 is not None
    assert cut.fidelity_ci95[0] > keep.fidelity_ci95[1]  # the discarded pairs decohered, the new one not
    assert cut.link_attempts > keep.link_attempts
    assert cut.to_dict()["ebits_discarded"] >= 1 and keep.to_dict()["ebits_discarded"] == 0
