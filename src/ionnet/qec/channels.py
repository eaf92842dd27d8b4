"""Pauli channels of the interface: the teleported CX, idling, gate depolarizing.

A two-qubit Pauli channel is a 4 x 4 array ``P[a, b]`` of probabilities of the Pauli a on the
first qubit and b on the second (index order I, X, Y, Z, as ``ionnet.hardware.bell``); its 15
off-identity entries in row-major order are exactly the arguments of stim's
``PAULI_CHANNEL_2`` (IX, IY, IZ, XI, ..., ZZ).

The teleported CX (Eisert, Jacobs, Papadopoulos and Plenio, PRA 62, 052317 (2000); Gottesman
and Chuang, Nature 402, 390 (1999)) between control c on module A and target t on module B
uses an ebit (e_A, e_B): CX c→e_A, measure e_A in Z, X on e_B if 1, CX e_B→t, measure e_B in X,
Z on c if 1 (Pauli corrections as a Pauli frame). Each fault ends as a Pauli on (c, t) after
an ideal CX [D]:

* the ebit's Bell-diagonal error (I⊗P)|Φ+>: its X part becomes X on t, its Z part Z on c;
* an error after CX c→e_A: its part on c stays on c; an X on e_A flips the Z measurement and
  so the X correction, an X on t; a flip of that measurement is the same X on t;
* an error after CX e_B→t: its part on t stays on t; a Z on e_B flips the X measurement and
  so the Z correction, a Z on c; a flip of that measurement is the same Z on c.

>>> ch = teleported_cx_channel((1.0, 0.0, 0.0, 0.0), 0.0, 0.0, 0.0, 0.0)
>>> float(ch[0, 0])
1.0
>>> ch = teleported_cx_channel((0.9, 0.1, 0.0, 0.0), 0.0, 0.0, 0.0, 0.0)
>>> round(float(ch[0, 1]), 12)   # an ebit X error is an X on the target
0.1
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from ionnet.hardware import link_physics
from ionnet.hardware.bell import PRODUCT_TABLE

I, X, Y, Z = 0, 1, 2, 3  # noqa: E741 (the Pauli names)
_X_BIT = (0, 1, 1, 0)
_Z_BIT = (0, 0, 1, 1)


def identity2() -> np.ndarray:
    """The noiseless two-qubit channel."""
    out = np.zeros((4, 4))
    out[0, 0] = 1.0
    return out


def depolarize2(p: float) -> np.ndarray:
    """stim's DEPOLARIZE2(p): each of the 15 non-identity Paulis with probability p/15."""
    out = np.full((4, 4), p / 15.0)
    out[0, 0] = 1.0 - p
    return out


def compose2(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Two independent two-qubit Pauli channels, one after the other (Klein-group convolution)."""
    out = np.zeros((4, 4))
    for p, q in np.ndindex(4, 4):
        if a[p, q] == 0.0:
            continue
        for r, s in np.ndindex(4, 4):
            if b[r, s] != 0.0:
                out[PRODUCT_TABLE[p][r], PRODUCT_TABLE[q][s]] += a[p, q] * b[r, s]
    return out


def _mapped(pairs: Sequence[tuple[float, int, int]]) -> np.ndarray:
    out = np.zeros((4, 4))
    for prob, c, t in pairs:
        out[c, t] += prob
    return out


def _flip(prob: float, c: int, t: int) -> np.ndarray:
    return _mapped([(1.0 - prob, I, I), (prob, c, t)])


def ebit_channel(bell: Sequence[float]) -> np.ndarray:
    """The ebit's Bell-diagonal error (p_I, p_X, p_Y, p_Z) as a channel on (control, target)."""
    return _mapped([(bell[k], Z if _Z_BIT[k] else I, X if _X_BIT[k] else I) for k in range(4)])


def teleported_cx_channel(
    bell: Sequence[float], p2_a: float, p2_b: float, p_meas_a: float, p_meas_b: float
) -> np.ndarray:
    """The Pauli channel of a teleported CX, after an ideal CX on (control, target) [D].

    Args:
        bell: The consumed ebit's (p_I, p_X, p_Y, p_Z) at the time of use.
        p2_a, p2_b: DEPOLARIZE2 strength of the local CX on the control's / target's module.
        p_meas_a, p_meas_b: Flip probability of the communication-ion measurements.
    """
    first = depolarize2(p2_a)  # on (c, e_A): c keeps its Pauli, X on e_A -> X on t
    after_a = _mapped([(first[c, e], c, X if _X_BIT[e] else I) for c in range(4) for e in range(4)])
    second = depolarize2(p2_b)  # on (e_B, t): Z on e_B -> Z on c, t keeps its Pauli
    after_b = _mapped([(second[e, t], Z if _Z_BIT[e] else I, t) for e in range(4) for t in range(4)])
    out = compose2(ebit_channel(bell), after_a)
    out = compose2(out, _flip(p_meas_a, I, X))
    out = compose2(out, after_b)
    return compose2(out, _flip(p_meas_b, Z, I))


def stim_args2(channel: np.ndarray) -> list[float]:
    """The 15 PAULI_CHANNEL_2 arguments of a channel (round-off below 0 clipped)."""
    return [max(0.0, float(v)) for v in channel.reshape(-1)[1:]]


def idle_channel(
    t_s: float, t1_s: float, t2_s: float, envelope: str = "exponential"
) -> tuple[float, float, float]:
    """(p_X, p_Y, p_Z) of a qubit idling t seconds: the Pauli twirl of T1 and T2 decay.

    p_X = p_Y = (1 - e^(-t/T1))/4 and p_Z = (1 - C(t))/2 - p_X with C the coherence envelope
    (Ghosh, Fowler and Geller, PRA 86, 062318 (2012), Eq. 7; Sarvepalli, Klappenecker and
    Rötteler, Proc. R. Soc. A 465, 1645 (2009)), p_Z clipped at 0 when T2 > 2·T1.

    >>> [round(v, 6) for v in idle_channel(0.01, 10.0, 1.0)]
    [0.00025, 0.00025, 0.004725]
    """
    if t_s <= 0.0:
        return (0.0, 0.0, 0.0)
    pxy = 0.25 * (1.0 - math.exp(-t_s / t1_s))
    pz = max(0.0, 0.5 * (1.0 - link_physics.coherence(t_s, t2_s, envelope)) - pxy)
    return (pxy, pxy, pz)


def gate_depolarizing(fidelity: float, qubits: int) -> float:
    """Total Pauli probability of a depolarizing gate of this average fidelity: (D+1)(1-F)/D.

    D = 2^n; the convention of ionnet's runtime (docs/architecture.md, "Gate errors").

    >>> round(gate_depolarizing(0.996, 2), 6)
    0.005
    """
    dim = 2**qubits
    return (dim + 1) * (1.0 - fidelity) / dim
