"""``ionnet plot FIGURE SOURCE --out FILE``: figures from sweeps, comparisons and run traces."""

from __future__ import annotations

import argparse
from pathlib import Path

from ionnet.cli.common import check_output, read_text_file
from ionnet.errors import ConfigError, SweepError

FIGURES = {
    "rate-vs-length": "ebit rate and fidelity against fibre length (link sweep .db or .csv)",
    "tradeoff": "fidelity against rate as --knob varies (link sweep .db or .csv)",
    "success-vs-modules": "success and makespan against modules (run sweep .db or .csv)",
    "crossover": "modular vs monolithic against size (ionnet compare --out JSON)",
    "timeline": "the run's operations per module and link (ionnet run --trace JSON)",
}


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``plot`` subcommand."""
    parser = subparsers.add_parser(
        "plot",
        help="draw a figure (PNG or SVG) from sweep results, a comparison or a run trace",
        description="Figures: " + "; ".join(f"{k}: {v}" for k, v in FIGURES.items()),
    )
    parser.add_argument("figure", choices=sorted(FIGURES), help="which figure")
    parser.add_argument("source", help="results store (.db), sweep CSV, compare JSON or trace JSON")
    parser.add_argument("--out", required=True, metavar="FILE", help="output .png or .svg")
    parser.add_argument("--group", default=None, metavar="AXIS", help="one line per value of this axis")
    parser.add_argument(
        "--knob", default="link.bright_state_population", metavar="AXIS", help="tradeoff: the varied axis"
    )
    parser.add_argument(
        "--where", action="append", default=[], metavar="AXIS=VALUE", help="hold an axis at a value"
    )
    parser.add_argument("--network-label", default="?", help="timeline: the network that produced it")
    parser.add_argument("--seed-label", default="?", help="timeline: the seed that produced it")
    parser.set_defaults(handler=run)


def parse_where(items: list[str]) -> dict[str, object]:
    """``["link.scheme=two_photon", "seed=1"]`` -> ``{"link.scheme": "two_photon", "seed": 1}``."""
    from ionnet.analysis.plots import parse_value

    out: dict[str, object] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            raise ConfigError(f"'--where' must look like AXIS=VALUE (got {item!r})")
        out[key.strip()] = parse_value(value.strip())
    return out


def run(args: argparse.Namespace) -> int:
    """Draw the figure and print its path."""
    check_output(args.out, "--out", (".png", ".svg"))
    if not str(args.source).endswith(".db"):  # refuse a bad file before matplotlib loads
        what = "JSON file" if args.figure in ("timeline", "crossover") else "sweep CSV"
        read_text_file(args.source, what, SweepError)
    elif not Path(args.source).is_file():
        raise SweepError(f"result store {args.source} does not exist or is not a file")
    from ionnet.analysis import plots

    where = parse_where(args.where)
    if args.figure == "timeline":
        path = plots.plot_timeline(
            plots.load_json(args.source), args.out, args.network_label, args.seed_label
        )
    elif args.figure == "crossover":
        path = plots.save(plots.plot_crossover(plots.load_json(args.source)), args.out)
    else:
        rows = plots.load_rows(args.source)
        if args.figure == "rate-vs-length":
            fig = plots.plot_vs_length(rows, group=args.group, where=where)
        elif args.figure == "tradeoff":
            fig = plots.plot_tradeoff(rows, knob=args.knob, where=where)
        else:
            fig = plots.plot_success_vs_modules(rows, group=args.group or "circuit.family", where=where)
        path = plots.save(fig, args.out)
    print(path)
    return 0
