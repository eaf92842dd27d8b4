"""Options and output helpers shared by the subcommands."""

from __future__ import annotations

import argparse
import json
import math
import sys
from typing import Any

from ionnet.errors import ConfigError
from ionnet.hardware.network import NetworkSpec, load_network


def add_network_options(parser: argparse.ArgumentParser, required: bool = True) -> None:
    """Add ``--network NAME|FILE``, ``--modules K`` and ``--capacity C``."""
    parser.add_argument(
        "--network",
        required=required,
        default=None if required else "default",
        help="preset name (e.g. default, oxford-2025) or network TOML file",
    )
    parser.add_argument(
        "--modules",
        type=int,
        default=None,
        metavar="K",
        help="K identical modules of the network's module type, all-to-all",
    )
    parser.add_argument(
        "--capacity",
        type=int,
        default=None,
        metavar="C",
        help="data qubits per module (default with --modules: ceil(qubits / K))",
    )


def network_from_args(args: argparse.Namespace, num_qubits: int | None = None) -> NetworkSpec:
    """The network the options name, resized by ``--modules``/``--capacity`` when given."""
    network = load_network(args.network)
    modules, capacity = args.modules, args.capacity
    if modules is None and capacity is None:
        return network
    modules = modules if modules is not None else network.num_modules
    if modules < 1:
        raise ConfigError(f"'--modules' must be >= 1 (got {modules})")
    if capacity is None and num_qubits is not None:
        capacity = max(1, math.ceil(num_qubits / modules))
    if capacity is not None and capacity < 1:
        raise ConfigError(f"'--capacity' must be >= 1 (got {capacity})")
    return network.with_modules(modules, capacity)


def add_seed_option(parser: argparse.ArgumentParser, default: int = 0) -> None:
    """Add ``--seed N`` (a non-negative integer)."""
    parser.add_argument(
        "--seed", type=non_negative_int, default=default, help=f"root seed (default {default})"
    )


def _int_at_least(text: str, minimum: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be an integer (got {text!r})") from None
    if value < minimum:
        raise argparse.ArgumentTypeError(f"must be >= {minimum} (got {value})")
    return value


def non_negative_int(text: str) -> int:
    """argparse type: an integer >= 0."""
    return _int_at_least(text, 0)


def positive_int(text: str) -> int:
    """argparse type: an integer >= 1."""
    return _int_at_least(text, 1)


def print_json(obj: Any) -> None:
    """Print one JSON object on stdout (NaN becomes null)."""
    json.dump(_clean(obj), sys.stdout, indent=2, sort_keys=False)
    sys.stdout.write("\n")


def _clean(obj: Any) -> Any:
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_clean(v) for v in obj]
    if hasattr(obj, "item") and callable(obj.item):  # numpy scalars
        return _clean(obj.item())
    return obj
