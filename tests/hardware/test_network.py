import pytest

from ionnet.errors import ConfigError, NetworkError
from ionnet.hardware.network import load_network, make_edges, network_from_dict


def test_default_network_has_two_aria_modules():
    net = load_network("default")
    assert net.num_modules == 2
    assert net.modules[0].data_qubits == 25
    assert net.edges == ((0, 1),)


@pytest.mark.parametrize(
    ("topology", "n", "count"), [("all_to_all", 4, 6), ("chain", 4, 3), ("ring", 4, 4), ("star", 5, 4)]
)
def test_topology_edge_counts(topology, n, count):
    assert len(make_edges(topology, n)) == count


def test_grid_topology():
    net = network_from_dict({"network": {"modules": 6, "topology": "grid", "grid_shape": [2, 3]}})
    assert len(net.edges) == 7


def test_unknown_link_key_is_named():
    with pytest.raises(ConfigError, match="unknown key 'detector_eff'"):
        network_from_dict({"link": {"detector_eff": 0.5}})


def test_out_of_range_value_is_named():
    with pytest.raises(ConfigError, match=r"'detector_efficiency' must be in \[0, 1\] \(got 1.5\)"):
        network_from_dict({"link": {"detector_efficiency": 1.5}})


def test_per_arm_override():
    net = network_from_dict({"link": {"detector_efficiency": 0.5, "arm_b": {"detector_efficiency": 0.7}}})
    assert net.link.arm_a.detector_efficiency == 0.5
    assert net.link.arm_b.detector_efficiency == 0.7


def test_disconnected_network_is_rejected():
    net = network_from_dict(
        {"network": {"modules": 3, "topology": "explicit"}, "links": [{"between": [0, 1]}]}
    )
    with pytest.raises(NetworkError, match="not connected"):
        net.require_connected()


def test_with_modules_resizes():
    net = load_network("default").with_modules(4, capacity=8)
    assert net.total_capacity == 32
    assert len(net.edges) == 6
