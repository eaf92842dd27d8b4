"""``ionnet compile`` in process: JSON fields, output files and one-line errors with exit 2."""

from __future__ import annotations

import json

from ionnet.cli import main
from ionnet.compiler.program import DistributedProgram

QASM = (
    'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[4];\nh q[0];\ncx q[0],q[1];\ncx q[1],q[2];\ncx q[2],q[3];\n'
)


def test_json_summary_has_the_promised_fields(tmp_path, capsys):
    path = tmp_path / "ghz.qasm"
    path.write_text(QASM)
    assert (
        main(["compile", str(path), "--network", "default", "--modules", "2", "--seed", "0", "--json"]) == 0
    )
    out = json.loads(capsys.readouterr().out)
    for key in ("ebits", "remote_gates", "teleported_qubits", "modules", "placement", "compile_s"):
        assert key in out
    assert out["modules"] == 2 and out["ebits"] == 1
    assert sorted(out["placement"]) == ["0", "1", "2", "3"]


def test_output_file_text_and_json(tmp_path, capsys):
    path = tmp_path / "ghz.qasm"
    path.write_text(QASM)
    for name in ("p.txt", "p.json"):
        target = tmp_path / name
        assert main(["compile", str(path), "--network", "default", "--modules", "2", "-o", str(target)]) == 0
        text = target.read_text()
        program = (
            DistributedProgram.from_json(text)
            if name.endswith(".json")
            else DistributedProgram.from_text(text)
        )
        assert program.cost().ebits == 1
    assert "ebits" in capsys.readouterr().out


def test_errors_are_one_line_with_exit_2(tmp_path, capsys):
    bad = tmp_path / "bad.qasm"
    bad.write_text(QASM.replace("h q[0];", "h q[0]"))
    assert main(["compile", str(bad), "--network", "default"]) == 2
    err = capsys.readouterr().err.strip()
    assert "line 5" in err and len(err.splitlines()) == 1
    good = tmp_path / "ghz.qasm"
    good.write_text(QASM)
    assert main(["compile", str(good), "--network", "default", "--modules", "2", "--capacity", "1"]) == 2
    err = capsys.readouterr().err.strip()
    assert "holds only 2" in err and len(err.splitlines()) == 1
    disconnected = tmp_path / "net.toml"
    disconnected.write_text('[network]\nmodules = 3\ntopology = "explicit"\n[[links]]\nbetween = [0, 1]\n')
    assert main(["compile", str(good), "--network", str(disconnected)]) == 2
    assert "not connected" in capsys.readouterr().err
