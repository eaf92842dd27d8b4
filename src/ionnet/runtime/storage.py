"""The noise of ebit storage in memory ions, added to a NoisyCircuit after the noise pass.

The timing pass records, for each ebit swapped into memory ions (the network's
``[storage] swap_to_memory``), when both halves were in memory (``EbitRecord.memory_s``). The
noise pass treats every ebit half as a communication ion idling from its herald to its first
use; for a swapped ebit this module replaces that idle channel, per half, by

* the communication ion idling from the herald to the end of the swap,
* the swap's depolarizing error, λ = 4(1 - F_swap)/3 (total Pauli probability 1 - F_swap, as
  :meth:`ionnet.protocols.module.NoisyModule.swap_to_memory` and
  :func:`ionnet.link.memory.swapped_to_memory`; REFERENCES §3.5),
* the memory ion idling from then to the half's first use (memory T1/T2),

composed into one Pauli channel (one-qubit Pauli channels commute). Crosstalk from photon
attempts on a stored half is not added (the memory ions of the presets see none).

>>> compose_pauli((0.1, 0.0, 0.0), (0.1, 0.0, 0.0))
(0.18000000000000002, 0.0, 0.0)
"""

from __future__ import annotations

import dataclasses

from ionnet.compiler.program import DistributedProgram, parse_qubit
from ionnet.runtime.noise import NoiseModel
from ionnet.runtime.noisy import NoisyCircuit, Step
from ionnet.runtime.trace import Trace

Pauli = tuple[float, float, float]


def compose_pauli(a: Pauli, b: Pauli) -> Pauli:
    """Two one-qubit Pauli channels (p_x, p_y, p_z) applied in turn, as one."""
    ai, bi = 1.0 - sum(a), 1.0 - sum(b)
    ax, ay, az = a
    bx, by, bz = b
    return (ai * bx + ax * bi + ay * bz + az * by, ai * by + ay * bi + ax * bz + az * bx,
            ai * bz + az * bi + ax * by + ay * bx)  # fmt: skip


def _first_use_s(program: DistributedProgram, trace: Trace, index: int, qubit: str) -> float:
    """Start of the first instruction after EPR ``index`` that acts on ``qubit`` (or the makespan)."""
    for j in range(index + 1, len(program.instructions)):
        ins = program.instructions[j]
        if qubit in ins.qubits:
            ops = trace.op_of_instruction.get(j)
            if ins.op == "EPR" or not ops:
                break
            return ops[0].start_s
    return trace.makespan_s


def add_storage_noise(
    nc: NoisyCircuit, program: DistributedProgram, trace: Trace, noise: NoiseModel
) -> NoisyCircuit:
    """``nc`` with the storage noise of every ebit swapped into memory (see the module doc)."""
    swapped = {e.index: e for e in trace.ebits if e.memory_s is not None}
    if noise.ideal or not swapped:
        return nc
    steps = list(nc.steps)
    epr_positions = [i for i, s in enumerate(steps) if s.kind == "epr"]
    epr_indices = [i for i, ins in enumerate(program.instructions) if ins.op == "EPR"]
    inserted = 0
    for position, index in zip(epr_positions, epr_indices, strict=True):
        record = swapped.get(index)
        if record is None or record.memory_s is None:
            continue
        position += inserted
        has_state = noise.ebit_state(*record.link).p_i < 1.0
        for qubit in record.qubits:
            module = parse_qubit(qubit)[0]
            m = noise.modules[module]
            end = max(record.memory_s, _first_use_s(program, trace, index, qubit))
            in_comm = m.idle_channel("c", record.memory_s - record.herald_s)
            channel = compose_pauli(in_comm, m.idle_channel("q", end - record.memory_s))
            p = 1.0 - m.module.swap_fidelity
            channel = compose_pauli(channel, (p / 3, p / 3, p / 3))
            j = position + 1 + (1 if has_state else 0)
            while j < len(steps) and qubit not in steps[j].qubits:
                j += 1
            if j < len(steps) and steps[j].kind == "pauli1" and steps[j].qubits == (qubit,):
                steps[j] = dataclasses.replace(steps[j], probs=channel)
            elif j == len(steps) or steps[j].kind != "epr":
                steps.insert(j, Step("pauli1", (qubit,), probs=channel))
                inserted += 1
    return dataclasses.replace(nc, steps=steps, terminal=_shift_terminal(nc, steps))


def _shift_terminal(nc: NoisyCircuit, steps: list[Step]) -> set[int]:
    """Terminal measurement indices in the new step list (the same step objects, new positions)."""
    old = {id(nc.steps[i]) for i in nc.terminal}
    return {i for i, s in enumerate(steps) if id(s) in old}
