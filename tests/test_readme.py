"""README.md stays true: its Python example runs and its first two lines are .ci/run's command."""

import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def test_python_example_runs(capsys):
    block = re.search(r"```python\n(.*?)```", README, re.S)
    assert block is not None
    exec(compile(block[1], "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "ProgramCost(ebits=" in out
    assert "EPR m" in out


def test_ci_runs_the_readme_test_command():
    commands = re.search(r"```bash\n(.*?)\n(.*?)\n```", README, re.S)
    assert commands is not None
    assert "ionnet demo" in commands[1]
    assert commands[2] in (ROOT / ".ci" / "run").read_text()
