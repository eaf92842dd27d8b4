"""The protocol calculator behind ``ionnet protocol``: fidelity, ebits and time of one protocol.

Figures of merit:

* ``teleport``: average fidelity over input states. Computed from the entanglement fidelity
  ``F_e`` of the channel (teleport half of ``|Φ+>`` with a noiseless reference qubit) by
  ``F_avg = (d F_e + 1)/(d + 1)``, d = 2 (Horodecki, Horodecki & Horodecki, PRA 60, 1888 (1999));
  equal to the average over the six Pauli eigenstates, a 2-design.
* ``cnot``/``cz``: average gate fidelity of the implemented two-qubit channel against the ideal
  gate, from the Choi state (each input qubit maximally entangled with a reference; the
  Choi-Jamiołkowski form of process tomography): ``F_avg = (4 F_pro + 1)/5``.
* ``swap``: fidelity of the end-to-end pair of an N-module chain to ``|Φ+>``.
* ``ghz``: fidelity to the N-qubit GHZ state, one qubit per module.

On the density-matrix backend the value is exact (measurements are deferred, see
:mod:`ionnet.protocols.context`). On the statevector backend it is the mean over ``shots``
trajectories, with the normal-approximation 95 % interval ``mean ± 1.96 s/√shots``
(``fidelity_ci95 = (low, high)``). On the stabilizer backend the protocol is written once as a
stim circuit and all shots are sampled in one batch (:mod:`ionnet.protocols.stim_batch`): the
fidelity is the share of shots in which every stabilizer of the target state holds, with its
Wilson score interval.

>>> r = run_protocol("teleport", backend="density", ebit_fidelity=0.9)
>>> round(r.fidelity, 12), r.ebits, r.fidelity_ci95
(0.933333333333, 1, None)
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ionnet.errors import ConfigError
from ionnet.hardware.network import NetworkSpec
from ionnet.protocols.chain import ghz_star, swap_chain
from ionnet.protocols.context import (
    NetworkContext,
    ideal_context,
    network_context,
    uniform_network_context,
)
from ionnet.protocols.stim_batch import StimRecorder, stabilizer_generators
from ionnet.protocols.teleport import remote_cnot, remote_cz, teleport
from ionnet.seeding import stream
from ionnet.states import BACKENDS, make_backend
from ionnet.states.backend import StateBackend
from ionnet.states.gates import gate_unitary

PROTOCOLS = ("teleport", "cnot", "cz", "swap", "ghz")
MIN_NODES = {"teleport": 2, "cnot": 2, "cz": 2, "swap": 3, "ghz": 2}
BELL = np.array([1, 0, 0, 1], dtype=complex) / math.sqrt(2)


@dataclass(frozen=True)
class ProtocolReport:
    """Result of :func:`run_protocol` (see the module docstring for each ``fidelity``)."""

    protocol: str
    backend: str
    nodes: int
    fidelity: float
    fidelity_ci95: tuple[float, float] | None
    ebits: float
    elapsed_s: float
    shots: int
    ebit_fidelity: float | None
    purification_rounds: int

    def as_dict(self) -> dict[str, object]:
        """The ``--json`` object."""
        out: dict[str, object] = {
            "protocol": self.protocol,
            "fidelity": self.fidelity,
            "ebits": self.ebits,
            "backend": self.backend,
            "nodes": self.nodes,
            "elapsed_s": self.elapsed_s,
            "shots": self.shots,
            "ebit_fidelity": self.ebit_fidelity,
            "purification_rounds": self.purification_rounds,
        }
        if self.fidelity_ci95 is not None:
            out["fidelity_ci95"] = list(self.fidelity_ci95)
        return out


@dataclass(frozen=True)
class Target:
    """What a shot is scored against: a pure state on ``qubits`` (amplitudes or generators)."""

    qubits: tuple[int, ...]
    statevector: np.ndarray | None = None
    stabilizers: tuple[str, ...] = ()

    def generators(self) -> list[str]:
        """The stabilizer generators of the target state."""
        if self.stabilizers:
            return list(self.stabilizers)
        assert self.statevector is not None
        return stabilizer_generators(self.statevector)

    def fidelity(self, backend: StateBackend) -> float:
        """The fidelity of ``backend``'s state (one trajectory, or exact) to the target."""
        if self.statevector is not None:
            return backend.fidelity(self.statevector, list(self.qubits))
        return backend.stabilizer_fidelity(list(self.stabilizers), list(self.qubits))


# A shot writes the protocol on a context and returns (target, elapsed seconds); the fidelity to
# the target maps to the figure of merit linearly.
Shot = Callable[[NetworkContext, int], tuple[Target, float]]


def _bell_with_reference(backend: StateBackend, qubit: int) -> int:
    (ref,) = backend.allocate(1)
    backend.apply_gate("H", [ref])
    backend.apply_gate("CX", [ref, qubit])
    return ref


def _teleport_shot(ctx: NetworkContext, nodes: int) -> tuple[Target, float]:
    (q,) = ctx.modules[0].allocate(1)
    ref = _bell_with_reference(ctx.backend, q)
    moved = teleport(ctx, 0, q, 1)
    ctx.finish(moved.done_s)
    return Target((ref, moved.qubit), statevector=BELL), moved.done_s


def _gate_shot(gate: str) -> Shot:
    u = gate_unitary(gate)
    choi = np.kron(BELL, BELL).reshape(2, 2, 2, 2)  # qubits (r1, c, r2, t)
    state = np.einsum("klct,xcyt->xkyl", u.reshape(2, 2, 2, 2), choi).reshape(-1)
    remote = remote_cnot if gate == "CX" else remote_cz

    def shot(ctx: NetworkContext, nodes: int) -> tuple[Target, float]:
        (c,) = ctx.modules[0].allocate(1)
        (t,) = ctx.modules[1].allocate(1)
        r1 = _bell_with_reference(ctx.backend, c)
        r2 = _bell_with_reference(ctx.backend, t)
        done = remote(ctx, 0, c, 1, t)
        ctx.finish(done)
        return Target((r1, c, r2, t), statevector=state), done

    return shot


def _swap_shot(ctx: NetworkContext, nodes: int) -> tuple[Target, float]:
    pair = swap_chain(ctx, list(range(nodes)))
    ctx.finish(pair.done_s)
    return Target((pair.first, pair.last), statevector=BELL), pair.done_s


def _ghz_shot(ctx: NetworkContext, nodes: int) -> tuple[Target, float]:
    ghz = ghz_star(ctx, list(range(nodes)))
    ctx.finish(ghz.done_s)
    return Target(ghz.qubits, stabilizers=tuple(ghz.stabilizers())), ghz.done_s


# protocol -> (shot, slope, offset): figure = slope * fidelity + offset
SHOTS: dict[str, tuple[Shot, float, float]] = {
    "teleport": (_teleport_shot, 2 / 3, 1 / 3),
    "cnot": (_gate_shot("CX"), 4 / 5, 1 / 5),
    "cz": (_gate_shot("CZ"), 4 / 5, 1 / 5),
    "swap": (_swap_shot, 1.0, 0.0),
    "ghz": (_ghz_shot, 1.0, 0.0),
}


def _check(protocol: str, backend: str, nodes: int, shots: int, ebit_fidelity: float | None) -> None:
    if protocol not in PROTOCOLS:
        raise ConfigError(f"unknown protocol {protocol!r} (known: {', '.join(PROTOCOLS)})")
    if backend not in BACKENDS:
        raise ConfigError(f"unknown backend {backend!r} (known: {', '.join(BACKENDS)})")
    if nodes < MIN_NODES[protocol]:
        raise ConfigError(f"'nodes' for {protocol} must be >= {MIN_NODES[protocol]} (got {nodes})")
    if shots < 1:
        raise ConfigError(f"'shots' must be >= 1 (got {shots})")
    if ebit_fidelity is not None and not 0.25 <= ebit_fidelity <= 1.0:
        raise ConfigError(f"'ebit_fidelity' must be in [0.25, 1] (got {ebit_fidelity!r})")
    limit = BACKENDS[backend].default_max_qubits
    if qubits_needed(protocol, nodes) > limit:
        raise ConfigError(
            f"{protocol} on {nodes} nodes needs {qubits_needed(protocol, nodes)} qubits; the {backend} "
            f"backend holds at most {limit} (use the statevector or stabilizer backend)"
        )


def _context_factory(
    nodes: int, ebit_fidelity: float | None, network: NetworkSpec | None
) -> Callable[[StateBackend], NetworkContext]:
    if network is None:
        f = 1.0 if ebit_fidelity is None else ebit_fidelity
        return lambda b: ideal_context(b, nodes, f)
    if network.num_modules == nodes:
        return lambda b: network_context(b, network)
    # as network.with_modules(nodes) (all-to-all copies of the first module and link), without
    # building its nodes·(nodes - 1)/2 links
    return lambda b: uniform_network_context(b, network, nodes)


def wilson_interval(hits: int, shots: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval of a binomial proportion (Wilson, JASA 22, 209 (1927)).

    >>> [round(x, 4) for x in wilson_interval(100, 100)]
    [0.963, 1.0]
    """
    p = hits / shots
    denom = 1.0 + z * z / shots
    centre = (p + z * z / (2 * shots)) / denom
    half = z / denom * math.sqrt(p * (1.0 - p) / shots + z * z / (4 * shots * shots))
    return max(0.0, centre - half), min(1.0, centre + half)


def _sample_batch(
    make_context: Callable[[StateBackend], NetworkContext],
    shot: Shot,
    nodes: int,
    shots: int,
    rng: np.random.Generator,
    purification_rounds: int,
) -> tuple[float, tuple[float, float], float, float]:
    """Write the protocol once as a stim circuit and sample every shot in one batch."""
    recorder = StimRecorder(rng)
    ctx = make_context(recorder)
    ctx.purification_rounds = purification_rounds
    target, elapsed = shot(ctx, nodes)
    hits, _ = recorder.sample_stabilizers(target.generators(), target.qubits, shots, int(rng.integers(2**62)))
    return hits / shots, wilson_interval(hits, shots), elapsed, ctx.ebits_used


def _sample_per_shot(
    make_context: Callable[[StateBackend], NetworkContext],
    shot: Shot,
    nodes: int,
    backend: str,
    runs: int,
    rng: np.random.Generator,
    purification_rounds: int,
) -> tuple[float, tuple[float, float] | None, float, float]:
    """Every shot from the start on its own backend (one run on an exact backend)."""
    values, elapsed, ebits = np.empty(runs), 0.0, 0.0
    for i in range(runs):
        ctx = make_context(make_backend(backend, rng))
        ctx.purification_rounds = purification_rounds
        target, elapsed = shot(ctx, nodes)
        values[i] = target.fidelity(ctx.backend)
        ebits = ctx.ebits_used
    mean = float(values.mean())
    if BACKENDS[backend].is_exact:
        return mean, None, elapsed, ebits
    half = 1.96 * float(np.std(values, ddof=1) if runs > 1 else 0.0) / math.sqrt(runs)
    return mean, (max(0.0, mean - half), min(1.0, mean + half)), elapsed, ebits


def run_protocol(
    protocol: str,
    *,
    backend: str = "density",
    ebit_fidelity: float | None = None,
    network: NetworkSpec | None = None,
    nodes: int | None = None,
    shots: int = 1000,
    seed: int = 0,
    purification_rounds: int = 0,
    batch: bool | None = None,
) -> ProtocolReport:
    """Run ``protocol`` and report its figure of merit, ebits and elapsed time.

    Args:
        protocol: One of PROTOCOLS.
        backend: ``density`` (exact), ``statevector`` or ``stabilizer`` (sampled, ``shots`` times).
        ebit_fidelity: Werner ebits of this fidelity and perfect local operations (default 1).
        network: Ebits, local noise and latencies from this network instead.
        nodes: Modules in the chain (swap) or GHZ (ghz); 2 for the others.
        shots: Trajectories on sampling backends (ignored by the exact backend).
        seed: Root seed.
        purification_rounds: Rounds of DEJMPS purification applied to every ebit.
        batch: On the stabilizer backend, sample all shots of one stim circuit at once (default,
            :mod:`ionnet.protocols.stim_batch`) or, with False, run every shot on its own
            tableau simulator (the reference the batch path is tested against).

    Raises:
        ConfigError: Unknown protocol or backend, too few nodes, fidelity outside [1/4, 1],
            ``batch`` on a backend other than stabilizer.
    """
    n = nodes if nodes is not None else (3 if protocol in ("swap", "ghz") else 2)
    _check(protocol, backend, n, shots, ebit_fidelity)
    if network is not None and ebit_fidelity is not None:
        raise ConfigError("give either 'ebit_fidelity' or 'network', not both")
    if batch and backend != "stabilizer":
        raise ConfigError(f"'batch' sampling needs the stabilizer backend (got {backend!r})")
    make_context = _context_factory(n, ebit_fidelity, network)
    shot, slope, offset = SHOTS[protocol]
    rng = stream(seed, "protocol", protocol, backend)
    raw_ci: tuple[float, float] | None
    if backend == "stabilizer" and batch is not False:
        runs = shots
        mean, raw_ci, elapsed, ebits = _sample_batch(make_context, shot, n, shots, rng, purification_rounds)
    else:
        runs = 1 if BACKENDS[backend].is_exact else shots
        mean, raw_ci, elapsed, ebits = _sample_per_shot(
            make_context, shot, n, backend, runs, rng, purification_rounds
        )
    ci = None if raw_ci is None else (slope * raw_ci[0] + offset, slope * raw_ci[1] + offset)
    return ProtocolReport(
        protocol=protocol,
        backend=backend,
        nodes=n,
        fidelity=float(slope * mean + offset),
        fidelity_ci95=ci,
        ebits=int(ebits) if float(ebits).is_integer() else ebits,
        elapsed_s=elapsed,
        shots=runs,
        ebit_fidelity=ebit_fidelity if network is None else None,
        purification_rounds=purification_rounds,
    )


def qubits_needed(protocol: str, nodes: int) -> int:
    """Live qubits a protocol's shot holds at once (references and ebit halves included)."""
    return {"teleport": 4, "cnot": 6, "cz": 6, "swap": 2 * (nodes - 1), "ghz": nodes + 2}[protocol]
