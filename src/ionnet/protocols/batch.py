"""Batch sampling of the teleported CNOT as one stim circuit (many shots per call, no Python loop).

:func:`teleported_cnot_circuit` writes the same operations as
:func:`ionnet.protocols.teleport.remote_cnot` on a :class:`~ionnet.protocols.module.NoisyModule`
(without idle decoherence) as a ``stim.Circuit``: the ebit's Bell-diagonal state as a
``PAULI_CHANNEL_1`` on its second half, ``DEPOLARIZE1/2`` after each local gate with the native
gate table's probabilities, measurement SPAM as ``M(p)``, and the feed-forward corrections as
classically controlled Paulis (``CX rec[-1] b``). The inputs are each half of a Bell pair with a
noiseless reference; after the protocol the ideal Choi-state preparation is undone, so a shot
returns all-zero reference outcomes with probability ``F_pro``, the process fidelity, and
``F_avg = (4 F_pro + 1)/5`` (Horodecki et al. 1999).

>>> from ionnet.hardware import ModuleSpec
>>> from ionnet.hardware.bell import BellDiagonal
>>> from ionnet.seeding import stream
>>> est = sample_teleported_cnot(BellDiagonal.perfect(), ModuleSpec(), shots=1000, seed=1, noisy=False)
>>> est.average_gate_fidelity, est.ci95
(1.0, 0.0)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import stim

from ionnet.hardware.bell import BellDiagonal
from ionnet.hardware.module import ModuleSpec
from ionnet.protocols.native_gates import NATIVE_GATES, gate_cost

# qubit roles in the circuit
R1, C, R2, T, A, B = range(6)


def teleported_cnot_circuit(ebit: BellDiagonal, module: ModuleSpec, noisy: bool = True) -> stim.Circuit:
    """One shot of the teleported CNOT (control ``C`` on module 0, target ``T`` on module 1)."""
    p1 = gate_cost("H")[0].error_probability(module) if noisy else 0.0
    p2 = NATIVE_GATES["MS"].error_probability(module) if noisy else 0.0
    spam = module.spam_error if noisy else 0.0
    c = stim.Circuit()
    c.append("R", range(6))
    c.append("H", [R1, R2])
    c.append("CX", [R1, C, R2, T])  # Choi state: each input maximally entangled with a reference
    c.append("H", [A])
    c.append("CX", [A, B])
    c.append("PAULI_CHANNEL_1", [B], [ebit.p_x, ebit.p_y, ebit.p_z])
    c.append("CX", [C, A])  # cat-entangler on module 0
    c.append("DEPOLARIZE2", [C, A], p2)
    c.append("M", [A], spam)
    c.append("CX", [stim.target_rec(-1), B])  # X correction on module 1 (Pauli frame)
    c.append("CX", [B, T])  # the local CNOT on module 1
    c.append("DEPOLARIZE2", [B, T], p2)
    c.append("H", [B])  # cat-disentangler: X-basis measurement
    c.append("DEPOLARIZE1", [B], p1)
    c.append("M", [B], spam)
    c.append("CZ", [stim.target_rec(-1), C])  # Z correction on module 0
    c.append("CX", [C, T])  # undo the ideal gate and the Choi preparation
    c.append("CX", [R1, C, R2, T])
    c.append("H", [R1, R2])
    c.append("M", [R1, C, R2, T])
    return c


@dataclass(frozen=True)
class FidelityEstimate:
    """A sampled average gate fidelity and its normal-approximation 95 % half-width."""

    average_gate_fidelity: float
    ci95: float
    shots: int


def sample_teleported_cnot(
    ebit: BellDiagonal, module: ModuleSpec, shots: int, seed: int, noisy: bool = True
) -> FidelityEstimate:
    """Sample :func:`teleported_cnot_circuit` ``shots`` times in one batch."""
    sampler = teleported_cnot_circuit(ebit, module, noisy).compile_sampler(seed=seed)
    outcomes = sampler.sample(shots)[:, -4:]
    success = ~outcomes.any(axis=1)
    f_pro = float(success.mean())
    half = 1.96 * math.sqrt(f_pro * (1 - f_pro) / shots)
    return FidelityEstimate(float(np.float64((4 * f_pro + 1) / 5)), 4 / 5 * half, shots)
