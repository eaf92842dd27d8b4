"""The runtime's noise model: what each operation, idle gap and ebit does to the qubits.

Every channel is a Pauli channel, so the same model drives the stabilizer (stim) path, the
trajectory fast path and the per-shot backend path:

* gate errors: depolarizing after each physical gate, with total error probability
  p = (1 - F)(d + 1)/d from the average gate fidelity F on d = 2^n dimensions (Nielsen,
  Phys. Lett. A 303, 249 (2002): F_avg = 1 - p d/(d + 1) for the depolarizing channel
  ρ -> (1 - p)ρ + p/(d² - 1) Σ_{P≠I} PρP);
* Rz-type gates (Z, S, T, RZ and their inverses) are virtual: zero duration, no error
  (IonQ's frame updates; see ModuleSpec);
* idle decoherence for exactly the time a qubit waits: the Pauli twirl of amplitude and phase
  damping, p_x = p_y = (1 - e^{-t/T1})/4, p_z = (1 - C(t))/2 - (1 - e^{-t/T1})/4 with C the
  coherence envelope (Ghosh, Fowler, Geller, PRA 86, 062318 (2012), eq. 11);
* readout: the recorded bit flips with the module's SPAM error;
* ebits: the Bell-diagonal heralded state of the link physics, applied as a Pauli channel on
  the second half of |Φ+>; it then idles like any qubit until it is used.

``ideal=True`` turns every error off (durations are unchanged).

>>> from ionnet.hardware import ModuleSpec
>>> m = ModuleNoise.from_module(ModuleSpec())
>>> round(m.two_qubit_error, 6), round(m.single_qubit_error, 6)
(0.005, 0.00075)
>>> round(sum(m.idle_channel("q", 0.0)), 12)
0.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ionnet.hardware import link_physics
from ionnet.hardware.bell import BellDiagonal
from ionnet.hardware.module import ModuleSpec
from ionnet.hardware.network import NetworkSpec
from ionnet.protocols.native_gates import depolarizing_probability, gate_cost

VIRTUAL_GATES = frozenset({"I", "Z", "S", "SDG", "T", "TDG", "RZ"})
"""Gates implemented as frame updates: no time, no error."""


def idle_pauli(t_s: float, t1_s: float, t2_s: float, envelope: str) -> tuple[float, float, float]:
    """(p_x, p_y, p_z) of a qubit idling for ``t_s`` (Pauli-twirled T1/T2 decay).

    >>> [round(p, 6) for p in idle_pauli(0.01, 10.0, 1.0, "exponential")]
    [0.00025, 0.00025, 0.004725]
    """
    if t_s <= 0.0:
        return (0.0, 0.0, 0.0)
    decay = 1.0 - math.exp(-t_s / t1_s)
    p_xy = decay / 4.0
    p_z = max(0.0, link_physics.dephasing_probability(t_s, t2_s, envelope) - p_xy)
    return (p_xy, p_xy, p_z)


@dataclass(frozen=True)
class ModuleNoise:
    """Error probabilities of one module (all zero when ideal).

    Attributes:
        module: The module's parameters (durations, T1/T2, envelope).
        single_qubit_error / two_qubit_error / swap_error: depolarizing probabilities.
        readout_flip: Probability that a measured bit is recorded flipped.
        ideal: True when every error is off.
    """

    module: ModuleSpec
    single_qubit_error: float
    two_qubit_error: float
    swap_error: float
    readout_flip: float
    ideal: bool = False

    @classmethod
    def from_module(cls, module: ModuleSpec, ideal: bool = False) -> ModuleNoise:
        """The noise of ``module`` (or none when ``ideal``)."""
        if ideal:
            return cls(module, 0.0, 0.0, 0.0, 0.0, True)
        return cls(
            module,
            depolarizing_probability(module.single_qubit_gate_fidelity, 1),
            depolarizing_probability(module.two_qubit_gate_fidelity, 2),
            depolarizing_probability(module.swap_fidelity, 2),
            module.spam_error,
        )

    def idle_channel(self, kind: str, t_s: float) -> tuple[float, float, float]:
        """Pauli channel of a data (``kind='q'``) or communication (``'c'``) ion idling t_s."""
        if self.ideal:
            return (0.0, 0.0, 0.0)
        m = self.module
        t1, t2 = (
            (m.memory_t1_s, m.memory_t2_s) if kind == "q" else (m.communication_t1_s, m.communication_t2_s)
        )
        return idle_pauli(t_s, t1, t2, m.coherence_envelope)

    def gate(self, name: str, kinds: tuple[str, ...]) -> tuple[float, float]:
        """(duration_s, depolarizing probability) of gate ``name`` on qubits of these kinds.

        Durations and errors follow the native gate table of
        :func:`ionnet.protocols.native_gates.gate_cost` (n native gates: n durations, error
        1 - (1 - p)^n); SWAP between a communication ion and a memory ion is the module's swap.
        """
        m = self.module
        if name == "SWAP" and "c" in kinds:
            return m.swap_time_s, self.swap_error
        native, count = gate_cost("SX" if name == "SXDG" else name)
        p = 0.0 if self.ideal else native.error_probability(m)
        return native.duration_s(m) * count, 1.0 - (1.0 - p) ** count


@dataclass(frozen=True)
class NoiseModel:
    """Noise of every module and the heralded state of every link of a network."""

    modules: tuple[ModuleNoise, ...]
    ebit_states: dict[tuple[int, int], BellDiagonal]
    ideal: bool

    @classmethod
    def from_network(cls, network: NetworkSpec, ideal: bool = False) -> NoiseModel:
        """Build from the network's module and link specs (ideal: every error off)."""
        modules = tuple(ModuleNoise.from_module(m, ideal) for m in network.modules)
        states = {}
        for (a, b), link in zip(network.edges, network.links, strict=True):
            states[(a, b)] = (
                BellDiagonal.perfect()
                if ideal
                else link_physics.heralded_state(link, network.modules[a], network.modules[b])
            )
        return cls(modules, states, ideal)

    def ebit_state(self, a: int, b: int) -> BellDiagonal:
        """The heralded state of the link between modules a and b."""
        return self.ebit_states[(min(a, b), max(a, b))]
