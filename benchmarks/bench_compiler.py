"""Distributed-compiler benchmark: ebits (min over seeds 0, 1, 2) and compile time.

Families QFT (no final swaps), Bernstein-Vazirani, QAOA MaxCut 3-regular p=1, CZ fraction 0.5
depth 20, quantum volume; 16, 32, 64 qubits; 2, 4, 8 equal modules joined all-to-all; tight
capacity (qubits / modules) and one spare slot per module. Modules get as many communication
ions as the circuit has qubits (as pytket-dqc's references, which assume unlimited ones).

The 16-qubit rows compile the files of benchmarks/data (copied from the project's shared
bench/dqc folder) and compare with its reference.csv (pytket-dqc's distributors).
"packets only" is ionnet without qubit teleportation (the model pytket-dqc uses, minus its
embedding), a stand-in reference for the sizes pytket-dqc was not run on.

    .venv/bin/python benchmarks/bench_compiler.py [--sizes 16 32 64] [--markdown out.md]
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import time
from pathlib import Path

from ionnet.compiler import families
from ionnet.compiler.circuit_input import load_circuit
from ionnet.compiler.pipeline import Compiler, Strategy, compile_circuit
from ionnet.compiler.placement import MetisPlacement
from ionnet.hardware.network import NetworkSpec, load_network

BENCH = Path(__file__).resolve().parent / "data"  # copied from shared/bench/dqc (see data/README.md)
FILES = {"qft": "qft_16", "bv": "bv_16", "qaoa": "qaoa3reg_16_p1", "czfrac": "czfrac05_16_d20", "qv": "qv_16"}


def network(modules: int, capacity: int, comm: int) -> NetworkSpec:
    base = load_network("default").with_modules(modules, capacity)
    module = dataclasses.replace(base.modules[0], communication_ions=comm)
    return dataclasses.replace(base, modules=(module,) * modules)


def references() -> dict[tuple[str, int], int]:
    best: dict[tuple[str, int], int] = {}
    path = BENCH / "reference.csv"
    if not path.exists():
        return best
    with open(path) as f:
        for row in csv.DictReader(f):
            key = (row["circuit"], int(row["modules"]))
            best[key] = min(best.get(key, 10**9), int(row["ebits"]))
    return best


def circuit(family: str, n: int):
    if n == 16 and (BENCH / f"{FILES[family]}.qasm").exists():
        return str(BENCH / f"{FILES[family]}.qasm")
    return families.FAMILIES[family](n)


def measure(source, n: int, modules: int, spare: int, seeds=(0, 1, 2)) -> tuple[int, float, int, float]:
    """Min ebits over seeds, mean wall seconds, teleports of the best, mean CPU seconds."""
    capacity = n // modules + spare
    net = network(modules, capacity, comm=n)
    results = []
    for seed in seeds:
        start, cpu = time.perf_counter(), time.process_time()
        r = compile_circuit(source, net, seed=seed)
        results.append(
            (
                r.program.cost().ebits,
                time.perf_counter() - start,
                r.program.teleported_qubits,
                time.process_time() - cpu,
            )
        )
    ebits = min(e for e, _, _, _ in results)
    mean_s = sum(s for _, s, _, _ in results) / len(results)
    mean_cpu = sum(c for _, _, _, c in results) / len(results)
    teleports = min(t for e, _, t, _ in results if e == ebits)
    return ebits, mean_s, teleports, mean_cpu


def packets_only(source, n: int, modules: int, seeds=(0, 1, 2)) -> int:
    """Min ebits without qubit teleportation (pytket-dqc's model, without its embedding)."""
    net = network(modules, n // modules, comm=n)
    circuit = load_circuit(source)
    return min(
        Compiler(MetisPlacement(seed=seed), (Strategy("packets"),)).compile(circuit, net)[0].cost().ebits
        for seed in seeds
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[16, 32, 64])
    parser.add_argument("--modules", type=int, nargs="+", default=[2, 4, 8])
    parser.add_argument("--families", nargs="+", default=list(FILES))
    parser.add_argument("--markdown", default=None)
    args = parser.parse_args()
    ref = references()
    lines = [
        "| family | qubits | modules | ebits tight | ebits +1 slot | teleports (tight) "
        "| packets only (tight) | pytket-dqc best (tight) | compile s (tight, mean) | compile cpu s |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    print("\n".join(lines), flush=True)
    for family in args.families:
        for n in args.sizes:
            source = circuit(family, n)
            for k in args.modules:
                if n // k < 2:
                    continue
                tight, seconds, teleports, cpu = measure(source, n, k, 0)
                spare, _, _, _ = measure(source, n, k, 1)
                reference = ref.get((FILES[family], k)) if n == 16 else None
                static = packets_only(source, n, k) if teleports else tight
                line = (
                    f"| {family} | {n} | {k} | {tight} | {spare} | {teleports} | {static} | "
                    f"{reference if reference is not None else 'n/a'} | {seconds:.2f} | {cpu:.2f} |"
                )
                lines.append(line)
                print(line, flush=True)
    if args.markdown:
        Path(args.markdown).write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
