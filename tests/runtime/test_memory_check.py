"""State-vector runs check their memory before they start (issue 10)."""

from __future__ import annotations

import pytest
from qiskit import QuantumCircuit
from runtime_helpers import noisy_network

from ionnet.compiler.pipeline import compile_circuit
from ionnet.errors import BackendError, IonnetError
from ionnet.runtime import memory
from ionnet.runtime.execute import run_program
from ionnet.runtime.memory import check_memory, needed_bytes


def _program():
    qc = QuantumCircuit(4, 4)
    qc.h(0)
    qc.t(0)
    for i in range(3):
        qc.cx(i, i + 1)
    qc.measure(range(4), range(4))
    return compile_circuit(qc, noisy_network(capacity=2), seed=0).program


@pytest.mark.parametrize("backend", ["trajectories", "statevector", "density"])
def test_a_run_that_cannot_fit_is_refused_before_it_starts(monkeypatch, backend):
    monkeypatch.setattr(memory, "available_bytes", lambda: 1000)
    with pytest.raises(BackendError) as info:
        run_program(_program(), noisy_network(capacity=2), shots=10, seed=0, backend=backend)
    message = str(info.value)
    assert isinstance(info.value, IonnetError)
    assert f"the {backend} path on" in message and "qubits needs" in message
    assert "but only 1000 bytes" in message


def test_a_run_that_fits_goes_ahead_and_the_estimate_grows_with_the_qubits():
    r = run_program(_program(), noisy_network(capacity=2), shots=50, seed=0, backend="trajectories")
    assert sum(r.counts.values()) == 50
    assert needed_bytes("trajectories", 21) == 2 * needed_bytes("trajectories", 20)
    assert needed_bytes("density", 11) == 4 * needed_bytes("density", 10)
    check_memory("statevector", 30, available=needed_bytes("statevector", 30))  # exactly enough
    with pytest.raises(BackendError, match="30 qubits needs 51539607552 bytes"):
        check_memory("statevector", 30, available=needed_bytes("statevector", 30) - 1)


def test_available_memory_is_read_from_the_system():
    have = memory.available_bytes()
    assert have is None or have > 0
