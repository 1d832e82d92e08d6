"""Neighbourhood re-solving: answer a big problem by solving a small one around the new stations.

An auction check is "the band as it was, plus one station". Fix every station farther
than k interference rings from the new stations to its previous channel, strike the
channels those fixed stations block from the others' domains, and solve the rest; grow
k while it fails. A SAT answer extends to the whole problem (the fixed part is the old,
valid packing). UNSAT with stations fixed proves nothing, but the same ring solved with
the outside stations *removed* is a sub-problem of the whole: if that is UNSAT, so is
the whole problem (SATFC trusts only the SAT side; this UNSAT side is ours).

:func:`relaxed_core` is that UNSAT side alone, as a step of its own: rings 1 and 2 with
the outside removed, solved afresh. A hard UNSAT auction question (the band packed, one
new station, no small clique) is usually infeasible in its first ring already: on the
real-pairs national world, packing plus one station, 10 such questions' first rings
(22-44 stations) were proved UNSAT by MiniSat in 0.01-0.14 s, while the whole band's
persistent CaDiCaL took seconds.

From the second ring on, a local search of the ring (``search``) goes before the SAT
solver: the ring is small (about 200 stations on a national problem) and its previous
channels nearly fit, which is where a tabu search is at its best. Measured on questions
a national auction timed out on (seed 1, 1 s cutoff; the search of the whole problem had
answered none of them): their ring-2 sub-problems were answered within 1 s by the search
in 26 of 60, by CaDiCaL in 9 of the first 30, by MiniSat in 2 of the first 20. The whole
check, default configuration, on the first 120 of them in order: 58 answered within 1 s
before, 75 with the rings searched (39 by the rings, 34 by CaDiCaL beside them).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from auctool.check.budget import Budget
from auctool.check.config.knobs import KNOB_BY_NAME
from auctool.check.methods.clique import clique_proof
from auctool.check.methods.reductions import ProblemView, blocked_channels
from auctool.check.result import Answer
from auctool.check.solve.encoding import encode
from auctool.check.solve.solvers import solve_once
from auctool.model.constraints import ConstraintData
from auctool.model.problem import Problem

#: Seconds the first ring's sub-problem may take; each further ring four times more, the
#: last one whatever is left. Absolute, not a share of the cutoff: a longer cutoff runs
#: the same rings further, so it never loses an answer a shorter one found. (The knob
#: ``neighbourhood_ring_seconds``; its default, from the knob table.)
RING_SECONDS: float = KNOB_BY_NAME["neighbourhood_ring_seconds"].default
#: The share of a ring's budget its local search may take (the SAT solver: the rest;
#: the knob ``neighbourhood_search_share``).
RING_SEARCH_SHARE: float = KNOB_BY_NAME["neighbourhood_search_share"].default

#: A local search of a sub-problem under a budget: a packing of it, or None.
Search = Callable[[Problem, Budget], "dict[int, int] | None"]


@dataclass(frozen=True)
class NeighbourhoodOutcome:
    answer: Answer  # TIMEOUT: no ring count answered in time
    assignment: dict[int, int] | None
    rings: int  # the ring count that answered (or the last tried)
    stations: int  # size of the last sub-problem
    core: dict[int, tuple[int, ...]] | None = None  # UNSAT: the sub-problem that proves it


def rings_around(data: ConstraintData, seeds: list[int], members: set[int], rings: int) -> set[int]:
    """The seeds (members) plus every member station within ``rings`` interference hops,
    reached through members only."""
    allowed = np.isin(data.ids, np.fromiter(members, dtype=np.int64, count=len(members)))
    hops = data.hop_counts(np.array(seeds, dtype=np.int64), rings, allowed)
    return set(data.ids[hops >= 0].tolist())


def _solve(
    domains: Mapping[int, tuple[int, ...]],
    data: ConstraintData,
    solver: str,
    budget: Budget,
    previous: Mapping[int, int],
) -> tuple[bool | None, dict[int, int] | None]:
    if any(not d for d in domains.values()):
        return False, None
    enc = encode(domains, data, "direct")
    out = solve_once(
        solver,
        enc.clauses(),
        budget.deadline,
        phases=enc.phases(previous),
        stop=budget.stop,
        conflicts=budget.conflicts,
    )
    budget.spend(out.conflicts)
    if out.status:
        return True, enc.decode(out.model)
    return out.status, None


def neighbourhood_solve(
    problem: Problem,
    data: ConstraintData,
    budget: Budget,
    max_rings: int = 2,
    solver: str = "minisat22",
    prove_unsat: bool = True,
    clique: bool = True,
    search: Search | None = None,
    ring_seconds: float = RING_SECONDS,
    search_share: float = RING_SEARCH_SHARE,
) -> NeighbourhoodOutcome:
    """Grow rings around the new stations until a sub-problem answers (see module doc)."""
    new = list(problem.unplaced)
    if not new or len(new) == len(problem.domains):
        return NeighbourhoodOutcome(Answer.TIMEOUT, None, 0, 0)
    members = set(problem.domains)
    index = data.index
    placed_all = np.full(len(data.ids), -1, dtype=np.int64)
    for s, c in problem.previous.items():
        if s in members and c in problem.domains[s]:
            placed_all[index[s]] = c
    last = 0
    for k in range(1, max_rings + 1):
        if budget.expired():
            break
        region = rings_around(data, new, members, k)
        last = len(region)
        outside = members - region
        # strike from the region's domains what the fixed outside stations block
        placed = placed_all.copy()
        for s in region:
            placed[index[s]] = -1
        domains = {}
        for s in region:
            blocked = set(blocked_channels(data, index[s], placed).tolist())
            domains[s] = tuple(c for c in problem.domains[s] if c not in blocked)
        # a small ring that is hard is usually infeasible with the outside fixed: give it
        # a small absolute budget, then let the next, wider ring try
        last_ring = k == max_rings or not (members - region)
        ring = budget if last_ring else budget.at_most(ring_seconds * 4 ** (k - 1))
        sub = None
        if search is not None and k > 1 and all(domains.values()):
            kept = {s: c for s in region if (c := problem.previous.get(s)) in domains[s]}
            sub = search(Problem(domains, kept), ring.share(search_share))
        if sub is not None:
            status = True
        elif search is not None and k > 1 and ring.remaining() < ring_seconds:
            status = None  # the search had the ring's time: too little left to solve it
        elif clique and clique_proof(ProblemView(data, domains), new, ring) is not None:
            status = False  # the fixed outside leaves this ring no room: next ring
        else:
            status, sub = _solve(domains, data, solver, ring, problem.previous)
        if status:
            assignment = {s: int(placed_all[index[s]]) for s in outside}
            assignment.update(sub)
            return NeighbourhoodOutcome(Answer.SAT, assignment, k, len(region))
        free = {s: problem.domains[s] for s in region}
        if status is False and not outside:  # nothing was fixed: the whole problem is UNSAT
            return NeighbourhoodOutcome(Answer.UNSAT, None, k, len(region), free)
        if prove_unsat and status is False and not budget.expired():
            proof = budget.at_most(ring_seconds * 4 ** (k - 1))
            unsat_status, _ = _solve(free, data, solver, proof, problem.previous)
            if unsat_status is False:
                return NeighbourhoodOutcome(Answer.UNSAT, None, k, len(region), free)
        if not outside:
            break
    return NeighbourhoodOutcome(Answer.TIMEOUT, None, max_rings, last)


def relaxed_core(
    problem: Problem,
    data: ConstraintData,
    budget: Budget,
    solver: str = "minisat22",
    max_rings: int = 2,
) -> dict[int, tuple[int, ...]] | None:
    """An UNSAT sub-problem around the new stations (ring 1, then 2, the rest of the band
    removed, domains as the problem's), or None when none was proved within ``budget``."""
    new = list(problem.unplaced)
    if not new or len(new) == len(problem.domains):
        return None
    members = set(problem.domains)
    seen = 0
    for k in range(1, max_rings + 1):
        region = rings_around(data, new, members, k)
        if len(region) == seen or budget.expired():
            break  # the rings stopped growing: the last one was the same problem
        seen = len(region)
        free = {s: problem.domains[s] for s in region}
        status, _ = _solve(free, data, solver, budget, problem.previous)
        if status is False:
            return free
    return None
