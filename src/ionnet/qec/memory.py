"""A logical memory of the rotated surface code cut across modules by straight seams.

The patch (Fowler et al., PRA 86, 032324 (2012); rotated layout as stim's generated
``surface_code:rotated_memory_z``/``_x``) is prepared in the logical |0> (``Z``) or |+>
(``X``) by a transversal reset, measured for ``rounds`` rounds and read out transversally.
The logical Z is a row and the logical X a column of the patch:

* ``square``: d x d; ``rectangle``: one d x d block per module, joined along the observable
  (so the distance stays d and each module holds a d x d half, as Ramette et al., npj Quantum
  Inf. 10, 58 (2024));
* ``crossing``: the cuts cross the observable's string (for ``Z`` they are vertical, between
  columns): the logical error strings run along the seam; ``parallel``: the cuts run along the
  observable (square only); ``none``: one module.

Each measure qubit sits on the module that holds most of its plaquette (ties: the lower
module); its CX with data on the other module are the crossing CX, measured through the link.

>>> exp = memory_experiment(MemorySpec(distance=3), InterfaceNoise("uniform", p=1e-3))
>>> exp.circuit.num_detectors, exp.circuit.num_observables, exp.rounds
(24, 1, 3)
>>> len(exp.circuit.shortest_graphlike_error())
3
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from ionnet.qec.builder import CircuitBuilder
from ionnet.qec.interface import check_capacity, crossing_pairs, round_noise
from ionnet.qec.lattice import Coord, Stabilizer, ancilla_module, data_coords, patch_stabilizers, split_bands
from ionnet.qec.specs import InterfaceNoise, MemorySpec, QecExperiment


def memory_layout(spec: MemorySpec) -> tuple[int, int, list[Stabilizer], dict[Coord, int]]:
    """(width, height, stabilizers, module of every qubit) of a memory patch."""
    d, k = spec.distance, spec.num_modules
    width = height = d
    if spec.patch == "rectangle":  # the same d x (modules·d) patch, cut or not
        if spec.basis == "Z":
            width = spec.modules * d
        else:
            height = spec.modules * d
    stabs = patch_stabilizers(width, height)
    # The Z observable is a row, the X one a column; a crossing cut is perpendicular to it.
    by_column = (spec.basis == "Z") == (spec.seam != "parallel")
    bands = split_bands(width if by_column else height, k)
    module_of: dict[Coord, int] = {}
    for q in data_coords(width, height):
        line = (q[0] - 1) // 2 if by_column else (q[1] - 1) // 2
        module_of[q] = next(m for m, band in enumerate(bands) if line in band)
    for s in stabs:
        module_of[s.ancilla] = ancilla_module(s, module_of)
    return width, height, stabs, module_of


def memory_qubits_per_module(spec: MemorySpec) -> tuple[int, ...]:
    """Qubits (data and measure) each module holds: the capacity a network needs.

    >>> memory_qubits_per_module(MemorySpec(distance=3))
    (10, 7)
    """
    module_of = memory_layout(spec)[3]
    counts = Counter(module_of.values())
    return tuple(counts[m] for m in range(spec.num_modules))


def memory_experiment(spec: MemorySpec, noise: InterfaceNoise) -> QecExperiment:
    """The noisy memory circuit of ``spec`` under ``noise``, with detectors and its observable.

    Args:
        spec: Distance, rounds, patch, seam, basis, modules.
        noise: The interface model (module docstring of :mod:`ionnet.qec.interface`).

    Returns:
        A QecExperiment; ``round_time_s`` and ``ebits_per_round`` are set when
        ``noise.network`` is given.

    Raises:
        ConfigError: a network with too few modules, or a module too small for its part.
    """
    width, height, stabs, module_of = memory_layout(spec)
    k = spec.num_modules
    if noise.network is not None:
        check_capacity(module_of, noise.network, k)
    rnoise, timing = round_noise(stabs, module_of, noise, k)
    data = data_coords(width, height)
    b = CircuitBuilder(list(module_of), module_of)
    basis, rounds = spec.basis, spec.num_rounds
    b.reset(data, basis, rnoise.local)
    b.reset([s.ancilla for s in stabs], "Z", rnoise.local)
    last: dict[Stabilizer, int] = {}
    for r in range(rounds):
        rec = b.round(stabs, rnoise)
        for s in stabs:
            if r > 0:
                b.detector([rec[s], last[s]], (*s.ancilla, r))
            elif s.basis == basis:
                b.detector([rec[s]], (*s.ancilla, r))
        last = rec
    final = b.measure(data, basis, rnoise.local)
    for s in stabs:
        if s.basis == basis:
            b.detector([last[s], *(final[q] for q in s.support)], (*s.ancilla, rounds))
    logical = data_coords(width, 1) if basis == "Z" else data_coords(1, height)
    b.observable(0, [final[q] for q in logical])
    ebits = sum(crossing_pairs(stabs, module_of).values())
    description: dict[str, Any] = {
        "experiment": "memory",
        "distance": spec.distance,
        "rounds": rounds,
        "patch": spec.patch,
        "seam": spec.seam,
        "basis": basis,
        "modules": k,
        "crossing_cx_per_round": ebits,
        **noise.describe(),
    }
    has_net = noise.network is not None
    return QecExperiment(
        circuit=b.circuit,
        round_time_s=timing["round_s"] if has_net else None,
        ebits_per_round=ebits if has_net else None,
        rounds=rounds,
        distance=spec.distance,
        description=description,
        timing=_plain_timing(timing),
    )


def _plain_timing(timing: dict[str, Any]) -> dict[str, float]:
    if not timing:
        return {}
    waits = timing["ebit_wait_s"].values()
    rates = timing["rates_hz"].values()
    return {
        "local_s": timing["local_s"],
        "generation_s": timing["generation_s"],
        "round_s": timing["round_s"],
        "ebit_wait_s": max(waits, default=0.0),
        "ebit_rate_hz": min(rates, default=0.0),
        "raw_ebits_per_ebit": timing.get("raw_ebits_per_ebit", 1.0),
    }
