"""ionnet's circuits against stim's generated rotated memory (the reference), and seams under
uniform noise. PyMatching decodes; intervals are two-proportion z-scores at fixed seeds."""

import pytest
import stim

from ionnet.qec import InterfaceNoise, MemorySpec, SurgerySpec, memory_experiment, surgery_experiment


def _reference(basis: str, d: int, rounds: int, p: float) -> stim.Circuit:
    return stim.Circuit.generated(
        f"surface_code:rotated_memory_{basis.lower()}",
        distance=d,
        rounds=rounds,
        after_clifford_depolarization=p,
        before_round_data_depolarization=p,
        before_measure_flip_probability=p,
        after_reset_flip_probability=p,
    )


def _canonical_dem(circuit: stim.Circuit) -> dict[tuple, float]:
    """Error mechanisms keyed by the coordinates of the detectors they flip (plus observables)."""
    coords = circuit.get_detector_coordinates()
    out: dict[tuple, float] = {}
    for inst in circuit.detector_error_model().flattened():
        if inst.type != "error":
            continue
        key = tuple(
            sorted(
                tuple(coords[t.val]) if t.is_relative_detector_id() else (-1.0, float(t.val))
                for t in inst.targets_copy()
                if not t.is_separator()
            )
        )
        p, q = inst.args_copy()[0], out.get(key, 0.0)
        out[key] = p * (1 - q) + q * (1 - p)
    return out


@pytest.mark.parametrize("basis", ["Z", "X"])
@pytest.mark.parametrize(("d", "rounds"), [(3, 3), (5, 5), (3, 7)])
def test_seam_none_has_stims_error_model(basis, d, rounds):
    """Detector by detector (matched by coordinates), the same error mechanisms and probabilities."""
    p = 2e-3
    ours = memory_experiment(
        MemorySpec(d, rounds=rounds, seam="none", basis=basis), InterfaceNoise("uniform", p=p)
    )
    ref, mine = _canonical_dem(_reference(basis, d, rounds, p)), _canonical_dem(ours.circuit)
    assert set(ref) == set(mine)
    assert max(abs(ref[k] - mine[k]) for k in ref) < 1e-12


@pytest.mark.parametrize("basis", ["Z", "X"])
def test_seam_none_logical_error_matches_stim(basis, logical_errors, zscore):
    p, d, shots = 5e-3, 3, 40_000
    ours = memory_experiment(MemorySpec(d, seam="none", basis=basis), InterfaceNoise("uniform", p=p))
    a = logical_errors(_reference(basis, d, d, p), shots, 11)
    b = logical_errors(ours.circuit, shots, 12)
    assert 300 < a[0] < 1500  # p_L near 2 %: the comparison has power
    assert abs(zscore(a, b)) < 4.0


@pytest.mark.slow
@pytest.mark.parametrize(("d", "p"), [(5, 5e-3), (7, 5e-3)])
def test_seam_none_logical_error_matches_stim_slow(d, p, logical_errors, zscore):
    ours = memory_experiment(MemorySpec(d, seam="none"), InterfaceNoise("uniform", p=p))
    a = logical_errors(_reference("Z", d, d, p), 200_000, 21)
    b = logical_errors(ours.circuit, 200_000, 22)
    assert abs(zscore(a, b)) < 4.0


@pytest.mark.parametrize("basis", ["Z", "X"])
@pytest.mark.parametrize(("patch", "seam", "modules"), [("square", "crossing", 2), ("square", "parallel", 3)])
def test_uniform_noise_ignores_the_seam(basis, patch, seam, modules, logical_errors, zscore):
    """Under uniform noise the seam only relabels modules: the same circuit, the same errors."""
    noise = InterfaceNoise("uniform", p=5e-3)
    none = memory_experiment(MemorySpec(5, seam="none", basis=basis), noise)
    cut = memory_experiment(MemorySpec(5, patch=patch, seam=seam, basis=basis, modules=modules), noise)
    assert cut.circuit == none.circuit
    # The scaled interface at lambda = 1 is uniform too.
    lam1 = memory_experiment(
        MemorySpec(5, seam=seam, basis=basis, modules=modules), InterfaceNoise("scaled", p=5e-3)
    )
    assert _canonical_dem(lam1.circuit) == pytest.approx(_canonical_dem(none.circuit), abs=1e-15)
    assert abs(zscore(logical_errors(none.circuit, 10_000, 1), logical_errors(lam1.circuit, 10_000, 2))) < 4


def test_scaled_interface_costs_and_lambda_zero_helps(logical_errors, zscore):
    spec = MemorySpec(3, seam="crossing")
    base = logical_errors(memory_experiment(spec, InterfaceNoise("uniform", p=4e-3)).circuit, 20_000, 3)
    noisy = logical_errors(
        memory_experiment(spec, InterfaceNoise("scaled", p=4e-3, lam=10)).circuit, 20_000, 4
    )
    free = logical_errors(memory_experiment(spec, InterfaceNoise("scaled", p=4e-3, lam=0)).circuit, 20_000, 5)
    assert zscore(base, noisy) > 5 and zscore(free, base) > 0


def test_surgery_logical_error_falls_with_distance(logical_errors):
    noise = InterfaceNoise("uniform", p=2e-3)
    e3 = logical_errors(surgery_experiment(SurgerySpec(3, basis="XX"), noise).circuit, 20_000, 7)
    e5 = logical_errors(surgery_experiment(SurgerySpec(5, basis="XX"), noise).circuit, 20_000, 8)
    assert e5[0] < 0.6 * e3[0]


@pytest.mark.slow
def test_interface_threshold_near_ten_percent(logical_errors, zscore):
    """Ramette et al., npj Quantum Inf. 10, 58 (2024): with the bulk well below threshold the
    interface tolerates errors near 10 %. Crossing seam, bulk p = 1e-3: at an interface error
    of 3 % larger codes are better, at 20 % they are worse."""

    def counts(p_interface, d):
        noise = InterfaceNoise("scaled", p=1e-3, lam=p_interface / 1e-3)
        return logical_errors(memory_experiment(MemorySpec(d, seam="crossing"), noise).circuit, 20_000, d)

    below = [counts(0.03, d) for d in (3, 5, 7)]
    assert zscore(below[1], below[0]) > 3 and zscore(below[2], below[1]) > 3
    above = [counts(0.2, d) for d in (3, 7)]
    assert zscore(above[0], above[1]) > 3
