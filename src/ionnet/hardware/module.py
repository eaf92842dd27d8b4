"""A trapped-ion module: memory (data) ions, communication ions and their native operations.

The defaults are an IonQ Aria-class module (cloud-provider documentation, quoted in
../shared/physics/REFERENCES.md "IonQ modules"): 25 qubits, T2 about 1 s, T1 10-100 s (the lower
bound is used), 135 us single-qubit and 600 us two-qubit gates, 99.95 % / 99.6 % gate fidelities,
99.61 % SPAM. Numbers no source gives are assumptions and say so in the field docs.

>>> m = ModuleSpec()
>>> m.data_qubits, m.two_qubit_gate_fidelity
(25, 0.996)
>>> ModuleSpec(two_qubit_gate_fidelity=1.2)
Traceback (most recent call last):
...
ionnet.errors.ConfigError: 'two_qubit_gate_fidelity' must be in [0, 1] (got 1.2)
"""

from __future__ import annotations

from dataclasses import dataclass

from ionnet.hardware.species import species
from ionnet.hardware.validation import (
    require_choice,
    require_non_negative,
    require_positive,
    require_positive_int,
    require_probability,
)

COHERENCE_ENVELOPES = ("exponential", "gaussian")


@dataclass(frozen=True)
class ModuleSpec:
    """Parameters of one trapped-ion module (frozen; validated at construction).

    Attributes:
        name: Module type name.
        data_qubits: Memory ions available for data (the capacity).
        communication_ions: Communication ions, each able to hold one half of an ebit.
        memory_species / communication_species: Ion species (see ``ionnet.hardware.species``).
        single_qubit_gate_time_s / _fidelity: Single-qubit rotation (GPi, GPi2, R). Rz is virtual.
        two_qubit_gate_time_s / _fidelity: Molmer-Sorensen (MS) gate.
        zz_gate_time_s / _fidelity: ZZ gate (IonQ Forte's native gate; assumed equal to MS).
        measurement_time_s: State readout (assumption: 200 us, typical fluorescence detection).
        reset_time_s: Optical pumping reset (assumption: 50 us).
        spam_error: Probability that preparation-and-measurement flips the result.
        memory_t1_s / memory_t2_s: Relaxation and dephasing times of memory ions.
        communication_t1_s / communication_t2_s: The same for communication ions.
        coherence_envelope: ``exponential`` (exp(-t/T2)) or ``gaussian`` (exp(-(t/T2)^2)).
        swap_time_s / swap_fidelity: Moving a state from a communication ion to a memory ion.
        crosstalk_dephasing_per_attempt: Probability of a Z error on each memory ion per
            photon-generation attempt (Drmota 2023 and the Tsinghua dual-type node saw none).
    """

    name: str = "aria"
    data_qubits: int = 25
    communication_ions: int = 1
    memory_species: str = "171Yb+"
    communication_species: str = "138Ba+"
    single_qubit_gate_time_s: float = 135e-6
    single_qubit_gate_fidelity: float = 0.9995
    two_qubit_gate_time_s: float = 600e-6
    two_qubit_gate_fidelity: float = 0.996
    zz_gate_time_s: float = 600e-6
    zz_gate_fidelity: float = 0.996
    measurement_time_s: float = 200e-6
    reset_time_s: float = 50e-6
    spam_error: float = 0.0039
    memory_t1_s: float = 10.0
    memory_t2_s: float = 1.0
    communication_t1_s: float = 10.0
    communication_t2_s: float = 0.5
    coherence_envelope: str = "exponential"
    swap_time_s: float = 600e-6
    swap_fidelity: float = 0.996
    crosstalk_dephasing_per_attempt: float = 0.0

    def __post_init__(self) -> None:
        require_positive_int("data_qubits", self.data_qubits)
        require_positive_int("communication_ions", self.communication_ions)
        species(self.memory_species)
        species(self.communication_species)
        for name in (
            "single_qubit_gate_fidelity",
            "two_qubit_gate_fidelity",
            "zz_gate_fidelity",
            "swap_fidelity",
            "spam_error",
            "crosstalk_dephasing_per_attempt",
        ):
            require_probability(name, getattr(self, name))
        for name in (
            "single_qubit_gate_time_s",
            "two_qubit_gate_time_s",
            "zz_gate_time_s",
            "measurement_time_s",
            "reset_time_s",
            "swap_time_s",
        ):
            require_non_negative(name, getattr(self, name))
        for name in ("memory_t1_s", "memory_t2_s", "communication_t1_s", "communication_t2_s"):
            require_positive(name, getattr(self, name))
        require_choice("coherence_envelope", self.coherence_envelope, COHERENCE_ENVELOPES)
