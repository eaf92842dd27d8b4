"""``ionnet sweep FILE``: run a sweep file, store each point, resume what is stored."""

from __future__ import annotations

import argparse

from ionnet.cli.common import check_output, int_range, print_json

MAX_WORKERS = 1024


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``sweep`` subcommand."""
    parser = subparsers.add_parser(
        "sweep",
        help="run a parameter sweep (resumable; local processes or a Dask cluster)",
        description="Run every point of a sweep TOML not yet in the result store; "
        "each point is stored as it finishes, so an interrupted sweep resumes when rerun.",
    )
    parser.add_argument("file", help="sweep TOML file (see README 'Sweeps')")
    parser.add_argument(
        "--workers", type=int_range(1, MAX_WORKERS), default=1, metavar="N", help="local worker processes"
    )
    parser.add_argument(
        "--scheduler", default=None, metavar="ADDR", help="run on an existing Dask cluster (tcp://HOST:PORT)"
    )
    parser.add_argument(
        "--store", default=None, metavar="PATH", help="SQLite result store (default: FILE.db)"
    )
    parser.add_argument("--csv", default=None, metavar="OUT", help="write every stored point as CSV")
    parser.add_argument("--json", action="store_true", help="print a JSON summary on stdout")
    parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Validate the sweep file, run it and report."""
    check_output(args.csv, "--csv")
    check_output(args.store, "--store")
    from ionnet.errors import ConfigError, SweepError
    from ionnet.hardware.network import read_toml

    try:  # a missing, binary or malformed file is refused before numpy and the analysis load
        read_toml(args.file, "sweep file")
    except ConfigError as exc:
        raise SweepError(str(exc)) from None
    from ionnet.analysis.spec import load_sweep

    spec = load_sweep(args.file)  # checked whole before the executor (Dask, the runtime) loads
    from ionnet.analysis.store import ResultStore
    from ionnet.analysis.sweep import run_sweep

    summary = run_sweep(
        spec,
        store_path=args.store,
        workers=args.workers,
        scheduler=args.scheduler,
        progress=not args.no_progress,
    )
    rows = None
    if args.csv:
        with ResultStore(summary.store) as store:
            rows = store.write_csv(args.csv, axes=spec.axis_names, outputs=spec.outputs)
    if args.json:
        print_json(
            {**summary.as_dict(), "sweep": spec.name, "kind": spec.kind, "csv": args.csv, "csv_rows": rows}
        )
    else:
        print(
            f"sweep {spec.name}: {summary.points} points, {summary.computed} computed, "
            f"{summary.reused} reused, {summary.errors} with errors, "
            f"{summary.wall_s:.2f} s; store {summary.store}"
            + (f"; csv {args.csv} ({rows} rows)" if args.csv else "")
        )
    return 0
