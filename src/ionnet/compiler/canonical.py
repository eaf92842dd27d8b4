"""Canonical form: the same diagonal structure whatever gate set a circuit was written in.

The compiler distributes *runs*: stretches of a qubit between two non-diagonal gates, where every
two-qubit gate is diagonal (CZ/CP). How many runs a circuit has depends on how it was written: a
controlled phase transpiled to ``u3 + cx`` is ``CX · P · CX``, two CXs whose lowering puts
Hadamards on the target; in the ion-native ``r, rz, rxx`` set, a CX is an RXX between R rotations.
:func:`canonicalize` undoes this, on the compiler's op list (1q gates, CZ, CP, opaque ops):

1. *Two-qubit blocks.* Maximal stretches of gates on one pair (with the 1q gates between them)
   are collected. A block with more diagonal gates than its Weyl decomposition
   (``qiskit.synthesis.TwoQubitWeylDecomposition``) needs is rewritten: a block locally equivalent
   to a controlled phase becomes one diagonal gate between local gates, a block of Weyl class
   ``(a, b, c)`` one diagonal gate per non-zero coefficient (the order of the terms chosen so that
   the first one continues the qubits' current runs where it can). Other blocks keep their gates.
2. *Single-qubit gates commuting out of the way.* Consecutive 1q gates on a qubit are multiplied
   out; a product that is diagonal or anti-diagonal (``RZ``, ``X · RZ``: a *monomial* matrix)
   is pushed forward through the diagonal gates that follow (conjugating an anti-diagonal one
   through ``CP(φ)`` gives ``CP(-φ)`` and a phase on the partner), so it never ends a run; it
   merges into the next non-monomial gate, or is written before the next measurement, reset,
   barrier or classically controlled op, or at the end.

The unitary is unchanged up to a global phase (tests check it with ``qiskit.quantum_info``).
Measurements, resets, barriers and conditioned ops are kept in place; 1q gates are never moved
across them.

>>> from ionnet.compiler.circuit_input import Op
>>> cx = [Op("H", (1,)), Op("CZ", (0, 1)), Op("H", (1,))]
>>> ops = cx + [Op("RZ", (1,), (0.5,))] + cx  # CX · RZ(target) · CX = RZZ: one diagonal gate
>>> [str(op) for op in canonicalize(ops, Op)]
['CP(-1) 0 1', 'RZ(0.5) 0', 'RZ(0.5) 1']
"""

from __future__ import annotations

import bisect
import cmath
import itertools
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol, TypeVar

import numpy as np
from qiskit.circuit import library
from qiskit.synthesis import OneQubitEulerDecomposer, TwoQubitWeylDecomposition
from scipy import linalg

_EPS = 1e-9  # entries of unit-norm matrices below this are zero
_TERM_EPS = 1e-9  # Weyl coefficients below this are zero
_CHECK_EPS = 1e-8  # a rewritten block must reproduce the block's entries to this accuracy
_I2 = np.eye(2, dtype=complex)
_H = np.array([[1, 1], [1, -1]], dtype=complex) / math.sqrt(2)
_SH = np.array([[1, 0], [0, 1j]], dtype=complex) @ _H  # (S H) Z (S H)^† = Y
_FRAMES = (_H, _SH, _I2)  # W with W Z W^† = X, Y, Z: exp(i c P⊗P) = (W⊗W) exp(i c Z⊗Z) (W⊗W)^†
_GATE_CLASSES = {
    "I": library.IGate, "H": library.HGate, "X": library.XGate, "Y": library.YGate,
    "Z": library.ZGate, "S": library.SGate, "SDG": library.SdgGate, "T": library.TGate,
    "TDG": library.TdgGate, "SX": library.SXGate, "SXDG": library.SXdgGate, "RX": library.RXGate,
    "RY": library.RYGate, "RZ": library.RZGate, "U": library.UGate,
}  # fmt: skip
_U3 = OneQubitEulerDecomposer("U3")


class OpLike(Protocol):
    """What canonicalisation reads of an op (``ionnet.compiler.circuit_input.Op`` has it)."""

    @property
    def name(self) -> str: ...
    @property
    def qubits(self) -> tuple[int, ...]: ...
    @property
    def params(self) -> tuple[float, ...]: ...
    @property
    def condition(self) -> int | None: ...


T = TypeVar("T", bound=OpLike)
Make = Callable[[str, tuple[int, ...], tuple[float, ...]], T]


@dataclass
class _Gate1:
    qubit: int
    matrix: np.ndarray


@dataclass
class _Diag2:
    """A diagonal two-qubit gate; ``diag`` is indexed by ``2 * bit(a) + bit(b)``."""

    a: int
    b: int
    diag: np.ndarray


@dataclass
class _Opaque:
    op: OpLike


_Item = _Gate1 | _Diag2 | _Opaque


def canonicalize(ops: Iterable[T], make: Make[T]) -> list[T]:
    """The canonical form of ``ops`` (new gates built by ``make(name, qubits, params)``)."""
    out: list[T] = []
    pusher = _Pusher(make, out)  # type: ignore[arg-type]
    items = [_item(op) for op in ops]
    block_of = collect_blocks(items)
    positions: dict[int, list[int]] = {}
    for i, item in enumerate(items):
        for q in _qubits(item):
            positions.setdefault(q, []).append(i)
    for i, item in enumerate(items):
        block = block_of.get(i)
        if block is not None and block.diagonals > 1:
            if block.rewritten is None:  # all earlier ops on the pair are fed: pending is known
                after = _after(block, items, positions, block_of)
                block.rewritten = rewrite_block(block, _Context(pusher.pending, pusher.used, after))
                if block.rewritten is not block.items:
                    for new in block.rewritten:
                        pusher.feed(new)
            if block.rewritten is not block.items:
                continue
        pusher.feed(item)
    pusher.flush_all()
    return out


def _qubits(item: _Item) -> tuple[int, ...]:
    if isinstance(item, _Gate1):
        return (item.qubit,)
    return (item.a, item.b) if isinstance(item, _Diag2) else item.op.qubits


@dataclass
class _Context:
    """What a block rewrite may look at: the pusher's pending gates and the qubits whose current
    run holds a two-qubit gate (before the block), and for each of the block's qubits the 1q
    product up to its next diagonal gate after the block when that one's block is kept as is."""

    pending: dict[int, np.ndarray]
    used: set[int]
    after: dict[int, np.ndarray]


def _after(
    block: _Block, items: Sequence[_Item], positions: dict[int, list[int]], block_of: dict[int, _Block]
) -> dict[int, np.ndarray]:
    after: dict[int, np.ndarray] = {}
    for q in (block.a, block.b):
        product = _I2
        line = positions[q]
        for i in line[bisect.bisect_right(line, block.last) :]:
            item = items[i]
            if isinstance(item, _Gate1):
                product = item.matrix @ product
                continue
            if isinstance(item, _Diag2) and block_of[i].diagonals < 2:
                after[q] = product
            break
    return after


def _item(op: OpLike) -> _Item:
    if op.condition is None:
        if op.name in _GATE_CLASSES:
            return _Gate1(op.qubits[0], gate_matrix(op.name, op.params))
        if op.name in ("CZ", "CP"):
            phase = -1.0 if op.name == "CZ" else cmath.exp(1j * op.params[0])
            a, b = op.qubits
            return _Diag2(a, b, np.array([1, 1, 1, phase], dtype=complex))
    return _Opaque(op)


def gate_matrix(name: str, params: tuple[float, ...]) -> np.ndarray:
    """The 2x2 matrix of a single-qubit program gate (Qiskit's definition).

    >>> gate_matrix("SX", ()).round(3).tolist()
    [[(0.5+0.5j), (0.5-0.5j)], [(0.5-0.5j), (0.5+0.5j)]]
    """
    if name == "U":  # the common parametrised gates without Qiskit's per-gate overhead
        theta, phi, lam = params
        c, s = math.cos(theta / 2), math.sin(theta / 2)
        return np.array(
            [[c, -cmath.exp(1j * lam) * s], [cmath.exp(1j * phi) * s, cmath.exp(1j * (phi + lam)) * c]]
        )
    if name == "RZ":
        half = cmath.exp(0.5j * params[0])
        return np.array([[1 / half, 0], [0, half]])
    return _fixed_matrix(name, params)


@lru_cache(maxsize=4096)
def _fixed_matrix(name: str, params: tuple[float, ...]) -> np.ndarray:
    matrix = np.asarray(_GATE_CLASSES[name](*params).to_matrix(), dtype=complex)
    matrix.setflags(write=False)
    return matrix


def is_monomial(m: np.ndarray) -> bool:
    """True if ``m`` (2x2) is diagonal or anti-diagonal: it maps Z to ±Z, so it commutes with
    diagonal gates up to a diagonal correction."""
    return bool(abs(m[0, 1]) < _EPS and abs(m[1, 0]) < _EPS) or bool(
        abs(m[0, 0]) < _EPS and abs(m[1, 1]) < _EPS
    )


class _Pusher:
    """Multiplies out 1q gates per qubit and pushes monomial products through diagonal gates."""

    def __init__(self, make: Make[OpLike], out: list[OpLike]):
        self.make, self.out = make, out
        self.pending: dict[int, np.ndarray] = {}
        self.used: set[int] = set()  # qubits whose current run holds a two-qubit gate

    def feed(self, item: _Item) -> None:
        if isinstance(item, _Gate1):
            before = self.pending.get(item.qubit)
            self.pending[item.qubit] = item.matrix if before is None else item.matrix @ before
        elif isinstance(item, _Diag2):
            self._diagonal(item)
        else:
            for q in item.op.qubits:
                self.flush(q)
            self.out.append(item.op)

    def _diagonal(self, item: _Diag2) -> None:
        frames = []
        for q in (item.a, item.b):
            m = self.pending.get(q)
            if m is not None and not is_monomial(m):
                self.flush(q)
                m = None
            frames.append(None if m is None else _exact_monomial(m))
        # D F = F D' with D'[i, j] = D[σa(i), σb(j)], σ flipping the bit of an anti-diagonal F
        fa, fb = (f is not None and abs(f[0, 0]) < _EPS for f in frames)
        d = item.diag.reshape(2, 2)
        d = d[::-1] if fa else d
        d = d[:, ::-1] if fb else d
        r = d.reshape(4) / d[0, 0]
        alpha, beta = cmath.phase(r[2]), cmath.phase(r[1])
        psi = cmath.phase(r[3] / (r[1] * r[2]))
        if abs(psi - math.pi) < _EPS or abs(psi + math.pi) < _EPS:
            self.out.append(self.make("CZ", (item.a, item.b), ()))
            self.used.update((item.a, item.b))
        elif abs(psi) >= _EPS:
            self.out.append(self.make("CP", (item.a, item.b), (psi,)))
            self.used.update((item.a, item.b))
        for q, f, angle in ((item.a, frames[0], alpha), (item.b, frames[1], beta)):
            phase = np.array([[1, 0], [0, cmath.exp(1j * angle)]], dtype=complex)
            self.pending[q] = phase if f is None else f @ phase

    def flush(self, q: int) -> None:
        """Write q's pending gate: its run ends here."""
        self.used.discard(q)
        m = self.pending.pop(q, None)
        if m is not None:
            self.out.extend(self.make(name, (q,), params) for name, params in single_qubit_gates(m))

    def flush_all(self) -> None:
        for q in sorted(self.pending):
            self.flush(q)


Gates = list[tuple[str, tuple[float, ...]]]


def _exact_monomial(m: np.ndarray) -> np.ndarray:
    """The monomial unitary nearest ``m`` (rounding errors dropped, so that they cannot grow)."""
    keep = np.abs(m) >= 0.5
    exact = np.where(keep, m, 0)
    return exact / np.where(keep, np.abs(exact), 1)


def single_qubit_gates(m: np.ndarray) -> Gates:
    """Program gates equal to the 2x2 unitary ``m`` up to a global phase, in time order:
    nothing, ``RZ``, ``RZ X``, ``RZ H RZ`` or ``U``.

    >>> single_qubit_gates(np.array([[0, 1j], [1j, 0]]))
    [('X', ())]
    """
    if abs(m[0, 1]) < _EPS and abs(m[1, 0]) < _EPS:
        return _rz(m[1, 1] / m[0, 0])
    if abs(m[0, 0]) < _EPS and abs(m[1, 1]) < _EPS:  # X · diag(1, e^{iλ}) up to phase
        return [*_rz(m[0, 1] / m[1, 0]), ("X", ())]
    if np.allclose(np.abs(m), 1 / math.sqrt(2), atol=_EPS):  # diag(1, e^{iα}) H diag(1, e^{iβ})
        return [*_rz(m[0, 1] / m[0, 0]), ("H", ()), *_rz(m[1, 0] / m[0, 0])]
    theta, phi, lam = _U3.angles(m)
    return [("U", (float(theta), _wrap(phi), _wrap(lam)))]


_NAMED_PHASES = {1: "T", 2: "S", 4: "Z", -4: "Z", -2: "SDG", -1: "TDG"}  # in units of π/4


def _rz(z: complex) -> Gates:
    """``RZ`` by the phase of ``z`` (``S``, ``Z``, ``T`` ... for multiples of π/4, so that Clifford
    circuits stay Clifford by name); nothing when that is within rounding of 0."""
    angle = cmath.phase(z)
    eighths = round(angle / (math.pi / 4))
    if abs(angle - eighths * math.pi / 4) < _EPS and abs(eighths) != 3:
        return [(_NAMED_PHASES[eighths], ())] if eighths else []
    return [("RZ", (angle,))]


def _wrap(angle: float) -> float:
    return float(math.remainder(angle, 2 * math.pi))


@dataclass
class _Block:
    a: int
    b: int
    items: list[_Gate1 | _Diag2] = field(default_factory=list)
    diagonals: int = 0
    last: int = 0  # index of its last item
    rewritten: list[_Gate1 | _Diag2] | None = None  # set when the block's first item is reached


def collect_blocks(items: Sequence[_Item]) -> dict[int, _Block]:
    """Maximal two-qubit blocks: item index -> its block (1q gates between a block's diagonal
    gates, or after them until the next gate elsewhere, belong to it)."""
    block_of: dict[int, _Block] = {}
    open_on: dict[int, _Block] = {}
    for i, item in enumerate(items):
        if isinstance(item, _Gate1):
            block = open_on.get(item.qubit)
        elif isinstance(item, _Diag2):
            block = open_on.get(item.a)
            if block is None or open_on.get(item.b) is not block:
                for q in (item.a, item.b):
                    if q in open_on:
                        closed = open_on[q]
                        del open_on[closed.a], open_on[closed.b]
                block = open_on[item.a] = open_on[item.b] = _Block(item.a, item.b)
            block.diagonals += 1
        else:
            for q in item.op.qubits:
                if q in open_on:
                    closed = open_on[q]
                    del open_on[closed.a], open_on[closed.b]
            continue
        if block is not None:
            block.items.append(item)
            block.last = i
            block_of[i] = block
    return block_of


def block_unitary(a: int, items: Sequence[_Gate1 | _Diag2]) -> np.ndarray:
    """The 4x4 unitary of a block on qubits (a, b), index ``2 * bit(a) + bit(b)``."""
    u = np.eye(4, dtype=complex)
    local = [_I2, _I2]  # 1q products on a and b not yet applied
    for item in items:
        if isinstance(item, _Gate1):
            side = 0 if item.qubit == a else 1
            local[side] = item.matrix @ local[side]
        else:
            u = item.diag[:, None] * (_kron(*local) @ u)
            local = [_I2, _I2]
    return _kron(*local) @ u


def _kron(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``np.kron`` of two 2x2 matrices, without its overhead."""
    return (x[:, None, :, None] * y[None, :, None, :]).reshape(4, 4)


def rewrite_block(block: _Block, context: _Context) -> list[_Gate1 | _Diag2]:
    """The block with fewer diagonal gates, if it can have fewer (otherwise the block itself).

    A block whose gates between its diagonal gates are monomial on one qubit is a controlled
    unitary: it becomes one diagonal gate, with the eigenbasis of the controlled unitary on the
    target (exact, and the same whatever gate set the block was written in). Any other block
    gets one diagonal gate per non-zero Weyl coefficient.
    """
    u = block_unitary(block.a, block.items)
    control = _control_qubit(block)
    pending = context.pending
    items = None if control is None else _controlled(u, block, control, pending)  # exact
    if items is None:
        items = _weyl_rewrite(u, block, pending)
    if items is block.items or _breaks(items, context) > _breaks(block.items, context):
        return block.items
    return items


def _breaks(items: Sequence[_Gate1 | _Diag2], context: _Context) -> int:
    """Run breaks that cost: non-monomial 1q products between the items' diagonal gates on a
    qubit, before the first (if the qubit's current run holds a two-qubit gate) and after the
    last (if a diagonal gate that stays follows)."""
    segment: dict[int, np.ndarray] = {}
    started: set[int] = set()
    count = 0
    for item in items:
        if isinstance(item, _Gate1):
            before = segment.get(item.qubit, context.pending.get(item.qubit, _I2))
            segment[item.qubit] = item.matrix @ before
        else:
            for q in (item.a, item.b):
                if q in started or q in context.used:
                    count += not is_monomial(segment.get(q, context.pending.get(q, _I2)))
                segment[q] = _I2
                started.add(q)
    return count + sum(not is_monomial(m @ segment[q]) for q, m in context.after.items())


def _control_qubit(block: _Block) -> int | None:
    """A qubit of the block on which every product of 1q gates between two diagonal gates is
    monomial (it stays a control), or None."""
    inner: dict[int, np.ndarray] = {}
    control = {block.a: True, block.b: True}
    started = False
    for item in block.items:
        if isinstance(item, _Gate1):
            if started:
                before = inner.get(item.qubit, _I2)
                inner[item.qubit] = item.matrix @ before
        else:
            for q, m in inner.items():
                control[q] = control[q] and is_monomial(m)
            inner.clear()
            started = True
    return next((q for q in (block.a, block.b) if control[q]), None)


_SWAP_INDEX = [0, 2, 1, 3]


def _controlled(
    u: np.ndarray, block: _Block, control: int, pending: dict[int, np.ndarray]
) -> list[_Gate1 | _Diag2] | None:
    """``u`` as (X^k ⊗ V0) · controlled-W, W = R diag(w0, w1) R^†, as items.

    R is the target's pending gate when W is diagonal in that basis (to rounding: for a tiny
    rotation W any basis nearly is, and this one continues the target's run), else the identity
    when W is diagonal, else W's Schur basis.
    """
    target = block.b if control == block.a else block.a
    if control == block.b:
        u = u[np.ix_(_SWAP_INDEX, _SWAP_INDEX)]  # index 2 * bit(control) + bit(target)
    flip = np.linalg.norm(u[2:, :2]) > np.linalg.norm(u[:2, :2])
    if flip:
        u = u[[2, 3, 0, 1]]
    v0, v1 = u[:2, :2], u[2:, 2:]
    if np.abs(u[:2, 2:]).max() > _EPS or np.abs(u[2:, :2]).max() > _EPS:
        return None  # not block diagonal: not controlled after all (rounding)
    w = v0.conj().T @ v1
    for r in (_nearest_unitary(pending.get(target, _I2)), _I2):  # one that continues the run
        phases = np.diag(r.conj().T @ w @ r)
        if np.abs(r.conj().T @ w @ r - np.diag(phases)).max() < _EPS:
            break
    else:
        t, r = linalg.schur(w, output="complex")
        phases = np.diag(t)
    phases = phases / np.abs(phases)
    items: list[_Gate1 | _Diag2] = [
        _Gate1(target, r.conj().T),
        _Diag2(control, target, np.array([1, 1, phases[0], phases[1]], dtype=complex)),
        _Gate1(target, v0 @ r),
    ]
    if flip:
        items.append(_Gate1(control, np.array([[0, 1], [1, 0]], dtype=complex)))
    return items


def _nearest_unitary(m: np.ndarray) -> np.ndarray:
    left, _, right = np.linalg.svd(m)
    return left @ right


def _same_up_to_phase(u: np.ndarray, v: np.ndarray) -> bool:
    overlap = np.vdot(v, u)
    return bool(abs(overlap) > 0 and np.abs(u - v * overlap / abs(overlap)).max() < _CHECK_EPS)


def _weyl_rewrite(u: np.ndarray, block: _Block, pending: dict[int, np.ndarray]) -> list[_Gate1 | _Diag2]:
    """One diagonal gate per non-zero Weyl coefficient, if fewer than the block has."""
    weyl = TwoQubitWeylDecomposition(u, fidelity=None)
    terms = [(c, w) for c, w in zip((weyl.a, weyl.b, weyl.c), _FRAMES, strict=True) if abs(c) > _TERM_EPS]
    if len(terms) >= block.diagonals:
        return block.items
    entry = {block.a: weyl.K2l, block.b: weyl.K2r}

    def continues(order: tuple[tuple[float, np.ndarray], ...]) -> int:
        """How many of the two qubits enter the first term with a monomial local gate."""
        if not order:
            return 0
        w = order[0][1]
        return sum(is_monomial(w.conj().T @ k @ pending.get(q, _I2)) for q, k in entry.items())

    order = max(itertools.permutations(terms), key=continues)  # first best: X, Y, Z order on ties
    items: list[_Gate1 | _Diag2] = [_Gate1(block.a, weyl.K2l), _Gate1(block.b, weyl.K2r)]
    for c, w in order:
        zz = np.array([cmath.exp(1j * c), cmath.exp(-1j * c), cmath.exp(-1j * c), cmath.exp(1j * c)])
        items += [_Gate1(block.a, w.conj().T), _Gate1(block.b, w.conj().T), _Diag2(block.a, block.b, zz)]
        items += [_Gate1(block.a, w), _Gate1(block.b, w)]
    items += [_Gate1(block.a, weyl.K1l), _Gate1(block.b, weyl.K1r)]
    return items if _same_up_to_phase(block_unitary(block.a, items), u) else block.items
