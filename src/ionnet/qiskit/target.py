"""The networked machine as a Qiskit ``Target``: native gates, durations, errors, T1/T2.

Data qubits are numbered module by module: module 0 holds physical qubits ``0 .. c0-1``, module
1 the next ``c1`` and so on (communication ions are not data qubits and do not appear). Every
module offers its native operations as standard Qiskit gates:

=============  ==========================  ===============================================
Qiskit gate    ionnet native gate          duration / error (``ModuleSpec``)
=============  ==========================  ===============================================
``RGate``      R (GPi, GPi2 are R angles)  ``single_qubit_gate_time_s`` / 1 - fidelity
``RZGate``     RZ (virtual frame change)   0 / 0
``RXXGate``    MS                          ``two_qubit_gate_time_s`` / 1 - fidelity
``RZZGate``    ZZ                          ``zz_gate_time_s`` / 1 - fidelity
``Measure``    readout                     ``measurement_time_s`` / ``spam_error``
``Reset``      optical pumping             ``reset_time_s`` / 0
``Delay``      idling                      (no figures)
``IfElseOp``   feed-forward on one bit     (executed by the runtime)
=============  ==========================  ===============================================

Errors are average gate infidelities ``1 - F`` (the module's fidelities are average gate
fidelities), the convention of Qiskit's targets and of ``qiskit_aer.NoiseModel.from_backend``.

Every ordered pair of data qubits carries the two-qubit gates. A pair inside one module gets
the local gate's figures; a pair across modules gets what one teleported gate costs
(:func:`remote_gate_figures`), so Qiskit's layout passes, which score layouts by these errors,
keep busily interacting qubits on one module.

>>> from ionnet.hardware import load_network
>>> target = build_target(load_network("default").with_modules(2, capacity=2))
>>> target.num_qubits, sorted(target.operation_names)[:4]
(4, ['delay', 'if_else', 'measure', 'r'])
>>> local, remote = target["rxx"][(0, 1)], target["rxx"][(0, 2)]
>>> round(local.error, 4), round(local.duration, 6), remote.error > 10 * local.error
(0.004, 0.0006, True)
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import networkx as nx
from qiskit.circuit import Delay, IfElseOp, Measure, Parameter, Reset
from qiskit.circuit.library import RGate, RXXGate, RZGate, RZZGate
from qiskit.providers import QubitProperties
from qiskit.transpiler import InstructionProperties, Target

from ionnet.hardware import link_physics
from ionnet.hardware.bell import BellDiagonal
from ionnet.hardware.module import ModuleSpec
from ionnet.hardware.network import NetworkSpec
from ionnet.protocols.native_gates import NATIVE_GATES
from ionnet.runtime.noise import idle_pauli


@dataclass(frozen=True)
class RemoteGate:
    """What one teleported two-qubit gate between two modules costs (on average).

    Attributes:
        duration_s: Mean time from the request to the last correction, ebit generation included.
        error: Average gate infidelity 1 - F_avg of the whole protocol.
        pauli_error: Total Pauli error probability behind ``error`` (``error = 4/5 pauli_error``).
        ebit_fidelity: Fidelity of the end-to-end ebit it consumes.
        hops: Links on the path between the two modules.
    """

    duration_s: float
    error: float
    pauli_error: float
    ebit_fidelity: float
    hops: int


def module_slices(network: NetworkSpec) -> tuple[tuple[int, ...], ...]:
    """The physical qubit indices of each module's data qubits (module by module).

    >>> from ionnet.hardware import load_network
    >>> module_slices(load_network("default").with_modules(3, capacity=2))
    ((0, 1), (2, 3), (4, 5))
    """
    out, start = [], 0
    for module in network.modules:
        out.append(tuple(range(start, start + module.data_qubits)))
        start += module.data_qubits
    return tuple(out)


def _fibre_latency_s(network: NetworkSpec, path: list[int]) -> float:
    return sum(
        network.link_between(a, b).fiber_length_m
        / link_physics.speed_in_fiber_m_per_s(network.link_between(a, b))
        for a, b in itertools.pairwise(path)
    )


def _mean_max_exponential_s(rates_hz: list[float]) -> float:
    """E[max] of independent exponential waits with these rates (inclusion-exclusion).

    >>> round(_mean_max_exponential_s([1.0, 1.0]), 12)  # H_2 = 1.5
    1.5
    """
    if len(rates_hz) > 12:  # 4096 terms; beyond that the sum of the means bounds it
        return sum(1.0 / r for r in rates_hz)
    total = 0.0
    for size in range(1, len(rates_hz) + 1):
        for subset in itertools.combinations(rates_hz, size):
            total += (-1) ** (size + 1) / sum(subset)
    return total


def _end_to_end_ebit(network: NetworkSpec, path: list[int]) -> BellDiagonal:
    """The ebit after ideal swapping along ``path``: the Pauli channels of the links compose."""
    state = BellDiagonal.perfect()
    for a, b in itertools.pairwise(path):
        link = link_physics.heralded_state(network.link_between(a, b), network.modules[a], network.modules[b])
        state = state.compose_pauli(link.p_x, link.p_y, link.p_z)
    return state


def _bell_measurement(module: ModuleSpec) -> tuple[float, list[float]]:
    """Duration and Pauli error probabilities of one Bell measurement (CX, H, two readouts)."""
    t = module.two_qubit_gate_time_s + module.single_qubit_gate_time_s + module.measurement_time_s
    p2 = NATIVE_GATES["MS"].error_probability(module)
    p1 = NATIVE_GATES["R"].error_probability(module)
    return t, [p2, p1, module.spam_error, module.spam_error]


def remote_gate_figures(network: NetworkSpec, a: int, b: int, *, idle: bool = True) -> RemoteGate:
    """Mean duration and error of one teleported CZ/CX between modules ``a`` and ``b``.

    The protocol is the compiler's cat-entangler / disentangler (Eisert et al., PRA 62, 052317
    (2000)) on the shortest path: an ebit (generated on each link, waits in parallel, the mean
    of their maximum, plus the herald's return; swapped at each relay by one Bell measurement),
    then on ``a`` a two-qubit gate with the communication ion, a readout and reset, the bit sent
    to ``b``; on ``b`` the two-qubit gate, an H, a readout and reset, the bit sent back. Pauli
    corrections are a frame (no time, no error), as in the runtime. Errors: the ebit's Pauli
    channel (``1 - F_ebit``), each local gate's depolarizing probability (native gate table),
    each readout's SPAM flip (a wrong bit is a wrong correction) and the idle decoherence
    (T1/T2 twirl of :func:`ionnet.runtime.noise.idle_pauli`) of both data qubits over the mean
    duration; independent, so the total Pauli probability is ``1 - Π(1 - p_i)``, and a Pauli
    channel with total probability p on two qubits has ``1 - F_avg = 4p/5`` (Horodecki et al.,
    PRA 60, 1888 (1999)). ``idle=False`` leaves the idle decoherence out (to compare with
    :func:`ionnet.protocols.batch.sample_teleported_cnot`, which has none).
    """
    graph = network.graph()
    path = nx.shortest_path(graph, a, b)
    ma, mb = network.modules[a], network.modules[b]
    links = [network.link_between(x, y) for x, y in itertools.pairwise(path)]
    ebit = _end_to_end_ebit(network, path)
    wait_s = _mean_max_exponential_s([link_physics.rate_hz(lk) for lk in links])
    wait_s += max(link_physics.herald_latency_s(lk) for lk in links)
    probabilities = [1.0 - ebit.fidelity]
    relay_s = 0.0
    for relay in path[1:-1]:
        t, ps = _bell_measurement(network.modules[relay])
        relay_s = max(relay_s, t)
        probabilities += ps
    if len(path) > 2:
        relay_s += _fibre_latency_s(network, path)
    latency_s = _fibre_latency_s(network, path)
    side_a = ma.two_qubit_gate_time_s + ma.measurement_time_s + ma.reset_time_s
    side_b = mb.two_qubit_gate_time_s + mb.single_qubit_gate_time_s + mb.measurement_time_s + mb.reset_time_s
    duration = wait_s + relay_s + side_a + side_b + 2 * latency_s
    probabilities += [NATIVE_GATES["MS"].error_probability(ma), NATIVE_GATES["MS"].error_probability(mb)]
    probabilities += [NATIVE_GATES["R"].error_probability(mb), ma.spam_error, mb.spam_error]
    for module in (ma, mb) if idle else ():
        probabilities += idle_pauli(
            duration, module.memory_t1_s, module.memory_t2_s, module.coherence_envelope
        )
    pauli = 1.0 - math.prod(1.0 - p for p in probabilities)
    pauli = min(pauli, 15.0 / 16.0)
    return RemoteGate(duration, 0.8 * pauli, pauli, ebit.fidelity, len(path) - 1)


def _local(duration_s: float, fidelity: float) -> InstructionProperties:
    return InstructionProperties(duration=duration_s, error=1.0 - fidelity)


def _two_qubit_properties(
    network: NetworkSpec, slices: tuple[tuple[int, ...], ...], gate: str
) -> dict[tuple[int, ...], InstructionProperties]:
    """Properties of ``gate`` (``MS`` or ``ZZ``) on every ordered pair of data qubits."""
    owner = [m for m, qubits in enumerate(slices) for _ in qubits]
    native = NATIVE_GATES[gate]
    remote = {
        (a, b): remote_gate_figures(network, a, b)
        for a, b in itertools.permutations(range(network.num_modules), 2)
    }
    props: dict[tuple[int, ...], InstructionProperties] = {}
    for q, r in itertools.permutations(range(len(owner)), 2):
        ma, mb = owner[q], owner[r]
        if ma == mb:
            module = network.modules[ma]
            props[(q, r)] = _local(native.duration_s(module), native.fidelity(module))
        else:
            cost = remote[(ma, mb)]
            props[(q, r)] = InstructionProperties(duration=cost.duration_s, error=cost.error)
    return props


def qubit_properties(network: NetworkSpec) -> list[QubitProperties]:
    """Each data qubit's T1 and T2 (its module's memory ions)."""
    return [
        QubitProperties(t1=m.memory_t1_s, t2=m.memory_t2_s)
        for m in network.modules
        for _ in range(m.data_qubits)
    ]


def build_target(network: NetworkSpec) -> Target:
    """The Qiskit Target of ``network`` (see the module docstring)."""
    slices = module_slices(network)
    owner = [network.modules[m] for m, qubits in enumerate(slices) for _ in qubits]
    target = Target(
        description=f"ionnet network '{network.name}'",
        num_qubits=len(owner),
        qubit_properties=qubit_properties(network),
        concurrent_measurements=[list(s) for s in slices],
    )
    theta, phi = Parameter("θ"), Parameter("ϕ")
    one = range(len(owner))
    target.add_instruction(
        RGate(theta, phi),
        {
            (q,): _local(m.single_qubit_gate_time_s, m.single_qubit_gate_fidelity)
            for q, m in zip(one, owner, strict=True)
        },
    )
    target.add_instruction(RZGate(phi), {(q,): InstructionProperties(duration=0.0, error=0.0) for q in one})
    target.add_instruction(RXXGate(theta), _two_qubit_properties(network, slices, "MS"))
    target.add_instruction(RZZGate(theta), _two_qubit_properties(network, slices, "ZZ"))
    target.add_instruction(
        Measure(),
        {
            (q,): InstructionProperties(duration=m.measurement_time_s, error=m.spam_error)
            for q, m in zip(one, owner, strict=True)
        },
    )
    target.add_instruction(
        Reset(),
        {
            (q,): InstructionProperties(duration=m.reset_time_s, error=0.0)
            for q, m in zip(one, owner, strict=True)
        },
    )
    target.add_instruction(Delay(Parameter("t")), {(q,): None for q in one})
    target.add_instruction(IfElseOp, name="if_else")
    return target
