"""Statistics, collection and threshold location, against analytic values at fixed seeds."""

import math

import numpy as np
import pytest
import stim
from scipy.stats import binomtest

from ionnet.errors import ConfigError
from ionnet.qec.collect import batch_sizes, collect
from ionnet.qec.stats import LogicalRate, binomial_ci95, per_round, per_second, suppression_factor
from ionnet.qec.threshold import estimate_threshold, locate_crossing
from ionnet.seeding import stream

# Three data bits of a repetition code, each flipped with probability q, read once: matching
# decodes by majority, so a shot fails when two or three bits flip.
Q = 0.1
MAJORITY = stim.Circuit(
    f"""
    R 0 1 2
    X_ERROR({Q}) 0 1 2
    M 0 1 2
    DETECTOR rec[-1] rec[-2]
    DETECTOR rec[-2] rec[-3]
    OBSERVABLE_INCLUDE(0) rec[-1]
    """
)
P_MAJORITY = 3 * Q**2 * (1 - Q) + Q**3


def test_collect_matches_the_analytic_failure_rate():
    counts = collect(MAJORITY, max_shots=50_000, seed=3)
    low, high = binomial_ci95(counts.errors, counts.shots)
    assert counts.shots == 50_000
    assert low < P_MAJORITY < high


def test_collect_counts_do_not_depend_on_workers():
    one = collect(MAJORITY, max_shots=20_000, max_errors=300, seed=7, workers=1)
    two = collect(MAJORITY, max_shots=20_000, max_errors=300, seed=7, workers=2)
    assert (one.shots, one.errors) == (two.shots, two.errors)
    other = collect(MAJORITY, max_shots=20_000, max_errors=300, seed=8)
    assert (other.shots, other.errors) != (one.shots, one.errors)


def test_collect_stops_at_max_errors_or_max_shots():
    stopped = collect(MAJORITY, max_shots=10**6, max_errors=50, seed=1)
    assert stopped.errors == 50 and stopped.shots < 10_000
    capped = collect(MAJORITY, max_shots=1000, max_errors=10**6, seed=1)
    assert capped.shots == 1000


@pytest.mark.parametrize(
    "kwargs", [{"max_shots": 0}, {"max_shots": 10, "max_errors": 0}, {"max_shots": 10, "workers": 0}]
)
def test_collect_rejects_bad_limits(kwargs):
    with pytest.raises(ConfigError):
        collect(MAJORITY, **kwargs)


def test_batch_schedule_sums_to_the_shots():
    for n in (1, 255, 256, 257, 10**6):
        assert sum(batch_sizes(n)) == n


@pytest.mark.parametrize("errors,shots", [(0, 10), (3, 10), (10, 10), (57, 10_000)])
def test_binomial_interval_is_clopper_pearson(errors, shots):
    ref = binomtest(errors, shots).proportion_ci(0.95, method="exact")
    assert binomial_ci95(errors, shots) == pytest.approx((ref.low, ref.high), rel=1e-9, abs=1e-12)


def test_per_round_per_second_and_suppression():
    assert per_round(1 - 0.99**5, 5) == pytest.approx(0.01)
    assert per_second(0.01, 1e-3) == pytest.approx(-math.log(0.99) / 1e-3)
    rate = LogicalRate(shots=10**4, errors=300, rounds=3)
    low, high = rate.per_round_ci95
    assert low < rate.per_round < high
    value, (lo, hi) = suppression_factor(LogicalRate(10**4, 800, 3), LogicalRate(10**4, 200, 5))
    assert value == pytest.approx(per_round(0.08, 3) / per_round(0.02, 5))
    assert lo < value < hi


def _model_counts(p_values, d, p_th, shots, rng):
    """Counts drawn from p_L = 0.1 (p / p_th) ** ((d + 1) / 2) per shot."""
    rates = []
    for p in p_values:
        p_l = min(0.1 * (p / p_th) ** ((d + 1) / 2), 0.5)
        rates.append(LogicalRate(shots=shots, errors=int(rng.binomial(shots, p_l)), rounds=d))
    return rates


def test_threshold_of_a_power_law_model_is_found_inside_its_interval():
    p_th = 0.008
    ps = list(np.geomspace(0.004, 0.016, 8))
    rng = stream(5, "test", "threshold")
    curves = {d: _model_counts(ps, d, p_th, 20_000, rng) for d in (3, 5, 7)}
    est = estimate_threshold(ps, curves, parameter="p", seed=1)
    low, high = est.threshold_ci95
    assert low <= p_th <= high
    assert est.threshold == pytest.approx(p_th, rel=0.1)
    assert [c.distances for c in est.crossings] == [(3, 5), (5, 7)]
    # Lambda per round: the larger code wins far below threshold, less and less towards it
    lam35 = est.suppression[(3, 5)]
    assert lam35[0] > 2 and lam35[0] > lam35[3] > lam35[-1]


def test_crossing_of_exact_power_laws_in_either_direction():
    xs = np.geomspace(1e-3, 1e-1, 9)
    f = 2 * np.log(xs / 0.01)  # ln(p_L(d+2) / p_L(d)) of p_L ~ (p / 0.01) ** ((d + 1) / 2)
    assert locate_crossing(xs, f) == pytest.approx(0.01)
    assert locate_crossing(xs, -f) == pytest.approx(0.01)  # a parameter that improves the hardware
    assert locate_crossing(xs, np.abs(f) + 1) is None


def test_threshold_input_checks():
    rates = [LogicalRate(100, 1, 3)] * 3
    with pytest.raises(ConfigError):
        estimate_threshold([0.1, 0.2, 0.3], {3: rates})
    with pytest.raises(ConfigError):
        estimate_threshold([0.3, 0.2, 0.1], {3: rates, 5: rates})
    with pytest.raises(ConfigError):
        estimate_threshold([0.1, 0.2, 0.3], {3: rates, 5: rates[:2]})
