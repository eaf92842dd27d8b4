"""Herald sampling: the geometric sampler against the per-attempt mode and the analytic rate.

Confidence intervals: counts are Poisson-like, so |n - λ| < 4√λ holds with probability
> 0.9999; the seeds are fixed, so the tests are deterministic.
"""

import dataclasses
import math

import numpy as np
import pytest

from ionnet.hardware import link_physics
from ionnet.link import generation
from ionnet.link.ebits import generate_ebits
from ionnet.seeding import stream

DURATION_S = 3.0


def test_p_success_of_fixture(fast_link):
    assert link_physics.p_success(fast_link) == pytest.approx(1e-3)


@pytest.mark.parametrize("seed", [1, 2])
def test_geometric_and_per_attempt_agree_with_analytic_rate(fast_link, seed):
    expected = link_physics.rate_hz(fast_link) * DURATION_S
    geo = generation.sample_herald_times(fast_link, stream(seed, "geo"), DURATION_S)
    per = generation.sample_herald_times_per_attempt(fast_link, stream(seed, "per"), DURATION_S)
    for heralds in (geo, per):
        assert abs(heralds.count - expected) < 4 * math.sqrt(expected)
        # mean attempts per herald is 1/p (geometric): standard error √(1-p)/p/√n
        mean_attempts = heralds.attempts.mean()
        assert abs(mean_attempts - 1e3) < 4 * math.sqrt(1 - 1e-3) / 1e-3 / math.sqrt(heralds.count)
    assert abs(geo.count - per.count) < 4 * math.sqrt(2 * expected)


def test_inter_herald_times_are_exponential_like(fast_link):
    heralds = generation.sample_herald_times(fast_link, stream(3, "geo"), 20.0)
    gaps = np.diff(heralds.times_s)
    # geometric gaps of period 1 us and p = 1e-3: mean 1 ms, standard deviation ≈ mean
    assert gaps.mean() == pytest.approx(1e-3, rel=4 / math.sqrt(gaps.size))
    assert gaps.std() == pytest.approx(1e-3, rel=0.05)


def test_parallel_pairs_multiply_the_rate(fast_link):
    link = dataclasses.replace(fast_link, communication_ions=4)
    heralds = generation.sample_herald_times(link, stream(4, "geo"), 1.0)
    expected = 4 * 1000.0
    assert abs(heralds.count - expected) < 4 * math.sqrt(expected)
    assert set(np.unique(heralds.pair_index)) == {0, 1, 2, 3}
    assert np.all(np.diff(heralds.times_s) >= 0)


def test_long_link_is_latency_limited(fast_link):
    link = dataclasses.replace(fast_link, fiber_length_m=2040.0)
    latency = link_physics.herald_latency_s(link)
    assert latency > 1e-6
    heralds = generation.sample_herald_times(link, stream(5, "geo"), 10.0)
    expected = 10.0 * 1e-3 / latency
    assert abs(heralds.count - expected) < 4 * math.sqrt(expected)


def test_hold_slows_one_pair_as_renewal_theory_says(fast_link):
    hold = 1e-3
    heralds = generation.sample_herald_times(fast_link, stream(6, "geo"), 20.0, hold_s=hold)
    # cycle = (N - 1) period + max(period, latency + hold), mean 1/p periods - period + hold
    expected = 20.0 / (1e-3 - 1e-6 + hold + link_physics.herald_latency_s(fast_link))
    assert abs(heralds.count - expected) < 4 * math.sqrt(expected)


def test_fidelity_agrees_between_modes_and_with_analytic(fast_link, module):
    analytic = link_physics.heralded_fidelity(fast_link, module, module)
    f = link_physics.false_herald_fraction(fast_link)
    assert 0.05 < f < 0.5  # the fixture's dark counts make false heralds visible
    true_f = link_physics.true_herald_state(fast_link, module, module).fidelity
    for per_attempt in (False, True):
        batch = generate_ebits(
            fast_link, module, module, stream(7, str(per_attempt)), DURATION_S, per_attempt=per_attempt
        )
        sigma = (true_f - 0.25) * math.sqrt(f * (1 - f) / batch.count)
        assert abs(batch.fidelities.mean() - analytic) < 4 * sigma


def test_same_seed_same_output(fast_link):
    a = generation.sample_herald_times(fast_link, stream(9, "x"), 1.0)
    b = generation.sample_herald_times(fast_link, stream(9, "x"), 1.0)
    c = generation.sample_herald_times(fast_link, stream(10, "x"), 1.0)
    assert np.array_equal(a.times_s, b.times_s)
    assert not np.array_equal(a.times_s[:10], c.times_s[:10])


def test_next_herald_delay_mean(fast_link):
    rng = stream(11, "delay")
    delays = np.array([generation.next_herald_delay_s(fast_link, rng)[0] for _ in range(4000)])
    assert delays.mean() == pytest.approx(1e-3, rel=4 / math.sqrt(4000))


def test_zero_probability_gives_no_heralds(fast_link):
    dark = fast_link.with_arms(detector_efficiency=0.0)
    assert generation.sample_herald_times(dark, stream(1), 1.0).count == 0
    assert generation.next_herald_delay_s(dark, stream(1)) == (math.inf, 0)


def test_duty_cycle_stretches_the_attempt_period(fast_link):
    link = dataclasses.replace(fast_link, duty_cycle=0.25)
    heralds = generation.sample_herald_times(link, stream(12, "duty"), 8.0)
    expected = 8.0 * 0.25 * 1000.0
    assert abs(heralds.count - expected) < 4 * math.sqrt(expected)


@pytest.mark.slow
def test_one_simulated_hour_at_200_hz_takes_seconds(module):
    import time

    from ionnet.hardware.link import LinkSpec

    base = LinkSpec()
    link = dataclasses.replace(
        base, attempt_rate_hz=base.attempt_rate_hz * 200.0 / link_physics.rate_hz(base)
    )
    start = time.perf_counter()
    batch = generate_ebits(link, module, module, stream(13, "hour"), 3600.0)
    wall = time.perf_counter() - start
    assert abs(batch.count - 720_000) < 4 * math.sqrt(720_000)
    assert wall < 10.0  # typically ~0.2 s; generous for a loaded machine
