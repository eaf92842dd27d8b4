from pathlib import Path

import pytest

from ionnet.analysis.spec import load_sweep

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize(
    ("name", "kind", "points"), [("link_sweep.toml", "link", 1000), ("run_sweep.toml", "run", 18)]
)
def test_example_sweeps_are_valid(name, kind, points):
    spec = load_sweep(EXAMPLES / name)
    assert spec.kind == kind
    assert len({t.task_id for t in spec.tasks()}) == points


def test_every_example_sweep_file_loads():
    files = sorted(EXAMPLES.glob("*sweep*.toml"))
    assert len(files) >= 2
    for path in files:
        load_sweep(path)
