"""Fault tolerance across modules: surface codes split over ion modules, joined by ebits.

Imports ``ionnet.hardware`` and ``ionnet.link`` only (docs/architecture.md). The circuits are
built here (rotated surface code, Fowler et al., PRA 86, 032324 (2012)); stim samples them and
PyMatching decodes them: this layer writes neither a sampler nor a decoder.

* :func:`memory_experiment`: a logical memory whose patch is cut across modules
  (:class:`MemorySpec`);
* :func:`surgery_experiment`: a logical ZZ / XX measurement by lattice surgery between two
  patches on two modules (:class:`SurgerySpec`);
* :class:`InterfaceNoise`: ``uniform``, ``scaled`` or ``link`` noise on what crosses a seam.

>>> exp = memory_experiment(MemorySpec(distance=3, seam="crossing"), InterfaceNoise("scaled", p=1e-3, lam=10))
>>> exp.description["interface"], exp.round_time_s
('scaled', None)
"""

from ionnet.qec.memory import memory_experiment, memory_qubits_per_module
from ionnet.qec.specs import InterfaceNoise, MemorySpec, QecExperiment, SurgerySpec
from ionnet.qec.surgery import surgery_experiment, surgery_qubits_per_module

__all__ = [
    "InterfaceNoise",
    "MemorySpec",
    "QecExperiment",
    "SurgerySpec",
    "memory_experiment",
    "memory_qubits_per_module",
    "surgery_experiment",
    "surgery_qubits_per_module",
]
