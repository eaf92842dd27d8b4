"""Draw a Trace as a timeline picture: one lane per module and per link (matplotlib, Agg).

>>> import tempfile, pathlib
>>> from ionnet.runtime.trace import Trace, TraceOp
>>> t = Trace([TraceOp("m0", "H m0.q0", 0.0, 1e-4, ("m0.q0",))], [], num_modules=1)
>>> path = draw_timeline(t, pathlib.Path(tempfile.mkdtemp()) / "t.png")
>>> path.stat().st_size > 1000
True
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.patches import Patch

from ionnet.runtime.trace import Trace

COLOURS = {
    "gate1": "#4C72B0",
    "gate2": "#DD8452",
    "measure": "#55A868",
    "reset": "#8172B3",
    "attempts": "#C44E52",
    "send": "#937860",
}
LEGEND = {
    "gate1": "1-qubit gate",
    "gate2": "2-qubit gate",
    "measure": "measure",
    "reset": "reset",
    "attempts": "ebit generation",
    "send": "classical message",
}


def _colour(kind: str, qubits: tuple[str, ...]) -> str:
    if kind == "gate":
        return COLOURS["gate2" if len(qubits) == 2 else "gate1"]
    return COLOURS.get(kind, "#999999")


def draw_timeline(trace: Trace, path: str | Path, title: str = "") -> Path:
    """Write the timeline PNG to ``path`` (folders created); returns the path.

    Time is in milliseconds; ebit heralds are marked with a tick on their link lane.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    lanes = trace.lanes()
    row = {lane: i for i, lane in enumerate(lanes)}
    fig, ax = plt.subplots(figsize=(11, 0.7 * len(lanes) + 1.6))
    for op in trace.ops:
        y = row[op.lane]
        height = 0.35 if op.kind == "send" else 0.7
        offset = 0.35 if op.kind == "send" else 0.0
        width = max(op.duration_s, 0.0) * 1e3
        ax.broken_barh(
            [(op.start_s * 1e3, width)],
            (y - 0.35 + offset, height),
            facecolors=_colour(op.kind, op.qubits),
            edgecolor="white",
            linewidth=0.2,
        )
    for e in trace.ebits:
        lane = f"link m{e.link[0]}-m{e.link[1]}"
        if lane in row:
            ax.plot([e.herald_s * 1e3], [row[lane]], marker="|", color="black", markersize=12)
    ax.set_yticks(range(len(lanes)), lanes)
    ax.invert_yaxis()
    ax.set_xlabel("simulated time (ms)")
    ax.set_title(title or f"timeline: makespan {trace.makespan_s * 1e3:.3f} ms, {len(trace.ebits)} ebits")
    handles = [Patch(color=COLOURS[k], label=v) for k, v in LEGEND.items()]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=6, fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
