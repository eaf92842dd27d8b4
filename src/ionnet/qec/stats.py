"""Logical error rates from counts: per shot, per round, per second, with 95 % intervals.

* per shot: ``errors / shots``, with the exact (Clopper-Pearson) binomial 95 % interval;
* per round: ``1 - (1 - p_shot) ** (1 / rounds)``, the rate that, independent in each of the
  ``rounds`` rounds, gives ``p_shot`` (its interval maps the per-shot interval, the map being
  monotone);
* per second of machine time: the hazard rate ``-ln(1 - p_round) / round_time_s`` (about
  ``p_round / round_time_s`` for small rates), for a machine whose rounds last ``round_time_s``;
* the suppression factor ``Lambda = p_L(d) / p_L(d + 2)`` of two distances at the same noise,
  with the interval of the ratio of the two intervals' ends (conservative).

>>> rate = LogicalRate(shots=10000, errors=100, rounds=5)
>>> round(rate.per_shot, 4), round(rate.per_round, 6)
(0.01, 0.002008)
>>> [round(x, 5) for x in rate.per_shot_ci95]
[0.00814, 0.01215]
>>> round(rate.per_second(1e-3), 3)
2.01
>>> LogicalRate(shots=1000, errors=0, rounds=3).per_round_ci95[0]
0.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy.stats import beta

from ionnet.errors import ConfigError


def binomial_ci95(errors: int, shots: int) -> tuple[float, float]:
    """The exact (Clopper-Pearson) two-sided 95 % interval of a binomial proportion.

    >>> binomial_ci95(0, 100)[0], round(binomial_ci95(0, 100)[1], 4)
    (0.0, 0.0362)
    """
    if shots < 1 or not 0 <= errors <= shots:
        raise ConfigError(f"need 0 <= errors <= shots and shots >= 1 (got {errors} of {shots})")
    low = 0.0 if errors == 0 else float(beta.ppf(0.025, errors, shots - errors + 1))
    high = 1.0 if errors == shots else float(beta.ppf(0.975, errors + 1, shots - errors))
    return low, high


def per_round(p_shot: float, rounds: int) -> float:
    """``1 - (1 - p_shot) ** (1 / rounds)``: the per-round rate that compounds to ``p_shot``.

    >>> round(per_round(0.19, 2), 6)
    0.1
    """
    if rounds < 1:
        raise ConfigError(f"'rounds' must be >= 1 (got {rounds})")
    return 1.0 - (1.0 - min(p_shot, 1.0)) ** (1.0 / rounds)


def per_second(p_round: float, round_time_s: float) -> float:
    """The hazard rate ``-ln(1 - p_round) / round_time_s`` (logical errors per second).

    >>> round(per_second(0.01, 1e-3), 3)
    10.05
    """
    if round_time_s <= 0:
        raise ConfigError(f"'round_time_s' must be > 0 (got {round_time_s})")
    return math.inf if p_round >= 1 else -math.log1p(-p_round) / round_time_s


@dataclass(frozen=True)
class LogicalRate:
    """Counted logical errors of a code experiment of ``rounds`` rounds.

    Attributes:
        shots: Shots sampled.
        errors: Shots with a logical error.
        rounds: Rounds of stabilizer measurement in each shot.
    """

    shots: int
    errors: int
    rounds: int

    def __post_init__(self) -> None:
        binomial_ci95(self.errors, self.shots)
        per_round(0.0, self.rounds)

    @property
    def per_shot(self) -> float:
        """Logical errors per shot."""
        return self.errors / self.shots

    @property
    def per_shot_ci95(self) -> tuple[float, float]:
        """Exact binomial 95 % interval of :attr:`per_shot`."""
        return binomial_ci95(self.errors, self.shots)

    @property
    def per_round(self) -> float:
        """Logical errors per round (see :func:`per_round`)."""
        return per_round(self.per_shot, self.rounds)

    @property
    def per_round_ci95(self) -> tuple[float, float]:
        """95 % interval of :attr:`per_round`."""
        low, high = self.per_shot_ci95
        return per_round(low, self.rounds), per_round(high, self.rounds)

    def per_second(self, round_time_s: float) -> float:
        """Logical errors per second of machine time when a round lasts ``round_time_s``."""
        return per_second(self.per_round, round_time_s)

    def per_second_ci95(self, round_time_s: float) -> tuple[float, float]:
        """95 % interval of :meth:`per_second`."""
        low, high = self.per_round_ci95
        return per_second(low, round_time_s), per_second(high, round_time_s)


def suppression_factor(small: LogicalRate, large: LogicalRate) -> tuple[float, tuple[float, float]]:
    """``Lambda = p_L(d) / p_L(d + 2)`` per round, and a conservative 95 % interval.

    The interval divides the ends of the two per-round intervals crosswise; it is infinite at the
    top when the larger code saw no error.

    >>> lam, (low, high) = suppression_factor(LogicalRate(10000, 400, 3), LogicalRate(10000, 100, 5))
    >>> round(lam, 2), low < lam < high
    (6.73, True)
    """
    lo_s, hi_s = small.per_round_ci95
    lo_l, hi_l = large.per_round_ci95
    value = small.per_round / large.per_round if large.errors else math.inf
    low = lo_s / hi_l if hi_l > 0 else math.inf
    high = hi_s / lo_l if lo_l > 0 else math.inf
    return value, (low, high)
