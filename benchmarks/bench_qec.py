"""Speed of ``ionnet qec`` (run by hand: ``.venv/bin/python benchmarks/bench_qec.py``).

1. Overhead (target: ionnet's own work under 20 % of a bare stim + PyMatching run). For a
   distance-d memory across a crossing seam (``scaled`` noise, lambda = 10, p = 0.004), side by
   side and interleaved (ABAB..., median of the repeats):

   * ionnet: :func:`ionnet.qec.memory_experiment` (building the circuit and its noise) plus
     :func:`ionnet.qec.report.sample_experiment` (decoder set-up, the seeded batch schedule,
     sampling, decoding, counting, intervals), one process;
   * bare: on the very circuit ionnet built, the detector error model, a PyMatching
     ``Matching``, one stim detector sampler and one ``decode_batch`` of all shots, and the count.

   The overhead is ``(ionnet - bare) / bare``; the time ionnet spends building the circuit is
   printed on its own.
2. A threshold figure (target: under 10 minutes on 2 cores): ``ionnet qec threshold
   --distances 3,5,7`` with 8 values of p, ``--max-errors 110`` (exact 95 % interval half-width just
   under 20 % of the estimate) and ``--workers 2``, through the CLI (imports included); the largest
   relative half-width of the 24 points is printed (target: under 20 %).

Timings are wall-clock and noisy when other work shares the machine's cores.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pymatching
import stim

from ionnet.qec import InterfaceNoise, MemorySpec, memory_experiment
from ionnet.qec.report import sample_experiment


def bare_run(circuit: stim.Circuit, shots: int, seed: int) -> int:
    """stim + PyMatching with nothing of ionnet's: DEM, matcher, one sampler, one decode."""
    dem = circuit.detector_error_model(decompose_errors=True, approximate_disjoint_errors=True)
    matcher = pymatching.Matching.from_detector_error_model(dem)
    sampler = circuit.compile_detector_sampler(seed=seed)
    dets, obs = sampler.sample(shots, separate_observables=True, bit_packed=True)
    predicted = matcher.decode_batch(dets, bit_packed_shots=True, bit_packed_predictions=True)
    return int(np.count_nonzero(np.any(predicted != obs, axis=1)))


def ionnet_run(distance: int, shots: int, seed: int) -> tuple[int, float]:
    """Build the experiment and sample it with ionnet; (errors, seconds spent building)."""
    start = time.perf_counter()
    experiment = memory_experiment(
        MemorySpec(distance=distance, seam="crossing"), InterfaceNoise("scaled", p=0.004, lam=10.0)
    )
    build_s = time.perf_counter() - start
    return sample_experiment(experiment, shots=shots, seed=seed).errors, build_s


def bench_overhead(distance: int, shots: int, repeats: int) -> None:
    circuit = memory_experiment(
        MemorySpec(distance=distance, seam="crossing"), InterfaceNoise("scaled", p=0.004, lam=10.0)
    ).circuit
    ours, bare, build = [], [], []
    for rep in range(repeats):
        start = time.perf_counter()
        errors_ours, build_s = ionnet_run(distance, shots, rep)
        ours.append(time.perf_counter() - start)
        build.append(build_s)
        start = time.perf_counter()
        errors_bare = bare_run(circuit, shots, rep)
        bare.append(time.perf_counter() - start)
    t_ours, t_bare = statistics.median(ours), statistics.median(bare)
    print(
        f"overhead d={distance} {shots} shots: ionnet {t_ours:.3f} s "
        f"(circuit {statistics.median(build):.3f} s), "
        f"bare stim+PyMatching {t_bare:.3f} s, overhead {100 * (t_ours - t_bare) / t_bare:+.1f} % "
        f"(errors {errors_ours} vs {errors_bare}, different seeds)"
    )


def bench_threshold(out: Path, workers: int) -> None:
    cmd = [sys.executable, "-m", "ionnet", "qec", "threshold", "--distances", "3,5,7",
           "--p-range", "0.003:0.012:8", "--seam", "crossing", "--shots", "2000000",
           "--max-errors", "110", "--workers", str(workers), "--seed", "1", "--out", str(out),
           "--json", "--no-progress"]  # fmt: skip
    start = time.perf_counter()
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    wall = time.perf_counter() - start
    result = json.loads(done.stdout)
    worst = max(
        (p["logical_error_per_shot_ci95"][1] - p["logical_error_per_shot_ci95"][0])
        / 2
        / p["logical_error_per_shot"]
        for p in result["points"]
    )
    shots = sum(p["shots"] for p in result["points"])
    print(
        f"threshold d=3,5,7 x 8 p, {workers} workers: {wall:.1f} s wall, {shots} shots, "
        f"threshold {result['threshold']:.5f} {result['threshold_ci95']}, "
        f"largest relative 95 % half-width {100 * worst:.1f} %; figure {out}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", default=None, help="threshold figure (default: a temporary folder)")
    parser.add_argument("--skip-threshold", action="store_true")
    args = parser.parse_args()
    for distance, shots in ((5, 100_000), (7, 50_000)):
        bench_overhead(distance, shots, args.repeats)
    if not args.skip_threshold:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(args.out) if args.out else Path(tmp) / "threshold.png"
            bench_threshold(out, args.workers)


if __name__ == "__main__":
    main()
