"""``ionnet compile``: a circuit in, a DistributedProgram out.

    ionnet compile CIRCUIT --network NAME|FILE [--modules K] [--capacity C] [--seed N]
                   [-o FILE] [--json]

``--json`` prints one object: ebits, ebits_with_unlimited_comm_ions, makespan_estimate_s,
makespan_lower_bound_s, remote_gates, teleported_qubits, depth, modules, qubits, placement
(qubit index -> module index, initial), strategy, seed, compile_s. ``-o`` writes the
program text (JSON if the file name ends in ``.json``).
"""

from __future__ import annotations

import argparse

from ionnet.cli.common import (
    add_network_options,
    add_seed_option,
    check_output,
    load_network_early,
    network_from_args,
    print_json,
    read_text_file,
    write_text_atomic,
)
from ionnet.errors import CircuitError


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``compile`` subcommand."""
    parser = subparsers.add_parser("compile", help="compile a circuit for a network of modules")
    parser.add_argument("circuit", help="OpenQASM 2 or 3 file")
    add_network_options(parser)
    add_seed_option(parser)
    parser.add_argument("-o", "--output", default=None, help="write the program (text, or JSON for *.json)")
    parser.add_argument("--json", action="store_true", help="print a JSON summary")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Compile and report."""
    check_output(args.output, "-o/--output")
    load_network_early(args.network)  # a bad network file is reported before qiskit loads
    read_text_file(args.circuit, "circuit file", CircuitError)
    from ionnet.compiler.circuit_input import load_circuit
    from ionnet.compiler.pipeline import compile_circuit

    circuit = load_circuit(args.circuit)
    network = network_from_args(args, num_qubits=circuit.num_qubits)
    result = compile_circuit(args.circuit, network, seed=args.seed)
    program = result.program
    if args.output:
        text = program.to_json() if str(args.output).endswith(".json") else program.to_text()
        write_text_atomic(args.output, text)
    if args.json:
        print_json(result.summary())
    else:
        s = result.summary()
        print(
            f"{s['qubits']} qubits on {s['modules']} modules: {s['ebits']} ebits, "
            f"{s['remote_gates']} remote gates, {s['teleported_qubits']} teleported qubits, "
            f"depth {s['depth']} ({s['strategy']}, {s['compile_s']:.2f} s)"
        )
        if not args.output:
            print(program.to_text(), end="")
    return 0
