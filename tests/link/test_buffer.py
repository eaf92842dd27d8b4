import math

import pytest

from ionnet.hardware import link_physics
from ionnet.hardware.link import LinkSpec
from ionnet.hardware.module import ModuleSpec
from ionnet.link.buffer import StoragePolicy, simulate_storage
from ionnet.link.memory import stored_state
from ionnet.seeding import stream


def test_generation_blocks_when_every_communication_ion_holds_a_pair(fast_link, module):
    out = simulate_storage(fast_link, module, module, stream(1, "b"), duration_s=1.0)
    assert out.generated == fast_link.communication_ions == 1
    assert out.delivered == []


def test_cutoff_discards_and_frees_the_communication_ion(fast_link, module):
    cutoff = 5e-3
    out = simulate_storage(
        fast_link, module, module, stream(2, "b"), 2.0, policy=StoragePolicy(cutoff_s=cutoff)
    )
    # each cycle: wait for a herald (mean 1 ms) then hold for the cutoff
    expected = 2.0 / (1e-3 + cutoff)
    assert abs(out.generated - expected) < 4 * math.sqrt(expected)
    assert out.discarded >= out.generated - 1


def test_requests_get_decohered_pairs(fast_link):
    module = ModuleSpec(communication_t2_s=0.05)
    requests = [0.1 * i for i in range(1, 20)]
    out = simulate_storage(fast_link, module, module, stream(3, "b"), 2.0, request_times_s=requests)
    assert len(out.delivered) == len(requests)
    for d in out.delivered:
        assert d.state == stored_state(d.ebit.state, d.wait_s, module, module)
    # a pair waits up to 0.1 s for its request: clearly lower fidelity than at creation
    assert max(d.wait_s for d in out.delivered) > 0.05


def test_swap_to_memory_frees_communication_ions(fast_link):
    module = ModuleSpec(memory_t2_s=1e9, swap_time_s=1e-4)
    policy = StoragePolicy(swap_to_memory=True)
    out = simulate_storage(
        fast_link, module, module, stream(4, "b"), 1.0, request_times_s=[0.5], policy=policy
    )
    expected = 1.0 / (1e-3 + 1e-4)
    assert abs(out.generated - expected) < 4 * math.sqrt(expected)
    assert out.delivered[0].ebit.in_memory


def test_memory_slots_limit_storage(fast_link, module):
    policy = StoragePolicy(swap_to_memory=True, memory_slots=3)
    out = simulate_storage(fast_link, module, module, stream(5, "b"), 1.0, policy=policy)
    assert out.generated == 4  # three in memory, the fourth blocks the communication ion


def test_waiting_request_is_served_by_the_next_herald(module):
    link = LinkSpec()
    out = simulate_storage(link, module, module, stream(6, "b"), 1.0, request_times_s=[0.0])
    assert len(out.delivered) == 1
    assert out.delivered[0].wait_s == 0.0
    assert out.delivered[0].ebit.created_s < 1.0
    assert link_physics.p_success(link) > 0


def test_policy_validation():
    with pytest.raises(Exception, match="cutoff_s"):
        StoragePolicy(cutoff_s=-1.0)
