"""State teleportation and teleported (remote) controlled gates.

* :func:`teleport`: Bennett et al., PRL 70, 1895 (1993). The sender's Bell measurement
  (CX, H, two Z measurements) costs one ebit and two classical bits; the receiver corrects
  ``Z^{m1} X^{m2}``.
* :func:`cat_entangle` / :func:`cat_disentangle`: the "cat-entangler" and "cat-disentangler" of
  Eisert, Jacobs, Papadopoulos & Plenio, PRA 62, 052317 (2000). Entangling copies the control
  ``c`` onto the remote ebit half ``b`` (``α|0>|0> + β|1>|1>``) with one ebit and one bit;
  disentangling measures ``b`` in X and sends one bit back for a Z correction on ``c``.
  Between the two, ``b`` can control any number of gates on the remote module
  (:func:`remote_controlled`), all for one ebit.

Each returns the time (seconds) at which its last operation or correction is done.

>>> from ionnet.states import DensityMatrixBackend
>>> from ionnet.protocols.context import ideal_context
>>> from ionnet.seeding import stream
>>> ctx = ideal_context(DensityMatrixBackend(stream(0, "doc")), num_modules=2)
>>> (q,) = ctx.modules[0].allocate(1)
>>> ctx.modules[0].gate("X", [q])
0.000135
>>> moved = teleport(ctx, 0, q, 1)
>>> round(ctx.backend.expectation("Z", [moved.qubit]), 12), ctx.ebits_used
(-1.0, 1.0)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ionnet.protocols.context import NetworkContext
from ionnet.protocols.module import MEMORY


@dataclass(frozen=True)
class Teleported:
    """Where a teleported qubit now lives and when it is usable.

    Attributes:
        module: The receiving module.
        qubit: The qubit id holding the state on the receiving module.
        done_s: Time at which the last correction is applied.
    """

    module: int
    qubit: int
    done_s: float


@dataclass(frozen=True)
class CatLink:
    """A control qubit cat-entangled with a copy on a remote module.

    Attributes:
        control_module / control: The original control qubit.
        remote_module / copy: The ebit half that now mirrors the control's Z value.
        ready_s: Time from which ``copy`` may control gates.
    """

    control_module: int
    control: int
    remote_module: int
    copy: int
    ready_s: float


def teleport(ctx: NetworkContext, src: int, qubit: int, dst: int, to_memory: bool = False) -> Teleported:
    """Teleport ``qubit`` of module ``src`` to module ``dst`` (the sender's qubit is freed).

    With ``to_memory`` the received state is swapped from the communication ion to a memory ion.
    """
    sender = ctx.modules[src]
    a, b = ctx.ebit(src, dst, at_s=sender.ready_s([qubit]))
    sender.gate("CX", [qubit, a])
    sender.gate("H", [qubit])
    t_x = ctx.measure_and_correct(src, a, [(dst, "X", b)])
    t_z = ctx.measure_and_correct(src, qubit, [(dst, "Z", b)])
    done = max(t_x, t_z)
    if to_memory:
        receiver = ctx.modules[dst]
        (m,) = receiver.allocate(1, MEMORY, at_s=done)
        receiver.swap_to_memory(b, m, start_s=done)
        receiver.release(b)
        return Teleported(dst, m, receiver.ready_s([m]))
    return Teleported(dst, b, done)


def cat_entangle(ctx: NetworkContext, control_module: int, control: int, remote_module: int) -> CatLink:
    """Copy ``control``'s Z value onto a fresh ebit half on ``remote_module`` (one ebit, one bit)."""
    local = ctx.modules[control_module]
    a, b = ctx.ebit(control_module, remote_module, at_s=local.ready_s([control]))
    local.gate("CX", [control, a])
    ready = ctx.measure_and_correct(control_module, a, [(remote_module, "X", b)])
    return CatLink(control_module, control, remote_module, b, ready)


def cat_disentangle(ctx: NetworkContext, link: CatLink) -> float:
    """Measure the remote copy in X and send the bit back for a Z on the control."""
    return ctx.measure_and_correct(
        link.remote_module, link.copy, [(link.control_module, "Z", link.control)], basis="X"
    )


def remote_controlled(
    ctx: NetworkContext,
    control_module: int,
    control: int,
    target_module: int,
    gates: Sequence[tuple[str, int, Sequence[float]]],
) -> float:
    """Several controlled gates ``(name, target, params)`` from one remote control, one ebit.

    ``name`` is a two-qubit gate controlled by its first qubit (CX, CZ, CP); every target lies
    on ``target_module``. Returns the time the control's correction is done.
    """
    link = cat_entangle(ctx, control_module, control, target_module)
    remote = ctx.modules[target_module]
    for name, target, params in gates:
        remote.gate(name, [link.copy, target], params, start_s=link.ready_s)
    return cat_disentangle(ctx, link)


def remote_cnot(
    ctx: NetworkContext, control_module: int, control: int, target_module: int, target: int
) -> float:
    """A CNOT between modules by cat-entangler and cat-disentangler (one ebit, two bits)."""
    return remote_controlled(ctx, control_module, control, target_module, [("CX", target, ())])


def remote_cz(
    ctx: NetworkContext, control_module: int, control: int, target_module: int, target: int
) -> float:
    """A CZ between modules by cat-entangler and cat-disentangler (one ebit, two bits)."""
    return remote_controlled(ctx, control_module, control, target_module, [("CZ", target, ())])
