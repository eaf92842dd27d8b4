"""Bad input on every path: one line naming the file and the value, exit code 2, nothing lost."""

from __future__ import annotations

import argparse
import json
import sqlite3
from pathlib import Path

import pytest

from ionnet.cli import main

GHZ = 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[3];\ncreg c[3];\nh q[0];\ncx q[0],q[1];\ncx q[1],q[2];\n'
GHZ += "measure q -> c;\n"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if code:
        assert len(err.strip().splitlines()) == 1, err
    return code, err


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "c.qasm").write_text(GHZ)
    (tmp_path / "empty.qasm").write_text("")
    (tmp_path / "noqubits.qasm").write_text('OPENQASM 2.0;\ninclude "qelib1.inc";\n')
    (tmp_path / "binary.qasm").write_bytes(b"OPENQASM 2.0;\x00\xff\xfe")
    (tmp_path / "latin1.toml").write_bytes(b'[network]\nname = "caf\xe9"\n')
    (tmp_path / "folder.toml").mkdir()
    return tmp_path


@pytest.mark.parametrize(
    ("argv", "needles"),
    [
        (["run", "{d}/empty.qasm", "--network", "default"], ["empty.qasm", "empty"]),
        (["compile", "{d}/empty.qasm", "--network", "default"], ["empty.qasm", "empty"]),
        (["run", "{d}/noqubits.qasm", "--network", "default"], ["noqubits.qasm", "no qubits"]),
        (["run", "{d}/binary.qasm", "--network", "default"], ["binary.qasm", "NUL byte at offset 13"]),
        (["run", "{d}/c.qasm", "--network", "{d}/latin1.toml"], ["latin1.toml", "0xe9"]),
        (["run", "{d}/c.qasm", "--network", "{d}/folder.toml"], ["folder.toml", "directory"]),
        (["link", "--config", "{d}/folder.toml"], ["folder.toml", "directory"]),
        (["run", "{d}/c.qasm", "--network", "default", "--expected", "0101"], ["--expected", "3", "'0101'"]),
        (["run", "{d}/c.qasm", "--network", "default", "--expected", "01x"], ["--expected", "'01x'"]),
        (["run", "{d}/c.qasm", "--network", "default", "--shots", "10000000000000"], ["10000000"]),
        (["link", "--duration-s", "1e12"], ["--duration-s", "limit"]),
        (["sweep", "{d}/folder.toml"], ["folder.toml", "directory"]),
    ],
)
def test_bad_input_names_the_file_and_value(files, capsys, argv, needles) -> None:
    code, err = _run(capsys, *(a.replace("{d}", str(files)) for a in argv))
    assert code == 2
    for needle in needles:
        assert needle in err


def test_plot_refuses_a_csv_that_is_not_a_sweep(tmp_path, capsys) -> None:
    (tmp_path / "other.csv").write_text("name,value\na,1\nb,x\n")
    (tmp_path / "sweepish.csv").write_text("task_id,link.fiber_length_m,rate_hz\nt1,1.0,abc\n")
    out = tmp_path / "fig.png"
    code, err = _run(capsys, "plot", "rate-vs-length", str(tmp_path / "other.csv"), "--out", str(out))
    assert code == 2 and "not a sweep CSV" in err and "other.csv" in err
    code, err = _run(capsys, "plot", "rate-vs-length", str(tmp_path / "sweepish.csv"), "--out", str(out))
    assert code == 2 and "rate_hz" in err and "fidelity" in err
    assert not out.exists()


def test_plot_refuses_a_comparison_with_nothing_to_draw(tmp_path, capsys) -> None:
    """Found by the slow fuzz: a crossover whose vary_value no row has left empty log axes."""
    row = {"machine": "monolithic", "qubits": 4, "success_probability": 0.86, "vary_value": None}
    rows = [{**row, "time_to_solution_s": 0.004}, {**row, "machine": "modular", "time_to_solution_s": 0.004}]
    setting = {"vary_value": "", "link_fidelity": 0.96, "link_rate_hz": 230.0, "crossover_qubits": None}
    law = {"reference_ions": 2, "infidelity_exponent": 1.0, "time_exponent": 1.0}
    data = {"family": "ghz", "network": "default", "seed": 0, "module_qubits": 2, "law": law}
    cases = (
        ({**data, "rows": rows, "crossovers": [setting]}, "vary_value ''"),
        (
            {**data, "rows": [{**rows[0], "time_to_solution_s": 0}], "crossovers": [setting]},
            "time_to_solution_s must be > 0",
        ),
    )
    out = tmp_path / "fig.png"
    for bad, needle in cases:
        (tmp_path / "c.json").write_text(json.dumps(bad))
        code, err = _run(capsys, "plot", "crossover", str(tmp_path / "c.json"), "--out", str(out))
        assert code == 2 and needle in err, err
    assert not out.exists()


def test_a_failing_run_keeps_the_existing_trace(files, capsys) -> None:
    trace = files / "trace.json"
    trace.write_text("earlier result")
    code, err = _run(
        capsys, "run", str(files / "c.qasm"), "--network", "default", "--capacity", "1", "--trace", str(trace)
    )
    assert code == 2 and "Traceback" not in err
    assert trace.read_text() == "earlier result"


def _foreign_sqlite(path: Path) -> None:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE people (name TEXT)")
        db.execute("INSERT INTO people VALUES ('ada')")


def _our_store(tmp_path: Path, capsys) -> Path:
    (tmp_path / "s.toml").write_text(
        '[sweep]\nkind = "link"\noutputs = ["rate_hz"]\n[axes]\n"link.fiber_length_m" = [1.0, 2.0]\n'
    )
    store = tmp_path / "ours.db"
    assert main(["sweep", str(tmp_path / "s.toml"), "--store", str(store), "--no-progress"]) == 0
    capsys.readouterr()
    return store


@pytest.mark.parametrize("kind", ["text", "foreign-sqlite", "truncated-store", "garbled-store"])
def test_a_store_that_is_not_ours_is_refused_and_left_alone(tmp_path, capsys, kind) -> None:
    sweep = tmp_path / "s.toml"
    store = tmp_path / "store.db"
    if kind == "text":
        store.write_text("my thesis, chapter 3\n")
    elif kind == "foreign-sqlite":
        _foreign_sqlite(store)
    else:
        ours = _our_store(tmp_path, capsys).read_bytes()
        if kind == "truncated-store":
            store.write_bytes(ours[: len(ours) // 2 + 100])
        else:
            store.write_bytes(ours[:4096] + bytes(b ^ 0x5A for b in ours[4096:8192]) + ours[8192:])
    sweep.write_text(
        '[sweep]\nkind = "link"\noutputs = ["rate_hz"]\n[axes]\n"link.fiber_length_m" = [1.0, 2.0]\n'
    )
    before = store.read_bytes()
    code, err = _run(capsys, "sweep", str(sweep), "--store", str(store), "--no-progress")
    assert code == 2 and "store.db" in err
    assert store.read_bytes() == before
    code, err = _run(capsys, "plot", "rate-vs-length", str(store), "--out", str(tmp_path / "f.png"))
    assert code == 2 and store.read_bytes() == before


def test_the_last_line_of_defence(monkeypatch, capsys) -> None:
    from ionnet.cli import link

    def broken(args: argparse.Namespace) -> int:
        raise RuntimeError("a bug\nwith two lines")

    monkeypatch.setattr(link, "run", broken)
    monkeypatch.delenv("IONNET_DEBUG", raising=False)
    assert main(["link"]) == 1
    err = capsys.readouterr().err
    assert err.strip() == (
        "ionnet link: error: internal error: RuntimeError: a bug; with two lines "
        "(set IONNET_DEBUG=1 for the traceback)"
    )
    monkeypatch.setenv("IONNET_DEBUG", "1")
    with pytest.raises(RuntimeError):
        main(["link"])


def test_an_unwritable_output_is_refused_before_any_work(files, capsys) -> None:
    code, err = _run(capsys, "compile", str(files / "c.qasm"), "--network", "default", "-o", str(files))
    assert code == 2 and "directory" in err
    code, err = _run(capsys, "plot", "timeline", str(files / "c.qasm"), "--out", str(files / "x.pdf"))
    assert code == 2 and ".png or .svg" in err
