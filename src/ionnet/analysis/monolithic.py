"""A monolithic trapped-ion processor whose gates degrade as its ion chain grows, and the modular
machine of the same technology it is compared with.

Scaling law (an **assumption**, parametrised so its exponents can be swept; no source in
../shared/physics/REFERENCES.md gives numbers for it). For a chain of N ions and a module
calibrated at N_ref ions (IonQ Aria: 25 qubits, 99.6 % MS fidelity, 600 us):

* two-qubit infidelity ``eps_2(N) = eps_2(N_ref) * (N / N_ref) ** infidelity_exponent``
  (default exponent 1: the motional-mode spectrum crowds as N grows, so a gate of fixed speed
  couples more to spectator modes);
* two-qubit gate time ``t_2(N) = t_2(N_ref) * (N / N_ref) ** time_exponent`` (default 1: to keep
  resolving the modes, gates slow roughly linearly with N);
* single-qubit gates, readout and coherence do not change with N.

Qualitative sources, cited, not read here: Monroe et al., PRA 89, 022317 (2014) (the modular
architecture, motivated by gates that slow and degrade in long chains) and Landsman et al.,
PRA 100, 022332 (2019) (entangling gates in long chains). The same law gives the modules of the
modular machine their gates, with N = data qubits + communication ions of one module, so both
machines use the same technology and only the chain length differs.

>>> law = ScalingLaw()
>>> m = law.module_at(ModuleSpec(), 50)
>>> round(1 - m.two_qubit_gate_fidelity, 6), round(m.two_qubit_gate_time_s * 1e6, 3)
(0.008, 1200.0)
>>> law.module_at(ModuleSpec(), 25) == ModuleSpec()
True
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

from ionnet.errors import ConfigError
from ionnet.hardware.module import ModuleSpec
from ionnet.hardware.network import NetworkSpec
from ionnet.hardware.validation import require_non_negative, require_positive_int


@dataclass(frozen=True)
class ScalingLaw:
    """How two-qubit gates degrade with the number of ions in one chain (an assumption).

    Attributes:
        reference_ions: Chain length at which the module spec's numbers were measured.
        infidelity_exponent: alpha in eps_2(N) = eps_2(N_ref) (N / N_ref)^alpha.
        time_exponent: beta in t_2(N) = t_2(N_ref) (N / N_ref)^beta.
    """

    reference_ions: int = 25
    infidelity_exponent: float = 1.0
    time_exponent: float = 1.0

    def __post_init__(self) -> None:
        require_positive_int("reference_ions", self.reference_ions)
        require_non_negative("infidelity_exponent", self.infidelity_exponent)
        require_non_negative("time_exponent", self.time_exponent)

    def infidelity(self, reference_infidelity: float, ions: int) -> float:
        """Two-qubit infidelity in a chain of ``ions`` (capped at 3/4, the fully depolarized gate)."""
        return min(0.75, reference_infidelity * (ions / self.reference_ions) ** self.infidelity_exponent)

    def gate_time_s(self, reference_time_s: float, ions: int) -> float:
        """Two-qubit gate time in a chain of ``ions``."""
        return reference_time_s * (ions / self.reference_ions) ** self.time_exponent

    def module_at(self, module: ModuleSpec, ions: int) -> ModuleSpec:
        """``module`` with its two-qubit (MS and ZZ) gates and swap scaled to a chain of ``ions``."""
        require_positive_int("ions", ions)
        return dataclasses.replace(
            module,
            two_qubit_gate_fidelity=1 - self.infidelity(1 - module.two_qubit_gate_fidelity, ions),
            zz_gate_fidelity=1 - self.infidelity(1 - module.zz_gate_fidelity, ions),
            swap_fidelity=1 - self.infidelity(1 - module.swap_fidelity, ions),
            two_qubit_gate_time_s=self.gate_time_s(module.two_qubit_gate_time_s, ions),
            zz_gate_time_s=self.gate_time_s(module.zz_gate_time_s, ions),
            swap_time_s=self.gate_time_s(module.swap_time_s, ions),
        )


def monolithic_network(base: NetworkSpec, num_qubits: int, law: ScalingLaw) -> NetworkSpec:
    """One module holding all ``num_qubits`` in one chain, its gates scaled to that chain."""
    module = law.module_at(dataclasses.replace(base.modules[0], data_qubits=num_qubits), num_qubits)
    single = base.with_modules(1, capacity=num_qubits)
    return dataclasses.replace(single, name=f"{base.name}-monolithic-{num_qubits}", modules=(module,))


def modular_network(base: NetworkSpec, num_qubits: int, law: ScalingLaw, module_qubits: int) -> NetworkSpec:
    """ceil(num_qubits / module_qubits) modules of ``module_qubits`` data qubits, all-to-all.

    Each module's chain holds its data qubits and its communication ions, and its gates follow
    ``law`` at that length.
    """
    require_positive_int("module_qubits", module_qubits)
    if num_qubits < 1:
        raise ConfigError(f"'num_qubits' must be >= 1 (got {num_qubits})")
    count = math.ceil(num_qubits / module_qubits)
    ions = module_qubits + base.modules[0].communication_ions
    module = law.module_at(dataclasses.replace(base.modules[0], data_qubits=module_qubits), ions)
    net = base.with_modules(count, capacity=module_qubits)
    return dataclasses.replace(net, name=f"{base.name}-{count}x{module_qubits}", modules=(module,) * count)
