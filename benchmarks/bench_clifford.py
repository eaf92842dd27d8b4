"""Clifford programs at scale through the CLI, side by side with bare stim on the same circuits.

    .venv/bin/python benchmarks/bench_clifford.py [--repeat 1] [--per-shot]

Each row starts the real command (``ionnet protocol ...`` / ``ionnet run ...``, a new Python
process: imports, parsing, recording or compiling, sampling, JSON) and measures its wall time
and its CPU time (the CPU time is steadier on a shared machine). The peer is stim alone
sampling the same circuit with the same shots, in this process: for ``protocol`` the recorded
protocol circuit with its final stabilizer measurements, for ``run`` the noisy program's
circuit (counts) plus the fidelity circuit, each built once and then timed from
``compile_sampler`` to the samples. Bars (issue 10): ``protocol ghz --backend stabilizer
--nodes 1000 --shots 10000`` under 2 s; the 1,000-qubit GHZ run over 40 modules with full
noise and 10,000 shots under 15 s, with a fidelity. ``--per-shot`` adds the per-shot path
(every shot on its own tableau simulator, the path before the batch) for GHZ over 50 modules.

Inputs are generated under ``ionnet-out/bench_clifford/`` in the repository (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import stim

from ionnet.compiler.circuit_input import parse_qasm
from ionnet.compiler.pipeline import compile_circuit
from ionnet.hardware import load_network
from ionnet.protocols.calculator import SHOTS, _context_factory
from ionnet.protocols.stim_batch import StimRecorder
from ionnet.runtime.noise import NoiseModel
from ionnet.runtime.noisy import build_noisy_circuit
from ionnet.runtime.stim_path import build_stim_circuit, clifford_reference, fidelity_circuit
from ionnet.runtime.storage import add_storage_noise
from ionnet.runtime.timing import schedule
from ionnet.seeding import stream

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "ionnet-out" / "bench_clifford"
IONNET = [str(Path(sys.executable).parent / "ionnet")]  # the installed console script
SHOTS_N = 10_000


def run_command(args: list[str]) -> tuple[float, float, dict]:
    """(wall s, CPU s of the child, its JSON) of one ``ionnet`` command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([*IONNET, *args, "--json"], capture_output=True, text=True, cwd=ROOT, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"ionnet {' '.join(args)} failed: {done.stderr[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, json.loads(done.stdout)


def best(repeat: int, fn: Callable[[], float]) -> float:
    return min(fn() for _ in range(repeat))


def timed_sample(circuit: stim.Circuit, shots: int, skip_reference: bool = False) -> float:
    start = time.perf_counter()
    circuit.compile_sampler(skip_reference_sample=skip_reference, seed=1).sample(shots)
    return time.perf_counter() - start


def protocol_circuit(
    name: str, nodes: int, network: str | None, ebit_fidelity: float | None, rounds: int
) -> tuple[stim.Circuit, bool]:
    """The circuit ``ionnet protocol`` samples (protocol + stabilizer MPPs) and whether it skips
    stim's reference sample."""
    recorder = StimRecorder(stream(0, "bench"))
    net = load_network(network) if network else None
    ctx = _context_factory(nodes, ebit_fidelity, net)(recorder)
    ctx.purification_rounds = rounds
    target, _ = SHOTS[name][0](ctx, nodes)
    generators = target.generators()
    skip = recorder.ideal_output_satisfies(generators, target.qubits) is True
    return recorder.stabilizer_circuit(generators, target.qubits), skip


def ghz_qasm(n: int) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"ghz_{n}.qasm"
    lines = ["OPENQASM 2.0;", 'include "qelib1.inc";', f"qreg q[{n}];", f"creg c[{n}];", "h q[0];"]
    lines += [f"cx q[{i}],q[{i + 1}];" for i in range(n - 1)] + ["measure q -> c;"]
    path.write_text("\n".join(lines) + "\n")
    return path


def run_circuits(path: Path, modules: int) -> list[stim.Circuit]:
    """The two stim circuits ``ionnet run`` samples for a Clifford program: counts and fidelity."""
    qc = parse_qasm(path.read_text(), str(path))
    net = load_network("default").with_modules(modules)
    program = compile_circuit(qc, net, seed=0).program
    trace = schedule(program, net, stream(0, "runtime", "links"))
    noise = NoiseModel.from_network(net)
    nc = add_storage_noise(build_noisy_circuit(program, trace, noise), program, trace, noise)
    ref = clifford_reference(qc)
    assert ref is not None
    slots = [program.final_placement[k] for k in range(ref.num_qubits)]
    return [build_stim_circuit(nc)[0], fidelity_circuit(nc, ref.stabilizers, slots)[0]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--per-shot", action="store_true", help="also time the per-shot path (slow)")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} (1 min) at start")
    print(f"{'command':<92}{'wall s':>8}{'cpu s':>8}{'stim s':>8}  result")
    rows: list[tuple[list[str], stim.Circuit, bool]] = []
    for name, nodes, network, f, rounds in [
        ("ghz", 1000, None, None, 0),
        ("ghz", 1000, None, 0.99, 0),
        ("ghz", 1000, "default", None, 1),
        ("swap", 1000, "default", None, 1),
        ("teleport", 2, "default", None, 1),
        ("cnot", 2, "oxford-2025", None, 2),
        ("cz", 2, "default", None, 0),
    ]:
        cli = ["protocol", name, "--backend", "stabilizer", "--nodes", str(nodes), "--shots", str(SHOTS_N)]
        cli += ["--network", network] if network else []
        cli += ["--ebit-fidelity", str(f)] if f is not None else []
        cli += ["--purify", str(rounds)] if rounds else []
        rows.append((cli, *protocol_circuit(name, nodes, network, f, rounds)))
    for cli, circuit, skip in rows:
        wall, cpu, out = min((run_command(cli) for _ in range(args.repeat)), key=lambda x: x[0])
        peer = min(timed_sample(circuit, SHOTS_N, skip) for _ in range(args.repeat))
        note = f"F = {out['fidelity']:.4f} {out.get('fidelity_ci95')}, ebits {out['ebits']}"
        print(f"{'ionnet ' + ' '.join(cli):<92}{wall:>8.2f}{cpu:>8.2f}{peer:>8.2f}  {note}")
    path = ghz_qasm(1000)
    cli = [
        "run",
        str(path.relative_to(ROOT)),
        "--network",
        "default",
        "--modules",
        "40",
        "--shots",
        str(SHOTS_N),
    ]
    walls = [run_command(cli) for _ in range(args.repeat)]
    wall, cpu, out = min(walls, key=lambda x: x[0])
    circuits = run_circuits(path, 40)
    peer = best(args.repeat, lambda: sum(timed_sample(c, SHOTS_N) for c in circuits))
    note = (f"F = {out['fidelity']} {out['fidelity_ci95']} ({out['fidelity_kind']}), compile_s "
            f"{out['compile_s']:.2f}, backend {out['backend']}")  # fmt: skip
    print(f"{'ionnet ' + ' '.join(cli):<92}{wall:>8.2f}{cpu:>8.2f}{peer:>8.2f}  {note}")
    cli = [*cli, "--ideal"]
    wall, cpu, out = min((run_command(cli) for _ in range(args.repeat)), key=lambda x: x[0])
    print(f"{'ionnet ' + ' '.join(cli):<92}{wall:>8.2f}{cpu:>8.2f}{'':>8}  F = {out['fidelity']}")
    if args.per_shot:
        from ionnet.protocols.calculator import run_protocol

        for batch in (True, False):
            start = time.perf_counter()
            r = run_protocol(
                "ghz", backend="stabilizer", ebit_fidelity=0.99, nodes=50, shots=2000, batch=batch
            )
            label = "batch" if batch else "per-shot"
            print(f"in-process ghz 50 modules, 2000 shots, {label:<9}: {time.perf_counter() - start:7.2f} s  "
                  f"F = {r.fidelity:.4f} {r.fidelity_ci95}")  # fmt: skip


if __name__ == "__main__":
    main()
