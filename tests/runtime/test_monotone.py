"""Physics sanity: worse links, more ebits and longer idling never raise the output fidelity.

Runs share their seed (common random numbers); a fidelity may exceed the previous one only
within 3 combined standard errors.
"""

from __future__ import annotations

import dataclasses
import itertools
import math

from qiskit import QuantumCircuit

from ionnet.cli.demo_runtime import ghz_circuit, qft_circuit
from ionnet.hardware import load_network
from ionnet.hardware.network import NetworkSpec
from ionnet.runtime.api import run_circuit


def _with_link(net: NetworkSpec, **changes: float) -> NetworkSpec:
    link = dataclasses.replace(net.link, **changes)
    return dataclasses.replace(net, links=(link,) * len(net.edges))


def _fidelity(qc: QuantumCircuit, net: NetworkSpec, shots: int = 3000) -> tuple[float, float]:
    r = run_circuit(qc, net, shots=shots, seed=3, backend="trajectories").result
    assert r.fidelity is not None and r.fidelity_ci95 is not None
    return r.fidelity, (r.fidelity_ci95[1] - r.fidelity_ci95[0]) / (2 * 1.96)


def _non_increasing(values: list[tuple[float, float]]) -> None:
    for (f0, s0), (f1, s1) in itertools.pairwise(values):
        assert f1 <= f0 + 3 * math.hypot(s0, s1) + 1e-9, values
    assert values[-1][0] < values[0][0]


def test_lower_link_fidelity_never_raises_output_fidelity():
    # GHZ, not the QFT of a basis state: that one's measured distribution is uniform, so the
    # phase (Z) errors a lower visibility puts on the ebits barely show in its fidelity
    base = load_network("default").with_modules(2, capacity=3)
    qc = ghz_circuit(6)
    values = [_fidelity(qc, _with_link(base, hom_visibility=v)) for v in (1.0, 0.95, 0.85, 0.7)]
    _non_increasing(values)


def test_more_ebits_never_help():
    qc = ghz_circuit(6)
    base = load_network("default")
    values = []
    ebits = []
    for k in (1, 2, 3):
        net = base.with_modules(k, capacity=math.ceil(6 / k))
        out = run_circuit(qc, net, shots=3000, seed=3, backend="trajectories")
        ebits.append(out.result.ebits)
        values.append(_fidelity(qc, net))
    assert ebits == sorted(ebits) and ebits[0] == 0 and ebits[-1] > ebits[1]
    _non_increasing(values)


def test_longer_idling_never_helps():
    base = load_network("default").with_modules(2, capacity=3)
    qc = qft_circuit(6)
    # slower attempts: the same geometric draws take longer, so everything waits longer
    values = [_fidelity(qc, _with_link(base, attempt_rate_hz=rate)) for rate in (1e6, 2e5, 5e4)]
    _non_increasing(values)
