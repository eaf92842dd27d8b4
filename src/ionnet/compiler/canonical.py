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
    for i, item in enumerate(items):
        block = block_of.get(i)
        if block is not None and block.diagonals > 1:
            if block.rewritten is None:  # all earlier ops on the pair are fed: pending is known
                block.rewritten = rewrite_block(block, pusher.pending)
                if block.rewritten is not block.items:
                    for new in block.rewritten:
                        pusher.feed(new)
            if block.rewritten is not block.items:
                continue
        pusher.feed(item)
    pusher.flush_all()
    return out


def _item(op: OpLike) -> _Item:
    if op.condition is None:
        if op.name in _GATE_CLASSES:
            return _Gate1(op.qubits[0], gate_matrix(op.name, op.params))
        if op.name in ("CZ", "CP"):
            phase = -1.0 if op.name == "CZ" else cmath.exp(1j * op.params[0])
            a, b = op.qubits
            return _Diag2(a, b, np.array([1, 1, 1, phase], dtype=complex))
    return _Opaque(op)


@lru_cache(maxsize=4096)
def gate_matrix(name: str, params: tuple[float, ...]) -> np.ndarray:
    """The 2x2 matrix of a single-qubit program gate (Qiskit's definition).

    >>> gate_matrix("SX", ()).round(3).tolist()
    [[(0.5+0.5j), (0.5-0.5j)], [(0.5-0.5j), (0.5+0.5j)]]
    """
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
        elif abs(psi) >= _EPS:
            self.out.append(self.make("CP", (item.a, item.b), (psi,)))
        for q, f, angle in ((item.a, frames[0], alpha), (item.b, frames[1], beta)):
            phase = np.array([[1, 0], [0, cmath.exp(1j * angle)]], dtype=complex)
            self.pending[q] = phase if f is None else f @ phase

    def flush(self, q: int) -> None:
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


def _rz(z: complex) -> Gates:
    """``RZ`` by the phase of ``z``; nothing when that is within rounding of 0."""
    angle = cmath.phase(z)
    return [("RZ", (angle,))] if abs(angle) >= _EPS else []


def _wrap(angle: float) -> float:
    return float(math.remainder(angle, 2 * math.pi))


@dataclass
class _Block:
    a: int
    b: int
    items: list[_Gate1 | _Diag2] = field(default_factory=list)
    diagonals: int = 0
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


def rewrite_block(block: _Block, pending: dict[int, np.ndarray]) -> list[_Gate1 | _Diag2]:
    """The block with fewer diagonal gates, if it can have fewer (otherwise the block itself).

    A block whose gates between its diagonal gates are monomial on one qubit is a controlled
    unitary: it becomes one diagonal gate, with the eigenbasis of the controlled unitary on the
    target (exact, and the same whatever gate set the block was written in). Any other block
    gets one diagonal gate per non-zero Weyl coefficient.
    """
    u = block_unitary(block.a, block.items)
    control = _control_qubit(block)
    if control is not None:
        items = _controlled(u, block, control, pending)
        if items is not None and _same_up_to_phase(block_unitary(block.a, items), u):
            return items
    return _weyl_rewrite(u, block, pending)


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
    if np.linalg.norm(u[:2, 2:]) > 1e-6 or np.linalg.norm(u[2:, :2]) > 1e-6:
        return None  # not block diagonal: the control test was wrong (cannot happen)
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
