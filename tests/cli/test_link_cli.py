import json

import pytest

from ionnet.cli import main
from ionnet.hardware.link import LinkSpec

ISSUE_KEYS = {
    "scheme": '"two_photon"',
    "attempt_rate_hz": "5e5",
    "duty_cycle": "0.8",
    "fiber_length_m": "100.0",
    "fiber_loss_db_per_km": "20.0",
    "emission_probability": "0.6",
    "collection_efficiency": "0.2",
    "fiber_coupling_efficiency": "0.7",
    "conversion_efficiency": "0.9",
    "optics_transmission": "0.85",
    "detector_efficiency": "0.7",
    "dark_count_rate_hz": "50.0",
    "detection_window_s": "1e-7",
    "hom_visibility": "0.95",
    "ion_photon_fidelity": "0.98",
    "bright_state_population": "0.05",
    "communication_ions": "2",
}


def run_json(capsys, *args):
    code = main(["link", *args, "--json"])
    out = capsys.readouterr().out
    assert code == 0
    return json.loads(out)


def write(tmp_path, text):
    path = tmp_path / "link.toml"
    path.write_text(text)
    return str(path)


def test_json_has_the_issue_fields(capsys):
    r = run_json(capsys, "--preset", "oxford-2020", "--duration-s", "5", "--seed", "1")
    for key in ("p_success", "attempt_rate_hz", "rate_hz", "fidelity", "wall_s"):
        assert isinstance(r[key], float)
    sim = r["simulated"]
    assert sim["duration_s"] == 5.0
    low, high = sim["rate_hz_ci95"]
    assert low <= sim["rate_hz"] <= high
    assert low <= r["rate_hz"] <= high  # analytic rate inside the 95 % interval at this seed
    assert r["rate_hz"] == pytest.approx(r["attempt_rate_hz"] * r["p_success"])


def test_same_seed_same_output(capsys):
    a = run_json(capsys, "--preset", "duke-2024", "--duration-s", "2", "--seed", "3")
    b = run_json(capsys, "--preset", "duke-2024", "--duration-s", "2", "--seed", "3")
    c = run_json(capsys, "--preset", "duke-2024", "--duration-s", "2", "--seed", "4")
    assert a["simulated"] == b["simulated"]
    assert a["simulated"] != c["simulated"]


def test_no_pairs_gives_null_fidelity(capsys, tmp_path):
    path = write(tmp_path, "[link]\ndetector_efficiency = 0.0\n")
    r = run_json(capsys, "--config", path, "--duration-s", "1")
    assert r["simulated"]["pairs"] == 0
    assert r["simulated"]["fidelity_mean"] is None
    assert r["simulated"]["rate_hz_ci95"][0] == 0.0


def test_every_issue_key_is_accepted(capsys, tmp_path):
    text = "[link]\n" + "".join(f"{k} = {v}\n" for k, v in ISSUE_KEYS.items())
    r = run_json(capsys, "--config", write(tmp_path, text), "--duration-s", "1")
    link = LinkSpec(attempt_rate_hz=5e5, duty_cycle=0.8, fiber_length_m=100.0, communication_ions=2)
    assert r["attempt_rate_hz"] == pytest.approx(2 * 0.8 * 5e5)
    assert link.fiber_length_m == 100.0
    eta = 0.6 * 0.2 * 0.7 * 10 ** (-20 * 0.05 / 10) * 0.9 * 0.85 * 0.7
    assert r["p_success"] == pytest.approx(0.5 * eta * eta)


def test_config_with_module_table(capsys, tmp_path):
    text = (
        "[link]\nfiber_length_m = 2000.0\nfiber_loss_db_per_km = 0.2\n[module]\ncommunication_t2_s = 1e-4\n"
    )
    short = run_json(
        capsys,
        "--config",
        write(tmp_path, "[link]\nfiber_length_m = 2000.0\nfiber_loss_db_per_km = 0.2\n"),
        "--duration-s",
        "1",
    )
    r = run_json(capsys, "--config", write(tmp_path, text), "--duration-s", "1")
    assert r["fidelity"] < short["fidelity"]


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("[link]\ndetector_efficiency = 1.5\n", "detector_efficiency"),
        ("[link]\nfiber_length_m = -3.0\n", "fiber_length_m"),
        ('[link]\nscheme = "three_photon"\n', "three_photon"),
        ("[link]\ndetector_eff = 0.5\n", "detector_eff"),
        ("[link\n", "malformed TOML"),
        ("[links_table]\nx = 1\n", "links_table"),
        ("[module]\nswap_fidelity = 2.0\n", "swap_fidelity"),
    ],
)
def test_bad_config_exits_2_with_one_line(capsys, tmp_path, text, needle):
    code = main(["link", "--config", write(tmp_path, text), "--json"])
    err = capsys.readouterr().err
    assert code == 2
    assert needle in err
    assert err.count("\n") == 1


def test_unknown_preset_exits_2(capsys):
    assert main(["link", "--preset", "nowhere"]) == 2
    assert "nowhere" in capsys.readouterr().err


def test_bad_duration_exits_2(capsys):
    assert main(["link", "--duration-s", "-1"]) == 2  # a usage error returns 2 (no SystemExit)
    assert "--duration-s" in capsys.readouterr().err


def test_human_output_is_a_table(capsys):
    assert main(["link", "--preset", "innsbruck-230m", "--duration-s", "20"]) == 0
    out = capsys.readouterr().out
    assert "heralded fidelity" in out and "ebits delivered" in out


@pytest.mark.parametrize("count", [0, 1, 2, 7, 40, 2300, 10**5, 10**7])
def test_poisson_interval_matches_scipy(count: int) -> None:
    from scipy.stats import chi2

    from ionnet.cli.link import poisson_rate_ci95

    low, high = poisson_rate_ci95(count, 2.0)
    expected_low = 0.0 if count == 0 else chi2.ppf(0.025, 2 * count) / 4
    assert low == pytest.approx(expected_low, rel=1e-10, abs=1e-300)
    assert high == pytest.approx(chi2.ppf(0.975, 2 * count + 2) / 4, rel=1e-10)
