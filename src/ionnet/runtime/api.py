"""Circuit in, result out: compile with :mod:`ionnet.compiler`, run with :func:`run_program`.

>>> from qiskit import QuantumCircuit
>>> from ionnet.hardware import load_network
>>> qc = QuantumCircuit(2, 2); _ = qc.h(0); _ = qc.cx(0, 1); _ = qc.measure([0, 1], [0, 1])
>>> out = run_circuit(qc, load_network("default").with_modules(2, capacity=1), shots=100, seed=2)
>>> out.result.ebits, sorted(out.result.counts)[:1]
(1, ['00'])
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from qiskit import QuantumCircuit

from ionnet.compiler.circuit_input import parse_qasm
from ionnet.compiler.pipeline import compile_circuit
from ionnet.compiler.program import DistributedProgram
from ionnet.errors import CircuitError, ProgramError
from ionnet.fileio import read_text_file
from ionnet.hardware.network import NetworkSpec
from ionnet.runtime.execute import run_program
from ionnet.runtime.reference import ideal_reference
from ionnet.runtime.result import RunResult
from ionnet.runtime.stim_path import clifford_reference

PROGRAM_SUFFIXES = (".prog", ".txt", ".json")
"""File suffixes read as compiled programs rather than circuits."""


@dataclass
class RunOutcome:
    """A run together with the program that ran and how long compiling took."""

    result: RunResult
    program: DistributedProgram
    compile_s: float
    circuit: QuantumCircuit | None


def run_circuit(
    circuit: QuantumCircuit,
    network: NetworkSpec,
    *,
    shots: int = 1000,
    seed: int = 0,
    ideal: bool = False,
    backend: str = "auto",
    expected: str | Iterable[str] | None = None,
) -> RunOutcome:
    """Compile ``circuit`` for ``network`` (compiler seed = ``seed``) and run it.

    The fidelity is measured against Qiskit's ideal simulation of ``circuit`` itself, or, for a
    Clifford circuit too large for a state vector, against the stabilizers of its ideal output.
    """
    start = time.perf_counter()
    compiled = compile_circuit(circuit, network, seed=seed)
    compile_s = time.perf_counter() - start
    result = run_program(
        compiled.program,
        network,
        shots=shots,
        seed=seed,
        ideal=ideal,
        backend=backend,
        reference=ideal_reference(circuit) or clifford_reference(circuit),
        expected=expected,
    )
    return RunOutcome(result, compiled.program, compile_s, circuit)


def read_program_or_circuit(path: str | Path) -> DistributedProgram | QuantumCircuit:
    """A compiled program (``.prog``/``.txt``/``.json``) or a circuit (OpenQASM 2/3) from a file."""
    path = Path(path)
    if path.suffix in PROGRAM_SUFFIXES:
        text = read_text_file(path, "program file", ProgramError)
        try:
            if path.suffix == ".json":
                return DistributedProgram.from_json(text)
            return DistributedProgram.from_text(text)
        except ProgramError as exc:
            raise ProgramError(f"program file {path}: {exc}") from None
    return parse_qasm(read_text_file(path, "circuit file", CircuitError), str(path))


def run_circuit_file(
    path: str | Path,
    network_for: Callable[[int], NetworkSpec],
    *,
    shots: int = 1000,
    seed: int = 0,
    ideal: bool = False,
    backend: str = "auto",
    expected: str | Iterable[str] | None = None,
) -> RunOutcome:
    """Read a circuit or program file and run it; ``network_for(num_qubits)`` gives the network."""
    source = read_program_or_circuit(path)
    if isinstance(source, QuantumCircuit):
        network = network_for(source.num_qubits)
        return run_circuit(
            source, network, shots=shots, seed=seed, ideal=ideal, backend=backend, expected=expected
        )
    network = network_for(source.num_qubits)
    result = run_program(
        source, network, shots=shots, seed=seed, ideal=ideal, backend=backend, expected=expected
    )
    return RunOutcome(result, source, 0.0, None)
