"""What protocols run on: modules on one backend, an ebit source and classical channels.

:class:`NetworkContext` hands out ebits (Bell-diagonal states loaded into a communication ion at
each end: ``|Φ+>`` then the state's Pauli mixture on the second ion, exact on the density-matrix
backend and sampled on the others), counts them, and carries classical bits between modules with
the fibre's one-way latency ``L/(c/n)``.

Measurement with feed-forward (:meth:`NetworkContext.measure_and_correct`): the measured bit is
sent to another module, which applies Pauli corrections. Corrections are tracked in software (a
Pauli frame): they cost no time and add no error, but the target waits for the bit. On an exact
(density-matrix) backend the measurement is *deferred* (Nielsen & Chuang §4.4): the SPAM flip
becomes an X channel, the correction a controlled Pauli from the measured qubit, which is then
traced out, so the result is the average over all outcomes instead of one sampled branch. On a
:class:`~ionnet.protocols.stim_batch.StimRecorder` the measurement is recorded and the
correction becomes a Pauli controlled by that record, so one recording serves every shot.

Ebit generation time is not modelled here (the runtime and the link layer do that): an ebit is
ready when asked for; what it waits afterwards decoheres its ions.

>>> import numpy as np
>>> from ionnet.states import DensityMatrixBackend
>>> from ionnet.seeding import stream
>>> ctx = ideal_context(DensityMatrixBackend(stream(0, "doc")), num_modules=2, ebit_fidelity=0.9)
>>> a, b = ctx.ebit(0, 1)
>>> round(ctx.backend.fidelity(np.array([1, 0, 0, 1]) / np.sqrt(2), [a, b]), 12), ctx.ebits_used
(0.9, 1.0)
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import networkx as nx

from ionnet.errors import ConfigError
from ionnet.hardware.bell import BellDiagonal
from ionnet.hardware.link import LinkSpec
from ionnet.hardware.link_physics import heralded_state, speed_in_fiber_m_per_s
from ionnet.hardware.module import ModuleSpec
from ionnet.hardware.network import NetworkSpec
from ionnet.link.purification import PurificationResult, bbpssw, dejmps
from ionnet.protocols.module import COMMUNICATION, NoisyModule
from ionnet.protocols.stim_batch import StimRecorder
from ionnet.states.backend import StateBackend

PURIFICATION_METHODS: dict[str, Callable[[BellDiagonal, BellDiagonal], PurificationResult]] = {
    "bbpssw": bbpssw,
    "dejmps": dejmps,
}


def purified(state: BellDiagonal, rounds: int, method: str = "dejmps") -> tuple[BellDiagonal, float]:
    """The state after ``rounds`` of recurrence purification and the mean raw ebits it costs.

    Each round consumes two pairs and keeps one with the success probability of the link
    layer's recurrence (:mod:`ionnet.link.purification`), so the expected raw cost multiplies
    by ``2 / p_success`` per round.

    >>> s, cost = purified(BellDiagonal.werner(0.8), 1, "bbpssw")
    >>> round(s.fidelity, 4), round(cost, 3)
    (0.8382, 2.601)
    """
    if rounds < 0:
        raise ConfigError(f"'purification rounds' must be >= 0 (got {rounds})")
    try:
        step = PURIFICATION_METHODS[method]
    except KeyError:
        raise ConfigError(
            f"unknown purification {method!r} (known: {', '.join(PURIFICATION_METHODS)})"
        ) from None
    cost = 1.0
    for _ in range(rounds):
        result = step(state, state)
        state, cost = result.state, 2.0 * cost / result.success_probability
    return state, cost


@dataclass
class NetworkContext:
    """Modules on one backend, where ebits come from, and how long bits take to travel.

    Attributes:
        backend: The shared state backend.
        modules: One NoisyModule per network module, index = module number.
        ebit_state: The Bell-diagonal state of a fresh ebit between modules (a, b).
        latency_s: One-way classical latency between modules (a, b).
        purification_rounds / purification: Optional purification of every ebit before use.
        ebits_used: Raw ebits consumed so far (expected value when purifying).
    """

    backend: StateBackend
    modules: list[NoisyModule]
    ebit_state: Callable[[int, int], BellDiagonal]
    latency_s: Callable[[int, int], float]
    purification_rounds: int = 0
    purification: str = "dejmps"
    ebits_used: float = 0.0
    messages: int = field(default=0)

    def ebit(self, a: int, b: int, at_s: float | None = None) -> tuple[int, int]:
        """A fresh ebit: one communication ion on module ``a`` and one on ``b``, ready at ``at_s``."""
        state, cost = purified(self.ebit_state(a, b), self.purification_rounds, self.purification)
        t = at_s if at_s is not None else 0.0
        (qa,) = self.modules[a].allocate(1, COMMUNICATION, at_s=t)
        (qb,) = self.modules[b].allocate(1, COMMUNICATION, at_s=t)
        load_bell_diagonal(self.backend, state, qa, qb)
        self.ebits_used += cost
        return qa, qb

    def send(self, a: int, b: int, at_s: float) -> float:
        """Send a classical message from ``a`` at ``at_s``; return its arrival time at ``b``."""
        self.messages += 1
        return at_s + (self.latency_s(a, b) if a != b else 0.0)

    def measure_and_correct(
        self,
        module: int,
        qubit: int,
        corrections: Sequence[tuple[int, str, int]],
        basis: str = "Z",
    ) -> float:
        """Measure ``qubit`` of ``module`` in ``basis`` (Z or X), send the bit, correct, free the ion.

        ``corrections`` are ``(module, pauli, qubit)``: apply ``pauli`` to that qubit if the bit
        is 1, after the bit has arrived. Returns the time the last correction is applied.
        """
        mod = self.modules[module]
        if basis == "X":
            mod.gate("H", [qubit])
        elif basis != "Z":
            raise ConfigError(f"measurement basis must be 'Z' or 'X' (got {basis!r})")
        deferred = self.backend.is_exact
        recorded = isinstance(self.backend, StimRecorder)
        bit: int | None = None
        if deferred:
            mod.measurement_error(qubit)
        elif recorded:
            record = mod.measure_record(qubit)
        else:
            bit, _ = mod.measure(qubit)
        done = sent = mod.ready_s([qubit])
        for dest, pauli, target in corrections:
            arrival = self.send(module, dest, sent)
            self.modules[dest].idle_until(max(arrival, self.modules[dest].ready_s([target])), [target])
            done = max(done, arrival)
            if deferred:
                controlled = {"X": "CX", "Z": "CZ"}[pauli]
                self.backend.apply_gate(controlled, [qubit, target])
            elif recorded:
                self.backend.controlled_pauli(pauli, record, target)  # type: ignore[attr-defined]
            elif bit:
                self.backend.apply_gate(pauli, [target])
        mod.release(qubit)
        return done

    def finish(self, at_s: float | None = None) -> float:
        """Let every live qubit idle until ``at_s`` or the latest ready time, if later; return it."""
        t = max([at_s or 0.0, *(m.ready_s() for m in self.modules)])
        for m in self.modules:
            m.idle_until(t)
        return t


def load_bell_diagonal(backend: StateBackend, state: BellDiagonal, qa: int, qb: int) -> None:
    """Prepare ``Σ_P p_P (I⊗P)|Φ+><Φ+|(I⊗P)`` on fresh qubits ``qa``, ``qb`` (ideal preparation)."""
    backend.apply_gate("H", [qa])
    backend.apply_gate("CX", [qa, qb])
    backend.apply_pauli_channel([qb], {"X": state.p_x, "Y": state.p_y, "Z": state.p_z})


def ideal_context(
    backend: StateBackend,
    num_modules: int,
    ebit_fidelity: float = 1.0,
    module: ModuleSpec | None = None,
    link: LinkSpec | None = None,
) -> NetworkContext:
    """Werner ebits of ``ebit_fidelity`` and perfect local operations (durations still count)."""
    if not 0.25 <= ebit_fidelity <= 1.0:
        raise ConfigError(f"'ebit_fidelity' must be in [0.25, 1] (got {ebit_fidelity!r})")
    spec = module or ModuleSpec()
    spec = dataclasses.replace(spec, communication_ions=max(spec.communication_ions, 2 * num_modules))
    lk = link or LinkSpec()
    werner = BellDiagonal.werner(ebit_fidelity)
    latency = lk.fiber_length_m / speed_in_fiber_m_per_s(lk)
    return NetworkContext(
        backend=backend,
        modules=[NoisyModule(backend, spec, f"m{i}", noisy=False) for i in range(num_modules)],
        ebit_state=lambda a, b: werner,
        latency_s=lambda a, b: latency,
    )


def network_context(backend: StateBackend, network: NetworkSpec, noisy: bool = True) -> NetworkContext:
    """Ebits from each link's heralded state, noisy modules and latencies from ``network``.

    Classical bits take the fastest fibre path between two modules.
    Communication ions are raised to what the protocols need at once (one per ebit end held at
    the same time), an assumption the report states.
    """
    need = 2 * network.num_modules
    modules = [
        NoisyModule(
            backend,
            dataclasses.replace(spec, communication_ions=max(spec.communication_ions, need)),
            f"m{i}",
            noisy=noisy,
        )
        for i, spec in enumerate(network.modules)
    ]

    @functools.cache
    def state(a: int, b: int) -> BellDiagonal:
        return heralded_state(network.link_between(a, b), network.modules[a], network.modules[b])

    graph = network.graph()
    for _, _, data in graph.edges(data=True):
        data["latency_s"] = data["link"].fiber_length_m / speed_in_fiber_m_per_s(data["link"])

    @functools.cache
    def latency(a: int, b: int) -> float:
        return float(nx.shortest_path_length(graph, a, b, weight="latency_s"))

    return NetworkContext(backend=backend, modules=modules, ebit_state=state, latency_s=latency)


def uniform_network_context(
    backend: StateBackend, network: NetworkSpec, num_modules: int, noisy: bool = True
) -> NetworkContext:
    """``num_modules`` copies of ``network``'s first module joined all-to-all by its first link.

    The same context as ``network_context(backend, network.with_modules(num_modules))`` (every
    pair directly linked, so a bit takes one link's latency), without building the
    ``n(n - 1)/2`` links: a GHZ state over 1,000 modules needs only the ones it uses.
    """
    spec = network.modules[0]
    spec = dataclasses.replace(spec, communication_ions=max(spec.communication_ions, 2 * num_modules))
    link = network.link
    ebit = heralded_state(link, network.modules[0], network.modules[0])
    latency = link.fiber_length_m / speed_in_fiber_m_per_s(link)
    return NetworkContext(
        backend=backend,
        modules=[NoisyModule(backend, spec, f"m{i}", noisy=noisy) for i in range(num_modules)],
        ebit_state=lambda a, b: ebit,
        latency_s=lambda a, b: latency,
    )
