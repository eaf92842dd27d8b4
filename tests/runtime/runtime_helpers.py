"""Helpers for the runtime tests: noisy networks and a two-sample distribution test."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
from scipy.stats import chi2_contingency

from ionnet.hardware import load_network
from ionnet.hardware.network import NetworkSpec

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def noisy_network(
    modules: int = 2,
    capacity: int = 4,
    *,
    visibility: float = 0.85,
    two_qubit_fidelity: float = 0.97,
    t2_s: float = 0.05,
) -> NetworkSpec:
    """The default network with amplified noise, so that statistical tests have power."""
    base = load_network("default").with_modules(modules, capacity)
    module = dataclasses.replace(
        base.modules[0], two_qubit_gate_fidelity=two_qubit_fidelity, memory_t2_s=t2_s, spam_error=0.01
    )
    link = dataclasses.replace(base.link, hom_visibility=visibility)
    return dataclasses.replace(base, modules=(module,) * modules, links=(link,) * len(base.edges))


def same_distribution(a: dict[str, int], b: dict[str, int], alpha: float = 1e-3) -> tuple[bool, float]:
    """Chi-square test of homogeneity of two count dictionaries at significance ``alpha``.

    Outcomes with fewer than 10 expected counts in total are pooled into one bin.
    Returns (not rejected, p-value).
    """
    keys = sorted(set(a) | set(b))
    table = np.array([[a.get(k, 0) for k in keys], [b.get(k, 0) for k in keys]], dtype=float)
    big = table.sum(axis=0) >= 10
    pooled = np.column_stack([table[:, big], table[:, ~big].sum(axis=1)]) if (~big).any() else table[:, big]
    pooled = pooled[:, pooled.sum(axis=0) > 0]
    if pooled.shape[1] < 2:
        return True, 1.0
    p = float(chi2_contingency(pooled)[1])
    return p >= alpha, p
