"""Entanglement purification of two Bell-diagonal pairs: BBPSSW and DEJMPS.

Both protocols apply a bilateral CNOT (pair 1 controls, pair 2 is the target), measure pair 2
in the Z basis on both sides and keep pair 1 when the outcomes agree. Writing each Bell state as
a Pauli error (x bit, z bit) on |Φ+>, the bilateral CNOT maps x₂ → x₂ ⊕ x₁ and z₁ → z₁ ⊕ z₂;
success means x₁ = x₂, and the kept pair carries (x₁, z₁ ⊕ z₂). Hence [D]

    N      = (p₁I + p₁Z)(p₂I + p₂Z) + (p₁X + p₁Y)(p₂X + p₂Y)
    p'_I   = (p₁I·p₂I + p₁Z·p₂Z)/N       p'_Z = (p₁I·p₂Z + p₁Z·p₂I)/N
    p'_X   = (p₁X·p₂X + p₁Y·p₂Y)/N       p'_Y = (p₁X·p₂Y + p₁Y·p₂X)/N

* BBPSSW (Bennett et al., PRL 76, 722 (1996)) first twirls each pair into a Werner state and
  twirls the output again: F' = [F₁F₂ + (1-F₁)(1-F₂)/9] / N with
  N = F₁F₂ + F₁(1-F₂)/3 + (1-F₁)F₂/3 + 5(1-F₁)(1-F₂)/9.
* DEJMPS (Deutsch et al., PRL 77, 2818 (1996)) first rotates both pairs (Rx(π/2) on A,
  Rx(-π/2) on B), which swaps the Φ- and Ψ- weights, and does not twirl. With A, B, C, D the
  weights of Φ+, Ψ-, Ψ+, Φ- and identical pairs: A' = (A² + B²)/N, B' = 2CD/N,
  C' = (C² + D²)/N, D' = 2AB/N, N = (A + B)² + (C + D)².

>>> result = dejmps(BellDiagonal.werner(0.8), BellDiagonal.werner(0.8))
>>> round(result.success_probability, 4), round(result.state.fidelity, 4)
(0.7689, 0.8382)
"""

from __future__ import annotations

from dataclasses import dataclass

from ionnet.hardware.bell import BellDiagonal


@dataclass(frozen=True)
class PurificationResult:
    """Outcome of one purification round.

    Attributes:
        success_probability: Probability that the parity check keeps the pair.
        state: The kept pair's state, given success.
    """

    success_probability: float
    state: BellDiagonal


def bilateral_cnot(control: BellDiagonal, target: BellDiagonal) -> PurificationResult:
    """Bilateral CNOT, Z-basis measurement of the target pair, keep on agreement (see module)."""
    c_i, c_x, c_y, c_z = control.probabilities
    t_i, t_x, t_y, t_z = target.probabilities
    out = (
        c_i * t_i + c_z * t_z,
        c_x * t_x + c_y * t_y,
        c_x * t_y + c_y * t_x,
        c_i * t_z + c_z * t_i,
    )
    norm = sum(out)
    return PurificationResult(norm, BellDiagonal.from_probabilities(out))


def bbpssw(pair_1: BellDiagonal, pair_2: BellDiagonal) -> PurificationResult:
    """One BBPSSW round (Bennett et al. 1996): twirl, bilateral CNOT, twirl the output.

    >>> r = bbpssw(BellDiagonal.werner(0.8), BellDiagonal.werner(0.8))
    >>> round(r.state.fidelity, 4), round(r.success_probability, 4)
    (0.8382, 0.7689)
    """
    result = bilateral_cnot(pair_1.twirled(), pair_2.twirled())
    return PurificationResult(result.success_probability, result.state.twirled())


def _dejmps_rotation(state: BellDiagonal) -> BellDiagonal:
    # Rx(π/2) ⊗ Rx(-π/2) fixes Φ+ and Ψ+ and exchanges Φ- (Z error) with Ψ- (Y error).
    return BellDiagonal(state.p_i, state.p_x, state.p_z, state.p_y)


def dejmps(pair_1: BellDiagonal, pair_2: BellDiagonal) -> PurificationResult:
    """One DEJMPS round (Deutsch et al. 1996): rotate both pairs, bilateral CNOT, no twirl."""
    return bilateral_cnot(_dejmps_rotation(pair_1), _dejmps_rotation(pair_2))
