"""Stored ebits between generation and use: k communication ions, memory, cutoff, blocking.

A heralded pair occupies one communication ion in each module until it is used, discarded or
swapped into memory ions; while all k communication-ion pairs hold ebits, generation blocks.
With ``swap_to_memory`` a pair moves into memory ions (if a memory slot is free) and its
communication ions attempt again after the swap. A pair older than ``cutoff_s`` is discarded.
Consumers ask for ebits at given times; each request takes the oldest stored pair, or waits for
the next one. The delivered state includes dephasing while stored and, in memory, crosstalk
from the attempts made meanwhile (approximated by the link's effective attempt rate times the
storage time).

This is a small event loop over heralds, requests and expiries (a few μs per event); a
discrete-event runtime can instead drive :func:`ionnet.link.generation.next_herald_delay_s`,
:func:`ionnet.link.ebits.sample_herald_state` and :func:`ionnet.link.memory.stored_state`.

>>> from ionnet.hardware.link import LinkSpec
>>> from ionnet.hardware.module import ModuleSpec
>>> from ionnet.seeding import stream
>>> out = simulate_storage(LinkSpec(), ModuleSpec(), ModuleSpec(), stream(0, "doc"),
...     duration_s=1.0, request_times_s=[0.5], policy=StoragePolicy(cutoff_s=0.01))
>>> len(out.delivered), out.generated > out.discarded > 0
(1, True)
"""

from __future__ import annotations

import dataclasses
import heapq
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ionnet.hardware import link_physics
from ionnet.hardware.bell import BellDiagonal
from ionnet.hardware.link import LinkSpec
from ionnet.hardware.module import ModuleSpec
from ionnet.hardware.network import StoragePolicy
from ionnet.link.ebits import Ebit, sample_herald_state
from ionnet.link.generation import attempt_period_s, next_herald_delay_s
from ionnet.link.memory import Location, is_expired, stored_state, swap_duration_s, swapped_to_memory

_HERALD, _READY, _REQUEST, _EXPIRE = range(4)


@dataclass(frozen=True)
class Delivery:
    """An ebit handed to a consumer: the ebit as created and its state when used."""

    ebit: Ebit
    used_s: float
    state: BellDiagonal

    @property
    def wait_s(self) -> float:
        """Storage time."""
        return self.used_s - self.ebit.created_s


@dataclass
class StorageResult:
    """What a storage simulation produced."""

    delivered: list[Delivery] = field(default_factory=list)
    generated: int = 0
    discarded: int = 0
    unserved_requests: int = 0


@dataclass
class _Stored:
    ebit: Ebit
    slot: int | None  # communication-ion pair holding it, None when in memory
    alive: bool = True


def simulate_storage(
    link: LinkSpec,
    module_a: ModuleSpec,
    module_b: ModuleSpec,
    rng: np.random.Generator,
    duration_s: float,
    request_times_s: Sequence[float] = (),
    policy: StoragePolicy | None = None,
    modules: tuple[int, int] = (0, 1),
) -> StorageResult:
    """Generate, store and hand out ebits for ``duration_s`` seconds (see the module doc)."""
    sim = _StorageSim(link, module_a, module_b, rng, policy or StoragePolicy(), modules)
    return sim.run(duration_s, request_times_s)


class _StorageSim:
    def __init__(
        self,
        link: LinkSpec,
        module_a: ModuleSpec,
        module_b: ModuleSpec,
        rng: np.random.Generator,
        policy: StoragePolicy,
        modules: tuple[int, int],
    ) -> None:
        self.link, self.a, self.b, self.rng, self.policy = link, module_a, module_b, rng, policy
        self.modules = modules
        self.link_id = f"m{modules[0]}-m{modules[1]}"
        self.events: list[tuple[float, int, int, object]] = []
        self.counter = itertools.count()
        self.store: list[_Stored] = []  # FIFO of stored pairs
        self.waiting_requests: list[float] = []
        self.memory_used = 0
        self.result = StorageResult()
        self.crosstalk_rate = link_physics.effective_attempt_rate_hz(link)

    def push(self, t: float, kind: int, payload: object) -> None:
        heapq.heappush(self.events, (t, next(self.counter), kind, payload))

    def start_attempts(self, slot: int, t: float) -> None:
        delay, attempts = next_herald_delay_s(self.link, self.rng)
        self.push(t + delay, _HERALD, (slot, attempts))

    def run(self, duration_s: float, request_times_s: Sequence[float]) -> StorageResult:
        for slot in range(self.link.communication_ions):
            self.start_attempts(slot, 0.0)
        for t in request_times_s:
            self.push(float(t), _REQUEST, None)
        while self.events and self.events[0][0] < duration_s:
            t, _, kind, payload = heapq.heappop(self.events)
            if kind == _HERALD:
                self.on_herald(t, payload)  # type: ignore[arg-type]
            elif kind == _READY:
                self.on_ready(t, payload)  # type: ignore[arg-type]
            elif kind == _REQUEST:
                self.on_request(t)
            else:
                self.on_expire(t, payload)  # type: ignore[arg-type]
        self.result.unserved_requests = len(self.waiting_requests)
        return self.result

    def on_herald(self, t: float, payload: tuple[int, int]) -> None:
        slot, attempts = payload
        state, false = sample_herald_state(self.link, self.a, self.b, self.rng)
        ebit = Ebit(self.link_id, *self.modules, t, state, attempts, slot, false)
        self.result.generated += 1
        memory_free = self.policy.memory_slots is None or self.memory_used < self.policy.memory_slots
        if self.policy.swap_to_memory and memory_free:
            self.memory_used += 1
            swap_s = swap_duration_s(self.a, self.b)
            ebit = dataclasses.replace(
                ebit, created_s=t + swap_s, state=swapped_to_memory(state, self.a, self.b), in_memory=True
            )
            self.push(t + swap_s, _READY, _Stored(ebit, None))
            # the attempt that heralded began one latency ago; the next one waits for the swap
            latency = link_physics.herald_latency_s(self.link)
            self.start_attempts(slot, t + max(swap_s, attempt_period_s(self.link) - latency))
        else:
            self.on_ready(t, _Stored(ebit, slot))

    def on_ready(self, t: float, item: _Stored) -> None:
        if self.waiting_requests:
            self.waiting_requests.pop(0)
            self.deliver(t, item)
            return
        self.store.append(item)
        if self.policy.cutoff_s is not None:
            self.push(item.ebit.created_s + self.policy.cutoff_s, _EXPIRE, item)

    def on_request(self, t: float) -> None:
        self.store = [s for s in self.store if s.alive]
        if not self.store:
            self.waiting_requests.append(t)
            return
        item = self.store.pop(0)
        self.deliver(t, item)

    def on_expire(self, t: float, item: _Stored) -> None:
        if item.alive and is_expired(t - item.ebit.created_s + 1e-15, self.policy.cutoff_s):
            item.alive = False
            self.result.discarded += 1
            self.release(t, item)

    def release(self, t: float, item: _Stored) -> None:
        item.alive = False
        if item.slot is None:
            self.memory_used -= 1
        else:
            self.start_attempts(item.slot, t)

    def deliver(self, t: float, item: _Stored) -> None:
        wait = t - item.ebit.created_s
        location: Location = "memory" if item.slot is None else "communication"
        state = stored_state(
            item.ebit.state, wait, self.a, self.b, location, crosstalk_attempts=self.crosstalk_rate * wait
        )
        self.result.delivered.append(Delivery(item.ebit, t, state))
        self.release(t, item)
