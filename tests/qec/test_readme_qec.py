"""The README's ionnet.qec example runs as written."""

import pathlib
import re

README = (pathlib.Path(__file__).resolve().parents[2] / "README.md").read_text()


def test_qec_readme_example_runs():
    section = README[README.index("## Surface codes across modules") :]
    block = re.search(r"```\n(.*?)```", section, re.S)
    assert block is not None
    scope: dict = {}
    exec(compile(block[1], "README.md", "exec"), scope)
    exp = scope["exp"]
    assert exp.ebits_per_round == 9 and exp.round_time_s == exp.timing["round_s"] > 0
