"""Thresholds: where the logical-error curves of consecutive distances cross, with an interval.

For two distances ``d < d'`` measured at the same values ``x`` of a noise parameter (the physical
error ``p``, the interface factor ``lambda``, an ebit fidelity, a rate, a fibre length...), the
curves cross where ``f(x) = ln p_L(d') - ln p_L(d)`` changes sign. ``p_L`` is the logical error
per shot (of ``d`` rounds when the rounds follow the distance, the usual convention): the per-round
rate ``1 - (1 - p_shot) ** (1 / rounds)`` of a saturated shot (``p_shot -> 1/2``) falls with the
number of rounds, so per-round curves of codes with more rounds cross late. Below a
threshold in ``p`` the larger code is better (``f < 0``) and above it worse; for a parameter that
improves the hardware (fidelity, rate) the signs are the other way round; both are found.

The crossing is located in two steps: the split of the sorted points into a left and a right part
whose signs disagree least with a single sign change (robust to a noisy point far from the
crossing), then the crossing of the two curves drawn as straight segments on a log-log plot
between the points either side of the split (``f`` linear in ``ln x``, or in ``x`` when some
``x <= 0``). Rates with no error count use ``(errors + 0.5) / (shots + 1)`` so the logarithm
stays finite.

The 95 % interval is a parametric bootstrap: each resample draws every point's per-shot rate from
its Jeffreys posterior ``Beta(errors + 0.5, shots - errors + 0.5)`` (seeded stream
``(seed, "qec", "threshold")``) and locates the crossing again; the interval spans the 2.5 and
97.5 percentiles of the resampled crossings. The reported threshold is the crossing of the two
largest distances that cross (the nearest to the infinite-size limit); every pair is listed.

>>> from ionnet.qec.stats import LogicalRate
>>> x = [0.004, 0.006, 0.008, 0.010, 0.012]
>>> d3 = [LogicalRate(10**5, n, 3) for n in (500, 1100, 1900, 2800, 3900)]
>>> d5 = [LogicalRate(10**5, n, 5) for n in (150, 500, 1400, 3600, 7000)]
>>> est = estimate_threshold(x, {3: d3, 5: d5}, parameter="p")
>>> round(est.threshold, 4), est.threshold_ci95[0] < est.threshold < est.threshold_ci95[1]
(0.009, True)
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ionnet.errors import ConfigError
from ionnet.qec.stats import LogicalRate, suppression_factor
from ionnet.seeding import stream

RESAMPLES = 400


@dataclass(frozen=True)
class Crossing:
    """Where the curves of two distances cross.

    Attributes:
        distances: ``(d, d')``, ``d < d'``.
        value: The crossing (None when the curves do not cross inside the range).
        ci95: Its bootstrap 95 % interval ``(low, high)`` (None without a crossing).
    """

    distances: tuple[int, int]
    value: float | None
    ci95: tuple[float, float] | None


@dataclass(frozen=True)
class ThresholdEstimate:
    """Crossings of every consecutive pair of distances and the threshold they give.

    Attributes:
        parameter: The swept parameter's name (``p``, ``lambda``, ``link.attempt_rate_hz``...).
        threshold: The crossing of the largest pair of distances that cross (None if none do).
        threshold_ci95: Its 95 % interval.
        crossings: One entry per consecutive pair, smallest distances first.
        suppression: ``{(d, d + 2): [Lambda at each x]}`` for consecutive pairs two apart.
    """

    parameter: str
    threshold: float | None
    threshold_ci95: tuple[float, float] | None
    crossings: tuple[Crossing, ...]
    suppression: Mapping[tuple[int, int], tuple[float, ...]]

    def as_dict(self) -> dict[str, object]:
        """Plain values for JSON."""
        return {
            "parameter": self.parameter,
            "threshold": self.threshold,
            "threshold_ci95": list(self.threshold_ci95) if self.threshold_ci95 else None,
            "crossings": [
                {"distances": list(c.distances), "value": c.value, "ci95": list(c.ci95) if c.ci95 else None}
                for c in self.crossings
            ],
            "suppression_factor": [
                {"distances": list(pair), "values": list(values)} for pair, values in self.suppression.items()
            ],
        }


def locate_crossing(x: Sequence[float], f: Sequence[float]) -> float | None:
    """The ``x`` where ``f`` changes sign once (see the module docstring), or None.

    >>> round(locate_crossing([1.0, 2.0, 4.0, 8.0], [-2.0, -1.0, 1.0, 2.0]), 3)
    2.828
    >>> locate_crossing([1.0, 2.0], [-1.0, -0.5]) is None
    True
    """
    xs, fs = np.asarray(x, dtype=float), np.asarray(f, dtype=float)
    split = _best_split(fs)
    if split is None:
        return None
    u = np.log(xs) if np.all(xs > 0) else xs
    f0, f1 = fs[split - 1], fs[split]
    weight = 0.5 if f0 == f1 else f0 / (f0 - f1)
    root = float(u[split - 1] + (u[split] - u[split - 1]) * weight)
    return float(math.exp(root)) if np.all(xs > 0) else root


def _best_split(fs: np.ndarray) -> int | None:
    """Index s (left part ``[:s]``) of the sign change that best explains the signs of ``fs``."""
    best: tuple[float, int] | None = None
    for s in range(1, len(fs)):
        for sign in (1.0, -1.0):
            left, right = sign * fs[:s], sign * fs[s:]
            if not (np.any(left < 0) and np.any(right > 0)):
                continue
            cost = float(np.clip(left, 0, None).sum() + np.clip(-right, 0, None).sum())
            if best is None or cost < best[0]:
                best = (cost, s)
    return None if best is None else best[1]


def _log_rates(rates: Sequence[LogicalRate]) -> np.ndarray:
    return np.array([math.log((r.errors + 0.5) / (r.shots + 1)) for r in rates])


def crossing(
    x: Sequence[float],
    small: Sequence[LogicalRate],
    large: Sequence[LogicalRate],
    distances: tuple[int, int],
    *,
    seed: int = 0,
    resamples: int = RESAMPLES,
) -> Crossing:
    """The crossing of two curves measured at ``x`` and its bootstrap 95 % interval."""
    value = locate_crossing(x, _log_rates(large) - _log_rates(small))
    if value is None:
        return Crossing(distances, None, None)
    rng = stream(seed, "qec", "threshold", *distances)
    draws_small, draws_large = _posterior(small, rng, resamples), _posterior(large, rng, resamples)
    found = [locate_crossing(x, b - a) for a, b in zip(draws_small, draws_large, strict=True)]
    values = [v for v in found if v is not None]
    if len(values) < resamples // 2:
        return Crossing(distances, value, (float(min(x)), float(max(x))))
    low, high = np.percentile(values, [2.5, 97.5])
    return Crossing(distances, value, (float(min(low, value)), float(max(high, value))))


def _posterior(rates: Sequence[LogicalRate], rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` resampled ln(per-shot rate) curves, shape ``(n, points)``."""
    cols = [np.log(rng.beta(r.errors + 0.5, r.shots - r.errors + 0.5, size=n)) for r in rates]
    return np.stack(cols, axis=1)


def estimate_threshold(
    x: Sequence[float],
    curves: Mapping[int, Sequence[LogicalRate]],
    *,
    parameter: str = "p",
    seed: int = 0,
    resamples: int = RESAMPLES,
) -> ThresholdEstimate:
    """Crossings of consecutive distances, the threshold and the suppression factors.

    Args:
        x: The values of the swept parameter, increasing.
        curves: ``{distance: [rate at each x]}`` for two or more distances.
        parameter: The parameter's name (recorded).
        seed: Seed of the bootstrap.
        resamples: Bootstrap resamples per pair.

    Raises:
        ConfigError: Fewer than two distances or three points, or curves of the wrong length.
    """
    xs = [float(v) for v in x]
    if len(xs) < 3 or any(b <= a for a, b in itertools.pairwise(xs)):
        raise ConfigError(f"a threshold needs 3 or more increasing values of {parameter} (got {xs})")
    ds = sorted(curves)
    if len(ds) < 2:
        raise ConfigError(f"a threshold needs 2 or more distances (got {ds})")
    for d in ds:
        if len(curves[d]) != len(xs):
            raise ConfigError(f"distance {d} has {len(curves[d])} points for {len(xs)} values of {parameter}")
    pairs = list(itertools.pairwise(ds))
    crossings = tuple(
        crossing(xs, curves[a], curves[b], (a, b), seed=seed, resamples=resamples) for a, b in pairs
    )
    found = [c for c in crossings if c.value is not None]
    best = found[-1] if found else None
    suppression = {
        (a, b): tuple(suppression_factor(s, t)[0] for s, t in zip(curves[a], curves[b], strict=True))
        for a, b in pairs
        if b == a + 2
    }
    return ThresholdEstimate(
        parameter=parameter,
        threshold=best.value if best else None,
        threshold_ci95=best.ci95 if best else None,
        crossings=crossings,
        suppression=suppression,
    )
