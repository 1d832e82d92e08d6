"""Reductions: cheap reasoning that answers or shrinks a problem before any SAT solver runs.

All of them work on dense numpy views of the problem (``ProblemView``) and touch only the
pairs of the stations involved, so they cost milliseconds even on national data:

- ``greedy_extend``: keep the fixed stations where they are, place the others on a free
  channel one by one (the checker's ``previous`` step: SATFC answers most auction
  checks this way);
- ``arc_consistency``: drop channels that leave a neighbour no channel at all (AC-3);
  an empty domain proves UNSAT;
- ``underconstrained``: drop stations whose neighbours can never block all their
  channels; they are added back greedily after solving, in reverse order of removal;
- ``components``: the interference graph's connected components, solved separately.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from auctool.model.constraints import ConstraintData


@dataclass(frozen=True, eq=False)
class ProblemView:
    """A problem's domains as dense arrays over the data's station index.

    ``allowed[i, c]`` says channel c is in station i's domain (rows of stations outside
    the problem are all False), so "is this pair inside the problem" is one lookup.
    """

    data: ConstraintData
    domains: Mapping[int, tuple[int, ...]]

    @cached_property
    def indices(self) -> np.ndarray:
        ids = np.fromiter(self.domains, dtype=np.int64, count=len(self.domains))
        return np.searchsorted(self.data.ids, ids)

    @cached_property
    def allowed(self) -> np.ndarray:
        table = np.zeros((len(self.data.ids), self.data.max_channel + 1), dtype=bool)
        for i, chans in zip(self.indices.tolist(), self.domains.values(), strict=True):
            table[i, list(chans)] = True
        return table

    @cached_property
    def rows(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Directed pairs (src, cs, dst, ct) with both ends inside the domains."""
        di = self.data.directed
        idx = self.indices
        rows = di.gather(idx)
        src = np.repeat(idx, di.offsets[idx + 1] - di.offsets[idx])
        dst, cs, ct = di.dst[rows], di.cs[rows], di.ct[rows]
        keep = self.allowed[src, cs] & self.allowed[dst, ct]
        return src[keep], cs[keep], dst[keep], ct[keep]

    def station(self, index: int) -> int:
        return int(self.data.ids[index])


# ---------------------------------------------------------------------------------------
def blocked_channels(data: ConstraintData, index: int, placed: np.ndarray) -> np.ndarray:
    """Channels station ``index`` cannot take given ``placed`` (channel per index, -1 none)."""
    di = data.directed
    sl = di.rows(index)
    dst, cs, ct = di.dst[sl], di.cs[sl], di.ct[sl]
    return cs[placed[dst] == ct]


def greedy_extend(
    data: ConstraintData,
    domains: Mapping[int, Sequence[int]],
    fixed: Mapping[int, int],
    order: Iterable[int] | None = None,
    prefer: Mapping[int, int] | None = None,
) -> dict[int, int] | None:
    """Place every non-fixed station on a channel free of conflicts, one at a time.

    Stations go most-constrained first (fewest free channels) unless ``order`` is given;
    ``prefer`` names a channel to try first (e.g. the station's previous one). Returns
    the full assignment, or None when some station finds no free channel. Conflicts
    *among* the fixed stations are not checked here (the verifier does).
    """
    index = data.index
    placed = np.full(len(data.ids), -1, dtype=np.int64)
    for s, c in fixed.items():
        placed[index[s]] = c
    todo = [s for s in (order if order is not None else domains) if s not in fixed]
    if order is None:
        todo.sort(key=lambda s: len(domains[s]))
    result = dict(fixed)
    for s in todo:
        i = index[s]
        blocked = set(blocked_channels(data, i, placed).tolist())
        free = [c for c in domains[s] if c not in blocked]
        if not free:
            return None
        choice = prefer.get(s) if prefer else None
        c = choice if choice in free else free[0]
        placed[i] = c
        result[s] = c
    return result


# ---------------------------------------------------------------------------------------
def arc_consistency(
    view: ProblemView, max_rounds: int = 50
) -> tuple[dict[int, tuple[int, ...]] | None, int]:
    """AC-3 on the "not both" constraints: returns (pruned domains or None if empty, removed).

    A channel c of station s loses all support at neighbour t only when (s, c) forbids
    every channel left in t's domain. One (s, c) forbids at most a handful of t's channels
    (CO and ADJ+-1/2), so only neighbours with tiny domains matter: we look at those.
    """
    allowed = view.allowed.copy()
    src, cs, dst, ct = view.rows
    sizes = allowed.sum(axis=1)
    removed = 0
    width = allowed.shape[1]
    for _ in range(max_rounds):
        live = allowed[src, cs] & allowed[dst, ct]
        small = live & (sizes[dst] <= 5)
        if not small.any():
            break
        s_, c_, d_ = src[small], cs[small], dst[small]
        key = (s_.astype(np.int64) * width + c_) * len(sizes) + d_
        uniq, counts = np.unique(key, return_counts=True)
        d_of = uniq % len(sizes)
        sc = uniq // len(sizes)
        kill = counts >= sizes[d_of]
        if not kill.any():
            break
        s_kill, c_kill = sc[kill] // width, sc[kill] % width
        newly = allowed[s_kill, c_kill]
        if not newly.any():
            break
        allowed[s_kill, c_kill] = False
        removed += int(newly.sum())
        sizes = allowed.sum(axis=1)
        if (sizes[view.indices] == 0).any():
            return None, removed
    pruned = {
        s: tuple(c for c in chans if allowed[i, c])
        for s, chans, i in zip(
            view.domains, view.domains.values(), view.indices.tolist(), strict=True
        )
    }
    return pruned, removed


# ---------------------------------------------------------------------------------------
def underconstrained(view: ProblemView) -> list[int]:
    """Stations that always keep a free channel, in removal order (add back in reverse).

    Station s is underconstrained when the channels its neighbours can block, taking for
    each neighbour t the worst channel t could sit on, are fewer than |D(s)|. We remove
    such stations and repeat on the rest (the bound then ignores removed neighbours, which
    is why they must be added back in reverse order).

    One sort computes every neighbour's worst-case block; each removal round then only
    subtracts the removed neighbours' contributions.
    """
    src, _, dst, ct = view.rows
    n = len(view.data.ids)
    width = view.allowed.shape[1]
    sizes = view.allowed.sum(axis=1).astype(np.int64)
    alive = np.zeros(n, dtype=bool)
    alive[view.indices] = True
    if src.size:
        # for each (s, t, channel of t): how many of s's channels it blocks
        key = (src.astype(np.int64) * n + dst.astype(np.int64)) * width + ct.astype(np.int64)
        key.sort()
        starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
        counts = np.diff(np.r_[starts, key.size])
        st = key[starts] // width
        # worst channel of t, per (s, t)
        pair_starts = np.flatnonzero(np.r_[True, st[1:] != st[:-1]])
        worst = np.maximum.reduceat(counts, pair_starts)
        pair_s, pair_t = st[pair_starts] // n, st[pair_starts] % n
    else:
        worst = pair_s = pair_t = np.zeros(0, dtype=np.int64)
    bounds = np.zeros(n, dtype=np.int64)
    np.add.at(bounds, pair_s, worst)
    order: list[int] = []
    while True:
        candidates = np.flatnonzero(alive & (bounds < sizes) & (sizes > 0))
        if candidates.size == 0:
            return order
        order.extend(view.station(i) for i in candidates.tolist())
        alive[candidates] = False
        gone = np.zeros(n, dtype=bool)
        gone[candidates] = True
        hit = gone[pair_t] & alive[pair_s]
        np.subtract.at(bounds, pair_s[hit], worst[hit])


def add_back(
    data: ConstraintData,
    domains: Mapping[int, Sequence[int]],
    assignment: Mapping[int, int],
    removed: Sequence[int],
) -> dict[int, int] | None:
    """Re-insert underconstrained stations greedily, last removed first."""
    return greedy_extend(data, domains, assignment, order=list(reversed(removed)))


# ---------------------------------------------------------------------------------------
def components(view: ProblemView, stations: Iterable[int] | None = None) -> list[list[int]]:
    """Connected components of the interference graph among ``stations`` (default: all)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    keep = list(view.domains) if stations is None else list(stations)
    index = view.data.index
    local = {index[s]: k for k, s in enumerate(keep)}
    src, _, dst, _ = view.rows
    mask = np.zeros(len(view.data.ids), dtype=np.int64) - 1
    for i, k in local.items():
        mask[i] = k
    a, b = mask[src], mask[dst]
    edge = (a >= 0) & (b >= 0)
    n = len(keep)
    graph = coo_matrix((np.ones(int(edge.sum()), dtype=np.int8), (a[edge], b[edge])), shape=(n, n))
    count, labels = connected_components(graph, directed=False)
    groups: list[list[int]] = [[] for _ in range(count)]
    for s, lab in zip(keep, labels.tolist(), strict=True):
        groups[lab].append(s)
    return groups
