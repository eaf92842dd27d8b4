"""The compiler's timing model and time-aware ordering, checked against the runtime's timing pass."""

from __future__ import annotations

import statistics

import numpy as np
import pytest
from program_executor import StatevectorExecutor, equal_up_to_phase
from qiskit.quantum_info import Statevector

from ionnet.compiler import families
from ionnet.compiler.circuit_input import load_circuit
from ionnet.compiler.emit import _Emission
from ionnet.compiler.pipeline import ESTIMATE_SAMPLES, compile_circuit, module_info
from ionnet.compiler.placement import MetisPlacement
from ionnet.compiler.plan import Plan
from ionnet.compiler.program import DistributedProgram
from ionnet.compiler.remote import PacketGatePlacer
from ionnet.compiler.schedule import dependency_graph, reorder_for_time
from ionnet.compiler.timing import TimingModel
from ionnet.hardware import link_physics
from ionnet.hardware.network import load_network
from ionnet.runtime.timing import schedule
from ionnet.seeding import stream

DEFAULT = load_network("default")


def runtime_makespans(program: DistributedProgram, network, seeds: int) -> list[float]:
    return [schedule(program, network, stream(s, "test", "links")).makespan_s for s in range(seeds)]


def test_ebit_time_is_the_inverse_per_pair_rate():
    model = TimingModel.from_network(DEFAULT)
    link = DEFAULT.link
    assert model.ebit_time_s[(0, 1)] == pytest.approx(link.communication_ions / link_physics.rate_hz(link))
    assert model.pairs[(0, 1)] == 1


def test_estimate_matches_the_runtime_mean_on_one_ebit():
    # one ebit, then 4 ms of gates that wait for it: makespan = herald delay + 4 ms + measure.
    # The herald delay is geometric in the attempts with mean ~tau and sd ~tau; the mean over
    # 400 seeds is within 3 standard errors (3 tau / 20) of the model's value.
    text = "EPR m0.c0 m1.c0\nCX m0.q0 m0.c0\n" + "CX m0.q0 m0.c0\n" * 5 + "MEASURE m0.c0 -> t0"
    program = DistributedProgram.from_text(text)
    model = TimingModel.from_network(DEFAULT)
    tau = model.ebit_time_s[(0, 1)]
    mean = statistics.fmean(runtime_makespans(program, DEFAULT, 400))
    assert abs(mean - model.estimate(program)) < 3 * tau / 20


@pytest.mark.parametrize(("family", "modules"), [("bv", 2), ("qaoa", 2), ("czfrac", 4)])
def test_lower_bound_below_runtime_and_estimate_close(family, modules):
    network = DEFAULT.with_modules(modules, capacity=16 // modules)
    result = compile_circuit(families.FAMILIES[family](16), network, seed=0)
    spans = runtime_makespans(result.program, network, 50)
    mean, sd = statistics.fmean(spans), statistics.stdev(spans)
    assert result.makespan_lower_bound_s is not None and result.makespan_estimate_s is not None
    assert mean > result.makespan_lower_bound_s - 3 * sd / np.sqrt(len(spans))
    # the estimate is a mean of ESTIMATE_SAMPLES replays with sampled heralds; both means carry
    # sampling error: within 3 combined standard errors (plus 2 % for the replay's simplifications)
    tolerance = 3 * sd * np.sqrt(1 / len(spans) + 1 / ESTIMATE_SAMPLES) + 0.02 * mean
    assert abs(result.makespan_estimate_s - mean) < tolerance


def test_reorder_keeps_dependencies_and_state():
    network = DEFAULT.with_modules(2, capacity=4)
    qc = families.qft(8)
    circuit = load_circuit(qc)
    info = module_info(network)
    placement = MetisPlacement(seed=0).place(circuit, list(info.capacities))
    plan = PacketGatePlacer().assign(Plan.static(circuit, placement), info)
    program = _Emission(plan, info).run()
    assert info.timing is not None
    reordered = reorder_for_time(program, info.timing)
    assert sorted(map(str, reordered.instructions)) == sorted(map(str, program.instructions))
    reordered.validate(network)
    position = {id(ins): k for k, ins in enumerate(reordered.instructions)}
    succ, _ = dependency_graph(program)
    for i, after in enumerate(succ):
        for j in after:
            assert position[id(program.instructions[i])] < position[id(program.instructions[j])]
    assert info.timing.estimate(reordered) <= info.timing.estimate(program) + 1e-12
    psi, _, _ = StatevectorExecutor(reordered, 0).run()
    assert equal_up_to_phase(psi, Statevector(qc).data)


def test_local_work_fills_the_wait_for_an_ebit():
    text = "EPR m0.c0 m1.c0\nCX m0.q0 m0.c0\nMEASURE m0.c0 -> t0\n" + "H m0.q1\n" * 20
    program = DistributedProgram.from_text(text)
    model = TimingModel.from_network(DEFAULT)
    reordered = reorder_for_time(program, model)
    assert reordered.instructions[0].op == "H"
    # 20 one-qubit gates (2.7 ms) now run while the ebit (~4.3 ms) is generated
    assert model.estimate(reordered) < model.estimate(program) - 2.5e-3


def test_compiled_program_never_slower_than_the_plain_order():
    network = DEFAULT.with_modules(2, capacity=8)
    circuit = load_circuit(families.cz_fraction(16))
    info = module_info(network)
    placement = MetisPlacement(seed=0).place(circuit, list(info.capacities))
    plan = PacketGatePlacer().assign(Plan.static(circuit, placement), info)
    plain = _Emission(plan, info).run()
    chosen = compile_circuit(families.cz_fraction(16), network, seed=0)
    assert info.timing is not None
    if chosen.program.cost().ebits == plain.cost().ebits:
        assert info.timing.estimate(chosen.program) <= info.timing.estimate(plain) + 1e-12


def test_unlimited_comm_ions_shows_what_a_second_ion_buys():
    network = DEFAULT.with_modules(4, capacity=4)
    result = compile_circuit(families.qft(16), network, seed=0)
    summary = result.summary()
    assert summary["ebits_with_unlimited_comm_ions"] == 16 < summary["ebits"]  # type: ignore[operator]
    assert 0 < summary["makespan_lower_bound_s"] <= summary["makespan_estimate_s"]  # type: ignore[operator]
