"""Placement search judged by the gate-placement integer program (no teleports).

The placement pass optimises proxies (hyperedge connectivity, a greedy cover of the remote
gates); on small circuits the exact gate placement (``remote.exact_gate_placement``) is cheap
enough to judge placements directly. ``PlacementSearch.better`` judges METIS partitions of the
hypergraph with gate vertices (``MetisPlacement.alternatives``) against the given placement
within a work budget (sum over evaluations of remote gates x modules, so that the result does
not depend on the clock), and connectivity-1 partitions of that hypergraph by Mt-KaHyPar
(``placement.kahypar_alternatives``), judged by the heuristic gate placement on every size.

>>> from ionnet.compiler.circuit_input import Op, LogicalCircuit
>>> from ionnet.compiler.placement import MetisPlacement
>>> from ionnet.compiler.remote import ModuleInfo
>>> info = ModuleInfo((2, 2), (2, 2), ((0, 1), (1, 0)), {(0, 1): (0, 1), (1, 0): (1, 0)})
>>> circuit = LogicalCircuit(4, 0, tuple(Op("CZ", (a, b)) for a, b in [(0, 2), (1, 3), (0, 2)]))
>>> packet_ebits(circuit, [0, 0, 1, 1], info, 1.0)
2
>>> better = PlacementSearch().better(circuit, [0, 0, 1, 1], info, MetisPlacement())
>>> packet_ebits(circuit, better, info, 1.0)
0
"""

from __future__ import annotations

from dataclasses import dataclass

from ionnet.compiler.circuit_input import LogicalCircuit
from ionnet.compiler.placement import MetisPlacement, kahypar_alternatives
from ionnet.compiler.plan import Plan
from ionnet.compiler.remote import ModuleInfo, PacketGatePlacer, exact_gate_placement, share_cost


def packet_ebits(
    circuit: LogicalCircuit, placement: list[int], info: ModuleInfo, time_limit_s: float
) -> int | None:
    """Ebits of the best gate placement without teleports, or None if none was found in time.

    A solution not proven optimal still counts (it is an upper bound).
    """
    return _evaluate(circuit, placement, info, time_limit_s)[0]


def _evaluate(
    circuit: LogicalCircuit, placement: list[int], info: ModuleInfo, time_limit_s: float
) -> tuple[int | None, bool, int]:
    """``packet_ebits``, whether it is proven optimal, and the number of remote gates."""
    plan = Plan.static(circuit, placement)
    remote = [i for i, s in enumerate(plan.steps) if s.is_remote_gate()]
    if not remote:
        return 0, True, 0
    at, optimal = exact_gate_placement(plan, remote, info, time_limit_s)
    return (None if at is None else share_cost(plan, at, info)), optimal, len(remote)


@dataclass(frozen=True)
class PlacementSearch:
    """Find a placement with fewer packet ebits than a given one (or None)."""

    alternatives: int = 32
    time_limit_s: float = 0.25  # per integer program; a placement slower than this is not searched
    work_budget: int = 60000  # sum of remote gates x modules over the evaluated alternatives
    kahypar_alternatives: int = 3  # Mt-KaHyPar partitions judged (each also refined)
    kahypar_max_work: int = 6000  # remote gates x modules above which they are not judged

    def better(
        self, circuit: LogicalCircuit, placement: list[int], info: ModuleInfo, placer: MetisPlacement
    ) -> list[int] | None:
        """The alternative with the fewest packet ebits if below ``placement``'s, else None.

        Mt-KaHyPar partitions (``placement.kahypar_alternatives``) are judged by the heuristic
        gate placement (greedy cover and local moves, no integer program), so they are tried on
        every size; METIS alternatives by the integer program when it is fast on ``placement``.
        """
        best_ebits, optimal, remote = _evaluate(circuit, placement, info, self.time_limit_s)
        if remote == 0:
            return None
        found, found_ebits = self._kahypar(circuit, placement, info, placer, best_ebits)
        metis = self._metis(circuit, info, placer, best_ebits) if best_ebits is not None and optimal else None
        if metis is not None and (found_ebits is None or metis[1] < found_ebits):
            return metis[0]
        return found

    def _kahypar(
        self,
        circuit: LogicalCircuit,
        placement: list[int],
        info: ModuleInfo,
        placer: MetisPlacement,
        exact: int | None,
    ) -> tuple[list[int] | None, int | None]:
        """The best Mt-KaHyPar alternative and its ebits if below ``placement``'s."""
        remote = sum(1 for s in Plan.static(circuit, placement).steps if s.is_remote_gate())
        if self.kahypar_alternatives <= 0 or remote * info.num_modules > self.kahypar_max_work:
            return None, None  # large circuits: each judgement costs seconds
        heuristic = PacketGatePlacer(exact_max_variables=0)

        def ebits(p: list[int]) -> int:
            return heuristic.candidates(Plan.static(circuit, p), info)[0][0]

        best_ebits = min(ebits(placement), exact if exact is not None else 10**9)
        best = None
        capacities = list(info.capacities)
        for other in kahypar_alternatives(circuit, capacities, self.kahypar_alternatives, placer.seed):
            cost = ebits(other)
            if cost < best_ebits:
                best, best_ebits = other, cost
        return best, (best_ebits if best is not None else None)

    def _metis(
        self, circuit: LogicalCircuit, info: ModuleInfo, placer: MetisPlacement, best_ebits: int
    ) -> tuple[list[int], int] | None:
        """The best METIS alternative and its ebits by the integer program, if below ``best_ebits``."""
        best, budget = None, self.work_budget
        for other in placer.alternatives(circuit, list(info.capacities), self.alternatives):
            if budget <= 0 or best_ebits == 0:
                break
            ebits, _, remote = _evaluate(circuit, other, info, self.time_limit_s)
            budget -= max(1, remote) * info.num_modules
            if ebits is not None and ebits < best_ebits:
                best_ebits, best = ebits, other
        return None if best is None else (best, best_ebits)
