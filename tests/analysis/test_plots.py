import json

import pytest

from ionnet.analysis import plots
from ionnet.analysis.spec import sweep_from_dict
from ionnet.analysis.store import ResultStore
from ionnet.analysis.sweep import run_sweep
from ionnet.cli import main
from ionnet.errors import SweepError
from ionnet.runtime.trace import EbitRecord, Trace, TraceOp


@pytest.fixture(scope="module")
def link_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("plots") / "link.db"
    spec = sweep_from_dict({
        "sweep": {"kind": "link", "network": "default"},
        "fixed": {"link.scheme": "single_photon"},
        "axes": {"link.fiber_length_m": {"start": 1, "stop": 1000, "num": 4, "scale": "log"},
                 "link.bright_state_population": [0.05, 0.2], "seed": [3]},
    })  # fmt: skip
    run_sweep(spec, store_path=path, progress=False)
    return path


def _texts(fig):
    return " ".join([fig._suptitle.get_text() if fig._suptitle else ""] + [t.get_text() for t in fig.texts])


def test_rate_vs_length_names_network_seed_and_units(link_store, tmp_path):
    fig = plots.plot_vs_length(plots.load_rows(link_store), group="link.bright_state_population")
    assert "network default" in _texts(fig) and "seed 3" in _texts(fig)
    assert {ax.get_xlabel() for ax in fig.axes} == {"fibre length (m)"}
    assert "ebit rate (1/s)" in [ax.get_ylabel() for ax in fig.axes]
    assert len(fig.axes[0].lines) == 2
    assert plots.save(fig, tmp_path / "f.svg").read_text().startswith("<?xml")


def test_tradeoff_holds_other_axes_and_says_so(link_store, tmp_path):
    rows = plots.load_rows(link_store)
    fig = plots.plot_tradeoff(
        rows, knob="link.bright_state_population", where={"link.fiber_length_m": 1000.0}
    )
    assert "link.fiber_length_m=1000" in _texts(fig)
    path = plots.save(fig, tmp_path / "t.png")
    assert path.read_bytes()[:4] == b"\x89PNG"


def test_csv_and_store_give_the_same_rows(link_store, tmp_path):
    with ResultStore(link_store) as store:
        store.write_csv(tmp_path / "l.csv")
    from_csv = plots.load_rows(tmp_path / "l.csv")
    from_db = plots.load_rows(link_store)
    assert [r["rate_hz"] for r in from_csv] == pytest.approx([r["rate_hz"] for r in from_db])


def test_where_with_an_absent_value_is_an_error(link_store):
    with pytest.raises(SweepError, match="no results"):
        plots.plot_vs_length(plots.load_rows(link_store), where={"link.bright_state_population": 0.9})


def test_bad_suffix_is_named(link_store, tmp_path):
    fig = plots.plot_vs_length(plots.load_rows(link_store))
    with pytest.raises(SweepError, match=r"f\.pdf"):
        plots.save(fig, tmp_path / "f.pdf")


def test_timeline_from_trace_json(tmp_path, capsys):
    trace = Trace(
        ops=[
            TraceOp("m0", "H m0.q0", 0.0, 1e-4, ("m0.q0",)),
            TraceOp("link m0-m1", "attempts x9", 0, 2e-3, (), "attempts"),
            TraceOp("m1", "CX m1.q0 m1.c0", 2e-3, 2.6e-3, ("m1.q0", "m1.c0")),
        ],
        ebits=[EbitRecord(0, ("m0.c0", "m1.c0"), (0, 1), 0.0, 2e-3, 2e-3, 9)],
        num_modules=2,
    )  # fmt: skip
    trace.write_json(tmp_path / "trace.json")
    assert plots.trace_from_dict(json.loads((tmp_path / "trace.json").read_text())).makespan_s == 2.6e-3
    code = main(["plot", "timeline", str(tmp_path / "trace.json"), "--out", str(tmp_path / "tl.png"),
                 "--network-label", "default", "--seed-label", "1"])  # fmt: skip
    assert code == 0
    assert (tmp_path / "tl.png").stat().st_size > 1000


def test_crossover_figure_from_compare_json(tmp_path):
    out = str(tmp_path / "c.json")
    args = ["--family", "ghz", "--sizes", "4,8", "--module-qubits", "4", "--method", "estimate"]
    code = main(["compare", *args, "--vary", "link.hom_visibility=0.9,0.99", "--out", out, "--no-progress"])
    assert code == 0
    fig = plots.plot_crossover(plots.load_json(tmp_path / "c.json"))
    assert "network default" in _texts(fig) and "seed 0" in _texts(fig)
    assert len(fig.axes[0].lines) >= 3  # monolithic + two modular curves


def test_plot_cli_errors_exit_2(tmp_path, capsys):
    assert main(["plot", "rate-vs-length", str(tmp_path / "none.db"), "--out", str(tmp_path / "x.png")]) == 2
    assert "none.db" in capsys.readouterr().err
    (tmp_path / "bad.json").write_text('{"rows": 1}')
    assert main(["plot", "timeline", str(tmp_path / "bad.json"), "--out", str(tmp_path / "x.png")]) == 2
    assert "trace" in capsys.readouterr().err
