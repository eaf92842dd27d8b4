"""``IonnetBackend``: a network of trapped-ion modules as a Qiskit ``BackendV2``.

``run`` compiles each circuit with ionnet's distributed compiler for the backend's network and
runs it on the simulated machine (:func:`ionnet.runtime.run_circuit`, every duration and noise
source in place unless ``ideal=True``); the job's ``result()`` is a standard
``qiskit.result.Result`` whose experiments also carry ionnet's figures in ``metadata``
(fidelity, makespan_s, ebits, link_attempts, the simulation path, the placement).
The run is synchronous, keeps no state on the backend object (the V2 primitives call ``run``
from their job threads) and, for the same ``seed_simulator``, gives the same counts as
``ionnet run --seed`` on the same circuit and network.

>>> from qiskit import QuantumCircuit
>>> backend = IonnetBackend("default", ideal=True)
>>> qc = QuantumCircuit(2, 2); _ = qc.h(0); _ = qc.cx(0, 1); _ = qc.measure([0, 1], [0, 1])
>>> result = backend.run(qc, shots=200, seed_simulator=7).result()
>>> sorted(result.get_counts()), result.results[0].metadata["ebits"]
(['00', '11'], 0)
>>> backend.num_qubits, backend.module_of(30)
(50, 1)
"""

from __future__ import annotations

import datetime
import secrets
import time
import uuid
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from qiskit import QuantumCircuit
from qiskit.providers import BackendV2, JobStatus, Options
from qiskit.providers.job import JobV1
from qiskit.result import Result
from qiskit.transpiler import Target

from ionnet.errors import ConfigError, IonnetError
from ionnet.hardware.network import NetworkSpec, load_network, preset_names
from ionnet.qiskit.circuits import active_circuit, check_circuit, count_delays
from ionnet.qiskit.results import experiment_dict, shot_memory
from ionnet.qiskit.target import build_target, module_slices
from ionnet.runtime.api import run_circuit
from ionnet.runtime.execute import BACKENDS
from ionnet.seeding import stream

VERSION = "0.1.0"
MAX_SEED = 2**31 - 1


class IonnetJob(JobV1):
    """A finished run (``IonnetBackend.run`` is synchronous): ``result()`` returns at once."""

    _async = False

    def __init__(self, backend: IonnetBackend, job_id: str, result: Result) -> None:
        super().__init__(backend, job_id)
        self._result = result

    def submit(self) -> None:
        """Nothing to do: the job ran when it was made."""

    def result(self, timeout: float | None = None) -> Result:
        """The ``qiskit.result.Result`` of the run."""
        return self._result

    def status(self) -> JobStatus:
        """Always ``DONE``."""
        return JobStatus.DONE


class IonnetBackend(BackendV2):
    """The simulated network of modules ``network`` as a Qiskit backend.

    Args:
        network: A NetworkSpec, a preset name (``ionnet.preset_names()``) or a network TOML file.
        **options: Default run options: ``shots`` (1024), ``seed_simulator`` (None: a fresh
            seed per run, recorded in the result), ``memory`` (False), ``ideal`` (False: full
            noise), ``method`` (the runtime's simulation path, ``auto``), ``meas_level`` (2 only:
            classified bits). Unknown ones warn.

    Raises:
        ConfigError: The network name or file is not valid.
    """

    def __init__(self, network: NetworkSpec | str | Path = "default", **options: Any) -> None:
        spec = network if isinstance(network, NetworkSpec) else load_network(network)
        spec.require_connected()
        super().__init__(
            name=f"ionnet_{spec.name}",
            description=f"ionnet simulated network '{spec.name}': {spec.description}".rstrip(": "),
            backend_version=VERSION,
        )
        self._network = spec
        self._slices = module_slices(spec)
        self._owner = tuple(m for m, qubits in enumerate(self._slices) for _ in qubits)
        self._target = build_target(spec)
        self.options.set_validator("shots", (1, 10**9))
        self.options.set_validator("method", list(BACKENDS))
        self.options.set_validator("ideal", bool)
        self.options.set_validator("memory", bool)
        known = _known_options(options, "IonnetBackend")
        if known:
            self.set_options(**known)

    @classmethod
    def _default_options(cls) -> Options:
        return Options(
            shots=1024, seed_simulator=None, memory=False, ideal=False, method="auto", meas_level=2
        )

    @property
    def target(self) -> Target:
        """The machine's Target (see :mod:`ionnet.qiskit.target`)."""
        return self._target

    @property
    def max_circuits(self) -> None:
        """No limit on circuits per run."""
        return None

    @property
    def network(self) -> NetworkSpec:
        """The network the backend simulates."""
        return self._network

    @property
    def modules(self) -> tuple[tuple[int, ...], ...]:
        """The physical (data) qubits of each module, module by module."""
        return self._slices

    def module_of(self, qubit: int) -> int:
        """The module holding physical qubit ``qubit``.

        Raises:
            ConfigError: No such qubit.
        """
        if isinstance(qubit, bool) or not isinstance(qubit, int) or not 0 <= qubit < len(self._owner):
            raise ConfigError(f"qubit must be in 0..{len(self._owner) - 1} (got {qubit!r})")
        return self._owner[qubit]

    def run(self, run_input: QuantumCircuit | Sequence[QuantumCircuit], **options: Any) -> IonnetJob:
        """Compile and run one circuit or a list of them; returns a finished job.

        Each circuit is compiled for the network and run with ``shots`` shots. Experiment ``i``
        uses ``seed_simulator`` itself for ``i = 0`` and a seed derived from it by name for the
        others, recorded in each experiment's ``seed_simulator``.

        Raises:
            CircuitError: A circuit has unbound parameters or cannot be lowered.
            NetworkError: A circuit has more qubits than the machine or does not fit it.
            BackendError: The runtime cannot simulate it (e.g. non-Clifford and too wide).
            ConfigError: A bad option value.
        """
        config = {**self.options.__dict__, **_known_options(options, "run")}
        _check_config(config)
        circuits = [run_input] if isinstance(run_input, QuantumCircuit) else list(run_input)
        for i, qc in enumerate(circuits):
            check_circuit(qc, i, self.num_qubits, self.name)
        delays = sum(count_delays(qc) for qc in circuits)
        if delays:
            warnings.warn(
                f"{delays} delay instruction(s) dropped: ionnet's runtime schedules each operation "
                "as soon as it can (idle decoherence follows that schedule)",
                UserWarning,
                stacklevel=2,
            )
        seed = config["seed_simulator"]
        seed = secrets.randbelow(MAX_SEED) if seed is None else int(seed)
        start = time.perf_counter()
        experiments = [self._run_one(qc, i, seed, config) for i, qc in enumerate(circuits)]
        job_id = str(uuid.uuid4())
        result = Result.from_dict(
            {
                "backend_name": self.name,
                "backend_version": self.backend_version,
                "job_id": job_id,
                "qobj_id": job_id,
                "success": True,
                "status": "COMPLETED",
                "date": datetime.datetime.now().isoformat(),
                "results": experiments,
                "header": {"backend_name": self.name, "backend_version": self.backend_version},
                "metadata": {"seed_simulator": seed, "network": self._network.name},
                "time_taken": time.perf_counter() - start,
            }
        )
        return IonnetJob(self, job_id, result)

    def _run_one(self, circuit: QuantumCircuit, index: int, seed: int, config: dict) -> dict[str, Any]:
        start = time.perf_counter()
        exp_seed = experiment_seed(seed, index)
        small, kept = active_circuit(circuit)
        try:
            outcome = run_circuit(
                small,
                self._network,
                shots=int(config["shots"]),
                seed=exp_seed,
                ideal=bool(config["ideal"]),
                backend=config["method"],
            )
        except IonnetError as exc:
            raise type(exc)(f"circuit {index} ('{circuit.name}'): {exc}") from None
        memory = None
        if config["memory"]:
            memory = shot_memory(outcome.result.counts, stream(exp_seed, "qiskit", "memory"))
        return experiment_dict(circuit, outcome, kept, exp_seed, memory, time.perf_counter() - start)


def experiment_seed(seed: int, index: int) -> int:
    """The seed of experiment ``index`` of a run with ``seed_simulator=seed``.

    >>> experiment_seed(5, 0), experiment_seed(5, 1) == experiment_seed(5, 1) != 5
    (5, True)
    """
    return seed if index == 0 else int(stream(seed, "qiskit", "experiment", index).integers(MAX_SEED))


_RUN_OPTIONS = frozenset(IonnetBackend._default_options().__dict__)


def _known_options(options: dict[str, Any], where: str) -> dict[str, Any]:
    """The options the backend knows; a warning names each unknown one (it is ignored)."""
    for key in sorted(set(options) - _RUN_OPTIONS):
        warnings.warn(
            f"{where}: unknown option {key!r} ignored (known: {', '.join(sorted(_RUN_OPTIONS))})",
            UserWarning,
            stacklevel=3,
        )
    return {k: v for k, v in options.items() if k in _RUN_OPTIONS}


def _check_config(config: dict[str, Any]) -> None:
    shots, seed = config["shots"], config["seed_simulator"]
    if isinstance(shots, bool) or not isinstance(shots, int | np.integer) or shots < 1:
        raise ConfigError(f"'shots' must be a positive integer (got {shots!r})")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0):
        raise ConfigError(f"'seed_simulator' must be a non-negative integer or None (got {seed!r})")
    if config["meas_level"] != 2:
        raise ConfigError(f"'meas_level' must be 2 (classified bits; got {config['meas_level']!r})")
    if config["method"] not in BACKENDS:
        raise ConfigError(f"'method' must be one of {', '.join(BACKENDS)} (got {config['method']!r})")


class IonnetProvider:
    """The networks shipped with ionnet (the presets) as backends.

    >>> provider = IonnetProvider()
    >>> "ionnet_default" in [b.name for b in provider.backends()]
    True
    >>> provider.get_backend("duke-2024").num_qubits
    2
    """

    def backends(self, name: str | None = None, **options: Any) -> list[IonnetBackend]:
        """One backend per preset (only ``name``'s when given; ``ionnet_`` prefix optional)."""
        names = preset_names() if name is None else [name.removeprefix("ionnet_")]
        return [IonnetBackend(n, **options) for n in names if n in preset_names()]

    def get_backend(self, name: str = "default", **options: Any) -> IonnetBackend:
        """The backend of preset ``name``.

        Raises:
            ConfigError: No such preset.
        """
        found = self.backends(name, **options)
        if not found:
            raise ConfigError(f"no ionnet backend {name!r} (presets: {', '.join(preset_names())})")
        return found[0]
