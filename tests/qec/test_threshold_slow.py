"""Slow: the threshold of ionnet's uncut memory against the same scan of stim's generated circuit."""

from types import SimpleNamespace

import pytest
import stim

from ionnet.analysis.qecthreshold import scan_threshold
from ionnet.qec import InterfaceNoise, MemorySpec, memory_experiment

pytestmark = pytest.mark.slow
PS = [0.004, 0.0055, 0.007, 0.0085, 0.01, 0.012]


def _stim(d: int, p: float) -> SimpleNamespace:
    circuit = stim.Circuit.generated(
        "surface_code:rotated_memory_z",
        distance=d,
        rounds=d,
        after_clifford_depolarization=p,
        before_round_data_depolarization=p,
        before_measure_flip_probability=p,
        after_reset_flip_probability=p,
    )
    return SimpleNamespace(
        circuit=circuit, distance=d, rounds=d, round_time_s=None, ebits_per_round=None, description={}
    )


def _ours(d: int, p: float):
    return memory_experiment(MemorySpec(distance=d, seam="none", modules=1), InterfaceNoise("uniform", p=p))


def test_uncut_threshold_matches_stims_generated_circuit():
    kwargs = {"distances": [3, 5], "parameter": "p", "values": PS, "shots": 200_000, "max_errors": 300}
    ours = scan_threshold(make_experiment=_ours, seed=1, **kwargs).estimate
    ref = scan_threshold(make_experiment=_stim, seed=2, **kwargs).estimate
    assert ours.threshold is not None and ref.threshold is not None
    (lo_a, hi_a), (lo_b, hi_b) = ours.threshold_ci95, ref.threshold_ci95
    assert lo_a <= hi_b and lo_b <= hi_a  # the two 95 % intervals overlap
    assert 0.005 < ours.threshold < 0.012  # circuit-level depolarizing, MWPM: about 0.7 % per shot
