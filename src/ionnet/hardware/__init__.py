"""Hardware layer: pure data and analytic physics of ions, modules, photonic links and networks.

Imports nothing else from ionnet but ``units`` and ``errors``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ionnet.hardware.bell import BellDiagonal
    from ionnet.hardware.link import ArmSpec, LinkSpec, link_from_table
    from ionnet.hardware.link_physics import LinkBudget, link_budget
    from ionnet.hardware.module import ModuleSpec
    from ionnet.hardware.network import NetworkSpec, load_network, network_from_dict, preset_names
    from ionnet.hardware.species import SPECIES, IonSpecies, species

_LAZY = {
    "BellDiagonal": "bell",
    "ArmSpec": "link",
    "LinkSpec": "link",
    "link_from_table": "link",
    "LinkBudget": "link_physics",
    "link_budget": "link_physics",
    "ModuleSpec": "module",
    "NetworkSpec": "network",
    "load_network": "network",
    "network_from_dict": "network",
    "preset_names": "network",
    "SPECIES": "species",
    "IonSpecies": "species",
    "species": "species",
}
"""Where each public name lives: loaded on first use, so reading a network file needs no numpy."""


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(f"ionnet.hardware.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'ionnet.hardware' has no attribute {name!r}")


__all__ = [
    "SPECIES",
    "ArmSpec",
    "BellDiagonal",
    "IonSpecies",
    "LinkBudget",
    "LinkSpec",
    "ModuleSpec",
    "NetworkSpec",
    "link_budget",
    "link_from_table",
    "load_network",
    "network_from_dict",
    "preset_names",
    "species",
]
