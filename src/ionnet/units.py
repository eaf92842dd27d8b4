"""Units and physical constants. ionnet measures time in seconds (float) everywhere.

Field names carry their unit (``gate_time_s``, ``fiber_length_m``, ``rate_hz``) so no value
needs a unit object. The helpers here only make literals readable:

>>> 600 * US
0.0006
"""

from __future__ import annotations

S = 1.0
MS = 1e-3
US = 1e-6
NS = 1e-9
PS = 1e-12

M = 1.0
KM = 1e3

SPEED_OF_LIGHT_M_PER_S = 299_792_458.0
"""Speed of light in vacuum (exact, SI)."""

DEFAULT_FIBER_REFRACTIVE_INDEX = 1.47
"""Group index of standard silica fibre, so light travels at about 2.04e8 m/s."""
