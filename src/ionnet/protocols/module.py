"""A trapped-ion module in operation: its qubits on a state backend, its gates, noise and clock.

:class:`NoisyModule` owns qubit ids on a backend shared by all modules of a network. Each qubit
is a *memory* or a *communication* ion (separate T1/T2), and remembers when it was last touched;
before any operation the module applies idle decoherence for exactly the time since then:

* T1: amplitude damping with ``γ = 1 - exp(-t/T1)``;
* T2: the coherence envelope ``C(t)`` of ModuleSpec (``exp(-t/T2)`` or ``exp(-(t/T2)²)``) includes
  the ``exp(-t/2T1)`` that damping already causes, so the extra phase flip has probability
  ``(1 - C(t) e^{t/2T1})/2`` (clipped at 0; Nielsen & Chuang §8.3.5-8.3.6). Each idle interval is
  treated on its own, which for the Gaussian envelope is an approximation (it is not Markovian).

Gates cost :mod:`~ionnet.protocols.native_gates` durations and depolarizing errors, measurement
flips its reported bit with probability ``spam_error``, the swap from a communication to a memory
ion is a SWAP followed by one-qubit depolarizing of ``λ = 4(1 - F_swap)/3`` (REFERENCES §3.5) on
the memory ion, and each photon-generation attempt dephases every memory ion with the module's
crosstalk probability. With ``noisy=False`` every duration still counts but no noise is applied.

Gates on one module run one after another (``busy_until_s``): one laser system drives the trap.

>>> from ionnet.hardware import ModuleSpec
>>> from ionnet.states import DensityMatrixBackend
>>> from ionnet.seeding import stream
>>> mod = NoisyModule(DensityMatrixBackend(stream(0, "doc")), ModuleSpec())
>>> a, b = mod.allocate(2)
>>> mod.gate("GPI2", [a], [0.0]), mod.gate("MS", [a, b], [0.0, 0.0, 1.5707963])
(0.000135, 0.0006)
>>> mod.ready_s([a, b])
0.000735
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ionnet.errors import BackendError, ConfigError
from ionnet.hardware.link_physics import coherence
from ionnet.hardware.module import ModuleSpec
from ionnet.link.memory import crosstalk_z_probability
from ionnet.protocols.native_gates import gate_cost
from ionnet.states.backend import StateBackend
from ionnet.states.channels import amplitude_damping_kraus

MEMORY = "memory"
COMMUNICATION = "communication"


class NoisyModule:
    """One module's qubits, native operations, noise and clock on a shared backend.

    Args:
        backend: The state backend (shared by every module of a network).
        spec: The module's hardware.
        name: Used in error messages (``"m0"``).
        noisy: False applies no noise (durations still count).
    """

    def __init__(self, backend: StateBackend, spec: ModuleSpec, name: str = "m0", noisy: bool = True) -> None:
        self.backend = backend
        self.spec = spec
        self.name = name
        self.noisy = noisy
        self.busy_until_s = 0.0
        self._kind: dict[int, str] = {}
        self._last_s: dict[int, float] = {}

    # ---- qubits ---------------------------------------------------------------------------
    def allocate(self, n: int = 1, kind: str = MEMORY, at_s: float = 0.0) -> list[int]:
        """``n`` fresh ions of ``kind`` (memory or communication) in ``|0>`` at time ``at_s``."""
        if kind not in (MEMORY, COMMUNICATION):
            raise ConfigError(f"ion kind must be 'memory' or 'communication' (got {kind!r})")
        in_use = sum(1 for k in self._kind.values() if k == kind)
        limit = self.spec.data_qubits if kind == MEMORY else self.spec.communication_ions
        if in_use + n > limit:
            raise BackendError(
                f"module {self.name} has {limit} {kind} ions; {in_use} in use, {n} more requested"
            )
        ids = self.backend.allocate(n)
        for q in ids:
            self._kind[q] = kind
            self._last_s[q] = at_s
        return ids

    def release(self, qubits: int | Sequence[int]) -> None:
        """Give ions back (their state is discarded)."""
        qs = [qubits] if isinstance(qubits, int) else list(qubits)
        for q in qs:
            self._own(q)
            del self._kind[q], self._last_s[q]
        self.backend.release(qs)

    @property
    def qubits(self) -> tuple[int, ...]:
        """Ids of this module's live ions."""
        return tuple(self._kind)

    def kind(self, qubit: int) -> str:
        """``"memory"`` or ``"communication"``."""
        return self._kind[self._own(qubit)]

    def _own(self, qubit: int) -> int:
        if qubit not in self._kind:
            raise BackendError(f"qubit {qubit} is not an ion of module {self.name}")
        return qubit

    def ready_s(self, qubits: Sequence[int] | None = None) -> float:
        """The time the last operation on ``qubits`` (default: all) ended."""
        qs = self.qubits if qubits is None else [self._own(q) for q in qubits]
        return max((self._last_s[q] for q in qs), default=0.0)

    # ---- idle noise -----------------------------------------------------------------------
    def idle_until(self, t_s: float, qubits: Sequence[int] | None = None) -> None:
        """Decohere ``qubits`` (default: all) from their last touch until ``t_s``."""
        for q in self.qubits if qubits is None else qubits:
            wait = t_s - self._last_s[self._own(q)]
            if wait < -1e-15:
                raise BackendError(
                    f"qubit {q} of {self.name} is busy until {self._last_s[q]} s (asked {t_s} s)"
                )
            if wait > 0 and self.noisy:
                self._decohere(q, wait)
            self._last_s[q] = max(t_s, self._last_s[q])

    def _decohere(self, qubit: int, wait_s: float) -> None:
        memory = self._kind[qubit] == MEMORY
        t1 = self.spec.memory_t1_s if memory else self.spec.communication_t1_s
        t2 = self.spec.memory_t2_s if memory else self.spec.communication_t2_s
        gamma = 1.0 - math.exp(-wait_s / t1)
        self.backend.apply_kraus(amplitude_damping_kraus(gamma), [qubit])
        pure = coherence(wait_s, t2, self.spec.coherence_envelope) / math.sqrt(1.0 - gamma)
        if pure < 1.0:
            self.backend.dephase(qubit, 0.5 * (1.0 - pure))

    def _start(self, qubits: Sequence[int], start_s: float | None) -> float:
        start = max(self.busy_until_s, self.ready_s(qubits), start_s or 0.0)
        self.idle_until(start, qubits)
        return start

    def _finish(self, qubits: Sequence[int], end_s: float) -> None:
        self.busy_until_s = end_s
        for q in qubits:
            self._last_s[q] = end_s

    # ---- operations -----------------------------------------------------------------------
    def gate(
        self, name: str, qubits: Sequence[int], params: Sequence[float] = (), start_s: float | None = None
    ) -> float:
        """Apply a native or standard gate with its noise; return its duration.

        It starts at ``start_s`` or when the module and the qubits are free, whichever is later.
        """
        native, count = gate_cost(name)
        start = self._start(qubits, start_s)
        self.backend.apply_gate(name, qubits, params)
        p = native.error_probability(self.spec)
        if self.noisy and p > 0:
            for _ in range(count):
                self.backend.depolarize(qubits, p)
        duration = count * native.duration_s(self.spec)
        self._finish(qubits, start + duration)
        return duration

    def measure(self, qubit: int, start_s: float | None = None) -> tuple[int, float]:
        """Measure in Z; the reported bit is flipped with probability ``spam_error``.

        Returns (bit, duration).
        """
        start = self._start([qubit], start_s)
        bit = self.backend.measure(qubit)
        if self.noisy and self.backend.rng.random() < self.spec.spam_error:
            bit ^= 1
        self._finish([qubit], start + self.spec.measurement_time_s)
        return bit, self.spec.measurement_time_s

    def measure_record(self, qubit: int, start_s: float | None = None) -> int:
        """On a :class:`~ionnet.protocols.stim_batch.StimRecorder`: record a noisy Z measurement.

        The same timing and SPAM flip as :meth:`measure`; returns the measurement's record index.
        """
        start = self._start([qubit], start_s)
        flip = self.spec.spam_error if self.noisy else 0.0
        record = self.backend.measure_record(qubit, flip)  # type: ignore[attr-defined]
        self._finish([qubit], start + self.spec.measurement_time_s)
        return int(record)

    def measurement_error(self, qubit: int, start_s: float | None = None) -> float:
        """For deferred measurement: the SPAM flip as an X channel on ``qubit``; returns the duration."""
        start = self._start([qubit], start_s)
        if self.noisy and self.spec.spam_error > 0:
            self.backend.apply_pauli_channel([qubit], {"X": self.spec.spam_error})
        self._finish([qubit], start + self.spec.measurement_time_s)
        return self.spec.measurement_time_s

    def reset(self, qubit: int, start_s: float | None = None) -> float:
        """Optical-pumping reset to ``|0>``; returns its duration."""
        start = self._start([qubit], start_s)
        self.backend.reset(qubit)
        self._finish([qubit], start + self.spec.reset_time_s)
        return self.spec.reset_time_s

    def swap_to_memory(self, communication: int, memory: int, start_s: float | None = None) -> float:
        """Move the communication ion's state onto a memory ion; returns the duration."""
        if self.kind(communication) != COMMUNICATION or self.kind(memory) != MEMORY:
            raise BackendError(f"swap_to_memory needs a communication then a memory ion of {self.name}")
        start = self._start([communication, memory], start_s)
        self.backend.apply_gate("SWAP", [communication, memory])
        if self.noisy:
            lam = 4.0 * (1.0 - self.spec.swap_fidelity) / 3.0
            self.backend.depolarize([memory], 3.0 * lam / 4.0)
        self._finish([communication, memory], start + self.spec.swap_time_s)
        return self.spec.swap_time_s

    def photon_attempts(self, attempts: int) -> None:
        """Crosstalk of ``attempts`` photon-generation attempts: Z on each memory ion."""
        p = crosstalk_z_probability(self.spec, attempts)
        if self.noisy and p > 0:
            for q, k in self._kind.items():
                if k == MEMORY:
                    self.backend.dephase(q, p)

    def error_probability(self, name: str) -> float:
        """Depolarizing error probability of one ``name`` gate on this module (0 when not noisy)."""
        native, _ = gate_cost(name)
        return native.error_probability(self.spec) if self.noisy else 0.0
