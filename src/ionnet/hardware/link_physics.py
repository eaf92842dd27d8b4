"""Analytic physics of a heralded photonic link: efficiencies, rates and the heralded state.

Every formula cites its source; section numbers refer to ../shared/physics/REFERENCES.md.
Tags: [P] from a paper, [D] derived here (the derivation is in the docstring).

>>> link = LinkSpec(attempt_rate_hz=1e6, hom_visibility=0.97).with_arms(
...     emission_probability=0.5, collection_efficiency=0.2, fiber_coupling_efficiency=1.0,
...     fiber_loss_db_per_km=0.0, optics_transmission=1.0, detector_efficiency=1.0,
...     dark_count_rate_hz=0.0, ion_photon_fidelity=1.0)
>>> budget = link_budget(link, ModuleSpec(), ModuleSpec())
>>> round(budget.p_success, 6), round(budget.rate_hz, 3), round(budget.fidelity, 6)
(0.005, 5000.0, 0.985)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ionnet.errors import ConfigError
from ionnet.hardware.bell import BellDiagonal
from ionnet.hardware.link import ArmSpec, LinkSpec
from ionnet.hardware.module import ModuleSpec
from ionnet.units import SPEED_OF_LIGHT_M_PER_S

# --- per-arm efficiency (REFERENCES §3.1) -------------------------------------------------


def dipole_collection_efficiency(numerical_aperture: float) -> float:
    """Fraction of a dipole's emission collected by a lens of this NA on the quantization axis.

    The σ± (circular) dipole seen along its axis, like a π dipole seen side-on, radiates
    I(θ) ∝ (1 + cos²θ)/2 around the lens axis (Jackson, Classical Electrodynamics, §9.2).
    Integrating over the cone θ < arcsin(NA) and dividing by the full 4π [D]:

        η = 1/2 - (3/8)·cos θ_max - (1/8)·cos³ θ_max.

    Anchors: 0.6 NA (Main 2025) gives 0.136; 0.8 NA (O'Reilly 2024) gives 0.248.

    >>> round(dipole_collection_efficiency(0.6), 3), round(dipole_collection_efficiency(1.0), 3)
    (0.136, 0.5)
    """
    if not 0.0 <= numerical_aperture <= 1.0:
        raise ConfigError(f"'numerical_aperture' must be in [0, 1] (got {numerical_aperture!r})")
    c = math.sqrt(1.0 - numerical_aperture**2)
    return 0.5 - 0.375 * c - 0.125 * c**3


def collection_efficiency(arm: ArmSpec) -> float:
    """The arm's collection: from the lens NA when given, else ``collection_efficiency``."""
    if arm.numerical_aperture is not None:
        return dipole_collection_efficiency(arm.numerical_aperture)
    return arm.collection_efficiency


def fiber_loss_db_per_km(arm: ArmSpec) -> float:
    """Loss of the fibre the photon travels in: the converted wavelength's when converted.

    A converted fibre loss (``converted_fiber_loss_db_per_km``) marks a frequency converter in
    the arm; e.g. ≈3 dB/km at 854 nm against ≈0.18 dB/km at 1550 nm (Krutyanskiy 2019, §3.1).
    """
    if arm.converted_fiber_loss_db_per_km is not None:
        return arm.converted_fiber_loss_db_per_km
    return arm.fiber_loss_db_per_km


def fiber_transmission(loss_db_per_km: float, length_m: float) -> float:
    """10^(-α·L/10) with α in dB/km and L in km (REFERENCES §3.1).

    >>> fiber_transmission(3.0, 1000.0)
    0.5011872336272722
    """
    if length_m < 0 or loss_db_per_km < 0:
        raise ConfigError(
            f"fibre length and loss must be >= 0 (got {length_m!r} m, {loss_db_per_km!r} dB/km)"
        )
    return 10.0 ** (-loss_db_per_km * (length_m / 1000.0) / 10.0)


def arm_efficiency(arm: ArmSpec, arm_length_m: float) -> float:
    """Probability that one attempt's photon reaches and fires a detector (REFERENCES §3.1).

    η = p_emit · collection · fibre coupling · 10^(-α·L_arm/10) · conversion · optics · η_det.

    >>> round(arm_efficiency(ArmSpec(emission_probability=0.5, collection_efficiency=0.1,
    ...     fiber_coupling_efficiency=0.6, fiber_loss_db_per_km=30.0, optics_transmission=0.9,
    ...     detector_efficiency=0.8), 1.0), 5)
    0.02145
    """
    return (
        arm.emission_probability
        * collection_efficiency(arm)
        * arm.fiber_coupling_efficiency
        * fiber_transmission(fiber_loss_db_per_km(arm), arm_length_m)
        * arm.conversion_efficiency
        * arm.optics_transmission
        * arm.detector_efficiency
    )


def arm_efficiencies(link: LinkSpec) -> tuple[float, float]:
    """(η_A, η_B) with the fibre split at the BSM station."""
    length_a, length_b = link.arm_lengths_m
    return arm_efficiency(link.arm_a, length_a), arm_efficiency(link.arm_b, length_b)


# --- success probability and timing (REFERENCES §3.1, §3.2) ------------------------------


def p_success(link: LinkSpec) -> float:
    """Heralding probability per attempt of one communication-ion pair.

    * ``two_photon``: p = ½·η_A·η_B; a linear-optics BSM resolves 2 of the 4 Bell states
      (Calsamiglia & Lütkenhaus 2001; Barrett & Kok 2005).
    * ``psi_minus_only``: p = ¼·η_A·η_B (frequency qubits, only ψ⁻ heralded; Moehring 2007).
    * ``single_photon``: p = 2αη(1 - αη) with η = (η_A + η_B)/2 and α the bright-state
      population [D]: one bright node detected, 2α(1-α)η, plus both bright with one photon
      lost, 2α²η(1-η); ≈ 2αη for αη ≪ 1 (Humphreys 2018; REFERENCES §3.1).

    >>> eta_a, eta_b = arm_efficiencies(LinkSpec())
    >>> round(p_success(LinkSpec()) / (eta_a * eta_b), 12)
    0.5
    """
    eta_a, eta_b = arm_efficiencies(link)
    if link.scheme == "two_photon":
        return 0.5 * eta_a * eta_b
    if link.scheme == "psi_minus_only":
        return 0.25 * eta_a * eta_b
    eta = 0.5 * (eta_a + eta_b)
    alpha = link.bright_state_population
    return 2.0 * alpha * eta * (1.0 - alpha * eta)


def speed_in_fiber_m_per_s(link: LinkSpec) -> float:
    """c/n, the speed of light in the link's fibre."""
    return SPEED_OF_LIGHT_M_PER_S / link.fiber_refractive_index


def herald_latency_s(link: LinkSpec) -> float:
    """Time from emission until both nodes hold the herald (REFERENCES §3.2, mqns link_arch).

    Both photons must reach the BSM station (the longer arm decides) and the herald must come
    back over that arm: 2·max(L_A, L_B)/(c/n). With the station at the midpoint this is
    L/(c/n).

    >>> round(herald_latency_s(LinkSpec(fiber_length_m=2040.0)) * 1e6, 3)
    10.003
    """
    return 2.0 * max(link.arm_lengths_m) / speed_in_fiber_m_per_s(link)


def attempt_interval_s(link: LinkSpec) -> float:
    """Time between attempts of one pair: max(1/attempt_rate, herald latency) (REFERENCES §3.2).

    An attempt cannot repeat before the previous one's herald is back (mqns ``LinkArchDimDual``).
    """
    return max(1.0 / link.attempt_rate_hz, herald_latency_s(link))


def effective_attempt_rate_hz(link: LinkSpec) -> float:
    """Attempts per second over all communication-ion pairs: k·d/interval (REFERENCES §3.2)."""
    return link.communication_ions * link.duty_cycle / attempt_interval_s(link)


def rate_hz(link: LinkSpec) -> float:
    """Mean heralded-ebit rate: k·d·p / max(1/attempt_rate, L/(c/n)) (REFERENCES §3.2).

    Each of the k communication-ion pairs attempts independently; the duty cycle d is the
    fraction of time spent attempting.
    """
    return effective_attempt_rate_hz(link) * p_success(link)


# --- false heralds (REFERENCES §3.4) -------------------------------------------------------


def dark_count_probability(arm: ArmSpec) -> float:
    """P_d = R_dark · τ_window: a detector's dark-count probability per window (§3.4)."""
    return min(1.0, arm.dark_count_rate_hz * arm.detection_window_s)


def false_herald_probability(link: LinkSpec) -> float:
    """Probability per attempt of a herald caused by a dark count (leading orders) [D].

    ``two_photon`` (polarization BSM, four detectors, each in two heralding pairs): one photon
    detected and a dark count in one of its two partner detectors, 2·P_d·[η_A(1-η_B) + η_B(1-η_A)],
    plus no photon and two dark counts in one of the four heralding pairs, 4·P_d²(1-η_A)(1-η_B).
    For η_A = η_B = η this gives a false fraction f ≈ 8(1-η)P_d/η and, by F → (1-f)F + f/4,
    F ≈ 1 - 6(1-η)P_d/η: the leading-order result of REFERENCES §3.4.
    ``psi_minus_only`` (two detectors, one pattern): P_d·[η_A(1-η_B) + η_B(1-η_A)] + P_d²(1-η_A)(1-η_B).
    ``single_photon`` (one click in either of two detectors): 2·P_d·(1 - p_success).
    P_d is the mean of the two arms' detectors.
    """
    eta_a, eta_b = arm_efficiencies(link)
    p_d = 0.5 * (dark_count_probability(link.arm_a) + dark_count_probability(link.arm_b))
    one_lost = eta_a * (1.0 - eta_b) + eta_b * (1.0 - eta_a)
    both_lost = (1.0 - eta_a) * (1.0 - eta_b)
    if link.scheme == "two_photon":
        return 2.0 * p_d * one_lost + 4.0 * p_d**2 * both_lost
    if link.scheme == "psi_minus_only":
        return p_d * one_lost + p_d**2 * both_lost
    return 2.0 * p_d * (1.0 - p_success(link))


def false_herald_fraction(link: LinkSpec) -> float:
    """f: the fraction of heralds that are accidental (leave a fully mixed state), §3.4."""
    false = false_herald_probability(link)
    total = p_success(link) + false
    return false / total if total > 0 else 0.0


def heralded_probability(link: LinkSpec) -> float:
    """Probability per attempt of any herald, true or false (what a simulation samples)."""
    return p_success(link) + false_herald_probability(link)


# --- coherence and the heralded state (REFERENCES §3.3-§3.5) -------------------------------


def coherence(t_s: float, t2_s: float, envelope: str = "exponential") -> float:
    """Coherence envelope C(t): exp(-t/T2) or exp(-(t/T2)²) (REFERENCES §3.5).

    >>> round(coherence(1.0, 1.0), 4), round(coherence(1.0, 1.0, "gaussian"), 4)
    (0.3679, 0.3679)
    """
    if t_s < 0:
        raise ConfigError(f"storage time must be >= 0 (got {t_s!r})")
    if envelope == "exponential":
        return math.exp(-t_s / t2_s)
    if envelope == "gaussian":
        return math.exp(-((t_s / t2_s) ** 2))
    raise ConfigError(f"'coherence_envelope' must be one of exponential, gaussian (got {envelope!r})")


def dephasing_probability(t_s: float, t2_s: float, envelope: str = "exponential") -> float:
    """Z-error probability (1 - C(t))/2 of one qubit dephasing for t seconds."""
    return 0.5 * (1.0 - coherence(t_s, t2_s, envelope))


def depolarizing_parameter(process_fidelity: float) -> float:
    """λ = 4(1 - F)/3 of a one-qubit depolarizing channel of process fidelity F (§3.5)."""
    return 4.0 * (1.0 - process_fidelity) / 3.0


def photonic_state(link: LinkSpec) -> BellDiagonal:
    """The heralded state from photon interference alone (true heralds, perfect ions).

    * Two-photon schemes: F = (1 + V)/2 with V the HOM visibility; the missing coherence is a
      phase flip of weight (1 - V)/2 (REFERENCES §3.3, Dhara et al. via QuantumSavory).
    * ``single_photon`` [D]: first-order interference keeps the mode overlap √V, so the phase
      flip weight is (1 - √V)/2; both nodes bright with one photon lost leaves |↑↑⟩, a fraction
      α(1-η)/(1-αη) of heralds (an equal X/Y error; F ≈ 1 - α for small η; Humphreys 2018,
      Hermans 2023).
    """
    if link.scheme != "single_photon":
        v = link.hom_visibility
        return BellDiagonal(0.5 * (1.0 + v), 0.0, 0.0, 0.5 * (1.0 - v))
    eta = 0.5 * sum(arm_efficiencies(link))
    alpha = link.bright_state_population
    both_bright = alpha * (1.0 - eta) / (1.0 - alpha * eta)
    v = math.sqrt(link.hom_visibility)
    good = 1.0 - both_bright
    return BellDiagonal(good * 0.5 * (1.0 + v), 0.5 * both_bright, 0.5 * both_bright, good * 0.5 * (1.0 - v))


def true_herald_state(link: LinkSpec, module_a: ModuleSpec, module_b: ModuleSpec) -> BellDiagonal:
    """The state of a true (photon-caused) herald when both nodes hold the herald.

    Composes (all Bell-diagonal channels commute): the photonic state (:func:`photonic_state`);
    ion-photon infidelity at each node as depolarizing with λ = 4(1 - F_ip)/3; and dephasing of
    each communication ion during the herald latency, a Z error of probability (1 - C(t))/2
    (REFERENCES §3.5).
    """
    state = photonic_state(link)
    latency = herald_latency_s(link)
    for arm, module in ((link.arm_a, module_a), (link.arm_b, module_b)):
        state = state.depolarized(depolarizing_parameter(arm.ion_photon_fidelity))
        state = state.dephased(
            dephasing_probability(latency, module.communication_t2_s, module.coherence_envelope)
        )
    return state


def heralded_state(link: LinkSpec, module_a: ModuleSpec, module_b: ModuleSpec) -> BellDiagonal:
    """The mean state of a heralded pair: :func:`true_herald_state` with false heralds mixed in.

    A fraction f of heralds is accidental and fully mixed: F → (1 - f)F + f/4 (REFERENCES §3.4).
    """
    state = true_herald_state(link, module_a, module_b)
    return state.mixed_with_identity(false_herald_fraction(link))


def heralded_fidelity(link: LinkSpec, module_a: ModuleSpec, module_b: ModuleSpec) -> float:
    """Fidelity of :func:`heralded_state` to the target Bell state."""
    return heralded_state(link, module_a, module_b).fidelity


# --- summary ------------------------------------------------------------------------------


@dataclass(frozen=True)
class LinkBudget:
    """Every analytic figure of one link (for reports, the CLI and the demo)."""

    eta_a: float
    eta_b: float
    p_success: float
    herald_latency_s: float
    attempt_interval_s: float
    attempt_rate_hz: float
    rate_hz: float
    false_herald_fraction: float
    fidelity: float
    state: BellDiagonal

    def as_dict(self) -> dict[str, object]:
        """Plain numbers for JSON output (the state as its four probabilities)."""
        return {
            "eta_a": self.eta_a,
            "eta_b": self.eta_b,
            "p_success": self.p_success,
            "herald_latency_s": self.herald_latency_s,
            "attempt_interval_s": self.attempt_interval_s,
            "attempt_rate_hz": self.attempt_rate_hz,
            "rate_hz": self.rate_hz,
            "false_herald_fraction": self.false_herald_fraction,
            "fidelity": self.fidelity,
            "bell_probabilities": list(self.state.probabilities),
        }


def link_budget(
    link: LinkSpec, module_a: ModuleSpec | None = None, module_b: ModuleSpec | None = None
) -> LinkBudget:
    """All analytic figures of ``link`` between two modules (default modules when None)."""
    module_a = module_a or ModuleSpec()
    module_b = module_b or module_a
    eta_a, eta_b = arm_efficiencies(link)
    state = heralded_state(link, module_a, module_b)
    return LinkBudget(
        eta_a=eta_a,
        eta_b=eta_b,
        p_success=p_success(link),
        herald_latency_s=herald_latency_s(link),
        attempt_interval_s=attempt_interval_s(link),
        attempt_rate_hz=effective_attempt_rate_hz(link),
        rate_hz=rate_hz(link),
        false_herald_fraction=false_herald_fraction(link),
        fidelity=state.fidelity,
        state=state,
    )
