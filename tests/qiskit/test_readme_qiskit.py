"""The README's Qiskit section stays true: its Sampler and Estimator examples run and print what it says."""

from __future__ import annotations

import pathlib
import re

README = (pathlib.Path(__file__).resolve().parents[2] / "README.md").read_text()


def _section_blocks() -> list[str]:
    section = README.split("## Qiskit programs on the networked machine")[1].split("\n## ")[0]
    return re.findall(r"```python\n(.*?)```", section, re.S)


def test_sampler_and_estimator_examples_run(capsys):
    blocks = _section_blocks()
    assert len(blocks) == 2
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})
    lines = capsys.readouterr().out.splitlines()
    counts = eval(lines[0])  # a dict of counts
    assert max(counts, key=counts.get) == "11" and sum(counts.values()) == 1000
    ev, std = map(float, lines[1].split())
    assert 0.8 < ev < 1.0 - 2 * std  # noisy: clearly below 1
    ebits, makespan_s, fidelity, path = lines[2].split()
    assert (ebits, path) == ("1", "stim") and float(makespan_s) > 0 and 0.8 < float(fidelity) < 1
