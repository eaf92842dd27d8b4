"""Hardware layer: pure data and analytic physics of ions, modules, photonic links and networks.

Imports nothing else from ionnet but ``units`` and ``errors``.
"""

from ionnet.hardware.link import ArmSpec, LinkSpec, link_from_table
from ionnet.hardware.module import ModuleSpec
from ionnet.hardware.network import NetworkSpec, load_network, network_from_dict, preset_names
from ionnet.hardware.species import SPECIES, IonSpecies, species

__all__ = [
    "SPECIES",
    "ArmSpec",
    "IonSpecies",
    "LinkSpec",
    "ModuleSpec",
    "NetworkSpec",
    "link_from_table",
    "load_network",
    "network_from_dict",
    "preset_names",
    "species",
]
