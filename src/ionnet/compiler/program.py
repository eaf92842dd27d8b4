"""DistributedProgram: the compiler's output and the runtime's input.

A program is one list of instructions in a valid execution order. Each instruction acts on
qubits named ``m{i}.q{j}`` (data slot j of module i) or ``m{i}.c{j}`` (communication ion j of
module i) and on classical bits named ``c{k}`` (the circuit's own bits) or ``t{k}`` (bits the
program makes for feed-forward). The text form has one instruction per line::

    EPR m0.c0 m1.c0                 # consume one heralded ebit between two communication ions
    CX m0.q1 m0.c0                  # a local gate (parameters in parentheses: CP(0.785) a b)
    MEASURE m0.c0 -> t0             # measure into a classical bit
    SEND t0 m0 -> m1                # classical message: the bit travels from m0 to m1
    IF t0 X m1.c0                   # feed-forward: apply if the parity of the bits is 1
    RESET m0.c0
    BARRIER m0.q0 m0.q1

Semantics: an instruction waits for the previous instruction on each of its qubits and bits;
a bit may be read on module m only after it was measured on m or sent to m. Right after an EPR
the two communication ions hold |Φ+> = (|00> + |11>)/√2.

>>> p = DistributedProgram.from_text("EPR m0.c0 m1.c0\\nCX m0.q0 m0.c0\\nMEASURE m0.c0 -> t0")
>>> p.cost().ebits
1
>>> print(p.instructions[1])
CX m0.q0 m0.c0
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from ionnet.errors import ProgramError

if TYPE_CHECKING:
    from ionnet.hardware.network import NetworkSpec

SINGLE_QUBIT_GATES = {
    # name: number of parameters
    "I": 0, "H": 0, "X": 0, "Y": 0, "Z": 0, "S": 0, "SDG": 0, "T": 0, "TDG": 0, "SX": 0, "SXDG": 0,
    "RX": 1, "RY": 1, "RZ": 1, "U": 3,
}  # fmt: skip
TWO_QUBIT_GATES = {"CX": 0, "CZ": 0, "CP": 1, "SWAP": 0}
GATES = {**SINGLE_QUBIT_GATES, **TWO_QUBIT_GATES}
DIAGONAL_GATES = frozenset({"I", "Z", "S", "SDG", "T", "TDG", "RZ", "CZ", "CP"})
"""Gates diagonal in the computational basis (they commute with Z errors and with each other)."""
CONTROL_OPS = ("EPR", "MEASURE", "RESET", "SEND", "BARRIER")

_QUBIT = re.compile(r"^m(\d+)\.([qc])(\d+)$")
_BIT = re.compile(r"^[ct]\d+$")


MAX_PROGRAM_MODULES = 1024
"""Most modules (= ionnet.hardware.network.MAX_MODULES) and ..."""
MAX_PROGRAM_CLBITS = 10_000
"""... most circuit bits (= ionnet.compiler.circuit_input.MAX_QUBITS) a program file may declare."""


def _check_sizes(program: DistributedProgram) -> None:
    """Refuse module and bit counts that would exhaust memory, before anything is allocated."""
    for name, value, limit in (
        ("num_modules", program.num_modules, MAX_PROGRAM_MODULES),
        ("num_clbits", program.num_clbits, MAX_PROGRAM_CLBITS),
    ):
        if not 0 <= value <= limit:
            raise ProgramError(f"'{name}' must be in [0, {limit}] (got {value})")


def parse_qubit(name: str) -> tuple[int, str, int]:
    """Split ``m1.q3`` into ``(1, 'q', 3)``.

    >>> parse_qubit("m1.c0")
    (1, 'c', 0)
    """
    match = _QUBIT.match(name)
    if not match:
        raise ProgramError(f"bad qubit name {name!r} (expected m<i>.q<j> or m<i>.c<j>)")
    return int(match[1]), match[2], int(match[3])


def module_of(qubit: str) -> int:
    """The module index of a qubit name."""
    return parse_qubit(qubit)[0]


@dataclass(frozen=True)
class Instruction:
    """One instruction. ``condition`` lists bits whose parity must be 1 for it to act."""

    op: str
    qubits: tuple[str, ...] = ()
    params: tuple[float, ...] = ()
    bits: tuple[str, ...] = ()
    condition: tuple[str, ...] = ()
    route: tuple[int, int] | None = None  # SEND only: (source module, destination module)

    def __post_init__(self) -> None:
        if self.op not in GATES and self.op not in CONTROL_OPS:
            raise ProgramError(f"unknown instruction {self.op!r}")
        for q in self.qubits:
            parse_qubit(q)
        for b in (*self.bits, *self.condition):
            if not _BIT.match(b):
                raise ProgramError(f"bad bit name {b!r} (expected c<k> or t<k>)")
        if self.op in GATES:
            arity = 2 if self.op in TWO_QUBIT_GATES else 1
            if len(self.qubits) != arity or len(self.params) != GATES[self.op]:
                raise ProgramError(f"{self.op} takes {arity} qubits and {GATES[self.op]} parameters: {self}")
            if arity == 2 and module_of(self.qubits[0]) != module_of(self.qubits[1]):
                raise ProgramError(f"two-qubit gate across modules: {self}")
        if self.op == "EPR" and (len(self.qubits) != 2 or len(set(map(module_of, self.qubits))) != 2):
            raise ProgramError(f"EPR needs two qubits on different modules: {self}")
        if self.op == "MEASURE" and (len(self.qubits) != 1 or len(self.bits) != 1):
            raise ProgramError(f"MEASURE takes one qubit and one bit: {self!r}")
        if self.op == "SEND" and (self.route is None or not self.bits):
            raise ProgramError(f"SEND needs bits and a route: {self!r}")

    @property
    def modules(self) -> tuple[int, ...]:
        """Modules this instruction runs on (SEND runs on its source)."""
        if self.op == "SEND":
            assert self.route is not None
            return (self.route[0],)
        return tuple(dict.fromkeys(module_of(q) for q in self.qubits))

    def __str__(self) -> str:
        head = self.op
        if self.params:
            head += "(" + ",".join(repr(float(p)) for p in self.params) + ")"
        if self.op == "SEND":
            assert self.route is not None
            text = f"SEND {' '.join(self.bits)} m{self.route[0]} -> m{self.route[1]}"
        elif self.op == "MEASURE":
            text = f"MEASURE {self.qubits[0]} -> {self.bits[0]}"
        else:
            text = " ".join([head, *self.qubits])
        return f"IF {','.join(self.condition)} {text}" if self.condition else text

    @classmethod
    def from_text(cls, line: str) -> Instruction:
        """Parse one line of the text form (see the module docstring)."""
        tokens = line.split()
        condition: tuple[str, ...] = ()
        if tokens and tokens[0] == "IF":
            condition, tokens = tuple(tokens[1].split(",")), tokens[2:]
        if not tokens:
            raise ProgramError(f"empty instruction: {line!r}")
        head, rest = tokens[0], tokens[1:]
        match = re.match(r"^([A-Z]+)(?:\((.*)\))?$", head)
        if not match:
            raise ProgramError(f"cannot parse instruction {line!r}")
        op, params = match[1], tuple(float(p) for p in match[2].split(",")) if match[2] else ()
        if op == "SEND":
            if len(rest) < 4 or rest[-2] != "->":
                raise ProgramError(f"cannot parse SEND {line!r}")
            route = (module_of(rest[-3] + ".q0"), module_of(rest[-1] + ".q0"))
            return cls("SEND", bits=tuple(rest[:-3]), condition=condition, route=route)
        if op == "MEASURE":
            if len(rest) != 3 or rest[1] != "->":
                raise ProgramError(f"cannot parse MEASURE {line!r}")
            return cls("MEASURE", qubits=(rest[0],), bits=(rest[2],), condition=condition)
        return cls(op, qubits=tuple(rest), params=params, condition=condition)


@dataclass(frozen=True)
class ProgramCost:
    """What a program spends: ebits, remote gates, teleported qubits and dependency depth."""

    ebits: int
    remote_gates: int
    teleported_qubits: int
    depth: int


@dataclass
class DistributedProgram:
    """A compiled program for a network of modules.

    Attributes:
        num_modules: Modules the program uses (``m0`` .. ``m{num_modules-1}``).
        instructions: All instructions in one valid execution order.
        initial_placement: Logical qubit -> the data slot holding it at the start.
        final_placement: Logical qubit -> the slot holding it at the end (after teleports).
        num_clbits: Classical bits ``c0..`` of the original circuit.
        remote_gates: Cross-module gates the compiler distributed (for ``cost()``).
        teleported_qubits: State teleportations the compiler used (for ``cost()``).
    """

    num_modules: int
    instructions: list[Instruction] = field(default_factory=list)
    initial_placement: dict[int, str] = field(default_factory=dict)
    final_placement: dict[int, str] = field(default_factory=dict)
    num_clbits: int = 0
    remote_gates: int = 0
    teleported_qubits: int = 0

    @property
    def num_qubits(self) -> int:
        """Logical qubits of the original circuit."""
        return len(self.initial_placement)

    @property
    def placement(self) -> dict[int, int]:
        """Logical qubit -> module index of the initial placement."""
        return {q: module_of(slot) for q, slot in sorted(self.initial_placement.items())}

    def stream(self, module: int) -> list[Instruction]:
        """The instructions module ``module`` takes part in, in program order."""
        return [ins for ins in self.instructions if module in ins.modules or _is_epr_on(ins, module)]

    def cost(self) -> ProgramCost:
        """Ebits (EPR instructions), remote gates, teleported qubits and depth."""
        ebits = sum(1 for ins in self.instructions if ins.op == "EPR")
        return ProgramCost(ebits, self.remote_gates, self.teleported_qubits, self.depth())

    def is_valid(self, network: NetworkSpec) -> bool:
        """True if ``validate(network)`` finds nothing wrong."""
        return not self.problems(network)

    def validate(self, network: NetworkSpec) -> None:
        """Raise ProgramError naming the first way the program does not fit ``network``."""
        problems = self.problems(network)
        if problems:
            raise ProgramError(
                problems[0] + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else "")
            )

    def problems(self, network: NetworkSpec) -> list[str]:
        """Every way the program does not fit ``network`` (empty when it is valid).

        Checks: modules exist, data slots within capacity, communication ions within each
        module's count, EPRs only between linked modules, every logical qubit placed on a
        distinct data slot, circuit bits within ``num_clbits``, and every bit read (condition
        or SEND) on a module only after it was measured there or sent there.
        """
        problems = _placement_problems(self)
        names = self.qubits_used()
        problems += [p for q in sorted(names) if (p := _slot_problem(q, network))]
        linked = set(network.edges)
        known: dict[str, set[int]] = {}
        for number, ins in enumerate(self.instructions):
            where = f"instruction {number} ({ins})"
            if ins.op == "EPR":
                a, b = sorted(module_of(q) for q in ins.qubits)
                if (a, b) not in linked:
                    problems.append(f"{where}: modules m{a} and m{b} are not linked")
            readers = ins.modules if ins.op != "SEND" else ins.route[:1]  # type: ignore[index]
            for bit in (*ins.condition, *(ins.bits if ins.op == "SEND" else ())):
                missing = [m for m in readers if m not in known.get(bit, set())]
                if missing:
                    problems.append(
                        f"{where}: bit {bit} read on m{missing[0]} before it is measured or sent there"
                    )
            if ins.op == "MEASURE":
                known[ins.bits[0]] = {module_of(ins.qubits[0])}
                if ins.bits[0].startswith("c") and int(ins.bits[0][1:]) >= self.num_clbits:
                    problems.append(f"{where}: circuit bit {ins.bits[0]} beyond num_clbits={self.num_clbits}")
            elif ins.op == "SEND":
                assert ins.route is not None
                for bit in ins.bits:
                    known.setdefault(bit, set()).add(ins.route[1])
        return problems

    def depth(self) -> int:
        """Longest chain of instructions that depend on each other (through qubits or bits)."""
        level: dict[str, int] = {}
        deepest = 0
        for ins in self.instructions:
            keys = [*ins.qubits, *ins.bits, *ins.condition]
            if ins.op == "SEND":
                assert ins.route is not None
                keys += [f"{b}@m{ins.route[1]}" for b in ins.bits]
            d = 1 + max((level.get(k, 0) for k in keys), default=0)
            for k in keys:
                level[k] = d
            deepest = max(deepest, d)
        return deepest

    def qubits_used(self) -> set[str]:
        """Every qubit name any instruction or placement mentions."""
        names = {q for ins in self.instructions for q in ins.qubits}
        return names | set(self.initial_placement.values()) | set(self.final_placement.values())

    def to_text(self) -> str:
        """The readable text form: placement lines, then one instruction per line."""
        head = [
            f"# ionnet program: {self.num_modules} modules, {self.num_qubits} qubits, "
            f"{self.num_clbits} clbits, {self.cost().ebits} ebits"
        ]
        head += [f"QUBIT {q} {slot}" for q, slot in sorted(self.initial_placement.items())]
        head += [f"FINAL {q} {slot}" for q, slot in sorted(self.final_placement.items())]
        head += [
            f"CLBITS {self.num_clbits}",
            f"MODULES {self.num_modules}",
            f"STATS remote_gates={self.remote_gates} teleported_qubits={self.teleported_qubits}",
        ]
        return "\n".join(head + [str(ins) for ins in self.instructions]) + "\n"

    @classmethod
    def from_text(cls, text: str) -> DistributedProgram:
        """Parse the text form (placement header lines are optional)."""
        program = cls(num_modules=0)
        modules_seen: set[int] = set()
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            try:
                _parse_line(program, line, modules_seen)
            except (ProgramError, ValueError, IndexError) as exc:
                raise ProgramError(f"line {number}: {exc} ({raw.strip()!r})") from None
        program.num_modules = program.num_modules or (max(modules_seen) + 1 if modules_seen else 0)
        _check_sizes(program)
        return program

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (see ``from_dict``)."""
        return {
            "num_modules": self.num_modules,
            "num_clbits": self.num_clbits,
            "initial_placement": {str(k): v for k, v in self.initial_placement.items()},
            "final_placement": {str(k): v for k, v in self.final_placement.items()},
            "remote_gates": self.remote_gates,
            "teleported_qubits": self.teleported_qubits,
            "instructions": [_instruction_dict(ins) for ins in self.instructions],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DistributedProgram:
        """Inverse of ``to_dict``."""
        try:
            program = cls(
                num_modules=int(data["num_modules"]),
                instructions=[_instruction_from_dict(d) for d in data["instructions"]],
                initial_placement={int(k): v for k, v in data["initial_placement"].items()},
                final_placement={int(k): v for k, v in data["final_placement"].items()},
                num_clbits=int(data.get("num_clbits", 0)),
                remote_gates=int(data.get("remote_gates", 0)),
                teleported_qubits=int(data.get("teleported_qubits", 0)),
            )
            for name in (*program.initial_placement.values(), *program.final_placement.values()):
                parse_qubit(name)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
            raise ProgramError(f"malformed program JSON: {type(exc).__name__}: {exc}") from None
        _check_sizes(program)
        return program

    def to_json(self) -> str:
        """JSON text of ``to_dict``."""
        return json.dumps(self.to_dict(), indent=1)

    @classmethod
    def from_json(cls, text: str) -> DistributedProgram:
        """Inverse of ``to_json``."""
        try:
            return cls.from_dict(json.loads(text))
        except json.JSONDecodeError as exc:
            raise ProgramError(f"malformed program JSON: {exc}") from None


def _placement_problems(program: DistributedProgram) -> list[str]:
    problems = []
    for label, placement in (("initial", program.initial_placement), ("final", program.final_placement)):
        if sorted(placement) != list(range(program.num_qubits)):
            problems.append(f"{label} placement does not name logical qubits 0..{program.num_qubits - 1}")
        if len(set(placement.values())) != len(placement):
            problems.append(f"{label} placement puts two logical qubits in one slot")
    problems += [
        f"logical qubit {q} starts on {slot}, not a data slot"
        for q, slot in program.initial_placement.items()
        if parse_qubit(slot)[1] != "q"
    ]
    return problems


def _slot_problem(name: str, network: NetworkSpec) -> str | None:
    module, kind, index = parse_qubit(name)
    if module >= network.num_modules:
        return f"{name}: network '{network.name}' has only {network.num_modules} modules"
    spec = network.modules[module]
    limit = spec.data_qubits if kind == "q" else spec.communication_ions
    if index >= limit:
        what = "data qubits" if kind == "q" else "communication ions"
        return f"{name}: module m{module} has {limit} {what}"
    return None


def _is_epr_on(ins: Instruction, module: int) -> bool:
    return ins.op == "EPR" and any(module_of(q) == module for q in ins.qubits)


def _parse_line(program: DistributedProgram, line: str, modules_seen: set[int]) -> None:
    tokens = line.split()
    if tokens[0] in ("QUBIT", "FINAL"):
        target = program.initial_placement if tokens[0] == "QUBIT" else program.final_placement
        target[int(tokens[1])] = tokens[2]
        modules_seen.add(module_of(tokens[2]))
    elif tokens[0] == "CLBITS":
        program.num_clbits = int(tokens[1])
    elif tokens[0] == "MODULES":
        program.num_modules = int(tokens[1])
    elif tokens[0] == "STATS":
        stats = dict(item.split("=") for item in tokens[1:])
        program.remote_gates = int(stats.get("remote_gates", 0))
        program.teleported_qubits = int(stats.get("teleported_qubits", 0))
    else:
        ins = Instruction.from_text(line)
        program.instructions.append(ins)
        modules_seen.update(module_of(q) for q in ins.qubits)


def _instruction_dict(ins: Instruction) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(ins).items() if v not in ((), None)}


def _instruction_from_dict(d: Mapping[str, Any]) -> Instruction:
    route = d.get("route")
    return Instruction(
        op=d["op"],
        qubits=tuple(d.get("qubits", ())),
        params=tuple(float(p) for p in d.get("params", ())),
        bits=tuple(d.get("bits", ())),
        condition=tuple(d.get("condition", ())),
        route=(int(route[0]), int(route[1])) if route else None,
    )


def instructions_touching(instructions: Iterable[Instruction], qubit: str) -> list[Instruction]:
    """The instructions that act on ``qubit``, in order."""
    return [ins for ins in instructions if qubit in ins.qubits]
