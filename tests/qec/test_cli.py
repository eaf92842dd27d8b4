"""``ionnet qec``: the JSON fields, the stopping rule, seeds and workers, and bad input (exit 2)."""

import json

import pytest

from ionnet.cli import main

FIELDS = (
    "distance",
    "rounds",
    "shots",
    "errors",
    "wall_s",
    "logical_error_per_shot",
    "logical_error_per_round",
    "logical_error_per_round_ci95",
    "round_time_s",
    "ebits_per_round",
    "logical_error_per_s",
)


def _json(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr().out
    assert code == 0
    return json.loads(out)


def test_memory_json_fields(capsys):
    r = _json(
        capsys,
        "qec",
        "memory",
        "--distance",
        "3",
        "--interface",
        "scaled",
        "--lambda",
        "10",
        "--p",
        "0.004",
        "--shots",
        "2000",
        "--seed",
        "1",
        "--json",
    )
    assert all(k in r for k in FIELDS)
    assert (r["distance"], r["rounds"], r["shots"]) == (3, 3, 2000)
    low, high = r["logical_error_per_round_ci95"]
    assert low <= r["logical_error_per_round"] <= high
    assert r["logical_error_per_shot"] == pytest.approx(r["errors"] / r["shots"])
    assert r["round_time_s"] is None and r["logical_error_per_s"] is None


def test_memory_with_a_network_has_time(capsys):
    r = _json(
        capsys,
        "qec",
        "memory",
        "--distance",
        "3",
        "--interface",
        "link",
        "--network",
        "default",
        "--shots",
        "500",
        "--json",
    )
    assert r["round_time_s"] > 0 and r["ebits_per_round"] >= 1
    assert r["logical_error_per_s"] == pytest.approx(
        -__import__("math").log1p(-r["logical_error_per_round"]) / r["round_time_s"]
    )


def test_capacity_auto_fits_the_patch_on_small_preset_modules(capsys):
    argv = ["qec", "memory", "--distance", "3", "--interface", "link", "--network", "oxford-2020"]
    assert main([*argv, "--shots", "100"]) == 2
    assert "qubits" in capsys.readouterr().err
    r = _json(capsys, *argv, "--capacity", "auto", "--shots", "300", "--json")
    assert r["ebits_per_round"] >= 1 and r["timing"]["round_s"] == pytest.approx(r["round_time_s"])


def test_max_errors_stops_sampling_and_workers_do_not_change_counts(capsys):
    argv = [
        "qec",
        "memory",
        "--distance",
        "3",
        "--p",
        "0.01",
        "--shots",
        "100000",
        "--max-errors",
        "40",
        "--seed",
        "4",
        "--json",
    ]
    one = _json(capsys, *argv)
    two = _json(capsys, *argv, "--workers", "2")
    assert one["errors"] == 40 and one["shots"] < 100000
    assert (one["shots"], one["errors"]) == (two["shots"], two["errors"])


def test_surgery_json_fields(capsys):
    r = _json(capsys, "qec", "surgery", "--distance", "3", "--p", "0.002", "--shots", "500", "--json")
    assert all(k in r for k in FIELDS)


def test_threshold_figure_and_json(tmp_path, capsys):
    fig = tmp_path / "th.png"
    r = _json(
        capsys,
        "qec",
        "threshold",
        "--distances",
        "3,5",
        "--p-range",
        "0.003:0.02:4",
        "--seam",
        "none",
        "--shots",
        "3000",
        "--max-errors",
        "150",
        "--out",
        str(fig),
        "--json",
    )
    assert fig.stat().st_size > 1000
    assert r["parameter"] == "p" and len(r["points"]) == 8
    assert r["threshold_ci95"] is None or len(r["threshold_ci95"]) == 2
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_threshold_in_a_link_parameter(tmp_path, capsys):
    fig = tmp_path / "f.svg"
    r = _json(capsys, "qec", "threshold", "--distances", "3,5", "--interface", "link", "--network", "default",
              "--capacity", "auto", "--sweep", "ebit_fidelity=0.8:0.99:3", "--shots", "400",
              "--out", str(fig),
              "--json")  # fmt: skip
    assert r["parameter"] == "ebit_fidelity" and fig.exists()
    assert [p["ebit_fidelity"] for p in r["points"][:3]] == pytest.approx(r["values"])
    assert all(p["round_time_s"] > 0 for p in r["points"])


BAD = [
    (["memory", "--distance", "4"], "4"),
    (["memory", "--distance", "1"], "1"),
    (["memory", "--distance", "3", "--p", "0.7"], "0.7"),
    (["memory", "--distance", "3", "--p", "0"], "0"),
    (["memory", "--distance", "3", "--interface", "scaled", "--lambda", "-1"], "-1"),
    (["memory", "--distance", "3", "--seam", "diagonal"], "diagonal"),
    (["memory", "--distance", "3", "--interface", "optical"], "optical"),
    (["memory", "--distance", "3", "--patch", "round"], "round"),
    (["memory", "--distance", "3", "--interface", "link"], "network"),
    (["memory", "--distance", "3", "--interface", "link", "--network", "no-such-net"], "no-such-net"),
    (["memory", "--distance", "3", "--shots", "0"], "0"),
    (["memory", "--distance", "3", "--p", "nan"], "nan"),
    (
        ["memory", "--distance", "3", "--interface", "link", "--network", "default", "--capacity", "lots"],
        "lots",
    ),
    (["surgery", "--distance", "3", "--basis", "YY"], "YY"),
    (["threshold", "--distances", "3", "--p-range", "0.001:0.01:4", "--out", "x.png"], "3"),
    (["threshold", "--distances", "3,5", "--p-range", "0.001:0.01", "--out", "x.png"], "0.001:0.01"),
    (["threshold", "--distances", "3,5", "--p-range", "0.001:0.01:4", "--out", "x.pdf"], "x.pdf"),
    (
        [
            "threshold",
            "--distances",
            "3,5",
            "--sweep",
            "link.fiber_lenght_m=1:10:3",
            "--interface",
            "link",
            "--network",
            "default",
            "--out",
            "x.png",
        ],
        "fiber_lenght_m",
    ),
]


@pytest.mark.parametrize("argv,named", BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_input_is_one_line_and_exit_2(argv, named, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code = main(["qec", *argv])  # usage errors too return 2 (main never raises SystemExit)
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert named in err
    assert not list(tmp_path.iterdir())


def test_network_file_that_cannot_hold_the_patch(tmp_path, capsys):
    net = tmp_path / "tiny.toml"
    net.write_text('[network]\nname = "tiny"\nmodules = 2\n\n[module]\ndata_qubits = 2\n')
    code = main(["qec", "memory", "--distance", "5", "--interface", "link", "--network", str(net)])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1 and "Traceback" not in err


@pytest.mark.parametrize("content", [b"", b"\x00\x01\xff binary", b"[network\nname="])
def test_empty_binary_or_broken_network_file(tmp_path, capsys, content):
    net = tmp_path / "bad.toml"
    net.write_bytes(content)
    code = main(["qec", "memory", "--distance", "3", "--interface", "link", "--network", str(net)])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1 and "Traceback" not in err
