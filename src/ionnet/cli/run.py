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
from typing import TYPE_CHECKING

from ionnet.cli.common import (
    MAX_SHOTS,
    add_network_options,
    add_seed_option,
    check_output,
    int_range,
    load_network_early,
    network_from_args,
    print_json,
    read_text_file,
    replacing,
)
from ionnet.errors import CircuitError, ConfigError

if TYPE_CHECKING:
    from ionnet.hardware.network import NetworkSpec
    from ionnet.runtime.api import RunOutcome

BACKENDS = ("auto", "stim", "trajectories", "statevector", "density")
"""= ionnet.runtime.execute.BACKENDS (not imported here: registering stays light)."""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``run`` subcommand."""
    p = subparsers.add_parser("run", help="compile and run a circuit on the simulated networked machine")
    p.add_argument("circuit", help="OpenQASM 2/3 file, or a compiled program (.prog/.txt/.json)")
    add_network_options(p)
    p.add_argument(
        "--shots",
        type=int_range(1, MAX_SHOTS),
        default=1000,
        help=f"shots (default 1000, at most {MAX_SHOTS})",
    )
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
    if args.expected is not None and (not args.expected or set(args.expected) - {"0", "1"}):
        raise ConfigError(f"'--expected' must be a string of 0s and 1s (got {args.expected!r})")
    check_output(args.trace, "--trace")
    check_output(args.timeline, "--timeline")
    load_network_early(args.network)  # a bad network file is reported before qiskit loads
    read_text_file(args.circuit, "circuit file", CircuitError)
    outcome = _run(args)
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


def _run(args: argparse.Namespace) -> RunOutcome:
    """Read the circuit or program, check ``--expected`` against its bits, compile and run."""
    from qiskit import QuantumCircuit

    from ionnet.runtime.api import RunOutcome, read_program_or_circuit, run_circuit
    from ionnet.runtime.execute import run_program

    source = read_program_or_circuit(args.circuit)
    bits = source.num_clbits
    if args.expected is not None and bits and len(args.expected) != bits:
        raise ConfigError(
            f"'--expected' must have one bit per classical bit of {args.circuit} ({bits}; "
            f"got {len(args.expected)}: {args.expected!r})"
        )
    network = network_from_args(args, source.num_qubits)
    options = {"shots": args.shots, "seed": args.seed, "ideal": args.ideal, "backend": args.backend}
    if isinstance(source, QuantumCircuit):
        return run_circuit(source, network, expected=args.expected, **options)
    result = run_program(source, network, expected=args.expected, **options)
    return RunOutcome(result, source, 0.0, None)


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
        with replacing(path) as tmp:
            if path.suffix.lower() == ".png":
                draw_timeline(trace, tmp)
                files["timeline"] = str(path)
            else:
                trace.write_json(tmp)
                files["trace"] = str(path)
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
