"""ionnet: model, compile for, run and sweep networked modular trapped-ion quantum computers.

The public API, layer by layer (see docs/architecture.md). Only the error classes load at once;
every other name (the hardware layer, which imports numpy, and the compiler, runtime, protocols
and sweeps, which import qiskit, stim and SimPy) loads on first use, so ``import ionnet`` and
``ionnet --help`` stay fast.

>>> import ionnet
>>> net = ionnet.load_network("default")
>>> budget = ionnet.link_budget(net.link, net.modules[0], net.modules[1])
>>> round(budget.rate_hz), round(budget.fidelity, 3)
(230, 0.965)
"""

from __future__ import annotations

import importlib
from typing import Any

from ionnet.errors import (
    BackendError,
    CircuitError,
    ConfigError,
    IonnetError,
    NetworkError,
    ProgramError,
    SweepError,
)

__version__ = "0.1.0"

_LAZY = {
    "ArmSpec": "ionnet.hardware",
    "BellDiagonal": "ionnet.hardware",
    "LinkBudget": "ionnet.hardware",
    "LinkSpec": "ionnet.hardware",
    "ModuleSpec": "ionnet.hardware",
    "NetworkSpec": "ionnet.hardware",
    "link_budget": "ionnet.hardware",
    "load_network": "ionnet.hardware",
    "preset_names": "ionnet.hardware",
    "DensityMatrixBackend": "ionnet.states",
    "StatevectorBackend": "ionnet.states",
    "StabilizerBackend": "ionnet.states",
    "generate_ebits": "ionnet.link",
    "run_protocol": "ionnet.protocols",
    "DistributedProgram": "ionnet.compiler.program",
    "compile_circuit": "ionnet.compiler.pipeline",
    "run_circuit": "ionnet.runtime",
    "run_program": "ionnet.runtime",
    "load_sweep": "ionnet.analysis.spec",
    "run_sweep": "ionnet.analysis.sweep",
    "InterfaceNoise": "ionnet.qec",
    "MemorySpec": "ionnet.qec",
    "SurgerySpec": "ionnet.qec",
    "memory_experiment": "ionnet.qec",
    "surgery_experiment": "ionnet.qec",
    "IonnetBackend": "ionnet.qiskit",
    "IonnetProvider": "ionnet.qiskit",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'ionnet' has no attribute {name!r}")


__all__ = [
    "ArmSpec",
    "BackendError",
    "BellDiagonal",
    "CircuitError",
    "ConfigError",
    "DensityMatrixBackend",
    "DistributedProgram",
    "InterfaceNoise",
    "IonnetBackend",
    "IonnetError",
    "IonnetProvider",
    "LinkBudget",
    "LinkSpec",
    "MemorySpec",
    "ModuleSpec",
    "NetworkError",
    "NetworkSpec",
    "ProgramError",
    "StabilizerBackend",
    "StatevectorBackend",
    "SurgerySpec",
    "SweepError",
    "compile_circuit",
    "generate_ebits",
    "link_budget",
    "load_network",
    "load_sweep",
    "memory_experiment",
    "preset_names",
    "run_circuit",
    "run_program",
    "run_protocol",
    "run_sweep",
    "surgery_experiment",
]
