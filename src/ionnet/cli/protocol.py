"""``ionnet protocol NAME``: fidelity, ebits and time of one network protocol.

Examples::

    ionnet protocol teleport --ebit-fidelity 0.9 --json
    ionnet protocol cz --network oxford-2025 --backend statevector --shots 2000 --json
    ionnet protocol swap --nodes 5 --ebit-fidelity 0.95 --backend stabilizer
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from ionnet.cli.common import MAX_MODULES, MAX_SHOTS, add_seed_option, float_range, int_range, print_json
from ionnet.errors import ConfigError

if TYPE_CHECKING:
    from ionnet.protocols.calculator import ProtocolReport

PROTOCOLS = ("teleport", "cnot", "cz", "swap", "ghz")
"""= ionnet.protocols.calculator.PROTOCOLS (not imported here: registering stays light)."""
BACKENDS = ("density", "stabilizer", "statevector")
"""= sorted(ionnet.states.BACKENDS)."""
MAX_PURIFY = 20
"""Most purification rounds (each round doubles the ebits per purified pair)."""

_fidelity = float_range(0.25, 1.0)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``protocol`` subcommand."""
    p = subparsers.add_parser(
        "protocol",
        help="fidelity, ebits and time of teleport, cnot, cz, swap or ghz",
        description=(
            "Run a network protocol and report its figure of merit: teleport = average fidelity "
            "over input states; cnot/cz = average gate fidelity of the teleported gate; swap = "
            "end-to-end Bell fidelity of a chain of --nodes modules; ghz = fidelity to the "
            "--nodes-qubit GHZ state."
        ),
    )
    p.add_argument("name", choices=PROTOCOLS, metavar="NAME", help=f"one of {', '.join(PROTOCOLS)}")
    source = p.add_mutually_exclusive_group()
    source.add_argument(
        "--ebit-fidelity",
        type=_fidelity,
        default=None,
        metavar="F",
        help="Werner ebits of fidelity F in [1/4, 1], perfect local operations (default 1)",
    )
    source.add_argument(
        "--network", default=None, metavar="NAME|FILE", help="ebits and local noise from this network"
    )
    p.add_argument(
        "--nodes", type=int_range(1, MAX_MODULES), default=None, metavar="N", help="modules (swap, ghz)"
    )
    p.add_argument("--backend", choices=BACKENDS, default="density", help="state backend")
    p.add_argument(
        "--shots", type=int_range(1, MAX_SHOTS), default=1000, help="trajectories on sampling backends"
    )
    p.add_argument(
        "--purify",
        type=int_range(0, MAX_PURIFY),
        default=0,
        metavar="R",
        help="DEJMPS rounds per ebit (default 0)",
    )
    add_seed_option(p)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Handler of ``ionnet protocol``."""
    from ionnet.hardware.network import load_network

    network = load_network(args.network) if args.network else None
    from ionnet.protocols.calculator import run_protocol

    if args.nodes is not None and args.name not in ("swap", "ghz") and args.nodes != 2:
        raise ConfigError(f"'--nodes' for {args.name} must be 2 (got {args.nodes})")
    report = run_protocol(
        args.name,
        backend=args.backend,
        ebit_fidelity=args.ebit_fidelity,
        network=network,
        nodes=args.nodes,
        shots=args.shots,
        seed=args.seed,
        purification_rounds=args.purify,
    )
    if args.json:
        out = report.as_dict()  # fidelity_ci95 is [low, high], like every *_ci95
        if network is not None:
            out["network"] = network.name
        print_json(out)
    else:
        print(_text(report))
    return 0


def _text(r: ProtocolReport) -> str:
    if r.fidelity_ci95 is None:
        ci = " (exact)"
    else:
        ci = f" (95 % interval [{r.fidelity_ci95[0]:.4f}, {r.fidelity_ci95[1]:.4f}])"
    return (
        f"{r.protocol} on {r.nodes} modules, {r.backend} backend: fidelity {r.fidelity:.6f}{ci}, "
        f"ebits {r.ebits}, elapsed {r.elapsed_s * 1e3:.3f} ms"
    )
