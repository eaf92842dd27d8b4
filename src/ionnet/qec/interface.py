"""The noise of one round from an :class:`InterfaceNoise`: local noise, crossing CX, time.

Noise convention (as stim's generated surface-code circuits apply it): circuit-level
depolarizing noise of strength p, with ``after_clifford_depolarization``,
``before_round_data_depolarization``, ``before_measure_flip_probability`` and
``after_reset_flip_probability`` all equal to p.

* ``uniform``: every CX, crossing or not, takes DEPOLARIZE2(p) (the reference).
* ``scaled``: the crossing CX take DEPOLARIZE2(lam·p) instead (the literature's convention,
  e.g. Ramette, Sinclair, Breuckmann and Vuletić, npj Quantum Inf. 10, 58 (2024)).
* ``link``: every crossing CX is a teleported CX consuming one ebit
  (:func:`ionnet.qec.channels.teleported_cx_channel`). Without a network the local noise is
  p, the ebit a Werner state of ``ebit_fidelity`` and ebits take no time. With a network each
  gate takes its module's fidelity (depolarizing at (D+1)(1-F)/D, SPAM as a measurement flip),
  the ebit is ``hardware.link_physics.heralded_state`` (or a Werner state of
  ``ebit_fidelity``) decayed in the communication ions for the time it waits, and every qubit
  idles (T1/T2 of its ion, Pauli-twirled) for the part of the round it is not busy.

Round time with a network (:func:`round_timing`) [D]: a module runs its gates one after
another (one trap, one gate at a time), so its busy time is 2·t_1q per X-type measure qubit
plus t_2q per CX, counting one CX with a communication ion per teleported CX on each side;
the measure qubits are read out and reset together; the communication-ion readouts and the
feed-forward of the teleported CX are taken to overlap with the memory ions' gates (an
assumption: a second species is read without disturbing the first, Drmota et al., PRL 130,
090803 (2023)). The link generates ebits in the
background while a communication ion is free, at the link layer's mean rate
(``link_physics.rate_hz`` with at most as many pairs attempting as both modules have
communication ions), so the round lasts max(T_local, E/r) for E ebits a round. Ebits wait in
the buffer of B = min(communication ions) slots; by Little's law an ebit waits
min(B, E)·T/E - 1/r on average (at least 0): a full buffer holds min(B, E) ebits while the
round consumes E in time T (de Bone et al., AVS Quantum Sci. 6, 033801 (2024) make the same
trade of buffer and rate).

Optional purification (``purification_rounds``, :func:`purified`): each ebit is distilled
by DEJMPS recurrence before use, better ebits at a rate divided by the ebits each kept one
costs (the purification gates run on the communication ions, next to the memory ions' work,
and take no round time here).
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from ionnet.errors import ConfigError
from ionnet.hardware import BellDiagonal, LinkSpec, ModuleSpec, NetworkSpec, link_physics
from ionnet.link import dejmps, stored_state
from ionnet.qec import channels
from ionnet.qec.builder import Channel2, LocalNoise, Pauli1, RoundNoise
from ionnet.qec.lattice import Coord, Stabilizer
from ionnet.qec.specs import InterfaceNoise


def _cx_pairs(stabs: Sequence[Stabilizer]) -> list[tuple[Coord, Coord]]:
    return [(s.ancilla, q) if s.basis == "X" else (q, s.ancilla) for s in stabs for q in s.data if q]


def crossing_pairs(stabs: Sequence[Stabilizer], module_of: dict[Coord, int]) -> Counter[tuple[int, int]]:
    """Crossing CX per round, counted per seam (lower module, higher module)."""
    out: Counter[tuple[int, int]] = Counter()
    for a, b in _cx_pairs(stabs):
        if module_of[a] != module_of[b]:
            out[(min(module_of[a], module_of[b]), max(module_of[a], module_of[b]))] += 1
    return out


def link_rate_hz(link: LinkSpec, module_a: ModuleSpec, module_b: ModuleSpec) -> float:
    """Mean ebit rate with no more pairs attempting than both modules have communication ions."""
    pairs = min(link.communication_ions, module_a.communication_ions, module_b.communication_ions)
    return link_physics.rate_hz(dataclasses.replace(link, communication_ions=pairs))


def purified(state: BellDiagonal, rounds: int, p2_a: float, p2_b: float) -> tuple[BellDiagonal, float]:
    """(state, raw ebits per kept ebit) after ``rounds`` of DEJMPS recurrence purification.

    Each round purifies two copies of the current pair (Deutsch et al., PRL 77, 2818 (1996);
    ``ionnet.link.dejmps``); each copy first takes the bilateral CX's error on both sides, the
    one-qubit marginal of DEPOLARIZE2(p2), a depolarizing channel with λ = 16·p2/15 [D]. A
    kept pair costs 2/P_success pairs of the previous level. Measurement errors of the parity
    check are not modelled.

    >>> state, cost = purified(BellDiagonal.werner(0.8), 1, 0.0, 0.0)
    >>> round(state.fidelity, 4), round(cost, 3)
    (0.8382, 2.601)
    """
    cost = 1.0
    for _ in range(rounds):
        noisy = state.depolarized(16.0 * p2_a / 15.0).depolarized(16.0 * p2_b / 15.0)
        result = dejmps(noisy, noisy)
        state, cost = result.state, 2.0 * cost / result.success_probability
    return state, cost


def round_timing(
    stabs: Sequence[Stabilizer],
    module_of: dict[Coord, int],
    network: NetworkSpec,
    raw_per_ebit: float = 1.0,
) -> dict[str, Any]:
    """Local time, generation time, round time and ebit waits of one round (module docstring).

    ``raw_per_ebit``: heralded ebits spent per ebit used (purification), dividing the rate.
    """
    mods = network.modules
    busy: dict[int, float] = defaultdict(float)
    qubit_busy: dict[Coord, float] = defaultdict(float)
    for s in stabs:
        if s.basis == "X":
            busy[module_of[s.ancilla]] += 2 * mods[module_of[s.ancilla]].single_qubit_gate_time_s
            qubit_busy[s.ancilla] += 2 * mods[module_of[s.ancilla]].single_qubit_gate_time_s
    for a, b in _cx_pairs(stabs):
        for q in (a, b):
            t2 = mods[module_of[q]].two_qubit_gate_time_s
            busy[module_of[q]] += t2
            qubit_busy[q] += t2
    readout = max(m.measurement_time_s + m.reset_time_s for m in mods)
    local_s = max(busy.values(), default=0.0) + readout
    seams = crossing_pairs(stabs, module_of)
    rates = {e: link_rate_hz(network.link_between(*e), mods[e[0]], mods[e[1]]) / raw_per_ebit for e in seams}
    for (m_a, m_b), rate in rates.items():
        if not rate > 0:
            raise ConfigError(
                f"the link m{m_a}-m{m_b} of network '{network.name}' heralds no ebits (rate {rate!r} Hz)"
            )
    gen_s = max((n / rates[e] for e, n in seams.items()), default=0.0)
    round_s = max(local_s, gen_s)
    waits = {}
    for e, n in seams.items():
        slots = min(mods[e[0]].communication_ions, mods[e[1]].communication_ions)
        waits[e] = max(0.0, min(slots, n) * round_s / n - 1.0 / rates[e])
    for s in stabs:
        m = mods[module_of[s.ancilla]]
        qubit_busy[s.ancilla] += m.measurement_time_s + m.reset_time_s
    return {
        "local_s": local_s,
        "generation_s": gen_s,
        "round_s": round_s,
        "ebits": sum(seams.values()),
        "rates_hz": rates,
        "ebit_wait_s": waits,
        "qubit_busy_s": qubit_busy,
    }


def _module_local(m: ModuleSpec) -> LocalNoise:
    return LocalNoise(
        p1=channels.gate_depolarizing(m.single_qubit_gate_fidelity, 1),
        p2=channels.gate_depolarizing(m.two_qubit_gate_fidelity, 2),
        p_meas=m.spam_error,
        p_reset=0.0,
        p_data_round=0.0,
    )


def _teleported(noise: InterfaceNoise, bell: BellDiagonal, la: LocalNoise, lb: LocalNoise) -> Channel2:
    probs = bell.probabilities
    if noise.teleport == "gate":
        ch = channels.compose2(channels.depolarize2(la.p2), channels.ebit_channel(probs))
    else:
        ch = channels.teleported_cx_channel(probs, la.p2, lb.p2, la.p_meas, lb.p_meas)
    args = channels.stim_args2(ch)
    if max(args) - min(args) < 1e-15:  # depolarizing-shaped: stim's exact DEPOLARIZE2
        return ("DEPOLARIZE2", (sum(args),))
    return ("PAULI_CHANNEL_2", tuple(args))


def _supply(noise: InterfaceNoise, a: int, b: int, local: Sequence[LocalNoise]) -> tuple[BellDiagonal, float]:
    """The ebit a crossing CX between modules a and b consumes, and its cost in heralded ebits."""
    if noise.ebit_fidelity is not None:
        state = BellDiagonal.werner(noise.ebit_fidelity)
    else:
        assert noise.network is not None
        mods = noise.network.modules
        state = link_physics.heralded_state(noise.network.link_between(a, b), mods[a], mods[b])
    return purified(state, noise.purification_rounds, local[a].p2, local[b].p2)


def _check_purification(noise: InterfaceNoise, num_modules: int) -> None:
    if noise.purification_rounds and noise.network is not None:
        for m in range(num_modules):
            ions = noise.network.modules[m].communication_ions
            if ions < 2:
                raise ConfigError(
                    f"purification needs 2 communication ions per module; module m{m} of network "
                    f"'{noise.network.name}' has {ions}"
                )


def round_noise(
    stabs: Sequence[Stabilizer], module_of: dict[Coord, int], noise: InterfaceNoise, num_modules: int
) -> tuple[RoundNoise, dict[str, Any]]:
    """The RoundNoise of one round of these stabilizers, and its timing (empty without a network)."""
    net = noise.network
    _check_purification(noise, num_modules)
    if noise.kind != "link" or net is None:
        local = tuple(LocalNoise.uniform(noise.p) for _ in range(num_modules))
    else:
        local = tuple(_module_local(net.modules[m]) for m in range(num_modules))
    seams = crossing_pairs(stabs, module_of)
    supply = {e: _supply(noise, *e, local) for e in seams} if noise.kind == "link" else {}
    cost = max((c for _, c in supply.values()), default=1.0)
    timing = round_timing(stabs, module_of, net, cost) if net is not None else {}
    if timing:
        timing["raw_ebits_per_ebit"] = cost
    crossing: dict[tuple[int, int], Channel2] = {}
    for a, b in seams:
        for c, t in ((a, b), (b, a)):
            if noise.kind == "scaled":
                crossing[(c, t)] = ("DEPOLARIZE2", (noise.lam * noise.p,))
            elif noise.kind == "link":
                bell = supply[(a, b)][0]
                if net is not None:
                    bell = stored_state(bell, timing["ebit_wait_s"][(a, b)], net.modules[a], net.modules[b])
                crossing[(c, t)] = _teleported(noise, bell, local[c], local[t])
    if noise.kind != "link" or net is None:
        return RoundNoise(local, crossing), timing
    return RoundNoise(local, crossing, *_idle(stabs, module_of, net, timing)), timing


def _idle(
    stabs: Sequence[Stabilizer], module_of: dict[Coord, int], net: NetworkSpec, timing: dict[str, Any]
) -> tuple[dict[Coord, Pauli1], dict[Coord, Pauli1]]:
    round_s, busy = timing["round_s"], timing["qubit_busy_s"]

    def idle(q: Coord) -> Pauli1:
        m = net.modules[module_of[q]]
        return channels.idle_channel(round_s - busy[q], m.memory_t1_s, m.memory_t2_s, m.coherence_envelope)

    data = {q for s in stabs for q in s.support}
    return {q: idle(q) for q in data}, {s.ancilla: idle(s.ancilla) for s in stabs}


def check_capacity(module_of: dict[Coord, int], network: NetworkSpec, num_modules: int) -> None:
    """Raise ConfigError unless each module holds its share of the patch (data + measure qubits)."""
    if network.num_modules < num_modules:
        raise ConfigError(
            f"network '{network.name}' has {network.num_modules} modules; the patch needs {num_modules}"
        )
    need = Counter(module_of.values())
    for m, n in sorted(need.items()):
        have = network.modules[m].data_qubits
        if n > have:
            raise ConfigError(
                f"module m{m} of network '{network.name}' holds {have} qubits; "
                f"its part of the patch needs {n} (data and measure qubits)"
            )
    for m in range(num_modules - 1):
        network.link_between(m, m + 1)
