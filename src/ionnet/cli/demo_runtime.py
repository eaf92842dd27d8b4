"""The runtime's sections of ``ionnet demo``: an ebit, teleportation, teleported CNOT, algorithms.

Each section runs compiled or hand-written programs on the demo network with
:func:`ionnet.runtime.run_program` and renders a table; the algorithm section also writes the
timeline picture of its QFT run (default folder ``./ionnet-out/``, see :data:`OUT_DIR`).
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import TYPE_CHECKING

from qiskit import QuantumCircuit
from rich.console import Group, RenderableType
from rich.table import Table

from ionnet.compiler.program import DistributedProgram
from ionnet.fileio import replacing
from ionnet.runtime.api import RunOutcome, run_circuit
from ionnet.runtime.execute import run_program
from ionnet.runtime.reference import ideal_reference
from ionnet.runtime.timeline import draw_timeline

if TYPE_CHECKING:
    from ionnet.cli.demo import DemoContext

OUT_DIR = Path(os.environ.get("IONNET_OUT", "ionnet-out"))
"""Where the demo writes its pictures (environment variable IONNET_OUT overrides)."""

PROGRAMS = {
    "ebit": "EPR m0.c0 m1.c0\n{basis}MEASURE m0.c0 -> c0\nMEASURE m1.c0 -> c1",
    "teleport": """QUBIT 0 m0.q0
FINAL 0 m1.q0
RY(1.1) m0.q0
EPR m0.c0 m1.c0
CX m0.q0 m0.c0
H m0.q0
MEASURE m0.c0 -> t0
MEASURE m0.q0 -> t1
SEND t0 t1 m0 -> m1
IF t0 X m1.c0
IF t1 Z m1.c0
SWAP m1.c0 m1.q0""",
    "cnot": """QUBIT 0 m0.q0
QUBIT 1 m1.q0
FINAL 0 m0.q0
FINAL 1 m1.q0
CLBITS 2
H m0.q0
EPR m0.c0 m1.c0
CX m0.q0 m0.c0
MEASURE m0.c0 -> t0
SEND t0 m0 -> m1
IF t0 X m1.c0
CX m1.c0 m1.q0
H m1.c0
MEASURE m1.c0 -> t1
SEND t1 m1 -> m0
IF t1 Z m0.q0
MEASURE m0.q0 -> c0
MEASURE m1.q0 -> c1""",
}
_BASIS = {"ZZ": "", "XX": "H m0.c0\nH m1.c0\n", "YY": "SDG m0.c0\nH m0.c0\nSDG m1.c0\nH m1.c0\n"}


def _table(title: str, columns: list[str]) -> Table:
    table = Table(title=title, title_justify="left")
    for i, c in enumerate(columns):
        table.add_column(c, justify="left" if i == 0 else "right")
    return table


def ebit_run_section(ctx: DemoContext) -> RenderableType:
    """One heralded ebit used by a program: herald time, attempts, measured Bell fidelity."""
    net, seed = ctx.network, ctx.seed
    correlations = {}
    first = None
    for basis, prep in _BASIS.items():
        program = DistributedProgram.from_text(PROGRAMS["ebit"].format(basis=prep))
        r = run_program(program, net, shots=4000, seed=seed)
        first = first or r
        same = r.counts.get("00", 0) + r.counts.get("11", 0)
        correlations[basis] = (2 * same - r.shots) / r.shots
    assert first is not None and first.trace is not None
    e = first.trace.ebits[0]
    fidelity = (1 + correlations["XX"] - correlations["YY"] + correlations["ZZ"]) / 4
    t = _table("One heralded ebit, used by a program (4000 shots per basis)", ["quantity", "value"])
    t.add_row("attempts until the herald", str(e.attempts))
    t.add_row("herald time", f"{e.herald_s * 1e3:.3f} ms")
    t.add_row("<XX>, <YY>, <ZZ> (with readout error)", ", ".join(f"{correlations[b]:+.3f}" for b in _BASIS))
    t.add_row("Bell fidelity (1 + XX - YY + ZZ)/4", f"{fidelity:.4f}")
    return t


def protocol_section(ctx: DemoContext) -> RenderableType:
    """A teleported qubit and a teleported CNOT through the runtime, with state fidelity."""
    net, seed = ctx.network, ctx.seed
    qc1 = QuantumCircuit(1)
    qc1.ry(1.1, 0)
    qc2 = QuantumCircuit(2, 2)
    qc2.h(0)
    qc2.cx(0, 1)
    qc2.measure([0, 1], [0, 1])
    t = _table(
        "Teleportation and a teleported CNOT (2000 shots)",
        ["protocol", "ebits", "machine time", "state fidelity", "95 % interval"],
    )
    for name, key, qc in (
        ("teleported qubit RY(1.1)|0>", "teleport", qc1),
        ("teleported CNOT (Bell)", "cnot", qc2),
    ):
        program = DistributedProgram.from_text(PROGRAMS[key])
        r = run_program(
            program, net, shots=2000, seed=seed, backend="trajectories", reference=ideal_reference(qc)
        )
        lo, hi = r.fidelity_ci95 or (math.nan, math.nan)
        t.add_row(
            name, str(r.ebits), f"{r.makespan_s * 1e3:.2f} ms", f"{r.fidelity:.4f}", f"[{lo:.3f}, {hi:.3f}]"
        )
    return t


def ghz_circuit(n: int) -> QuantumCircuit:
    """An n-qubit GHZ state, measured."""
    qc = QuantumCircuit(n, n)
    qc.h(0)
    for i in range(n - 1):
        qc.cx(i, i + 1)
    qc.measure(range(n), range(n))
    return qc


def grover_circuit(marked: str = "101") -> QuantumCircuit:
    """Grover search over 3 qubits for ``marked`` (c0 rightmost), two iterations (P = 0.945)."""
    qc = QuantumCircuit(3, 3)
    qc.h(range(3))
    for _ in range(2):
        _flip_zeros(qc, marked)
        _ccz(qc)
        _flip_zeros(qc, marked)
        qc.h(range(3))
        qc.x(range(3))
        _ccz(qc)
        qc.x(range(3))
        qc.h(range(3))
    qc.measure(range(3), range(3))
    return qc


def _flip_zeros(qc: QuantumCircuit, marked: str) -> None:
    for q, bit in enumerate(reversed(marked)):
        if bit == "0":
            qc.x(q)


def _ccz(qc: QuantumCircuit) -> None:
    qc.h(2)
    qc.ccx(0, 1, 2)
    qc.h(2)


def qft_circuit(n: int, value: int = 5) -> QuantumCircuit:
    """QFT (no final swaps) of the basis state |value>, measured."""
    qc = QuantumCircuit(n, n)
    for q in range(n):
        if value >> q & 1:
            qc.x(q)
    for j in reversed(range(n)):
        qc.h(j)
        for k in reversed(range(j)):
            qc.cp(math.pi / 2 ** (j - k), j, k)
    qc.measure(range(n), range(n))
    return qc


def _run(qc: QuantumCircuit, ctx: DemoContext, expected: str | None = None) -> RunOutcome:
    net = ctx.network
    network = net.with_modules(2, capacity=math.ceil(qc.num_qubits / 2))
    return run_circuit(qc, network, shots=1000, seed=ctx.seed, expected=expected)


def algorithms_section(ctx: DemoContext) -> RenderableType:
    """GHZ, Grover and QFT across two modules; writes the QFT's timeline picture."""
    t = _table(
        "Algorithms across two modules (compiled, 1000 noisy shots each)",
        ["algorithm", "qubits", "ebits", "machine time", "figure of merit", "value"],
    )
    rows = [
        ("GHZ", ghz_circuit(6), None),
        ("Grover, marked 101", grover_circuit("101"), "101"),
        ("QFT of |5>", qft_circuit(8), None),
    ]
    outcome = None
    for name, qc, expected in rows:
        outcome = _run(qc, ctx, expected)
        r = outcome.result
        if expected is not None:
            merit, value = "P(success)", r.success_probability
        else:
            merit, value = f"{r.fidelity_kind} fidelity ({r.backend})", r.fidelity
        t.add_row(
            name, str(qc.num_qubits), str(r.ebits), f"{r.makespan_s * 1e3:.1f} ms", merit,
            f"{value:.3f}" if value is not None else "n/a",
        )  # fmt: skip
    assert outcome is not None and outcome.result.trace is not None
    path = OUT_DIR / "demo-qft-timeline.png"
    with replacing(path) as tmp:
        draw_timeline(outcome.result.trace, tmp, title="QFT of |5> on 2 modules")
    return Group(t, f"timeline picture of the QFT run: {path}")


SECTIONS = [ebit_run_section, protocol_section, algorithms_section]
"""The runtime's demo sections, in order (appended to ionnet.cli.demo.SECTIONS)."""
