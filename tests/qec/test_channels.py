"""The teleported-CX Pauli channel against the explicit teleported CX simulated by stim."""

import itertools

import numpy as np
import pytest
import stim

from ionnet.hardware import BellDiagonal
from ionnet.qec.channels import (
    compose2,
    depolarize2,
    gate_depolarizing,
    idle_channel,
    stim_args2,
    teleported_cx_channel,
)

PAULIS = "IXYZ"
RC, C, RT, T, EA, EB = range(6)


def _explicit(fault: str) -> tuple[int, int]:
    """Run the teleported CX (Eisert et al. 2000) with one deterministic fault; return the
    Pauli (index) left on control and target after undoing an ideal CX, read off Bell pairs."""
    circuit = stim.Circuit()
    for a, b in ((RC, C), (RT, T), (EA, EB)):
        circuit.append("H", [a])
        circuit.append("CX", [a, b])

    def apply(where: str, qubits: list[int]) -> None:
        kind, _, paulis = fault.partition(":")
        if kind == where:
            for q, p in zip(qubits, paulis, strict=True):
                if p != "I":
                    circuit.append(p, [q])

    apply("ebit", [EB])
    circuit.append("CX", [C, EA])
    apply("cxa", [C, EA])
    apply("flipa", [EA])
    circuit.append("M", [EA])
    circuit.append("CX", [stim.target_rec(-1), EB])
    circuit.append("CX", [EB, T])
    apply("cxb", [EB, T])
    circuit.append("H", [EB])
    apply("flipb", [EB])
    circuit.append("M", [EB])
    circuit.append("CZ", [stim.target_rec(-1), C])
    circuit.append("CX", [C, T])  # undo the ideal CX
    for r, q in ((RC, C), (RT, T)):
        circuit.append("CX", [r, q])
        circuit.append("H", [r])
        circuit.append("M", [r, q])
    zc, xc, zt, xt = (bool(v) for v in circuit.compile_sampler().sample(1)[0][2:])
    index = {(False, False): 0, (True, False): 1, (True, True): 2, (False, True): 3}
    return index[(xc, zc)], index[(xt, zt)]


def test_perfect_teleported_cx_is_the_identity_channel():
    assert _explicit("none") == (0, 0)
    ch = teleported_cx_channel((1.0, 0.0, 0.0, 0.0), 0.0, 0.0, 0.0, 0.0)
    assert ch[0, 0] == 1.0 and ch.sum() == pytest.approx(1.0)


@pytest.mark.parametrize("pauli", "XYZ")
def test_ebit_error_maps_as_the_explicit_circuit(pauli):
    bell = [0.0, 0.0, 0.0, 0.0]
    bell["IXYZ".index(pauli)] = 1.0
    ch = teleported_cx_channel(bell, 0.0, 0.0, 0.0, 0.0)
    c, t = _explicit(f"ebit:{pauli}")
    assert ch[c, t] == pytest.approx(1.0)


@pytest.mark.parametrize("side", ["cxa", "cxb"])
def test_local_cx_depolarizing_maps_as_the_explicit_circuit(side):
    p = 0.03
    expected = np.zeros((4, 4))
    expected[0, 0] = 1.0 - p
    for a, b in itertools.product(PAULIS, repeat=2):
        if a + b != "II":
            c, t = _explicit(f"{side}:{a}{b}")
            expected[c, t] += p / 15
    got = teleported_cx_channel((1, 0, 0, 0), p if side == "cxa" else 0, p if side == "cxb" else 0, 0, 0)
    np.testing.assert_allclose(got, expected, atol=1e-15)


@pytest.mark.parametrize("side", ["flipa", "flipb"])
def test_measurement_flips_map_as_the_explicit_circuit(side):
    c, t = _explicit(f"{side}:X")
    got = teleported_cx_channel(
        (1, 0, 0, 0), 0, 0, 0.2 if side == "flipa" else 0, 0.2 if side == "flipb" else 0
    )
    assert got[c, t] == pytest.approx(0.2) and got[0, 0] == pytest.approx(0.8)


def test_channel_is_normalised_and_composes():
    bell = BellDiagonal.werner(0.95).probabilities
    ch = teleported_cx_channel(bell, 0.005, 0.004, 0.003, 0.002)
    assert ch.sum() == pytest.approx(1.0) and (ch >= 0).all()
    assert len(stim_args2(ch)) == 15
    # First order: the infidelities add.
    assert 1 - ch[0, 0] == pytest.approx(0.05 + 0.005 * 8 / 15 + 0.004 * 8 / 15 + 0.003 + 0.002, rel=0.05)
    np.testing.assert_allclose(compose2(depolarize2(0.0), depolarize2(0.01)), depolarize2(0.01))


def test_idle_channel_limits():
    assert idle_channel(0.0, 10.0, 1.0) == (0.0, 0.0, 0.0)
    px, py, pz = idle_channel(1e6, 10.0, 1.0)  # fully decohered: the completely depolarizing twirl
    assert (px, py, pz) == pytest.approx((0.25, 0.25, 0.25))
    assert idle_channel(0.01, 1e9, 1.0)[2] == pytest.approx(0.5 * (1 - np.exp(-0.01)))
    assert gate_depolarizing(1.0, 2) == 0.0 and gate_depolarizing(0.99, 1) == pytest.approx(0.015)
