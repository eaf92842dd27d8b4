"""A heralded pair while it waits: dephasing, the swap into memory ions, crosstalk, cutoff.

All channels are Pauli channels, so a stored pair stays Bell-diagonal (REFERENCES §3.5):

* waiting t seconds dephases each qubit with coherence envelope C(t) (exp(-t/T2) or
  exp(-(t/T2)²)), a Z error of probability (1 - C)/2 on each side, so a perfect pair decays
  as F(t) = ½[1 + C_A(t)·C_B(t)];
* the swap from communication ion to memory ion is a depolarizing channel on each side with
  λ = 4(1 - F_swap)/3 and takes ``swap_time_s``;
* each photon-generation attempt flips a stored memory qubit's phase with probability q
  (``crosstalk_dephasing_per_attempt``); n attempts leave coherence (1 - 2q)^n.

T1 (amplitude damping) is not modelled: it is 10-100 times longer than T2 for these ions.

>>> from ionnet.hardware.bell import BellDiagonal
>>> from ionnet.hardware.module import ModuleSpec
>>> m = ModuleSpec(communication_t2_s=1.0, coherence_envelope="exponential")
>>> round(stored_state(BellDiagonal.perfect(), 0.5, m, m).fidelity, 6)
0.68394
"""

from __future__ import annotations

from typing import Literal

from ionnet.errors import ConfigError
from ionnet.hardware import link_physics
from ionnet.hardware.bell import BellDiagonal
from ionnet.hardware.module import ModuleSpec

Location = Literal["communication", "memory"]


def _t2(module: ModuleSpec, location: Location) -> float:
    if location == "communication":
        return module.communication_t2_s
    if location == "memory":
        return module.memory_t2_s
    raise ConfigError(f"'location' must be communication or memory (got {location!r})")


def pair_coherence(wait_s: float, module_a: ModuleSpec, module_b: ModuleSpec, location: Location) -> float:
    """C_A(t)·C_B(t) for a pair stored ``wait_s`` seconds in ``location`` ions."""
    c_a = link_physics.coherence(wait_s, _t2(module_a, location), module_a.coherence_envelope)
    c_b = link_physics.coherence(wait_s, _t2(module_b, location), module_b.coherence_envelope)
    return c_a * c_b


def stored_state(
    state: BellDiagonal,
    wait_s: float,
    module_a: ModuleSpec,
    module_b: ModuleSpec,
    location: Location = "communication",
    crosstalk_attempts: float = 0.0,
) -> BellDiagonal:
    """The pair after ``wait_s`` seconds in communication or memory ions (REFERENCES §3.5).

    ``crosstalk_attempts``: photon-generation attempts made next to the stored qubits while
    they waited; each dephases a memory qubit with the module's crosstalk probability (only
    for ``location="memory"``: the communication ions are the ones emitting).
    """
    for module in (module_a, module_b):
        z = link_physics.dephasing_probability(wait_s, _t2(module, location), module.coherence_envelope)
        state = state.dephased(z)
        if location == "memory" and crosstalk_attempts > 0:
            state = state.dephased(crosstalk_z_probability(module, crosstalk_attempts))
    return state


def crosstalk_z_probability(module: ModuleSpec, attempts: float) -> float:
    """Z probability on one memory qubit after n attempts, each a Z with probability q [D].

    An odd number of flips: (1 - (1 - 2q)^n)/2.

    >>> round(crosstalk_z_probability(ModuleSpec(crosstalk_dephasing_per_attempt=0.01), 1), 6)
    0.01
    """
    if attempts < 0:
        raise ConfigError(f"crosstalk attempts must be >= 0 (got {attempts!r})")
    q = module.crosstalk_dephasing_per_attempt
    return 0.5 * (1.0 - (1.0 - 2.0 * q) ** attempts)


def swapped_to_memory(state: BellDiagonal, module_a: ModuleSpec, module_b: ModuleSpec) -> BellDiagonal:
    """The pair after both halves move to memory ions: depolarizing with λ = 4(1 - F_swap)/3 each.

    >>> m = ModuleSpec(swap_fidelity=0.977)
    >>> round(swapped_to_memory(BellDiagonal.perfect(), m, m).fidelity, 4)
    0.9547
    """
    for module in (module_a, module_b):
        state = state.depolarized(link_physics.depolarizing_parameter(module.swap_fidelity))
    return state


def swap_duration_s(module_a: ModuleSpec, module_b: ModuleSpec) -> float:
    """Both modules swap in parallel: the slower one decides."""
    return max(module_a.swap_time_s, module_b.swap_time_s)


def is_expired(age_s: float, cutoff_s: float | None) -> bool:
    """Whether a pair of this age is discarded by a cutoff (None: never)."""
    return cutoff_s is not None and age_s > cutoff_s
