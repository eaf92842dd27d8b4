"""Bell-diagonal two-qubit states: the states heralded links deliver and protocols consume.

A Bell-diagonal state is a mixture of the four Bell states, written as Pauli errors on the
second qubit of |Φ+> = (|00> + |11>)/√2::

    rho = p_I |Φ+><Φ+| + p_X |Ψ+><Ψ+| + p_Y |Ψ-><Ψ-| + p_Z |Φ-><Φ-|
        = Σ_P p_P (I⊗P)|Φ+><Φ+|(I⊗P)

Qubit order: the first qubit is module A's ion, the second module B's; in the 4x4 density
matrix the basis is |00>, |01>, |10>, |11> with qubit A the most significant bit. Because
(P⊗I)|Φ+> = ±(I⊗P^T)|Φ+> and P^T = ±P, a Pauli error on either side acts the same way on the
coefficients: Pauli channels compose by convolution over the Klein group {I, X, Y, Z} (Pauli
products up to phase), which is what :meth:`BellDiagonal.compose_pauli` does.

>>> s = BellDiagonal.werner(0.9)
>>> round(s.fidelity, 12), round(s.p_x, 12)
(0.9, 0.033333333333)
>>> round(BellDiagonal.perfect().dephased(0.1).fidelity, 12)
0.9
>>> BellDiagonal(0.5, 0.5, 0.5, 0.0)
Traceback (most recent call last):
...
ionnet.errors.ConfigError: Bell-diagonal probabilities must sum to 1 (got 1.5 from (0.5, 0.5, 0.5, 0.0))
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ionnet.errors import ConfigError

PAULI_LABELS = ("I", "X", "Y", "Z")
"""Order of the coefficients everywhere in this module."""

_SUM_TOLERANCE = 1e-9

# Pauli index -> (x bit, z bit); X = (1, 0), Z = (0, 1), Y = XZ = (1, 1). Products are XORs.
_BITS = ((0, 0), (1, 0), (1, 1), (0, 1))
_INDEX = {bits: i for i, bits in enumerate(_BITS)}
PRODUCT_TABLE = tuple(
    tuple(_INDEX[(_BITS[a][0] ^ _BITS[b][0], _BITS[a][1] ^ _BITS[b][1])] for b in range(4)) for a in range(4)
)
"""``PRODUCT_TABLE[a][b]``: the index of the Pauli P_a·P_b up to phase (the Klein group)."""

_PHI_PLUS = np.array([1.0, 0.0, 0.0, 1.0]) / math.sqrt(2.0)
_PAULIS = (
    np.eye(2, dtype=complex),
    np.array([[0, 1], [1, 0]], dtype=complex),
    np.array([[0, -1j], [1j, 0]], dtype=complex),
    np.array([[1, 0], [0, -1]], dtype=complex),
)
_BELL_PROJECTORS = tuple(
    np.outer(v, v.conj()) for v in (np.kron(np.eye(2), p) @ _PHI_PLUS.astype(complex) for p in _PAULIS)
)


@dataclass(frozen=True)
class BellDiagonal:
    """A Bell-diagonal two-qubit state (frozen; probabilities validated to sum to 1).

    Attributes:
        p_i: Weight of |Φ+> (no error): the fidelity to the target state.
        p_x: Weight of (I⊗X)|Φ+> = |Ψ+> (bit flip).
        p_y: Weight of (I⊗Y)|Φ+> ∝ |Ψ-> (bit and phase flip).
        p_z: Weight of (I⊗Z)|Φ+> = |Φ-> (phase flip).
    """

    p_i: float
    p_x: float
    p_y: float
    p_z: float

    def __post_init__(self) -> None:
        probs = (self.p_i, self.p_x, self.p_y, self.p_z)
        for label, p in zip(PAULI_LABELS, probs, strict=True):
            if (
                not isinstance(p, int | float)
                or not math.isfinite(p)
                or p < -_SUM_TOLERANCE
                or p > 1 + _SUM_TOLERANCE
            ):
                raise ConfigError(
                    f"Bell-diagonal probability p_{label.lower()} must be in [0, 1] (got {p!r})"
                )
        total = sum(probs)
        if abs(total - 1.0) > _SUM_TOLERANCE:
            raise ConfigError(f"Bell-diagonal probabilities must sum to 1 (got {total:.12g} from {probs})")

    @classmethod
    def from_probabilities(cls, probs: tuple[float, float, float, float] | np.ndarray) -> BellDiagonal:
        """Build from (p_I, p_X, p_Y, p_Z), clipping round-off below zero and renormalising.

        >>> BellDiagonal.from_probabilities((2.0, 0.0, 0.0, 2.0)).p_z
        0.5
        """
        arr = np.clip(np.asarray(probs, dtype=float), 0.0, None)
        total = float(arr.sum())
        if not total > 0:
            raise ConfigError(f"Bell-diagonal weights must have a positive sum (got {tuple(arr)})")
        arr = arr / total
        return cls(float(arr[0]), float(arr[1]), float(arr[2]), float(arr[3]))

    @classmethod
    def werner(cls, fidelity: float) -> BellDiagonal:
        """The Werner state F|Φ+><Φ+| + (1 - F)/3 (other three Bell states).

        >>> BellDiagonal.werner(0.25).probabilities
        (0.25, 0.25, 0.25, 0.25)
        """
        if not 0.0 <= fidelity <= 1.0:
            raise ConfigError(f"'fidelity' must be in [0, 1] (got {fidelity!r})")
        rest = (1.0 - fidelity) / 3.0
        return cls(fidelity, rest, rest, rest)

    @classmethod
    def perfect(cls) -> BellDiagonal:
        """|Φ+> itself."""
        return cls(1.0, 0.0, 0.0, 0.0)

    @property
    def fidelity(self) -> float:
        """Fidelity to |Φ+> (= p_I)."""
        return self.p_i

    @property
    def probabilities(self) -> tuple[float, float, float, float]:
        """(p_I, p_X, p_Y, p_Z)."""
        return (self.p_i, self.p_x, self.p_y, self.p_z)

    def density_matrix(self) -> np.ndarray:
        """The 4x4 density matrix (basis |00>, |01>, |10>, |11>; qubit A most significant).

        >>> np.round(BellDiagonal.perfect().density_matrix().real, 2)[0]
        array([0.5, 0. , 0. , 0.5])
        """
        return sum(p * proj for p, proj in zip(self.probabilities, _BELL_PROJECTORS, strict=True))  # type: ignore[return-value]

    def compose_pauli(self, p_x: float, p_y: float, p_z: float) -> BellDiagonal:
        """Apply a one-sided Pauli channel (X, Y, Z errors with these probabilities).

        On either qubit the channel convolves the coefficients over the Klein group:
        p'_R = Σ_{P·Q = R} p_P q_Q (Pauli products up to phase).

        >>> BellDiagonal.perfect().compose_pauli(0.1, 0.0, 0.0).probabilities
        (0.9, 0.1, 0.0, 0.0)
        """
        q = (1.0 - p_x - p_y - p_z, p_x, p_y, p_z)
        for label, value in zip(PAULI_LABELS, q, strict=True):
            if not -_SUM_TOLERANCE <= value <= 1 + _SUM_TOLERANCE:
                raise ConfigError(f"Pauli channel probability {label} must be in [0, 1] (got {value!r})")
        out = [0.0, 0.0, 0.0, 0.0]
        for a, pa in enumerate(self.probabilities):
            for b, qb in enumerate(q):
                out[PRODUCT_TABLE[a][b]] += pa * qb
        return BellDiagonal.from_probabilities(tuple(out))  # type: ignore[arg-type]

    def dephased(self, z_probability: float) -> BellDiagonal:
        """Apply a Z error with probability ``z_probability`` on one qubit.

        Dephasing with coherence envelope C (C = exp(-t/T2) etc.) is this with
        z_probability = (1 - C)/2.
        """
        return self.compose_pauli(0.0, 0.0, z_probability)

    def depolarized(self, lam: float) -> BellDiagonal:
        """Apply a one-qubit depolarizing channel rho -> (1 - λ)rho + λ I/2 on one qubit.

        The identity part is an equal mixture of I, X, Y, Z, so each Pauli error has
        probability λ/4. A process (entanglement) fidelity F of the channel gives λ = 4(1 - F)/3
        (REFERENCES §3.5).

        >>> round(BellDiagonal.perfect().depolarized(0.4).fidelity, 12)
        0.7
        """
        if not 0.0 <= lam <= 4.0 / 3.0:
            raise ConfigError(f"depolarizing parameter must be in [0, 4/3] (got {lam!r})")
        return self.compose_pauli(lam / 4.0, lam / 4.0, lam / 4.0)

    def mixed_with_identity(self, fraction: float) -> BellDiagonal:
        """(1 - f)·rho + f·I/4: a fraction f replaced by the fully mixed state.

        The false-herald rule of REFERENCES §3.4: F -> (1 - f)F + f/4.

        >>> round(BellDiagonal.perfect().mixed_with_identity(0.2).fidelity, 12)
        0.85
        """
        if not 0.0 <= fraction <= 1.0:
            raise ConfigError(f"mixing fraction must be in [0, 1] (got {fraction!r})")
        return BellDiagonal.from_probabilities(
            tuple((1.0 - fraction) * p + fraction / 4.0 for p in self.probabilities)  # type: ignore[arg-type]
        )

    def twirled(self) -> BellDiagonal:
        """The Werner state of the same fidelity (the BBPSSW twirl)."""
        return BellDiagonal.werner(self.p_i)

    def __str__(self) -> str:
        return "BellDiagonal(" + ", ".join(f"{p:.4f}" for p in self.probabilities) + ")"
