"""Schedule benchmark: the runtime's makespan against the compiler's lower bound.

Families of ``ionnet.compiler.families`` at 16 qubits on 2 and 4 modules of the ``default``
preset (one communication ion per module, one pair per link, ~230 ebits/s), tight capacity
(16 / modules data qubits). For each: ebits, ebits with unlimited communication ions, the
compiler's ``makespan_lower_bound_s`` and ``makespan_estimate_s``, and the runtime's measured
makespan (the SimPy timing pass of ``ionnet run``, mean over link seeds 0..4, as
``ionnet run --seed S`` draws them), with the ratio measured / lower bound.

    .venv/bin/python benchmarks/bench_schedule.py [--seeds 5] [--markdown out.md]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from ionnet.compiler import families
from ionnet.compiler.pipeline import compile_circuit
from ionnet.compiler.timing import TimingModel
from ionnet.hardware.network import load_network
from ionnet.runtime.timing import schedule
from ionnet.seeding import stream


def measure(family: str, modules: int, seeds: int) -> dict[str, float | int | str]:
    """Compile ``family`` at 16 qubits for ``modules`` default modules and time it."""
    network = load_network("default").with_modules(modules, capacity=16 // modules)
    start = time.perf_counter()
    result = compile_circuit(families.FAMILIES[family](16), network, seed=0)
    compile_s = time.perf_counter() - start
    program = result.program
    model = TimingModel.from_network(network)
    spans = [schedule(program, network, stream(s, "runtime", "links")).makespan_s for s in range(seeds)]
    summary = result.summary()
    bound = model.lower_bound(program)
    measured = statistics.fmean(spans)
    return {
        "family": family,
        "modules": modules,
        "ebits": program.cost().ebits,
        "unlimited": summary.get("ebits_with_unlimited_comm_ions", "n/a"),  # type: ignore[dict-item]
        "bound_ms": bound * 1e3,
        "estimate_ms": model.estimate(program) * 1e3,
        "measured_ms": measured * 1e3,
        "ratio": measured / bound,
        "compile_s": compile_s,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5, help="link seeds per program (default 5)")
    parser.add_argument("--families", nargs="+", default=list(families.FAMILIES))
    parser.add_argument("--modules", type=int, nargs="+", default=[2, 4])
    parser.add_argument("--markdown", default=None)
    args = parser.parse_args()
    lines = [
        "| family | modules | ebits | ebits unlimited comm | lower bound ms | estimate ms "
        "| runtime makespan ms | runtime / bound | compile s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    print("\n".join(lines), flush=True)
    for family in args.families:
        for k in args.modules:
            r = measure(family, k, args.seeds)
            line = (
                f"| {r['family']} | {r['modules']} | {r['ebits']} | {r['unlimited']} | {r['bound_ms']:.2f} "
                f"| {r['estimate_ms']:.2f} | {r['measured_ms']:.2f} | {r['ratio']:.3f} | {r['compile_s']:.2f} |"
            )
            lines.append(line)
            print(line, flush=True)
    if args.markdown:
        Path(args.markdown).write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
