"""Rotated surface-code lattices: data qubits, stabilizers and their CX order.

Coordinates follow stim's generated ``surface_code:rotated_memory_*`` circuits (the reference
these lattices are tested against): a data qubit at column i, row j sits at (2i + 1, 2j + 1);
a measure qubit at (2i, 2j) reads the plaquette of the (up to four) data qubits around it.
On a W x H patch the plaquette (i, j) is X-type when i + j is odd, Z-type when even; weight-2
plaquettes are kept only on the top/bottom edges (X-type) and left/right edges (Z-type), so
the logical Z is a row (weight W) and the logical X a column (weight H) (Fowler, Mariantoni,
Martinis and Cleland, PRA 86, 032324 (2012); Horsman, Fowler, Devitt and Van Meter, NJP 14,
123011 (2012), rotated layout). ``flip=True`` exchanges the two types (and the boundaries), so
the logical X is a row and the logical Z a column.

The four CX layers use stim's orders: X-type measure qubits touch the data at offsets
(+1,+1), (-1,+1), (+1,-1), (-1,-1) and Z-type ones at (+1,+1), (+1,-1), (-1,+1), (-1,-1), so
hook errors run perpendicular to the logical they could shorten (Tomita and Svore, PRA 90,
062320 (2014)).

>>> stabs = patch_stabilizers(3, 3)
>>> len(stabs), sum(s.basis == "X" for s in stabs)
(8, 4)
>>> patch_stabilizers(3, 3)[0]
Stabilizer(basis='X', ancilla=(2, 0), data=((3, 1), (1, 1), None, None))
"""

from __future__ import annotations

from dataclasses import dataclass

Coord = tuple[int, int]

_ORDER = {
    "X": ((1, 1), (-1, 1), (1, -1), (-1, -1)),
    "Z": ((1, 1), (1, -1), (-1, 1), (-1, -1)),
}


@dataclass(frozen=True)
class Stabilizer:
    """One plaquette: its Pauli type, its measure qubit and its data qubits by CX layer.

    Attributes:
        basis: ``"X"`` or ``"Z"``.
        ancilla: Coordinate of the measure qubit.
        data: Four entries, one per CX layer: the data qubit touched then, or None.
    """

    basis: str
    ancilla: Coord
    data: tuple[Coord | None, ...]

    @property
    def support(self) -> frozenset[Coord]:
        """The data qubits the plaquette acts on."""
        return frozenset(q for q in self.data if q is not None)


def data_coords(width: int, height: int, x0: int = 0, y0: int = 0) -> list[Coord]:
    """Data qubits of a width x height patch whose first column/row index is (x0, y0).

    >>> data_coords(2, 1)
    [(1, 1), (3, 1)]
    """
    return [(2 * (x0 + i) + 1, 2 * (y0 + j) + 1) for j in range(height) for i in range(width)]


def patch_stabilizers(
    width: int, height: int, x0: int = 0, y0: int = 0, flip: bool = False
) -> list[Stabilizer]:
    """The stabilizers of a width x height rotated patch, sorted by measure-qubit position.

    The X/Z type depends on the global plaquette index, so two patches side by side with an
    even offset, and the merged patch that joins them, agree on every type.
    """
    data = set(data_coords(width, height, x0, y0))
    out = []
    for j in range(y0, y0 + height + 1):
        for i in range(x0, x0 + width + 1):
            basis = "X" if (i + j) % 2 == 1 else "Z"
            if flip:
                basis = "Z" if basis == "X" else "X"
            on_tb = j in (y0, y0 + height)
            on_lr = i in (x0, x0 + width)
            if on_tb and on_lr:
                continue
            if on_tb and basis != ("Z" if flip else "X"):
                continue
            if on_lr and basis != ("X" if flip else "Z"):
                continue
            anc = (2 * i, 2 * j)
            order = _ORDER[_order_key(basis, flip)]
            touched = tuple(
                (anc[0] + dx, anc[1] + dy) if (anc[0] + dx, anc[1] + dy) in data else None for dx, dy in order
            )
            out.append(Stabilizer(basis, anc, touched))
    out.sort(key=lambda s: (s.ancilla[1], s.ancilla[0]))
    return out


def _order_key(basis: str, flip: bool) -> str:
    # The order belongs to the boundary type, not the Pauli: flipping the types flips the orders.
    if not flip:
        return basis
    return "Z" if basis == "X" else "X"


def logical_row(width: int, height: int, x0: int = 0, y0: int = 0) -> list[Coord]:
    """The data qubits of the patch's first row (the logical Z, or X when flipped)."""
    return data_coords(width, 1, x0, y0)


def logical_column(width: int, height: int, x0: int = 0, y0: int = 0) -> list[Coord]:
    """The data qubits of the patch's first column (the logical X, or Z when flipped)."""
    return data_coords(1, height, x0, y0)


def split_bands(count: int, parts: int) -> list[range]:
    """Split ``count`` columns (or rows) into ``parts`` contiguous bands as equal as possible.

    The first bands get the extra line, so an odd patch on two modules is cut just past the
    middle.

    >>> split_bands(3, 2)
    [range(0, 2), range(2, 3)]
    >>> split_bands(10, 2)
    [range(0, 5), range(5, 10)]
    """
    base, extra = divmod(count, parts)
    bands, start = [], 0
    for k in range(parts):
        size = base + (1 if k < extra else 0)
        bands.append(range(start, start + size))
        start += size
    return bands


def ancilla_module(stab: Stabilizer, module_of: dict[Coord, int]) -> int:
    """The module that holds a plaquette's measure qubit: the one with most of its data.

    Ties (a plaquette cut 2 | 2 or 1 | 1) go to the module that holds fewer qubits so far
    (``module_of`` as filled in up to now), then to the lower index, so the two sides of an
    uneven cut even out.
    """
    counts: dict[int, int] = {}
    for q in stab.support:
        counts[module_of[q]] = counts.get(module_of[q], 0) + 1
    load: dict[int, int] = {}
    for m in module_of.values():
        load[m] = load.get(m, 0) + 1
    return min(counts, key=lambda m: (-counts[m], load.get(m, 0), m))
