"""Elementwise kernels that apply a one- or two-qubit matrix to axes of a ``(2,)*m`` tensor.

The tensor is viewed as ``(A, 2, B)`` or ``(A, 2, B, 2, C)`` around the gate axes; each output
slice is a linear combination of input slices, skipping zero matrix entries. Diagonal matrices
multiply in place, monomial ones (X, CX, SWAP, Paulis) only move slices. Only numpy ufuncs are
used: no BLAS (its threads stall on a shared machine) and no transposition. The statevector
backend applies them to its state, the density-matrix backend to the row and column axes of ρ.

>>> psi = np.zeros((2, 2), dtype=complex); psi[0, 0] = 1
>>> out = apply_matrix(psi, np.array([[0, 1], [1, 0]]), [1])
>>> out.reshape(-1).real.tolist()
[0.0, 1.0, 0.0, 0.0]
"""

from __future__ import annotations

import itertools

import numpy as np

from ionnet.states.gates import Matrix

Index = tuple[int | slice, ...]


def view_around(tensor: np.ndarray, axes: list[int]) -> np.ndarray:
    """``tensor`` (contiguous, ``(2,)*m``) reshaped to ``(A, 2, B[, 2, C])`` around sorted ``axes``."""
    shape: list[int] = []
    prev = 0
    for a in axes:
        shape += [2 ** (a - prev), 2]
        prev = a + 1
    shape.append(2 ** (tensor.ndim - prev))
    return tensor.reshape(shape)


def basis_slices(ndim: int, k: int) -> list[Index]:
    """Index tuples selecting each basis state of the k gate axes in a ``view_around`` array."""
    out = []
    for bits in itertools.product(range(2), repeat=k):
        index: list[int | slice] = [slice(None)] * ndim
        for position, bit in zip((1, 3), bits, strict=False):
            index[position] = bit
        out.append(tuple(index))
    return out


def ascending(u: Matrix, axes: list[int]) -> tuple[Matrix, list[int]]:
    """The matrix rewritten for the gate axes in ascending order (two-qubit gates)."""
    if len(axes) == 2 and axes[0] > axes[1]:
        perm = [0, 2, 1, 3]
        return u[np.ix_(perm, perm)], axes[::-1]
    return u, axes


def is_diagonal(u: Matrix) -> bool:
    """True when only the diagonal of ``u`` is non-zero."""
    return not np.any((u != 0) & ~np.eye(len(u), dtype=bool))


def is_monomial(u: Matrix) -> bool:
    """True when ``u`` has exactly one non-zero entry in each row and column."""
    nonzero = u != 0
    return bool(np.all(nonzero.sum(axis=0) == 1) and np.all(nonzero.sum(axis=1) == 1))


def apply_sliced(u: Matrix, view: np.ndarray, out: np.ndarray) -> np.ndarray:
    """Apply ``u`` to the gate axes of ``view``; return the result (``view`` itself if diagonal).

    ``out`` (same shape as ``view``, not overlapping it) receives the result otherwise.
    """
    k = 1 if view.ndim == 3 else 2
    slices = basis_slices(view.ndim, k)
    if is_diagonal(u):
        for i, index in enumerate(slices):
            if u[i, i] != 1:
                view[index] *= u[i, i]
        return view
    if is_monomial(u):
        for r, c in zip(*np.nonzero(u), strict=True):
            np.multiply(view[slices[c]], u[r, c], out=out[slices[r]])
        return out
    scratch = np.empty_like(view[slices[0]])
    for r, target in enumerate(slices):
        columns = np.flatnonzero(u[r])
        if columns.size == 0:
            out[target] = 0
            continue
        np.multiply(view[slices[columns[0]]], u[r, columns[0]], out=out[target])
        for c in columns[1:]:
            np.multiply(view[slices[c]], u[r, c], out=scratch)
            out[target] += scratch
    return out


def apply_matrix(tensor: np.ndarray, u: Matrix, axes: list[int], out: np.ndarray | None = None) -> np.ndarray:
    """``u`` applied to ``axes`` of a contiguous ``(2,)*m`` tensor (1 or 2 axes).

    The result is ``tensor`` itself (diagonal ``u``, changed in place) or ``out`` (a buffer of
    the same size that must not overlap ``tensor``; a new array when None).
    """
    u, axes = ascending(np.asarray(u, dtype=complex), axes)
    view = view_around(tensor, axes)
    buffer = np.empty_like(view) if out is None else out.reshape(view.shape)
    return apply_sliced(u, view, buffer).reshape(tensor.shape)
