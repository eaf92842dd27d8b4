"""A photonic link between two modules: per-arm optics and the link's scheme and timing.

The parameters follow ../shared/DESIGN.md "Physics" and ../shared/physics/REFERENCES.md §3:
each module's communication ion emits a photon entangled with it; the photon goes through
collection optics, fibre coupling, optional frequency conversion and fibre to a Bell-state
measurement (BSM) station, where detectors herald a success. The analytic physics built on
these objects lives in :mod:`ionnet.hardware.link_physics`.

The defaults describe the built-in barium two-photon link of the ``default`` network (see the
``default`` preset for the source or assumption behind each number).

>>> link = LinkSpec()
>>> link.scheme, link.arm_a == link.arm_b
('two_photon', True)
>>> link_from_table({"detector_efficiency": 1.5})
Traceback (most recent call last):
...
ionnet.errors.ConfigError: 'detector_efficiency' must be in [0, 1] (got 1.5)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ionnet.errors import ConfigError
from ionnet.hardware.validation import (
    from_table,
    require_choice,
    require_non_negative,
    require_positive,
    require_positive_int,
    require_probability,
)
from ionnet.units import DEFAULT_FIBER_REFRACTIVE_INDEX

MAX_FIBER_LENGTH_M = 1e8
"""Longest fibre accepted (100,000 km): beyond it the heralding rate underflows to zero."""

SCHEMES = ("two_photon", "single_photon", "psi_minus_only")


@dataclass(frozen=True)
class ArmSpec:
    """One arm of a link: from a communication ion to the BSM station's detectors.

    Attributes:
        emission_probability: Probability that an attempt emits a photon into the qubit-carrying
            channel (excitation times branching ratio).
        collection_efficiency: Fraction of emitted photons collected by the lens or cavity.
            Ignored when ``numerical_aperture`` is set.
        numerical_aperture: Lens NA; when set, collection follows from it (see link_physics).
        fiber_coupling_efficiency: Coupling of the collected mode into single-mode fibre.
        fiber_loss_db_per_km: Fibre attenuation at the wavelength that travels in the fibre.
        conversion_efficiency: Frequency-conversion efficiency (1.0 means no converter).
        converted_fiber_loss_db_per_km: Fibre loss at the converted wavelength; when set (and a
            converter is used) it replaces ``fiber_loss_db_per_km``.
        optics_transmission: Transmission of the BSM station's optics.
        detector_efficiency: Detection efficiency of the single-photon detectors.
        dark_count_rate_hz: Dark-count rate of each detector.
        detection_window_s: Length of the detection window per attempt.
        ion_photon_fidelity: Fidelity of the ion-photon entangled state at emission.
    """

    emission_probability: float = 0.5
    collection_efficiency: float = 0.1
    numerical_aperture: float | None = None
    fiber_coupling_efficiency: float = 0.6
    fiber_loss_db_per_km: float = 30.0
    conversion_efficiency: float = 1.0
    converted_fiber_loss_db_per_km: float | None = None
    optics_transmission: float = 0.9
    detector_efficiency: float = 0.8
    dark_count_rate_hz: float = 20.0
    detection_window_s: float = 50e-9
    ion_photon_fidelity: float = 0.99

    def __post_init__(self) -> None:
        for name in (
            "emission_probability",
            "collection_efficiency",
            "fiber_coupling_efficiency",
            "conversion_efficiency",
            "optics_transmission",
            "detector_efficiency",
            "ion_photon_fidelity",
        ):
            require_probability(name, getattr(self, name))
        if self.numerical_aperture is not None:
            require_probability("numerical_aperture", self.numerical_aperture)
        if self.converted_fiber_loss_db_per_km is not None:
            require_non_negative("converted_fiber_loss_db_per_km", self.converted_fiber_loss_db_per_km)
        for name in ("fiber_loss_db_per_km", "dark_count_rate_hz", "detection_window_s"):
            require_non_negative(name, getattr(self, name))


ARM_KEYS = frozenset(f.name for f in dataclasses.fields(ArmSpec))


@dataclass(frozen=True)
class LinkSpec:
    """A heralded photonic link between two modules (frozen; validated at construction).

    Attributes:
        scheme: ``two_photon`` (polarization or time-bin dual rail, linear-optics BSM),
            ``single_photon`` (single rail, bright-state population alpha) or
            ``psi_minus_only`` (frequency qubits, only psi-minus heralded).
        attempt_rate_hz: Attempts per second set by the excitation/reset cycle.
        duty_cycle: Fraction of time spent attempting (the rest re-cools or calibrates).
        fiber_length_m: Total fibre between the two modules.
        bsm_position: Where the BSM station sits along the fibre, as a fraction from module A
            (0.5 is the midpoint).
        fiber_refractive_index: Group index n of the fibre; light travels at c/n.
        hom_visibility: Hong-Ou-Mandel visibility of the two photons (mode overlap |V|^2).
        bright_state_population: alpha of the single-photon scheme (ignored by the others).
        communication_ions: Communication-ion pairs attempting in parallel on this link.
        arm_a / arm_b: The two arms.
    """

    scheme: str = "two_photon"
    attempt_rate_hz: float = 1.0e6
    duty_cycle: float = 1.0
    fiber_length_m: float = 2.0
    bsm_position: float = 0.5
    fiber_refractive_index: float = DEFAULT_FIBER_REFRACTIVE_INDEX
    hom_visibility: float = 0.97
    bright_state_population: float = 0.05
    communication_ions: int = 1
    arm_a: ArmSpec = field(default_factory=ArmSpec)
    arm_b: ArmSpec = field(default_factory=ArmSpec)

    def __post_init__(self) -> None:
        require_choice("scheme", self.scheme, SCHEMES)
        require_positive("attempt_rate_hz", self.attempt_rate_hz)
        require_probability("duty_cycle", self.duty_cycle)
        require_positive("duty_cycle", self.duty_cycle)
        require_non_negative("fiber_length_m", self.fiber_length_m)
        if self.fiber_length_m > MAX_FIBER_LENGTH_M:
            raise ConfigError(
                f"'fiber_length_m' must be at most {MAX_FIBER_LENGTH_M:g} m (got {self.fiber_length_m!r})"
            )
        require_probability("bsm_position", self.bsm_position)
        require_positive("fiber_refractive_index", self.fiber_refractive_index)
        if self.fiber_refractive_index < 1:
            raise ConfigError(f"'fiber_refractive_index' must be >= 1 (got {self.fiber_refractive_index!r})")
        require_probability("hom_visibility", self.hom_visibility)
        require_probability("bright_state_population", self.bright_state_population)
        require_positive_int("communication_ions", self.communication_ions)

    @property
    def arm_lengths_m(self) -> tuple[float, float]:
        """Fibre length of arm A and arm B, split at the BSM station."""
        return self.fiber_length_m * self.bsm_position, self.fiber_length_m * (1 - self.bsm_position)

    def with_arms(self, **changes: Any) -> LinkSpec:
        """A copy with the same change applied to both arms.

        >>> LinkSpec().with_arms(detector_efficiency=0.5).arm_b.detector_efficiency
        0.5
        """
        return dataclasses.replace(
            self,
            arm_a=dataclasses.replace(self.arm_a, **changes),
            arm_b=dataclasses.replace(self.arm_b, **changes),
        )


LINK_KEYS = frozenset(f.name for f in dataclasses.fields(LinkSpec)) - {"arm_a", "arm_b"}


def link_from_table(
    table: Mapping[str, Any], base: LinkSpec | None = None, where: str = "[link]"
) -> LinkSpec:
    """Build a LinkSpec from a TOML ``[link]`` table.

    Arm keys at the top level apply to both arms; ``[link.arm_a]`` and ``[link.arm_b]``
    override one arm. Missing keys keep ``base``'s values (the default link when None).
    Unknown keys raise ConfigError naming the key.
    """
    base = base or LinkSpec()
    link_keys = {k: v for k, v in table.items() if k in LINK_KEYS}
    arm_keys = {k: v for k, v in table.items() if k in ARM_KEYS}
    for key, value in table.items():
        if key in ("arm_a", "arm_b"):
            if not isinstance(value, Mapping):
                raise ConfigError(f"'{key}' in {where} must be a table (got {value!r})")
        elif key not in LINK_KEYS and key not in ARM_KEYS:
            known = ", ".join(sorted(LINK_KEYS | ARM_KEYS | {"arm_a", "arm_b"}))
            raise ConfigError(f"unknown key '{key}' in {where} (known: {known})")
    arms = []
    for arm_name in ("arm_a", "arm_b"):
        arm = from_table(ArmSpec, arm_keys, where, base=getattr(base, arm_name))
        arm = from_table(ArmSpec, table.get(arm_name, {}), f"{where[:-1]}.{arm_name}]", base=arm)
        arms.append(arm)
    spec = from_table(LinkSpec, link_keys, where, base=base)
    return dataclasses.replace(spec, arm_a=arms[0], arm_b=arms[1])
