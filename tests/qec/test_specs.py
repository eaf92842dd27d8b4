"""Bad input: every invalid value raises ConfigError (an IonnetError) naming the value."""

import dataclasses

import pytest

from ionnet.errors import ConfigError, IonnetError
from ionnet.hardware import load_network
from ionnet.qec import InterfaceNoise, MemorySpec, SurgerySpec, memory_experiment, surgery_experiment


@pytest.mark.parametrize("distance", [1, 2, 4, 6, 0, -3, 3.0, True, "5"])
def test_bad_distance(distance):
    with pytest.raises(ConfigError, match=r"'distance' must be an odd integer >= 3 \(got "):
        MemorySpec(distance=distance)
    with pytest.raises(ConfigError, match=repr(distance).replace("(", r"\(").replace(".", r"\.")):
        SurgerySpec(distance=distance)


@pytest.mark.parametrize("p", [0.0, 0.5, 0.7, -1e-3, float("nan")])
def test_bad_p(p):
    with pytest.raises(ConfigError, match=r"'p' must be in \(0, 0.5\)"):
        InterfaceNoise("uniform", p=p)


@pytest.mark.parametrize("lam", [-1.0, -1e-9, float("inf")])
def test_bad_lambda(lam):
    with pytest.raises(ConfigError, match=r"'lambda' must be >= 0"):
        InterfaceNoise("scaled", p=1e-3, lam=lam)


def test_lambda_times_p_beyond_depolarizing():
    with pytest.raises(ConfigError, match="15/16"):
        InterfaceNoise("scaled", p=0.1, lam=10.0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"seam": "diagonal"}, "unknown seam 'diagonal'"),
        ({"patch": "circle"}, "unknown patch 'circle'"),
        ({"basis": "Y"}, "unknown basis 'Y'"),
        ({"rounds": 0}, "'rounds' must be an integer >= 1 (got 0)"),
        ({"modules": 1}, "needs modules >= 2 (got 1)"),
        ({"modules": 4}, "cannot be cut into 4 modules"),
        ({"patch": "rectangle", "seam": "parallel"}, "got seam 'parallel'"),
    ],
)
def test_bad_memory_spec(kwargs, message):
    with pytest.raises(ConfigError) as info:
        MemorySpec(distance=3, **kwargs)
    assert message in str(info.value) and "\n" not in str(info.value)


def test_bad_interface_and_surgery_basis():
    with pytest.raises(ConfigError, match="unknown interface 'fibre'"):
        InterfaceNoise("fibre")
    with pytest.raises(ConfigError, match="unknown surgery basis 'XZ'"):
        SurgerySpec(distance=3, basis="XZ")
    with pytest.raises(ConfigError, match="needs a network or an ebit_fidelity"):
        InterfaceNoise("link")
    with pytest.raises(ConfigError, match=r"'ebit_fidelity' must be in \[0, 1\] \(got 1.5\)"):
        InterfaceNoise("link", ebit_fidelity=1.5)


def test_module_too_small_for_its_half():
    net = load_network("default")  # 25 qubits per module
    with pytest.raises(ConfigError, match=r"module m0 of network 'default' holds 25 qubits; .* needs 27"):
        memory_experiment(MemorySpec(distance=5), InterfaceNoise("link", network=net))
    with pytest.raises(IonnetError, match="holds 25 qubits"):
        surgery_experiment(SurgerySpec(distance=5), InterfaceNoise("uniform", network=net))
    one = net.with_modules(1)
    with pytest.raises(ConfigError, match="has 1 modules; the patch needs 2"):
        memory_experiment(MemorySpec(distance=3), InterfaceNoise("link", network=one))
    big = dataclasses.replace(net.with_modules(2, capacity=64))
    assert memory_experiment(MemorySpec(distance=5), InterfaceNoise("link", network=big)).round_time_s


def test_link_without_ebits_is_an_error():
    net = load_network("default")
    dark = dataclasses.replace(net, links=(net.link.with_arms(detector_efficiency=0.0),))
    with pytest.raises(
        ConfigError, match=r"the link m0-m1 of network 'default' heralds no ebits \(rate 0.0 Hz\)"
    ):
        memory_experiment(MemorySpec(distance=3), InterfaceNoise("link", network=dark))


def test_same_inputs_same_circuit():
    noise = InterfaceNoise("link", network=load_network("default"))
    a = memory_experiment(MemorySpec(distance=3), noise)
    b = memory_experiment(MemorySpec(distance=3), noise)
    assert a.circuit == b.circuit and a.description == b.description


def test_numpy_scalars_become_plain_numbers_and_descriptions_are_json():
    import json

    import numpy as np

    spec = MemorySpec(distance=np.int64(3), rounds=np.int32(2))
    assert type(spec.distance) is int and type(spec.rounds) is int
    noise = InterfaceNoise("link", p=np.float32(2e-3), network=load_network("default"))
    exp = memory_experiment(spec, noise)
    text = json.dumps(exp.description)
    assert '"rounds": 2' in text and '"interface": "link"' in text
    other = dataclasses.replace(noise, network=load_network("default").with_modules(2, capacity=30))
    assert memory_experiment(spec, other).description["network_sha256"] != exp.description["network_sha256"]
