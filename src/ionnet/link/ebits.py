"""Heralded ebits as records and as vectorised streams over a simulated duration.

Each herald is true or, with probability f (the false-herald fraction of REFERENCES §3.4),
caused by a dark count and leaves the fully mixed state; the mean state is then the analytic
:func:`ionnet.hardware.link_physics.heralded_state`. Heralds arrive at the ``p_success`` rate
(the analytic ``rate_hz``): f ≪ 1 for every preset, so counting false heralds on top would
change the rate by less than f.

In :func:`generate_ebits` every ebit leaves its communication ions at its herald (handed to a
consumer, or swapped into memory ions, which occupies the communication ions for the swap
time). :mod:`ionnet.link.buffer` adds storage, blocking and cutoffs.

>>> from ionnet.hardware.link import LinkSpec
>>> from ionnet.hardware.module import ModuleSpec
>>> from ionnet.seeding import stream
>>> batch = generate_ebits(LinkSpec(), ModuleSpec(), ModuleSpec(), stream(3, "doc"), duration_s=0.1)
>>> ebit = next(batch.ebits())
>>> ebit.link_id, ebit.attempts >= 1, 0.25 <= ebit.fidelity <= 1
('m0-m1', True, True)
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from ionnet.errors import ConfigError
from ionnet.hardware import link_physics
from ionnet.hardware.bell import BellDiagonal
from ionnet.hardware.link import LinkSpec
from ionnet.hardware.module import ModuleSpec
from ionnet.link import generation
from ionnet.link.memory import swap_duration_s, swapped_to_memory

MIXED = BellDiagonal(0.25, 0.25, 0.25, 0.25)


@dataclass(frozen=True)
class Ebit:
    """One heralded pair.

    Attributes:
        link_id: Name of the link, e.g. ``"m0-m1"``.
        module_a / module_b: Indices of the modules holding the two halves.
        created_s: Time the pair was ready (herald back at both nodes, plus the swap if any).
        state: Its state at ``created_s``.
        attempts: Attempts its communication-ion pair spent on it.
        pair_index: Which communication-ion pair made it.
        false_herald: Whether a dark count heralded it (its state is then fully mixed).
        in_memory: Whether it was swapped into memory ions.
    """

    link_id: str
    module_a: int
    module_b: int
    created_s: float
    state: BellDiagonal
    attempts: int
    pair_index: int = 0
    false_herald: bool = False
    in_memory: bool = False

    @property
    def fidelity(self) -> float:
        """Fidelity to |Φ+> at creation."""
        return self.state.fidelity


def sample_herald_state(
    link: LinkSpec, module_a: ModuleSpec, module_b: ModuleSpec, rng: np.random.Generator
) -> tuple[BellDiagonal, bool]:
    """The state of one herald (true or false) and whether it was false: for event runtimes."""
    false = bool(rng.random() < link_physics.false_herald_fraction(link))
    return (MIXED if false else link_physics.true_herald_state(link, module_a, module_b)), false


@dataclass(frozen=True)
class EbitBatch:
    """Ebits of one link over a duration, as arrays (cheap for millions of ebits).

    Attributes:
        link_id / module_a / module_b: Which link made them.
        duration_s: The simulated duration.
        created_s: Ready time of each ebit, ascending.
        pair_index / attempts / false_herald: Per ebit (see :class:`Ebit`).
        true_state: State of every true herald (false heralds are fully mixed).
        in_memory: Whether the ebits were swapped into memory ions.
    """

    link_id: str
    module_a: int
    module_b: int
    duration_s: float
    created_s: np.ndarray
    pair_index: np.ndarray
    attempts: np.ndarray
    false_herald: np.ndarray
    true_state: BellDiagonal
    in_memory: bool = False

    @property
    def count(self) -> int:
        """Number of ebits."""
        return int(self.created_s.size)

    @property
    def fidelities(self) -> np.ndarray:
        """Fidelity of each ebit at creation."""
        return np.where(self.false_herald, MIXED.fidelity, self.true_state.fidelity)

    def rate_hz(self) -> float:
        """Ebits per simulated second."""
        return self.count / self.duration_s if self.duration_s > 0 else float("nan")

    def ebits(self) -> Iterator[Ebit]:
        """The ebits as records, in time order."""
        for t, pair, attempts, false in zip(
            self.created_s.tolist(),
            self.pair_index.tolist(),
            self.attempts.tolist(),
            self.false_herald.tolist(),
            strict=True,
        ):
            yield Ebit(
                self.link_id,
                self.module_a,
                self.module_b,
                t,
                MIXED if false else self.true_state,
                attempts,
                pair,
                false,
                self.in_memory,
            )


def generate_ebits(
    link: LinkSpec,
    module_a: ModuleSpec,
    module_b: ModuleSpec,
    rng: np.random.Generator,
    duration_s: float,
    *,
    per_attempt: bool = False,
    swap_to_memory: bool = False,
    modules: tuple[int, int] = (0, 1),
    link_id: str | None = None,
) -> EbitBatch:
    """The ebits one link delivers in ``duration_s`` (geometric sampler, or per attempt).

    With ``swap_to_memory`` each ebit is moved into memory ions (swap fidelity applied, ready
    ``swap_time_s`` after its herald) and its communication ions attempt again only after the
    swap; the per-attempt mode does not model that hold.
    """
    if swap_to_memory and per_attempt:
        raise ConfigError("'per_attempt' validation mode does not model swap_to_memory (got both)")
    hold = swap_duration_s(module_a, module_b) if swap_to_memory else 0.0
    if per_attempt:
        heralds = generation.sample_herald_times_per_attempt(link, rng, duration_s)
    else:
        heralds = generation.sample_herald_times(link, rng, duration_s, hold_s=hold)
    state = link_physics.true_herald_state(link, module_a, module_b)
    if swap_to_memory:
        state = swapped_to_memory(state, module_a, module_b)
    created = heralds.times_s + hold
    keep = created < duration_s
    false = rng.random(heralds.count) < link_physics.false_herald_fraction(link)
    return EbitBatch(
        link_id=link_id or f"m{modules[0]}-m{modules[1]}",
        module_a=modules[0],
        module_b=modules[1],
        duration_s=duration_s,
        created_s=created[keep],
        pair_index=heralds.pair_index[keep],
        attempts=heralds.attempts[keep],
        false_herald=false[keep],
        true_state=state,
        in_memory=swap_to_memory,
    )
