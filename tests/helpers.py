"""Hand-made instances whose answers are known, and a brute-force oracle for tiny ones."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from pathlib import Path

from auctool.model import ConstraintData, Interference, Problem

SHARED_FCC = Path(__file__).resolve().parents[2] / "shared" / "data" / "fcc"


def data_from(domains: Mapping[int, tuple[int, ...]], pairs, name: str = "hand") -> ConstraintData:
    return ConstraintData(dict(domains), Interference.from_pairs(pairs), name)


def co_everywhere(stations, channels) -> list[tuple[int, int, int, int]]:
    """Co-channel interference between every two stations on every channel."""
    return [(s, c, t, c) for s, t in itertools.combinations(stations, 2) for c in channels]


def triangle(n_channels: int) -> tuple[ConstraintData, Problem]:
    """Three mutually co-channel stations: SAT iff at least 3 channels."""
    chans = tuple(range(14, 14 + n_channels))
    data = data_from({1: chans, 2: chans, 3: chans}, co_everywhere((1, 2, 3), chans), "triangle")
    return data, Problem(dict(data.domains), name=f"triangle{n_channels}")


def adjacent_pair() -> tuple[ConstraintData, Problem]:
    """Two stations on {14, 15} with CO and ADJ+-1 everywhere: UNSAT."""
    pairs = [(1, 14, 2, 14), (1, 15, 2, 15), (1, 14, 2, 15), (1, 15, 2, 14)]
    data = data_from({1: (14, 15), 2: (14, 15)}, pairs, "adj")
    return data, Problem(dict(data.domains), name="adjacent")


def brute_force(problem: Problem, data: ConstraintData) -> dict[int, int] | None:
    """Exhaustive search (tiny problems only): a valid assignment or None."""
    stations = list(problem.domains)
    forbidden = data.interference.as_set()
    for combo in itertools.product(*(problem.domains[s] for s in stations)):
        assign = dict(zip(stations, combo, strict=True))
        ok = True
        for (s, cs), (t, ct) in itertools.combinations(assign.items(), 2):
            a, b = sorted([(s, cs), (t, ct)])
            if (a[0], a[1], b[0], b[1]) in forbidden:
                ok = False
                break
        if ok:
            return assign
    return None


def pigeonhole(n_holes: int) -> tuple[ConstraintData, Problem]:
    """n+1 mutually co-channel stations on n channels: UNSAT, and exponentially hard for
    resolution-based solvers: the standard 'hard at any cutoff' problem for cutoff tests."""
    chans = tuple(range(14, 14 + n_holes))
    stations = tuple(range(1, n_holes + 2))
    data = data_from({s: chans for s in stations}, co_everywhere(stations, chans), "pigeonhole")
    return data, Problem(dict(data.domains), name=f"php{n_holes}")


def mycielski(order: int) -> tuple[int, list[tuple[int, int]]]:
    """The Mycielski graph M_order: chromatic number ``order``, no triangle (clique number 2).

    Colouring it with ``order - 1`` channels is UNSAT, hopeless for CDCL solvers at any test
    cutoff, and invisible to clique bounds: the standard 'hopeless at any cutoff' problem
    now that pigeonhole problems are refuted by counting. Returns (vertices, edges).
    """
    n, edges = 2, [(0, 1)]
    for _ in range(order - 2):
        grown = list(edges)
        for u, v in edges:
            grown += [(u, n + v), (v, n + u)]
        grown += [(n + u, 2 * n) for u in range(n)]
        edges, n = grown, 2 * n + 1
    return n, edges


def mycielski_world(order: int = 6, name: str = "myciel") -> tuple[ConstraintData, Problem]:
    """Stations 1..n of M_order, co-channel interference along its edges, order-1 channels."""
    n, edges = mycielski(order)
    chans = tuple(range(14, 14 + order - 1))
    pairs = [(u + 1, c, v + 1, c) for u, v in edges for c in chans]
    data = data_from({s: chans for s in range(1, n + 1)}, pairs, name)
    return data, Problem(dict(data.domains), name=f"myciel{order}")


def mycielski_packing(data: ConstraintData, full: Problem) -> dict[int, int]:
    """A packing of every station of a Mycielski world but the last (M_k minus a vertex
    is (k-1)-colourable), found by the checker itself (and so verified)."""
    from auctool.check import Checker, CheckerConfig

    stations = list(full.domains)
    chans = full.domains[stations[0]]
    result = Checker(data, CheckerConfig(solver="cadical195")).check(
        Problem({s: chans for s in stations[:-1]}), 60
    )
    assert result.assignment is not None
    return dict(result.assignment)
