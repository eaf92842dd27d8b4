"""Sample a code experiment and report its logical error per shot, per round and per second.

:func:`sample_experiment` collects a :class:`~ionnet.qec.QecExperiment`'s circuit with
:func:`ionnet.qec.collect.collect` and returns a :class:`QecReport`, whose :meth:`QecReport.as_dict`
is the JSON object of ``ionnet qec memory --json`` (fields listed in the README): ``distance``,
``rounds``, ``shots``, ``errors``, ``wall_s``, ``logical_error_per_shot`` (+ ``_ci95``),
``logical_error_per_round`` (+ ``_ci95``), ``round_time_s``, ``ebits_per_round``,
``logical_error_per_s`` (+ ``_ci95``; null without a round time), the experiment's
``description`` and ``timing`` (the round-time breakdown of a timed experiment, else empty).

>>> import stim
>>> from ionnet.qec.collect import Collected
>>> report = QecReport.from_counts(distance=3, rounds=3, round_time_s=2e-3, ebits_per_round=4,
...     counts=Collected(shots=1000, errors=30, batches=3, wall_s=0.1), description={})
>>> round(report.logical_error_per_round, 5), round(report.logical_error_per_s, 2)
(0.0101, 5.08)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ionnet.qec.collect import Collected, ProgressFn, collect
from ionnet.qec.stats import LogicalRate


@dataclass(frozen=True)
class QecReport:
    """The outcome of sampling one code experiment (see the module docstring for the fields)."""

    distance: int
    rounds: int
    shots: int
    errors: int
    wall_s: float
    logical_error_per_shot: float
    logical_error_per_shot_ci95: tuple[float, float]
    logical_error_per_round: float
    logical_error_per_round_ci95: tuple[float, float]
    round_time_s: float | None
    ebits_per_round: int | None
    logical_error_per_s: float | None
    logical_error_per_s_ci95: tuple[float, float] | None
    description: Mapping[str, Any] = field(default_factory=dict)
    timing: Mapping[str, float] = field(default_factory=dict)

    @classmethod
    def from_counts(
        cls,
        *,
        distance: int,
        rounds: int,
        round_time_s: float | None,
        ebits_per_round: int | None,
        counts: Collected,
        description: Mapping[str, Any],
        timing: Mapping[str, float] | None = None,
    ) -> QecReport:
        """The report of ``counts`` for an experiment of ``rounds`` rounds of ``round_time_s``."""
        rate = LogicalRate(shots=counts.shots, errors=counts.errors, rounds=rounds)
        timed = round_time_s is not None and round_time_s > 0
        return cls(
            distance=distance,
            rounds=rounds,
            shots=counts.shots,
            errors=counts.errors,
            wall_s=counts.wall_s,
            logical_error_per_shot=rate.per_shot,
            logical_error_per_shot_ci95=rate.per_shot_ci95,
            logical_error_per_round=rate.per_round,
            logical_error_per_round_ci95=rate.per_round_ci95,
            round_time_s=round_time_s,
            ebits_per_round=ebits_per_round,
            logical_error_per_s=rate.per_second(round_time_s) if timed else None,  # type: ignore[arg-type]
            logical_error_per_s_ci95=rate.per_second_ci95(round_time_s) if timed else None,  # type: ignore[arg-type]
            description=dict(description),
            timing=dict(timing or {}),
        )

    def rate(self) -> LogicalRate:
        """The counts as a :class:`~ionnet.qec.stats.LogicalRate`."""
        return LogicalRate(shots=self.shots, errors=self.errors, rounds=self.rounds)

    def as_dict(self) -> dict[str, Any]:
        """Plain values for JSON (intervals as ``[low, high]``)."""
        out: dict[str, Any] = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            out[name] = list(value) if isinstance(value, tuple) else value
        out["description"] = dict(self.description)
        out["timing"] = dict(self.timing)
        return out


def sample_experiment(
    experiment: Any,
    *,
    shots: int,
    max_errors: int | None = None,
    seed: int = 0,
    workers: int = 1,
    progress: ProgressFn | None = None,
    pool: Any = None,
) -> QecReport:
    """Collect ``experiment.circuit`` (a :class:`~ionnet.qec.QecExperiment`) and report.

    Sampling stops at ``shots`` shots or at ``max_errors`` logical errors, whichever comes first;
    the counts depend only on the circuit, the limits and ``seed`` (not on ``workers``).
    ``pool`` is an optional :func:`ionnet.qec.collect.sampling_pool` shared by several calls.
    """
    counts = collect(
        experiment.circuit,
        max_shots=shots,
        max_errors=max_errors,
        seed=seed,
        workers=workers,
        progress=progress,
    )
    return QecReport.from_counts(
        distance=experiment.distance,
        rounds=experiment.rounds,
        round_time_s=experiment.round_time_s,
        ebits_per_round=experiment.ebits_per_round,
        counts=counts,
        description=experiment.description,
        timing=getattr(experiment, "timing", None),
    )
