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
:mod:`ionnet.protocols.context`). On sampling backends it is the mean over ``shots`` trajectories
with a normal-approximation 95 % half-width ``1.96 s/√shots`` (``fidelity_ci95``).

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
from ionnet.protocols.context import NetworkContext, ideal_context, network_context
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
    fidelity_ci95: float | None
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
            out["fidelity_ci95"] = self.fidelity_ci95
        return out


# A shot returns (raw value, elapsed seconds); the raw value maps to the figure linearly.
Shot = Callable[[NetworkContext, int], tuple[float, float]]


def _bell_with_reference(backend: StateBackend, qubit: int) -> int:
    (ref,) = backend.allocate(1)
    backend.apply_gate("H", [ref])
    backend.apply_gate("CX", [ref, qubit])
    return ref


def _teleport_shot(ctx: NetworkContext, nodes: int) -> tuple[float, float]:
    (q,) = ctx.modules[0].allocate(1)
    ref = _bell_with_reference(ctx.backend, q)
    moved = teleport(ctx, 0, q, 1)
    ctx.finish(moved.done_s)
    return ctx.backend.fidelity(BELL, [ref, moved.qubit]), moved.done_s


def _gate_shot(gate: str) -> Shot:
    u = gate_unitary(gate)
    choi = np.kron(BELL, BELL).reshape(2, 2, 2, 2)  # qubits (r1, c, r2, t)
    state = np.einsum("klct,xcyt->xkyl", u.reshape(2, 2, 2, 2), choi).reshape(-1)
    remote = remote_cnot if gate == "CX" else remote_cz

    def shot(ctx: NetworkContext, nodes: int) -> tuple[float, float]:
        (c,) = ctx.modules[0].allocate(1)
        (t,) = ctx.modules[1].allocate(1)
        r1 = _bell_with_reference(ctx.backend, c)
        r2 = _bell_with_reference(ctx.backend, t)
        done = remote(ctx, 0, c, 1, t)
        ctx.finish(done)
        return ctx.backend.fidelity(state, [r1, c, r2, t]), done

    return shot


def _swap_shot(ctx: NetworkContext, nodes: int) -> tuple[float, float]:
    pair = swap_chain(ctx, list(range(nodes)))
    ctx.finish(pair.done_s)
    return ctx.backend.fidelity(BELL, [pair.first, pair.last]), pair.done_s


def _ghz_shot(ctx: NetworkContext, nodes: int) -> tuple[float, float]:
    ghz = ghz_star(ctx, list(range(nodes)))
    ctx.finish(ghz.done_s)
    return ctx.backend.stabilizer_fidelity(ghz.stabilizers(), list(ghz.qubits)), ghz.done_s


# protocol -> (shot, slope, offset): figure = slope * raw + offset
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
    net = network if network.num_modules == nodes else network.with_modules(nodes)
    return lambda b: network_context(b, net)


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

    Raises:
        ConfigError: Unknown protocol or backend, too few nodes, fidelity outside [1/4, 1].
    """
    n = nodes if nodes is not None else (3 if protocol in ("swap", "ghz") else 2)
    _check(protocol, backend, n, shots, ebit_fidelity)
    if network is not None and ebit_fidelity is not None:
        raise ConfigError("give either 'ebit_fidelity' or 'network', not both")
    make_context = _context_factory(n, ebit_fidelity, network)
    shot, slope, offset = SHOTS[protocol]
    rng = stream(seed, "protocol", protocol, backend)
    runs = 1 if BACKENDS[backend].is_exact else shots
    values, elapsed, ebits = np.empty(runs), 0.0, 0.0
    for i in range(runs):
        ctx = make_context(make_backend(backend, rng))
        ctx.purification_rounds = purification_rounds
        values[i], elapsed = shot(ctx, n)
        ebits = ctx.ebits_used
    ci = None
    if runs > 1 or not BACKENDS[backend].is_exact:
        ci = 1.96 * slope * float(np.std(values, ddof=1) if runs > 1 else 0.0) / math.sqrt(runs)
    return ProtocolReport(
        protocol=protocol,
        backend=backend,
        nodes=n,
        fidelity=float(slope * values.mean() + offset),
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
