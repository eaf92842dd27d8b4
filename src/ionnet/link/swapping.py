"""Entanglement swapping of two Bell-diagonal pairs (pair A-B and pair B-C give pair A-C).

A Bell-state measurement on the two qubits at B, followed by the Pauli correction at C,
teleports B's half of the first pair onto C. Writing each pair as Pauli errors on |Φ+>, the
errors of both pairs end up on the output pair: its Pauli is the product of the two (up to
phase), so the coefficients convolve over the Klein group [D]:

    p_R = Σ_{P·Q = R} p¹_P · p²_Q.

For Werner pairs this is the textbook F = F₁F₂ + (1 - F₁)(1 - F₂)/3 (DESIGN.md "Physics";
e.g. Briegel et al., PRL 81, 5932 (1998)). Errors of the swapping operations themselves
(two-qubit gate and measurement at B) enter as a depolarizing channel with parameter
``operation_depolarizing`` on the output.

>>> from ionnet.hardware.bell import BellDiagonal
>>> round(entanglement_swap(BellDiagonal.werner(0.9), BellDiagonal.werner(0.9)).fidelity, 6)
0.813333
"""

from __future__ import annotations

from ionnet.hardware.bell import BellDiagonal


def entanglement_swap(
    first: BellDiagonal, second: BellDiagonal, operation_depolarizing: float = 0.0
) -> BellDiagonal:
    """The pair left after swapping ``first`` (A-B) and ``second`` (B-C): always succeeds.

    Args:
        first: The pair between the outer node A and the middle node B.
        second: The pair between B and the outer node C.
        operation_depolarizing: λ of a depolarizing channel for the swap's own errors
            (λ = 4(1 - F)/3 for a process fidelity F).
    """
    state = first.compose_pauli(second.p_x, second.p_y, second.p_z)
    return state.depolarized(operation_depolarizing) if operation_depolarizing else state
