import numpy as np
import pytest

from ionnet.hardware.bell import BellDiagonal
from ionnet.link.swapping import entanglement_swap

# Bell states as 4-vectors (qubit order: first qubit most significant)
PHI_PLUS = np.array([1, 0, 0, 1]) / np.sqrt(2)


@pytest.mark.parametrize(("f1", "f2"), [(0.9, 0.9), (0.8, 0.95), (1.0, 0.7)])
def test_werner_swap_formula(f1, f2):
    out = entanglement_swap(BellDiagonal.werner(f1), BellDiagonal.werner(f2))
    assert out.fidelity == pytest.approx(f1 * f2 + (1 - f1) * (1 - f2) / 3)


def test_swap_matches_explicit_bell_measurement():
    p1 = BellDiagonal(0.8, 0.1, 0.04, 0.06)
    p2 = BellDiagonal(0.85, 0.02, 0.05, 0.08)
    rho = np.kron(p1.density_matrix(), p2.density_matrix())  # qubits A B1 B2 C
    x = np.array([[0, 1], [1, 0]])
    z = np.diag([1, -1])
    y = 1j * x @ z
    paulis = [np.eye(2), x, y, z]
    out = np.zeros((4, 4), dtype=complex)
    for pauli in paulis:
        bell = np.kron(np.eye(2), pauli) @ PHI_PLUS  # one Bell outcome at (B1, B2)
        proj = np.kron(np.kron(np.eye(2), np.outer(bell, bell.conj())), np.eye(2))
        post = (proj @ rho @ proj).reshape([2] * 8)
        reduced = np.einsum("abcdebcf->adef", post).reshape(4, 4)
        fix = np.kron(np.eye(2), pauli.conj())  # correction at C
        out += fix @ reduced @ fix.conj().T
    expected = entanglement_swap(p1, p2).density_matrix()
    assert np.allclose(out, expected, atol=1e-12)


def test_operation_errors_depolarize():
    ideal = entanglement_swap(BellDiagonal.perfect(), BellDiagonal.perfect(), 0.0)
    noisy = entanglement_swap(BellDiagonal.perfect(), BellDiagonal.perfect(), 0.04)
    assert ideal.fidelity == 1.0
    assert noisy.fidelity == pytest.approx(1 - 0.03)
