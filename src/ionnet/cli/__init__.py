"""The ``ionnet`` command line: a thin shell over the public API.

Each subcommand lives in its own module ``ionnet.cli.<name>`` exposing ``register(subparsers)``,
which adds its parser and sets ``handler`` (a function ``args -> int``). Registering imports
nothing heavy: a module imports its layer (qiskit, SimPy, the runtime) inside its handler, so
``ionnet --help`` and every usage error answer at once (``tests/cli/test_startup.py`` checks it).

Errors that derive from :class:`ionnet.errors.IonnetError`, and argparse usage errors, become one
line on stderr and exit code 2, never a traceback. :func:`main` is also the last line of defence:
an operating-system error (a file that cannot be written) or running out of memory is one line and
exit code 2, and any other unexpected exception one line and exit code 1 (the traceback only with
the environment variable ``IONNET_DEBUG`` set).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import NoReturn

from ionnet.errors import IonnetError

COMMANDS = ("demo", "link", "protocol", "compile", "run", "sweep", "compare", "plot", "qec")


class OneLineParser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are one line (and exit code 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {one_line(message)}\n")


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with every available subcommand registered."""
    parser = OneLineParser(
        prog="ionnet",
        description="Model, compile for, run and sweep networked modular trapped-ion quantum computers.",
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"ionnet.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"ionnet.cli.{name}":
                raise
            continue
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code (0 ok, 2 bad input, 1 internal error, 130 interrupted)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, or a usage error already printed on one line
        return exc.code if isinstance(exc.code, int) else 2
    try:
        return int(args.handler(args) or 0)
    except IonnetError as exc:
        return _fail(args.command, one_line(str(exc)), 2)
    except KeyboardInterrupt:
        print(f"ionnet {args.command}: interrupted", file=sys.stderr)
        return 130
    except MemoryError:
        return _fail(args.command, "out of memory: the input is too large for this machine", 2)
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        return _fail(args.command, f"{where}{exc.strerror or one_line(str(exc))}", 2)
    except Exception as exc:
        if os.environ.get("IONNET_DEBUG"):
            raise
        message = f"internal error: {type(exc).__name__}: {one_line(str(exc))}"
        return _fail(args.command, f"{message} (set IONNET_DEBUG=1 for the traceback)", 1)


def _fail(command: str, message: str, code: int) -> int:
    if os.environ.get("IONNET_DEBUG"):
        import traceback

        traceback.print_exc()
    print(f"ionnet {command}: error: {message}", file=sys.stderr)
    return code


def one_line(text: str, limit: int = 1000) -> str:
    r"""``text`` on one line (its lines joined by ``"; "``), cut at ``limit`` characters.

    >>> one_line("line 3:\n  bad token\n")
    'line 3: bad token'
    """
    parts = [p.strip() for p in text.strip().splitlines() if p.strip()]
    joined = " ".join(p if p.endswith(":") else p + ";" for p in parts).rstrip(";") if parts else ""
    return joined if len(joined) <= limit else joined[: limit - 3] + "..."
