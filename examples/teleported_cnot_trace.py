"""Run a hand-written teleported CNOT on the default network and print its timeline and result.

The program (examples/programs/teleported_cnot.txt) prepares a Bell state between a memory ion
of module m0 and one of m1 with a cat entangler and disentangler: one ebit, two classical
messages, feed-forward. Output at seed 7 is checked by tests/runtime/test_examples.py.
"""

from __future__ import annotations

from pathlib import Path

from qiskit import QuantumCircuit

from ionnet.compiler.program import DistributedProgram
from ionnet.hardware import load_network
from ionnet.runtime import ideal_reference, run_program

PROGRAM = Path(__file__).resolve().parent / "programs" / "teleported_cnot.txt"


def main() -> None:
    program = DistributedProgram.from_text(PROGRAM.read_text())
    bell = QuantumCircuit(2, 2)
    bell.h(0)
    bell.cx(0, 1)
    bell.measure([0, 1], [0, 1])
    net = load_network("default")
    r = run_program(program, net, shots=4000, seed=7, backend="trajectories", reference=ideal_reference(bell))
    assert r.trace is not None
    print(f"{'lane':<12}{'start (us)':>11}{'end (us)':>11}  operation")
    for op in r.trace.ops:
        print(f"{op.lane:<12}{op.start_s * 1e6:>11.1f}{op.end_s * 1e6:>11.1f}  {op.label}")
    (e,) = r.trace.ebits
    herald, used = e.herald_s * 1e6, e.consumed_s * 1e6
    print(f"ebit: {e.attempts} attempts, heralded at {herald:.1f} us, used at {used:.1f} us")
    print(
        f"makespan {r.makespan_s * 1e6:.1f} us; utilisation "
        + ", ".join(f"{k} {v:.2f}" for k, v in r.utilisation.items())
    )
    print("counts: " + ", ".join(f"{k}: {v}" for k, v in sorted(r.counts.items())))
    assert r.fidelity is not None and r.hellinger_fidelity is not None
    print(f"state fidelity {r.fidelity:.4f}, Hellinger fidelity {r.hellinger_fidelity:.4f}")


if __name__ == "__main__":
    main()
