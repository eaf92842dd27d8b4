"""``ionnet compare``: a circuit family at growing sizes on a monolithic and a modular machine."""

from __future__ import annotations

import argparse
import math

from ionnet.cli.common import (
    MAX_QUBITS,
    MAX_SHOTS,
    add_seed_option,
    check_output,
    float_range,
    int_range,
    load_network_early,
    print_json,
    write_text_atomic,
)
from ionnet.errors import ConfigError

MAX_SIZES = 64
"""Most sizes in ``--sizes``."""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``compare`` subcommand."""
    parser = subparsers.add_parser(
        "compare",
        help="modular against monolithic: success, time to solution and the crossover size",
        description="Run a circuit family at each total qubit count on one ever-longer ion chain "
        "(gates degrade with the chain, an assumed power law) and on modules of --module-qubits "
        "joined by the network's photonic link; report the size from which modular wins.",
    )
    parser.add_argument("--network", default="default", help="preset or network TOML (module and link)")
    parser.add_argument("--family", default="bv", help="circuit family: ghz, bv, qft (default bv)")
    parser.add_argument("--sizes", default="8,16,32,64", help="total qubit counts, comma-separated")
    parser.add_argument(
        "--module-qubits",
        type=int_range(1, MAX_QUBITS),
        default=None,
        metavar="C",
        help="data qubits per module of the modular machine (default: the network's)",
    )
    parser.add_argument("--shots", type=int_range(1, MAX_SHOTS), default=1000)
    add_seed_option(parser)
    parser.add_argument(
        "--method",
        default="auto",
        choices=("auto", "run", "estimate"),
        help="run (runtime), estimate (analytic) or auto (estimate only where a run "
        "cannot simulate the state)",
    )
    parser.add_argument(
        "--vary",
        default=None,
        metavar="link.KEY=V1,V2,...",
        help="repeat per value of a link parameter (crossover against link fidelity and rate)",
    )
    parser.add_argument(
        "--reference-ions",
        type=int_range(1, MAX_QUBITS),
        default=None,
        help="chain length of the module's gate figures (default: its qubits)",
    )
    exponent = float_range(-100.0, 100.0)
    parser.add_argument("--infidelity-exponent", type=exponent, default=1.0, help="alpha of the scaling law")
    parser.add_argument("--time-exponent", type=exponent, default=1.0, help="beta of the scaling law")
    parser.add_argument("--workers", type=int_range(1, 1024), default=1, metavar="N")
    parser.add_argument("--store", default=None, metavar="PATH", help="SQLite store to reuse results")
    parser.add_argument("--out", default=None, metavar="JSON", help="also write the JSON result here")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    parser.set_defaults(handler=run)


def parse_sizes(text: str) -> list[int]:
    """``"8,16,32"`` -> ``[8, 16, 32]`` (ConfigError naming --sizes otherwise)."""
    try:
        sizes = [int(s) for s in text.split(",") if s.strip()]
    except ValueError:
        raise ConfigError(f"'--sizes' must be integers separated by commas (got {text!r})") from None
    if not sizes or len(sizes) > MAX_SIZES:
        raise ConfigError(f"'--sizes' must name 1 to {MAX_SIZES} sizes (got {text!r})")
    too_big = [n for n in sizes if n > MAX_QUBITS]
    if too_big:
        raise ConfigError(f"'--sizes' must be at most {MAX_QUBITS} qubits (got {too_big[0]})")
    return sizes


def parse_vary(text: str | None) -> tuple[str, list[float | str]] | None:
    """``"link.hom_visibility=0.9,0.97"`` -> ``("link.hom_visibility", [0.9, 0.97])``."""
    if text is None:
        return None
    name, sep, values = text.partition("=")
    if not sep or not values:
        raise ConfigError(f"'--vary' must look like link.KEY=V1,V2 (got {text!r})")
    return name.strip(), [_number_or_text(v.strip()) for v in values.split(",") if v.strip()]


def _number_or_text(text: str) -> float | str:
    try:
        value = float(text)
    except ValueError:
        return text
    return value if math.isfinite(value) else text  # 'nan' stays text: refused by the link check


def run(args: argparse.Namespace) -> int:
    """Compare and print a table (or JSON)."""
    import json

    check_output(args.out, "--out")
    check_output(args.store, "--store")
    sizes, vary = parse_sizes(args.sizes), parse_vary(args.vary)
    load_network_early(args.network)  # a bad network file is reported before qiskit loads
    from ionnet.analysis.compare import compare
    from ionnet.analysis.monolithic import ScalingLaw
    from ionnet.hardware.network import load_network

    base = load_network(args.network)
    law = ScalingLaw(
        reference_ions=args.reference_ions or base.modules[0].data_qubits,
        infidelity_exponent=args.infidelity_exponent,
        time_exponent=args.time_exponent,
    )
    result = compare(
        base,
        args.family,
        sizes,
        module_qubits=args.module_qubits,
        law=law,
        shots=args.shots,
        seed=args.seed,
        method=args.method,
        vary=vary,
        workers=args.workers,
        store_path=args.store,
        progress=not args.no_progress,
    )
    data = result.as_dict()
    if args.out:
        write_text_atomic(args.out, json.dumps(data, indent=1, default=str))
    if args.json:
        print_json(data)
    else:
        _print_table(data)
    return 0


def _print_table(data: dict) -> None:
    law = ", ".join(f"{k}={v}" for k, v in data["law"].items())
    print(
        f"{data['family']} on network {data['network']} (seed {data['seed']}, {data['shots']} shots); "
        f"modules of {data['module_qubits']} qubits; scaling law (assumption): {law}"
    )
    header = ("vary", "machine", "qubits", "mods", "method", "success", "makespan_s", "tts_s", "ebits")
    print(" ".join(f"{h:>10}" for h in header))
    for r in data["rows"]:
        cells = (
            r["vary_value"],
            r["machine"],
            r["qubits"],
            r["modules"],
            r["method"],
            "error" if r["error"] else _fmt(r["success_probability"], ".3f"),
            _fmt(r["makespan_s"], ".4g"),
            _fmt(r["time_to_solution_s"], ".4g"),
            _fmt(r["ebits"], "d"),
        )
        print(" ".join(f"{c!s:>10}" for c in cells))
    for c in data["crossovers"]:
        label = f"{data['vary']}={c['vary_value']}: " if data["vary"] else ""
        print(
            f"{label}link F={c['link_fidelity']:.4f}, rate={c['link_rate_hz']:.4g} Hz -> modular wins on "
            f"success from {c['crossover_qubits']} qubits, "
            f"on time to solution from {c['crossover_tts_qubits']}"
        )


def _fmt(value: float | int | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)
