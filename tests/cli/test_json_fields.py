"""Every command's ``--json`` fields are the ones README.md lists under "JSON output fields".

The README section has one sub-list per command (``### `ionnet NAME --json` ``); each bullet
names fields in backquotes before its colon: ``a`` a top-level field, ``a.b`` field ``b`` of
object ``a``, ``a[].b`` field ``b`` of each object in list ``a``. The test runs each command in
:data:`ARGS` (in process) and checks both ways: every printed field is documented, and every
documented field is printed by at least one of the command's runs. A command that does not exist
in this checkout (a README entry written for a later branch) is skipped. Every ``*_ci95`` found
on the way must be ``[low, high]`` or null.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from ionnet.cli import COMMANDS, main

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()

QASM = """OPENQASM 2.0;
include "qelib1.inc";
qreg q[3];
creg c[3];
h q[0];
cx q[0],q[1];
cx q[1],q[2];
measure q -> c;
"""
SWEEP = """[sweep]
kind = "link"
outputs = ["rate_hz", "fidelity"]
[axes]
"link.fiber_length_m" = [1.0, 100.0]
"""

ARGS: dict[str, list[list[str]]] = {
    name: [line.split() for line in lines]
    for name, lines in {
        "link": ["link --preset default --duration-s 1 --json"],
        "protocol": [
            "protocol cz --ebit-fidelity 0.9 --backend stabilizer --shots 100 --json",
            "protocol teleport --network default --json",
        ],
        "compile": ["compile {dir}/c.qasm --network default --modules 2 --json"],
        "run": [
            "run {dir}/c.qasm --network default --modules 2 --shots 50 --json --expected 000 "
            "--trace {dir}/t.json"
        ],
        "sweep": ["sweep {dir}/s.toml --csv {dir}/s.csv --json --no-progress"],
        "compare": [
            "compare --family ghz --sizes 4 --shots 20 --method estimate "
            "--vary link.hom_visibility=0.9,0.97 --json --no-progress"
        ],
        "qec memory": [
            "qec memory --distance 3 --seam crossing --interface scaled --lambda 10 --p 0.004 "
            "--shots 200 --seed 1 --json --no-progress",
            "qec memory --distance 3 --seam crossing --interface link --network default --shots 200 "
            "--seed 1 --json --no-progress",
        ],
        "qec surgery": ["qec surgery --distance 3 --basis ZZ --p 0.002 --shots 200 --json --no-progress"],
        "qec threshold": [
            "qec threshold --distances 3,5 --p-range 0.005:0.012:3 --shots 200 --json --no-progress "
            "--out {dir}/th.png"
        ],
    }.items()
}
"""Runs of each command whose fields together cover its README list."""
SLOW = {"qec threshold"}
"""Commands whose run takes more than a few seconds: checked in the slow suite."""


def readme_fields() -> dict[str, set[str]]:
    """Command name -> the field names its README sub-list documents."""
    section = README.split("\n## JSON output fields\n", 1)[1].split("\n## ", 1)[0]
    fields: dict[str, set[str]] = {}
    current = None
    for line in section.splitlines():
        if line.startswith("### "):
            current = set()
            for name in re.findall(r"`ionnet ([^`]*?) --json`", line):
                fields[name] = current
        elif current is not None and line.startswith("- "):
            names = line[2:].split(": ", 1)[0]
            current.update(re.findall(r"`([^`]+)`", names))
    return fields


DOCUMENTED = readme_fields()


def printed_fields(obj: dict[str, Any], documented: set[str], prefix: str = "") -> set[str]:
    """Field names of ``obj``, descending into objects whose children the README lists."""
    names = set()
    for key, value in obj.items():
        name = f"{prefix}{key}"
        names.add(name)
        if key.endswith("_ci95"):
            assert value is None or (isinstance(value, list) and len(value) == 2), (name, value)
            if value is not None:
                assert value[0] <= value[1], (name, value)
        if isinstance(value, dict) and any(d.startswith(f"{name}.") for d in documented):
            names |= printed_fields(value, documented, f"{name}.")
        if isinstance(value, list) and any(d.startswith(f"{name}[].") for d in documented):
            for item in value:
                names |= printed_fields(item, documented, f"{name}[].")
    return names


def test_readme_lists_every_command_with_json() -> None:
    for name in ARGS:
        if name.split()[0] in COMMANDS:
            assert name in DOCUMENTED, f"README 'JSON output fields' has no sub-list for ionnet {name}"
    for name in DOCUMENTED:
        assert name in ARGS, f"README documents ionnet {name} --json but this test does not run it"


@pytest.mark.parametrize(
    "command", [pytest.param(c, marks=pytest.mark.slow) if c in SLOW else c for c in sorted(DOCUMENTED)]
)
def test_json_fields_match_the_readme(command: str, tmp_path: Path, capsys) -> None:
    if command.split()[0] not in COMMANDS:
        pytest.skip(f"ionnet {command} does not exist in this checkout")
    (tmp_path / "c.qasm").write_text(QASM)
    (tmp_path / "s.toml").write_text(SWEEP)
    documented = DOCUMENTED[command]
    seen: set[str] = set()
    for argv in ARGS[command]:
        code = main([a.replace("{dir}", str(tmp_path)) for a in argv])
        out, err = capsys.readouterr()
        assert code == 0, err
        fields = printed_fields(json.loads(out), documented)
        undocumented = fields - documented
        assert not undocumented, f"ionnet {command} --json prints fields README does not list: {undocumented}"
        seen |= fields
    missing = documented - seen
    assert not missing, f"README lists fields ionnet {command} --json never printed: {missing}"
