"""Compile an 8-qubit QFT for 2, then 4, modules of the default network and run it with full noise.

Shows the trade-off the runtime measures: more modules, more ebits, longer machine time, lower
fidelity. Output at seed 3 is checked by tests/runtime/test_examples.py.
"""

from __future__ import annotations

import math

from ionnet.cli.demo_runtime import qft_circuit
from ionnet.hardware import load_network
from ionnet.runtime import run_circuit


def main() -> None:
    qc = qft_circuit(8, value=5)
    print(f"{'modules':>7}{'ebits':>7}{'makespan ms':>13}{'state F':>9}{'95 % CI':>17}{'Hellinger F':>13}")
    for k in (1, 2, 4):
        net = load_network("default").with_modules(k, capacity=math.ceil(8 / k))
        r = run_circuit(qc, net, shots=2000, seed=3).result
        assert r.fidelity_ci95 is not None and r.hellinger_fidelity is not None and r.fidelity is not None
        lo, hi = r.fidelity_ci95
        print(f"{k:>7}{r.ebits:>7}{r.makespan_s * 1e3:>13.2f}{r.fidelity:>9.3f}    [{lo:.3f}, {hi:.3f}]"
              f"{r.hellinger_fidelity:>13.3f}")  # fmt: skip


if __name__ == "__main__":
    main()
