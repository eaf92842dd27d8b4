"""Runtime: execute a DistributedProgram on a simulated network of modules -> RunResult.

Two passes (see docs in each module):

1. timing (:mod:`~ionnet.runtime.timing`): a SimPy discrete-event run of every module's
   instruction stream, ebit generation on the links (geometric herald times from the link
   layer, generated ahead of need) and classical messages -> a :class:`Trace`;
2. noise and state (:mod:`~ionnet.runtime.noisy`): gate, readout, ebit and idle noise from the
   trace -> a NoisyCircuit simulated by stim (Clifford), the trajectory fast path (shared
   prefixes, :mod:`~ionnet.runtime.trajectories`) or per-shot state backends.

>>> from ionnet.hardware import load_network
>>> from qiskit import QuantumCircuit
>>> qc = QuantumCircuit(2, 2); _ = qc.h(0); _ = qc.cx(0, 1); _ = qc.measure([0, 1], [0, 1])
>>> out = run_circuit(qc, load_network("default").with_modules(2, capacity=1), shots=50, ideal=True)
>>> sorted(out.result.counts), out.result.ebits
(['00', '11'], 1)
"""

from ionnet.runtime.api import RunOutcome, read_program_or_circuit, run_circuit, run_circuit_file
from ionnet.runtime.execute import BACKENDS, choose_path, run_program
from ionnet.runtime.reference import IdealReference, ideal_reference
from ionnet.runtime.result import RunResult, hellinger, success_probability
from ionnet.runtime.timeline import draw_timeline
from ionnet.runtime.timing import check_fits, schedule
from ionnet.runtime.trace import EbitRecord, Trace, TraceOp

__all__ = [
    "BACKENDS",
    "EbitRecord",
    "IdealReference",
    "RunOutcome",
    "RunResult",
    "Trace",
    "TraceOp",
    "check_fits",
    "choose_path",
    "draw_timeline",
    "hellinger",
    "ideal_reference",
    "read_program_or_circuit",
    "run_circuit",
    "run_circuit_file",
    "run_program",
    "schedule",
    "success_probability",
]
