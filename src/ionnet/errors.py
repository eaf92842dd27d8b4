"""The exception tree of ionnet.

Every error a user can cause derives from :class:`IonnetError`; the CLI turns one into a single
line on stderr and exit code 2. Messages name the broken constraint and the value::

    IonnetError
     ├── ConfigError      a parameter, TOML key or CLI value is invalid (names the key and value)
     ├── CircuitError     a circuit cannot be read or lowered (QASM syntax, unsupported gate)
     ├── NetworkError     a circuit does not fit a network, or its modules are not connected
     ├── ProgramError     a distributed program is malformed or inconsistent with its network
     ├── BackendError     a state backend cannot do what was asked (size, non-Clifford on stim)
     └── SweepError       a sweep file or store is invalid
"""

from __future__ import annotations


class IonnetError(Exception):
    """Base of every error ionnet raises on bad input."""


class ConfigError(IonnetError, ValueError):
    """A parameter, TOML key or CLI value is invalid."""


class CircuitError(IonnetError, ValueError):
    """A circuit cannot be parsed or lowered to the compiler's gate set."""


class NetworkError(IonnetError, ValueError):
    """A circuit does not fit the network, or the network is not connected."""


class ProgramError(IonnetError, ValueError):
    """A distributed program is malformed or does not match its network."""


class BackendError(IonnetError, ValueError):
    """A state backend cannot perform the requested operation."""


class SweepError(IonnetError, ValueError):
    """A sweep file or result store is invalid."""
