"""Memory a state-vector run will need, checked before it starts.

A run that does not fit is refused with a :class:`~ionnet.errors.BackendError` naming the
qubits, the bytes needed and the bytes available, instead of being killed by the kernel's
out-of-memory handler half-way. Available memory is the smaller of the system's
``MemAvailable`` (``/proc/meminfo``) and what the cgroup limit leaves (``memory.max`` minus
``memory.current``, cgroup v2; ``memory.limit_in_bytes`` minus ``memory.usage_in_bytes``, v1).

>>> needed_bytes("trajectories", 20)
50331648
>>> check_memory("trajectories", 20, available=10**12)
>>> try:
...     check_memory("density", 14, available=10**9)
... except BackendError as exc:
...     print(str(exc)[:75])
the density path on 14 qubits needs 12884901888 bytes (12.9 GB: 3 copies of
"""

from __future__ import annotations

import os
from pathlib import Path

from ionnet.errors import BackendError

COPIES = {"trajectories": 6, "statevector": 3, "density": 3}
"""States held at once: the trajectory walk keeps the shared prefix, a branch, a matrix
product's input transposition and output, and the final state copied for the fidelity."""
AMPLITUDE_BYTES = {"trajectories": 8, "statevector": 16, "density": 16}
"""complex64 on the fast path (runtime.kernel), complex128 on the ionnet.states backends."""


def needed_bytes(path: str, qubits: int) -> int:
    """Bytes a run on ``path`` needs with ``qubits`` live qubits at its widest."""
    amplitudes = 4**qubits if path == "density" else 2**qubits
    return COPIES[path] * AMPLITUDE_BYTES[path] * amplitudes


def available_bytes() -> int | None:
    """Memory this process may still allocate, or None when it cannot be told."""
    candidates: list[int] = []
    meminfo = _read("/proc/meminfo")
    if meminfo:
        for line in meminfo.splitlines():
            if line.startswith("MemAvailable:"):
                candidates.append(int(line.split()[1]) * 1024)
    for limit_file, usage_file in (
        ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"),
        ("/sys/fs/cgroup/memory/memory.limit_in_bytes", "/sys/fs/cgroup/memory/memory.usage_in_bytes"),
    ):
        limit, usage = _read(limit_file), _read(usage_file)
        if limit and usage and limit.strip().isdigit() and usage.strip().isdigit():
            left = int(limit) - int(usage)
            if left < 1 << 60:
                candidates.append(max(left, 0))
    if not candidates:
        try:
            candidates.append(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
        except (ValueError, OSError):
            return None
    return min(candidates)


def check_memory(path: str, qubits: int, available: int | None = None) -> None:
    """Raise BackendError when a run on ``path`` with ``qubits`` live qubits cannot fit in memory.

    Args:
        path: ``trajectories``, ``statevector`` or ``density``.
        qubits: Live qubits at the widest point (data slots and communication ions).
        available: Bytes available (default: :func:`available_bytes`).
    """
    need = needed_bytes(path, qubits)
    have = available_bytes() if available is None else available
    if have is None or need <= have:
        return
    exponent = 2 * qubits if path == "density" else qubits
    raise BackendError(
        f"the {path} path on {qubits} qubits needs {need} bytes ({need / 1e9:.1f} GB: {COPIES[path]} "
        f"copies of 2^{exponent} amplitudes of {AMPLITUDE_BYTES[path]} bytes), but only {have} bytes "
        f"({have / 1e9:.1f} GB) of memory are available; use fewer qubits per module or program"
    )


def _read(path: str) -> str | None:
    try:
        return Path(path).read_text()
    except OSError:
        return None
