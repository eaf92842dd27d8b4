"""The networked machine as a standard Qiskit 2.x backend: ``IonnetBackend`` and its Target.

Any Qiskit program runs on it unchanged: ``transpile(qc, backend)``, ``backend.run(circuits,
shots=...)``, ``BackendSamplerV2(backend=backend)`` and ``BackendEstimatorV2(backend=backend)``.
It imports the compiler and the runtime; nothing below it imports it.

>>> from qiskit import QuantumCircuit
>>> from qiskit.primitives import BackendSamplerV2
>>> backend = IonnetBackend("default", ideal=True)
>>> qc = QuantumCircuit(2); _ = qc.h(0); _ = qc.cx(0, 1); _ = qc.measure_all()
>>> result = BackendSamplerV2(backend=backend, options={"seed_simulator": 1}).run([qc], shots=100).result()
>>> sorted(result[0].data.meas.get_counts())
['00', '11']
"""

from ionnet.qiskit.backend import IonnetBackend, IonnetJob, IonnetProvider
from ionnet.qiskit.target import RemoteGate, build_target, module_slices, remote_gate_figures

__all__ = [
    "IonnetBackend",
    "IonnetJob",
    "IonnetProvider",
    "RemoteGate",
    "build_target",
    "module_slices",
    "remote_gate_figures",
]
