import csv

import pytest

from ionnet.analysis.runkind import build_run_inputs, compute_run
from ionnet.analysis.spec import sweep_from_dict
from ionnet.analysis.store import ResultStore
from ionnet.analysis.sweep import run_sweep
from ionnet.errors import ConfigError, SweepError
from ionnet.hardware import load_network

PERFECT = {
    "module.single_qubit_gate_fidelity": 1.0,
    "module.two_qubit_gate_fidelity": 1.0,
    "module.spam_error": 0.0,
}


def test_perfect_single_module_ghz_always_succeeds():
    params = {**PERFECT, "circuit.family": "ghz", "circuit.num_qubits": 5, "network.modules": 1,
              "network.capacity": "auto", "shots": 200}  # fmt: skip
    out = compute_run(build_run_inputs(load_network("default"), params))
    assert out["ebits"] == 0
    # idle dephasing over a few ms with T2 = 1 s leaves the success within 3 % of 1
    assert out["success_probability"] > 0.97


def test_two_modules_spend_ebits_and_time():
    base = {"circuit.family": "ghz", "circuit.num_qubits": 6, "network.capacity": "auto", "shots": 100}
    one = compute_run(build_run_inputs(load_network("default"), {**base, "network.modules": 1}))
    two = compute_run(build_run_inputs(load_network("default"), {**base, "network.modules": 2}))
    assert (one["ebits"], two["ebits"]) == (0, 1)
    assert two["makespan_s"] > one["makespan_s"]


def test_circuit_too_big_for_the_network_is_a_recorded_error(tmp_path):
    spec = sweep_from_dict({
        "sweep": {"kind": "run", "outputs": ["success_probability"]},
        "fixed": {"circuit.family": "ghz", "network.modules": 2, "module.data_qubits": 2, "shots": 10},
        "axes": {"circuit.num_qubits": [4, 6]},
    })  # fmt: skip
    summary = run_sweep(spec, store_path=tmp_path / "s.db", progress=False)
    assert (summary.points, summary.errors) == (2, 1)
    with ResultStore(tmp_path / "s.db") as store:
        errors = [r.outputs["error"] for r in store.records() if r.outputs["error"]]
    assert "NetworkError" in errors[0] and "6 qubits" in errors[0]


@pytest.mark.parametrize(
    ("params", "key"),
    [
        ({"circuit.family": "shor", "circuit.num_qubits": 4}, "circuit.family"),
        ({"circuit.family": "ghz", "circuit.num_qubits": 1}, "circuit.num_qubits"),
        ({"circuit.family": "ghz", "circuit.num_qubits": 4, "compiler.effort": 3}, "compiler.effort"),
        ({"circuit.num_qubits": 4}, "circuit.family"),
        ({"circuit.family": "ghz", "circuit.num_qubits": 4, "shots": 0}, "shots"),
    ],
)
def test_bad_run_parameters_name_the_key(params, key):
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        build_run_inputs(load_network("default"), params)


def test_bad_axis_value_in_a_run_sweep_is_named():
    with pytest.raises(SweepError, match=r"circuit\.family"):
        sweep_from_dict({"sweep": {"kind": "run"}, "axes": {"circuit.family": ["ghz", "grover"]}})


def test_run_sweep_is_identical_with_one_and_two_workers(tmp_path):
    spec = sweep_from_dict({
        "sweep": {"kind": "run", "outputs": ["success_probability", "makespan_s", "ebits"]},
        "fixed": {"circuit.family": "ghz", "circuit.num_qubits": 6, "network.modules": 2,
                  "network.capacity": "auto", "shots": 100},
        "axes": {"seed": [0, 1, 2], "link.collection_efficiency": [0.05, 0.2]},
    })  # fmt: skip
    rows = []
    for workers in (1, 2):
        run_sweep(spec, store_path=tmp_path / f"{workers}.db", workers=workers, progress=False)
        with ResultStore(tmp_path / f"{workers}.db") as store:
            store.write_csv(tmp_path / f"{workers}.csv", spec.axis_names, spec.outputs)
        with open(tmp_path / f"{workers}.csv") as f:
            rows.append([{k: v for k, v in r.items() if not k.endswith("wall_s")} for r in csv.DictReader(f)])
    assert rows[0] == rows[1]
    assert len(rows[0]) == 6
    assert len({r["makespan_s"] for r in rows[0]}) > 1  # the seed changes the link timing
