"""Local search from the previous assignment: a tabu min-conflicts search on the colouring.

Auction problems are "a packed band plus one or a few new stations": start every station
on its previous channel, put the new ones where they conflict least, then repair. Each
step looks only at the stations still in conflict and makes the move among their
channels that removes the most conflicts (TabuCol: the channel a station just left is
tabu for a few steps unless taking it beats the best seen; with probability ``noise`` a
random channel of a random conflicted station instead).

The search works on a (station, channel) node graph built once per constraint data set
and keeps, for every node, how many chosen nodes it conflicts with: a move updates the
neighbours of two nodes. The steps themselves run compiled (``auctool.check.methods._lsjit``).

Local search can only prove SAT: it returns a verified assignment or None.
"""

from __future__ import annotations

import itertools
import math
import random
import time
import weakref
from dataclasses import dataclass

import numpy as np

from auctool.check.budget import StopSignal
from auctool.check.methods import _lsjit
from auctool.errors import RunError
from auctool.model.constraints import ConstraintData
from auctool.model.problem import Problem
from auctool.model.verify import violations

#: Steps between two looks at the clock (~1 ms of compiled steps on national problems).
CHUNK = 512
_NEVER = np.iinfo(np.int64).max // 2


@dataclass(frozen=True, eq=False)
class NodeGraph:
    """Nodes (station index, channel of its Domain.csv domain) and their conflicts, CSR."""

    node_of: np.ndarray  # (stations, max channel + 1) -> node, -1 where not in the domain
    node_station: np.ndarray  # node -> station index
    node_channel: np.ndarray
    indptr: np.ndarray  # node -> its conflicting nodes adj[indptr[v]:indptr[v + 1]]
    adj: np.ndarray

    @classmethod
    def build(cls, data: ConstraintData) -> NodeGraph:
        sizes = np.fromiter(map(len, data.domains.values()), dtype=np.int64, count=len(data.ids))
        node_station = np.repeat(np.arange(len(data.ids), dtype=np.int32), sizes)
        node_channel = np.fromiter(
            (c for d in data.domains.values() for c in d), dtype=np.int32, count=int(sizes.sum())
        )
        node_of = np.full((len(data.ids), data.max_channel + 1), -1, dtype=np.int32)
        node_of[node_station, node_channel] = np.arange(node_station.size, dtype=np.int32)
        ia, ca, ib, cb = data.pair_index
        u, v = node_of[ia, ca], node_of[ib, cb]
        keep = (u >= 0) & (v >= 0) & (ia != ib)  # a station holds one channel: no self-pairs
        src = np.concatenate([u[keep], v[keep]])
        dst = np.concatenate([v[keep], u[keep]])
        order = np.argsort(src, kind="stable")
        indptr = np.searchsorted(src[order], np.arange(node_station.size + 1)).astype(np.int64)
        return cls(node_of, node_station, node_channel, indptr, dst[order].astype(np.int32))


_GRAPHS: weakref.WeakKeyDictionary[ConstraintData, NodeGraph] = weakref.WeakKeyDictionary()


def node_graph(data: ConstraintData) -> NodeGraph:
    """The data's node graph, built on first use and kept as long as the data lives."""
    graph = _GRAPHS.get(data)
    if graph is None:
        graph = _GRAPHS[data] = NodeGraph.build(data)
    return graph


def _ranges(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Concatenation of arange(s, e) for each pair (vectorised)."""
    lengths = ends - starts
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    shift = np.repeat(starts - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
    return np.arange(total) + shift


class _Search:
    """The state of one search: chosen node per station, conflict counts per node."""

    def __init__(self, graph: NodeGraph, nodes: np.ndarray, offsets: np.ndarray, seed: int):
        self.g = graph
        self.rand = random.Random(seed)  # scalar draws: ~20x cheaper than numpy's
        self.flat, self.offsets = nodes, offsets  # allowed nodes of station i: flat[o[i]:o[i+1]]
        self.sizes = np.diff(offsets)
        n_nodes = graph.node_station.size
        self.score = np.zeros(n_nodes, dtype=np.int64)  # chosen neighbours of every node
        self.chosen = np.full(self.sizes.size, -1, dtype=np.int64)
        self.tabu = np.zeros(n_nodes, dtype=np.int64)  # step until which a node is tabu
        self.track = False  # conflicted stations on a list (big problems), else a scan
        self.owner = np.zeros(0, dtype=np.int64)
        if self.sizes.size >= _lsjit.LIST_MIN:
            self.keep_list()
        self.violated = 0  # conflicting pairs of chosen nodes

    def keep_list(self) -> None:
        """Have the compiled steps keep the conflicted stations on a list, which needs
        every node's problem station (-1: none): worth it on big problems only."""
        self.owner = np.full(self.score.size, -1, dtype=np.int64)
        self.owner[self.flat] = np.repeat(np.arange(self.sizes.size, dtype=np.int64), self.sizes)
        self.track = True

    def place_all(self, chosen: np.ndarray) -> None:
        """Choose many nodes at once (the previous assignment): one bincount."""
        ok = chosen >= 0
        picked = chosen[ok]
        self.chosen[ok] = picked
        g = self.g
        nbrs = g.adj[_ranges(g.indptr[picked], g.indptr[picked + 1])]
        self.score += np.bincount(nbrs, minlength=self.score.size)
        self.violated = int(self.score[picked].sum()) // 2

    def move(self, i: int, v: int, step: int, tenure: int) -> None:
        """Station i (problem index) to node v, keeping the conflict counts."""
        g, score = self.g, self.score
        u = int(self.chosen[i])
        if u >= 0:
            score[g.adj[g.indptr[u] : g.indptr[u + 1]]] -= 1
            self.violated -= int(score[u])
            self.tabu[u] = step + tenure
        score[g.adj[g.indptr[v] : g.indptr[v + 1]]] += 1
        self.violated += int(score[v])
        self.chosen[i] = v

    def nodes(self, i: int) -> np.ndarray:
        """The allowed nodes of problem station i."""
        return self.flat[self.offsets[i] : self.offsets[i + 1]]

    def best_node(self, i: int) -> int:
        """The allowed node of station i with the fewest conflicts (ties at random)."""
        cand = self.nodes(i)
        s = self.score[cand]
        ties = np.flatnonzero(s == s.min())
        return int(cand[ties[self.rand.randrange(ties.size)]])


def warm_up() -> None:
    """Load the compiled search (~0.8 s once per process: numba's cache and dispatch)."""
    _lsjit.warm_up()


def local_search(
    problem: Problem,
    data: ConstraintData,
    deadline: float = math.inf,
    seed: int = 0,
    *,
    noise: float = 0.05,
    max_flips: int | None = 2_000,
    tabu_base: int = 8,
    tabu_factor: float = 0.6,
    verify: bool = True,
    stop: StopSignal | None = None,
    end: list[dict[int, int]] | None = None,
    moves: list[int] | None = None,
) -> dict[int, int] | None:
    """A valid assignment found by repairing ``problem.previous``, or None.

    ``deadline`` is a ``time.monotonic()`` time; ``max_flips`` bounds the moves (None:
    only the deadline; on auction problems nearly every success comes within ~1,000). Knobs: ``noise`` is the chance a step moves a random conflicted
    station to a random channel; a left channel stays tabu for
    ``randint(0, tabu_base) + tabu_factor * (stations in conflict)`` steps.
    Raises ``ValueError`` for a station absent from ``data``; a returned assignment has
    passed :func:`auctool.model.verify.violations` (``verify=False`` skips that for
    callers that verify themselves). ``stop``: another answer came first (a race, a
    portfolio), polled with the clock. ``end``: a list that receives the assignment the
    search stopped at when it found none (conflicts and all), for a caller that may
    continue the same search later from there. ``moves``: a list that receives the
    number of moves made (what a work budget charges).
    """
    if not problem.domains:
        return {}
    graph = node_graph(data)
    search = _begin(problem, data, graph, seed)
    if search is None:
        return None  # an empty domain (as far as the data knows): nothing to search
    found = _repair(
        search, deadline, max_flips, noise, tabu_base, tabu_factor, stop=stop, moves=moves
    )
    channels = graph.node_channel[search.chosen].tolist()
    assignment = dict(zip(problem.domains, channels, strict=True))
    if not found:
        if end is not None:
            end.append(assignment)
        return None
    if verify:
        bad = violations(assignment, problem, data, limit=1)
        if bad:
            raise RunError(
                f"internal error: local search produced an invalid witness ({bad[0].message})"
            )
    return assignment


def _begin(problem: Problem, data: ConstraintData, graph: NodeGraph, seed: int) -> _Search | None:
    """A search on the problem's stations: previous channels placed, the others where
    they conflict least (None when a station has no channel at all)."""
    ids = np.fromiter(problem.domains.keys(), dtype=np.int64, count=len(problem))
    where = np.searchsorted(data.ids, ids)
    missing = (where >= data.ids.size) | (data.ids[np.minimum(where, data.ids.size - 1)] != ids)
    if missing.any():
        raise ValueError(f"station {int(ids[missing][0])} is not in the constraint data")
    nodes, offsets, start = _start(problem, graph, where)
    if (np.diff(offsets) == 0).any():
        return None
    search = _Search(graph, nodes, offsets, seed)
    search.place_all(start)
    newcomers = np.flatnonzero(start < 0).tolist()
    search.rand.shuffle(newcomers)
    for i in newcomers:
        search.move(i, search.best_node(i), 0, 0)
    return search


def _start(
    problem: Problem, graph: NodeGraph, where: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every station's allowed nodes (flat, with offsets), and the node of its previous
    channel where that is allowed (else -1)."""
    top = graph.node_of.shape[1]
    lengths = np.fromiter(map(len, problem.domains.values()), dtype=np.int64, count=len(where))
    chans = np.fromiter(
        itertools.chain.from_iterable(problem.domains.values()),
        dtype=np.int64,
        count=int(lengths.sum()),
    )
    owner = np.repeat(np.arange(len(where)), lengths)
    inside = (chans >= 0) & (chans < top)
    flat = np.full(chans.size, -1, dtype=np.int64)
    flat[inside] = graph.node_of[where[owner[inside]], chans[inside]]
    known = flat >= 0  # channels outside the station's Domain.csv domain have no node
    nodes = flat[known]
    offsets = np.zeros(len(where) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum(np.bincount(owner[known], minlength=len(where)))
    allowed = np.zeros(graph.node_station.size, dtype=bool)
    allowed[nodes] = True
    prev = np.fromiter(
        (problem.previous.get(s, -1) for s in problem.domains), dtype=np.int64, count=len(where)
    )
    start = np.full(len(where), -1, dtype=np.int64)
    ok = (prev >= 0) & (prev < top)
    start[ok] = graph.node_of[where[ok], prev[ok]]
    start[start >= 0] = np.where(allowed[start[start >= 0]], start[start >= 0], -1)
    return nodes, offsets, start


def _repair(
    search: _Search,
    deadline: float,
    max_flips: int | None,
    noise: float,
    tabu_base: int,
    tabu_factor: float,
    keep_best: list[np.ndarray] | None = None,
    stop: StopSignal | None = None,
    moves: list[int] | None = None,
) -> bool:
    """TabuCol-style repair until no conflict is left (True) or a limit is hit (False).

    The steps run compiled (``auctool.check.methods._lsjit``), :data:`CHUNK` at a time, the
    clock and ``stop`` looked at between chunks. ``keep_best``: a list that receives a
    copy of the choice with the fewest conflicts seen, for callers that can use an
    almost-packing.
    """
    g = search.g
    _lsjit.seed(search.rand.getrandbits(31))
    state = np.array([0, search.violated, search.violated, 0], dtype=np.int64)
    best_chosen = search.chosen.copy()
    limit = -1 if max_flips is None else int(max_flips)
    try:
        while True:
            code = _lsjit.run(
                search.chosen,
                search.score,
                search.tabu,
                search.flat,
                search.offsets,
                g.indptr,
                g.adj,
                state,
                CHUNK,
                limit,
                float(noise),
                int(tabu_base),
                float(tabu_factor),
                best_chosen,
                keep_best is not None,
                search.owner,
                search.track,
            )
            if code == _lsjit.SOLVED:
                return True
            if code == _lsjit.LIMIT:
                return False
            if time.monotonic() >= deadline or (stop is not None and stop.is_set()):
                return False
    finally:
        search.violated = int(state[_lsjit.VIOLATED])
        if moves is not None:
            moves.append(int(state[_lsjit.STEP]))
        if keep_best is not None:
            keep_best.append(best_chosen)


def fewest_conflicts(
    problem: Problem, data: ConstraintData, deadline: float, seed: int = 0
) -> tuple[dict[int, int], list[tuple[int, int]]]:
    """The same search, for problems that may be infeasible: the assignment with the
    fewest conflicts it met before the deadline, and those conflicts (station pairs).

    Every station has a channel of its domain (``ValueError`` for an empty one). A
    caller that must pack what it can drops one station of every pair listed.
    """
    graph = node_graph(data)
    ids = np.fromiter(problem.domains.keys(), dtype=np.int64, count=len(problem))
    search = _begin(problem, data, graph, seed)
    if search is None:
        raise ValueError("a station with no channel cannot be placed")
    best: list[np.ndarray] = []
    _repair(search, deadline, None, 0.05, 8, 0.6, keep_best=best)
    chosen = best[-1] if best else search.chosen
    channels = graph.node_channel[chosen].tolist()
    assignment = dict(zip(problem.domains, channels, strict=True))
    # the conflicting pairs of that choice
    owner = np.full(graph.node_station.size, -1, dtype=np.int64)
    owner[chosen] = np.arange(chosen.size)
    pairs = set()
    for i, v in enumerate(chosen.tolist()):
        nbrs = graph.adj[graph.indptr[v] : graph.indptr[v + 1]]
        for j in owner[nbrs].tolist():
            if j > i:
                pairs.add((int(ids[i]), int(ids[j])))
    return assignment, sorted(pairs)
