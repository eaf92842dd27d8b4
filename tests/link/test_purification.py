"""BBPSSW and DEJMPS against the published recurrences and an explicit 4-qubit simulation."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ionnet.hardware.bell import BellDiagonal
from ionnet.link.purification import bbpssw, bilateral_cnot, dejmps

CNOT = np.array([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0]], dtype=complex)
X = np.array([[0, 1], [1, 0]], dtype=complex)


def rx(theta):
    return np.cos(theta / 2) * np.eye(2) - 1j * np.sin(theta / 2) * X


def bell_coefficients(rho):
    return np.real([np.trace(p @ rho) for p in _projectors()])


def _projectors():
    return [
        np.real_if_close(BellDiagonal.from_probabilities(tuple(np.eye(4)[i])).density_matrix())
        for i in range(4)
    ]


def two_pair_protocol(rho1, rho2, rotate):
    """Qubits A1 B1 A2 B2 (A1 most significant); CNOT A1->A2 and B1->B2; measure A2 B2 in Z."""
    if rotate:
        u = np.kron(rx(np.pi / 2), rx(-np.pi / 2))
        rho1, rho2 = u @ rho1 @ u.conj().T, u @ rho2 @ u.conj().T
    rho = np.kron(rho1, rho2)  # order A1 B1 A2 B2
    # reorder to A1 A2 B1 B2 so each CNOT acts on adjacent qubits
    perm = [0, 2, 1, 3]
    t = rho.reshape([2] * 8).transpose(perm + [p + 4 for p in perm]).reshape(16, 16)
    op = np.kron(CNOT, CNOT)
    t = op @ t @ op.conj().T
    t = t.reshape([2] * 8)  # indices a1 a2 b1 b2 | a1' a2' b1' b2'
    kept = np.zeros((4, 4), dtype=complex)
    for m in (0, 1):
        block = t[:, m, :, m, :, m, :, m]  # a1 b1 | a1' b1'
        kept += block.reshape(4, 4)
    prob = np.trace(kept).real
    return prob, kept / prob


@pytest.mark.parametrize("rotate", [False, True])
def test_bilateral_cnot_matches_density_matrix_simulation(rotate):
    p1 = BellDiagonal(0.7, 0.1, 0.05, 0.15)
    p2 = BellDiagonal(0.8, 0.02, 0.08, 0.1)
    prob, rho = two_pair_protocol(p1.density_matrix(), p2.density_matrix(), rotate)
    result = dejmps(p1, p2) if rotate else bilateral_cnot(p1, p2)
    assert result.success_probability == pytest.approx(prob)
    assert np.allclose(result.state.density_matrix(), rho, atol=1e-12)


@pytest.mark.parametrize("f", [0.6, 0.75, 0.9, 0.99])
def test_bbpssw_matches_bennett_recurrence(f):
    e = (1 - f) / 3
    norm = f**2 + 2 * f * e + 5 * e**2
    r = bbpssw(BellDiagonal.werner(f), BellDiagonal.werner(f))
    assert r.success_probability == pytest.approx(norm)
    assert r.state.fidelity == pytest.approx((f**2 + e**2) / norm)
    assert r.state.p_x == pytest.approx(r.state.p_y) == pytest.approx(r.state.p_z)


def test_bbpssw_twirls_non_werner_inputs():
    s = BellDiagonal(0.8, 0.0, 0.0, 0.2)
    assert bbpssw(s, s).state.fidelity == pytest.approx(bbpssw(s.twirled(), s.twirled()).state.fidelity)


def test_dejmps_matches_deutsch_recurrence():
    # A, B, C, D = weights of Φ+, Ψ-, Ψ+, Φ-
    a, b, c, d = 0.7, 0.15, 0.1, 0.05
    state = BellDiagonal(p_i=a, p_x=c, p_y=b, p_z=d)
    r = dejmps(state, state)
    n = (a + b) ** 2 + (c + d) ** 2
    assert r.success_probability == pytest.approx(n)
    assert r.state.p_i == pytest.approx((a**2 + b**2) / n)
    assert r.state.p_y == pytest.approx(2 * c * d / n)
    assert r.state.p_x == pytest.approx((c**2 + d**2) / n)
    assert r.state.p_z == pytest.approx(2 * a * b / n)


def test_dejmps_iterated_beats_bbpssw():
    s = BellDiagonal.werner(0.7)
    d, b = s, s
    for _ in range(3):
        d = dejmps(d, d).state
        b = bbpssw(b, b).state
    assert d.fidelity > b.fidelity > 0.7


@settings(max_examples=50, deadline=None)
@given(st.floats(0.51, 0.999))
def test_purification_raises_werner_fidelity_above_half(f):
    s = BellDiagonal.werner(f)
    assert bbpssw(s, s).state.fidelity > f - 1e-12
    assert dejmps(s, s).state.fidelity > f - 1e-12
