"""``ionnet run``: compile a circuit for a network and run it on the simulated machine.

    ionnet run CIRCUIT --network NAME|FILE [--modules K] [--capacity C] [--shots N] [--seed S]
               [--ideal] [--json] [--trace FILE] [--timeline FILE.png] [--backend B] [--expected BITS]

CIRCUIT is an OpenQASM 2/3 file, or an already compiled program (``.prog``/``.txt`` text form,
``.json``). With ``--json`` one object: counts, shots, ebits, makespan_s, fidelity, wall_s and
the rest of :meth:`ionnet.runtime.RunResult.to_dict`, with the compiler's makespan_estimate_s and
makespan_lower_bound_s beside the measured makespan_s, and ebits_with_unlimited_comm_ions (null
for a compiled program file).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from ionnet.cli.common import (
    add_network_options,
    add_seed_option,
    network_from_args,
    positive_int,
    print_json,
)
from ionnet.errors import ConfigError
from ionnet.hardware.network import NetworkSpec
from ionnet.runtime.api import RunOutcome, run_circuit_file
from ionnet.runtime.execute import BACKENDS


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``run`` subcommand."""
    p = subparsers.add_parser("run", help="compile and run a circuit on the simulated networked machine")
    p.add_argument("circuit", help="OpenQASM 2/3 file, or a compiled program (.prog/.txt/.json)")
    add_network_options(p)
    p.add_argument("--shots", type=positive_int, default=1000, help="shots (default 1000)")
    add_seed_option(p)
    p.add_argument("--ideal", action="store_true", help="perfect gates, readout and ebits; no idle noise")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--trace", metavar="FILE", help="write the trace as JSON (a .png suffix draws it)")
    p.add_argument("--timeline", metavar="FILE", help="draw the timeline picture (PNG)")
    p.add_argument("--backend", choices=BACKENDS, default="auto", help="simulation path (default auto)")
    p.add_argument(
        "--expected", metavar="BITS", help="expected answer (c0 rightmost) for success_probability"
    )
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    """Run the command; returns the exit code."""
    start = time.perf_counter()
    if args.expected is not None and set(args.expected) - {"0", "1"}:
        raise ConfigError(f"'--expected' must be a bitstring (got {args.expected!r})")
    outcome = run_circuit_file(
        args.circuit,
        lambda num_qubits: network_from_args(args, num_qubits),
        shots=args.shots,
        seed=args.seed,
        ideal=args.ideal,
        backend=args.backend,
        expected=args.expected,
    )
    files = _write_files(outcome, args)
    result = outcome.result
    data = {**result.to_dict(), "wall_s": time.perf_counter() - start, "compile_s": outcome.compile_s}
    data["remote_gates"] = outcome.program.remote_gates
    data["teleported_qubits"] = outcome.program.teleported_qubits
    data.update(_timing_fields(outcome, network_from_args(args, outcome.program.num_qubits)))
    data["files"] = files
    if args.json:
        print_json(data)
    else:
        _print_text(outcome, data)
    return 0


def _timing_fields(outcome: RunOutcome, network: NetworkSpec) -> dict[str, float | int | None]:
    """The compiler's makespan estimate and lower bound beside the measured makespan_s."""
    from ionnet.compiler.pipeline import ESTIMATE_SAMPLES
    from ionnet.compiler.timing import TimingModel

    model = TimingModel.from_network(network)
    return {
        "ebits_with_unlimited_comm_ions": outcome.ebits_with_unlimited_comm_ions,
        "makespan_estimate_s": model.sampled_mean(outcome.program, ESTIMATE_SAMPLES),
        "makespan_lower_bound_s": model.lower_bound(outcome.program),
    }


def _write_files(outcome: RunOutcome, args: argparse.Namespace) -> dict[str, str]:
    from ionnet.runtime.timeline import draw_timeline

    files: dict[str, str] = {}
    trace = outcome.result.trace
    assert trace is not None
    for target in (args.trace, args.timeline):
        if not target:
            continue
        path = Path(target)
        if path.suffix.lower() == ".png":
            files["timeline"] = str(draw_timeline(trace, path))
        else:
            files["trace"] = str(trace.write_json(path))
    return files


def _print_text(outcome: RunOutcome, data: dict) -> None:
    r = outcome.result
    print(f"program: {outcome.program.num_qubits} qubits on {outcome.program.num_modules} modules, "
          f"{r.ebits} ebits, {r.link_attempts} link attempts")  # fmt: skip
    print(f"machine time (makespan): {r.makespan_s * 1e3:.3f} ms   backend: {r.backend}   "
          f"{'ideal' if r.ideal else 'noisy'}")  # fmt: skip
    if r.fidelity is not None:
        print(f"fidelity ({r.fidelity_kind}): {r.fidelity:.4f}")
    if r.fidelity_kind == "hellinger" and len(r.counts) > r.shots / 10:
        print("  (a Hellinger fidelity from few shots per outcome is biased low: add shots, or use")
        print("   --backend trajectories for the state fidelity)")
    if r.success_probability is not None:
        print(f"success probability: {r.success_probability:.4f}")
    top = sorted(r.counts.items(), key=lambda kv: -kv[1])[:8]
    print("counts: " + ", ".join(f"{k}: {v}" for k, v in top) + (" ..." if len(r.counts) > 8 else ""))
    for name, path in data["files"].items():
        print(f"{name}: {path}")
    print(f"wall time: {data['wall_s']:.2f} s")
