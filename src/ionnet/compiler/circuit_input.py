"""Circuit input: Qiskit circuits and OpenQASM 2/3 files lowered to the compiler's gate set.

The compiler works on a :class:`LogicalCircuit`: a list of :class:`Op` on logical qubits
``0..n-1`` whose two-qubit gates are all diagonal (``CZ`` or ``CP``). Diagonal gates are cheap
to distribute: a qubit shared to another module by a cat-entangler serves every diagonal gate it
takes part in until a non-diagonal gate acts on it. Lowering therefore

1. transpiles with Qiskit to single-qubit gates + CX/CZ/CP/RZZ (keeping measure, reset, barrier
   and ``if_test`` on one classical bit),
2. rewrites ``CX a b`` as ``H b; CZ a b; H b`` and ``RZZ(θ) a b`` as
   ``RZ(θ) a; RZ(θ) b; CP(-2θ) a b`` (equal up to a global phase),
3. brings the result to the canonical form of :mod:`ionnet.compiler.canonical`: two-qubit blocks
   locally equivalent to a controlled phase become one diagonal gate, single-qubit products are
   multiplied out and diagonal or anti-diagonal ones pushed through the diagonal gates (so a run
   of CXs onto one target is one run of CZs, whatever gate set the circuit was written in).

>>> from qiskit import QuantumCircuit
>>> qc = QuantumCircuit(3)
>>> _ = qc.cx(0, 2); _ = qc.cx(1, 2)
>>> [str(op) for op in lower_circuit(qc).ops]
['H 2', 'CZ 0 2', 'CZ 1 2', 'H 2']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from math import pi as math_pi
from pathlib import Path

from qiskit import QuantumCircuit, qasm2, qasm3, transpile
from qiskit.circuit import Clbit, IfElseOp

from ionnet.compiler.canonical import canonicalize
from ionnet.compiler.program import DIAGONAL_GATES, GATES, SINGLE_QUBIT_GATES
from ionnet.errors import CircuitError
from ionnet.fileio import read_text_file

_BASIS = [
    "id", "h", "x", "y", "z", "s", "sdg", "t", "tdg", "sx", "sxdg", "rx", "ry", "rz", "p", "u",
    "u1", "u2", "u3", "cx", "cz", "cp", "cu1", "crz", "rzz", "measure", "reset", "if_else",
]  # fmt: skip
_RENAME = {"id": "I", "p": "RZ"}  # P(λ) = RZ(λ) up to a global phase
MAX_QUBITS = 10_000
"""Most qubits a circuit may declare: checked on the QASM text, before the parser allocates them."""
_QUBITS = re.compile(r"\b(?:qreg\s+[A-Za-z_]\w*\s*\[\s*(\d+)\s*\]|qubit\s*\[\s*(\d+)\s*\])")
_CLBITS = re.compile(r"\b(?:creg\s+[A-Za-z_]\w*\s*\[\s*(\d+)\s*\]|bit\s*\[\s*(\d+)\s*\])")


@dataclass(frozen=True)
class Op:
    """One operation on logical qubits.

    ``name`` is a program gate name (``H``, ``U``, ``CZ``, ``CP`` ...) or ``MEASURE``, ``RESET``,
    ``BARRIER``. ``condition`` is a classical bit index: the op acts only if that bit is 1.
    """

    name: str
    qubits: tuple[int, ...]
    params: tuple[float, ...] = ()
    clbits: tuple[int, ...] = ()
    condition: int | None = None

    @property
    def is_two_qubit_gate(self) -> bool:
        """True for CZ and CP (the only two-qubit gates after lowering)."""
        return self.name in ("CZ", "CP")

    def is_diagonal(self) -> bool:
        """True if the op is diagonal in the computational basis on every qubit it touches."""
        return self.name in DIAGONAL_GATES

    def __str__(self) -> str:
        head = self.name + ("(" + ", ".join(f"{p:.6g}" for p in self.params) + ")" if self.params else "")
        text = " ".join([head, *map(str, self.qubits)])
        if self.clbits:
            text += " -> " + " ".join(f"c{b}" for b in self.clbits)
        return f"IF c{self.condition} {text}" if self.condition is not None else text


@dataclass(frozen=True)
class LogicalCircuit:
    """A lowered circuit: ``num_qubits`` qubits, ``num_clbits`` bits and the op list."""

    num_qubits: int
    num_clbits: int
    ops: tuple[Op, ...]

    def num_two_qubit_gates(self) -> int:
        """Number of CZ/CP gates."""
        return sum(1 for op in self.ops if op.is_two_qubit_gate)


def load_circuit(source: QuantumCircuit | str | Path) -> LogicalCircuit:
    """Read and lower a circuit: a QuantumCircuit, a QASM file path, or QASM source text.

    Raises:
        CircuitError: QASM syntax error (with line and column), unsupported gate or construct.
    """
    if isinstance(source, QuantumCircuit):
        return lower_circuit(source)
    text = str(source)
    where = "<input>"
    if "\n" not in text and "OPENQASM" not in text:
        path = Path(text)
        text, where = read_text_file(path, "circuit file", CircuitError), str(path)
    return lower_circuit(parse_qasm(text, where))


def parse_qasm(text: str, where: str = "<input>") -> QuantumCircuit:
    """Parse OpenQASM 2 or 3 (chosen by the version line) into a QuantumCircuit.

    Raises:
        CircuitError: empty text, more than MAX_QUBITS qubits declared (checked before parsing),
            a syntax error (with line and column), or a circuit without qubits.
    """
    if not text.strip():
        raise CircuitError(f"{where}: the circuit is empty")
    for kind, pattern in (("qubits", _QUBITS), ("classical bits", _CLBITS)):
        declared = sum(int(a or b) for a, b in pattern.findall(text))
        if declared > MAX_QUBITS:
            raise CircuitError(f"{where}: declares {declared} {kind} (limit {MAX_QUBITS})")
    circuit = _parse(text, where)
    if circuit.num_qubits == 0:
        raise CircuitError(f"{where}: the circuit declares no qubits")
    return circuit


def _parse(text: str, where: str) -> QuantumCircuit:
    if text.lstrip().startswith("OPENQASM 3"):
        try:
            return qasm3.loads(text)
        except Exception as exc:  # the importer raises several unrelated exception types
            raise CircuitError(f"{where}: OpenQASM 3 error at {_qasm3_location(exc)}") from None
    try:
        return qasm2.loads(text, custom_instructions=qasm2.LEGACY_CUSTOM_INSTRUCTIONS)
    except qasm2.QASM2ParseError as exc:
        message = str(exc).strip('"')
        match = re.match(r"^[^:]*:(\d+),(\d+): (.*)$", message, re.S)
        if match:
            message = f"line {match[1]}, column {match[2]}: {match[3]}"
        raise CircuitError(f"{where}: OpenQASM 2 error at {message}") from None


def _qasm3_location(exc: BaseException) -> str:
    context = exc.__context__
    token = getattr(context.args[0], "offendingToken", None) if context and context.args else None
    if token is not None:
        return f"line {token.line}, column {token.column}: syntax error near {token.text!r}"
    message = str(exc).strip('"')
    head, _, rest = message.partition(": ")
    if "," in head and head.replace(",", "").isdigit():
        line, column = head.split(",")
        return f"line {line}, column {column}: {rest}"
    return message or type(exc).__name__


def lower_circuit(qc: QuantumCircuit) -> LogicalCircuit:
    """Transpile ``qc`` to the compiler's gate set and rewrite it with diagonal two-qubit gates."""
    try:
        lowered = transpile(qc, basis_gates=_BASIS, optimization_level=0)
    except Exception as exc:  # Qiskit raises TranspilerError or QiskitError
        raise CircuitError(f"cannot lower circuit: {_first_line(exc)}") from None
    ops: list[Op] = []
    qubit_index = {q: i for i, q in enumerate(lowered.qubits)}
    clbit_index = {c: i for i, c in enumerate(lowered.clbits)}
    for instruction in lowered.data:
        qubits = tuple(qubit_index[q] for q in instruction.qubits)
        clbits = tuple(clbit_index[c] for c in instruction.clbits)
        operation = instruction.operation
        if isinstance(operation, IfElseOp):
            ops.extend(_lower_if(lowered, operation, qubits))
        else:
            ops.extend(_convert(operation.name, qubits, tuple(operation.params), clbits))
    return LogicalCircuit(qc.num_qubits, qc.num_clbits, tuple(canonicalize(ops, Op)))


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0].strip("'\"")


def _convert(name: str, qubits: tuple[int, ...], params: tuple, clbits: tuple[int, ...]) -> list[Op]:
    values = tuple(_as_float(name, p) for p in params)
    if name == "measure":
        return [Op("MEASURE", qubits, clbits=clbits)]
    if name in ("reset", "barrier"):
        return [Op(name.upper(), qubits)]
    if name == "cx":
        a, b = qubits
        return [Op("H", (b,)), Op("CZ", (a, b)), Op("H", (b,))]
    if name in ("cu1", "crz"):
        (angle,) = values
        a, b = qubits
        # CRZ(θ) = P(-θ/2) on the control, then CP(θ): both diagonal
        return (
            [Op("RZ", (a,), (-angle / 2,)), Op("CP", qubits, (angle,))]
            if name == "crz"
            else [Op("CP", qubits, (angle,))]
        )
    if name in ("u1", "u2", "u3"):
        full = {"u1": (0.0, 0.0, *values), "u2": (math_pi / 2, *values), "u3": values}[name]
        return [Op("RZ", qubits, full[2:]) if name == "u1" else Op("U", qubits, tuple(full))]
    if name == "rzz":
        (theta,) = values
        a, b = qubits
        return [Op("RZ", (a,), (theta,)), Op("RZ", (b,), (theta,)), Op("CP", (a, b), (-2 * theta,))]
    upper = _RENAME.get(name, name.upper())
    if upper not in GATES or upper == "SWAP":
        raise CircuitError(f"unsupported gate {name!r} on qubits {list(qubits)}")
    return [Op(upper, qubits, values)]


def _as_float(gate: str, value: object) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise CircuitError(f"gate {gate!r} has an unbound parameter {value!r}") from None


def _lower_if(qc: QuantumCircuit, operation: IfElseOp, qubits: tuple[int, ...]) -> list[Op]:
    condition = operation.condition
    if not (isinstance(condition, tuple) and isinstance(condition[0], Clbit)):
        raise CircuitError(f"unsupported classical condition {condition!r} (use one clbit == 0 or 1)")
    target, value = condition
    bit = qc.find_bit(target).index
    ops: list[Op] = []
    for body, wanted in zip(operation.blocks, (int(value), 1 - int(value)), strict=False):
        inner = [
            _convert(
                ins.operation.name,
                tuple(qubits[body.find_bit(q).index] for q in ins.qubits),
                tuple(ins.operation.params),
                (),
            )
            for ins in body.data
        ]
        for op in (o for group in inner for o in group):
            ops.extend(_conditioned(op, bit, wanted))
    return ops


def _conditioned(op: Op, bit: int, wanted: int) -> list[Op]:
    """``op`` applied when ``bit == wanted``; for 0: apply, then undo if the bit is 1."""
    if op.name in ("MEASURE", "RESET"):
        raise CircuitError(f"unsupported {op.name.lower()} inside a classically controlled block")
    if op.name == "BARRIER":
        return [op]
    if wanted == 1:
        return [Op(op.name, op.qubits, op.params, condition=bit)]
    inverse_name, inverse_params = _inverse(op)
    return [op, Op(inverse_name, op.qubits, inverse_params, condition=bit)]


def _inverse(op: Op) -> tuple[str, tuple[float, ...]]:
    swaps = {"S": "SDG", "SDG": "S", "T": "TDG", "TDG": "T", "SX": "SXDG", "SXDG": "SX"}
    if op.name in swaps:
        return swaps[op.name], ()
    if op.name == "U":
        theta, phi, lam = op.params
        return "U", (-theta, -lam, -phi)
    if op.name in ("RX", "RY", "RZ", "CP"):
        return op.name, (-op.params[0],)
    assert op.name in SINGLE_QUBIT_GATES or op.name == "CZ", op
    return op.name, op.params  # self-inverse: I, H, X, Y, Z, CZ
