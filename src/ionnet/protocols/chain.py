"""Entanglement swapping along a chain of modules, and a GHZ state spread over modules.

* :func:`swap_chain`: Żukowski, Zeilinger, Horne & Ekert, PRL 71, 4287 (1993). Each inner module
  Bell-measures its two ebit halves (CX, H, two Z measurements) and sends both bits to the last
  module, which corrects ``X`` and ``Z``; all swaps run in parallel. For Werner pairs of
  fidelities F1, F2 one swap gives ``F1 F2 + (1 - F1)(1 - F2)/3``.
* :func:`ghz_star`: module ``hub`` prepares ``|+>`` and cat-entangles it (Eisert et al. 2000)
  onto one ebit half per other module: ``N - 1`` ebits, one bit each, one qubit per module.

>>> from ionnet.states import DensityMatrixBackend
>>> from ionnet.protocols.context import ideal_context
>>> from ionnet.seeding import stream
>>> ctx = ideal_context(DensityMatrixBackend(stream(0, "doc")), num_modules=3, ebit_fidelity=0.9)
>>> end = swap_chain(ctx, [0, 1, 2])
>>> bell = np.array([1, 0, 0, 1]) / np.sqrt(2)
>>> round(ctx.backend.fidelity(bell, [end.first, end.last]), 12), round(0.81 + 0.01 / 3, 12)
(0.813333333333, 0.813333333333)
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ionnet.errors import ConfigError
from ionnet.protocols.context import NetworkContext
from ionnet.protocols.module import MEMORY


@dataclass(frozen=True)
class EndToEnd:
    """An end-to-end pair: ``first`` on the chain's first module, ``last`` on its last."""

    first: int
    last: int
    done_s: float


def swap_chain(ctx: NetworkContext, path: Sequence[int], start_s: float = 0.0) -> EndToEnd:
    """Join ``len(path) - 1`` ebits along ``path`` into one pair by ``len(path) - 2`` swaps."""
    if len(path) < 2:
        raise ConfigError(f"a swapping chain needs at least 2 modules (got {len(path)})")
    pairs = [ctx.ebit(a, b, at_s=start_s) for a, b in itertools.pairwise(path)]
    end_module, end_qubit = path[-1], pairs[-1][1]
    done = start_s
    for i in range(1, len(path) - 1):
        node = path[i]
        left, right = pairs[i - 1][1], pairs[i][0]
        ctx.modules[node].gate("CX", [left, right])
        ctx.modules[node].gate("H", [left])
        done = max(done, ctx.measure_and_correct(node, right, [(end_module, "X", end_qubit)]))
        done = max(done, ctx.measure_and_correct(node, left, [(end_module, "Z", end_qubit)]))
    return EndToEnd(pairs[0][0], end_qubit, done)


@dataclass(frozen=True)
class GHZ:
    """A GHZ state: ``qubits[i]`` lives on ``modules[i]``."""

    modules: tuple[int, ...]
    qubits: tuple[int, ...]
    done_s: float

    def stabilizers(self) -> list[str]:
        """Generators ``X...X`` and ``Z_i Z_{i+1}`` of the ideal GHZ state, in ``qubits`` order."""
        n = len(self.qubits)
        return ["+" + "X" * n] + ["+" + "I" * i + "ZZ" + "I" * (n - i - 2) for i in range(n - 1)]

    def statevector(self) -> np.ndarray:
        """The ideal ``(|0...0> + |1...1>)/√2`` (small N only)."""
        psi = np.zeros(2 ** len(self.qubits), dtype=complex)
        psi[0] = psi[-1] = 2**-0.5
        return psi


def ghz_star(ctx: NetworkContext, modules: Sequence[int], start_s: float = 0.0) -> GHZ:
    """A GHZ state with one qubit on each of ``modules``, fanned out from ``modules[0]``."""
    if len(modules) < 2:
        raise ConfigError(f"a GHZ state over modules needs at least 2 modules (got {len(modules)})")
    hub = modules[0]
    (g0,) = ctx.modules[hub].allocate(1, MEMORY, at_s=start_s)
    ctx.modules[hub].gate("H", [g0], start_s=start_s)
    members = [g0]
    done = start_s
    for m in modules[1:]:
        a, b = ctx.ebit(hub, m, at_s=ctx.modules[hub].ready_s([g0]))
        ctx.modules[hub].gate("CX", [g0, a])
        done = max(done, ctx.measure_and_correct(hub, a, [(m, "X", b)]))
        members.append(b)
    return GHZ(tuple(modules), tuple(members), done)
