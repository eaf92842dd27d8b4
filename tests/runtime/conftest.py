"""Fixtures for the runtime tests."""

from __future__ import annotations

import pytest
from runtime_helpers import EXAMPLES

from ionnet.compiler.program import DistributedProgram


@pytest.fixture
def teleported_cnot() -> DistributedProgram:
    return DistributedProgram.from_text((EXAMPLES / "programs" / "teleported_cnot.txt").read_text())
