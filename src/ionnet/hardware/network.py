"""A network of trapped-ion modules joined by photonic links, and its TOML format.

A network file has four tables (every key optional; see README "Network files")::

    [network]                 # name, description, modules (count), topology, grid_shape
    [module]                  # ModuleSpec keys: the type of every module
    [link]                    # LinkSpec keys: the hardware of every link
    [[links]]                 # explicit topology: between = [i, j] plus per-link [link] keys
    [storage]                 # StoragePolicy keys: swap_to_memory, memory_slots, cutoff_s
    [sources]                 # "module.key" / "link.key" -> citation or "assumption: ..."

Topologies: ``all_to_all`` (an optical switch joins any pair, Monroe et al. PRA 89, 022317
(2014)), ``chain``, ``ring``, ``star`` (module 0 is the hub), ``grid`` (``grid_shape = [rows,
cols]``) and ``explicit`` (the ``[[links]]`` array).

>>> net = load_network("default")
>>> net.num_modules, net.topology, net.total_capacity
(2, 'all_to_all', 50)
>>> net.with_modules(4, capacity=8).num_modules
4
"""

from __future__ import annotations

import dataclasses
import itertools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ionnet.errors import ConfigError, NetworkError
from ionnet.fileio import read_text_file
from ionnet.hardware.link import LinkSpec, link_from_table
from ionnet.hardware.module import ModuleSpec
from ionnet.hardware.validation import from_table, require_choice, require_positive_int

if TYPE_CHECKING:
    import networkx as nx

TOPOLOGIES = ("all_to_all", "chain", "ring", "star", "grid", "explicit")
NETWORK_KEYS = frozenset({"name", "description", "modules", "topology", "grid_shape"})
TOP_LEVEL_TABLES = frozenset({"network", "module", "link", "links", "storage", "sources"})
MAX_MODULES = 1024
"""Most modules in one network: checked before any edge is built (all-to-all grows as n²)."""


@dataclass(frozen=True)
class StoragePolicy:
    """How heralded ebits are kept until used (the ``[storage]`` table; defaults keep none).

    Attributes:
        swap_to_memory: Move each ebit half from its communication ion into a free memory ion
            (the module's ``swap_time_s`` and ``swap_fidelity``), so the communication ion can
            attempt the next ebit at once.
        memory_slots: Memory ions per module that may hold ebit halves (None: every data qubit
            the program leaves free).
        cutoff_s: Discard an ebit that waited longer than this without being used, and
            generate a new one (None: keep forever).

    >>> StoragePolicy(cutoff_s=-1.0)
    Traceback (most recent call last):
    ...
    ionnet.errors.ConfigError: 'cutoff_s' must be > 0 (got -1.0)
    """

    swap_to_memory: bool = False
    memory_slots: int | None = None
    cutoff_s: float | None = None

    def __post_init__(self) -> None:
        if isinstance(self.swap_to_memory, bool) is False:
            raise ConfigError(f"'swap_to_memory' must be true or false (got {self.swap_to_memory!r})")
        slots = self.memory_slots
        if slots is not None and (not isinstance(slots, int) or isinstance(slots, bool) or slots < 0):
            raise ConfigError(f"'memory_slots' must be an integer >= 0 (got {self.memory_slots!r})")
        if self.cutoff_s is not None and not self.cutoff_s > 0:
            raise ConfigError(f"'cutoff_s' must be > 0 (got {self.cutoff_s!r})")


@dataclass(frozen=True)
class NetworkSpec:
    """Modules, the links between them and the hardware of each (frozen).

    Attributes:
        name: Network name (a preset's name or the file's).
        modules: Module ``i`` is called ``m{i}`` in programs and traces.
        edges: Pairs ``(i, j)`` with ``i < j`` joined by a photonic link.
        links: The LinkSpec of each edge, aligned with ``edges``.
        topology: How the edges were made (one of TOPOLOGIES).
        description: One line for humans.
        sources: Citation or "assumption" for each preset number, keyed ``table.key``.
        storage: How ebits wait for use (swap into memory, cutoff); by default they stay in
            their communication ions until used.
    """

    name: str
    modules: tuple[ModuleSpec, ...]
    edges: tuple[tuple[int, int], ...]
    links: tuple[LinkSpec, ...]
    topology: str = "all_to_all"
    description: str = ""
    sources: Mapping[str, str] = field(default_factory=dict, compare=False)
    storage: StoragePolicy = field(default_factory=StoragePolicy)

    def __post_init__(self) -> None:
        if not self.modules:
            raise ConfigError("a network needs at least one module (got 0)")
        if len(self.edges) != len(self.links):
            raise ConfigError(f"{len(self.edges)} edges but {len(self.links)} link specs")
        for a, b in self.edges:
            if not (0 <= a < len(self.modules) and 0 <= b < len(self.modules)) or a == b:
                raise ConfigError(
                    f"link between modules {a} and {b} is invalid for {len(self.modules)} modules"
                )

    @property
    def num_modules(self) -> int:
        """Number of modules."""
        return len(self.modules)

    @property
    def total_capacity(self) -> int:
        """Data qubits over all modules."""
        return sum(m.data_qubits for m in self.modules)

    @property
    def link(self) -> LinkSpec:
        """The link hardware of the first edge (all edges share it unless overridden)."""
        return self.links[0] if self.links else LinkSpec()

    def graph(self) -> nx.Graph:
        """The topology as a networkx Graph; edges carry their LinkSpec as ``link``."""
        import networkx as nx  # on first use: loading a network file does not need it

        g = nx.Graph()
        g.add_nodes_from(range(self.num_modules))
        for (a, b), link in zip(self.edges, self.links, strict=True):
            g.add_edge(a, b, link=link)
        return g

    def link_between(self, a: int, b: int) -> LinkSpec:
        """The LinkSpec of the direct link between modules ``a`` and ``b``."""
        key = (min(a, b), max(a, b))
        for edge, link in zip(self.edges, self.links, strict=True):
            if edge == key:
                return link
        raise NetworkError(f"modules m{a} and m{b} are not directly linked in network '{self.name}'")

    def require_connected(self) -> None:
        """Raise NetworkError unless every module can reach every other."""
        import networkx as nx

        if self.num_modules > 1 and not nx.is_connected(self.graph()):
            parts = [sorted(c) for c in nx.connected_components(self.graph())]
            raise NetworkError(f"network '{self.name}' is not connected: components {parts}")

    def with_modules(self, num_modules: int, capacity: int | None = None) -> NetworkSpec:
        """``num_modules`` copies of this network's first module type, joined all-to-all.

        ``capacity`` overrides the data qubits per module.
        """
        require_module_count("modules", num_modules)
        module = self.modules[0]
        if capacity is not None:
            require_positive_int("capacity", capacity)
            module = dataclasses.replace(module, data_qubits=capacity)
        edges = make_edges("all_to_all", num_modules)
        return dataclasses.replace(
            self,
            modules=(module,) * num_modules,
            edges=edges,
            links=(self.link,) * len(edges),
            topology="all_to_all",
        )


def require_module_count(name: str, value: object) -> None:
    """Raise ConfigError unless ``value`` is an integer in 1..MAX_MODULES."""
    require_positive_int(name, value)
    if value > MAX_MODULES:  # type: ignore[operator]
        raise ConfigError(f"'{name}' must be at most {MAX_MODULES} (got {value!r})")


def make_edges(
    topology: str, n: int, grid_shape: tuple[int, int] | None = None
) -> tuple[tuple[int, int], ...]:
    """The edges of a named topology over ``n`` modules.

    >>> make_edges("ring", 4)
    ((0, 1), (1, 2), (2, 3), (0, 3))
    """
    require_choice("topology", topology, TOPOLOGIES)
    if topology == "all_to_all":
        return tuple(itertools.combinations(range(n), 2))
    if topology == "chain":
        return tuple((i, i + 1) for i in range(n - 1))
    if topology == "ring":
        return make_edges("chain", n) + (((0, n - 1),) if n > 2 else ())
    if topology == "star":
        return tuple((0, i) for i in range(1, n))
    if topology == "grid":
        rows, cols = grid_shape or (1, n)
        if rows * cols != n:
            raise ConfigError(f"'grid_shape' {rows}x{cols} does not hold {n} modules")
        import networkx as nx

        g = nx.convert_node_labels_to_integers(nx.grid_2d_graph(rows, cols), ordering="sorted")
        return tuple(sorted((min(a, b), max(a, b)) for a, b in g.edges))
    return ()


def network_from_dict(data: Mapping[str, Any], default_name: str = "network") -> NetworkSpec:
    """Build a NetworkSpec from a parsed network file (see the module docstring)."""
    for key in data:
        if key not in TOP_LEVEL_TABLES:
            raise ConfigError(f"unknown table '{key}' (known: {', '.join(sorted(TOP_LEVEL_TABLES))})")
    head = dict(_table(data, "network"))
    for key in head:
        if key not in NETWORK_KEYS:
            raise ConfigError(f"unknown key '{key}' in [network] (known: {', '.join(sorted(NETWORK_KEYS))})")
    n = head.get("modules", 2)
    require_module_count("modules", n)
    topology = head.get("topology", "explicit" if "links" in data else "all_to_all")
    require_choice("topology", topology, TOPOLOGIES)
    for key in ("name", "description"):
        if key in head and not isinstance(head[key], str):
            raise ConfigError(f"'{key}' in [network] must be a string (got {head[key]!r})")
    module = from_table(ModuleSpec, _table(data, "module"), "[module]")
    link = link_from_table(_table(data, "link"))
    if topology == "explicit":
        entries = data.get("links", [])
        if not isinstance(entries, list) or not all(isinstance(e, Mapping) for e in entries):
            raise ConfigError(f"'links' must be an array of tables [[links]] (got {entries!r})")
        edges_links = [_explicit_link(entry, link, n) for entry in entries]
        edges = tuple(e for e, _ in edges_links)
        links = tuple(lk for _, lk in edges_links)
    else:
        edges = make_edges(topology, n, _grid_shape(head.get("grid_shape")))
        links = (link,) * len(edges)
    sources = _table(data, "sources")
    return NetworkSpec(
        name=head.get("name", default_name),
        modules=(module,) * n,
        edges=edges,
        links=links,
        topology=topology,
        description=head.get("description", ""),
        sources={str(k): str(v) for k, v in sources.items()},
        storage=from_table(StoragePolicy, _table(data, "storage"), "[storage]"),
    )


def _table(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    table = data.get(key, {})
    if not isinstance(table, Mapping):
        raise ConfigError(f"'{key}' must be a table [{key}] (got {table!r})")
    return table


def _grid_shape(shape: object) -> tuple[int, int] | None:
    if shape is None:
        return None
    if not (
        isinstance(shape, list)
        and len(shape) == 2
        and all(isinstance(i, int) and not isinstance(i, bool) and i >= 1 for i in shape)
    ):
        raise ConfigError(f"'grid_shape' in [network] must be two integers >= 1 (got {shape!r})")
    return shape[0], shape[1]


def _explicit_link(entry: Mapping[str, Any], base: LinkSpec, n: int) -> tuple[tuple[int, int], LinkSpec]:
    between = entry.get("between")
    if not (
        isinstance(between, list)
        and len(between) == 2
        and all(isinstance(i, int) and not isinstance(i, bool) for i in between)
    ):
        raise ConfigError(f"'between' in [[links]] must be two module indices (got {between!r})")
    a, b = sorted(between)
    if a == b or a < 0 or b >= n:
        raise ConfigError(f"'between' in [[links]] names modules outside 0..{n - 1} (got {between!r})")
    overrides = {k: v for k, v in entry.items() if k != "between"}
    return (a, b), link_from_table(overrides, base=base, where="[[links]]")


def preset_names() -> list[str]:
    """Names of the networks shipped with ionnet."""
    folder = resources.files("ionnet.hardware") / "presets"
    return sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml"))


def read_toml(path: str | Path, what: str = "TOML file") -> dict[str, Any]:
    """Parse a TOML file; a missing, unreadable, binary, empty or malformed file is a ConfigError.

    The message names ``what`` and the path (and the line and column of a syntax error).
    """
    text = read_text_file(path, what)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"malformed TOML in {what} {path}: {exc}") from None
    except (ValueError, OverflowError) as exc:  # e.g. an integer with thousands of digits
        raise ConfigError(f"malformed TOML in {what} {path}: {exc}") from None


def load_network(name_or_path: str | Path) -> NetworkSpec:
    """Load a preset by name (``default``, ``oxford-2020``, ...) or a network TOML file."""
    name = str(name_or_path)
    if name in preset_names():
        text = (resources.files("ionnet.hardware") / "presets" / f"{name}.toml").read_text()
        return network_from_dict(tomllib.loads(text), default_name=name)
    path = Path(name)
    if path.suffix != ".toml" and not path.exists():
        raise ConfigError(f"unknown network {name!r}: not a preset ({', '.join(preset_names())}) nor a file")
    data = read_toml(path, "network file")
    try:
        return network_from_dict(data, default_name=path.stem)
    except ConfigError as exc:
        raise ConfigError(f"network file {path}: {exc}") from None
