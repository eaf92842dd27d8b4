import itertools

import numpy as np
import pytest

from ionnet.errors import ConfigError
from ionnet.hardware.bell import PRODUCT_TABLE, BellDiagonal

PAULIS = [
    np.eye(2),
    np.array([[0, 1], [1, 0]], dtype=complex),
    np.array([[0, -1j], [1j, 0]]),
    np.array([[1, 0], [0, -1]], dtype=complex),
]
PHI_PLUS = np.array([1, 0, 0, 1]) / np.sqrt(2)


def test_probabilities_must_sum_to_one():
    with pytest.raises(ConfigError, match="sum to 1"):
        BellDiagonal(0.9, 0.0, 0.0, 0.0)
    with pytest.raises(ConfigError, match="p_i must be in"):
        BellDiagonal(1.2, -0.2, 0.0, 0.0)


def test_werner_and_perfect():
    assert BellDiagonal.perfect().fidelity == 1.0
    w = BellDiagonal.werner(0.7)
    assert w.probabilities == pytest.approx((0.7, 0.1, 0.1, 0.1))
    with pytest.raises(ConfigError, match="fidelity"):
        BellDiagonal.werner(1.1)


def test_density_matrix_is_the_pauli_mixture():
    s = BellDiagonal(0.6, 0.1, 0.2, 0.1)
    expected = np.zeros((4, 4), dtype=complex)
    for p, pauli in zip(s.probabilities, PAULIS, strict=True):
        v = np.kron(np.eye(2), pauli) @ PHI_PLUS
        expected += p * np.outer(v, v.conj())
    rho = s.density_matrix()
    assert np.allclose(rho, expected)
    assert np.trace(rho).real == pytest.approx(1.0)
    assert np.real(PHI_PLUS @ rho @ PHI_PLUS) == pytest.approx(0.6)
    # Φ+ has coherence between |00> and |11> (qubit A most significant)
    assert BellDiagonal.perfect().density_matrix()[0, 3].real == pytest.approx(0.5)


def test_product_table_matches_pauli_products():
    for a, b in itertools.product(range(4), repeat=2):
        prod = PAULIS[a] @ PAULIS[b]
        c = PRODUCT_TABLE[a][b]
        # equal up to a global phase
        overlap = abs(np.trace(PAULIS[c].conj().T @ prod)) / 2
        assert overlap == pytest.approx(1.0)


@pytest.mark.parametrize("side", ["A", "B"])
def test_compose_pauli_matches_density_matrix_channel(side):
    s = BellDiagonal(0.7, 0.1, 0.05, 0.15)
    q = (0.05, 0.02, 0.08)
    out = s.compose_pauli(*q)
    rho = s.density_matrix()
    weights = (1 - sum(q), *q)
    expected = np.zeros((4, 4), dtype=complex)
    for w, pauli in zip(weights, PAULIS, strict=True):
        op = np.kron(pauli, np.eye(2)) if side == "A" else np.kron(np.eye(2), pauli)
        expected += w * op @ rho @ op.conj().T
    assert np.allclose(out.density_matrix(), expected)


def test_dephased_depolarized_and_mixing():
    assert BellDiagonal.perfect().dephased(0.1).probabilities == pytest.approx((0.9, 0, 0, 0.1))
    lam = 0.3
    assert BellDiagonal.perfect().depolarized(lam).fidelity == pytest.approx(1 - 3 * lam / 4)
    s = BellDiagonal.werner(0.9)
    f = 0.1
    assert s.mixed_with_identity(f).fidelity == pytest.approx((1 - f) * 0.9 + f / 4)
    assert s.twirled() == s
