"""``ionnet`` answers at once: help, usage errors and config errors load no heavy library.

Wall time on a shared machine is noisy, so these tests check what is imported instead (in a fresh
interpreter): ``ionnet --help``, ``ionnet SUB --help`` and every usage error import none of numpy,
qiskit, SimPy, scipy, matplotlib, Dask, stim, networkx or rich; a bad network or link file is
reported before qiskit, SimPy, scipy, matplotlib, Dask or stim load. The timings themselves are
measured by ``benchmarks/bench_cli_startup.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from ionnet.cli import COMMANDS

NOTHING_HEAVY = ("numpy", "qiskit", "simpy", "scipy", "matplotlib", "dask", "stim", "networkx", "rich")
NO_SIMULATOR = ("qiskit", "simpy", "scipy", "matplotlib", "dask", "stim")

PROBE = """
import contextlib, io, json, sys
from ionnet.cli import main
cases, heavy = json.loads(sys.argv[1]), json.loads(sys.argv[2])
results = []
for argv in cases:  # in one interpreter: a module loaded by one case stays loaded for the next
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()) as err:
        code = main(argv)
    loaded = [m for m in heavy if m in sys.modules]
    results.append({"argv": argv, "code": code, "loaded": loaded, "err": err.getvalue()})
print(json.dumps(results))
"""


def _probe(cases: list[list[str]], heavy: tuple[str, ...], cwd: Path) -> list[dict]:
    r = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(cases), json.dumps(heavy)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_help_and_usage_errors_import_nothing_heavy(tmp_path: Path) -> None:
    cases = [["--help"], [], ["no-such-command"], *([name, "--help"] for name in COMMANDS)]
    cases += [
        ["run", "c.qasm", "--network", "default", "--shots", "10000000000000"],
        ["link", "--duration-s", "nan"],
        ["protocol", "teleport", "--ebit-fidelity", "1.5"],
        ["compile", "c.qasm", "--network", "default", "--modules", "0"],
    ]
    for result in _probe(cases, NOTHING_HEAVY, tmp_path):
        assert result["loaded"] == [], result
        expected = 0 if "--help" in result["argv"] else 2
        assert result["code"] == expected, result


def test_config_errors_come_before_the_simulators_load(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_bytes(b"\x00\x01binary")
    (tmp_path / "wrong.toml").write_text("[link]\ndetector_efficiency = 1.5\n")
    (tmp_path / "c.qasm").write_text('OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\n')
    cases = [
        ["link", "--config", "bad.toml"],
        ["link", "--config", "wrong.toml"],
        ["run", "c.qasm", "--network", "bad.toml"],
        ["compile", "c.qasm", "--network", "wrong.toml"],
        ["run", "missing.qasm", "--network", "default"],
        ["protocol", "cz", "--network", "wrong.toml"],
        ["compare", "--network", "bad.toml"],
    ]
    for result in _probe(cases, NO_SIMULATOR, tmp_path):
        assert result["code"] == 2, result
        assert result["loaded"] == [], result
        assert len(result["err"].strip().splitlines()) == 1, result


def test_import_ionnet_is_light() -> None:
    code = "import sys, ionnet; print([m for m in ('numpy', 'qiskit', 'networkx') if m in sys.modules])"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.stdout.strip() == "[]", r.stdout + r.stderr
