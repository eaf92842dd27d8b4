import dataclasses
import math

import pytest

from ionnet.hardware import link_physics as lp
from ionnet.hardware.link import LinkSpec
from ionnet.hardware.module import ModuleSpec
from ionnet.units import SPEED_OF_LIGHT_M_PER_S

IDEAL_ARM = dict(
    emission_probability=1.0,
    collection_efficiency=1.0,
    fiber_coupling_efficiency=1.0,
    fiber_loss_db_per_km=0.0,
    conversion_efficiency=1.0,
    optics_transmission=1.0,
    detector_efficiency=1.0,
    dark_count_rate_hz=0.0,
    ion_photon_fidelity=1.0,
)
SLOW_DECAY = ModuleSpec(communication_t2_s=1e9)


def ideal_link(**changes) -> LinkSpec:
    """A lossless, noiseless link with perfect visibility, changed by ``changes``."""
    arm = {**IDEAL_ARM, **{k: v for k, v in changes.items() if k in IDEAL_ARM}}
    top = {"hom_visibility": 1.0, **{k: v for k, v in changes.items() if k not in IDEAL_ARM}}
    return LinkSpec(**top).with_arms(**arm)


def test_arm_efficiency_is_the_product_of_its_factors():
    link = ideal_link(fiber_length_m=2000.0).with_arms(
        emission_probability=0.5,
        collection_efficiency=0.2,
        fiber_coupling_efficiency=0.6,
        fiber_loss_db_per_km=3.0,
        conversion_efficiency=0.25,
        optics_transmission=0.9,
        detector_efficiency=0.8,
    )
    expected = 0.5 * 0.2 * 0.6 * 10 ** (-3.0 * 1.0 / 10) * 0.25 * 0.9 * 0.8
    assert lp.arm_efficiencies(link) == pytest.approx((expected, expected))


def test_fiber_loss_over_arm_and_converted_wavelength():
    assert lp.fiber_transmission(0.2, 50_000.0) == pytest.approx(0.1)
    link = ideal_link(fiber_length_m=10_000.0, fiber_loss_db_per_km=3.0)
    assert lp.arm_efficiencies(link)[0] == pytest.approx(10 ** (-1.5))
    converted = link.with_arms(converted_fiber_loss_db_per_km=0.2, conversion_efficiency=0.5)
    assert lp.arm_efficiencies(converted)[0] == pytest.approx(0.5 * 10 ** (-0.1))


def test_collection_from_na_overrides_direct_value():
    link = ideal_link().with_arms(collection_efficiency=0.01, numerical_aperture=0.6)
    assert lp.arm_efficiencies(link)[0] == pytest.approx(lp.dipole_collection_efficiency(0.6))
    # full solid angle of one hemisphere collects half
    assert lp.dipole_collection_efficiency(1.0) == pytest.approx(0.5)
    assert lp.dipole_collection_efficiency(0.0) == pytest.approx(0.0)


@pytest.mark.parametrize(("scheme", "factor"), [("two_photon", 0.5), ("psi_minus_only", 0.25)])
def test_p_success_two_photon_schemes(scheme, factor):
    link = ideal_link(scheme=scheme).with_arms(collection_efficiency=0.1)
    link = dataclasses.replace(link, arm_b=dataclasses.replace(link.arm_b, collection_efficiency=0.3))
    assert lp.p_success(link) == pytest.approx(factor * 0.1 * 0.3)


def test_p_success_single_photon_limit():
    link = ideal_link(scheme="single_photon", bright_state_population=0.01).with_arms(
        collection_efficiency=0.01
    )
    assert lp.p_success(link) == pytest.approx(2 * 0.01 * 0.01, rel=1e-3)


def test_latency_and_rate_formula():
    link = ideal_link(fiber_length_m=10_000.0, attempt_rate_hz=1e6, duty_cycle=0.5, communication_ions=3)
    v = SPEED_OF_LIGHT_M_PER_S / 1.47
    assert lp.herald_latency_s(link) == pytest.approx(10_000.0 / v)
    expected = 3 * 0.5 * lp.p_success(link) / max(1e-6, 10_000.0 / v)
    assert lp.rate_hz(link) == pytest.approx(expected)
    short = ideal_link(fiber_length_m=2.0, attempt_rate_hz=1e6)
    assert lp.attempt_interval_s(short) == pytest.approx(1e-6)
    off_centre = ideal_link(fiber_length_m=1000.0, bsm_position=0.25)
    assert lp.herald_latency_s(off_centre) == pytest.approx(2 * 750.0 / v)


@pytest.mark.parametrize("visibility", [1.0, 0.95, 0.8])
def test_visibility_limit_at_zero_dark_counts(visibility):
    link = ideal_link(hom_visibility=visibility)
    assert lp.heralded_fidelity(link, SLOW_DECAY, SLOW_DECAY) == pytest.approx((1 + visibility) / 2, abs=1e-9)


def test_false_herald_mixing_rule():
    link = ideal_link(hom_visibility=0.95).with_arms(
        collection_efficiency=0.05, dark_count_rate_hz=500.0, detection_window_s=1e-6
    )
    f = lp.false_herald_fraction(link)
    assert 0 < f < 0.5
    assert lp.heralded_fidelity(link, SLOW_DECAY, SLOW_DECAY) == pytest.approx((1 - f) * 0.975 + f / 4)


def test_dark_count_leading_order_matches_references():
    # REFERENCES §3.4: eta = 0.02, P_d = 1e-5 gives F = 0.99707 (approximation 0.99706)
    link = ideal_link().with_arms(
        collection_efficiency=0.02, dark_count_rate_hz=1e-5 / 1e-6, detection_window_s=1e-6
    )
    f = lp.heralded_fidelity(link, SLOW_DECAY, SLOW_DECAY)
    assert f == pytest.approx(0.99707, abs=2e-5)
    eta = 0.02
    assert f == pytest.approx(1 - 6 * (1 - eta) * 1e-5 / eta, abs=2e-5)


def test_ion_photon_infidelity_depolarizes_each_side():
    link = ideal_link().with_arms(ion_photon_fidelity=0.98)
    lam = 4 * 0.02 / 3
    expected = (1 - 3 * lam / 4) ** 2 + 3 * (lam / 4) ** 2
    assert lp.heralded_fidelity(link, SLOW_DECAY, SLOW_DECAY) == pytest.approx(expected)


@pytest.mark.parametrize("envelope", ["exponential", "gaussian"])
def test_dephasing_during_herald_latency(envelope):
    link = ideal_link(fiber_length_m=100_000.0)
    module = ModuleSpec(communication_t2_s=1e-3, coherence_envelope=envelope)
    t = lp.herald_latency_s(link)
    c = math.exp(-t / 1e-3) if envelope == "exponential" else math.exp(-((t / 1e-3) ** 2))
    assert lp.heralded_fidelity(link, module, module) == pytest.approx(0.5 * (1 + c * c))


def test_link_budget_is_consistent():
    b = lp.link_budget(LinkSpec())
    assert b.rate_hz == pytest.approx(b.attempt_rate_hz * b.p_success)
    assert b.fidelity == b.state.fidelity
    assert set(b.as_dict()) >= {"p_success", "rate_hz", "fidelity"}


def test_single_photon_fidelity_is_about_one_minus_alpha():
    link = ideal_link(scheme="single_photon", bright_state_population=0.05).with_arms(
        collection_efficiency=0.01
    )
    f = lp.heralded_fidelity(link, SLOW_DECAY, SLOW_DECAY)
    assert f == pytest.approx(1 - 0.05 * (1 - 0.01) / (1 - 0.05 * 0.01), abs=1e-9)
    assert f == pytest.approx(0.95, abs=0.002)
    # first-order interference: the true pairs (weight f here) get phase-flip weight (1 - sqrt(V))/2
    blurred = dataclasses.replace(link, hom_visibility=0.81)
    assert lp.photonic_state(blurred).p_z == pytest.approx(f * (1 - 0.9) / 2, abs=1e-9)


def test_duty_cycle_scales_the_rate():
    full = ideal_link(duty_cycle=1.0).with_arms(collection_efficiency=0.1)
    half = dataclasses.replace(full, duty_cycle=0.5)
    assert lp.rate_hz(half) == pytest.approx(0.5 * lp.rate_hz(full))
