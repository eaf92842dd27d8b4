import pytest

from ionnet.analysis.spec import load_sweep, sweep_from_dict
from ionnet.errors import SweepError


def _sweep(**tables):
    data = {
        "sweep": {"kind": "link", "outputs": ["rate_hz", "fidelity"]},
        "axes": {"link.fiber_length_m": [1.0]},
    }
    for name, table in tables.items():
        data[name] = {**data.get(name, {}), **table} if table is not None else None
        if table is None:
            del data[name]
    return data


def test_points_are_the_product_of_the_axes():
    spec = sweep_from_dict(
        _sweep(axes={"link.fiber_length_m": [1.0, 2.0], "link.hom_visibility": [0.9, 0.95, 1]})
    )
    assert spec.num_points == 6
    assert len({t.task_id for t in spec.tasks()}) == 6


def test_log_range_axis():
    spec = sweep_from_dict(
        _sweep(axes={"link.fiber_length_m": {"start": 1, "stop": 100, "num": 3, "scale": "log"}})
    )
    assert spec.axes[0][1] == pytest.approx((1.0, 10.0, 100.0))


def test_fixed_parameters_reach_the_task():
    spec = sweep_from_dict(_sweep(fixed={"link.detector_efficiency": 0.5}))
    arm = spec.tasks()[0].inputs["network"]["links"][0]["arm_a"]
    assert arm["detector_efficiency"] == 0.5


@pytest.mark.parametrize(
    ("tables", "key"),
    [
        ({"axes": {"link.fiber_lenght_m": [1.0]}}, "fiber_lenght_m"),
        ({"axes": {"linc.fiber_length_m": [1.0]}}, "linc.fiber_length_m"),
        ({"axes": {"link.hom_visibility": []}}, "link.hom_visibility"),
        ({"axes": {"link.fiber_length_m": ["ten"]}}, "link.fiber_length_m"),
        ({"axes": {"link.detector_efficiency": [0.5, 1.5]}}, "link.detector_efficiency"),
        ({"axes": {"link.fiber_length_m": 3.0}}, "link.fiber_length_m"),
        ({"axes": {"link.fiber_length_m": {"start": 1, "stop": 2}}}, "num"),
        ({"axes": {"compiler.seed": [0]}}, "compiler.seed"),
        ({"fixed": {"module.two_qubit_gate_fidelity": "high"}}, "two_qubit_gate_fidelity"),
        ({"sweep": {"outputs": ["speed"]}}, "speed"),
        ({"sweep": {"outputs": "rate_hz"}}, "sweep.outputs"),
        ({"sweep": {"kind": "walk"}}, "kind"),
        ({"sweep": {"network": "no-such-preset"}}, "sweep.network"),
        ({"sweep": {"colour": "red"}}, "sweep.colour"),
        ({"grid": {}}, "grid"),
        ({"axes": {"network.modules": [2, 0]}}, "network.modules"),
    ],
)
def test_bad_sweeps_name_the_key(tables, key):
    with pytest.raises(SweepError, match=key.replace(".", r"\.")):
        sweep_from_dict(_sweep(**tables))


def test_malformed_toml_is_a_sweep_error(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[sweep\nkind = 'link'\n")
    with pytest.raises(SweepError, match="malformed TOML"):
        load_sweep(path)


def test_network_file_is_resolved_next_to_the_sweep(tmp_path):
    (tmp_path / "net.toml").write_text('[network]\nname = "mine"\nmodules = 3\n')
    (tmp_path / "s.toml").write_text(
        '[sweep]\nkind = "link"\nnetwork = "net.toml"\noutputs = ["rate_hz"]\n[axes]\n"seed" = [0, 1]\n'
    )
    spec = load_sweep(tmp_path / "s.toml")
    assert spec.base_network().name == "mine"
    assert spec.num_points == 2
