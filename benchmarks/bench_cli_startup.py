"""How fast the real ``ionnet`` command answers (by hand: ``python benchmarks/bench_cli_startup.py``).

Starts the installed ``ionnet`` command (the script next to this interpreter, else
``python -m ionnet``) ``--repeat`` times per case and prints the median and the maximum wall
time. Targets (issue 13): ``--help``, ``SUB --help``, every usage error and every config error
within 0.5 s; ``ionnet link --json`` on a preset within 1 s. Side by side, in the same run: the
bare interpreter (``python -c pass``, the floor) and ``python -c "import qiskit"`` (what every
start paid when registering a subcommand imported its layer).

The inputs (a circuit, binary, empty and wrong TOML files) are written to a temporary folder
inside ``benchmarks/``. Timings are wall-clock and noisy when other work shares the cores.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ionnet.cli import COMMANDS

HERE = Path(__file__).resolve().parent
GHZ = (
    'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\ncreg c[2];\nh q[0];\ncx q[0],q[1];\nmeasure q -> c;\n'
)


def ionnet_command() -> list[str]:
    """The installed console script next to this interpreter, else ``python -m ionnet``."""
    script = Path(sys.executable).parent / "ionnet"
    return [str(script)] if script.exists() else [sys.executable, "-m", "ionnet"]


def cases(folder: Path) -> list[tuple[str, str, list[str], float]]:
    """(group, label, argv, target seconds) for every case."""
    (folder / "c.qasm").write_text(GHZ)
    (folder / "empty.qasm").write_text("")
    (folder / "binary.toml").write_bytes(bytes(range(256)))
    (folder / "wrong.toml").write_text("[link]\ndetector_efficiency = 1.5\n")
    (folder / "bad_sweep.toml").write_text('[sweep]\nkind = "link"\noutputs = ["no_such_output"]\n')
    (folder / "dir.toml").mkdir()
    ion = ionnet_command()
    out: list[tuple[str, str, list[str], float]] = [
        ("peer", "python -c pass (interpreter floor)", [sys.executable, "-c", "pass"], 0.5),
        ("peer", "python -c 'import qiskit' (old start)", [sys.executable, "-c", "import qiskit"], 0.5),
        ("help", "ionnet --help", [*ion, "--help"], 0.5),
    ]
    out += [("help", f"ionnet {name} --help", [*ion, name, "--help"], 0.5) for name in COMMANDS]
    usage = [
        "run c.qasm --network default --shots 10000000000000",
        "run c.qasm",
        "link --duration-s nan",
        "protocol teleport --ebit-fidelity 2",
        "compile c.qasm --network default --modules 0",
        "compare --sizes 4 --infidelity-exponent inf",
        "plot nothing x --out y.png",
        "no-such-command",
    ]
    out += [("usage error", f"ionnet {u}", [*ion, *u.split()], 0.5) for u in usage]
    config = [
        "link --config binary.toml",
        "link --config wrong.toml",
        "link --config dir.toml",
        "run c.qasm --network binary.toml",
        "compile c.qasm --network wrong.toml",
        "run empty.qasm --network default",
        "run missing.qasm --network default",
        "protocol cz --network wrong.toml",
        "compare --network binary.toml",
        "sweep binary.toml",
        "sweep bad_sweep.toml",
        "plot timeline binary.toml --out t.png",
    ]
    out += [("config error", f"ionnet {c}", [*ion, *c.split()], 0.5) for c in config]
    out += [("link", "ionnet link --json (preset default)", [*ion, "link", "--json"], 1.0)]
    return out


def measure(argv: list[str], folder: Path, repeat: int) -> tuple[float, float, int]:
    """Median and maximum wall time of ``repeat`` starts, and the exit code."""
    times, code = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        r = subprocess.run(argv, cwd=folder, capture_output=True, timeout=300)
        times.append(time.perf_counter() - start)
        code = r.returncode
    return statistics.median(times), max(times), code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="starts per case (default 5)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix=".startup-", dir=HERE))
    try:
        rows = []
        for group, label, argv, target in cases(folder):
            median, worst, code = measure(argv, folder, args.repeat)
            rows.append((group, label, code, median, worst, target))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"{'group':13} {'case':58} {'exit':>4} {'median_s':>9} {'max_s':>7} {'target_s':>8}  ok")
    for group, label, code, median, worst, target in rows:
        ok = "yes" if median <= target or group == "peer" else "NO"
        print(f"{group:13} {label:58} {code:>4} {median:9.3f} {worst:7.3f} {target:8.1f}  {ok}")
    bad = [r for r in rows if r[0] != "peer" and r[3] > r[5]]
    print(f"{len(rows) - 2} ionnet cases, {len(bad)} over target (median); repeat {args.repeat}")


if __name__ == "__main__":
    main()
