"""The gate library (every entry) and the noise channels."""

from __future__ import annotations

import math

import numpy as np
import pytest
import stim
from hypothesis import given, settings
from hypothesis import strategies as st

from ionnet.errors import BackendError
from ionnet.states.channels import (
    amplitude_damping_kraus,
    check_kraus,
    dephasing_kraus,
    depolarizing,
    depolarizing_kraus,
    pauli_twirl,
)
from ionnet.states.gates import GATES, gate_def, gate_unitary, is_clifford

ANGLES = st.floats(min_value=-2 * math.pi, max_value=2 * math.pi, allow_nan=False)


@pytest.mark.parametrize("name", sorted(GATES))
def test_every_gate_is_unitary_of_the_right_size(name: str) -> None:
    g = GATES[name]
    u = gate_unitary(name, [0.37 * (i + 1) for i in range(g.num_params)])
    assert u.shape == (2**g.num_qubits,) * 2
    assert np.allclose(u @ u.conj().T, np.eye(len(u)))


@pytest.mark.parametrize("name", sorted(GATES))
def test_clifford_flag_and_stim_tableau(name: str) -> None:
    g = GATES[name]
    for params in ([0.0] * g.num_params, [math.pi / 2] * g.num_params, [0.3] * g.num_params):
        expected = name not in ("T", "TDG") and (g.always_clifford or params[0] != 0.3)
        if name == "CP":  # controlled phase: Clifford only at multiples of π (CP(π/2) is controlled-S)
            expected = params[0] == 0.0
        assert is_clifford(name, params) == expected, (name, params)
        if expected:  # stim's tableau is the same operation up to a global phase
            u = gate_unitary(name, params)
            v = stim.Tableau.from_unitary_matrix(u, endian="big").to_unitary_matrix(endian="big")
            assert abs(np.trace(u.conj().T @ v)) / len(u) == pytest.approx(1.0)


def test_stabilizer_backend_rejects_a_non_clifford_matrix() -> None:
    from ionnet.seeding import stream
    from ionnet.states import StabilizerBackend

    b = StabilizerBackend(stream(0, "matrix"))
    (q,) = b.allocate(1)
    with pytest.raises(BackendError, match="not a Clifford"):
        b.apply_gate(gate_unitary("RZ", [0.3]), [q])
    b.apply_gate(gate_unitary("RZ", [math.pi / 2]), [q])  # S up to phase: accepted


def test_named_conventions() -> None:
    assert np.allclose(
        gate_unitary("MS", [0, 0, math.pi / 2]), (np.eye(4) - 1j * np.fliplr(np.eye(4))) / math.sqrt(2)
    )
    assert np.allclose(gate_unitary("GPI2", [0.0]), gate_unitary("RX", [math.pi / 2]))
    assert np.allclose(gate_unitary("R", [0.8, 0.0]), gate_unitary("RX", [0.8]))
    assert np.allclose(gate_unitary("ZZ", [0.5]), np.diag(np.exp(-0.25j * np.array([1, -1, -1, 1]))))
    assert gate_def("cnot").name == "CX"
    with pytest.raises(BackendError, match="takes 1 parameter"):
        gate_unitary("RZ")


@settings(max_examples=30, deadline=None)
@given(theta=ANGLES, phi=ANGLES, lam=ANGLES)
def test_u_gate_matches_rz_ry_rz(theta: float, phi: float, lam: float) -> None:
    u = gate_unitary("U", [theta, phi, lam])
    v = gate_unitary("RZ", [phi]) @ gate_unitary("RY", [theta]) @ gate_unitary("RZ", [lam])
    overlap = abs(np.trace(u.conj().T @ v)) / 2
    assert overlap == pytest.approx(1.0)  # equal up to a global phase


@settings(max_examples=40, deadline=None)
@given(p=st.floats(0, 1), gamma=st.floats(0, 1), n=st.integers(1, 2))
def test_channels_are_trace_preserving_and_twirls_are_distributions(p: float, gamma: float, n: int) -> None:
    for kraus, k in (
        (depolarizing_kraus(p, n), n),
        (dephasing_kraus(p), 1),
        (amplitude_damping_kraus(gamma), 1),
    ):
        check_kraus(kraus, k)
        twirl = pauli_twirl(kraus)
        assert sum(twirl.values()) == pytest.approx(1.0)
        assert min(twirl.values()) >= 0
    assert sum(depolarizing(p, n).values()) == pytest.approx(p)


@settings(max_examples=30, deadline=None)
@given(gamma=st.floats(0, 1))
def test_twirl_keeps_the_process_fidelity(gamma: float) -> None:
    kraus = amplitude_damping_kraus(gamma)
    process_fidelity = sum(abs(np.trace(k)) ** 2 for k in kraus) / 4
    assert pauli_twirl(kraus)["I"] == pytest.approx(process_fidelity)
