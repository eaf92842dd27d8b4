"""Sweep parameters: dotted names (``link.fiber_length_m``) applied to a network, and the
network's canonical dictionary form (what a task hashes and a worker rebuilds).

A parameter name has a namespace and a key:

* ``module.<key>``: a :class:`~ionnet.hardware.module.ModuleSpec` field of every module;
* ``link.<key>``: a :class:`~ionnet.hardware.link.LinkSpec` field, or an arm field applied to
  both arms; ``link.arm_a.<key>`` / ``link.arm_b.<key>`` change one arm;
* ``network.modules``, ``network.topology``, ``network.grid_shape``, and ``network.capacity``
  (data qubits per module, or ``"auto"`` for ceil(circuit qubits / modules));
* ``compiler.<key>``: a keyword of the compiler (checked when the task kind compiles);
* ``circuit.family``, ``circuit.num_qubits``, ``circuit.file``: the circuit of a run task;
* ``qec.<key>``: the code experiment of a qec task (see :mod:`ionnet.analysis.qeckind`);
* ``seed``, ``shots``, ``duration_s``: the task's root seed, shots, simulated link time.

>>> net = apply_parameters("default", {"link.fiber_length_m": 10, "network.modules": 3})
>>> net.num_modules, net.link.fiber_length_m
(3, 10.0)
>>> back = network_from_canonical(network_to_canonical(net))
>>> (back.modules, back.edges, back.links) == (net.modules, net.edges, net.links)
True
>>> apply_parameters("default", {"link.fiber_lenght_m": 10})
Traceback (most recent call last):
...
ionnet.errors.ConfigError: unknown key 'fiber_lenght_m' in [link] (known: ...)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ionnet.errors import ConfigError
from ionnet.hardware.link import ARM_KEYS, LinkSpec, link_from_table
from ionnet.hardware.module import ModuleSpec
from ionnet.hardware.network import NetworkSpec, load_network, make_edges, network_from_dict
from ionnet.hardware.validation import from_table, require_choice, require_positive_int

NAMESPACES = ("module", "link", "network", "compiler", "circuit", "qec")
NETWORK_PARAMS = ("modules", "topology", "grid_shape", "capacity")
CIRCUIT_PARAMS = ("family", "num_qubits", "file")
TOP_LEVEL_PARAMS = ("seed", "shots", "duration_s")


def split_name(name: str) -> tuple[str, str]:
    """Split ``link.fiber_length_m`` into ``('link', 'fiber_length_m')``; top-level names have ''.

    >>> split_name("link.arm_a.detector_efficiency")
    ('link', 'arm_a.detector_efficiency')
    >>> split_name("seed")
    ('', 'seed')
    """
    if name in TOP_LEVEL_PARAMS:
        return "", name
    head, _, rest = name.partition(".")
    if head not in NAMESPACES or not rest:
        known = ", ".join([*(f"{n}.<key>" for n in NAMESPACES), *TOP_LEVEL_PARAMS])
        raise ConfigError(f"unknown parameter '{name}' (known: {known})")
    return head, rest


def group_parameters(params: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Group dotted parameters by namespace: ``{'link': {...}, 'module': {...}, '': {...}}``."""
    groups: dict[str, dict[str, Any]] = {ns: {} for ns in ("", *NAMESPACES)}
    for name, value in params.items():
        head, rest = split_name(name)
        groups[head][rest] = value
    return groups


def apply_parameters(
    base: str | Path | NetworkSpec, params: Mapping[str, Any], num_qubits: int | None = None
) -> NetworkSpec:
    """The network ``base`` with the ``module.*``, ``link.*`` and ``network.*`` parameters applied.

    Link parameters change every link. Other namespaces are ignored here. Raises ConfigError
    naming the key on a bad value.
    """
    network = base if isinstance(base, NetworkSpec) else load_network(base)
    groups = group_parameters(params)
    module = from_table(ModuleSpec, groups["module"], "[module]", base=network.modules[0])
    changes = _nest_arm_keys(groups["link"])
    link = link_from_table(changes, base=network.link) if changes else network.link
    links = tuple(link_from_table(changes, base=lk) if changes else lk for lk in network.links)
    network = dataclasses.replace(network, links=links)
    return _reshape(network, module, link, groups["network"], num_qubits)


def _nest_arm_keys(flat: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in flat.items():
        arm, _, arm_key = key.partition(".")
        if arm_key:
            if arm not in ("arm_a", "arm_b") or arm_key not in ARM_KEYS:
                raise ConfigError(f"unknown parameter 'link.{key}' (arm keys: {', '.join(sorted(ARM_KEYS))})")
            out.setdefault(arm, {})[arm_key] = value
        else:
            out[key] = value
    return out


def _reshape(
    network: NetworkSpec,
    module: ModuleSpec,
    link: LinkSpec,
    changes: Mapping[str, Any],
    num_qubits: int | None,
) -> NetworkSpec:
    """Apply ``network.*`` changes; a new module count or topology rebuilds uniform links."""
    for key in changes:
        if key not in NETWORK_PARAMS:
            raise ConfigError(f"unknown parameter 'network.{key}' (known: {', '.join(NETWORK_PARAMS)})")
    n = changes.get("modules", network.num_modules)
    require_positive_int("network.modules", n)
    capacity = changes.get("capacity")
    if capacity == "auto":
        capacity = -(-num_qubits // n) if num_qubits else None
    if capacity is not None:
        require_positive_int("network.capacity", capacity)
        module = dataclasses.replace(module, data_qubits=capacity)
    edges, links, topology = network.edges, network.links, network.topology
    if "modules" in changes or "topology" in changes or "grid_shape" in changes:
        topology = changes.get("topology", "all_to_all" if topology == "explicit" else topology)
        require_choice("network.topology", topology, ("all_to_all", "chain", "ring", "star", "grid"))
        shape = changes.get("grid_shape")
        edges = make_edges(topology, n, tuple(shape) if shape else None)
        links = (link,) * len(edges)
    return dataclasses.replace(network, modules=(module,) * n, edges=edges, links=links, topology=topology)


def network_to_canonical(network: NetworkSpec) -> dict[str, Any]:
    """A JSON-able dict that :func:`network_from_canonical` turns back into ``network``.

    It lists every module, link and arm field (defaults included), so two networks with the same
    hardware give the same dict however they were written. The description and sources are
    left out: they do not change a result.
    """
    if len(set(network.modules)) != 1:
        raise ConfigError(f"network '{network.name}' mixes module types; sweeps need one module type")
    return {
        "network": {"name": network.name, "modules": network.num_modules, "topology": "explicit"},
        "module": dataclasses.asdict(network.modules[0]),
        "links": [
            {"between": list(edge), **_link_table(link)}
            for edge, link in zip(network.edges, network.links, strict=True)
        ],
        "topology": network.topology,
    }


def _link_table(link: LinkSpec) -> dict[str, Any]:
    table = {
        f.name: getattr(link, f.name) for f in dataclasses.fields(link) if f.name not in ("arm_a", "arm_b")
    }
    table["arm_a"] = {k: v for k, v in dataclasses.asdict(link.arm_a).items() if v is not None}
    table["arm_b"] = {k: v for k, v in dataclasses.asdict(link.arm_b).items() if v is not None}
    return table


def network_from_canonical(data: Mapping[str, Any]) -> NetworkSpec:
    """Rebuild the NetworkSpec of :func:`network_to_canonical`."""
    body = {k: v for k, v in data.items() if k != "topology"}
    network = network_from_dict(body)
    return dataclasses.replace(network, topology=data.get("topology", network.topology))
