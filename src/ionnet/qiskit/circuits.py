"""What ``IonnetBackend.run`` does to a circuit before compiling it: checks and idle-qubit removal.

A circuit transpiled to the backend spans every data qubit of the machine, most of them idle.
ionnet's compiler places qubits itself, so the run keeps only the qubits an operation touches
(barriers and delays do not count) and the simulation stays the size of the program, as Qiskit
Aer does. Classical bits and registers are kept as they are (they shape the counts). Delays are
dropped: ionnet's runtime starts each operation as soon as its module and inputs are ready, and
the idle decoherence comes from that schedule (the backend warns when it drops one).

>>> from qiskit import QuantumCircuit
>>> qc = QuantumCircuit(5, 2); _ = qc.h(3); _ = qc.barrier(); _ = qc.measure(3, 1)
>>> small, kept = active_circuit(qc)
>>> small.num_qubits, kept, small.num_clbits
(1, [3], 2)
"""

from __future__ import annotations

from qiskit import QuantumCircuit
from qiskit.circuit import Barrier

from ionnet.errors import CircuitError, NetworkError


def active_qubits(circuit: QuantumCircuit) -> list[int]:
    """Indices of the qubits some non-barrier operation acts on (sorted)."""
    used = {
        circuit.find_bit(q).index
        for ins in circuit.data
        if ins.operation.name not in ("barrier", "delay")
        for q in ins.qubits
    }
    return sorted(used)


def active_circuit(circuit: QuantumCircuit) -> tuple[QuantumCircuit, list[int]]:
    """``circuit`` on its active qubits only, and the original index of each kept qubit.

    A circuit with no operation at all keeps its first qubit (the compiler needs one).
    """
    kept = active_qubits(circuit) or list(range(min(1, circuit.num_qubits)))
    if len(kept) == circuit.num_qubits and not count_delays(circuit):
        return circuit, kept
    small = QuantumCircuit(len(kept), name=circuit.name, global_phase=circuit.global_phase)
    small.metadata = circuit.metadata
    small.add_bits([c for c in circuit.clbits])
    for creg in circuit.cregs:
        small.add_register(creg)
    index = {circuit.qubits[old]: small.qubits[new] for new, old in enumerate(kept)}
    for ins in circuit.data:
        qubits = [index[q] for q in ins.qubits if q in index]
        if ins.operation.name == "delay":
            continue
        if ins.operation.name == "barrier":
            if qubits:
                small.append(Barrier(len(qubits)), qubits, copy=False)
            continue
        small.append(ins.operation, qubits, ins.clbits, copy=False)
    return small, kept


def count_delays(circuit: QuantumCircuit) -> int:
    """Number of top-level ``delay`` instructions."""
    return sum(1 for ins in circuit.data if ins.operation.name == "delay")


def check_circuit(circuit: object, index: int, num_qubits: int, backend_name: str) -> QuantumCircuit:
    """The circuit itself if it can run; otherwise a clear error naming it.

    Raises:
        CircuitError: Not a QuantumCircuit, or it has unbound parameters.
        NetworkError: It has more qubits than the machine's data qubits.
    """
    if not isinstance(circuit, QuantumCircuit):
        raise CircuitError(f"run input {index} is not a QuantumCircuit (got {type(circuit).__name__})")
    where = f"circuit {index} ('{circuit.name}')"
    if circuit.parameters:
        names = ", ".join(sorted(p.name for p in circuit.parameters))
        raise CircuitError(f"{where} has unbound parameters: {names} (bind them with assign_parameters)")
    if circuit.num_qubits > num_qubits:
        raise NetworkError(
            f"{where} has {circuit.num_qubits} qubits but backend '{backend_name}' has only "
            f"{num_qubits} data qubits"
        )
    return circuit
