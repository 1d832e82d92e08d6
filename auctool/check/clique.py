"""Clique bounds: UNSAT proofs by counting, where SAT solvers need exponential time.

When k stations pairwise can never share a channel (every channel they have in common
is forbidden co-channel), they need k distinct channels: if their domains cannot supply
k distinct channels (a bipartite matching misses one: Hall's theorem), the problem is
UNSAT. That is the pigeonhole principle, exponentially hard for resolution-based
solvers: a dense market with 24 mutually interfering stations and 23 channels defeats
every CDCL solver at any cutoff, and is refuted here in a millisecond. Likewise k
stations that also block each other's adjacent channels need k pairwise non-adjacent
channels.

Cliques are searched around the seed stations (the new stations of an auction check: a
packing that was feasible before them can only be broken by a clique through them).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from auctool.check.budget import Budget
from auctool.check.presolve import ProblemView


@dataclass(frozen=True)
class CliqueProof:
    stations: tuple[int, ...]
    channels: int  # how many (distinct / pairwise non-adjacent) channels they could get
    kind: str  # "co" or "adjacent"

    def describe(self) -> str:
        need = "distinct" if self.kind == "co" else "pairwise non-adjacent"
        return f"{len(self.stations)} stations need {need} channels, only {self.channels} available"


def _relations(view: ProblemView, members: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(never share a channel, also never adjacent) as boolean matrices over ``members``."""
    data = view.data
    di = data.directed
    m = members.size
    local = np.full(len(data.ids), -1, dtype=np.int64)
    local[members] = np.arange(m)
    rows = di.gather(members)
    src = np.repeat(members, di.offsets[members + 1] - di.offsets[members])
    dst, cs, ct = di.dst[rows], di.cs[rows], di.ct[rows]
    allowed = view.allowed
    keep = (local[dst] >= 0) & allowed[src, cs] & allowed[dst, ct]
    i, j = local[src[keep]], local[dst[keep]]
    delta = np.abs(cs[keep].astype(np.int64) - ct[keep].astype(np.int64))
    co = np.zeros((m, m), dtype=np.int64)
    adj = np.zeros((m, m), dtype=np.int64)
    np.add.at(co, (i[delta == 0], j[delta == 0]), 1)
    np.add.at(adj, (i[delta == 1], j[delta == 1]), 1)
    a = allowed[members].astype(np.int64)
    shared = a @ a.T
    up = np.zeros_like(a)
    up[:, :-1] = a[:, 1:]  # up[i, c] = channel c+1 allowed for i
    down = np.zeros_like(a)
    down[:, 1:] = a[:, :-1]
    adjacent_possible = a @ up.T + a @ down.T
    never_share = co == shared
    never_adjacent = never_share & (adj == adjacent_possible)
    np.fill_diagonal(never_share, False)
    np.fill_diagonal(never_adjacent, False)
    return never_share, never_adjacent


def _max_clique(
    adjacency: np.ndarray, must: int, node_limit: int = 5000, budget: Budget | None = None
) -> list[int]:
    """A maximum clique containing vertex ``must`` (branch and bound, greedy colouring bound).

    Stops after ``node_limit`` expansions (or when the budget runs out) and returns the
    best clique found so far: a smaller clique only weakens the bound, never its truth.
    """
    cand0 = [int(v) for v in np.flatnonzero(adjacency[must])]
    best: list[int] = [must]
    nodes = 0

    def colour_bound(cands: list[int]) -> list[tuple[int, int]]:
        colours: list[list[int]] = []
        out = []
        for v in sorted(cands, key=lambda x: -int(adjacency[x, cands].sum())):
            for k, cls in enumerate(colours):
                if not adjacency[v, cls].any():
                    cls.append(v)
                    out.append((v, k + 1))
                    break
            else:
                colours.append([v])
                out.append((v, len(colours)))
        out.sort(key=lambda t: t[1])
        return out

    def expand(clique: list[int], cands: list[int]) -> None:
        nonlocal best, nodes
        nodes += 1
        if nodes > node_limit or (budget is not None and nodes % 64 == 0 and budget.expired()):
            return
        ordered = colour_bound(cands)
        while ordered:
            v, bound = ordered.pop()
            if len(clique) + bound <= len(best):
                return
            new_clique = [*clique, v]
            rest = [u for u, _ in ordered if adjacency[v, u]]
            if len(new_clique) > len(best):
                best = new_clique
            if rest:
                expand(new_clique, rest)

    expand([must], cand0)
    return best


def _matching_size(domains: list[tuple[int, ...]]) -> int:
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import maximum_bipartite_matching

    channels = sorted({c for d in domains for c in d})
    col = {c: k for k, c in enumerate(channels)}
    rows = np.repeat(np.arange(len(domains)), [len(d) for d in domains])
    cols = np.array([col[c] for d in domains for c in d], dtype=np.int64)
    graph = csr_matrix(
        (np.ones(rows.size, dtype=np.int8), (rows, cols)), shape=(len(domains), len(channels))
    )
    match = maximum_bipartite_matching(graph, perm_type="column")
    return int((match >= 0).sum())


def _spread_channels(channels: set[int]) -> int:
    """Most channels pairwise at least 2 apart that can be picked from ``channels``."""
    count, last = 0, None
    for c in sorted(channels):
        if last is None or c - last >= 2:
            count += 1
            last = c
    return count


def clique_proof(
    view: ProblemView, seeds: list[int], budget: Budget, max_neighbours: int = 150
) -> CliqueProof | None:
    """An UNSAT certificate from a clique through one of the seeds, or None."""
    data = view.data
    index = data.index
    di = data.directed
    in_problem = np.zeros(len(data.ids), dtype=bool)
    in_problem[view.indices] = True
    for seed in seeds:
        if budget.expired():
            return None
        i = index[seed]
        sl = di.rows(i)
        nbrs = np.unique(di.dst[sl])
        nbrs = nbrs[in_problem[nbrs]]
        if nbrs.size == 0:
            continue
        if nbrs.size > max_neighbours:
            nbrs = nbrs[:max_neighbours]
        members = np.concatenate([[i], nbrs]).astype(np.int64)
        never_share, never_adjacent = _relations(view, members)
        for relation, kind in ((never_share, "co"), (never_adjacent, "adjacent")):
            clique = _max_clique(relation, 0, budget=budget)
            if len(clique) < 2:
                continue
            stations = [int(data.ids[members[k]]) for k in clique]
            domains = [view.domains[s] for s in stations]
            if kind == "co":
                available = _matching_size(domains)
            else:
                available = _spread_channels({c for d in domains for c in d})
            if available < len(stations):
                return CliqueProof(tuple(stations), available, kind)
    return None
