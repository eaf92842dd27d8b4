"""One root seed split into named, independent random streams.

Adding a module or a link does not change the draws of another: every stream is derived from
the root seed and the stream's names, never from the order streams are requested.

>>> a = stream(7, "link", "m0-m1").random()
>>> b = stream(7, "link", "m0-m1").random()
>>> a == b
True
>>> stream(7, "link", "m0-m1").random() == stream(7, "link", "m1-m2").random()
False
"""

from __future__ import annotations

import hashlib

import numpy as np

from ionnet.errors import ConfigError


def _name_key(name: str | int) -> int:
    digest = hashlib.sha256(str(name).encode()).digest()
    return int.from_bytes(digest[:8], "little")


def seed_sequence(seed: int, *names: str | int) -> np.random.SeedSequence:
    """The SeedSequence of the stream ``names`` under root ``seed``."""
    if not isinstance(seed, int | np.integer) or seed < 0:
        raise ConfigError(f"'seed' must be a non-negative integer (got {seed!r})")
    return np.random.SeedSequence([int(seed), *(_name_key(n) for n in names)])


def stream(seed: int, *names: str | int) -> np.random.Generator:
    """A numpy Generator for the stream ``names`` under root ``seed``."""
    return np.random.default_rng(seed_sequence(seed, *names))
