"""Heralded generation in simulated time: when heralds arrive, sampled exactly.

One pair of communication ions (one in each module) attempts every τ = attempt_interval_s/d
seconds on average, where d is the duty cycle (the time-averaged model of re-cooling breaks),
and each attempt heralds with probability p = ``p_success`` (REFERENCES §3.2: the number of
attempts is geometric with mean 1/p). An attempt launched at time s heralds at
s + herald latency, and the pair's next attempt is launched at s + τ. The geometric sampler
draws the number of attempts per herald at once; :func:`sample_herald_times_per_attempt` draws
one Bernoulli per attempt and exists to validate it.

>>> from ionnet.hardware.link import LinkSpec
>>> from ionnet.seeding import stream
>>> heralds = sample_herald_times(LinkSpec(), stream(1, "doc"), duration_s=1.0)
>>> bool(200 < heralds.count < 260), bool((heralds.times_s < 1.0).all())
(True, True)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ionnet.errors import ConfigError
from ionnet.hardware import link_physics
from ionnet.hardware.link import LinkSpec

_PER_ATTEMPT_CHUNK = 1 << 20


def attempt_period_s(link: LinkSpec) -> float:
    """Mean time between the launches of one pair's attempts: attempt interval / duty cycle."""
    return link_physics.attempt_interval_s(link) / link.duty_cycle


@dataclass(frozen=True)
class HeraldTimes:
    """Heralds of k communication-ion pairs over a duration, sorted by time.

    Attributes:
        times_s: Herald time of each success (both nodes hold the herald), ascending.
        pair_index: Which communication-ion pair (0..k-1) heralded.
        attempts: Attempts that pair spent on this herald (the successful one included).
        duration_s: The simulated duration.
        pairs: k, the number of pairs that attempted.
    """

    times_s: np.ndarray
    pair_index: np.ndarray
    attempts: np.ndarray
    duration_s: float
    pairs: int

    @property
    def count(self) -> int:
        """Number of heralds."""
        return int(self.times_s.size)


def _check(duration_s: float, pairs: int) -> None:
    if not duration_s >= 0:
        raise ConfigError(f"'duration_s' must be >= 0 (got {duration_s!r})")
    if pairs < 1:
        raise ConfigError(f"'communication_ions' must be >= 1 (got {pairs!r})")


def _merge(per_pair: list[tuple[np.ndarray, np.ndarray]], duration_s: float) -> HeraldTimes:
    times = np.concatenate([t for t, _ in per_pair]) if per_pair else np.empty(0)
    attempts = np.concatenate([a for _, a in per_pair]) if per_pair else np.empty(0, dtype=np.int64)
    index = np.concatenate([np.full(t.size, i, dtype=np.int64) for i, (t, _) in enumerate(per_pair)])
    order = np.argsort(times, kind="stable")
    return HeraldTimes(times[order], index[order], attempts[order], duration_s, len(per_pair))


def _geometric_one_pair(
    p: float, period_s: float, latency_s: float, hold_s: float, rng: np.random.Generator, duration_s: float
) -> tuple[np.ndarray, np.ndarray]:
    """Herald times of one pair: herald j at start_j + (N_j - 1)·period + latency, where
    start_{j+1} = start_j + (N_j - 1)·period + max(period, latency + hold)."""
    if p <= 0.0:
        return np.empty(0), np.empty(0, dtype=np.int64)
    cycle_end = max(period_s, latency_s + hold_s)
    expected = duration_s * p / (period_s + p * (cycle_end - period_s))
    batch = int(expected + 6.0 * np.sqrt(expected) + 16)
    counts_parts: list[np.ndarray] = []
    end = 0.0
    while end < duration_s:
        counts = rng.geometric(p, size=batch)
        counts_parts.append(counts)
        end += float((counts - 1).sum()) * period_s + counts.size * cycle_end
    counts = np.concatenate(counts_parts) if counts_parts else np.empty(0, dtype=np.int64)
    ends = np.cumsum((counts - 1) * period_s + cycle_end)
    times = ends - cycle_end + latency_s
    keep = times < duration_s
    return times[keep], counts[keep].astype(np.int64)


def sample_herald_times(
    link: LinkSpec,
    rng: np.random.Generator,
    duration_s: float,
    pairs: int | None = None,
    hold_s: float = 0.0,
) -> HeraldTimes:
    """Herald times of ``pairs`` (default ``link.communication_ions``) independent pairs.

    The attempts between heralds are geometric with parameter p_success, drawn in vectorised
    batches (REFERENCES §3.2). Each ebit leaves its communication ions ``hold_s`` after its
    herald (0: handed on at once; a swap time when swapped into memory); until then that pair
    does not attempt. See :mod:`ionnet.link.buffer` for storage, blocking and cutoffs.
    """
    pairs = link.communication_ions if pairs is None else pairs
    _check(duration_s, pairs)
    p = link_physics.p_success(link)
    period, latency = attempt_period_s(link), link_physics.herald_latency_s(link)
    if hold_s < 0:
        raise ConfigError(f"'hold_s' must be >= 0 (got {hold_s!r})")
    return _merge(
        [_geometric_one_pair(p, period, latency, hold_s, rng, duration_s) for _ in range(pairs)], duration_s
    )


def sample_herald_times_per_attempt(
    link: LinkSpec, rng: np.random.Generator, duration_s: float, pairs: int | None = None
) -> HeraldTimes:
    """The same process drawn attempt by attempt (one Bernoulli each): the validation mode.

    Slow for long runs (it touches every attempt); use it on short durations.
    """
    pairs = link.communication_ions if pairs is None else pairs
    _check(duration_s, pairs)
    p = link_physics.p_success(link)
    period, latency = attempt_period_s(link), link_physics.herald_latency_s(link)
    n_attempts = max(0, int(np.ceil((duration_s - latency) / period)))
    per_pair = []
    for _ in range(pairs):
        hits = [
            start + np.flatnonzero(rng.random(min(_PER_ATTEMPT_CHUNK, n_attempts - start)) < p)
            for start in range(0, n_attempts, _PER_ATTEMPT_CHUNK)
        ]
        index = np.concatenate(hits) if hits else np.empty(0, dtype=np.int64)
        times = index * period + latency
        attempts = np.diff(np.concatenate(([-1], index))).astype(np.int64)
        keep = times < duration_s
        per_pair.append((times[keep], attempts[keep]))
    return _merge(per_pair, duration_s)


def next_herald_delay_s(link: LinkSpec, rng: np.random.Generator) -> tuple[float, int]:
    """Delay from one pair's first attempt to its herald, and the attempts it took.

    For a discrete-event runtime (one SimPy ``timeout`` per ebit): a pair that starts
    attempting at time t holds a herald at t + delay.

    >>> from ionnet.seeding import stream
    >>> delay, attempts = next_herald_delay_s(LinkSpec(), stream(0, "doc"))
    >>> delay > 0 and attempts >= 1
    True
    """
    p = link_physics.p_success(link)
    if p <= 0.0:
        return float("inf"), 0
    attempts = int(rng.geometric(p))
    return (attempts - 1) * attempt_period_s(link) + link_physics.herald_latency_s(link), attempts
