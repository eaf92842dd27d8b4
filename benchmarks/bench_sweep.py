"""Sweep speed (run by hand: ``.venv/bin/python benchmarks/bench_sweep.py``).

1. The 1,000-point link-physics sweep of examples/link_sweep.toml with 2 workers, fresh store
   (target: under 30 s on 2 cores), in-process and through the CLI (imports included).
2. A sweep of 48 runtime tasks (compile + run a 6-qubit QFT round trip on 2 modules with 2,000
   noisy shots, about 4 s each on an idle core) with 1 and with 2 workers (target: 2 workers at least
   1.6 times faster), fresh stores; the two CSVs must be identical but for wall columns. One worker runs in
   this process; two start a process pool, whose forkserver imports qiskit and the runtime once
   (about 1.5-2.5 s, included in the figure).

Timings are wall-clock and noisy when other work shares the machine's cores.
"""

from __future__ import annotations

import csv
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ionnet.analysis.spec import load_sweep, sweep_from_dict
from ionnet.analysis.store import ResultStore
from ionnet.analysis.sweep import run_sweep

ROOT = Path(__file__).resolve().parent.parent
RUNTIME_SWEEP = {
    "sweep": {"name": "bench-run", "kind": "run", "outputs": ["success_probability", "fidelity", "ebits"]},
    "fixed": {"circuit.family": "qft", "circuit.num_qubits": 6, "network.modules": 2,
              "network.capacity": "auto", "shots": 2000},
    "axes": {"seed": list(range(24)), "link.hom_visibility": [0.9, 0.97]},
}  # fmt: skip


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path) as f:
        return [{k: v for k, v in r.items() if not k.endswith("wall_s")} for r in csv.DictReader(f)]


def bench_link(tmp: Path) -> None:
    spec = load_sweep(ROOT / "examples" / "link_sweep.toml")
    start = time.perf_counter()
    summary = run_sweep(spec, store_path=tmp / "link.db", workers=2, progress=False)
    in_process = time.perf_counter() - start
    cmd = [sys.executable, "-m", "ionnet", "sweep", str(ROOT / "examples" / "link_sweep.toml"),
           "--workers", "2", "--store", str(tmp / "link_cli.db"), "--no-progress"]  # fmt: skip
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    cli = time.perf_counter() - start
    print(
        f"link sweep: {summary.points} points, 2 workers: {in_process:.2f} s in-process, {cli:.2f} s by CLI"
    )


def bench_runtime(tmp: Path) -> None:
    spec = sweep_from_dict(RUNTIME_SWEEP)
    times = {}
    for workers in (1, 2):
        store = tmp / f"run{workers}.db"
        start = time.perf_counter()
        summary = run_sweep(spec, store_path=store, workers=workers, progress=False)
        times[workers] = time.perf_counter() - start
        with ResultStore(store) as s:
            s.write_csv(tmp / f"run{workers}.csv", spec.axis_names, spec.outputs)
        print(f"runtime sweep: {summary.points} points, {workers} worker(s): {times[workers]:.2f} s")
    same = _rows(tmp / "run1.csv") == _rows(tmp / "run2.csv")
    print(f"runtime sweep: speedup 2 vs 1 workers = {times[1] / times[2]:.2f}x; identical CSV: {same}")


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as folder:
        bench_link(Path(folder))
        bench_runtime(Path(folder))
