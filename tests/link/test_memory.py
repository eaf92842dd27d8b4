import math

import pytest

from ionnet.hardware.bell import BellDiagonal
from ionnet.hardware.module import ModuleSpec
from ionnet.link import memory


@pytest.mark.parametrize("t", [0.0, 0.1, 0.5, 2.0])
def test_exponential_decay_of_a_perfect_pair(t):
    a = ModuleSpec(communication_t2_s=0.5)
    b = ModuleSpec(communication_t2_s=2.0)
    expected = 0.5 * (1 + math.exp(-t / 0.5) * math.exp(-t / 2.0))
    assert memory.stored_state(BellDiagonal.perfect(), t, a, b).fidelity == pytest.approx(expected)


@pytest.mark.parametrize("t", [0.0, 0.3, 1.0])
def test_gaussian_decay_in_memory(t):
    m = ModuleSpec(memory_t2_s=1.0, coherence_envelope="gaussian")
    expected = 0.5 * (1 + math.exp(-2 * t**2))
    assert memory.stored_state(BellDiagonal.perfect(), t, m, m, "memory").fidelity == pytest.approx(expected)


def test_decay_of_an_imperfect_pair_keeps_the_bit_flip_weight():
    s = BellDiagonal(0.9, 0.05, 0.0, 0.05)
    out = memory.stored_state(s, 10.0, ModuleSpec(), ModuleSpec())
    assert out.p_x + out.p_y == pytest.approx(0.05)
    assert out.fidelity == pytest.approx(0.475, abs=1e-3)  # Z-type dephasing only mixes I<->Z, X<->Y


def test_swap_is_depolarizing_on_each_side():
    m = ModuleSpec(swap_fidelity=0.977)
    lam = 4 * (1 - 0.977) / 3
    f = (1 - 3 * lam / 4) ** 2 + 3 * (lam / 4) ** 2
    assert memory.swapped_to_memory(BellDiagonal.perfect(), m, m).fidelity == pytest.approx(f)


def test_crosstalk_dephases_memory_only():
    m = ModuleSpec(crosstalk_dephasing_per_attempt=1e-4, memory_t2_s=1e9, communication_t2_s=1e9)
    n = 1000
    c = (1 - 2e-4) ** n
    stored = memory.stored_state(BellDiagonal.perfect(), 0.0, m, m, "memory", crosstalk_attempts=n)
    assert stored.fidelity == pytest.approx(0.5 * (1 + c * c))
    comm = memory.stored_state(BellDiagonal.perfect(), 0.0, m, m, "communication", crosstalk_attempts=n)
    assert comm.fidelity == pytest.approx(1.0)


def test_cutoff():
    assert memory.is_expired(0.2, 0.1)
    assert not memory.is_expired(0.05, 0.1)
    assert not memory.is_expired(100.0, None)
