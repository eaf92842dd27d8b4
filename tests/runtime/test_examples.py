"""Every example script with a saved output (examples/NAME.out) prints exactly that output."""

from __future__ import annotations

import subprocess
import sys

import pytest
from runtime_helpers import EXAMPLES

SCRIPTS = sorted(p for p in EXAMPLES.glob("*.py") if p.with_suffix(".out").exists())


def test_examples_have_saved_outputs():
    assert {p.stem for p in SCRIPTS} >= {"main2025_teleported_cz", "teleported_cnot_trace", "qft_two_modules"}


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_example_output_matches(script):
    run = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=300, cwd=EXAMPLES.parent
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout == script.with_suffix(".out").read_text()
