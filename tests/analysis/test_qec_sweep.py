"""The ``qec`` sweep kind: validation, resume, and the same stored counts for any number of workers."""

import pytest

from ionnet.analysis.spec import sweep_from_dict
from ionnet.analysis.store import ResultStore
from ionnet.analysis.sweep import run_sweep
from ionnet.errors import SweepError

SWEEP = {
    "sweep": {
        "kind": "qec",
        "outputs": ["logical_error_per_round", "logical_error_per_round_ci95", "errors"],
    },
    "fixed": {"qec.p": 0.006, "qec.max_errors": 30, "shots": 3000, "seed": 2},
    "axes": {"qec.distance": [3, 5], "qec.seam": ["crossing", "none"]},
}


def _counts(path):
    with ResultStore(path) as store:
        return sorted((r.task_id, r.outputs["shots"], r.outputs["errors"]) for r in store.records())


def test_qec_sweep_resumes_and_ignores_the_worker_count(tmp_path):
    spec = sweep_from_dict(SWEEP)
    first = run_sweep(spec, store_path=tmp_path / "a.db", progress=False)
    assert (first.points, first.computed, first.errors) == (4, 4, 0)
    again = run_sweep(spec, store_path=tmp_path / "a.db", progress=False)
    assert (again.computed, again.reused) == (0, 4)
    run_sweep(spec, store_path=tmp_path / "b.db", workers=2, progress=False)
    assert _counts(tmp_path / "a.db") == _counts(tmp_path / "b.db")
    with ResultStore(tmp_path / "a.db") as store:
        for record in store.records():
            low, high = record.outputs["logical_error_per_round_ci95"]
            assert low <= record.outputs["logical_error_per_round"] <= high


def test_uniform_points_do_not_depend_on_the_network(tmp_path):
    a = sweep_from_dict({**SWEEP, "sweep": {**SWEEP["sweep"], "network": "default"}}).tasks()
    b = sweep_from_dict({**SWEEP, "sweep": {**SWEEP["sweep"], "network": "oxford-2020"}}).tasks()
    assert [t.task_id for t in a] == [t.task_id for t in b]


@pytest.mark.parametrize(
    "axes,named",
    [
        ({"qec.distance": [3, 4]}, "4"),
        ({"qec.distance": [3], "qec.seam": ["diagonal"]}, "diagonal"),
        ({"qec.distance": [3], "qec.p": [0.7]}, "0.7"),
        ({"qec.distance": [3], "qec.colour": [1]}, "qec.colour"),
        ({"qec.distance": [3], "circuit.family": ["ghz"]}, "circuit.family"),
    ],
)
def test_bad_qec_sweep_names_the_key_and_value(axes, named):
    with pytest.raises(SweepError, match=named):
        sweep_from_dict({"sweep": {"kind": "qec"}, "axes": axes}).tasks()


def test_link_points_carry_the_swept_network():
    spec = sweep_from_dict(
        {
            "sweep": {"kind": "qec", "network": "default"},
            "fixed": {"qec.distance": 3, "qec.interface": "link", "shots": 100},
            "axes": {"link.fiber_length_m": [1.0, 100.0]},
        }
    )
    tasks = spec.tasks()
    assert len({t.task_id for t in tasks}) == 2
    assert [t.inputs["network"]["links"][0]["fiber_length_m"] for t in tasks] == [1.0, 100.0]


def test_link_point_on_small_preset_modules_with_auto_capacity(tmp_path):
    spec = sweep_from_dict(
        {
            "sweep": {
                "kind": "qec",
                "network": "oxford-2020",
                "outputs": ["round_time_s", "ebits_per_round"],
            },
            "fixed": {"qec.interface": "link", "network.capacity": "auto", "shots": 200},
            "axes": {"qec.distance": [3, 5]},
        }
    )
    from ionnet.qec import MemorySpec
    from ionnet.qec.memory import memory_qubits_per_module

    need = [max(memory_qubits_per_module(MemorySpec(distance=d))) for d in (3, 5)]
    assert [t.inputs["network"]["module"]["data_qubits"] for t in spec.tasks()] == need
    summary = run_sweep(spec, store_path=tmp_path / "l.db", progress=False)
    assert summary.errors == 0
    with ResultStore(tmp_path / "l.db") as store:
        assert all(r.outputs["round_time_s"] > 0 for r in store.records())
