"""The per-shot path: every shot simulated from the start on a state backend of ionnet.states.

It samples every measurement (feed-forward included) and every noise location per shot, so it
makes no assumption about the program; it is the reference the fast path is tested against and
the path for programs that read circuit bits mid-way. Cost: shots x the whole circuit.

>>> from ionnet.runtime.noisy import NoisyCircuit, Step
>>> from ionnet.seeding import stream
>>> nc = NoisyCircuit([Step("gate", ("a",), "X"), Step("measure", ("a",), bit="c0", probs=(0.0,))], 1, {})
>>> run_per_shot(nc, 5, stream(0, "doc"))
{'1': 5}
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from ionnet.errors import BackendError
from ionnet.runtime.memory import COPIES, check_memory
from ionnet.runtime.noisy import NoisyCircuit, Step
from ionnet.states import BACKENDS, make_backend
from ionnet.states.backend import StateBackend
from ionnet.states.channels import depolarizing

_SXDG = np.array([[0.5 - 0.5j, 0.5 + 0.5j], [0.5 + 0.5j, 0.5 - 0.5j]], dtype=complex)


class Shot:
    """One shot on a state backend: qubit names -> backend ids, and the classical bits."""

    def __init__(self, backend: StateBackend, rng: np.random.Generator) -> None:
        self.backend = backend
        self.rng = rng
        self.ids: dict[str, int] = {}
        self.bits: dict[str, int] = {}

    def run(self, nc: NoisyCircuit) -> Shot:
        """Execute every step of ``nc``; returns self."""
        for s in nc.steps:
            self.step(s)
        return self

    def qid(self, name: str) -> int:
        if name not in self.ids:
            self.ids[name] = self.backend.allocate(1)[0]
        return self.ids[name]

    def step(self, s: Step) -> None:
        """Execute one step (noise sampled, measurement sampled, feed-forward applied)."""
        b = self.backend
        ids = [self.qid(q) for q in s.qubits]
        if s.kind == "pauli1":
            b.apply_pauli_channel(ids, dict(zip("XYZ", s.probs, strict=True)))
        elif s.kind == "depol2":
            b.apply_pauli_channel(ids, depolarizing(s.probs[0], 2))
        elif s.kind == "epr":
            for i in ids:
                b.reset(i)
            b.apply_gate("H", ids[:1])
            b.apply_gate("CX", ids)
        elif s.kind == "reset":
            b.reset(ids[0])
        elif s.kind == "measure":
            outcome = b.measure(ids[0])
            if s.probs and self.rng.random() < s.probs[0]:
                outcome ^= 1
            self.bits[s.bit] = outcome
        elif not s.condition or sum(self.bits.get(c, 0) for c in s.condition) % 2 == 1:
            gate = _SXDG if s.name == "SXDG" else s.name
            b.apply_gate(gate, ids, s.params)


def run_per_shot(
    nc: NoisyCircuit, shots: int, rng: np.random.Generator, backend: str = "statevector"
) -> dict[str, int]:
    """Simulate ``shots`` shots one by one on a fresh ``backend`` each; counts c0-rightmost.

    Raises:
        BackendError: The program has more qubits than the backend holds, or its state would
            not fit in the memory available.
    """
    live = len({q for s in nc.steps for q in s.qubits})
    limit = BACKENDS[backend].default_max_qubits if backend in BACKENDS else 0
    if live > limit:
        raise BackendError(
            f"the {backend} backend holds at most {limit} qubits; this program uses {live} "
            "(data slots and communication ions)"
        )
    if backend in COPIES:
        check_memory(backend, live)
    counts: dict[str, int] = defaultdict(int)
    for _ in range(shots):
        shot = Shot(make_backend(backend, rng, max_qubits=live), rng)
        shot.run(nc)
        key = "".join(str(shot.bits.get(f"c{k}", 0)) for k in range(nc.num_clbits - 1, -1, -1))
        counts[key] += 1
    return dict(counts)
