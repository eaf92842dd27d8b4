"""Remote operations: where each cross-module gate runs, and when a qubit moves instead.

(``ionnet.compiler.teleport.QubitTeleporter`` decides when a qubit moves instead.)

- ``PacketGatePlacer.assign`` chooses the execution module of every remaining remote gate so that
  the number of (run, module) shares is small: one cat-entangled copy of a qubit serves every
  gate of its run executed on that module ("distributable packets", Wu et al., Quantum 7, 1196
  (2023); Andres-Martinez et al., Quantum 8, 1426 (2024)). It starts from a greedy set cover and
  from hub solutions (all remote gates on one module), improves each by moving a run's gates
  between modules, and keeps the cheapest.
"""

from __future__ import annotations

import dataclasses
import heapq
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from scipy import optimize, sparse

from ionnet.compiler.plan import Plan

if TYPE_CHECKING:
    from ionnet.compiler.timing import TimingModel


@dataclass(frozen=True)
class ModuleInfo:
    """What the remote-operation passes need of the network."""

    capacities: tuple[int, ...]
    communication_ions: tuple[int, ...]
    distance: tuple[tuple[int, ...], ...]
    paths: Mapping[tuple[int, int], tuple[int, ...]]
    timing: TimingModel | None = None  # durations and ebit times (emission orders for time)

    @property
    def num_modules(self) -> int:
        """Number of modules."""
        return len(self.capacities)


def share_cost(plan: Plan, at: dict[int, int], info: ModuleInfo) -> int:
    """Ebits of the (run, module) shares implied by execution modules ``at`` (step -> module)."""
    shares: set[tuple[int, int]] = set()
    for i, module in at.items():
        step = plan.steps[i]
        for run, home in zip(step.runs, step.homes, strict=True):
            if home != module:
                shares.add((run, module))
    return sum(info.distance[plan.run_home[r]][m] for r, m in shares)


def teleport_ebits(plan: Plan, info: ModuleInfo) -> int:
    """Ebits the plan's teleports spend (hops between source and destination)."""
    return sum(
        info.distance[home][dst]
        for s in plan.steps
        for home, dst in zip(s.homes, s.destinations, strict=False)
    )


@dataclass
class _GateState:
    """Execution modules of remote gates with per-run module counters and a running cost."""

    plan: Plan
    info: ModuleInfo
    at: dict[int, int]

    def __post_init__(self) -> None:
        self.counts: dict[int, Counter[int]] = defaultdict(Counter)
        self.gates_of_run: dict[int, list[int]] = defaultdict(list)
        self.cost = 0
        for i, m in self.at.items():
            for run, home in self._sides(i):
                self.gates_of_run[run].append(i)
                if home != m:
                    self._add(run, m, 1)

    def _sides(self, i: int) -> zip[tuple[int, int]]:
        step = self.plan.steps[i]
        return zip(step.runs, step.homes, strict=True)

    def _add(self, run: int, module: int, change: int) -> None:
        counts = self.counts[run]
        before = counts[module]
        counts[module] = before + change
        if (before == 0) != (before + change == 0):
            step_cost = self.info.distance[self.plan.run_home[run]][module]
            self.cost += step_cost if before == 0 else -step_cost

    def total(self) -> int:
        return self.cost

    def set_at(self, i: int, module: int) -> None:
        for run, home in self._sides(i):
            if self.at[i] != home:
                self._add(run, self.at[i], -1)
            if module != home:
                self._add(run, module, 1)
        self.at[i] = module

    def feasible(self, i: int, module: int) -> bool:
        homes = self.plan.steps[i].homes
        return module in homes or self.info.communication_ions[module] >= 2

    def try_move(self, gates: list[int], module: int, sideways: bool = False) -> int | None:
        """Move ``gates`` to ``module`` if that lowers the cost (or keeps it, when ``sideways``).

        Returns the change, or None when the move was not made.
        """
        if not all(self.feasible(i, module) for i in gates):
            return None
        before = self.cost
        old = [self.at[i] for i in gates]
        for i in gates:
            self.set_at(i, module)
        delta = self.cost - before
        if delta < 0 or (sideways and delta == 0):
            return delta
        for i, m in zip(gates, old, strict=True):
            self.set_at(i, m)
        return None


@dataclass(frozen=True)
class PacketGatePlacer:
    """Choose the execution module of each remote gate to minimise (run, module) shares."""

    max_sweeps: int = 3
    time_limit_s: float = 2.0
    exact_max_variables: int = 6000  # larger programs rarely finish in time: heuristics only
    max_hub_modules: int = 8
    hub_starts: int = 1

    def assign(self, plan: Plan, info: ModuleInfo) -> Plan:
        """The plan with ``at`` set on every remote gate (the cheapest candidate)."""
        return self.candidates(plan, info)[0][1]

    def candidates(self, plan: Plan, info: ModuleInfo, keep: int = 3) -> list[tuple[int, Plan]]:
        """Up to ``keep`` distinct plans (and the greedy cover's) with their estimated ebits.

        Cheapest estimate first. The estimate counts shares and teleports; it is exact when
        modules have enough communication ions (otherwise emission may add evictions).
        """
        remote = [i for i, s in enumerate(plan.steps) if s.is_remote_gate()]
        moves = teleport_ebits(plan, info)
        if not remote:
            return [(moves, plan)]
        starts = [greedy_cover(plan, remote, info)]
        small = len(remote) * info.num_modules <= self.exact_max_variables
        exact, optimal = exact_gate_placement(plan, remote, info, self.time_limit_s if small else 0.0)
        if exact is not None:
            starts.append(exact)
        if 2 < info.num_modules <= self.max_hub_modules and not optimal:
            hubs = [
                _GateState(plan, info, {i: hub for i in remote})
                for hub in range(info.num_modules)
                if info.communication_ions[hub] >= 2
            ]
            starts += [h.at for h in sorted(hubs, key=_GateState.total)[: self.hub_starts]]
        found: dict[tuple[int, ...], tuple[int, int, dict[int, int]]] = {}
        for order, start in enumerate(starts):
            state = _GateState(plan, info, dict(start))
            if not (optimal and order == 1):
                self._improve(state)
            key = tuple(state.at[i] for i in remote)
            found.setdefault(key, (state.total(), order, state.at))
        ranked = sorted(found.values(), key=lambda item: item[:2])
        ranked = ranked[:keep] + [r for r in ranked[keep:] if r[1] == 0]  # the greedy cover always
        return [
            (
                cost + moves,
                dataclasses.replace(
                    plan,
                    steps=[
                        dataclasses.replace(s, at=at[i]) if i in at else s for i, s in enumerate(plan.steps)
                    ],
                ),
            )
            for cost, _, at in ranked
        ]

    def _improve(self, state: _GateState) -> None:
        """Move one run's gates on one module elsewhere while that helps; then try bringing a
        whole run's gates home (a sideways move that lets the others collapse), and repeat."""
        for _ in range(self.max_sweeps):
            gained = self._group_moves(state)
            snapshot, cost = dict(state.at), state.total()
            for run in list(state.gates_of_run):
                home = state.plan.run_home[run]
                away = [i for i in state.gates_of_run[run] if state.at[i] != home]
                if away:
                    state.try_move(away, home, sideways=True)
            gained += self._group_moves(state)
            if state.total() > cost:
                for i, m in snapshot.items():
                    state.set_at(i, m)
            if state.total() >= cost and not gained:
                return

    @staticmethod
    def _group_moves(state: _GateState) -> int:
        gained = 0
        for run in list(state.gates_of_run):
            by_module: dict[int, list[int]] = defaultdict(list)
            for i in state.gates_of_run[run]:
                by_module[state.at[i]].append(i)
            for gates in by_module.values():
                for module in range(state.info.num_modules):
                    if module != state.at[gates[0]]:
                        delta = state.try_move(gates, module)
                        if delta is not None:
                            gained += delta
                            break
        return gained


def exact_gate_placement(
    plan: Plan, remote: list[int], info: ModuleInfo, time_limit_s: float
) -> tuple[dict[int, int] | None, bool]:
    """Execution modules by integer programming (HiGHS through scipy), and whether optimal.

    Variables: y[g, X] = gate g runs on X; s[r, X] = run r is shared to X (cost: hops). Each
    gate runs on one module; a gate on X needs every qubit not at home on X shared there; a
    module that is neither qubit's home needs two communication ions. Returns ``(None, False)``
    when no solution was found within ``time_limit_s``.
    """
    if time_limit_s <= 0 or not remote:
        return None, False
    model = _GatePlacementModel(plan, info)
    for i in remote:
        model.add_gate(i)
    return model.solve(len(remote), time_limit_s)


class _GatePlacementModel:
    """The sparse integer program of ``exact_gate_placement``."""

    def __init__(self, plan: Plan, info: ModuleInfo):
        self.plan, self.info = plan, info
        self.y_index: dict[tuple[int, int], int] = {}
        self.s_index: dict[tuple[int, int], int] = {}
        self.entries: list[tuple[int, tuple[str, int], float]] = []  # (row, (kind, index), value)
        self.lower: list[float] = []
        self.upper: list[float] = []

    def _row(self, lower: float, upper: float) -> int:
        self.lower.append(lower)
        self.upper.append(upper)
        return len(self.lower) - 1

    def add_gate(self, i: int) -> None:
        step, info = self.plan.steps[i], self.info
        modules = [m for m in range(info.num_modules) if m in step.homes or info.communication_ions[m] >= 2]
        one_module = self._row(1.0, 1.0)
        for m in modules:
            y = self.y_index.setdefault((i, m), len(self.y_index))
            self.entries.append((one_module, ("y", y), 1.0))
            for run, home in zip(step.runs, step.homes, strict=True):
                if home != m:
                    share = self.s_index.setdefault((run, m), len(self.s_index))
                    row = self._row(0.0, np.inf)
                    self.entries += [(row, ("s", share), 1.0), (row, ("y", y), -1.0)]

    def solve(self, num_gates: int, time_limit_s: float) -> tuple[dict[int, int] | None, bool]:
        n_y, n = len(self.y_index), len(self.y_index) + len(self.s_index)
        cost = np.zeros(n)
        for (run, m), k in self.s_index.items():
            cost[n_y + k] = self.info.distance[self.plan.run_home[run]][m]
        rows = np.array([r for r, _, _ in self.entries])
        cols = np.array([k if kind == "y" else n_y + k for _, (kind, k), _ in self.entries])
        vals = np.array([v for _, _, v in self.entries])
        matrix = sparse.csr_array((vals, (rows, cols)), shape=(len(self.lower), n))
        result = optimize.milp(
            cost,
            constraints=optimize.LinearConstraint(matrix, self.lower, self.upper),
            integrality=np.ones(n, dtype=np.int64),
            bounds=optimize.Bounds(np.zeros(n), np.ones(n)),
            options={"time_limit": time_limit_s},
        )
        if result.x is None:
            return None, False
        at = {i: m for (i, m), k in self.y_index.items() if result.x[k] > 0.5}
        return (at, result.status == 0) if len(at) == num_gates else (None, False)


def greedy_cover(plan: Plan, remote: list[int], info: ModuleInfo) -> dict[int, int]:
    """Greedy set cover: repeatedly share the (run, module) that serves most uncovered gates per ebit."""
    covers: dict[tuple[int, int], set[int]] = defaultdict(set)
    for i in remote:
        step = plan.steps[i]
        (ra, rb), (ha, hb) = step.runs, step.homes
        covers[(ra, hb)].add(i)
        covers[(rb, ha)].add(i)
    # ties go to the share with the shortest lifetime (it holds a communication ion least long)
    heap = [
        (-len(g) / info.distance[plan.run_home[r]][m], max(g) - min(g), r, m) for (r, m), g in covers.items()
    ]
    heapq.heapify(heap)
    at: dict[int, int] = {}
    while heap and len(at) < len(remote):
        neg, _, run, module = heapq.heappop(heap)
        fresh = {i for i in covers[(run, module)] if i not in at}
        score = len(fresh) / info.distance[plan.run_home[run]][module]
        if not fresh:
            continue
        if score < -neg - 1e-9:
            heapq.heappush(heap, (-score, max(fresh) - min(fresh), run, module))
            continue
        for i in fresh:
            at[i] = module
    return at
