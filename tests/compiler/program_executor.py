"""Independent executors of DistributedPrograms for the compiler tests.

They follow the instruction list only: no compiler bookkeeping is used. Each checks, as it goes,
that an EPR starts from two ions in |0>, that a bit is read on a module only after it was
measured there or sent there, and (at the end) that every ion but the logical qubits' final slots
is back in |0>.

- ``StatevectorExecutor``: numpy statevector over every ion the program names; random outcomes
  for feed-forward measurements; circuit-bit outcomes can be forced (post-selection), returning
  the branch's probability.
- ``StimExecutor``: stim TableauSimulator for Clifford programs (32 and 64 qubits).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
import stim

from ionnet.compiler.program import DistributedProgram, Instruction, module_of

S2 = 1 / math.sqrt(2)


def _u(theta: float, phi: float, lam: float) -> np.ndarray:
    c, s = math.cos(theta / 2), math.sin(theta / 2)
    return np.array([[c, -np.exp(1j * lam) * s], [np.exp(1j * phi) * s, np.exp(1j * (phi + lam)) * c]])


def _rz(lam: float) -> np.ndarray:
    return np.diag([np.exp(-0.5j * lam), np.exp(0.5j * lam)])


def single_qubit_matrix(op: str, params: tuple[float, ...]) -> np.ndarray:
    """The 2x2 unitary of a program gate (Qiskit conventions)."""
    fixed = {
        "I": np.eye(2),
        "H": np.array([[S2, S2], [S2, -S2]]),
        "X": np.array([[0, 1], [1, 0]]),
        "Y": np.array([[0, -1j], [1j, 0]]),
        "Z": np.diag([1, -1]),
        "S": np.diag([1, 1j]),
        "SDG": np.diag([1, -1j]),
        "T": np.diag([1, np.exp(0.25j * math.pi)]),
        "TDG": np.diag([1, np.exp(-0.25j * math.pi)]),
        "SX": 0.5 * np.array([[1 + 1j, 1 - 1j], [1 - 1j, 1 + 1j]]),
        "SXDG": 0.5 * np.array([[1 - 1j, 1 + 1j], [1 + 1j, 1 - 1j]]),
    }
    if op in fixed:
        return np.asarray(fixed[op], dtype=complex)
    if op == "RZ":
        return _rz(params[0])
    if op == "RX":
        return _u(params[0], -math.pi / 2, math.pi / 2)
    if op == "RY":
        return _u(params[0], 0.0, 0.0)
    if op == "U":
        return _u(*params)
    raise AssertionError(f"executor does not know {op}")


def two_qubit_matrix(op: str, params: tuple[float, ...]) -> np.ndarray:
    """The 4x4 unitary, first qubit most significant (control first)."""
    if op == "CX":
        m = np.eye(4)[[0, 1, 3, 2]]
    elif op == "CZ":
        m = np.diag([1, 1, 1, -1])
    elif op == "CP":
        m = np.diag([1, 1, 1, np.exp(1j * params[0])])
    elif op == "SWAP":
        m = np.eye(4)[[0, 2, 1, 3]]
    else:
        raise AssertionError(f"executor does not know {op}")
    return np.asarray(m, dtype=complex)


@dataclass
class _Bits:
    values: dict[str, int] = field(default_factory=dict)
    known_at: dict[str, set[int]] = field(default_factory=dict)

    def measured(self, bit: str, value: int, module: int) -> None:
        self.values[bit] = value
        self.known_at[bit] = {module}

    def send(self, ins: Instruction) -> None:
        assert ins.route is not None
        src, dst = ins.route
        for b in ins.bits:
            assert src in self.known_at.get(b, set()), f"{ins}: {b} not known on m{src}"
            self.known_at[b].add(dst)

    def fires(self, ins: Instruction) -> bool:
        for b in ins.condition:
            for m in ins.modules:
                assert m in self.known_at.get(b, set()), f"{ins}: {b} read on m{m} before it got there"
        return sum(self.values[b] for b in ins.condition) % 2 == 1


class StatevectorExecutor:
    """Run a program on a numpy statevector over all named ions."""

    def __init__(self, program: DistributedProgram, seed: int, forced: dict[str, int] | None = None):
        self.program = program
        self.names = sorted(program.qubits_used())
        self.axis = {n: i for i, n in enumerate(self.names)}
        self.rng = np.random.default_rng(seed)
        self.forced = forced or {}
        self.state = np.zeros((2,) * len(self.names), dtype=complex)
        self.state[(0,) * len(self.names)] = 1.0
        self.bits = _Bits()
        self.weight = 1.0

    def _apply(self, matrix: np.ndarray, qubits: tuple[str, ...]) -> None:
        axes = [self.axis[q] for q in qubits]
        k = len(axes)
        tensor = matrix.reshape((2,) * (2 * k))
        moved = np.tensordot(tensor, self.state, axes=(list(range(k, 2 * k)), axes))
        self.state = np.moveaxis(moved, list(range(k)), axes)

    def _prob_one(self, qubit: str) -> float:
        index = [slice(None)] * self.state.ndim
        index[self.axis[qubit]] = 1
        return float(np.sum(np.abs(self.state[tuple(index)]) ** 2) / np.sum(np.abs(self.state) ** 2))

    def _collapse(self, qubit: str, value: int) -> None:
        index = [slice(None)] * self.state.ndim
        index[self.axis[qubit]] = 1 - value
        self.state[tuple(index)] = 0

    def _measure(self, qubit: str, bit: str | None) -> int:
        p1 = self._prob_one(qubit)
        if bit is not None and bit in self.forced:
            value = self.forced[bit]
            self.weight *= p1 if value else 1 - p1
        else:
            value = int(self.rng.random() < p1)
        assert (p1 if value else 1 - p1) > 1e-12, f"impossible outcome on {qubit}"
        self._collapse(qubit, value)
        self.state /= np.linalg.norm(self.state)
        return value

    def step(self, ins: Instruction) -> None:
        """Execute one instruction."""
        if ins.op == "SEND":
            self.bits.send(ins)
            return
        if ins.condition and not self.bits.fires(ins):
            return
        if ins.op == "EPR":
            for q in ins.qubits:
                assert self._prob_one(q) < 1e-12, f"{ins}: {q} is not in |0>"
            self._apply(single_qubit_matrix("H", ()), ins.qubits[:1])
            self._apply(two_qubit_matrix("CX", ()), ins.qubits)
        elif ins.op == "MEASURE":
            value = self._measure(ins.qubits[0], ins.bits[0])
            self.bits.measured(ins.bits[0], value, module_of(ins.qubits[0]))
        elif ins.op == "RESET":
            for q in ins.qubits:
                if self._measure(q, None):
                    self._apply(single_qubit_matrix("X", ()), (q,))
        elif ins.op == "BARRIER":
            return
        elif len(ins.qubits) == 1:
            self._apply(single_qubit_matrix(ins.op, ins.params), ins.qubits)
        else:
            self._apply(two_qubit_matrix(ins.op, ins.params), ins.qubits)

    def run(self) -> tuple[np.ndarray, dict[str, int], float]:
        """Final logical state (Qiskit order), classical bits and the forced branch's probability."""
        for ins in self.program.instructions:
            self.step(ins)
        n = self.program.num_qubits
        logical = [self.axis[self.program.final_placement[q]] for q in reversed(range(n))]
        others = [i for i in range(len(self.names)) if i not in logical]
        tensor = np.transpose(self.state, logical + others).reshape(2**n, -1)
        psi = tensor[:, 0]
        assert abs(np.linalg.norm(psi) - 1) < 1e-9, "ancilla ions are not back in |0>"
        return psi, self.bits.values, self.weight


def equal_up_to_phase(a: np.ndarray, b: np.ndarray, tol: float = 1e-8) -> bool:
    """True if two normalised states differ only by a global phase."""
    return abs(abs(np.vdot(a, b)) - 1) < tol


class StimExecutor:
    """Run a Clifford program on a stim TableauSimulator."""

    GATES: ClassVar[dict[str, str]] = {
        "H": "h",
        "X": "x",
        "Y": "y",
        "Z": "z",
        "S": "s",
        "SDG": "s_dag",
        "CX": "cx",
        "CZ": "cz",
        "SWAP": "swap",
    }

    def __init__(self, program: DistributedProgram, seed: int):
        self.program = program
        self.names = sorted(program.qubits_used())
        self.axis = {n: i for i, n in enumerate(self.names)}
        self.sim = stim.TableauSimulator(seed=seed)
        self.sim.set_num_qubits(len(self.names))
        self.bits = _Bits()

    def run(self) -> stim.TableauSimulator:
        """Execute every instruction; returns the simulator."""
        for ins in self.program.instructions:
            if ins.op == "SEND":
                self.bits.send(ins)
                continue
            if ins.condition and not self.bits.fires(ins):
                continue
            targets = [self.axis[q] for q in ins.qubits]
            if ins.op == "EPR":
                for t in targets:
                    assert self.sim.peek_z(t) == 1, f"{ins}: ion not in |0>"
                self.sim.h(targets[0])
                self.sim.cx(*targets)
            elif ins.op == "MEASURE":
                value = int(self.sim.measure(targets[0]))
                self.bits.measured(ins.bits[0], value, module_of(ins.qubits[0]))
            elif ins.op == "RESET":
                self.sim.reset(*targets)
            elif ins.op != "BARRIER":
                getattr(self.sim, self.GATES[ins.op])(*targets)
        return self.sim
