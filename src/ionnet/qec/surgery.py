"""A logical ZZ or XX measurement between two modules by lattice surgery.

Scheme: the merge and split of Horsman, Fowler, Devitt and Van Meter, NJP 14, 123011 (2012),
on rotated patches (Landahl and Ryan-Anderson, arXiv:1407.5103 (2014); Litinski, Quantum 3,
128 (2019)). Two d x d patches, A on module 0 and B on module 1, sit side by side with one
column of fresh data qubits between them (on module 0):

1. A and B are prepared in the +1 eigenstate of the measured Pauli P (|+>|+> for XX, |0>|0>
   for ZZ) and measured for one round;
2. merge: the middle column is reset in the P basis and the d x (2d + 1) merged patch is
   measured for ``rounds`` rounds; the plaquettes new to the merged patch straddle the
   modules (those between the middle column and B are measured through the link); the
   product of the new P-type plaquettes in the first merged round is the outcome of P_A·P_B
   (the first observable);
3. split: the middle column is measured in the P basis and A and B are measured for one more
   round, then read out transversally (the second and third observables: P_A and P_B).

For XX the patches have stim's orientation (logical X a column, the merged boundary Z-type);
for ZZ the types are exchanged (``flip``). A shot is a logical error when any of the three
observables is wrong: the joint measurement or either memory. Haug, Hillmann, Kockum and Van
Laer (arXiv:2510.13541 (2025)) merge with Bell measurements at about half the crossing
operations; this module implements the Horsman merge, with every crossing CX teleported.

>>> exp = surgery_experiment(SurgerySpec(distance=3), InterfaceNoise("uniform", p=1e-3))
>>> exp.circuit.num_observables, exp.rounds
(3, 3)
>>> len(exp.circuit.shortest_graphlike_error())
3
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from ionnet.qec.builder import CircuitBuilder
from ionnet.qec.interface import check_capacity, crossing_pairs, round_noise
from ionnet.qec.lattice import Coord, Stabilizer, ancilla_module, data_coords, patch_stabilizers
from ionnet.qec.memory import _plain_timing
from ionnet.qec.specs import InterfaceNoise, QecExperiment, SurgerySpec


def _key(s: Stabilizer) -> tuple[str, frozenset[Coord]]:
    return (s.basis, s.support)


def surgery_layout(spec: SurgerySpec) -> dict[str, Any]:
    """Qubits, stabilizers (separate and merged) and modules of the surgery experiment."""
    d, flip = spec.distance, spec.basis == "ZZ"
    a_data, b_data = data_coords(d, d), data_coords(d, d, x0=d + 1)
    mid = data_coords(1, d, x0=d)
    separate = patch_stabilizers(d, d, flip=flip) + patch_stabilizers(d, d, x0=d + 1, flip=flip)
    merged = patch_stabilizers(2 * d + 1, d, flip=flip)
    module_of: dict[Coord, int] = {q: 0 for q in a_data + mid}
    module_of.update({q: 1 for q in b_data})
    for s in separate + merged:
        module_of.setdefault(s.ancilla, ancilla_module(s, module_of))
    # A measure qubit keeps the module it had in the separate phase.
    return {
        "a": a_data,
        "b": b_data,
        "mid": mid,
        "separate": separate,
        "merged": merged,
        "module_of": module_of,
    }


def surgery_qubits_per_module(spec: SurgerySpec) -> tuple[int, int]:
    """Qubits (data and measure) modules 0 and 1 hold: the capacity a network needs.

    >>> surgery_qubits_per_module(SurgerySpec(distance=3))
    (22, 19)
    """
    counts = Counter(surgery_layout(spec)["module_of"].values())
    return (counts[0], counts[1])


def surgery_experiment(spec: SurgerySpec, noise: InterfaceNoise) -> QecExperiment:
    """The noisy lattice-surgery circuit of ``spec`` under ``noise`` (module docstring).

    Returns:
        A QecExperiment with three observables (P_A·P_B from the merge, P_A, P_B);
        ``round_time_s`` and ``ebits_per_round`` are those of a merged round.

    Raises:
        ConfigError: a network with too few modules, or a module too small for its part.
    """
    lay = surgery_layout(spec)
    module_of, separate, merged = lay["module_of"], lay["separate"], lay["merged"]
    pauli = spec.basis[0]
    if noise.network is not None:
        check_capacity(module_of, noise.network, 2)
    sep_noise, _ = round_noise(separate, module_of, noise, 2)
    merge_noise, timing = round_noise(merged, module_of, noise, 2)
    b = CircuitBuilder(list(module_of), module_of)
    b.reset(lay["a"] + lay["b"], pauli, sep_noise.local)
    b.reset(sorted({s.ancilla for s in separate + merged}), "Z", sep_noise.local)
    t = 0
    last = {_key(s): i for s, i in b.round(separate, sep_noise).items()}
    for s in separate:
        if s.basis == pauli:
            b.detector([last[_key(s)]], (*s.ancilla, t))
    b.reset(lay["mid"], pauli, merge_noise.local)
    new = [s for s in merged if _key(s) not in last]
    for r in range(spec.num_rounds):
        t += 1
        rec = {_key(s): i for s, i in b.round(merged, merge_noise).items()}
        for s in merged:
            if _key(s) in last:
                b.detector([rec[_key(s)], last[_key(s)]], (*s.ancilla, t))
        if r == 0:
            b.observable(0, [rec[_key(s)] for s in new if s.basis == pauli])
        last = rec
    b.measure(lay["mid"], pauli, merge_noise.local)
    t += 1
    rec = {_key(s): i for s, i in b.round(separate, sep_noise).items()}
    for s in separate:
        if _key(s) in last:
            b.detector([rec[_key(s)], last[_key(s)]], (*s.ancilla, t))
    final = b.measure(lay["a"] + lay["b"], pauli, sep_noise.local)
    for s in separate:
        if s.basis == pauli:
            b.detector([rec[_key(s)], *(final[q] for q in s.support)], (*s.ancilla, t + 1))
    d = spec.distance
    for k, x0 in ((1, 0), (2, d + 1)):
        # The measured logical is a column in both orientations (X unflipped, Z flipped).
        b.observable(k, [final[q] for q in data_coords(1, d, x0=x0)])
    ebits = sum(crossing_pairs(merged, module_of).values())
    description: dict[str, Any] = {
        "experiment": "surgery",
        "distance": d,
        "rounds": spec.num_rounds,
        "basis": spec.basis,
        "modules": 2,
        "crossing_cx_per_round": ebits,
        **noise.describe(),
    }
    has_net = noise.network is not None
    return QecExperiment(
        circuit=b.circuit,
        round_time_s=timing["round_s"] if has_net else None,
        ebits_per_round=ebits if has_net else None,
        rounds=spec.num_rounds,
        distance=d,
        description=description,
        timing=_plain_timing(timing),
    )
