"""Hardware layer: pure data and analytic physics of ions, modules, photonic links and networks.

Imports nothing else from ionnet but ``units`` and ``errors``.
"""

from ionnet.hardware.bell import BellDiagonal
from ionnet.hardware.link import ArmSpec, LinkSpec, link_from_table
from ionnet.hardware.link_physics import LinkBudget, link_budget
from ionnet.hardware.module import ModuleSpec
from ionnet.hardware.network import NetworkSpec, load_network, network_from_dict, preset_names
from ionnet.hardware.species import SPECIES, IonSpecies, species

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
