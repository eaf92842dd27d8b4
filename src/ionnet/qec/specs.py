"""The inputs and the output of a QEC experiment: frozen, validated value objects.

>>> MemorySpec(distance=5).num_rounds
5
>>> MemorySpec(distance=4)
Traceback (most recent call last):
...
ionnet.errors.ConfigError: 'distance' must be an odd integer >= 3 (got 4)
>>> InterfaceNoise("scaled", p=1e-3, lam=10.0).lam
10.0
>>> InterfaceNoise("fancy")
Traceback (most recent call last):
...
ionnet.errors.ConfigError: unknown interface 'fancy' (known: uniform, scaled, link)
"""

from __future__ import annotations

import hashlib
import math
import numbers
from dataclasses import dataclass, field
from typing import Any

import stim

from ionnet.errors import ConfigError
from ionnet.hardware import NetworkSpec

PATCHES = ("square", "rectangle")
SEAMS = ("crossing", "parallel", "none")
MEMORY_BASES = ("Z", "X")
SURGERY_BASES = ("ZZ", "XX")
INTERFACES = ("uniform", "scaled", "link")
TELEPORT_MODELS = ("physical", "gate")


def _choice(name: str, value: object, known: tuple[str, ...], what: str | None = None) -> None:
    if value not in known:
        raise ConfigError(f"unknown {what or name} {value!r} (known: {', '.join(known)})")


def _plain(obj: object, name: str, kind: type) -> None:
    """Store numpy scalars (and ints given for floats) as plain Python numbers, for JSON."""
    value = getattr(obj, name)
    if isinstance(value, bool) or value is None:
        return
    if kind is int and isinstance(value, numbers.Integral):
        object.__setattr__(obj, name, int(value))
    elif kind is float and isinstance(value, numbers.Real):
        object.__setattr__(obj, name, float(value))


MAX_DISTANCE = 51
"""Largest code distance (2 d^2 qubits): checked before any circuit is built."""
MAX_ROUNDS = 1000
"""Most syndrome rounds of one experiment."""


def _distance(distance: object) -> None:
    if isinstance(distance, bool) or not isinstance(distance, int) or distance < 3 or distance % 2 == 0:
        raise ConfigError(f"'distance' must be an odd integer >= 3 (got {distance!r})")
    if distance > MAX_DISTANCE:
        raise ConfigError(f"'distance' must be at most {MAX_DISTANCE} (got {distance})")


def _rounds(rounds: object) -> None:
    if rounds is not None and (isinstance(rounds, bool) or not isinstance(rounds, int) or rounds < 1):
        raise ConfigError(f"'rounds' must be an integer >= 1 (got {rounds!r})")
    if rounds is not None and rounds > MAX_ROUNDS:
        raise ConfigError(f"'rounds' must be at most {MAX_ROUNDS} (got {rounds})")


@dataclass(frozen=True)
class MemorySpec:
    """A logical memory of a rotated surface code split over a chain of modules.

    Attributes:
        distance: Code distance d (odd, >= 3).
        rounds: Stabilizer rounds (None: d).
        patch: ``square`` (d x d, cut as near the middle as the lattice allows) or
            ``rectangle`` (d x (modules·d), one d x d block per module).
        seam: ``crossing`` (the cut crosses the logical observable's string), ``parallel``
            (the cut runs along it) or ``none`` (one module: the reference).
        basis: ``Z`` or ``X``: the logical state prepared and measured.
        modules: Modules in the chain (``modules - 1`` seams); with ``seam="none"`` one
            module holds the whole patch (a ``rectangle`` keeps its d x (modules·d) size).
    """

    distance: int
    rounds: int | None = None
    patch: str = "square"
    seam: str = "crossing"
    basis: str = "Z"
    modules: int = 2

    def __post_init__(self) -> None:
        for name in ("distance", "rounds", "modules"):
            _plain(self, name, int)
        _distance(self.distance)
        _rounds(self.rounds)
        _choice("patch", self.patch, PATCHES)
        _choice("seam", self.seam, SEAMS)
        _choice("basis", self.basis, MEMORY_BASES)
        if isinstance(self.modules, bool) or not isinstance(self.modules, int) or self.modules < 1:
            raise ConfigError(f"'modules' must be an integer >= 1 (got {self.modules!r})")
        if self.seam != "none" and self.modules < 2:
            raise ConfigError(f"seam {self.seam!r} needs modules >= 2 (got {self.modules})")
        if self.patch == "square" and self.modules > self.distance:
            raise ConfigError(
                f"a square patch of distance {self.distance} cannot be cut into {self.modules} modules"
            )
        if self.patch == "rectangle" and self.seam == "parallel":
            raise ConfigError(
                "patch 'rectangle' keeps distance d only with its seams across the observable "
                "(got seam 'parallel'; use seam 'crossing' or patch 'square')"
            )

    @property
    def num_rounds(self) -> int:
        """Rounds of stabilizer measurement (``rounds`` or the distance)."""
        return self.rounds if self.rounds is not None else self.distance

    @property
    def num_modules(self) -> int:
        """Modules actually used: 1 without a seam."""
        return 1 if self.seam == "none" else self.modules


@dataclass(frozen=True)
class SurgerySpec:
    """A logical ZZ or XX measurement by lattice surgery between two patches on two modules.

    Attributes:
        distance: Code distance d of each patch (odd, >= 3).
        rounds: Merged rounds (None: d).
        basis: ``ZZ`` or ``XX``: the joint logical measurement.
    """

    distance: int
    rounds: int | None = None
    basis: str = "ZZ"

    def __post_init__(self) -> None:
        for name in ("distance", "rounds"):
            _plain(self, name, int)
        _distance(self.distance)
        _rounds(self.rounds)
        _choice("basis", self.basis, SURGERY_BASES, "surgery basis")

    @property
    def num_rounds(self) -> int:
        """Merged rounds (``rounds`` or the distance)."""
        return self.rounds if self.rounds is not None else self.distance


@dataclass(frozen=True)
class InterfaceNoise:
    """How the operations that cross a seam are noisy (the rest is circuit-level noise).

    Attributes:
        kind: ``uniform`` (every operation at p), ``scaled`` (crossing CX at lam·p) or
            ``link`` (every crossing CX is a teleported gate consuming one heralded ebit).
        p: Circuit-level depolarizing strength, 0 < p < 0.5 (stim's convention; ignored for
            ``link`` when a network gives the module fidelities).
        lam: Interface scale factor for ``scaled`` (>= 0, lam·p <= 15/16).
        network: Module and link physics and times. For ``uniform``/``scaled`` it only sets
            the round time; for ``link`` it sets every gate's fidelity, the ebits and idling.
        ebit_fidelity: Replace the link's heralded state by a Werner state of this fidelity
            (needed for ``link`` without a network; then ebits arrive in no time).
        teleport: ``physical`` (the teleported CX's two local CX and two measurements with
            the module's errors, plus the ebit) or ``gate`` (the crossing CX keeps one local
            CX's error, plus the ebit: with a perfect ebit this is ``uniform``).
        purification_rounds: Rounds of DEJMPS recurrence purification of each ebit before use
            (``link`` only; each round costs 2/P_success ebits per kept ebit; needs two
            communication ions per module).
    """

    kind: str
    p: float = 1e-3
    lam: float = 1.0
    network: NetworkSpec | None = None
    ebit_fidelity: float | None = None
    teleport: str = "physical"
    purification_rounds: int = 0

    def __post_init__(self) -> None:
        for name in ("p", "lam", "ebit_fidelity"):
            _plain(self, name, float)
        _plain(self, "purification_rounds", int)
        _choice("kind", self.kind, INTERFACES, "interface")
        _choice("teleport", self.teleport, TELEPORT_MODELS, "teleport model")
        if not isinstance(self.p, int | float) or not (0.0 < self.p < 0.5):
            raise ConfigError(f"'p' must be in (0, 0.5) (got {self.p!r})")
        if not isinstance(self.lam, int | float) or not math.isfinite(self.lam) or self.lam < 0:
            raise ConfigError(f"'lambda' must be >= 0 (got {self.lam!r})")
        if self.kind == "scaled" and self.lam * self.p > 15 / 16:
            raise ConfigError(f"'lambda' * 'p' must be <= 15/16 (got {self.lam!r} * {self.p!r})")
        if self.ebit_fidelity is not None and not (
            isinstance(self.ebit_fidelity, int | float) and 0.0 <= self.ebit_fidelity <= 1.0
        ):
            raise ConfigError(f"'ebit_fidelity' must be in [0, 1] (got {self.ebit_fidelity!r})")
        if self.kind == "link" and self.network is None and self.ebit_fidelity is None:
            raise ConfigError("interface 'link' needs a network or an ebit_fidelity (got neither)")
        rounds = self.purification_rounds
        if isinstance(rounds, bool) or not isinstance(rounds, int) or not 0 <= rounds <= 8:
            raise ConfigError(f"'purification_rounds' must be an integer in 0..8 (got {rounds!r})")
        if self.network is not None and not isinstance(self.network, NetworkSpec):
            raise ConfigError(f"'network' must be a NetworkSpec (got {type(self.network).__name__})")

    def describe(self) -> dict[str, Any]:
        """The inputs as plain JSON values (the network by name and its link figures)."""
        out: dict[str, Any] = {"interface": self.kind, "p": self.p, "lambda": self.lam}
        net = self.network
        out["network"] = net.name if net is not None else None
        out["network_sha256"] = None
        if net is not None:  # the physics, not only the name: sweeps vary a preset's numbers
            physics = repr((net.modules, net.edges, net.links, net.topology)).encode()
            out["network_sha256"] = hashlib.sha256(physics).hexdigest()[:16]
        out["ebit_fidelity"] = self.ebit_fidelity
        out["teleport"] = self.teleport
        out["purification_rounds"] = self.purification_rounds
        return out


@dataclass(frozen=True)
class QecExperiment:
    """A noisy stim circuit with detectors and observables, and what it stands for.

    Attributes:
        circuit: The noisy circuit (decode it with PyMatching / sinter).
        round_time_s: Duration of one (merged) stabilizer round; None without a network.
        ebits_per_round: Ebits one round consumes; None without a network.
        rounds: Stabilizer rounds (merged rounds for surgery).
        distance: Code distance.
        description: The inputs as JSON values (for sinter's ``json_metadata``).
        timing: Round-time breakdown (local and generation time, ebit wait...) or empty.
    """

    circuit: stim.Circuit
    round_time_s: float | None
    ebits_per_round: int | None
    rounds: int
    distance: int
    description: dict[str, Any]
    timing: dict[str, float] = field(default_factory=dict)

    def detector_error_model(self) -> stim.DetectorErrorModel:
        """The decomposed error model, as sinter builds it for PyMatching.

        ``approximate_disjoint_errors`` is needed for the PAULI_CHANNEL_1/2 of the ``link``
        interface and idling: the decoder's prior treats their disjoint cases as independent
        (the sampler is exact).
        """
        return self.circuit.detector_error_model(decompose_errors=True, approximate_disjoint_errors=True)
