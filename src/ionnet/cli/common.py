"""Options, argument types, input checks and output helpers shared by the subcommands.

This module imports nothing heavy (no numpy, qiskit, SimPy): every parser is built from it when
``ionnet`` starts, and a subcommand imports its layer only inside its handler.

Argument types refuse NaN, infinities, non-numbers and out-of-range values with the range in the
message; the limits that protect memory (:data:`MAX_SHOTS`, :data:`MAX_QUBITS`,
:data:`MAX_MODULES`) are checked when the command line is parsed, before anything is allocated.

>>> shots = int_range(1, MAX_SHOTS)
>>> shots("1000")
1000
>>> shots("10000000000000")
Traceback (most recent call last):
...
argparse.ArgumentTypeError: must be an integer in [1, 10000000] (got 10000000000000)
>>> float_range(0.0, 1.0)("nan")
Traceback (most recent call last):
...
argparse.ArgumentTypeError: must be a finite number in [0, 1] (got 'nan')
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ionnet.errors import ConfigError
from ionnet.fileio import check_output_path, read_text_file, replacing, write_text_atomic

if TYPE_CHECKING:
    from ionnet.hardware.network import NetworkSpec

__all__ = [
    "MAX_MODULES",
    "MAX_QUBITS",
    "MAX_SEED",
    "MAX_SHOTS",
    "add_network_options",
    "add_seed_option",
    "check_output",
    "float_range",
    "int_range",
    "network_from_args",
    "non_negative_int",
    "positive_float",
    "positive_int",
    "print_json",
    "read_text_file",
    "replacing",
    "write_text_atomic",
]

MAX_SHOTS = 10_000_000
"""Most shots (or trajectories) of one command: the runtime holds per-shot arrays in memory."""
MAX_QUBITS = 10_000
"""Most qubits of a circuit or a module (= ionnet.compiler.circuit_input.MAX_QUBITS)."""
MAX_MODULES = 1024
"""Most modules of a network (= ionnet.hardware.network.MAX_MODULES)."""
MAX_SEED = 2**63 - 1
"""Largest root seed."""


def int_range(minimum: int, maximum: int | None = None) -> Callable[[str], int]:
    """argparse type: an integer in ``[minimum, maximum]`` (no upper limit when None)."""

    def parse(text: str) -> int:
        bounds = f">= {minimum}" if maximum is None else f"in [{minimum}, {maximum}]"
        try:
            value = int(text.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be an integer {bounds} (got {text!r})") from None
        if value < minimum or (maximum is not None and value > maximum):
            raise argparse.ArgumentTypeError(f"must be an integer {bounds} (got {value})")
        return value

    parse.__name__ = "integer"
    return parse


def float_range(
    minimum: float | None = None,
    maximum: float | None = None,
    *,
    exclusive_minimum: bool = False,
) -> Callable[[str], float]:
    """argparse type: a finite number in ``[minimum, maximum]`` (``(minimum, ...`` if exclusive)."""
    low = "(" if exclusive_minimum else "["
    if minimum is None and maximum is None:
        bounds = ""
    elif maximum is None:
        bounds = f" {'>' if exclusive_minimum else '>='} {minimum:g}"
    elif minimum is None:
        bounds = f" <= {maximum:g}"
    else:
        bounds = f" in {low}{minimum:g}, {maximum:g}]"

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        too_low = minimum is not None and (value <= minimum if exclusive_minimum else value < minimum)
        too_high = maximum is not None and value > maximum
        if not math.isfinite(value) or too_low or too_high:
            raise argparse.ArgumentTypeError(f"must be a finite number{bounds} (got {text!r})")
        return value

    parse.__name__ = "number"
    return parse


positive_float = float_range(0.0, exclusive_minimum=True)
"""argparse type: a finite number > 0."""


def non_negative_int(text: str) -> int:
    """argparse type: an integer >= 0."""
    return int_range(0)(text)


def positive_int(text: str) -> int:
    """argparse type: an integer >= 1."""
    return int_range(1)(text)


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
        type=int_range(1, MAX_MODULES),
        default=None,
        metavar="K",
        help="K identical modules of the network's module type, all-to-all",
    )
    parser.add_argument(
        "--capacity",
        type=int_range(1, MAX_QUBITS),
        default=None,
        metavar="C",
        help="data qubits per module (default with --modules: ceil(qubits / K))",
    )


def network_from_args(args: argparse.Namespace, num_qubits: int | None = None) -> NetworkSpec:
    """The network the options name, resized by ``--modules``/``--capacity`` when given."""
    from ionnet.hardware.network import load_network

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


def load_network_early(name: str | None) -> None:
    """Read and check a network option before any heavy import (errors arrive at once)."""
    if name is not None:
        from ionnet.hardware.network import load_network

        load_network(name)


def add_seed_option(parser: argparse.ArgumentParser, default: int = 0) -> None:
    """Add ``--seed N`` (an integer in [0, 2^63 - 1])."""
    parser.add_argument(
        "--seed", type=int_range(0, MAX_SEED), default=default, help=f"root seed (default {default})"
    )


def check_output(path: str | None, option: str, suffixes: tuple[str, ...] = ()) -> Path | None:
    """Check an output option before any work (see :func:`ionnet.fileio.check_output_path`)."""
    return None if path is None else check_output_path(path, option, suffixes)


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
