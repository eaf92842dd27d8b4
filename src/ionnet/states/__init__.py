"""State backends behind one contract (:class:`StateBackend`): density matrix, statevector, stim.

Imports nothing from ionnet but ``errors``, ``units`` and ``seeding``. A backend is chosen by
passing an instance in (``make_backend("density", rng)``); there is no global switch.

>>> from ionnet.seeding import stream
>>> make_backend("stabilizer", stream(0, "doc")).name
'stabilizer'
"""

from __future__ import annotations

import numpy as np

from ionnet.errors import BackendError
from ionnet.states.backend import StateBackend
from ionnet.states.channels import (
    amplitude_damping_kraus,
    dephasing,
    dephasing_kraus,
    depolarizing,
    depolarizing_kraus,
    pauli_twirl,
)
from ionnet.states.density import DensityMatrixBackend
from ionnet.states.gates import GATES, gate_unitary, is_clifford, pauli_matrix
from ionnet.states.stabilizer import StabilizerBackend
from ionnet.states.statevector import StatevectorBackend

BACKENDS: dict[str, type[StateBackend]] = {
    "density": DensityMatrixBackend,
    "statevector": StatevectorBackend,
    "stabilizer": StabilizerBackend,
}
"""Backend classes by their CLI name."""


def make_backend(name: str, rng: np.random.Generator, max_qubits: int | None = None) -> StateBackend:
    """A new empty backend of kind ``name`` (one of BACKENDS) drawing from ``rng``."""
    try:
        cls = BACKENDS[name]
    except KeyError:
        raise BackendError(f"unknown backend {name!r} (known: {', '.join(BACKENDS)})") from None
    return cls(rng, max_qubits)


__all__ = [
    "BACKENDS",
    "GATES",
    "DensityMatrixBackend",
    "StabilizerBackend",
    "StateBackend",
    "StatevectorBackend",
    "amplitude_damping_kraus",
    "dephasing",
    "dephasing_kraus",
    "depolarizing",
    "depolarizing_kraus",
    "gate_unitary",
    "is_clifford",
    "make_backend",
    "pauli_matrix",
    "pauli_twirl",
]
