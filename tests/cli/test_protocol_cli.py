"""``ionnet protocol``, in process through ionnet.cli.main."""

from __future__ import annotations

import json

import pytest

from ionnet.cli import main


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:  # type: ignore[type-arg]
    assert main(["protocol", *argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_teleport_json_fields(capsys: pytest.CaptureFixture[str]) -> None:
    out = run_json(capsys, "teleport", "--ebit-fidelity", "0.9", "--backend", "density")
    assert out["fidelity"] == pytest.approx((2 * 0.9 + 1) / 3)
    assert out["ebits"] == 1 and out["backend"] == "density"
    assert "fidelity_ci95" not in out


def test_sampling_backend_reports_a_ci(capsys: pytest.CaptureFixture[str]) -> None:
    out = run_json(
        capsys, "cz", "--ebit-fidelity", "0.9", "--backend", "stabilizer", "--shots", "300", "--seed", "4"
    )
    low, high = out["fidelity_ci95"]
    assert low < out["fidelity"] < high
    assert abs(out["fidelity"] - (4 * 0.9 + 1) / 5) < 2.1 * (high - low) / 2  # 4 sigma


def test_swap_and_ghz_nodes(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_json(capsys, "swap", "--nodes", "4", "--ebit-fidelity", "1")["ebits"] == 3
    out = run_json(capsys, "ghz", "--nodes", "5", "--network", "default")
    assert out["ebits"] == 4 and 0.5 < out["fidelity"] < 1 and out["network"] == "default"


def test_text_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["protocol", "cnot", "--ebit-fidelity", "1"]) == 0
    assert "fidelity 1.000000 (exact)" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["teleport", "--ebit-fidelity", "0.2"], "--ebit-fidelity"),
        (["teleport", "--ebit-fidelity", "1.01"], "--ebit-fidelity"),
        (["swap", "--nodes", "2"], "nodes"),
        (["ghz", "--nodes", "1"], "nodes"),
        (["ghz", "--nodes", "0"], "--nodes"),
        (["teleport", "--nodes", "3"], "nodes"),
        (["warp"], "warp"),
        (["teleport", "--backend", "qpu"], "qpu"),
        (["teleport", "--network", "no-such-net"], "no-such-net"),
        (["ghz", "--nodes", "11", "--backend", "density"], "holds at most 12"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    argv: list[str], needle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:  # argparse errors exit directly
        code = main(["protocol", *argv])
        raise SystemExit(code)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert needle in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
