"""The ``ionnet`` command line: a thin shell over the public API.

Each subcommand lives in its own module ``ionnet.cli.<name>`` exposing ``register(subparsers)``,
which adds its parser and sets ``handler`` (a function ``args -> int``). Errors that derive from
:class:`ionnet.errors.IonnetError`, and argparse usage errors, become one line on stderr and exit
code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import NoReturn

from ionnet.errors import IonnetError

COMMANDS = ("demo", "link", "protocol", "compile", "run", "sweep", "compare", "plot")


class OneLineParser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are one line (and exit code 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The top-level parser with every available subcommand (or just ``only``) registered.

    Registering one subcommand imports only its module, so ``ionnet protocol ...`` does not
    pay for the imports of ``run`` or ``demo`` (qiskit, SimPy).
    """
    parser = OneLineParser(
        prog="ionnet",
        description="Model, compile for, run and sweep networked modular trapped-ion quantum computers.",
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)
    for name in COMMANDS if only is None else (only,):
        try:
            module = importlib.import_module(f"ionnet.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"ionnet.cli.{name}":
                raise
            continue
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code (0 ok, 2 bad input)."""
    words = sys.argv[1:] if argv is None else argv
    first = words[0] if words else None
    parser = build_parser(first if first in COMMANDS else None)
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except IonnetError as exc:
        print(f"ionnet {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"ionnet {args.command}: interrupted", file=sys.stderr)
        return 130
