"""Every circuit: deterministic detectors, decomposable errors, code distance d (stim checks)."""

import pytest
import stim

from ionnet.hardware import load_network
from ionnet.qec import InterfaceNoise, MemorySpec, SurgerySpec, memory_experiment, surgery_experiment

NET = load_network("default").with_modules(3, capacity=200)
INTERFACES = {
    "uniform": InterfaceNoise("uniform", p=1e-3),
    "scaled": InterfaceNoise("scaled", p=1e-3, lam=10.0),
    "link-fidelity": InterfaceNoise("link", p=1e-3, ebit_fidelity=0.9),
    "link-network": InterfaceNoise("link", network=NET),
}
LAYOUTS = [
    ("square", "crossing", 2),
    ("square", "parallel", 2),
    ("square", "none", 2),
    ("rectangle", "crossing", 2),
    ("rectangle", "none", 2),
    ("square", "crossing", 3),
    ("rectangle", "crossing", 3),
]


def _check(exp, d):
    circuit = exp.circuit
    # Raises if a detector or an observable is not deterministic without noise.
    circuit.without_noise().detector_error_model()
    dem = exp.detector_error_model()  # raises if a graph-like decomposition fails
    assert dem.num_detectors == circuit.num_detectors
    assert len(circuit.shortest_graphlike_error()) == d


SLOW = pytest.mark.slow


@pytest.mark.parametrize("d", [3, pytest.param(5, marks=SLOW), pytest.param(7, marks=SLOW)])
@pytest.mark.parametrize(("patch", "seam", "modules"), LAYOUTS)
@pytest.mark.parametrize("basis", ["Z", "X"])
def test_memory_structure(d, patch, seam, modules, basis):
    spec = MemorySpec(distance=d, patch=patch, seam=seam, basis=basis, modules=modules)
    for noise in INTERFACES.values():
        exp = memory_experiment(spec, noise)
        _check(exp, d)
        assert exp.rounds == d and exp.distance == d
        assert exp.description["seam"] == seam and exp.description["interface"] == noise.kind


@pytest.mark.parametrize(
    ("d", "basis"), [(3, "ZZ"), (3, "XX"), pytest.param(5, "ZZ", marks=pytest.mark.slow), (5, "XX")]
)
def test_surgery_structure(d, basis):
    for noise in INTERFACES.values():
        exp = surgery_experiment(SurgerySpec(distance=d, basis=basis), noise)
        _check(exp, d)
        assert exp.circuit.num_observables == 3


@pytest.mark.parametrize("seam", ["crossing", "parallel"])
def test_distance_five_with_link_noise(seam):
    exp = memory_experiment(MemorySpec(5, seam=seam), INTERFACES["link-network"])
    _check(exp, 5)


def test_seam_none_has_no_crossing_and_crossing_counts():
    none = memory_experiment(MemorySpec(3, seam="none"), INTERFACES["scaled"])
    uniform = memory_experiment(MemorySpec(3, seam="none"), INTERFACES["uniform"])
    assert none.circuit == uniform.circuit  # no crossing CX: scaled noise changes nothing
    assert none.description["crossing_cx_per_round"] == 0
    # d = 3 square cut after the second column: plaquettes (2|2) at x = 4 cross twice,
    # the weight-2 X plaquette on the bottom edge at x = 4 once: 2 + 2 + 1 = 5.
    cut = memory_experiment(MemorySpec(3), INTERFACES["uniform"])
    assert cut.description["crossing_cx_per_round"] == 5
    # A chain of k modules has k - 1 seams, each d - 1 full plaquettes and 1 edge plaquette.
    chain = memory_experiment(MemorySpec(5, patch="rectangle", modules=3), INTERFACES["uniform"])
    assert chain.description["crossing_cx_per_round"] == 2 * (2 * 4 + 1)


def test_uniform_circuit_matches_stims_layout():
    """Same qubit coordinates and as many detectors as stim's generated circuit."""
    for basis in "ZX":
        ref = stim.Circuit.generated(f"surface_code:rotated_memory_{basis.lower()}", distance=5, rounds=5)
        ours = memory_experiment(MemorySpec(5, seam="none", basis=basis), INTERFACES["uniform"]).circuit
        assert set(map(tuple, ref.get_final_qubit_coordinates().values())) == set(
            map(tuple, ours.get_final_qubit_coordinates().values())
        )
        assert ours.num_detectors == ref.num_detectors
        assert ours.num_qubits == len(ref.get_final_qubit_coordinates())


@pytest.mark.parametrize("basis", ["ZZ", "XX"])
def test_surgery_outcome_is_protected_in_time_by_the_merged_rounds(basis):
    """The joint outcome is read from the first merged round only: a string of measurement
    errors through the merged rounds flips it, so the distance is min(d, rounds)."""
    for rounds in (1, 2, 4):
        exp = surgery_experiment(SurgerySpec(5, rounds=rounds, basis=basis), INTERFACES["uniform"])
        assert len(exp.circuit.shortest_graphlike_error()) == rounds


def test_module_shares_are_balanced():
    from ionnet.qec import memory_qubits_per_module, surgery_qubits_per_module

    assert memory_qubits_per_module(MemorySpec(5)) == (27, 22)
    assert sum(memory_qubits_per_module(MemorySpec(5, patch="rectangle"))) == 2 * 25 + 49
    assert memory_qubits_per_module(MemorySpec(5, seam="none")) == (49,)
    assert memory_qubits_per_module(MemorySpec(3, patch="rectangle", seam="none")) == (35,)
    # 2 x 9 + 3 data qubits, and the merged 7 x 3 patch's 20 measure qubits (which include
    # every position of the separate patches).
    assert surgery_qubits_per_module(SurgerySpec(3)) == (22, 19)
