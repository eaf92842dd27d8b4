"""Threshold scans of codes split across modules, and their figure.

:func:`scan_threshold` samples one experiment per (distance, value of the swept parameter),
each with its own seed (stream ``(seed, "qec", "point", d, i)``, so points are independent and the
scan is reproducible), then locates the crossings with
:func:`ionnet.qec.threshold.estimate_threshold`. :func:`plot_threshold` draws logical error per
shot against the parameter, one curve per distance, log-log, with 95 % error bars, the
threshold and its interval shaded; the figure is written to a temporary file and renamed, so an
existing figure is never left half-written.

>>> import stim
>>> from types import SimpleNamespace
>>> def make(d, p):
...     c = stim.Circuit.generated("repetition_code:memory", distance=d, rounds=d,
...                                after_clifford_depolarization=p, before_measure_flip_probability=p)
...     return SimpleNamespace(circuit=c, distance=d, rounds=d, round_time_s=None,
...                            ebits_per_round=None, description={})
>>> scan = scan_threshold(distances=[3, 5], parameter="p", values=[0.05, 0.1, 0.2, 0.3],
...                       make_experiment=make, shots=4000, seed=1)
>>> 0.05 < scan.estimate.threshold < 0.3
True
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ionnet.errors import ConfigError
from ionnet.qec.collect import sampling_pool
from ionnet.qec.report import QecReport, sample_experiment
from ionnet.qec.threshold import ThresholdEstimate, estimate_threshold
from ionnet.seeding import seed_sequence


@dataclass(frozen=True)
class ThresholdScan:
    """The points of a threshold scan and the threshold they give.

    Attributes:
        parameter: The swept parameter (``p``, ``lambda``, ``ebit_fidelity``, ``link.<key>``...).
        values: Its values, increasing.
        reports: ``{distance: [report at each value]}``.
        estimate: Crossings, threshold and suppression factors.
        wall_s: Wall-clock time of the scan.
    """

    parameter: str
    values: tuple[float, ...]
    reports: dict[int, list[QecReport]]
    estimate: ThresholdEstimate
    wall_s: float

    def as_dict(self) -> dict[str, Any]:
        """Plain values for ``--json``: the estimate, then every point."""
        points = [
            {
                "distance": d,
                self.parameter: x,
                **{k: v for k, v in r.as_dict().items() if k not in ("distance", "description")},
            }
            for d, reports in self.reports.items()
            for x, r in zip(self.values, reports, strict=True)
        ]
        return {
            **self.estimate.as_dict(),
            "values": list(self.values),
            "points": points,
            "wall_s": self.wall_s,
        }


def point_seed(seed: int, distance: int, index: int) -> int:
    """The root seed of the point (distance, index) of a scan with root ``seed``."""
    return int(seed_sequence(seed, "qec", "point", distance, index).generate_state(1, np.uint32)[0])


def scan_threshold(
    *,
    distances: Sequence[int],
    parameter: str,
    values: Sequence[float],
    make_experiment: Callable[[int, float], Any],
    shots: int,
    max_errors: int | None = None,
    seed: int = 0,
    workers: int = 1,
    progress: Callable[[int], None] | None = None,
) -> ThresholdScan:
    """Sample every (distance, value) point and estimate the threshold.

    Args:
        distances: Code distances, increasing.
        parameter: Name of the swept parameter.
        values: Its values, increasing.
        make_experiment: (distance, value) -> a QecExperiment.
        shots, max_errors: Sampling limits of each point.
        seed: Root seed of the scan.
        workers: Local processes sampling each point.
        progress: Called with the number of points done.
    """
    start = time.perf_counter()
    reports: dict[int, list[QecReport]] = {}
    done = 0
    with sampling_pool(workers) if workers > 1 else nullcontext() as pool:
        for d in distances:
            reports[d] = []
            for i, x in enumerate(values):
                report = sample_experiment(
                    make_experiment(d, x),
                    shots=shots,
                    max_errors=max_errors,
                    seed=point_seed(seed, d, i),
                    workers=workers,
                    pool=pool,
                )
                reports[d].append(report)
                done += 1
                if progress is not None:
                    progress(done)
    estimate = estimate_threshold(
        values, {d: [r.rate() for r in rs] for d, rs in reports.items()}, parameter=parameter, seed=seed
    )
    return ThresholdScan(parameter, tuple(values), reports, estimate, time.perf_counter() - start)


def figure_path(path: str | Path) -> Path:
    """``path`` as a Path; raises ConfigError unless it ends in .png or .svg.

    >>> figure_path("fig.pdf")
    Traceback (most recent call last):
    ...
    ionnet.errors.ConfigError: figure file must end in .png or .svg (got 'fig.pdf')
    """
    path = Path(path)
    if path.suffix.lower() not in (".png", ".svg"):
        raise ConfigError(f"figure file must end in .png or .svg (got {path.name!r})")
    return path


def plot_threshold(scan: ThresholdScan, path: str | Path, title: str = "") -> Path:
    """Draw the scan (log-log, error bars, threshold band) and write it atomically to ``path``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = figure_path(path)
    fig, ax = plt.subplots(figsize=(6.4, 4.6))
    xs = np.array(scan.values)
    for d, reports in scan.reports.items():
        y = np.array([r.logical_error_per_shot for r in reports])
        ci = np.array([r.logical_error_per_shot_ci95 for r in reports])
        seen = y > 0  # points without an error have no place on a log axis
        ax.errorbar(
            xs[seen],
            y[seen],
            yerr=[y[seen] - ci[seen, 0], ci[seen, 1] - y[seen]],
            marker="o",
            ms=4,
            capsize=3,
            label=f"d = {d}",
        )
    est = scan.estimate
    if est.threshold is not None and est.threshold_ci95 is not None:
        ax.axvspan(*est.threshold_ci95, color="grey", alpha=0.2, lw=0)
        ax.axvline(est.threshold, color="grey", ls="--", label=f"threshold {est.threshold:.3g}")
    if np.all(xs > 0):
        ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(scan.parameter)
    ax.set_ylabel("logical error per shot")
    ax.set_title(title, fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        fig.savefig(tmp, dpi=120)
        os.replace(tmp, path)
    finally:
        plt.close(fig)
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path
