"""Ion species used as memory qubits or as photon sources.

Wavelengths are those of the dipole transition whose photon carries the ion-photon
entanglement in the experiments of ../shared/physics/REFERENCES.md: 369.5 nm for Yb+
(Moehring 2007), 493 nm for Ba+ (O'Reilly 2024, via Saha 2025), 422 nm for Sr+ (Stephenson
2020), 397 nm for Ca+ (S1/2-P1/2 line) and 854 nm for 40Ca+ in a cavity (Krutyanskiy 2019).

>>> SPECIES["138Ba+"].photon_wavelength_nm
493.4
>>> species("88Sr+").mass_amu
88
"""

from __future__ import annotations

from dataclasses import dataclass

from ionnet.errors import ConfigError


@dataclass(frozen=True)
class IonSpecies:
    """One ion species and, where it emits one, its networking photon's wavelength.

    Attributes:
        name: Isotope and charge, e.g. ``"171Yb+"``.
        mass_amu: Atomic mass number.
        qubit: The qubit encoding usually used (hyperfine, Zeeman, optical).
        photon_wavelength_nm: Wavelength of the networking photon, None if not used as a source.
    """

    name: str
    mass_amu: int
    qubit: str
    photon_wavelength_nm: float | None


SPECIES: dict[str, IonSpecies] = {
    s.name: s
    for s in (
        IonSpecies("171Yb+", 171, "hyperfine (12.6 GHz clock)", 369.5),
        IonSpecies("137Ba+", 137, "hyperfine (8.0 GHz clock)", 493.4),
        IonSpecies("138Ba+", 138, "Zeeman (S1/2)", 493.4),
        IonSpecies("88Sr+", 88, "Zeeman (S1/2)", 422.0),
        IonSpecies("43Ca+", 43, "hyperfine (3.2 GHz clock)", 396.8),
        IonSpecies("40Ca+", 40, "Zeeman / optical (S1/2, D5/2)", 854.2),
    )
}


def species(name: str) -> IonSpecies:
    """Look up an ion species by name, with a clear error for unknown names."""
    try:
        return SPECIES[name]
    except KeyError:
        raise ConfigError(f"unknown ion species {name!r} (known: {', '.join(SPECIES)})") from None
