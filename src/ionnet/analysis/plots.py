"""Figures from sweep results, comparisons and run traces (matplotlib, Agg backend; PNG or SVG).

Every figure's axes carry units and its title says which network and seed produced it.

* :func:`plot_vs_length`: ebit rate and heralded fidelity against fibre length (a link sweep);
* :func:`plot_tradeoff`: fidelity against rate, coloured by a knob such as the bright-state
  population or the collection efficiency (a link sweep);
* :func:`plot_success_vs_modules`: success probability against the number of modules (a run sweep);
* :func:`plot_crossover`: success and time to solution of both machines against size (``ionnet
  compare --out``);
* :func:`plot_timeline`: the operations of each module and link over time (a run's trace JSON,
  drawn by the runtime's :func:`ionnet.runtime.timeline.draw_timeline`).

Sweep rows come from :func:`load_rows` (a result store ``.db`` or a sweep CSV). Axes not plotted
are held at one value each (``where``, else their first value), and the figure says so.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import matplotlib
import matplotlib.ticker

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from ionnet.analysis.store import ResultStore, record_row
from ionnet.errors import SweepError
from ionnet.fileio import read_text_file, replacing
from ionnet.runtime.timeline import draw_timeline
from ionnet.runtime.trace import EbitRecord, Trace, TraceOp

Row = dict[str, Any]
UNITS = {
    "link.fiber_length_m": "fibre length (m)",
    "rate_hz": "ebit rate (1/s)",
    "sim_rate_hz": "simulated ebit rate (1/s)",
    "fidelity": "heralded fidelity",
    "p_success": "success probability per attempt",
    "link.collection_efficiency": "collection efficiency",
    "link.bright_state_population": "bright-state population α",
    "network.modules": "modules",
    "success_probability": "success probability",
    "makespan_s": "makespan (s)",
    "qubits": "total qubits",
    "time_to_solution_s": "time to solution (s)",
}
_META = {"task_id", "network", "seed", "error"}


def label(name: str) -> str:
    """Axis label with units for a column name.

    >>> label("rate_hz"), label("link.hom_visibility")
    ('ebit rate (1/s)', 'link.hom_visibility')
    """
    return UNITS.get(name, name)


def load_rows(path: str | Path) -> list[Row]:
    """Rows of a result store (``.db``) or a sweep CSV, numbers parsed.

    Raises SweepError naming the file when it is missing, unreadable, not an ionnet store, not
    a CSV with a header and rows of the same width, or holds no rows.
    """
    path = Path(path)
    if not path.exists():
        raise SweepError(f"no such results file: {path}")
    if path.suffix == ".db":
        with ResultStore(path, readonly=True) as store:
            rows = [record_row(r) for r in store.records()]
    else:
        rows = _csv_rows(path)
    if not rows:
        raise SweepError(f"results file {path} holds no points")
    return rows


def _csv_rows(path: Path) -> list[Row]:
    text = read_text_file(path, "sweep CSV", SweepError)
    try:
        reader = csv.DictReader(text.splitlines())
        rows = list(reader)
    except csv.Error as exc:
        raise SweepError(f"sweep CSV {path}: malformed CSV: {exc}") from None
    header = reader.fieldnames or []
    if "task_id" not in header:
        raise SweepError(f"{path} is not a sweep CSV (no task_id column; header {header[:6]!r})")
    for number, row in enumerate(rows, start=2):
        if None in row or None in row.values():
            raise SweepError(f"sweep CSV {path}: line {number} has {len(row) - (None in row)} cells for "
                             f"{len(header)} columns")  # fmt: skip
    return [{k: parse_value(v) for k, v in row.items()} for row in rows]


def require_numbers(rows: Sequence[Row], columns: Sequence[str], figure: str) -> None:
    """Raise SweepError unless every row has a finite number in each of ``columns``.

    >>> require_numbers([{"rate_hz": 1.0}], ["rate_hz"], "rate-vs-length")
    >>> require_numbers([{"rate_hz": "x"}], ["rate_hz"], "tradeoff")
    Traceback (most recent call last):
    ...
    ionnet.errors.SweepError: tradeoff needs the column(s) rate_hz with numbers (row 1 has rate_hz = 'x')
    """
    for i, row in enumerate(rows, start=1):
        for column in columns:
            value = row.get(column)
            number = isinstance(value, int | float) and not isinstance(value, bool)
            if not (number and abs(value) <= 1e300):  # type: ignore[arg-type]  # NaN, inf, huge ints
                shown = "no such column" if column not in row else f"{column} = {value!r}"
                raise SweepError(
                    f"{figure} needs the column(s) {', '.join(columns)} with numbers (row {i} has {shown})"
                )


def parse_value(text: str) -> Any:
    """A CSV cell or CLI value: int, else float, else the text."""
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return text


def select(
    rows: Sequence[Row], keep: Sequence[str], where: Mapping[str, Any] | None = None
) -> tuple[list[Row], dict]:
    """Rows with every other axis held at one value: ``where``'s, else its first (sorted) value.

    Axes are the dotted columns (``link.fiber_length_m``) and ``seed``/``shots``/``duration_s``.
    Returns the rows and the values held. Rows with an error are dropped.

    >>> rows = [{"link.a": 1, "seed": 1}, {"link.a": 2, "seed": 1}, {"link.a": 1, "seed": 2}]
    >>> select(rows, ["link.a"])
    ([{'link.a': 1, 'seed': 1}, {'link.a': 2, 'seed': 1}], {'seed': 1})
    """
    where = dict(where or {})
    rows = [r for r in rows if not r.get("error")]
    axes = [k for k in _axis_columns(rows) if k not in keep]
    held = {}
    for axis in axes:
        values = sorted({r[axis] for r in rows if axis in r}, key=_sort_key)
        if not values:
            continue
        held[axis] = where.get(axis, values[0])
        rows = [r for r in rows if _same(r.get(axis), held[axis])]
    if not rows:
        raise SweepError(f"no results left after holding {held}")
    return rows, held


def _axis_columns(rows: Sequence[Row]) -> list[str]:
    names = {k for r in rows for k in r}
    return sorted(k for k in names if "." in k or k in ("seed", "shots", "duration_s"))


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(a - b) <= 1e-12 * max(1.0, abs(a), abs(b))
    return str(a) == str(b)


def _sort_key(v: Any) -> tuple[int, Any]:
    return (0, v) if isinstance(v, int | float) else (1, str(v))


def _title(fig: Figure, what: str, rows: Sequence[Row], held: Mapping[str, Any]) -> None:
    networks = sorted({str(r.get("network", "?")) for r in rows})
    seeds = sorted({r.get("seed", "?") for r in rows}, key=_sort_key)
    fig.suptitle(f"{what}\nnetwork {', '.join(networks)}; seed {', '.join(map(str, seeds))}", fontsize=10)
    if held:
        text = "held: " + ", ".join(
            f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}" for k, v in held.items()
        )
        fig.text(0.01, 0.01, text, fontsize=7, color="0.35")


def _short(value: Any) -> str:
    return f"{value:.3g}" if isinstance(value, float) else str(value)


def _groups(rows: Sequence[Row], group: str | None) -> dict[Any, list[Row]]:
    out: dict[Any, list[Row]] = {}
    for r in rows:
        out.setdefault(r.get(group) if group else None, []).append(r)
    return dict(sorted(out.items(), key=lambda kv: _sort_key(kv[0])))


def plot_vs_length(
    rows: Sequence[Row], group: str | None = None, where: Mapping[str, Any] | None = None
) -> Figure:
    """Ebit rate (log) and heralded fidelity against fibre length (log), one line per ``group``."""
    x = "link.fiber_length_m"
    rows, held = select(rows, [x, *([group] if group else [])], where)
    require_numbers(rows, [x, "rate_hz", "fidelity"], "rate-vs-length")
    fig, (ax_rate, ax_fid) = plt.subplots(1, 2, figsize=(10, 4.2))
    for value, items in _groups(rows, group).items():
        items = sorted(items, key=lambda r: r[x])
        name = f"{group}={_short(value)}" if group else None
        ax_rate.plot([r[x] for r in items], [r["rate_hz"] for r in items], marker=".", label=name)
        ax_fid.plot([r[x] for r in items], [r["fidelity"] for r in items], marker=".", label=name)
    for ax, y in ((ax_rate, "rate_hz"), (ax_fid, "fidelity")):
        ax.set_xscale("log")
        ax.set_xlabel(label(x))
        ax.set_ylabel(label(y))
        ax.grid(True, which="both", alpha=0.3)
    ax_rate.set_yscale("log")
    if group:
        ax_rate.legend(fontsize=7)
    _title(fig, "Ebit rate and fidelity against fibre length", rows, held)
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return fig


def plot_tradeoff(rows: Sequence[Row], knob: str, where: Mapping[str, Any] | None = None) -> Figure:
    """Heralded fidelity against ebit rate as ``knob`` varies (colour = knob value)."""
    rows, held = select(rows, [knob], where)
    require_numbers(rows, [knob, "rate_hz", "fidelity"], "tradeoff")
    rows = sorted(rows, key=lambda r: r[knob])
    fig, ax = plt.subplots(figsize=(6, 4.5))
    points = ax.scatter(
        [r["rate_hz"] for r in rows], [r["fidelity"] for r in rows], c=[r[knob] for r in rows]
    )
    ax.plot([r["rate_hz"] for r in rows], [r["fidelity"] for r in rows], color="0.7", zorder=0)
    fig.colorbar(points, ax=ax, label=label(knob))
    ax.set_xscale("log")
    ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    ax.set_xlabel(label("rate_hz"))
    ax.set_ylabel(label("fidelity"))
    ax.grid(True, which="both", alpha=0.3)
    _title(fig, f"Rate-fidelity trade-off against {label(knob)}", rows, held)
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return fig


def plot_success_vs_modules(
    rows: Sequence[Row], group: str | None = "circuit.family", where: Mapping[str, Any] | None = None
) -> Figure:
    """Success probability (and makespan) against the number of modules, one line per ``group``."""
    x = "network.modules"
    group = group if group and any(group in r for r in rows) else None
    rows, held = select(rows, [x, *([group] if group else [])], where)
    require_numbers(rows, [x, "success_probability", "makespan_s"], "success-vs-modules")
    fig, (ax_s, ax_t) = plt.subplots(1, 2, figsize=(10, 4.2))
    for value, items in _groups(rows, group).items():
        items = sorted(items, key=lambda r: r[x])
        name = f"{group}={_short(value)}" if group else None
        ax_s.plot([r[x] for r in items], [r["success_probability"] for r in items], marker="o", label=name)
        ax_t.plot([r[x] for r in items], [r["makespan_s"] for r in items], marker="o", label=name)
    for ax, y in ((ax_s, "success_probability"), (ax_t, "makespan_s")):
        ax.set_xlabel(label(x))
        ax.set_ylabel(label(y))
        ax.grid(True, alpha=0.3)
    ax_t.set_yscale("log")
    if group:
        ax_s.legend(fontsize=8)
    _title(fig, "Success against number of modules", rows, held)
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return fig


def plot_crossover(comparison: Mapping[str, Any]) -> Figure:
    """Success and time to solution of both machines against size (``ionnet compare`` JSON).

    The monolithic machine is black and dashed; each link setting's modular machine has a colour,
    its legend gives the link's ebit rate and fidelity, and a dotted line marks its crossover.
    """
    check_comparison(comparison)
    fig, (ax_s, ax_t) = plt.subplots(1, 2, figsize=(10, 4.4))
    rows = [r for r in comparison["rows"] if not r.get("error")]
    settings = comparison["crossovers"]
    first = settings[0]["vary_value"]  # the monolithic machine does not depend on the link
    mono = [r for r in rows if r["machine"] == "monolithic" and r["vary_value"] == first]
    mono.sort(key=lambda r: r["qubits"])
    _curves(ax_s, ax_t, mono, "k", "--", "monolithic")
    for i, c in enumerate(settings):
        items = sorted(
            (r for r in rows if r["machine"] == "modular" and r["vary_value"] == c["vary_value"]),
            key=lambda r: r["qubits"],
        )
        value = f"{c['vary_value']:.3g}, " if isinstance(c["vary_value"], float) else ""
        name = f"modular ({value}{c['link_rate_hz']:.3g} ebit/s, F={c['link_fidelity']:.3f})"
        _curves(ax_s, ax_t, items, f"C{i}", "-", name)
        if c["crossover_qubits"] is not None:
            ax_s.axvline(c["crossover_qubits"], color=f"C{i}", alpha=0.5, linestyle=":")
    sizes = sorted({r["qubits"] for r in rows})
    for ax, y in ((ax_s, "success_probability"), (ax_t, "time_to_solution_s")):
        ax.set_xscale("log", base=2)
        ax.set_xticks(sizes, [str(n) for n in sizes])
        ax.minorticks_off()
        ax.set_xlabel(label("qubits"))
        ax.set_ylabel(label(y))
        ax.grid(True, alpha=0.3)
    ax_t.set_yscale("log")
    ax_s.legend(fontsize=7, title=comparison.get("vary"), title_fontsize=7)
    law = comparison["law"]
    fig.suptitle(
        f"Modular ({comparison['module_qubits']} qubits/module) vs monolithic, {comparison['family']}; "
        f"dotted: crossover\nnetwork {comparison['network']}; seed {comparison['seed']}; chain law "
        f"(assumption): α={law['infidelity_exponent']}, β={law['time_exponent']}, "
        f"N_ref={law['reference_ions']}",
        fontsize=10,
    )
    fig.tight_layout()
    return fig


_COMPARISON_KEYS = ("rows", "crossovers", "law", "module_qubits", "family", "network", "seed")
_ROW_KEYS = ("machine", "vary_value", "qubits", "success_probability", "time_to_solution_s")
_CROSSOVER_KEYS = ("vary_value", "link_rate_hz", "link_fidelity", "crossover_qubits")
_LAW_KEYS = ("infidelity_exponent", "time_exponent", "reference_ions")


def check_comparison(data: Mapping[str, Any]) -> None:
    """Raise SweepError unless ``data`` has the fields of ``ionnet compare --out`` JSON."""

    def fail(what: str) -> SweepError:
        return SweepError(f"not an 'ionnet compare --out' JSON: {what}")

    missing = [k for k in _COMPARISON_KEYS if k not in data]
    if missing:
        raise fail(f"missing {', '.join(missing)}")
    for key, keys in (("rows", _ROW_KEYS), ("crossovers", _CROSSOVER_KEYS)):
        items = data[key]
        if not isinstance(items, list) or not items or not all(isinstance(i, Mapping) for i in items):
            raise fail(f"'{key}' must be a non-empty list of objects")
        for i, item in enumerate(items):
            lost = [k for k in keys if k not in item]
            if lost:
                raise fail(f"{key}[{i}] lacks {', '.join(lost)}")
    if not isinstance(data["law"], Mapping) or any(k not in data["law"] for k in _LAW_KEYS):
        raise fail(f"'law' must hold {', '.join(_LAW_KEYS)}")
    good = [r for r in data["rows"] if not r.get("error")]
    numbers = ("qubits", "success_probability", "time_to_solution_s")
    require_numbers(good, numbers, "crossover")
    if any(not 1 <= r["qubits"] <= 10**6 for r in good):
        raise fail("each row's qubits must be in [1, 1000000]")
    for c in data["crossovers"]:
        if not all(
            isinstance(c[k], int | float) and not isinstance(c[k], bool) for k in _CROSSOVER_KEYS[1:3]
        ):
            raise fail(f"link_rate_hz and link_fidelity must be numbers (got {c['link_rate_hz']!r}, "
                       f"{c['link_fidelity']!r})")  # fmt: skip
        if c["crossover_qubits"] is not None and not isinstance(c["crossover_qubits"], int | float):
            raise fail(f"crossover_qubits must be a number or null (got {c['crossover_qubits']!r})")
    if any(r["machine"] not in ("monolithic", "modular") for r in data["rows"]):
        raise fail("each row's machine must be monolithic or modular")
    if any(r["time_to_solution_s"] <= 0 for r in good):
        raise fail("each row's time_to_solution_s must be > 0 (it is drawn on a log axis)")
    values = {repr(r["vary_value"]) for r in good}
    lost = [c["vary_value"] for c in data["crossovers"] if repr(c["vary_value"]) not in values]
    if lost:
        raise fail(f"no row has the vary_value {lost[0]!r} of a crossover")


def _curves(ax_s: Any, ax_t: Any, items: Sequence[Row], colour: str, style: str, name: str) -> None:
    xs = [r["qubits"] for r in items]
    ax_s.plot(xs, [r["success_probability"] for r in items], style, marker="o", color=colour, label=name)
    ax_t.plot(xs, [r["time_to_solution_s"] for r in items], style, marker="o", color=colour, label=name)


def trace_from_dict(data: Mapping[str, Any]) -> Trace:
    """Rebuild the runtime's Trace from its JSON (``ionnet run --trace FILE``)."""
    try:
        ops = [TraceOp(**{**op, "qubits": tuple(op.get("qubits", ()))}) for op in data["ops"]]
        ebits = [
            EbitRecord(**{**e, "qubits": tuple(e["qubits"]), "link": tuple(e["link"])})
            for e in data.get("ebits", [])
        ]
        modules = {int(op.lane[1:]) for op in ops if not op.lane.startswith("link")}
        trace = Trace(ops=ops, ebits=ebits, num_modules=max(modules, default=-1) + 1)
        _ = trace.makespan_s
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise SweepError(
            f"not a run trace (expected 'ops' and 'ebits' as written by ionnet run --trace): "
            f"{type(exc).__name__}: {exc}"
        ) from None
    _check_trace(trace)
    return trace


def _check_trace(trace: Trace) -> None:
    """Every op has a lane and finite times, end >= start, and modules in a sane range."""
    if trace.num_modules > 4096:
        raise SweepError(f"run trace names module m{trace.num_modules - 1} (limit m4095)")
    for op in trace.ops:
        if not isinstance(op.lane, str) or not isinstance(op.label, str):
            raise SweepError(f"run trace: op lane and label must be strings (got {op.lane!r}, {op.label!r})")
        times = (op.start_s, op.end_s)
        if not all(isinstance(t, int | float) and not isinstance(t, bool) and t == t and abs(t) < 1e12
                   for t in times) or op.end_s < op.start_s:  # fmt: skip
            raise SweepError(f"run trace: op {op.label!r} on {op.lane!r} has bad times {times!r}")


def plot_timeline(trace: Mapping[str, Any], path: str | Path, network: str = "?", seed: Any = "?") -> Path:
    """Draw a run's trace JSON with the runtime's timeline (lanes per module and link)."""
    rebuilt = trace_from_dict(trace)
    title = (
        f"run timeline: makespan {rebuilt.makespan_s * 1e3:.3f} ms, {len(rebuilt.ebits)} ebits\n"
        f"network {network}; seed {seed}"
    )
    path = _figure_path(path)
    with replacing(path) as tmp:
        draw_timeline(rebuilt, tmp, title=title)
    return path


def _figure_path(path: str | Path) -> Path:
    path = Path(path)
    if path.suffix.lower() not in (".png", ".svg"):
        raise SweepError(f"figure file must end in .png or .svg (got {path.name!r})")
    return path


def save(fig: Figure, path: str | Path) -> Path:
    """Save as PNG or SVG (by suffix) and close the figure (through a temporary file)."""
    path = _figure_path(path)
    try:
        with replacing(path) as tmp:
            fig.savefig(tmp, dpi=120)
    finally:
        plt.close(fig)
    return path


def load_json(path: str | Path) -> dict[str, Any]:
    """Read a comparison or trace JSON file (a JSON object)."""
    text = read_text_file(path, "JSON file", SweepError)
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise SweepError(f"JSON file {path} is malformed: {exc}") from None
    if not isinstance(data, dict):
        raise SweepError(f"JSON file {path} must hold one object (got {type(data).__name__})")
    return data
