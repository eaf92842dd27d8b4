"""ionnet: model, compile for, run and sweep networked modular trapped-ion quantum computers.

>>> import ionnet
>>> ionnet.load_network("default").num_modules
2
"""

from ionnet.errors import (
    BackendError,
    CircuitError,
    ConfigError,
    IonnetError,
    NetworkError,
    ProgramError,
    SweepError,
)
from ionnet.hardware import ArmSpec, LinkSpec, ModuleSpec, NetworkSpec, load_network, preset_names

__version__ = "0.1.0"

__all__ = [
    "ArmSpec",
    "BackendError",
    "CircuitError",
    "ConfigError",
    "IonnetError",
    "LinkSpec",
    "ModuleSpec",
    "NetworkError",
    "NetworkSpec",
    "ProgramError",
    "SweepError",
    "load_network",
    "preset_names",
]
