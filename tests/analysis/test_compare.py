import json

import pytest

from ionnet.analysis.compare import compare, crossover_size
from ionnet.analysis.monolithic import ScalingLaw, modular_network, monolithic_network
from ionnet.cli import main
from ionnet.errors import ConfigError
from ionnet.hardware import ModuleSpec, load_network


def test_law_is_identity_at_the_reference_and_scales_as_a_power():
    law = ScalingLaw(reference_ions=25, infidelity_exponent=2.0, time_exponent=1.0)
    module = ModuleSpec()
    assert law.module_at(module, 25) == module
    at_50 = law.module_at(module, 50)
    assert 1 - at_50.two_qubit_gate_fidelity == pytest.approx(4 * (1 - module.two_qubit_gate_fidelity))
    assert at_50.two_qubit_gate_time_s == pytest.approx(2 * module.two_qubit_gate_time_s)
    assert at_50.single_qubit_gate_fidelity == module.single_qubit_gate_fidelity


def test_flat_law_changes_nothing():
    module = ModuleSpec()
    assert ScalingLaw(infidelity_exponent=0, time_exponent=0).module_at(module, 400) == module


def test_infidelity_is_capped_at_fully_depolarizing():
    assert ScalingLaw(infidelity_exponent=3).infidelity(0.01, 10_000) == 0.75


def test_machines_built_from_the_same_technology():
    base, law = load_network("default"), ScalingLaw()
    mono = monolithic_network(base, 100, law)
    assert (mono.num_modules, mono.modules[0].data_qubits) == (1, 100)
    assert mono.modules[0].two_qubit_gate_fidelity == pytest.approx(1 - 0.004 * 4)
    mod = modular_network(base, 100, law, module_qubits=24)
    assert (mod.num_modules, mod.modules[0].data_qubits, len(mod.edges)) == (5, 24, 10)
    assert mod.modules[0].two_qubit_gate_fidelity == pytest.approx(1 - 0.004 * 25 / 25)


@pytest.mark.parametrize(
    ("wins", "expected"),
    [([False, False, True, True], 32), ([True, True, True, True], 8), ([True, False, True, False], None)],
)
def test_crossover_is_where_modular_wins_from_then_on(wins, expected):
    assert crossover_size([8, 16, 32, 64], wins) == expected


def test_slow_link_pushes_the_crossover_out():
    # BV at 32 qubits, modules of 16: with a 230 Hz link the modular machine wins (about 0.65 vs
    # 0.54 for the 32-ion chain); at 2.3 Hz the qubits dephase while waiting for the ebit.
    result = compare(
        load_network("default"), "bv", [32], module_qubits=16, shots=600, seed=3, progress=False,
        vary=("link.collection_efficiency", [0.01, 0.1]),
    )  # fmt: skip
    slow, fast = result.crossovers
    assert slow.link_rate_hz < fast.link_rate_hz / 50
    assert (slow.crossover_qubits, fast.crossover_qubits) == (None, 32)
    mono, mod = (r for r in result.rows if r.vary_value == 0.1)
    assert (mono.modules, mod.modules, mod.ebits) == (1, 2, 1)


def test_bad_arguments_name_the_option():
    with pytest.raises(ConfigError, match="sizes"):
        compare(load_network("default"), "bv", [1, 8], progress=False)
    with pytest.raises(ConfigError, match="method"):
        compare(load_network("default"), "bv", [8], method="guess", progress=False)


def test_compare_cli_json(capsys):
    code = main(["compare", "--family", "ghz", "--sizes", "4,8", "--module-qubits", "4", "--shots", "50",
                 "--method", "estimate", "--json", "--no-progress"])  # fmt: skip
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert {"rows", "crossovers", "law", "network", "seed"} <= set(data)
    assert [r["method"] for r in data["rows"]] == ["estimate"] * 4
    assert "crossover_qubits" in data["crossovers"][0]


def test_compare_cli_bad_vary_exits_2(capsys):
    assert main(["compare", "--sizes", "8", "--vary", "link.hom_visibility"]) == 2
    assert "--vary" in capsys.readouterr().err
