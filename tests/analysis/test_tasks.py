import os
import subprocess
import sys

from ionnet.analysis.spec import sweep_from_dict
from ionnet.analysis.tasks import Task, canonical_json, task_id


def test_canonical_json_sorts_keys_and_is_compact():
    assert canonical_json({"b": [1, 2.5], "a": {"y": 1, "x": 0}}) == '{"a":{"x":0,"y":1},"b":[1,2.5]}'


def test_task_id_ignores_key_order_and_changes_with_any_value():
    a = {"kind": "link", "seed": 1, "network": {"x": 1.0}}
    assert task_id(a) == task_id(dict(reversed(list(a.items()))))
    assert task_id(a) != task_id({**a, "seed": 2})
    assert task_id(a) != task_id({**a, "network": {"x": 1.0000000001}})


def test_task_id_is_pinned():
    # A change of this value silently orphans every stored result: bump TASK_FORMAT instead.
    assert task_id({"kind": "link", "seed": 0, "x": 1.0}) == (
        "a405e1b1fd0ba60faf2227d5f0e03fd837d5fdd7d1756566f5234d75c24f8bf6"
    )


def _link_spec(lengths):
    return sweep_from_dict(
        {"sweep": {"kind": "link", "outputs": ["rate_hz"]}, "axes": {"link.fiber_length_m": lengths}}
    )


def test_integer_and_float_axis_values_give_the_same_task():
    [t_int] = _link_spec([10]).tasks()
    [t_float] = _link_spec([10.0]).tasks()
    assert t_int.task_id == t_float.task_id


def test_task_id_is_the_same_in_another_process_with_another_hash_seed():
    [task] = _link_spec([3.0]).tasks()
    code = (
        "from ionnet.analysis.spec import sweep_from_dict;"
        "s = sweep_from_dict({'sweep': {'kind': 'link', 'outputs': ['rate_hz']},"
        " 'axes': {'link.fiber_length_m': [3.0]}});"
        "print(s.tasks()[0].task_id)"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == task.task_id


def test_task_inputs_hold_the_resolved_network_and_format():
    [task] = _link_spec([7.0]).tasks()
    assert isinstance(task, Task)
    assert task.inputs["task_format"] == 1
    assert task.inputs["network"]["links"][0]["fiber_length_m"] == 7.0
    assert task.inputs["network"]["module"]["data_qubits"] == 25
