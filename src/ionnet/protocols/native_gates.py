"""The native gate set of a trapped-ion module as one table: name, duration, error model, unitary.

=======  ======  =========================  ===================================================
name     qubits  duration (ModuleSpec)      error model
=======  ======  =========================  ===================================================
R        1       single_qubit_gate_time_s   1-qubit depolarizing from single_qubit_gate_fidelity
GPI      1       single_qubit_gate_time_s   1-qubit depolarizing from single_qubit_gate_fidelity
GPI2     1       single_qubit_gate_time_s   1-qubit depolarizing from single_qubit_gate_fidelity
RZ       1       0 (virtual: a phase frame  none
                 change)
MS       2       two_qubit_gate_time_s      2-qubit depolarizing from two_qubit_gate_fidelity
ZZ       2       zz_gate_time_s             2-qubit depolarizing from zz_gate_fidelity
=======  ======  =========================  ===================================================

The unitaries are those of :mod:`ionnet.states.gates`. A fidelity in ModuleSpec is read as an
*average gate fidelity* F; the depolarizing channel ``ρ → (1-λ)ρ + λ I/d`` with the same F has
``λ = d(1-F)/(d-1)`` (Nielsen, Phys. Lett. A 303, 249 (2002); Horodecki et al., PRA 60, 1888
(1999): ``F_avg = (d F_pro + 1)/(d + 1)`` and ``F_pro = 1 - λ(d²-1)/d²``), i.e. a total Pauli
error probability ``p = λ(d²-1)/d² = (d+1)(1-F)/d``: 1.5 (1 - F) for one qubit, 1.25 (1 - F) for two.

Standard gates (H, CX, CZ, ...) are accepted at the cost of the native gates they compile to
(:data:`STANDARD_COST`): a one-qubit Clifford or rotation costs one native one-qubit gate, Z-axis
gates are virtual, a controlled two-qubit gate costs one MS gate (the single-qubit dressing is
folded into it, an approximation) and SWAP costs three.

>>> from ionnet.hardware import ModuleSpec
>>> m = ModuleSpec()
>>> NATIVE_GATES["MS"].duration_s(m), round(NATIVE_GATES["MS"].error_probability(m), 6)
(0.0006, 0.005)
>>> NATIVE_GATES["RZ"].duration_s(m), NATIVE_GATES["RZ"].error_probability(m)
(0.0, 0.0)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ionnet.errors import ConfigError
from ionnet.hardware.module import ModuleSpec
from ionnet.states.gates import Matrix, gate_def, gate_unitary


def depolarizing_probability(average_gate_fidelity: float, num_qubits: int) -> float:
    """Total Pauli error probability ``(d+1)(1-F)/d`` of the depolarizing channel of average fidelity F.

    Capped at the fully depolarizing value ``(d²-1)/d²`` (reached at F = 1/d).

    >>> depolarizing_probability(0.99, 1), depolarizing_probability(0.99, 2)
    (0.015000000000000013, 0.012500000000000011)
    """
    if not 0.0 <= average_gate_fidelity <= 1.0:
        raise ConfigError(f"'average_gate_fidelity' must be in [0, 1] (got {average_gate_fidelity!r})")
    d = 2**num_qubits
    return min((d + 1) * (1.0 - average_gate_fidelity) / d, (d * d - 1) / (d * d))


@dataclass(frozen=True)
class NativeGate:
    """One row of the native gate table.

    Attributes:
        name: Gate name (as in :data:`ionnet.states.gates.GATES`).
        num_qubits: 1 or 2.
        duration_s: The gate's duration on a module.
        fidelity: The module's average gate fidelity for it (1.0 for virtual gates).
        error_model: ``"depolarizing"`` or ``"none"``.
    """

    name: str
    num_qubits: int
    duration_s: Callable[[ModuleSpec], float]
    fidelity: Callable[[ModuleSpec], float]
    error_model: str = "depolarizing"

    def unitary(self, params: Sequence[float] = ()) -> Matrix:
        """The ideal unitary at angles ``params``."""
        return gate_unitary(self.name, params)

    def error_probability(self, module: ModuleSpec) -> float:
        """Total depolarizing Pauli error probability on this module (0 for ``none``)."""
        if self.error_model == "none":
            return 0.0
        return depolarizing_probability(self.fidelity(module), self.num_qubits)

    @property
    def params(self) -> tuple[str, ...]:
        """Names of the angle parameters."""
        return gate_def(self.name).params


def _one_qubit(name: str) -> NativeGate:
    return NativeGate(name, 1, lambda m: m.single_qubit_gate_time_s, lambda m: m.single_qubit_gate_fidelity)


NATIVE_GATES: dict[str, NativeGate] = {
    g.name: g
    for g in (
        _one_qubit("R"),
        _one_qubit("GPI"),
        _one_qubit("GPI2"),
        NativeGate("RZ", 1, lambda m: 0.0, lambda m: 1.0, "none"),
        NativeGate("MS", 2, lambda m: m.two_qubit_gate_time_s, lambda m: m.two_qubit_gate_fidelity),
        NativeGate("ZZ", 2, lambda m: m.zz_gate_time_s, lambda m: m.zz_gate_fidelity),
    )
}
"""The native gate set, by name."""

STANDARD_COST: dict[str, tuple[str, int]] = {
    **{g: ("R", 1) for g in ("H", "X", "Y", "SX", "RX", "RY", "U")},
    **{g: ("RZ", 1) for g in ("I", "Z", "S", "SDG", "T", "TDG")},
    "CX": ("MS", 1),
    "CZ": ("MS", 1),
    "CP": ("MS", 1),
    "SWAP": ("MS", 3),
}
"""Standard gate -> (native gate whose duration and error it costs, how many of them)."""


def gate_cost(name: str) -> tuple[NativeGate, int]:
    """The native gate a named gate costs and how many times (natives cost themselves once)."""
    key = gate_def(name).name
    if key in NATIVE_GATES:
        return NATIVE_GATES[key], 1
    if key in STANDARD_COST:
        native, count = STANDARD_COST[key]
        return NATIVE_GATES[native], count
    raise ConfigError(f"gate {name!r} has no cost on a trapped-ion module")
