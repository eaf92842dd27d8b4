"""The figures of issue 11, section 6 (run by hand: ``.venv/bin/python benchmarks/qec_figures.py PART``).

Parts (each prints a markdown table with the command of every row):

* ``seams``: thresholds in p of the rotated code cut by a seam, ``scaled`` with lambda = 1 and
  10, both seam orientations, d = 3, 5, 7 (and the uncut reference), to compare with Ramette,
  Sinclair, Breuckmann and Vuletic, npj Quantum Information 10, 58 (2024);
* ``interface``: the threshold in lambda at a fixed bulk p = 0.001 (the interface error
  lambda x p that the seam tolerates), both orientations;
* ``presets``: the default, oxford-2020 and duke-2024 networks with the ``link`` interface at
  d = 3, 5, 7: round time, ebits per round, logical error per round and per second, and the
  same with a perfect ebit, a 100 times faster link and 100 times longer T1 and T2 (what limits them);
* ``ratet2``: the threshold in memory T2 (X memory: a Z memory is blind to dephasing) at the
  oxford-2020 link rate with perfect ebits, i.e.
  the threshold of ebit rate x T2 (compare de Bone et al., AVS Quantum Science 6, 033801 (2024):
  about 4 x 10^2 for their diamond model).

Figures go to ``--out`` (default: a temporary folder). Every threshold is ``ionnet qec
threshold`` through the CLI, so the command printed beside each row reproduces it.
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ionnet.hardware import link_budget, load_network
from ionnet.qec import InterfaceNoise, MemorySpec, memory_experiment
from ionnet.qec.report import sample_experiment

SAMPLING = ["--shots", "1000000", "--max-errors", "150", "--workers", "2", "--seed", "1", "--no-progress"]


def threshold(args: list[str], out: Path) -> tuple[dict, str, float]:
    """Run ``ionnet qec threshold ARGS --out OUT --json``; (result, command, wall seconds)."""
    cmd = ["ionnet", "qec", "threshold", *args, *SAMPLING, "--out", str(out), "--json"]
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", *cmd[0:1], *cmd[1:]], capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{shlex.join(cmd)} failed: {done.stderr.strip()[-400:]}")
    shown = [a for a in cmd if a != "--no-progress"]
    return json.loads(done.stdout), shlex.join(shown), time.perf_counter() - start


def _fmt(result: dict) -> str:
    th, ci = result["threshold"], result["threshold_ci95"]
    pairs = ", ".join(
        f"{c['distances'][0]}/{c['distances'][1]}: {c['value']:.4g}" if c["value"] else "none"
        for c in result["crossings"]
    )
    return (f"{th:.4g} [{ci[0]:.4g}, {ci[1]:.4g}]" if th else "none in range") + f" | {pairs}"


def part_seams(out: Path) -> None:
    print("| seam | lambda | threshold p [95 %] | crossings 3/5, 5/7 | wall s | command |")
    print("|---|---|---|---|---|---|")
    cases = [("none", 1.0), ("crossing", 1.0), ("parallel", 1.0), ("crossing", 10.0), ("parallel", 10.0)]
    for seam, lam in cases:
        args = ["--distances", "3,5,7", "--p-range", "0.002:0.012:8", "--seam", seam,
                "--interface", "scaled", "--lambda", str(lam)]  # fmt: skip
        result, cmd, wall = threshold(args, out / f"seam-{seam}-lam{lam:g}.png")
        print(f"| {seam} | {lam:g} | {_fmt(result)} | {wall:.0f} | `{cmd}` |", flush=True)


INTERFACE_SEAMS = ["crossing", "parallel"]


def part_interface(out: Path) -> None:
    print("| seam | bulk p | threshold lambda [95 %] | crossings | interface error lambda x p", end="")
    print(" | wall s | command |")
    print("|---|---|---|---|---|---|---|")
    for seam in INTERFACE_SEAMS:
        args = ["--distances", "3,5,7", "--lambda-range", "10:300:8", "--seam", seam,
                "--interface", "scaled", "--p", "0.001"]  # fmt: skip
        result, cmd, wall = threshold(args, out / f"lambda-{seam}.png")
        th = result["threshold"]
        err = f"{th * 0.001:.3g}" if th else "-"
        print(f"| {seam} | 0.001 | {_fmt(result)} | {err} | {wall:.0f} | `{cmd}` |", flush=True)


VARIANTS = {
    "as is": ({}, None),
    "perfect ebit": ({}, 1.0),
    "link x100": ({"link.attempt_rate_hz": 100.0}, None),
    "T1, T2 x100": (
        {f"module.{ion}_{t}_s": 100.0 for ion in ("memory", "communication") for t in ("t1", "t2")},
        None,
    ),
}


def _variant(network_name: str, distance: int, scale: dict[str, float]) -> object:
    from ionnet.analysis.params import apply_parameters

    base = load_network(network_name)
    base = base.with_modules(max(2, base.num_modules), 2 * distance * distance)
    module, link = base.modules[0], base.link
    changes = {}
    for name, factor in scale.items():
        head, _, key = name.partition(".")
        changes[name] = getattr(module if head == "module" else link, key) * factor
    return apply_parameters(base, changes) if changes else base


def part_presets(out: Path) -> None:
    del out
    print("| network | d | basis | variant | round s (local / generation) | ebits/round "
          "| p_L per round [95 %] | p_L per s | shots |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|")
    for name in ("default", "oxford-2020", "duke-2024"):
        net = load_network(name)
        budget = link_budget(net.link, net.modules[0], net.modules[1])
        print(f"| {name} | | link: {budget.rate_hz:.0f} ebit/s, F = {budget.fidelity:.3f}, "
              f"T2 = {net.modules[0].memory_t2_s:g} s | | | | | | |")  # fmt: skip
        for d in (3, 5, 7):
            cases = [("Z", "as is"), *(("X", v) for v in VARIANTS)]
            for basis, variant in cases:
                scale, fidelity = VARIANTS[variant]
                network = _variant(name, d, scale)
                noise = InterfaceNoise("link", network=network, ebit_fidelity=fidelity)  # type: ignore[arg-type]
                experiment = memory_experiment(MemorySpec(distance=d, seam="crossing", basis=basis), noise)
                r = sample_experiment(experiment, shots=200_000, max_errors=200, seed=1, workers=2)
                lo, hi = r.logical_error_per_round_ci95
                t = r.timing
                print(
                    f"| {name} | {d} | {basis} | {variant} | {r.round_time_s:.3g} ({t['local_s']:.3g} / "
                    f"{t['generation_s']:.3g}) | {r.ebits_per_round} | {r.logical_error_per_round:.3g} "
                    f"[{lo:.3g}, {hi:.3g}] | {r.logical_error_per_s:.3g} | {r.shots} |",
                    flush=True,
                )
    print("\ncommand of a row: `ionnet qec memory --distance D --seam crossing --interface link "
          "--network NAME --capacity auto --shots 200000 --max-errors 200 --workers 2 --seed 1 --json`"
          " (variants: `--ebit-fidelity 1`; a network file with the link's attempt_rate_hz or the "
          "modules' T2 x100)")  # fmt: skip


def part_ratet2(out: Path) -> None:
    net = load_network("oxford-2020")
    rate = link_budget(net.link, net.modules[0], net.modules[1]).rate_hz
    print("| network | ebit rate (1/s) | swept | threshold T2 s [95 %] | crossings", end="")
    print(" | rate x T2 [95 %] | command |")
    print("|---|---|---|---|---|---|---|")
    args = ["--distances", "3,5,7", "--basis", "X", "--interface", "link", "--network", "oxford-2020",
            "--capacity", "auto", "--ebit-fidelity", "1",
            "--sweep", "module.memory_t2_s=0.05:50:8"]  # fmt: skip
    result, cmd, _ = threshold(args, out / "ratet2.png")
    th, ci = result["threshold"], result["threshold_ci95"]
    prod = f"{rate * th:.3g} [{rate * ci[0]:.3g}, {rate * ci[1]:.3g}]" if th else "-"
    print(f"| oxford-2020, perfect ebits | {rate:.0f} | memory T2 | {_fmt(result)} | {prod} | `{cmd}` |")


PARTS = {"seams": part_seams, "interface": part_interface, "presets": part_presets, "ratet2": part_ratet2}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("parts", nargs="*", default=list(PARTS), choices=list(PARTS))
    parser.add_argument("--out", default=None, help="folder for the figures (default: a temporary one)")
    parser.add_argument("--interface-seams", default="crossing,parallel", help="seams of the interface part")
    args = parser.parse_args()
    INTERFACE_SEAMS[:] = args.interface_seams.split(",")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(args.out or tmp)
        out.mkdir(parents=True, exist_ok=True)
        for part in args.parts:
            print(f"\n### {part}\n", flush=True)
            PARTS[part](out)


if __name__ == "__main__":
    main()
