"""Emit stabilizer rounds as a noisy stim circuit, with measurement bookkeeping.

The round is stim's generated surface-code round (the reference the tests compare with):
data noise before the round, H on the X-type measure qubits, four CX layers, H, measure and
reset the measure qubits. Noise sits where stim's ``after_clifford_depolarization``,
``before_round_data_depolarization``, ``before_measure_flip_probability`` and
``after_reset_flip_probability`` put it; a CX whose two qubits sit on different modules
(a *crossing* CX) takes the interface's channel instead of the local DEPOLARIZE2, and with a
network every qubit also takes its idle channel for the time it waits in the round.

>>> from ionnet.qec.lattice import patch_stabilizers, data_coords
>>> stabs = patch_stabilizers(3, 3)
>>> coords = data_coords(3, 3) + [s.ancilla for s in stabs]
>>> b = CircuitBuilder(coords, {c: 0 for c in coords})
>>> noise = RoundNoise(local=(LocalNoise.uniform(0.0),))
>>> b.reset(data_coords(3, 3), "Z", noise.local)
>>> len(b.round(stabs, noise)), b.num_measurements
(8, 8)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import stim

from ionnet.qec.lattice import Coord, Stabilizer

Channel2 = tuple[str, tuple[float, ...]]
Pauli1 = tuple[float, float, float]


@dataclass(frozen=True)
class LocalNoise:
    """Circuit-level noise of the operations inside one module.

    Attributes:
        p1: DEPOLARIZE1 after each single-qubit Clifford.
        p2: DEPOLARIZE2 after each local CX.
        p_meas: Flip before each measurement.
        p_reset: Flip after each reset.
        p_data_round: DEPOLARIZE1 on every data qubit before each round.
    """

    p1: float
    p2: float
    p_meas: float
    p_reset: float
    p_data_round: float

    @classmethod
    def uniform(cls, p: float) -> LocalNoise:
        """All four of stim's generated-circuit noise knobs equal to p."""
        return cls(p, p, p, p, p)


@dataclass(frozen=True)
class RoundNoise:
    """The noise of one round: per-module local noise, crossing channels and idling.

    Attributes:
        local: LocalNoise of module 0, 1, ...
        crossing: (control's module, target's module) -> stim channel on (control, target);
            a pair not listed takes DEPOLARIZE2 at the control module's p2.
        data_idle: Data qubit -> (p_X, p_Y, p_Z) at the start of the round.
        ancilla_idle: Measure qubit -> (p_X, p_Y, p_Z) just before its measurement.
    """

    local: tuple[LocalNoise, ...]
    crossing: dict[tuple[int, int], Channel2] = field(default_factory=dict)
    data_idle: dict[Coord, Pauli1] = field(default_factory=dict)
    ancilla_idle: dict[Coord, Pauli1] = field(default_factory=dict)


class _Text:
    """Instructions as text lines, parsed by stim once (appending to a stim.Circuit one
    instruction at a time costs far more than parsing the whole text)."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def append(self, name: str, targets: Iterable[int | str] = (), args: Iterable[float] = ()) -> None:
        arg_text = ", ".join(repr(float(a)) for a in args)
        head = f"{name}({arg_text})" if arg_text else name
        self.lines.append(" ".join([head, *map(str, targets)]))

    def to_circuit(self) -> stim.Circuit:
        return stim.Circuit("\n".join(self.lines))


def _grouped(circuit: _Text, name: str, items: Iterable[tuple[tuple[float, ...], list[int]]]) -> None:
    groups: dict[tuple[float, ...], list[int]] = {}
    for args, targets in items:
        if any(a > 0 for a in args):
            groups.setdefault(args, []).extend(targets)
    for args, targets in groups.items():
        circuit.append(name, targets, list(args))


class CircuitBuilder:
    """Builds one circuit: qubit indices, rounds, measurements, detectors, observables.

    Args:
        coords: Every qubit's coordinate (indices follow row-major order of these).
        module_of: The module each qubit sits on.
    """

    def __init__(self, coords: Iterable[Coord], module_of: dict[Coord, int]) -> None:
        ordered = sorted(set(coords), key=lambda c: (c[1], c[0]))
        self.index = {c: i for i, c in enumerate(ordered)}
        self.module_of = module_of
        self.text = _Text()
        self.num_measurements = 0
        for c, i in self.index.items():
            self.text.append("QUBIT_COORDS", [i], c)

    def _ids(self, coords: Iterable[Coord]) -> list[int]:
        return [self.index[c] for c in coords]

    def _by_module(self, coords: Sequence[Coord], local: Sequence[LocalNoise], attr: str):
        return (((getattr(local[self.module_of[c]], attr),), [self.index[c]]) for c in coords)

    def reset(self, coords: Sequence[Coord], basis: str, local: Sequence[LocalNoise]) -> None:
        """Reset in Z (``R``) or X (``RX``), then the reset flip."""
        self.text.append("R" if basis == "Z" else "RX", self._ids(coords))
        _grouped(
            self.text, "X_ERROR" if basis == "Z" else "Z_ERROR", self._by_module(coords, local, "p_reset")
        )

    def measure(self, coords: Sequence[Coord], basis: str, local: Sequence[LocalNoise]) -> dict[Coord, int]:
        """The measurement flip, then measure in Z (``M``) or X (``MX``); returns record indices."""
        _grouped(
            self.text, "X_ERROR" if basis == "Z" else "Z_ERROR", self._by_module(coords, local, "p_meas")
        )
        self.text.append("M" if basis == "Z" else "MX", self._ids(coords))
        return self._record(coords)

    def _record(self, coords: Sequence[Coord]) -> dict[Coord, int]:
        out = {c: self.num_measurements + k for k, c in enumerate(coords)}
        self.num_measurements += len(coords)
        return out

    def _pauli1(self, idle: dict[Coord, Pauli1], coords: Iterable[Coord]) -> None:
        _grouped(self.text, "PAULI_CHANNEL_1", ((idle[c], [self.index[c]]) for c in coords if c in idle))

    def round(self, stabs: Sequence[Stabilizer], noise: RoundNoise) -> dict[Stabilizer, int]:
        """One round of stabilizer measurement; returns each stabilizer's record index."""
        local, c = noise.local, self.text
        data = sorted({q for s in stabs for q in s.support}, key=lambda q: (q[1], q[0]))
        xs = [s.ancilla for s in stabs if s.basis == "X"]
        anc = [s.ancilla for s in stabs]
        c.append("TICK")
        _grouped(c, "DEPOLARIZE1", self._by_module(data, local, "p_data_round"))
        self._pauli1(noise.data_idle, data)
        self._single(xs, local)
        for layer in range(4):
            pairs = [
                (s.ancilla, q) if s.basis == "X" else (q, s.ancilla) for s in stabs if (q := s.data[layer])
            ]
            self._cx_layer(pairs, noise)
        self._single(xs, local)
        self._pauli1(noise.ancilla_idle, anc)
        _grouped(c, "X_ERROR", self._by_module(anc, local, "p_meas"))
        c.append("MR", self._ids(anc))
        _grouped(c, "X_ERROR", self._by_module(anc, local, "p_reset"))
        rec = self._record(anc)
        return {s: rec[s.ancilla] for s in stabs}

    def _single(self, coords: Sequence[Coord], local: Sequence[LocalNoise]) -> None:
        if coords:
            self.text.append("TICK")
            self.text.append("H", self._ids(coords))
            _grouped(self.text, "DEPOLARIZE1", self._by_module(coords, local, "p1"))

    def _cx_layer(self, pairs: Sequence[tuple[Coord, Coord]], noise: RoundNoise) -> None:
        if not pairs:
            return
        c, mod = self.text, self.module_of
        c.append("TICK")
        c.append("CX", [self.index[q] for pair in pairs for q in pair])
        depol: list[tuple[tuple[float, ...], list[int]]] = []
        channels: dict[Channel2, list[int]] = {}
        for a, b in pairs:
            ids = [self.index[a], self.index[b]]
            if mod[a] == mod[b]:
                depol.append(((noise.local[mod[a]].p2,), ids))
            elif (mod[a], mod[b]) in noise.crossing:
                channels.setdefault(noise.crossing[(mod[a], mod[b])], []).extend(ids)
            else:
                depol.append(((noise.local[mod[a]].p2,), ids))
        _grouped(c, "DEPOLARIZE2", depol)
        for (name, args), ids in channels.items():
            if any(v > 0 for v in args):
                c.append(name, ids, list(args))

    def detector(self, records: Iterable[int], coord: Sequence[float]) -> None:
        """A detector over these record indices (absolute), at this coordinate."""
        targets = [f"rec[{r - self.num_measurements}]" for r in sorted(records)]
        self.text.append("DETECTOR", targets, coord)

    def observable(self, index: int, records: Iterable[int]) -> None:
        """Include these record indices in logical observable ``index``."""
        targets = [f"rec[{r - self.num_measurements}]" for r in sorted(records)]
        self.text.append("OBSERVABLE_INCLUDE", targets, [index])

    @property
    def circuit(self) -> stim.Circuit:
        """The circuit built so far."""
        return self.text.to_circuit()
