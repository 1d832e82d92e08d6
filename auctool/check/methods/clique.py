"""Clique bounds: UNSAT proofs by counting, where SAT solvers need exponential time.

Three bounds, on cliques through the seed stations:

- *co*: stations that pairwise never share a channel need distinct channels (Hall's
  theorem on their domains, via a bipartite matching);
- *adjacent*: stations that also never sit on adjacent channels need channels pairwise
  two apart;
- *span*: in a never-share clique, the pairs that may not be adjacent force empty
  channels between the runs of consecutive channels (a path cover argument, exact by DP
  for up to 18 stations). This refutes tight clusters (e.g. 13 stations on 16 channels)
  that take CDCL solvers seconds to minutes.


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

import itertools
from dataclasses import dataclass

import numpy as np

from auctool.check.budget import Budget
from auctool.check.methods.reductions import ProblemView


@dataclass(frozen=True)
class CliqueProof:
    stations: tuple[int, ...]
    channels: int  # how many (distinct / pairwise non-adjacent) channels they could get
    kind: str  # "co", "adjacent" or "span"
    needed: int = 0  # "span": the channels the clique needs

    def describe(self) -> str:
        if self.kind == "span":
            return (
                f"{len(self.stations)} stations need distinct channels with gaps for their "
                f"adjacent-channel conflicts: {self.needed} channels, only {self.channels} available"
            )
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


#: Largest connected piece the exact path-cover DP runs on (2^n states; 18 takes ~0.3 s).
MAX_SPAN_COMPONENT = 18
#: Largest never-share clique the span bound looks at.
MAX_SPAN_CLIQUE = 64
_COVER_MEMO: dict[bytes, int] = {}


def min_path_cover(adjacent: np.ndarray) -> int:
    """Fewest vertex-disjoint paths covering a graph (exact DP over vertex subsets).

    ``adjacent[v, u]`` says v and u may sit next to each other. dp[mask, v] is the
    fewest paths covering ``mask`` with the last path ending at v; layers of equal
    popcount are processed with numpy.
    """
    n = len(adjacent)
    if n == 0:
        return 0
    step = np.where(adjacent, 0, 1).astype(np.int16)  # extend the path (0) or start one (1)
    full = 1 << n
    dp = np.full((full, n), np.int16(1000), dtype=np.int16)
    bits = 1 << np.arange(n)
    dp[bits, np.arange(n)] = 1
    masks = np.arange(full)
    popcount = np.zeros(full, dtype=np.int8)
    for b in range(n):
        popcount += ((masks >> b) & 1).astype(np.int8)
    for layer in range(1, n):
        current = np.flatnonzero(popcount == layer)
        best = (dp[current][:, :, None] + step[None, :, :]).min(axis=1)
        for u in range(n):
            free = (current & bits[u]) == 0
            target = current[free] | bits[u]
            dp[target, u] = np.minimum(dp[target, u], best[free, u])
    return int(dp[full - 1].min())


def path_cover_lower_bound(adjacent: np.ndarray) -> int:
    """A lower bound on the path cover number (exact when every connected piece is small).

    Path covers add up over connected pieces; a piece of at most MAX_SPAN_COMPONENT
    vertices is solved exactly (memoised: auctions ask about the same cluster again and
    again), a larger one counts ``n - floor(sum(min(2, degree)) / 2)`` (a path cover
    with p paths has n - p edges, at most two at each vertex), and at least 1.
    """
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    n = len(adjacent)
    if n == 0:
        return 0
    count, label = connected_components(csr_matrix(adjacent), directed=False)
    total = 0
    for piece in range(count):
        idx = np.flatnonzero(label == piece)
        if idx.size <= 2:
            total += 1
            continue
        sub = np.ascontiguousarray(adjacent[np.ix_(idx, idx)])
        if idx.size > MAX_SPAN_COMPONENT:
            ends = np.minimum(sub.sum(axis=1), 2).sum() // 2
            total += max(1, int(idx.size - ends))
            continue
        key = idx.size.to_bytes(1, "little") + np.packbits(sub).tobytes()
        cover = _COVER_MEMO.get(key)
        if cover is None:
            cover = min_path_cover(sub)
            if len(_COVER_MEMO) > 4096:
                _COVER_MEMO.clear()
            _COVER_MEMO[key] = cover
        total += cover
    return total


def _greedy_path_cover(may_touch: np.ndarray) -> int:
    """An upper bound on the path cover number: join path ends greedily."""
    n = len(may_touch)
    degree = np.zeros(n, dtype=np.int64)
    parent = list(range(n))

    def root(v: int) -> int:
        while parent[v] != v:
            parent[v] = parent[parent[v]]
            v = parent[v]
        return v

    edges = 0
    for v, u in zip(*np.nonzero(np.triu(may_touch, 1)), strict=True):
        if degree[v] < 2 and degree[u] < 2 and root(v) != root(u):
            parent[root(v)] = root(u)
            degree[v] += 1
            degree[u] += 1
            edges += 1
    return n - edges


def _span_needed(never_adjacent: np.ndarray, channels: list[int]) -> int:
    """Channels a never-share clique needs once adjacent-channel conflicts force gaps.

    Sorted by channel, the clique's stations form runs on consecutive channels; two
    stations next to each other in a run must be allowed on adjacent channels, so the
    runs are paths in the "may be adjacent" graph: at least pc of them (its path cover
    number). Runs of channels available: m; between two runs in the same channel run
    one channel stays empty. So the clique needs |K| + pc - min(m, pc) channels.
    """
    k = len(never_adjacent)
    may_touch = ~never_adjacent
    np.fill_diagonal(may_touch, False)
    paths = path_cover_lower_bound(may_touch)
    runs = 1 + sum(1 for a, b in itertools.pairwise(channels) if b != a + 1)
    return k + paths - min(runs, paths)


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
        co_clique: list[int] = []
        for relation, kind in ((never_share, "co"), (never_adjacent, "adjacent")):
            clique = _max_clique(relation, 0, budget=budget)
            if kind == "co":
                co_clique = clique
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
        if len(co_clique) > 2 and not budget.expired():
            proof = _span_proof(co_clique, never_adjacent, members, view)
            if proof is not None:
                return proof
    return None


def _span_proof(
    clique: list[int], never_adjacent: np.ndarray, members: np.ndarray, view: ProblemView
) -> CliqueProof | None:
    """The span bound on a never-share clique (at most MAX_SPAN_CLIQUE of its stations).

    Any sub-clique gives a valid (weaker) bound; the paths counted are a lower bound.
    """
    if len(clique) > MAX_SPAN_CLIQUE:
        within = never_adjacent[np.ix_(clique, clique)].sum(axis=1)
        clique = [clique[k] for k in np.argsort(-within, kind="stable")[:MAX_SPAN_CLIQUE]]
    sub = never_adjacent[np.ix_(clique, clique)]
    if not sub.any():
        return None
    stations = [int(view.data.ids[members[k]]) for k in clique]
    channels = sorted({c for s in stations for c in view.domains[s]})
    # The bound fires only with more paths than runs - len(channels) + |K|; path covers
    # never exceed |K| nor a greedy cover, so most cliques are dismissed before the DP.
    runs = 1 + sum(1 for a, b in itertools.pairwise(channels) if b != a + 1)
    fires_above = len(channels) - len(clique) + runs
    if fires_above >= len(clique) or _greedy_path_cover(~sub) <= fires_above:
        return None
    need = _span_needed(sub, channels)
    if need > len(channels):
        return CliqueProof(tuple(stations), len(channels), "span", need)
    return None
