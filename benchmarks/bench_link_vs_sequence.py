"""Wall time per delivered ebit: ionnet's link layer against SeQUeNCe, side by side.

Run by hand (SeQUeNCe is the optional ``bench`` dependency, PyPI ``sequence`` 0.8.x)::

    .venv/bin/python benchmarks/bench_link_vs_sequence.py            # full run, ~1 minute
    .venv/bin/python benchmarks/bench_link_vs_sequence.py --quick    # shorter SeQUeNCe runs
    .venv/bin/python benchmarks/bench_link_vs_sequence.py --json

Scenarios (same physical parameters on both sides):

1. SeQUeNCe's two-router Barrett-Kok link over 1 km (``RouterNetTopo``, two ``QuantumRouter``
   nodes with one memory each, a meet-in-the-middle BSM node, ``RequestApp`` on both), its
   default memory efficiency 1, fibre attenuation 0.2 dB/km, detector efficiency 0.9.
2. The same with memory efficiency 0.1 (closer to ion light collection).

ionnet models the same link as a ``two_photon`` LinkSpec: per-arm efficiency = memory efficiency
x fibre transmission over 500 m x detector efficiency 0.9, p = ½η² (Barrett & Kok 2005). ionnet
takes the attempt rate as an input; SeQUeNCe's attempt period follows from its protocol's
classical messages, so it is read from the same SeQUeNCe run (attempts / simulated time; the
attempts are counted by wrapping ``BarretKokA.emit_event``, one Python call per round-1
emission). The rates then agree when SeQUeNCe's heralding probability matches ½η², which the
report checks with an exact Poisson interval on SeQUeNCe's count.

Finally: one simulated hour of a 200 ebit/s link (about 720,000 ebits) with ionnet.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from scipy.stats import chi2

from ionnet.hardware import link_physics
from ionnet.hardware.link import LinkSpec
from ionnet.hardware.module import ModuleSpec
from ionnet.link.ebits import generate_ebits
from ionnet.seeding import stream

DISTANCE_M = 1000.0
ATTENUATION_DB_PER_M = 0.0002
DETECTOR_EFFICIENCY = 0.9  # SeQUeNCe's Detector default
RAW_FIDELITY = 0.9


@dataclass(frozen=True)
class SequenceRun:
    """One SeQUeNCe run: delivered ebits, Barrett-Kok attempts, simulated and wall time."""

    memory_efficiency: float
    sim_s: float
    ebits: int
    attempts: int
    wall_s: float

    @property
    def attempt_rate_hz(self) -> float:
        return self.attempts / self.sim_s

    @property
    def rate_hz(self) -> float:
        return self.ebits / self.sim_s

    @property
    def wall_per_ebit_s(self) -> float:
        return self.wall_s / max(self.ebits, 1)


@dataclass(frozen=True)
class IonnetRun:
    """One ionnet stream: delivered ebits over a simulated duration and the wall time."""

    sim_s: float
    ebits: int
    wall_s: float
    analytic_rate_hz: float

    @property
    def wall_per_ebit_s(self) -> float:
        return self.wall_s / max(self.ebits, 1)


def _count_attempts() -> dict[str, int]:
    """Wrap SeQUeNCe's Barrett-Kok emission to count attempts (round-1 emissions of r1)."""
    from sequence.entanglement_management.generation import BarretKokA

    counter = {"attempts": 0}
    original = BarretKokA.emit_event

    def emit_event(self: BarretKokA) -> None:
        if self.ent_round == 1 and self.owner.name == "r1":
            counter["attempts"] += 1
        original(self)

    BarretKokA.emit_event = emit_event  # type: ignore[method-assign]
    return counter


def run_sequence(memory_efficiency: float, sim_s: float, seed: int, counter: dict[str, int]) -> SequenceRun:
    """SeQUeNCe's two-router Barrett-Kok link for ``sim_s`` simulated seconds."""
    from sequence.app.request_app import RequestApp
    from sequence.topology.router_net_topo import RouterNetTopo

    start_ps, ps = int(0.1e12), 1e12
    config = {
        "templates": {"ion": {"MemoryArray": {"fidelity": RAW_FIDELITY, "efficiency": memory_efficiency}}},
        "nodes": [
            {"name": "r1", "type": "QuantumRouter", "seed": seed, "memo_size": 1, "template": "ion"},
            {"name": "r2", "type": "QuantumRouter", "seed": seed + 1, "memo_size": 1, "template": "ion"},
        ],
        "qconnections": [
            {
                "node1": "r1",
                "node2": "r2",
                "attenuation": ATTENUATION_DB_PER_M,
                "distance": DISTANCE_M,
                "type": "meet_in_the_middle",
            }
        ],
        "cconnections": [{"node1": "r1", "node2": "r2", "distance": DISTANCE_M}],
        "stop_time": start_ps + int(sim_s * ps) + int(ps),
    }
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "two_router.json"
        path.write_text(json.dumps(config))
        topo = RouterNetTopo(str(path))
    timeline = topo.get_timeline()
    r1, r2 = topo.get_nodes_by_type(RouterNetTopo.QUANTUM_ROUTER)
    app = RequestApp(r1)
    RequestApp(r2)
    timeline.init()
    app.start("r2", start_ps, start_ps + int(sim_s * ps), 1, RAW_FIDELITY / 2)
    counter["attempts"] = 0
    begin = time.perf_counter()
    timeline.run()
    wall = time.perf_counter() - begin
    return SequenceRun(memory_efficiency, sim_s, app.memory_counter, counter["attempts"], wall)


def ionnet_link(memory_efficiency: float, attempt_rate_hz: float) -> LinkSpec:
    """The same link in ionnet's terms (two_photon, p = ½η²)."""
    return LinkSpec(
        scheme="two_photon",
        attempt_rate_hz=attempt_rate_hz,
        fiber_length_m=DISTANCE_M,
        hom_visibility=1.0,
    ).with_arms(
        emission_probability=memory_efficiency,
        collection_efficiency=1.0,
        fiber_coupling_efficiency=1.0,
        fiber_loss_db_per_km=ATTENUATION_DB_PER_M * 1000.0,
        optics_transmission=1.0,
        detector_efficiency=DETECTOR_EFFICIENCY,
        dark_count_rate_hz=0.0,
        ion_photon_fidelity=1.0,
    )


def run_ionnet(link: LinkSpec, target_ebits: int, seed: int) -> IonnetRun:
    """ionnet's stream of ebits long enough for about ``target_ebits``; best of three timings."""
    rate = link_physics.rate_hz(link)
    duration = target_ebits / rate
    module = ModuleSpec()
    best, count = math.inf, 0
    for repeat in range(3):
        begin = time.perf_counter()
        batch = generate_ebits(link, module, module, stream(seed, "bench", repeat), duration)
        best = min(best, time.perf_counter() - begin)
        count = batch.count
    return IonnetRun(duration, count, best, rate)


def poisson_ci95(count: int) -> tuple[float, float]:
    """Exact (Garwood) 95 % interval of a Poisson mean."""
    low = 0.0 if count == 0 else float(chi2.ppf(0.025, 2 * count)) / 2
    return low, float(chi2.ppf(0.975, 2 * count + 2)) / 2


def scenario(name: str, efficiency: float, seq_sim_s: float, seed: int, counter: dict[str, int]) -> dict:
    """Both simulators on one scenario; the figures of the report."""
    seq = run_sequence(efficiency, seq_sim_s, seed, counter)
    link = ionnet_link(efficiency, seq.attempt_rate_hz)
    ion = run_ionnet(link, 500_000, seed)
    low, high = poisson_ci95(seq.ebits)
    expected = ion.analytic_rate_hz * seq.sim_s
    return {
        "scenario": name,
        "memory_efficiency": efficiency,
        "sequence": dataclasses.asdict(seq)
        | {
            "rate_hz": seq.rate_hz,
            "attempt_rate_hz": seq.attempt_rate_hz,
            "wall_per_ebit_s": seq.wall_per_ebit_s,
        },
        "ionnet": dataclasses.asdict(ion) | {"wall_per_ebit_s": ion.wall_per_ebit_s},
        "sequence_p_success": seq.ebits / max(seq.attempts, 1),
        "ionnet_p_success": link_physics.p_success(link),
        "rates_agree_95": low <= expected <= high,
        "speedup": seq.wall_per_ebit_s / ion.wall_per_ebit_s,
    }


def one_hour_200_hz(seed: int) -> dict:
    """One simulated hour of a 200 ebit/s link (the default link, attempt rate scaled)."""
    base = LinkSpec()
    link = dataclasses.replace(
        base, attempt_rate_hz=base.attempt_rate_hz * 200.0 / link_physics.rate_hz(base)
    )
    module = ModuleSpec()
    begin = time.perf_counter()
    batch = generate_ebits(link, module, module, stream(seed, "bench", "hour"), 3600.0)
    arrays_s = time.perf_counter() - begin
    begin = time.perf_counter()
    records = sum(1 for _ in batch.ebits())
    records_s = time.perf_counter() - begin
    return {
        "rate_hz": link_physics.rate_hz(link),
        "ebits": batch.count,
        "wall_s_arrays": arrays_s,
        "wall_s_ebit_records": records_s,
        "records": records,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="shorter SeQUeNCe runs (fewer ebits)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    counter = _count_attempts()
    sims = (0.03, 1.0) if args.quick else (0.06, 3.0)
    results = [
        scenario("1: Barrett-Kok, 1 km, memory efficiency 1", 1.0, sims[0], args.seed, counter),
        scenario("2: Barrett-Kok, 1 km, memory efficiency 0.1", 0.1, sims[1], args.seed, counter),
    ]
    hour = one_hour_200_hz(args.seed)
    if args.json:
        print(json.dumps({"scenarios": results, "one_hour_200_hz": hour}, indent=2))
        return
    for r in results:
        s, i = r["sequence"], r["ionnet"]
        print(f"Scenario {r['scenario']}")
        print(
            f"  SeQUeNCe: {s['ebits']} ebits in {s['sim_s']:g} s simulated, {s['attempts']} attempts, "
            f"rate {s['rate_hz']:.1f}/s, p {r['sequence_p_success']:.4g}, wall {s['wall_s']:.2f} s, "
            f"{s['wall_per_ebit_s'] * 1e3:.3f} ms/ebit"
        )
        print(
            f"  ionnet:   {i['ebits']} ebits in {i['sim_s']:.4g} s simulated, analytic rate "
            f"{i['analytic_rate_hz']:.1f}/s, p {r['ionnet_p_success']:.4g}, wall {i['wall_s'] * 1e3:.1f} ms, "
            f"{i['wall_per_ebit_s'] * 1e6:.3f} us/ebit"
        )
        print(f"  rates agree (95 % Poisson CI of SeQUeNCe's count): {r['rates_agree_95']}")
        print(f"  ionnet is {r['speedup']:,.0f}x cheaper per ebit")
    print(
        f"One simulated hour at {hour['rate_hz']:.0f} ebit/s: {hour['ebits']} ebits, "
        f"{hour['wall_s_arrays']:.3f} s as arrays, +{hour['wall_s_ebit_records']:.2f} s as Ebit records"
    )


if __name__ == "__main__":
    main()
