import pytest

from ionnet.hardware.link import LinkSpec
from ionnet.hardware.module import ModuleSpec


@pytest.fixture
def fast_link() -> LinkSpec:
    """p_success = 1e-3 at 1 MHz: about 1000 heralds per second per pair."""
    return LinkSpec(attempt_rate_hz=1e6, hom_visibility=0.96, fiber_length_m=2.0).with_arms(
        emission_probability=1.0,
        collection_efficiency=0.044721359549995794,
        fiber_coupling_efficiency=1.0,
        fiber_loss_db_per_km=0.0,
        optics_transmission=1.0,
        detector_efficiency=1.0,
        dark_count_rate_hz=2000.0,
        detection_window_s=1e-6,
        ion_photon_fidelity=0.99,
    )


@pytest.fixture
def module() -> ModuleSpec:
    return ModuleSpec()
