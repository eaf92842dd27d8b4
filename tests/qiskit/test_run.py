"""``backend.run``: Results in Qiskit's formats, seeds, metadata, options, errors, threads."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from qiskit import ClassicalRegister, QuantumCircuit, QuantumRegister, transpile
from qiskit.circuit import Parameter
from qiskit.result import Result

from ionnet.errors import CircuitError, IonnetError, NetworkError
from ionnet.hardware import load_network
from ionnet.qiskit import IonnetBackend
from ionnet.runtime import run_circuit


def _bell(measure: bool = True) -> QuantumCircuit:
    qc = QuantumCircuit(2, 2 if measure else 0)
    qc.h(0)
    qc.cx(0, 1)
    if measure:
        qc.measure([0, 1], [0, 1])
    return qc


def test_result_is_a_qiskit_result_with_hex_counts_memory_and_header(ideal_2x3):
    result = ideal_2x3.run(_bell(), shots=300, seed_simulator=5, memory=True).result()
    assert isinstance(result, Result) and result.success
    exp = result.results[0]
    assert set(exp.data.counts) <= {"0x0", "0x3"}
    assert len(exp.data.memory) == 300 and set(exp.data.memory) <= {"0x0", "0x3"}
    assert exp.header["creg_sizes"] == [["c", 2]] and exp.header["memory_slots"] == 2
    assert set(result.get_counts()) == {"00", "11"}
    memory = result.get_memory()
    assert len(memory) == 300 and {memory.count("00"), memory.count("11")} == set(
        result.get_counts().values()
    )
    assert exp.seed_simulator == 5 and result.metadata["seed_simulator"] == 5


def test_two_registers_give_spaced_keys_and_subset_measurements(ideal_2x3):
    qc = QuantumCircuit(QuantumRegister(3, "q"), ClassicalRegister(1, "a"), ClassicalRegister(2, "b"))
    qc.x(0)
    qc.x(2)
    qc.measure(0, 0)  # a[0] = 1
    qc.measure(2, 2)  # b[1] = 1, b[0] never written
    counts = ideal_2x3.run(qc, shots=50, seed_simulator=1).result().get_counts()
    assert counts == {"10 1": 50}


def test_mid_circuit_measurement_and_feed_forward(ideal_2x3):
    qc = QuantumCircuit(2, 2)
    qc.h(0)
    qc.measure(0, 0)
    with qc.if_test((qc.clbits[0], 1)):
        qc.x(1)
    qc.measure(1, 1)
    tq = transpile(qc, ideal_2x3, seed_transpiler=1)
    for circuit in (qc, tq):
        counts = ideal_2x3.run(circuit, shots=200, seed_simulator=2).result().get_counts()
        assert set(counts) == {"00", "11"}
        assert 70 < counts["11"] < 130  # binomial(200, 1/2): well inside 4 sigma


def test_same_seed_same_counts_fresh_seed_recorded(noisy_2x1):
    qc = _bell()
    a = noisy_2x1.run(qc, shots=400, seed_simulator=9).result()
    b = noisy_2x1.run(qc, shots=400, seed_simulator=9).result()
    assert a.get_counts() == b.get_counts() and len(a.get_counts()) > 2  # noisy: odd outcomes appear
    fresh = [noisy_2x1.run(qc, shots=10).result().results[0].seed_simulator for _ in range(2)]
    assert all(isinstance(s, int) for s in fresh) and fresh[0] != fresh[1]
    again = noisy_2x1.run(qc, shots=400, seed_simulator=fresh[0]).result().results[0].seed_simulator
    assert again == fresh[0]


def test_counts_equal_run_circuit_and_metadata_carries_ionnet_figures(noisy_2x1):
    qc = _bell()
    exp = noisy_2x1.run(qc, shots=500, seed_simulator=3).result().results[0]
    direct = run_circuit(qc, noisy_2x1.network, shots=500, seed=3).result
    assert {hex(int(k, 2)): v for k, v in direct.counts.items()} == exp.data.counts
    meta = exp.metadata
    assert meta["ebits"] == direct.ebits == 1
    assert meta["makespan_s"] == direct.makespan_s and meta["link_attempts"] == direct.link_attempts
    assert meta["path"] == "stim" and meta["fidelity"] == direct.fidelity and 0.8 < meta["fidelity"] < 1
    assert meta["placement"] in ({0: 0, 1: 1}, {0: 1, 1: 0})


def test_list_of_circuits_transpiled_or_not(ideal_2x3):
    x = QuantumCircuit(1, 1)
    x.x(0)
    x.measure(0, 0)
    circuits = [_bell(), transpile(_bell(), ideal_2x3, seed_transpiler=3), x]
    result = ideal_2x3.run(circuits, shots=100, seed_simulator=4).result()
    counts = result.get_counts()
    assert set(counts[0]) == set(counts[1]) == {"00", "11"} and counts[2] == {"1": 100}
    seeds = [e.seed_simulator for e in result.results]
    assert seeds[0] == 4 and len(set(seeds)) == 3
    assert result.results[1].header["n_qubits"] == 6  # the transpiled circuit spans the machine


def test_unknown_options_warn_and_bad_circuits_raise(ideal_2x3):
    with pytest.warns(UserWarning, match="unknown option 'noise_model'"):
        ideal_2x3.run(_bell(), shots=10, noise_model=None)
    with pytest.warns(UserWarning, match="unknown option 'foo'"):
        IonnetBackend("duke-2024", foo=1)
    theta = Parameter("θ")
    qc = QuantumCircuit(1)
    qc.rx(theta, 0)
    with pytest.raises(CircuitError, match="unbound parameters: θ"):
        ideal_2x3.run(qc)
    with pytest.raises(NetworkError, match="has 7 qubits but backend 'ionnet_default' has only 6"):
        ideal_2x3.run(QuantumCircuit(7))
    with pytest.raises(CircuitError, match="not a QuantumCircuit"):
        ideal_2x3.run(["h q[0];"])
    with pytest.raises(IonnetError, match="'shots' must be a positive integer"):
        ideal_2x3.run(_bell(), shots=0)
    with pytest.raises(IonnetError, match="'meas_level' must be 2"):
        ideal_2x3.run(_bell(), meas_level=1)
    with pytest.raises(IonnetError, match="'method' must be one of"):
        ideal_2x3.run(_bell(), method="gpu")


def test_a_circuit_the_machine_cannot_simulate_is_a_clear_error():
    backend = IonnetBackend(load_network("default").with_modules(2, capacity=15))
    qc = QuantumCircuit(30, 30)
    for q in range(30):
        qc.t(q)
        qc.h(q)
    qc.measure(range(30), range(30))
    with pytest.raises(IonnetError, match=r"circuit 0 \('.*'\): a non-Clifford program on 30 data qubits"):
        backend.run(qc, shots=10)


def test_runs_from_threads_are_independent(noisy_2x3):
    """run keeps no per-call state: concurrent calls give what serial calls give."""
    zero = QuantumCircuit(3, 3)
    zero.measure(range(3), range(3))
    ones = QuantumCircuit(3, 3)
    ones.x(range(3))
    ones.measure(range(3), range(3))
    circuits = [_bell(), zero, ones, _bell()]
    serial = [
        noisy_2x3.run(c, shots=300, seed_simulator=i).result().get_counts() for i, c in enumerate(circuits)
    ]
    out: dict[int, dict] = {}

    def work(i: int) -> None:
        out[i] = noisy_2x3.run(circuits[i], shots=300, seed_simulator=i).result().get_counts()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(circuits))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [out[i] for i in range(len(circuits))] == serial
    assert max(serial[2], key=serial[2].get) == "111" and max(serial[1], key=serial[1].get) == "000"


def test_ideal_option_switches_noise_off(noisy_2x1):
    counts = noisy_2x1.run(_bell(), shots=500, seed_simulator=1, ideal=True).result().get_counts()
    assert set(counts) == {"00", "11"}
    assert abs(counts["00"] - 250) < 4 * np.sqrt(125)


def test_delays_are_dropped_with_a_warning(ideal_2x3):
    qc = QuantumCircuit(2, 1)
    qc.x(0)
    qc.delay(100e-6, 0, unit="s")
    qc.delay(5e-6, 1, unit="s")  # qubit 1 only waits: it is not simulated
    qc.measure(0, 0)
    with pytest.warns(UserWarning, match="2 delay instruction"):
        result = ideal_2x3.run(qc, shots=20, seed_simulator=1).result()
    assert result.get_counts() == {"1": 20}
    assert result.results[0].metadata["placement"] in ({0: 0}, {0: 1})
