"""The local search's inner loop, compiled (numba): the same TabuCol steps, ~50x faster.

numpy made each step a handful of array calls (~80 us a step, 12,500 flips a second on
national problems); the steps are scalar work, so a compiled loop runs them at memory
speed. The loop runs in chunks of steps and returns, so the caller keeps looking at the
clock and the stop signal between chunks. Random draws come from numba's own generator,
seeded per search: a search replays exactly.
"""

from __future__ import annotations

import numpy as np
from numba import njit

#: state array slots
STEP, VIOLATED, BEST, COUNT = 0, 1, 2, 3
#: return codes of :func:`run`
SOLVED, CHUNK_DONE, LIMIT = 1, 0, -1
#: From this many stations on, the search keeps its conflicted stations on a list instead
#: of scanning for them every step (measured: see :func:`run`).
LIST_MIN = 256


@njit(cache=True)
def seed(value: int) -> None:
    np.random.seed(value)


_WARM = False


def warm_up() -> None:
    """Compile (or load from numba's cache) every function with the types the search uses."""
    global _WARM
    if _WARM:
        return
    seed(0)
    one = np.zeros(1, dtype=np.int64)
    ptr = np.zeros(2, dtype=np.int64)
    state = np.zeros(4, dtype=np.int64)
    adj = np.zeros(0, dtype=np.int32)
    run(
        one,
        one.copy(),
        one.copy(),
        one.copy(),
        np.array([0, 1]),
        ptr,
        adj,
        state,
        1,
        -1,
        0.0,
        0,
        0.0,
        one.copy(),
        False,
        np.full(1, -1, dtype=np.int64),
        True,
    )
    _WARM = True


@njit(cache=True)
def _flag(j, on, clist, cpos, state):
    """Put station j on the conflicted list (on) or take it off, in O(1)."""
    at = cpos[j]
    if on and at < 0:
        cpos[j] = state[COUNT]
        clist[state[COUNT]] = j
        state[COUNT] += 1
    elif not on and at >= 0:
        state[COUNT] -= 1
        last = clist[state[COUNT]]
        clist[at] = last
        cpos[last] = at
        cpos[j] = -1


@njit(cache=True)
def _move(chosen, score, tabu, indptr, adj, owner, clist, cpos, state, i, v, tenure, track):
    """Station i to node v: the conflict counts of both nodes' neighbours, and (``track``)
    the list of conflicted stations for every station whose chosen node's count crossed
    zero."""
    u = chosen[i]
    if u >= 0:
        for k in range(indptr[u], indptr[u + 1]):
            w = adj[k]
            score[w] -= 1
            if track and score[w] == 0:
                j = owner[w]
                if j >= 0 and chosen[j] == w:
                    _flag(j, False, clist, cpos, state)
        state[VIOLATED] -= score[u]
        tabu[u] = state[STEP] + tenure
    chosen[i] = v
    for k in range(indptr[v], indptr[v + 1]):
        w = adj[k]
        score[w] += 1
        if track and score[w] == 1:
            j = owner[w]
            if j >= 0 and chosen[j] == w:
                _flag(j, True, clist, cpos, state)
    state[VIOLATED] += score[v]
    if track:
        _flag(i, score[v] > 0, clist, cpos, state)


@njit(cache=True, nogil=True)  # a complete-solve thread waits beside it (schedule.race)
def run(
    chosen,
    score,
    tabu,
    flat,
    offsets,
    indptr,
    adj,
    state,
    steps,
    limit,
    noise,
    tabu_base,
    tabu_factor,
    best_chosen,
    keep_best,
    owner,
    track,
):
    """Up to ``steps`` TabuCol steps (``limit``: the search's total, -1 for none).

    The stations in conflict: with ``track`` (problems of :data:`LIST_MIN` stations or
    more), on a list each move updates (``owner[node]``: the problem station a node
    belongs to, -1 none); without, by a scan of every station per step. On national problems (~1,400
    stations, 5-10 of them in conflict) the scan was a third of a step and the list makes
    the search 1.6x faster; on New York's (~70 stations) the scan is the faster of the two
    (by ~12%).
    """
    if state.size <= COUNT:  # no bounds checks in compiled code: say it, do not corrupt
        raise ValueError("the search state needs a slot per name: STEP, VIOLATED, BEST, COUNT")
    if track and owner.size < score.size:
        raise ValueError("a search that keeps a list needs every node's owner")
    n = chosen.size
    clist = np.empty(n, dtype=np.int64)
    cpos = np.full(n if track else 0, -1, dtype=np.int64)
    state[COUNT] = 0
    if track:  # the list, built once a chunk; the scan below builds its own every step
        for i in range(n):
            if score[chosen[i]] > 0:
                _flag(i, True, clist, cpos, state)
    for _ in range(steps):
        if not track:  # the scan
            state[COUNT] = 0
            for i in range(n):
                if score[chosen[i]] > 0:
                    clist[state[COUNT]] = i
                    state[COUNT] += 1
        m = state[COUNT]
        if m == 0:
            return SOLVED
        state[STEP] += 1
        step = state[STEP]
        if limit >= 0 and step > limit:
            return LIMIT
        tenure = np.random.randint(0, tabu_base + 1) + int(tabu_factor * m)
        if np.random.random() < noise:
            i = clist[np.random.randint(0, m)]
            lo, hi = offsets[i], offsets[i + 1]
            v = flat[lo + np.random.randint(0, hi - lo)]
            if v == chosen[i]:
                continue
        else:
            # the non-tabu move that lowers the conflicts most (tabu only if it beats
            # the best seen); ties at random
            best_delta = 1 << 60
            ties = 0
            i = -1
            v = -1
            aspire = state[BEST] - state[VIOLATED]
            for c in range(m):
                s = clist[c]
                cur = chosen[s]
                here = score[cur]
                for k in range(offsets[s], offsets[s + 1]):
                    cand = flat[k]
                    if cand == cur:
                        continue
                    delta = score[cand] - here
                    if tabu[cand] > step and delta >= aspire:
                        continue
                    if delta < best_delta:
                        best_delta = delta
                        ties = 1
                        i, v = s, cand
                    elif delta == best_delta:
                        ties += 1
                        if np.random.randint(0, ties) == 0:
                            i, v = s, cand
            if i < 0:
                continue
        _move(chosen, score, tabu, indptr, adj, owner, clist, cpos, state, i, v, tenure, track)
        if state[VIOLATED] < state[BEST]:
            state[BEST] = state[VIOLATED]
            if keep_best:
                best_chosen[:] = chosen
    return CHUNK_DONE
