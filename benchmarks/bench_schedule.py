"""Schedule benchmark: the runtime's makespan against the compiler's lower bound.

Families of ``ionnet.compiler.families`` at 16 qubits on 2 and 4 modules of the ``default``
preset (one communication ion per module, one pair per link, ~230 ebits/s), tight capacity
(16 / modules data qubits). For each: ebits, ebits with unlimited communication ions, the
compiler's ``makespan_lower_bound_s`` and ``makespan_estimate_s``, and the runtime's measured
makespan (the SimPy timing pass of ``ionnet run``, mean over link seeds 0..99, as
``ionnet run --seed S`` draws them), with the ratio measured / lower bound.

    .venv/bin/python benchmarks/bench_schedule.py [--seeds 100] [--markdown out.md]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import defaultdict
from pathlib import Path

from ionnet.compiler import families
from ionnet.compiler.pipeline import compile_circuit
from ionnet.compiler.program import DistributedProgram
from ionnet.compiler.timing import TimingModel
from ionnet.hardware.network import load_network
from ionnet.runtime.timing import schedule
from ionnet.seeding import stream

BEFORE_MS = {  # runtime makespan (mean of link seeds 0..99) at commit aeba252, before the timing model
    ("qft", 2): 103.17, ("qft", 4): 160.57, ("bv", 2): 14.21, ("bv", 4): 21.62,
    ("qaoa", 2): 31.31, ("qaoa", 4): 37.75, ("czfrac", 2): 93.13, ("czfrac", 4): 160.77,
    ("qv", 2): 1022.43, ("qv", 4): 1395.60,
}  # fmt: skip


def ion_hold_bound_s(program: DistributedProgram, model: TimingModel) -> float:
    """The busiest communication ion's generation time plus the operations it takes part in.

    A finer floor than ``makespan_lower_bound_s`` for one-ion modules: an ion holds a copy while
    every gate on the copy runs, and cannot start its next ebit before its RESET.
    """
    busy: dict[str, float] = defaultdict(float)
    for ins in program.instructions:
        if ins.op == "EPR":
            for q in ins.qubits:
                busy[q] += model.ebit_time_s[model.link_of(ins)]
        elif ins.op != "SEND" and ins.qubits:
            for q in ins.qubits:
                if ".c" in q:
                    busy[q] += model.duration(ins, int(q[1 : q.index(".")]))
    return max(busy.values(), default=0.0)


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
    before = BEFORE_MS.get((family, modules), float("nan"))
    return {
        "family": family,
        "modules": modules,
        "ebits": program.cost().ebits,
        "unlimited": summary.get("ebits_with_unlimited_comm_ions", "n/a"),  # type: ignore[dict-item]
        "bound_ms": bound * 1e3,
        "hold_ms": ion_hold_bound_s(program, model) * 1e3,
        "before_ms": before,
        "estimate_ms": result.makespan_estimate_s * 1e3,  # type: ignore[operator]
        "measured_ms": measured * 1e3,
        "ratio": measured / bound,
        "compile_s": compile_s,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=100, help="link seeds per program (default 100)")
    parser.add_argument("--families", nargs="+", default=list(families.FAMILIES))
    parser.add_argument("--modules", type=int, nargs="+", default=[2, 4])
    parser.add_argument("--markdown", default=None)
    args = parser.parse_args()
    lines = [
        "| family | modules | ebits | ebits unlimited comm | lower bound ms | ion-hold floor ms "
        "| estimate ms | runtime makespan ms | runtime / bound | before ms (aeba252) | compile s |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    print("\n".join(lines), flush=True)
    for family in args.families:
        for k in args.modules:
            r = measure(family, k, args.seeds)
            line = (
                f"| {r['family']} | {r['modules']} | {r['ebits']} | {r['unlimited']} "
                f"| {r['bound_ms']:.2f} | {r['hold_ms']:.2f} | {r['estimate_ms']:.2f} "
                f"| {r['measured_ms']:.2f} | {r['ratio']:.3f} | {r['before_ms']:.2f} | {r['compile_s']:.2f} |"
            )
            lines.append(line)
            print(line, flush=True)
    if args.markdown:
        Path(args.markdown).write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
