"""Every entry of the native gate table: duration, error model, unitary and the applied channel."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ionnet.errors import ConfigError
from ionnet.hardware import ModuleSpec
from ionnet.protocols.module import NoisyModule
from ionnet.protocols.native_gates import NATIVE_GATES, depolarizing_probability, gate_cost
from ionnet.seeding import stream
from ionnet.states import DensityMatrixBackend, gate_unitary

SPEC = ModuleSpec(
    single_qubit_gate_time_s=10e-6,
    single_qubit_gate_fidelity=0.99,
    two_qubit_gate_time_s=200e-6,
    two_qubit_gate_fidelity=0.95,
    zz_gate_time_s=300e-6,
    zz_gate_fidelity=0.97,
)
EXPECTED = {  # name -> (duration_s, average gate fidelity)
    "R": (10e-6, 0.99),
    "GPI": (10e-6, 0.99),
    "GPI2": (10e-6, 0.99),
    "RZ": (0.0, 1.0),
    "MS": (200e-6, 0.95),
    "ZZ": (300e-6, 0.97),
}
PARAMS = {
    "R": (0.7, 0.3),
    "GPI": (0.4,),
    "GPI2": (1.1,),
    "RZ": (0.9,),
    "MS": (0.2, 0.5, math.pi / 2),
    "ZZ": (0.6,),
}


def test_table_is_exactly_the_native_set() -> None:
    assert set(NATIVE_GATES) == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(NATIVE_GATES))
def test_native_gate_entry(name: str) -> None:
    gate = NATIVE_GATES[name]
    duration, fidelity = EXPECTED[name]
    params = PARAMS[name]
    assert gate.duration_s(SPEC) == pytest.approx(duration)
    assert np.allclose(gate.unitary(params), gate_unitary(name, params))
    assert len(gate.params) == len(params)

    # Apply it through a module and measure the channel's average gate fidelity by its Choi state.
    backend = DensityMatrixBackend(stream(0, "native", name))
    module = NoisyModule(backend, SPEC)
    qubits = module.allocate(gate.num_qubits)
    refs = backend.allocate(gate.num_qubits)
    for r, q in zip(refs, qubits, strict=True):
        backend.apply_gate("H", [r])
        backend.apply_gate("CX", [r, q])
    assert module.gate(name, qubits, params) == pytest.approx(duration)
    d = 2**gate.num_qubits
    choi = np.kron(np.eye(d), gate.unitary(params)) @ (np.eye(d).reshape(-1) / math.sqrt(d))
    f_pro = backend.fidelity(choi, refs + qubits)
    assert (d * f_pro + 1) / (d + 1) == pytest.approx(fidelity, abs=1e-12)


def test_depolarizing_conversion_formula() -> None:
    assert depolarizing_probability(1.0, 1) == 0.0
    assert depolarizing_probability(0.5, 1) == pytest.approx(0.75)  # F = 1/d: fully depolarizing
    assert depolarizing_probability(0.2, 2) == pytest.approx(15 / 16)  # capped below 1/d
    with pytest.raises(ConfigError, match="average_gate_fidelity"):
        depolarizing_probability(1.5, 1)


@pytest.mark.parametrize(
    ("name", "native", "count"), [("H", "R", 1), ("Z", "RZ", 1), ("CX", "MS", 1), ("SWAP", "MS", 3)]
)
def test_standard_gates_cost_native_gates(name: str, native: str, count: int) -> None:
    gate, n = gate_cost(name)
    assert (gate.name, n) == (native, count)
