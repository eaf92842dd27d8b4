"""The batch-sampled teleported CNOT agrees with the exact density-matrix protocol."""

from __future__ import annotations

import pytest

from ionnet.hardware import ModuleSpec
from ionnet.hardware.bell import BellDiagonal
from ionnet.protocols.batch import sample_teleported_cnot
from ionnet.protocols.calculator import SHOTS
from ionnet.protocols.context import NetworkContext
from ionnet.protocols.module import NoisyModule
from ionnet.seeding import stream
from ionnet.states import DensityMatrixBackend

FOREVER = 1e15  # the batch circuit has no idle decoherence


@pytest.mark.parametrize(("f", "f1", "f2", "spam"), [(0.95, 0.99, 0.97, 0.01), (0.8, 0.999, 0.99, 0.0)])
def test_batch_matches_density_protocol(f: float, f1: float, f2: float, spam: float) -> None:
    module = ModuleSpec(
        single_qubit_gate_fidelity=f1,
        two_qubit_gate_fidelity=f2,
        spam_error=spam,
        memory_t1_s=FOREVER,
        memory_t2_s=FOREVER,
        communication_t1_s=FOREVER,
        communication_t2_s=FOREVER,
        communication_ions=2,
    )
    ebit = BellDiagonal.werner(f)
    backend = DensityMatrixBackend(stream(0, "batch"))
    ctx = NetworkContext(
        backend,
        [NoisyModule(backend, module, "m0"), NoisyModule(backend, module, "m1")],
        lambda a, b: ebit,
        lambda a, b: 0.0,
    )
    shot, slope, offset = SHOTS["cnot"]
    target, _ = shot(ctx, 2)
    exact = slope * target.fidelity(backend) + offset
    est = sample_teleported_cnot(ebit, module, shots=40_000, seed=5)
    assert abs(est.average_gate_fidelity - exact) < est.ci95 * 4 / 1.96  # 4 sigma
