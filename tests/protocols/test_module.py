"""NoisyModule: idle decoherence for exactly the idle time, SPAM, swap to memory, crosstalk."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ionnet.errors import BackendError
from ionnet.hardware import ModuleSpec
from ionnet.protocols.module import COMMUNICATION, MEMORY, NoisyModule
from ionnet.seeding import stream
from ionnet.states import DensityMatrixBackend, StatevectorBackend

SPEC = ModuleSpec(memory_t1_s=2.0, memory_t2_s=0.5, communication_t1_s=1.0, communication_t2_s=0.1)


def module(spec: ModuleSpec = SPEC) -> NoisyModule:
    return NoisyModule(DensityMatrixBackend(stream(0, "module")), spec)


@pytest.mark.parametrize(("kind", "t1", "t2"), [(MEMORY, 2.0, 0.5), (COMMUNICATION, 1.0, 0.1)])
@pytest.mark.parametrize("envelope", ["exponential", "gaussian"])
def test_idle_dephasing_follows_the_coherence_envelope(
    kind: str, t1: float, t2: float, envelope: str
) -> None:
    m = module(ModuleSpec(**{**SPEC.__dict__, "coherence_envelope": envelope}))
    (q,) = m.allocate(1, kind)
    m.backend.apply_gate("H", [q])
    t = 0.05
    m.idle_until(t)
    envelope_value = math.exp(-t / t2) if envelope == "exponential" else math.exp(-((t / t2) ** 2))
    # T1 damping alone already costs exp(-t/2T1) of coherence: the envelope cannot be flatter
    expected = min(envelope_value, math.exp(-t / (2 * t1)))
    assert m.backend.expectation("X", [q]) == pytest.approx(expected)
    m.idle_until(t)  # no more idle time: no more decay
    assert m.backend.expectation("X", [q]) == pytest.approx(expected)


def test_idle_amplitude_damping_uses_t1() -> None:
    m = module()
    (q,) = m.allocate(1)
    m.backend.apply_gate("X", [q])
    m.idle_until(0.3)
    assert m.backend.expectation("Z", [q]) == pytest.approx(-1 + 2 * (1 - math.exp(-0.3 / 2.0)))


def test_gates_wait_for_the_module_and_idle_the_rest() -> None:
    m = module()
    a, b = m.allocate(2)
    m.backend.apply_gate("H", [b])
    m.gate("MS", [a, b], [0, 0, math.pi / 2])
    m.gate("GPI", [a], [0.0])
    assert m.ready_s([a]) == pytest.approx(SPEC.two_qubit_gate_time_s + SPEC.single_qubit_gate_time_s)
    assert m.ready_s([b]) == pytest.approx(SPEC.two_qubit_gate_time_s)
    with pytest.raises(BackendError, match="busy until"):
        m.idle_until(0.0, [a])


def test_spam_flips_the_reported_bit() -> None:
    spam = 0.2
    m = NoisyModule(StatevectorBackend(stream(0, "spam")), ModuleSpec(spam_error=spam))
    shots = 3000
    ones = 0
    for _ in range(shots):
        (q,) = m.allocate(1)
        ones += m.measure(q)[0]
        m.release(q)
    assert abs(ones / shots - spam) < 4 * math.sqrt(spam * (1 - spam) / shots)


def test_swap_to_memory_moves_the_state_with_its_fidelity() -> None:
    m = module(
        ModuleSpec(
            swap_fidelity=0.97,
            memory_t1_s=1e9,
            memory_t2_s=1e9,
            communication_t1_s=1e9,
            communication_t2_s=1e9,
        )
    )
    (c,) = m.allocate(1, COMMUNICATION)
    (mem,) = m.allocate(1, MEMORY)
    (ref,) = m.backend.allocate(1)
    m.backend.apply_gate("H", [ref])
    m.backend.apply_gate("CX", [ref, c])
    assert m.swap_to_memory(c, mem) == pytest.approx(m.spec.swap_time_s)
    bell = np.array([1, 0, 0, 1]) / math.sqrt(2)
    assert m.backend.fidelity(bell, [ref, mem]) == pytest.approx(0.97)  # process fidelity F_swap
    with pytest.raises(BackendError, match="communication then a memory"):
        m.swap_to_memory(mem, c)


def test_crosstalk_dephases_memory_ions_only() -> None:
    m = module(ModuleSpec(crosstalk_dephasing_per_attempt=0.01))
    (mem,) = m.allocate(1, MEMORY)
    (com,) = m.allocate(1, COMMUNICATION)
    for q in (mem, com):
        m.backend.apply_gate("H", [q])
    m.photon_attempts(50)
    assert m.backend.expectation("X", [mem]) == pytest.approx(0.98**50)
    assert m.backend.expectation("X", [com]) == pytest.approx(1.0)


def test_ion_counts_are_enforced() -> None:
    m = module(ModuleSpec(data_qubits=2, communication_ions=1))
    m.allocate(2, MEMORY)
    m.allocate(1, COMMUNICATION)
    with pytest.raises(BackendError, match="1 communication ions"):
        m.allocate(1, COMMUNICATION)


def test_noiseless_module_keeps_time_but_not_noise() -> None:
    m = NoisyModule(DensityMatrixBackend(stream(0, "ideal")), SPEC, noisy=False)
    (q,) = m.allocate(1)
    m.backend.apply_gate("H", [q])
    m.idle_until(10.0)
    assert m.backend.expectation("X", [q]) == pytest.approx(1.0)
