"""Protocols layer: a module in operation and the network protocols built on ebits.

Imports ``link``, ``states`` and ``hardware`` (see docs/architecture.md).

* :mod:`~ionnet.protocols.native_gates`: the native gate table (duration, error model, unitary).
* :mod:`~ionnet.protocols.module`: :class:`NoisyModule`, a module's ions on a state backend with
  gate noise, idle decoherence, SPAM, swap to memory and crosstalk.
* :mod:`~ionnet.protocols.context`: :class:`NetworkContext` (ebits, classical latency, feed-forward).
* :mod:`~ionnet.protocols.teleport`, :mod:`~ionnet.protocols.chain`: teleportation, teleported
  gates, entanglement swapping, GHZ.
* :mod:`~ionnet.protocols.calculator`: :func:`run_protocol`, behind ``ionnet protocol``.
* :mod:`~ionnet.protocols.batch`: the teleported CNOT as one stim circuit for batch sampling.
* :mod:`~ionnet.protocols.stim_batch`: :class:`StimRecorder`, any protocol written once as a stim
  circuit, all shots sampled in one batch (the calculator's stabilizer path).
"""

from ionnet.protocols.calculator import PROTOCOLS, ProtocolReport, run_protocol
from ionnet.protocols.chain import GHZ, EndToEnd, ghz_star, swap_chain
from ionnet.protocols.context import (
    NetworkContext,
    ideal_context,
    load_bell_diagonal,
    network_context,
    purified,
)
from ionnet.protocols.module import COMMUNICATION, MEMORY, NoisyModule
from ionnet.protocols.native_gates import NATIVE_GATES, NativeGate, depolarizing_probability, gate_cost
from ionnet.protocols.teleport import (
    CatLink,
    Teleported,
    cat_disentangle,
    cat_entangle,
    remote_cnot,
    remote_controlled,
    remote_cz,
    teleport,
)

__all__ = [
    "COMMUNICATION",
    "GHZ",
    "MEMORY",
    "NATIVE_GATES",
    "PROTOCOLS",
    "CatLink",
    "EndToEnd",
    "NativeGate",
    "NetworkContext",
    "NoisyModule",
    "ProtocolReport",
    "Teleported",
    "cat_disentangle",
    "cat_entangle",
    "depolarizing_probability",
    "gate_cost",
    "ghz_star",
    "ideal_context",
    "load_bell_diagonal",
    "network_context",
    "purified",
    "remote_cnot",
    "remote_controlled",
    "remote_cz",
    "run_protocol",
    "swap_chain",
    "teleport",
]
