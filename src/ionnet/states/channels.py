"""Noise channels: Pauli channels (a dict of Pauli string -> probability) and Kraus channels.

Formulas (Nielsen & Chuang, *Quantum Computation and Quantum Information*, §8.3):

* dephasing with Z probability ``p``: ``K0 = √(1-p) I``, ``K1 = √p Z``;
* amplitude damping with decay probability ``γ``: ``K0 = [[1, 0], [0, √(1-γ)]]``,
  ``K1 = [[0, √γ], [0, 0]]``;
* depolarizing on ``n`` qubits with total error probability ``p``: each of the ``4^n - 1``
  non-identity Pauli strings with probability ``p / (4^n - 1)`` (stim's ``DEPOLARIZE1/2``).

The Pauli twirl of a channel with Kraus operators ``K_k`` keeps only its Pauli-diagonal part:
``p_P = Σ_k |tr(P K_k)|² / d²`` (Dür, Hein, Cirac, Briegel, PRA 72, 052326 (2005)); the
stabilizer backend uses it for non-Pauli channels.

>>> depolarizing(0.75, 1)
{'X': 0.25, 'Y': 0.25, 'Z': 0.25}
>>> tw = pauli_twirl(amplitude_damping_kraus(0.36))
>>> {k: round(v, 4) for k, v in tw.items()}
{'I': 0.81, 'X': 0.09, 'Y': 0.09, 'Z': 0.01}
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

import numpy as np

from ionnet.errors import BackendError
from ionnet.states.gates import Matrix, pauli_matrix

PauliChannel = Mapping[str, float]
"""Pauli string -> probability; the identity's share is whatever is left (need not be listed)."""


def _check_probability(name: str, p: float) -> None:
    if not 0.0 <= p <= 1.0:
        raise BackendError(f"'{name}' must be in [0, 1] (got {p!r})")


def depolarizing(p: float, num_qubits: int = 1) -> dict[str, float]:
    """Depolarizing Pauli channel with total error probability ``p`` on ``num_qubits`` qubits."""
    _check_probability("p", p)
    labels = ["".join(s) for s in itertools.product("IXYZ", repeat=num_qubits)][1:]
    return {label: p / len(labels) for label in labels}


def dephasing(p: float) -> dict[str, float]:
    """Z error with probability ``p``."""
    _check_probability("p", p)
    return {"Z": p}


def validate_pauli_channel(channel: PauliChannel, num_qubits: int) -> dict[str, float]:
    """Check labels and probabilities; return the channel with its identity entry filled in."""
    out: dict[str, float] = {}
    for label, p in channel.items():
        key = label.upper()
        if len(key) != num_qubits or set(key) - set("IXYZ"):
            raise BackendError(f"Pauli channel label {label!r} does not fit {num_qubits} qubit(s)")
        _check_probability(f"probability of {label}", p)
        out[key] = out.get(key, 0.0) + float(p)
    identity = "I" * num_qubits
    rest = sum(p for k, p in out.items() if k != identity)
    if rest > 1 + 1e-9 or (identity in out and not np.isclose(rest + out[identity], 1.0)):
        raise BackendError(f"Pauli channel probabilities must sum to 1 (got {dict(channel)})")
    out[identity] = max(0.0, 1.0 - rest)
    return out


def pauli_channel_kraus(channel: PauliChannel, num_qubits: int) -> list[Matrix]:
    """Kraus operators ``√p_P P`` of a Pauli channel."""
    full = validate_pauli_channel(channel, num_qubits)
    return [np.sqrt(p) * pauli_matrix(label) for label, p in full.items() if p > 0]


def dephasing_kraus(p: float) -> list[Matrix]:
    """Kraus operators of dephasing with Z probability ``p``."""
    return pauli_channel_kraus(dephasing(p), 1)


def depolarizing_kraus(p: float, num_qubits: int = 1) -> list[Matrix]:
    """Kraus operators of the depolarizing channel with total error probability ``p``."""
    return pauli_channel_kraus(depolarizing(p, num_qubits), num_qubits)


def amplitude_damping_kraus(gamma: float) -> list[Matrix]:
    """Kraus operators of amplitude damping (|1> decays to |0> with probability ``gamma``)."""
    _check_probability("gamma", gamma)
    k0 = np.array([[1, 0], [0, np.sqrt(1 - gamma)]], dtype=complex)
    k1 = np.array([[0, np.sqrt(gamma)], [0, 0]], dtype=complex)
    return [k0, k1]


def check_kraus(kraus: Sequence[Matrix], num_qubits: int, atol: float = 1e-8) -> list[Matrix]:
    """Return the Kraus operators as arrays after checking shape and trace preservation."""
    d = 2**num_qubits
    ops = [np.asarray(k, dtype=complex) for k in kraus]
    if not ops or any(k.shape != (d, d) for k in ops):
        raise BackendError(f"Kraus operators must be {d}x{d} for {num_qubits} qubit(s)")
    total = sum(k.conj().T @ k for k in ops)
    if not np.allclose(total, np.eye(d), atol=atol):
        raise BackendError("Kraus operators are not trace preserving (sum K†K != I)")
    return ops


def pauli_twirl(kraus: Sequence[Matrix]) -> dict[str, float]:
    """The Pauli channel ``{P: Σ_k |tr(P K_k)|²/d²}`` obtained by twirling a Kraus channel."""
    d = kraus[0].shape[0]
    n = d.bit_length() - 1
    out: dict[str, float] = {}
    for letters in itertools.product("IXYZ", repeat=n):
        label = "".join(letters)
        p = pauli_matrix(label)
        out[label] = float(sum(abs(np.trace(p @ k)) ** 2 for k in kraus) / d**2)
    return out
