"""``ionnet qec``: surface-code memories and lattice surgery split across modules, and thresholds.

    ionnet qec memory --distance D [--rounds R] [--patch square|rectangle]
        [--seam crossing|parallel|none] [--basis Z|X] [--modules K]
        [--interface uniform|scaled|link] [--p P] [--lambda L] [--network NAME|FILE]
        [--ebit-fidelity F] [--capacity C|auto] [--teleport physical|gate] [--purify N]
        [--shots N] [--max-errors E] [--workers W] [--seed S] [--json]
    ionnet qec surgery --distance D [--rounds R] [--basis ZZ|XX] ... (the same noise and sampling)
    ionnet qec threshold --distances 3,5,7 (--p-range A:B:N | --lambda-range A:B:N |
        --sweep NAME=A:B:N) [memory and noise options] --out FIG.png [--json]

``memory`` and ``surgery`` print one JSON object with ``--json`` (fields in the README, section
``ionnet qec``); ``threshold`` prints ``threshold``, ``threshold_ci95``, every crossing and the
points, and draws logical error per round against the swept parameter, one curve per distance.
Sampling stops at ``--shots`` shots or ``--max-errors`` logical errors, whichever comes first;
the counts depend on ``--seed`` only, not on ``--workers``. Ranges ``A:B:N`` are geometric when
A and B are > 0, linear otherwise.
"""

from __future__ import annotations

import argparse
import itertools
import math
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from ionnet.cli.common import add_seed_option, positive_int, print_json
from ionnet.errors import ConfigError

INTERFACES = ("uniform", "scaled", "link")
SEAMS = ("crossing", "parallel", "none")
PATCHES = ("square", "rectangle")


def finite_float(text: str) -> float:
    """argparse type: a finite number."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number (got {text!r})") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a finite number (got {text!r})")
    return value


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``qec`` subcommand and its ``memory``, ``surgery`` and ``threshold`` actions."""
    parser = subparsers.add_parser(
        "qec",
        help="surface codes split across modules: logical error, round time, thresholds",
        description="Surface-code memories and lattice surgery whose stabilizers straddle modules, "
        "sampled with stim and decoded with PyMatching.",
    )
    actions = parser.add_subparsers(dest="action", required=True, parser_class=type(parser))
    memory = actions.add_parser("memory", help="a logical memory across a seam")
    _add_memory_options(memory)
    _add_noise_options(memory)
    _add_sampling_options(memory)
    memory.set_defaults(handler=run_memory)
    surgery = actions.add_parser("surgery", help="a logical ZZ or XX measurement between two modules")
    surgery.add_argument("--distance", type=int, required=True, metavar="D", help="code distance (odd, >= 3)")
    surgery.add_argument("--rounds", type=positive_int, default=None, metavar="R", help="rounds (default D)")
    surgery.add_argument("--basis", default="ZZ", help="ZZ or XX (default ZZ)")
    _add_noise_options(surgery)
    _add_sampling_options(surgery)
    surgery.set_defaults(handler=run_surgery)
    threshold = actions.add_parser("threshold", help="threshold from the crossing of consecutive distances")
    threshold.add_argument("--distances", required=True, metavar="D1,D2,...", help="e.g. 3,5,7")
    what = threshold.add_mutually_exclusive_group(required=True)
    what.add_argument("--p-range", metavar="A:B:N", help="sweep the physical error p")
    what.add_argument("--lambda-range", metavar="A:B:N", help="sweep the interface factor (scaled), at --p")
    what.add_argument(
        "--sweep",
        metavar="NAME=A:B:N",
        help="link interface: ebit_fidelity or a network parameter "
        "(link.attempt_rate_hz, link.fiber_length_m, module.memory_t2_s, ...)",
    )
    _add_memory_options(threshold, with_distance=False)
    _add_noise_options(threshold)
    _add_sampling_options(threshold)
    threshold.add_argument("--out", required=True, metavar="FIG", help="figure file (.png or .svg)")
    threshold.set_defaults(handler=run_threshold)


def _add_memory_options(parser: argparse.ArgumentParser, with_distance: bool = True) -> None:
    if with_distance:
        parser.add_argument(
            "--distance", type=int, required=True, metavar="D", help="code distance (odd, >= 3)"
        )
    parser.add_argument("--rounds", type=positive_int, default=None, metavar="R", help="rounds (default D)")
    parser.add_argument("--patch", default="square", help="square (d x d) or rectangle (d x 2d)")
    parser.add_argument("--seam", default="crossing", help="crossing, parallel or none (the reference)")
    parser.add_argument("--basis", default="Z", help="logical Z or X memory (default Z)")
    parser.add_argument("--modules", type=positive_int, default=2, metavar="K", help="modules in a chain")


def _add_noise_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--interface", default="uniform", help="uniform, scaled or link (default uniform)")
    parser.add_argument(
        "--p", type=finite_float, default=None, metavar="P", help="physical error (default 1e-3)"
    )
    parser.add_argument(
        "--lambda", dest="lam", type=finite_float, default=None, metavar="L", help="interface factor (scaled)"
    )
    parser.add_argument("--network", default=None, metavar="NAME|FILE", help="network preset or TOML file")
    parser.add_argument(
        "--capacity",
        default=None,
        metavar="C|auto",
        help="qubits per module of --network (auto: what the fullest module's part of the code needs)",
    )
    parser.add_argument(
        "--teleport", default=None, help="link: physical (teleported CX, default) or gate (one CX's error)"
    )
    parser.add_argument(
        "--purify", type=int, default=None, metavar="N", help="link: DEJMPS purification rounds per ebit"
    )
    parser.add_argument(
        "--ebit-fidelity",
        type=finite_float,
        default=None,
        metavar="F",
        help="link: ebit fidelity instead of the link's",
    )


def _add_sampling_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--shots", type=positive_int, default=10000, metavar="N", help="shots at most (default 10000)"
    )
    parser.add_argument(
        "--max-errors", type=positive_int, default=None, metavar="E", help="stop at E logical errors"
    )
    parser.add_argument(
        "--workers", type=positive_int, default=1, metavar="W", help="local processes (default 1)"
    )
    add_seed_option(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")


def _choice(name: str, value: str, known: tuple[str, ...]) -> str:
    if value not in known:
        raise ConfigError(f"'--{name}' must be one of {', '.join(known)} (got {value!r})")
    return value


def load_network_option(name: str) -> Any:
    """The network ``--network`` names; an empty or non-text file is a ConfigError naming it."""
    from pathlib import Path

    from ionnet.hardware.network import load_network, preset_names

    path = Path(name)
    if name not in preset_names() and path.is_file():
        try:
            text = path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"'--network' file {name} cannot be read as TOML text ({exc})") from None
        if not text.strip():
            raise ConfigError(f"'--network' file {name} is empty")
    return load_network(name)


def resize(network: Any, capacity: str | None, need: int, modules: int) -> Any:
    """``network`` with ``capacity`` qubits per module (``auto``: ``need``), at least ``modules``."""
    if capacity is None:
        return network
    if capacity == "auto":
        size = need
    else:
        try:
            size = int(capacity)
        except ValueError:
            raise ConfigError(f"'--capacity' must be an integer >= 1 or auto (got {capacity!r})") from None
        if size < 1:
            raise ConfigError(f"'--capacity' must be an integer >= 1 or auto (got {capacity!r})")
    return network.with_modules(max(network.num_modules, modules), size)


def make_noise(args: argparse.Namespace, need: int = 1, **override: Any) -> Any:
    """The InterfaceNoise the options name (``need``: qubits per module for ``--capacity auto``;
    ``override`` replaces p, lam, ebit_fidelity or network)."""
    from ionnet.qec import InterfaceNoise

    kind = _choice("interface", args.interface, INTERFACES)
    fields: dict[str, Any] = {"kind": kind}
    if args.p is not None:
        fields["p"] = args.p
    if args.lam is not None:
        fields["lam"] = args.lam
    if args.ebit_fidelity is not None:
        fields["ebit_fidelity"] = args.ebit_fidelity
    if args.teleport is not None:
        fields["teleport"] = args.teleport
    if args.purify is not None:
        fields["purification_rounds"] = args.purify
    if args.network is not None:
        modules = getattr(args, "modules", 2)
        fields["network"] = resize(load_network_option(args.network), args.capacity, need, modules)
    elif kind == "link":
        raise ConfigError("'--interface link' needs '--network NAME|FILE' (a preset such as default)")
    fields.update(override)
    return InterfaceNoise(**fields)


def memory_need(spec: Any) -> int:
    """Qubits (data and measure) the fullest module holds: ``--capacity auto``."""
    from ionnet.qec.memory import memory_qubits_per_module

    return max(memory_qubits_per_module(spec))


def memory_spec(args: argparse.Namespace, distance: int) -> Any:
    """The MemorySpec the options name."""
    from ionnet.qec import MemorySpec

    return MemorySpec(
        distance=distance,
        rounds=args.rounds,
        patch=_choice("patch", args.patch, PATCHES),
        seam=_choice("seam", args.seam, SEAMS),
        basis=args.basis,
        modules=args.modules,
    )


@contextmanager
def collection_progress(show: bool, total: int, label: str) -> Iterator[Callable[[int, int], None]]:
    """A rich progress bar on stderr (shots and errors); yields the collector's callback."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("shots, {task.fields[errors]} errors"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        disable=not show,
        transient=True,
    )
    with bar:
        job = bar.add_task(label, total=total, errors=0)

        def update(shots: int, errors: int) -> None:
            bar.update(job, completed=shots, errors=errors)

        yield update


def _show_progress(args: argparse.Namespace) -> bool:
    return not args.no_progress and sys.stderr.isatty()


def _report(args: argparse.Namespace, experiment: Any, label: str) -> int:
    from ionnet.qec.report import sample_experiment

    with collection_progress(_show_progress(args), args.shots, label) as update:
        report = sample_experiment(
            experiment,
            shots=args.shots,
            max_errors=args.max_errors,
            seed=args.seed,
            workers=args.workers,
            progress=update,
        )
    if args.json:
        print_json(report.as_dict())
        return 0
    low, high = report.logical_error_per_round_ci95
    print(
        f"{label}: {report.errors} logical errors in {report.shots} shots of {report.rounds} rounds; "
        f"per round {report.logical_error_per_round:.3e} [{low:.3e}, {high:.3e}]; {report.wall_s:.2f} s"
    )
    if report.round_time_s is not None:
        per_s = report.logical_error_per_s
        print(
            f"round {report.round_time_s:.3e} s, {report.ebits_per_round} ebits per round, "
            f"{per_s:.3e} logical errors per second"
            if per_s is not None
            else ""
        )
    return 0


def run_memory(args: argparse.Namespace) -> int:
    """Sample a memory experiment and report."""
    from ionnet.qec import memory_experiment

    spec = memory_spec(args, args.distance)
    experiment = memory_experiment(spec, make_noise(args, memory_need(spec)))
    return _report(args, experiment, f"memory d={args.distance} seam={args.seam} {args.interface}")


def run_surgery(args: argparse.Namespace) -> int:
    """Sample a lattice-surgery experiment and report."""
    from ionnet.qec import SurgerySpec, surgery_experiment
    from ionnet.qec.surgery import surgery_qubits_per_module

    spec = SurgerySpec(distance=args.distance, rounds=args.rounds, basis=args.basis)
    experiment = surgery_experiment(spec, make_noise(args, max(surgery_qubits_per_module(spec))))
    return _report(args, experiment, f"surgery {args.basis} d={args.distance} {args.interface}")


def parse_distances(text: str) -> list[int]:
    """``3,5,7`` -> [3, 5, 7] (two or more, increasing)."""
    try:
        values = [int(v) for v in text.split(",")]
    except ValueError:
        raise ConfigError(f"'--distances' must be integers separated by commas (got {text!r})") from None
    if len(values) < 2 or any(b <= a for a, b in itertools.pairwise(values)):
        raise ConfigError(f"'--distances' needs two or more increasing distances (got {text!r})")
    return values


def parse_range(option: str, text: str) -> list[float]:
    """``START:STOP:NUM`` -> NUM values, geometric when START and STOP > 0, else linear."""
    import numpy as np

    parts = text.split(":")
    try:
        start, stop, num = float(parts[0]), float(parts[1]), int(parts[2])
        if len(parts) != 3 or not (math.isfinite(start) and math.isfinite(stop)):
            raise ValueError
    except (ValueError, IndexError):
        raise ConfigError(f"'{option}' must be START:STOP:NUM (got {text!r})") from None
    if num < 3 or stop <= start:
        raise ConfigError(f"'{option}' needs STOP > START and NUM >= 3 (got {text!r})")
    values = np.geomspace(start, stop, num) if start > 0 else np.linspace(start, stop, num)
    return [float(v) for v in values]


def threshold_axis(args: argparse.Namespace) -> tuple[str, list[float], Callable[[int, float], Any]]:
    """(parameter name, values, (distance, value) -> InterfaceNoise) of the threshold options."""

    def need(d: int) -> int:
        return memory_need(memory_spec(args, d))

    if args.p_range is not None:
        return "p", parse_range("--p-range", args.p_range), lambda d, x: make_noise(args, need(d), p=x)
    if args.lambda_range is not None:
        if args.interface != "scaled":
            raise ConfigError(f"'--lambda-range' needs '--interface scaled' (got {args.interface!r})")
        values = parse_range("--lambda-range", args.lambda_range)
        return "lambda", values, lambda d, x: make_noise(args, need(d), lam=x)
    name, sep, spec = args.sweep.partition("=")
    if not sep:
        raise ConfigError(f"'--sweep' must be NAME=START:STOP:NUM (got {args.sweep!r})")
    if args.interface != "link":
        raise ConfigError(f"'--sweep' needs '--interface link' (got {args.interface!r})")
    values = parse_range("--sweep", spec)
    if name == "ebit_fidelity":
        return name, values, lambda d, x: make_noise(args, need(d), ebit_fidelity=x)
    from ionnet.analysis.params import apply_parameters

    apply_parameters(make_noise(args).network, {name: values[0]})  # a bad name fails before sampling

    def noise_at(d: int, x: float) -> Any:
        base = make_noise(args, need(d)).network
        return make_noise(args, need(d), network=apply_parameters(base, {name: x}))

    return name, values, noise_at


def run_threshold(args: argparse.Namespace) -> int:
    """Sample every (distance, value) point, locate the crossings, draw the figure."""
    from ionnet.analysis.qecthreshold import figure_path, plot_threshold, scan_threshold
    from ionnet.qec import memory_experiment

    distances = parse_distances(args.distances)
    figure_path(args.out)
    parameter, values, noise_at = threshold_axis(args)
    for d in distances:
        memory_spec(args, d)  # a bad distance or option fails before any sampling
    with collection_progress(
        _show_progress(args), len(distances) * len(values), "threshold points"
    ) as update:
        scan = scan_threshold(
            distances=distances,
            parameter=parameter,
            values=values,
            make_experiment=lambda d, x: memory_experiment(memory_spec(args, d), noise_at(d, x)),
            shots=args.shots,
            max_errors=args.max_errors,
            seed=args.seed,
            workers=args.workers,
            progress=lambda done: update(done, 0),
        )
    title = f"memory, seam {args.seam}, {args.interface}" + (
        f", network {args.network}" if args.network else ""
    )
    plot_threshold(scan, args.out, title=title)
    if args.json:
        print_json({**scan.as_dict(), "figure": args.out})
        return 0
    est = scan.estimate
    ci = est.threshold_ci95
    found = (
        f"{est.threshold:.4g} [{ci[0]:.4g}, {ci[1]:.4g}]"
        if est.threshold is not None and ci
        else "none in range"
    )
    print(f"threshold in {parameter}: {found}; figure {args.out}; {scan.wall_s:.1f} s")
    return 0
