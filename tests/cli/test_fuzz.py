"""Fuzzing the command line: mutated inputs give exit code 2 and one line, or run (exit 0).

Each target is a command that reads one input file, with a valid seed file. Hypothesis mutates
the file (truncated, bytes flipped, inserted or deleted, and for TOML/JSON: a key renamed or
dropped, a value replaced by one of the wrong type or an extreme) and the test runs the command
in process. Whatever the mutation, the command must exit 0 (the mutated input happened to be
valid) or 2 with exactly one line on stderr and no traceback, never exit 1 (an internal error
caught by the last line of defence) or raise; and an output file that existed before a failing
command is left byte for byte as it was. Numeric options get a table of hostile values.

The default run draws a few examples per target (seeded: the same examples every run); the
slow-marked variant draws many more.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import tempfile
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ionnet.cli import main

GHZ = """OPENQASM 2.0;
include "qelib1.inc";
qreg q[3];
creg c[3];
h q[0];
cx q[0],q[1];
cx q[1],q[2];
measure q -> c;
"""
PROGRAM = """QUBIT 0 m0.q0
QUBIT 1 m1.q0
FINAL 0 m0.q0
FINAL 1 m1.q0
CLBITS 2
H m0.q0
EPR m0.c0 m1.c0
CX m0.q0 m0.c0
MEASURE m0.c0 -> t0
SEND t0 m0 -> m1
IF t0 X m1.c0
MEASURE m0.q0 -> c0
MEASURE m1.q0 -> c1
"""


def _program_json() -> str:
    from ionnet.compiler.program import DistributedProgram

    return DistributedProgram.from_text(PROGRAM).to_json()


NETWORK = """[network]
name = "fuzz"
modules = 2
topology = "all_to_all"

[module]
data_qubits = 4
two_qubit_gate_fidelity = 0.99

[link]
scheme = "two_photon"
fiber_length_m = 10.0
detector_efficiency = 0.9
"""
LINK = """[link]
scheme = "two_photon"
fiber_length_m = 100.0
collection_efficiency = 0.1

[module]
communication_t2_s = 0.5
"""
SWEEP = """[sweep]
kind = "link"
outputs = ["rate_hz", "fidelity"]

[fixed]
"link.detector_efficiency" = 0.9

[axes]
"link.fiber_length_m" = [1.0, 100.0]
"link.collection_efficiency" = { start = 0.05, stop = 0.1, num = 2 }
"""
CSV = """task_id,network,seed,link.fiber_length_m,rate_hz,fidelity,error,task_wall_s
a1,default,0,1.0,230.0,0.96,,0.001
a2,default,0,10.0,200.0,0.95,,0.001
a3,default,0,100.0,120.0,0.94,,0.001
"""
TRACE = {
    "makespan_s": 0.002,
    "ops": [
        {
            "lane": "m0",
            "label": "H m0.q0",
            "start_s": 0.0,
            "end_s": 1e-5,
            "qubits": ["m0.q0"],
            "kind": "gate",
        },
        {"lane": "link m0-m1", "label": "attempts x3", "start_s": 0.0, "end_s": 0.001, "kind": "attempts"},
        {"lane": "m1", "label": "X m1.c0", "start_s": 0.001, "end_s": 0.002, "qubits": ["m1.c0"]},
    ],
    "ebits": [],
}
COMPARE = {
    "family": "ghz",
    "network": "default",
    "seed": 0,
    "shots": 10,
    "module_qubits": 2,
    "law": {"reference_ions": 2, "infidelity_exponent": 1.0, "time_exponent": 1.0},
    "vary": None,
    "rows": [
        {
            "machine": m,
            "qubits": n,
            "modules": 1 if m == "monolithic" else n // 2,
            "method": "estimate",
            "success_probability": 0.9 - n / 100,
            "makespan_s": 1e-3 * n,
            "time_to_solution_s": 1e-3 * n,
            "ebits": 0,
            "vary_value": None,
            "error": "",
        }
        for m in ("monolithic", "modular")
        for n in (4, 8)
    ],
    "crossovers": [
        {
            "vary_value": None,
            "link_fidelity": 0.96,
            "link_rate_hz": 230.0,
            "crossover_qubits": None,
            "crossover_tts_qubits": None,
        }
    ],
}


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if value != value else ("inf" if value > 0 else "-inf")
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(k)} = {_toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(value)


def dump_toml(data: dict[str, Any]) -> str:
    """A small TOML writer: top-level scalars, then one [table] per dict value."""
    lines = [f"{json.dumps(k)} = {_toml_value(v)}" for k, v in data.items() if not isinstance(v, dict)]
    for key, table in data.items():
        if isinstance(table, dict):
            lines.append(f"[{json.dumps(key)}]")
            lines += [f"{json.dumps(k)} = {_toml_value(v)}" for k, v in table.items()]
    return "\n".join(lines) + "\n"


WRONG_VALUES = st.sampled_from(
    ["", "x", "nan", -1, 0, 10**30, -(10**30), 1e308, -1e-308, 0.5, True, [], [1, "a"], {"a": 1}, 2**63]
)


def _paths(data: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix] if prefix else []
    if isinstance(data, dict):
        for k, v in data.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _paths(v, (*prefix, i))
    return out


def _structural(data: Any, draw: Callable) -> Any:
    """Rename, drop or retype one key or value of a parsed TOML/JSON document."""
    data = json.loads(json.dumps(data))
    paths = _paths(data)
    path = draw(st.sampled_from(paths))
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1]
    action = draw(st.sampled_from(["rename", "drop", "retype"]))
    if action == "rename" and isinstance(parent, dict):
        parent[f"{last}_typo"] = parent.pop(last)
    elif action == "drop":
        del parent[last]
    else:
        parent[last] = draw(WRONG_VALUES)
    return data


@st.composite
def mutated(draw: Callable, text: str, kind: str) -> bytes:
    """``text`` mutated at the byte level or (TOML/JSON) structurally."""
    data = text.encode()
    choices = ["truncate", "flip", "insert", "delete", "empty", "binary"]
    if kind in ("toml", "json"):
        choices += ["structural"] * 4
    action = draw(st.sampled_from(choices))
    if action == "truncate":
        return data[: draw(st.integers(0, len(data) - 1))]
    if action == "empty":
        return draw(st.sampled_from([b"", b"\n", b"   \n\t"]))
    if action == "binary":
        return draw(st.binary(min_size=1, max_size=64))
    position = draw(st.integers(0, len(data) - 1))
    if action == "flip":
        return data[:position] + bytes([draw(st.integers(0, 255))]) + data[position + 1 :]
    if action == "insert":
        return data[:position] + draw(st.binary(min_size=1, max_size=8)) + data[position:]
    if action == "delete":
        return data[:position] + data[position + draw(st.integers(1, 8)) :]
    if kind == "toml":
        return dump_toml(_structural(tomllib.loads(text), draw)).encode()
    return json.dumps(_structural(json.loads(text), draw)).encode()


TARGETS: dict[str, tuple[str, str, str, list[str]]] = {
    # name: (seed text, kind, file name, argv with {f} for the file and {d} for the folder)
    "circuit": (
        GHZ,
        "qasm",
        "c.qasm",
        ["compile", "{f}", "--network", "default", "--modules", "2", "-o", "{d}/out.txt", "--json"],
    ),
    "program-text": (
        PROGRAM,
        "text",
        "p.prog",
        ["run", "{f}", "--network", "default", "--shots", "20", "--trace", "{d}/out.json", "--json"],
    ),
    "program-json": (
        _program_json(),
        "json",
        "p.json",
        ["run", "{f}", "--network", "default", "--shots", "20", "--json"],
    ),
    "network": (NETWORK, "toml", "n.toml", ["protocol", "teleport", "--network", "{f}", "--json"]),
    "link": (LINK, "toml", "l.toml", ["link", "--config", "{f}", "--duration-s", "0.05", "--json"]),
    "sweep": (
        SWEEP,
        "toml",
        "s.toml",
        ["sweep", "{f}", "--store", "{d}/s.db", "--csv", "{d}/out.csv", "--json", "--no-progress"],
    ),
    "csv": (CSV, "text", "r.csv", ["plot", "rate-vs-length", "{f}", "--out", "{d}/out.png"]),
    "trace": (json.dumps(TRACE), "json", "t.json", ["plot", "timeline", "{f}", "--out", "{d}/out.png"]),
    "compare": (json.dumps(COMPARE), "json", "c.json", ["plot", "crossover", "{f}", "--out", "{d}/out.svg"]),
}
SENTINEL = b"written by an earlier command: must survive a failed one\n"


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    """``main(argv)`` in process; returns the exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def check_one(target: str, content: bytes) -> None:
    """Run ``target`` on ``content``; exit 0, or exit 2 with one line and outputs intact."""
    _, _, name, argv = TARGETS[target]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        outputs = [Path(a.replace("{d}", folder)) for a in argv if a.startswith("{d}/out")]
        for output in outputs:
            output.write_bytes(SENTINEL)
        code, _, err = run_cli([a.replace("{f}", str(path)).replace("{d}", folder) for a in argv])
        assert code in (0, 2), f"{target}: exit {code}: {err}"
        assert "Traceback" not in err, err
        if code == 2:
            assert len(err.strip().splitlines()) == 1, f"{target}: not one line: {err!r}"
            assert err.startswith("ionnet "), err
            for output in outputs:
                assert output.read_bytes() == SENTINEL, f"{target}: {output.name} was overwritten"


def _fuzz(target: str, examples: int) -> None:
    text, kind, _, _ = TARGETS[target]

    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(mutated(text, kind))
    def run(content: bytes) -> None:
        check_one(target, content)

    run()


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_the_seed_inputs_are_valid(target: str) -> None:
    text, _, _, _ = TARGETS[target]
    _, _, name, argv = TARGETS[target]
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / name).write_text(text)
        code, _, err = run_cli([a.replace("{f}", f"{folder}/{name}").replace("{d}", folder) for a in argv])
    assert code == 0, err


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_mutated_inputs_fail_cleanly(target: str) -> None:
    _fuzz(target, examples=12)


@pytest.mark.slow
@pytest.mark.parametrize("target", sorted(TARGETS))
def test_mutated_inputs_fail_cleanly_many(target: str) -> None:
    _fuzz(target, examples=300)


ALWAYS_BAD = ["nan", "inf", "-inf", "1e400", "99999999999999999999999", "abc", "", " "]
SOMETIMES_BAD = ["-1", "0", "1.5"]
NUMERIC_OPTIONS = [
    ["run", "{c}", "--network", "default", "--shots", "{v}"],
    ["run", "{c}", "--network", "default", "--seed", "{v}"],
    ["run", "{c}", "--network", "default", "--modules", "{v}"],
    ["compile", "{c}", "--network", "default", "--capacity", "{v}"],
    ["link", "--duration-s", "{v}", "--json"],
    ["protocol", "teleport", "--ebit-fidelity", "{v}", "--json"],
    ["protocol", "ghz", "--nodes", "{v}", "--ebit-fidelity", "0.9", "--json"],
    ["protocol", "teleport", "--shots", "{v}", "--backend", "statevector", "--json"],
    ["protocol", "teleport", "--purify", "{v}", "--json"],
    ["sweep", "{s}", "--workers", "{v}"],
    ["compare", "--sizes", "{v}", "--method", "estimate", "--json", "--no-progress"],
    ["compare", "--module-qubits", "{v}", "--sizes", "4", "--method", "estimate", "--json", "--no-progress"],
    ["compare", "--infidelity-exponent", "{v}", "--sizes", "4", "--method", "estimate", "--json"],
    ["qec", "memory", "--distance", "{v}", "--p", "0.004", "--shots", "100", "--json", "--no-progress"],
    ["qec", "memory", "--distance", "3", "--p", "{v}", "--shots", "100", "--json", "--no-progress"],
]


@pytest.mark.parametrize(
    "argv", NUMERIC_OPTIONS, ids=lambda a: f"{a[0]}{next(x for x in a if x.startswith('--'))}"
)
def test_hostile_numbers_are_refused(argv: list[str], tmp_path: Path) -> None:
    (tmp_path / "c.qasm").write_text(GHZ)
    (tmp_path / "s.toml").write_text(SWEEP)
    files = {"{c}": str(tmp_path / "c.qasm"), "{s}": str(tmp_path / "s.toml")}
    for value in ALWAYS_BAD + SOMETIMES_BAD:
        args = [value if a == "{v}" else files.get(a, a) for a in argv]
        code, _, err = run_cli(args)
        assert code == 2 or (code == 0 and value in SOMETIMES_BAD), f"{args}: exit {code} {err}"
        if code == 2:
            assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err


def test_absurd_shots_are_refused_before_any_allocation(tmp_path: Path) -> None:
    (tmp_path / "c.qasm").write_text(GHZ)
    code, _, err = run_cli(
        ["run", str(tmp_path / "c.qasm"), "--network", "default", "--shots", "10000000000000"]
    )
    assert code == 2 and "10000000" in err and len(err.strip().splitlines()) == 1
