"""Shared helpers of the qec tests: stim samples, PyMatching decodes (no decoder of our own)."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pymatching
import pytest
import stim


def sample_logical_errors(circuit: stim.Circuit, shots: int, seed: int) -> tuple[int, int]:
    """(errors, shots): shots where PyMatching's prediction misses any observable."""
    dem = circuit.detector_error_model(decompose_errors=True, approximate_disjoint_errors=True)
    matcher = pymatching.Matching.from_detector_error_model(dem)
    det, obs = circuit.compile_detector_sampler(seed=seed).sample(shots, separate_observables=True)
    pred = matcher.decode_batch(det)
    return int(np.any(pred != obs, axis=1).sum()), shots


def z_score(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Two-proportion z statistic of (errors, shots) pairs (b - a in units of the pooled sigma)."""
    pa, pb = a[0] / a[1], b[0] / b[1]
    pool = (a[0] + b[0]) / (a[1] + b[1])
    sigma = math.sqrt(max(pool * (1 - pool), 1e-300) * (1 / a[1] + 1 / b[1]))
    return (pb - pa) / sigma


@pytest.fixture
def logical_errors() -> Callable[[stim.Circuit, int, int], tuple[int, int]]:
    return sample_logical_errors


@pytest.fixture
def zscore() -> Callable[[tuple[int, int], tuple[int, int]], float]:
    return z_score
