import math

import numpy as np
import pytest

from ionnet.errors import ConfigError
from ionnet.hardware import link_physics
from ionnet.link.ebits import MIXED, generate_ebits, sample_herald_state
from ionnet.link.memory import swapped_to_memory
from ionnet.seeding import stream


def test_records_match_arrays(fast_link, module):
    batch = generate_ebits(fast_link, module, module, stream(1, "e"), 0.5, modules=(2, 5))
    ebits = list(batch.ebits())
    assert len(ebits) == batch.count > 0
    assert [e.created_s for e in ebits] == batch.created_s.tolist()
    assert all(e.link_id == "m2-m5" and (e.module_a, e.module_b) == (2, 5) for e in ebits)
    assert all((e.state == MIXED) == e.false_herald for e in ebits)
    assert sum(e.attempts for e in ebits) <= 0.5 * 1e6


def test_swap_to_memory_stream(fast_link, module):
    batch = generate_ebits(fast_link, module, module, stream(2, "e"), 2.0, swap_to_memory=True)
    true_state = link_physics.true_herald_state(fast_link, module, module)
    assert batch.true_state == swapped_to_memory(true_state, module, module)
    hold = module.swap_time_s
    expected = 2.0 / (1e-3 - 1e-6 + hold + link_physics.herald_latency_s(fast_link))
    assert abs(batch.count - expected) < 4 * math.sqrt(expected)
    with pytest.raises(ConfigError, match="per_attempt"):
        generate_ebits(fast_link, module, module, stream(2), 1.0, swap_to_memory=True, per_attempt=True)


def test_simulated_rate_matches_analytic(fast_link, module):
    batch = generate_ebits(fast_link, module, module, stream(3, "e"), 5.0)
    expected = link_physics.rate_hz(fast_link)
    assert abs(batch.rate_hz() - expected) < 4 * math.sqrt(expected * 5.0) / 5.0


def test_sample_herald_state_false_fraction(fast_link, module):
    rng = stream(4, "e")
    draws = [sample_herald_state(fast_link, module, module, rng)[1] for _ in range(4000)]
    f = link_physics.false_herald_fraction(fast_link)
    assert abs(np.mean(draws) - f) < 4 * math.sqrt(f * (1 - f) / 4000)


def test_same_seed_same_stream(fast_link, module):
    a = generate_ebits(fast_link, module, module, stream(5, "e"), 0.3)
    b = generate_ebits(fast_link, module, module, stream(5, "e"), 0.3)
    assert np.array_equal(a.created_s, b.created_s)
    assert np.array_equal(a.false_herald, b.false_herald)
