"""Run a DistributedProgram on a network: timing pass, noise pass, state simulation, result.

Paths (``backend``):

* ``stim``: Clifford programs (every gate Clifford, every feed-forward a Pauli), all shots at
  once with stim;
* ``trajectories``: the fast path of :mod:`ionnet.runtime.trajectories` (circuit bits measured
  at the end), any gate set, with the mean state fidelity for free;
* ``statevector`` / ``density``: every shot from the start on that state backend of
  :mod:`ionnet.states` (any program);
* ``auto``: stim if Clifford, else trajectories if possible, else statevector.

>>> from ionnet.compiler.program import DistributedProgram
>>> from ionnet.hardware import load_network
>>> text = open("examples/programs/teleported_cnot.txt").read()
>>> r = run_program(DistributedProgram.from_text(text), load_network("default"), shots=200, seed=1)
>>> r.backend, r.ebits, sum(r.counts.values())
('stim', 1, 200)
"""

from __future__ import annotations

import time
from collections.abc import Iterable

import numpy as np
import stim

from ionnet.compiler.program import DistributedProgram
from ionnet.errors import BackendError, ConfigError
from ionnet.hardware.network import NetworkSpec
from ionnet.runtime.noise import NoiseModel
from ionnet.runtime.noisy import NoisyCircuit, build_noisy_circuit
from ionnet.runtime.reference import IdealReference
from ionnet.runtime.result import RunResult, hellinger, success_probability
from ionnet.runtime.shots import run_per_shot
from ionnet.runtime.stim_path import CliffordReference, run_stim, stabilizers_of, stim_state_fidelity
from ionnet.runtime.storage import add_storage_noise
from ionnet.runtime.timing import schedule
from ionnet.runtime.trajectories import run_trajectories
from ionnet.seeding import stream

BACKENDS = ("auto", "stim", "trajectories", "statevector", "density")
MAX_STATE_QUBITS = 24
"""Most data qubits a non-Clifford program may hold (a state vector of 2^24 amplitudes)."""


def _check_run_args(shots: int, seed: int, backend: str) -> None:
    if isinstance(shots, bool) or not isinstance(shots, int | np.integer) or shots < 1:
        raise ConfigError(f"'shots' must be a positive integer (got {shots!r})")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ConfigError(f"'seed' must be a non-negative integer (got {seed!r})")
    if backend not in BACKENDS:
        raise ConfigError(f"'backend' must be one of {', '.join(BACKENDS)} (got {backend!r})")


def choose_path(nc: NoisyCircuit, backend: str = "auto") -> str:
    """The simulation path for ``nc`` (see the module docstring).

    Raises:
        BackendError: A non-Clifford program holds more data qubits than a state vector can.
    """
    if backend == "auto" and nc.is_clifford():
        return "stim"
    width = len({q for s in nc.steps for q in s.qubits if ".q" in q})
    if backend in ("auto", "trajectories") and width > MAX_STATE_QUBITS:
        raise BackendError(
            f"a non-Clifford program on {width} data qubits is too large for exact state simulation "
            f"(at most {MAX_STATE_QUBITS}); Clifford programs of any size run on stim"
        )
    if backend == "trajectories" and not nc.has_fast_path():
        raise BackendError("the trajectories path needs circuit bits measured only at the end")
    if backend != "auto":
        return backend
    return "trajectories" if nc.has_fast_path() else "statevector"


def run_program(
    program: DistributedProgram,
    network: NetworkSpec,
    *,
    shots: int = 1000,
    seed: int = 0,
    ideal: bool = False,
    backend: str = "auto",
    reference: IdealReference | CliffordReference | None = None,
    expected: str | Iterable[str] | None = None,
) -> RunResult:
    """Execute ``program`` on ``network`` and return counts, fidelity, makespan, ebits and trace.

    Args:
        program: A compiled DistributedProgram.
        network: The network it runs on.
        shots: Number of shots (>= 1).
        seed: Root seed: link timing, errors and outcomes are named streams under it.
        ideal: Perfect gates, readout and ebits, no idle noise (durations still count).
        backend: Simulation path (BACKENDS).
        reference: The ideal output of the original circuit (for fidelities), if known: a state
            vector, or the stabilizers of a Clifford circuit too large for one.
        expected: The expected answer(s) as bitstrings (for the success probability).

    Raises:
        ConfigError: Bad shots, seed or backend.
        NetworkError: The program does not fit the network or the network is not connected.
        ProgramError: The program reads a bit that never arrives.
        BackendError: The chosen path cannot run the program.
    """
    _check_run_args(shots, seed, backend)
    start = time.perf_counter()
    trace = schedule(program, network, stream(seed, "runtime", "links"))
    noise = NoiseModel.from_network(network, ideal)
    nc = add_storage_noise(build_noisy_circuit(program, trace, noise), program, trace, noise)
    path = choose_path(nc, backend)
    counts, fidelity, sem, trajectories = _simulate(path, nc, program, reference, shots, seed)
    hel = hellinger(counts, reference.distribution) if reference and reference.distribution else None
    kind = "state" if fidelity is not None else ("hellinger" if hel is not None else None)
    ci = None
    if fidelity is not None and sem is not None:
        ci = (max(0.0, fidelity - 1.96 * sem), min(1.0, fidelity + 1.96 * sem))
    return RunResult(
        counts=counts,
        shots=shots,
        ebits=len(trace.ebits),
        link_attempts=trace.link_attempts,
        makespan_s=trace.makespan_s,
        fidelity=fidelity if fidelity is not None else hel,
        fidelity_kind=kind,
        backend=path,
        fidelity_ci95=ci,
        hellinger_fidelity=hel,
        success_probability=success_probability(counts, expected) if expected is not None else None,
        utilisation=trace.utilisation(),
        trajectories=trajectories,
        wall_s=time.perf_counter() - start,
        ideal=ideal,
        trace=trace,
    )


def _simulate(
    path: str,
    nc: NoisyCircuit,
    program: DistributedProgram,
    reference: IdealReference | CliffordReference | None,
    shots: int,
    seed: int,
) -> tuple[dict[str, int], float | None, float | None, int | None]:
    """Counts, state fidelity and its standard error, and trajectories, on the chosen path."""
    if path == "stim":
        counts = run_stim(nc, shots, seed=int(stream(seed, "runtime", "stim").integers(2**62)))
        generators = _stim_target(program, reference)
        if generators is None:
            return counts, None, None, None
        fid_seed = int(stream(seed, "runtime", "stim", "fidelity").integers(2**62))
        fidelity, sem = stim_state_fidelity(nc, generators[0], generators[1], shots, fid_seed)
        return counts, fidelity, sem, None
    if isinstance(reference, CliffordReference):
        reference = None  # only the stim path uses stabilizer references
    if path == "trajectories":
        overlap = _overlap_target(program, reference)
        out = run_trajectories(nc, shots, stream(seed, "runtime", "trajectories"), overlap)
        return out.counts, out.fidelity, out.fidelity_sem, out.trajectories
    return run_per_shot(nc, shots, stream(seed, "runtime", "shots"), path), None, None, None


def _stim_target(
    program: DistributedProgram, reference: IdealReference | CliffordReference | None
) -> tuple[list[stim.PauliString], list[str]] | None:
    """The ideal output's stabilizer generators and the slot of each circuit qubit."""
    if isinstance(reference, CliffordReference):
        slots = [program.final_placement.get(i) for i in range(reference.num_qubits)]
        if any(s is None for s in slots):
            return None
        return reference.stabilizers, [s for s in slots if s is not None]
    target = _overlap_target(program, reference)
    return None if target is None else (stabilizers_of(target[0]), target[1])


def _overlap_target(
    program: DistributedProgram, reference: IdealReference | None
) -> tuple[np.ndarray, list[str]] | None:
    if reference is None:
        return None
    n = reference.statevector.size.bit_length() - 1
    slots = [program.final_placement.get(i) for i in range(n)]
    if any(s is None for s in slots):
        return None
    return reference.statevector, [s for s in slots if s is not None]
