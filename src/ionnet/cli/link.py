"""``ionnet link``: a link's analytic figures and a simulated run of heralded ebits.

    ionnet link [--preset NAME | --config FILE.toml] [--duration-s T] [--seed N] [--json]

``--config`` reads a TOML file with a ``[link]`` table (the keys of
:func:`ionnet.hardware.link.link_from_table`; missing keys keep the default network's link) and
optional ``[module]``, ``[module_a]``, ``[module_b]`` tables (ModuleSpec keys; without them the
link's ends are the default network's modules). ``[network]`` and ``[sources]`` tables are
accepted and ignored, so a preset file works too.

``--json`` prints one object: the analytic figures of
:class:`ionnet.hardware.link_physics.LinkBudget` (``p_success`` per attempt of one pair,
``attempt_rate_hz`` = attempts per second over all communication-ion pairs after the duty cycle
and the herald-latency ceiling, ``rate_hz`` = attempt_rate_hz x p_success, ``fidelity`` of the
heralded state, ...), ``wall_s`` and ``simulated`` = {``duration_s``, ``pairs``, ``rate_hz``,
``rate_hz_ci95`` (exact Poisson interval), ``fidelity_mean`` (null without pairs)}.
"""

from __future__ import annotations

import argparse
import math
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ionnet.cli.common import add_seed_option, positive_float, print_json
from ionnet.errors import ConfigError

if TYPE_CHECKING:
    from ionnet.hardware.link import LinkSpec
    from ionnet.hardware.link_physics import LinkBudget
    from ionnet.hardware.module import ModuleSpec
    from ionnet.link.ebits import EbitBatch

CONFIG_TABLES = ("link", "module", "module_a", "module_b", "network", "sources")
DEFAULT_DURATION_S = 10.0
MAX_SIMULATED_EBITS = 10_000_000
"""Most ebits a simulated run may deliver (rate x duration), checked before sampling."""


@dataclass(frozen=True)
class LinkSetup:
    """What ``ionnet link`` evaluates: a link and the modules at its two ends."""

    name: str
    link: LinkSpec
    module_a: ModuleSpec
    module_b: ModuleSpec


def setup_from_preset(name: str) -> LinkSetup:
    """The first link of a preset network and its two modules."""
    from ionnet.hardware.network import load_network, preset_names

    if name not in preset_names():
        raise ConfigError(f"unknown preset {name!r} (known: {', '.join(preset_names())})")
    network = load_network(name)
    if not network.edges:
        raise ConfigError(f"preset {name!r} has no link")
    a, b = network.edges[0]
    return LinkSetup(name, network.links[0], network.modules[a], network.modules[b])


def setup_from_config(path: str) -> LinkSetup:
    """A link (and optional modules) from a TOML file, on top of the default network."""
    from ionnet.hardware.network import read_toml

    data = read_toml(path, "link config")
    for key in data:
        if key not in CONFIG_TABLES:
            raise ConfigError(
                f"link config {path}: unknown table '{key}' (known: {', '.join(CONFIG_TABLES)})"
            )
        if not isinstance(data[key], dict):
            raise ConfigError(f"link config {path}: '{key}' must be a table (got {data[key]!r})")
    try:
        return _setup_from_tables(str(path), data)
    except ConfigError as exc:
        raise ConfigError(f"link config {path}: {exc}") from None


def _setup_from_tables(name: str, data: dict[str, Any]) -> LinkSetup:
    from ionnet.hardware.link import link_from_table
    from ionnet.hardware.module import ModuleSpec
    from ionnet.hardware.validation import from_table

    default = setup_from_preset("default")
    link = link_from_table(data.get("link", {}), base=default.link)
    module = from_table(ModuleSpec, data.get("module", {}), "[module]", base=default.module_a)
    module_a = from_table(ModuleSpec, data.get("module_a", {}), "[module_a]", base=module)
    module_b = from_table(ModuleSpec, data.get("module_b", {}), "[module_b]", base=module)
    return LinkSetup(name, link, module_a, module_b)


def poisson_rate_ci95(count: int, duration_s: float) -> tuple[float, float]:
    """Exact (Garwood) 95 % confidence interval of a Poisson rate from ``count`` events.

    The bounds are gamma quantiles, ``chi2.ppf(0.025, 2k) / 2`` and ``chi2.ppf(0.975, 2k + 2) / 2``
    (Garwood, Biometrika 28, 437 (1936)), computed by :func:`gamma_quantile` rather than through
    scipy, whose import alone would take most of the 1 s ``ionnet link --json`` may spend;
    ``tests/cli/test_link_cli.py`` checks them against ``scipy.stats.chi2``.

    >>> low, high = poisson_rate_ci95(0, 1.0)
    >>> low, round(high, 3)
    (0.0, 3.689)
    """
    low = 0.0 if count == 0 else gamma_quantile(count, 0.025)
    high = gamma_quantile(count + 1, 0.975)
    return low / duration_s, high / duration_s


def regularized_gamma(a: float, x: float) -> float:
    """P(a, x), the regularized lower incomplete gamma function (series or continued fraction).

    >>> round(regularized_gamma(1.0, 1.0), 12) == round(1 - math.exp(-1), 12)
    True
    """
    if x <= 0:
        return 0.0
    log_front = a * math.log(x) - x - math.lgamma(a)
    if x < a + 1:  # series: converges fast below the mode
        term = total = 1.0 / a
        n = 0
        while abs(term) > abs(total) * 1e-16:
            n += 1
            term *= x / (a + n)
            total += term
        return min(1.0, total * math.exp(log_front))
    tiny = 1e-300  # modified Lentz continued fraction for Q(a, x)
    b = x + 1 - a
    c, d = 1 / tiny, 1 / b
    h = d
    i = 0
    while True:
        i += 1
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        h *= d * c
        if abs(d * c - 1) < 1e-16 or i > 10_000_000:
            return max(0.0, 1.0 - math.exp(log_front) * h)


def gamma_quantile(a: float, q: float) -> float:
    """The x with P(a, x) = q (Newton's method from the Wilson-Hilferty guess, kept in a bracket).

    >>> round(gamma_quantile(1.0, 0.975), 9) == round(-math.log(0.025), 9)
    True
    """
    z = math.sqrt(2) * _inverse_erf(2 * q - 1)
    x = max(a * (1 - 1 / (9 * a) + z / (3 * math.sqrt(a))) ** 3, 1e-300)
    low, high = 0.0, math.inf
    for _ in range(200):
        f = regularized_gamma(a, x) - q
        if f > 0:
            high = min(high, x)
        else:
            low = max(low, x)
        slope = math.exp((a - 1) * math.log(x) - x - math.lgamma(a))
        step = x - f / slope if slope > 0 else math.nan
        if not low < step < high:  # Newton left the bracket: bisect (or grow the bracket)
            step = (low + high) / 2 if math.isfinite(high) else 2 * x + 1
        if abs(step - x) <= 1e-14 * x:
            return step
        x = step
    return x


def _inverse_erf(y: float) -> float:
    """erf⁻¹(y) by Newton on math.erf (only a starting guess needs it)."""
    x = 0.0
    for _ in range(50):
        step = (math.erf(x) - y) / (2 / math.sqrt(math.pi) * math.exp(-x * x))
        x -= step
        if abs(step) < 1e-15:
            break
    return x


def simulate(setup: LinkSetup, duration_s: float, seed: int) -> EbitBatch:
    """Heralded ebits of the setup's link over ``duration_s`` (geometric sampler)."""
    from ionnet.link.ebits import generate_ebits
    from ionnet.seeding import stream

    rng = stream(seed, "cli", "link")
    return generate_ebits(setup.link, setup.module_a, setup.module_b, rng, duration_s)


def report(budget: LinkBudget, batch: EbitBatch, wall_s: float) -> dict[str, Any]:
    """The ``--json`` object: analytic figures, wall time and the simulated run."""
    fidelity_mean = float(batch.fidelities.mean()) if batch.count else None
    low, high = poisson_rate_ci95(batch.count, batch.duration_s)
    return {
        **budget.as_dict(),
        "wall_s": wall_s,
        "simulated": {
            "duration_s": batch.duration_s,
            "pairs": batch.count,
            "rate_hz": batch.rate_hz(),
            "rate_hz_ci95": [low, high],
            "fidelity_mean": fidelity_mean,
        },
    }


def register(subparsers: Any) -> None:
    """Add the ``link`` subcommand."""
    parser = subparsers.add_parser(
        "link",
        help="analytic link figures and a simulated run of heralded ebits",
        description=(
            "Print a link's analytic figures (success probability, attempt rate, ebit rate, heralded "
            "fidelity) and a simulated run. --config takes a TOML file with a [link] table and optional "
            "[module], [module_a], [module_b] tables; missing keys keep the default network's values."
        ),
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--preset", default=None, help="preset network whose first link to use (default)")
    source.add_argument("--config", default=None, metavar="FILE.toml", help="TOML file with a [link] table")
    parser.add_argument(
        "--duration-s",
        type=positive_float,
        default=DEFAULT_DURATION_S,
        metavar="T",
        help=f"simulated seconds (default {DEFAULT_DURATION_S:g})",
    )
    add_seed_option(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Handler of ``ionnet link``."""
    start = time.perf_counter()
    setup = setup_from_config(args.config) if args.config else setup_from_preset(args.preset or "default")
    from ionnet.hardware.link_physics import link_budget  # numpy: after the config is checked

    budget = link_budget(setup.link, setup.module_a, setup.module_b)
    expected = budget.rate_hz * args.duration_s
    if expected > MAX_SIMULATED_EBITS:
        raise ConfigError(
            f"'--duration-s' {args.duration_s:g} would simulate about {expected:.3g} ebits at "
            f"{budget.rate_hz:.4g} /s (limit {MAX_SIMULATED_EBITS}): shorten it"
        )
    batch = simulate(setup, args.duration_s, args.seed)
    result = report(budget, batch, time.perf_counter() - start)
    if args.json:
        print_json(result)
    else:
        print_tables(setup, result)
    return 0


def print_tables(setup: LinkSetup, result: dict[str, Any]) -> None:
    """Human output: the analytic figures and the simulated run as two tables."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    link = setup.link
    analytic = Table(title=f"Link {setup.name}: {link.scheme}, {link.fiber_length_m:g} m fibre")
    analytic.add_column("quantity")
    analytic.add_column("value", justify="right")
    rows = [
        ("arm efficiency A / B", f"{result['eta_a']:.4g} / {result['eta_b']:.4g}"),
        ("success probability per attempt", f"{result['p_success']:.4g}"),
        ("herald latency", f"{result['herald_latency_s'] * 1e6:.4g} us"),
        ("attempt rate (all pairs, after duty cycle)", f"{result['attempt_rate_hz']:.4g} /s"),
        ("communication-ion pairs", str(link.communication_ions)),
        ("mean ebit rate", f"{result['rate_hz']:.4g} /s"),
        ("false-herald fraction", f"{result['false_herald_fraction']:.3g}"),
        ("heralded fidelity", f"{result['fidelity']:.4f}"),
    ]
    for row in rows:
        analytic.add_row(*row)
    sim = result["simulated"]
    simulated = Table(title=f"Simulated run: {sim['duration_s']:g} s")
    simulated.add_column("quantity")
    simulated.add_column("value", justify="right")
    low, high = sim["rate_hz_ci95"]
    fid = "n/a (no pairs)" if sim["fidelity_mean"] is None else f"{sim['fidelity_mean']:.4f}"
    for row in (
        ("ebits delivered", str(sim["pairs"])),
        ("rate", f"{sim['rate_hz']:.4g} /s  (95 % CI {low:.4g} to {high:.4g})"),
        ("mean fidelity", fid),
        ("wall time", f"{result['wall_s']:.3f} s"),
    ):
        simulated.add_row(*row)
    console.print(analytic)
    console.print(simulated)
