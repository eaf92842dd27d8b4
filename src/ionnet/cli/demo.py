"""``ionnet demo``: a tour of the built-in ``default`` network as readable tables.

The demo is a list of sections (:data:`SECTIONS`); each is a function ``(DemoContext) -> rich
renderable``. Later layers add their sections by appending to the list (or by extending
:func:`sections`), e.g. a compiled and executed program on the same network.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ionnet.cli.common import add_seed_option

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.table import Table

    from ionnet.hardware.link_physics import LinkBudget
    from ionnet.hardware.network import NetworkSpec

DEMO_DURATION_S = 5.0


@dataclass(frozen=True)
class DemoContext:
    """What every demo section may use: the network, its first link's budget and the seed."""

    network: NetworkSpec
    budget: LinkBudget
    seed: int
    duration_s: float


Section = Callable[[DemoContext], Any]


def _table(title: str, rows: list[tuple[str, str]]) -> Table:
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    table.add_column("quantity")
    table.add_column("value", justify="right")
    for row in rows:
        table.add_row(*row)
    return table


def network_section(ctx: DemoContext) -> RenderableType:
    """The modules and how they are linked."""
    net, m = ctx.network, ctx.network.modules[0]
    return _table(
        f"Network '{net.name}': {net.description}",
        [
            ("modules x data qubits", f"{net.num_modules} x {m.data_qubits}"),
            ("memory / communication ions", f"{m.memory_species} / {m.communication_species}"),
            ("two-qubit gate", f"{m.two_qubit_gate_time_s * 1e6:g} us, F = {m.two_qubit_gate_fidelity}"),
            ("memory T2 / communication T2", f"{m.memory_t2_s:g} s / {m.communication_t2_s:g} s"),
            ("topology, links", f"{net.topology}, {len(net.edges)}"),
        ],
    )


def link_section(ctx: DemoContext) -> RenderableType:
    """The analytic link budget."""
    b, link = ctx.budget, ctx.network.link
    return _table(
        f"Photonic link: {link.scheme}, {link.fiber_length_m:g} m fibre",
        [
            ("arm efficiency", f"{b.eta_a:.4g}"),
            ("success probability per attempt", f"{b.p_success:.3g}"),
            ("attempt rate", f"{b.attempt_rate_hz:.3g} /s"),
            ("mean ebit rate", f"{b.rate_hz:.1f} /s"),
            ("false-herald fraction", f"{b.false_herald_fraction:.2g}"),
            ("heralded fidelity", f"{b.fidelity:.4f}"),
        ],
    )


def ebit_section(ctx: DemoContext) -> RenderableType:
    """A simulated run of ebit generation, with storage decay and one purification round."""
    from ionnet.link.ebits import generate_ebits
    from ionnet.link.memory import stored_state
    from ionnet.seeding import stream

    net = ctx.network
    a, b = net.modules[0], net.modules[1]
    start = time.perf_counter()
    batch = generate_ebits(net.link, a, b, stream(ctx.seed, "demo", "link"), ctx.duration_s)
    wall = time.perf_counter() - start
    state = ctx.budget.state
    after_10ms = stored_state(state, 0.01, a, b, "memory")
    return _table(
        f"Simulated ebit generation: {ctx.duration_s:g} s (seed {ctx.seed})",
        [
            ("ebits delivered", str(batch.count)),
            ("simulated rate", f"{batch.rate_hz():.1f} /s (analytic {ctx.budget.rate_hz:.1f})"),
            ("mean fidelity", f"{batch.fidelities.mean():.4f}" if batch.count else "n/a"),
            ("fidelity after 10 ms in memory", f"{after_10ms.fidelity:.4f}"),
            ("BBPSSW / DEJMPS on two fresh pairs", _purified(state)),
            ("wall time", f"{wall * 1e3:.1f} ms"),
        ],
    )


def _purified(state: Any) -> str:
    from ionnet.link.purification import bbpssw, dejmps

    r1, r2 = bbpssw(state, state), dejmps(state, state)
    return (
        f"F {r1.state.fidelity:.4f} (p {r1.success_probability:.2f}) / "
        f"F {r2.state.fidelity:.4f} (p {r2.success_probability:.2f})"
    )


def _runtime_section(name: str) -> Section:
    """The section ``name`` of :mod:`ionnet.cli.demo_runtime`, imported when the demo runs."""

    def section(ctx: DemoContext) -> Any:
        from ionnet.cli import demo_runtime

        return getattr(demo_runtime, name)(ctx)

    section.__name__ = section.__qualname__ = name
    section.__doc__ = f"ionnet.cli.demo_runtime.{name} (qiskit and the runtime load when it runs)."
    return section


RUNTIME_SECTIONS = ("ebit_run_section", "protocol_section", "algorithms_section")
"""= the names of ionnet.cli.demo_runtime.SECTIONS, in order."""
SECTIONS: list[Section] = [
    network_section,
    link_section,
    ebit_section,
    *(_runtime_section(name) for name in RUNTIME_SECTIONS),
]
"""The demo's sections in order; later layers append theirs."""


def sections(ctx: DemoContext) -> list[RenderableType]:
    """Render every section of :data:`SECTIONS`."""
    return [section(ctx) for section in SECTIONS]


def demo_context(seed: int = 0, duration_s: float = DEMO_DURATION_S, network: str = "default") -> DemoContext:
    """The context of a demo run on a preset network."""
    from ionnet.hardware.link_physics import link_budget
    from ionnet.hardware.network import load_network

    net = load_network(network)
    budget = link_budget(net.link, net.modules[0], net.modules[-1])
    return DemoContext(net, budget, seed, duration_s)


def register(subparsers: Any) -> None:
    """Add the ``demo`` subcommand."""
    parser = subparsers.add_parser(
        "demo",
        help="a tour of the default network",
        description="The default network, its link physics and a short simulated run, as tables.",
    )
    add_seed_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Handler of ``ionnet demo``."""
    from rich.console import Console

    console = Console()
    for renderable in sections(demo_context(seed=args.seed)):
        console.print(renderable)
    return 0
