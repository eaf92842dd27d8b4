"""``ionnet run`` in process: JSON fields, files, and one-line errors with exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ionnet.cli import main

GHZ4 = """OPENQASM 2.0;
include "qelib1.inc";
qreg q[4];
creg c[4];
h q[0];
cx q[0],q[1];
cx q[1],q[2];
cx q[2],q[3];
measure q -> c;
"""


@pytest.fixture
def ghz(tmp_path: Path) -> Path:
    path = tmp_path / "ghz.qasm"
    path.write_text(GHZ4)
    return path


def _run(capsys, *args: str) -> tuple[int, str, str]:
    try:
        code = main(["run", *args])
    except SystemExit as exc:  # argparse usage errors exit directly (code 2, one line)
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_json_has_the_promised_fields(ghz, capsys):
    code, out, _ = _run(
        capsys, str(ghz), "--network", "default", "--modules", "2", "--shots", "300", "--json"
    )
    assert code == 0
    r = json.loads(out)
    for key in (
        "counts",
        "shots",
        "ebits",
        "makespan_s",
        "fidelity",
        "wall_s",
        "link_attempts",
        "utilisation",
    ):
        assert key in r
    assert sum(r["counts"].values()) == r["shots"] == 300
    assert r["ebits"] >= 1 and r["makespan_s"] > 0
    assert all(len(k) == 4 for k in r["counts"])


def test_ideal_run_gives_only_ghz_outcomes(ghz, capsys):
    code, out, _ = _run(capsys, str(ghz), "--network", "default", "--modules", "2", "--ideal", "--json")
    assert code == 0
    r = json.loads(out)
    assert set(r["counts"]) <= {"0000", "1111"}
    assert r["fidelity"] == pytest.approx(1.0, abs=0.01)  # Hellinger fidelity of 1000 shots
    assert r["makespan_s"] > 0  # durations still count


def test_same_seed_same_output(ghz, capsys):
    args = (str(ghz), "--network", "default", "--modules", "2", "--shots", "200", "--seed", "7", "--json")
    first = json.loads(_run(capsys, *args)[1])
    second = json.loads(_run(capsys, *args)[1])
    assert first["counts"] == second["counts"] and first["makespan_s"] == second["makespan_s"]


def test_trace_json_and_timeline_png(ghz, tmp_path, capsys):
    trace, png = tmp_path / "t.json", tmp_path / "t.png"
    code, out, _ = _run(
        capsys,
        str(ghz),
        "--network",
        "default",
        "--modules",
        "2",
        "--trace",
        str(trace),
        "--timeline",
        str(png),
    )
    assert code == 0
    data = json.loads(trace.read_text())
    assert {"makespan_s", "ops", "ebits"} <= set(data)
    assert all(op["end_s"] >= op["start_s"] for op in data["ops"])
    assert png.read_bytes()[:4] == b"\x89PNG"
    assert "timeline" in out


def test_text_output_and_expected_answer(ghz, capsys):
    code, out, _ = _run(capsys, str(ghz), "--network", "default", "--modules", "2", "--expected", "1111")
    assert code == 0
    assert "success probability" in out and "makespan" in out


def test_a_compiled_program_file_runs(tmp_path, capsys):
    program = Path(__file__).resolve().parents[2] / "examples" / "programs" / "teleported_cnot.txt"
    code, out, _ = _run(capsys, str(program), "--network", "default", "--json")
    assert code == 0
    assert json.loads(out)["ebits"] == 1


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--shots", "0"], "--shots"),
        (["--shots", "-3"], "--shots"),
        (["--shots", "many"], "--shots"),
        (["--seed", "-1"], "--seed"),
        (["--seed", "x"], "--seed"),
        (["--capacity", "1"], "holds only 2"),
        (["--expected", "12"], "--expected"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(ghz, capsys, args, needle):
    code, _, err = _run(capsys, str(ghz), "--network", "default", "--modules", "2", *args)
    assert code == 2
    assert needle in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_circuit_larger_than_the_network(ghz, capsys):
    code, _, err = _run(capsys, str(ghz), "--network", "default", "--modules", "2", "--capacity", "1")
    assert code == 2
    assert len(err.strip().splitlines()) == 1


def test_disconnected_network(ghz, tmp_path, capsys):
    net = tmp_path / "split.toml"
    net.write_text(
        '[network]\nname = "split"\nmodules = 2\ntopology = "explicit"\n[module]\ndata_qubits = 2\n'
    )
    code, _, err = _run(capsys, str(ghz), "--network", str(net))
    assert code == 2
    assert "connected" in err and len(err.strip().splitlines()) == 1


def test_missing_circuit_file(capsys, tmp_path):
    code, _, err = _run(capsys, str(tmp_path / "nope.qasm"), "--network", "default")
    assert code == 2 and "nope.qasm" in err


def test_backend_too_small_for_the_program(tmp_path, capsys):
    qasm = Path("/work/shared/bench/dqc/qft_16.qasm").read_text() + "creg c[16];\nmeasure q -> c;\n"
    path = tmp_path / "qft.qasm"
    path.write_text(qasm)
    code, _, err = _run(capsys, str(path), "--network", "default", "--modules", "2", "--backend", "density")
    assert code == 2
    assert "at most 12 qubits" in err and len(err.strip().splitlines()) == 1
