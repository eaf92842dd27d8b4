"""The effective-channel algebra of the fast path, checked against full per-shot simulation.

A teleported gate that consumes the ebit (I⊗P)|Φ+> equals the local gate followed by a Pauli on
its data qubits (docstring of ionnet.runtime.trajectories). Each case runs the whole protocol
(ebit halves, measurements with sampled outcomes, feed-forward) on the exact density-matrix
backend for random product inputs and several outcome branches, and compares the data qubits'
state with the prediction: fidelity 1 to numerical precision.
"""

from __future__ import annotations

import numpy as np
import pytest

from ionnet.compiler.program import DistributedProgram
from ionnet.runtime.noisy import NoisyCircuit, Step
from ionnet.runtime.shots import Shot
from ionnet.seeding import stream
from ionnet.states import DensityMatrixBackend
from ionnet.states.gates import gate_unitary, pauli_matrix

CAT = """U({a}) m0.q0
U({b}) m1.q0
EPR m0.c0 m1.c0
CX m0.q0 m0.c0
MEASURE m0.c0 -> t0
SEND t0 m0 -> m1
IF t0 X m1.c0
{gate} m1.c0 m1.q0
H m1.c0
MEASURE m1.c0 -> t1
SEND t1 m1 -> m0
IF t1 Z m0.q0"""

TELEPORT = """U({a}) m0.q0
EPR m0.c0 m1.c0
CX m0.q0 m0.c0
H m0.q0
MEASURE m0.c0 -> t0
MEASURE m0.q0 -> t1
SEND t0 t1 m0 -> m1
IF t0 X m1.c0
IF t1 Z m1.c0"""

# ebit Pauli on the second half -> Pauli on (control, target)
CNOT_RULE = {"I": "II", "X": "IX", "Y": "ZX", "Z": "ZI"}
CZ_RULE = {"I": "II", "X": "IZ", "Y": "ZZ", "Z": "ZI"}


def _steps(text: str, ebit_pauli: str) -> NoisyCircuit:
    program = DistributedProgram.from_text(text)
    steps: list[Step] = []
    for ins in program.instructions:
        if ins.op == "EPR":
            steps.append(Step("epr", ins.qubits))
            probs = {"I": (0, 0, 0), "X": (1, 0, 0), "Y": (0, 1, 0), "Z": (0, 0, 1)}[ebit_pauli]
            steps.append(Step("pauli1", (ins.qubits[1],), probs=tuple(map(float, probs))))
        elif ins.op == "MEASURE":
            steps.append(Step("measure", ins.qubits, bit=ins.bits[0], probs=(0.0,)))
        elif ins.op != "SEND":
            steps.append(Step("gate", ins.qubits, ins.op, ins.params, condition=ins.condition))
    return NoisyCircuit(steps, 0, {})


def _angles(rng: np.random.Generator) -> tuple[float, float, float]:
    return tuple(float(x) for x in rng.uniform(0, 2 * np.pi, 3))  # type: ignore[return-value]


def _fmt(angles: tuple[float, ...]) -> str:
    return ",".join(f"{x:.12g}" for x in angles)


@pytest.mark.parametrize(("gate", "rule"), [("CX", CNOT_RULE), ("CZ", CZ_RULE)])
@pytest.mark.parametrize("pauli", ["I", "X", "Y", "Z"])
def test_teleported_two_qubit_gate_with_a_pauli_ebit(gate, rule, pauli):
    rng = stream(0, "effective", gate, pauli)
    for _ in range(4):
        a, b = _angles(rng), _angles(rng)
        nc = _steps(CAT.format(a=_fmt(a), b=_fmt(b), gate=gate), pauli)
        shot = Shot(DensityMatrixBackend(rng, max_qubits=4), rng).run(nc)
        psi = np.kron(gate_unitary("U", a) @ [1, 0], gate_unitary("U", b) @ [1, 0])
        predicted = np.kron(*(pauli_matrix(p) for p in rule[pauli])) @ gate_unitary(gate) @ psi
        fid = shot.backend.fidelity(predicted, [shot.ids["m0.q0"], shot.ids["m1.q0"]])
        assert fid == pytest.approx(1.0, abs=1e-9), (shot.bits, fid)


@pytest.mark.parametrize("pauli", ["I", "X", "Y", "Z"])
def test_teleportation_with_a_pauli_ebit(pauli):
    rng = stream(1, "effective", "teleport", pauli)
    for _ in range(4):
        a = _angles(rng)
        shot = Shot(DensityMatrixBackend(rng, max_qubits=3), rng).run(
            _steps(TELEPORT.format(a=_fmt(a)), pauli)
        )
        predicted = pauli_matrix(pauli) @ gate_unitary("U", a) @ [1, 0]
        assert shot.backend.fidelity(predicted, [shot.ids["m1.c0"]]) == pytest.approx(1.0, abs=1e-9)
