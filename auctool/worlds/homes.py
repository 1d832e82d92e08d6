"""Home channels: a feasible pre-auction assignment for a synthetic world.

Before the auction every station was on air without interference, so a world's home
channels must form a feasible assignment. We colour greedily (most-constrained station
first, a random free channel of its home band, seeded); stations the greedy pass cannot
place go to auctool's checker with the greedy channels as the previous assignment. The
result is verified against the constraints before it is used.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from auctool.errors import RunError
from auctool.model import ConstraintData, Problem, violations


def _directed(data: ConstraintData) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Both directions of every constraint, sorted by (station index, channel) + keys."""
    ia, ca, ib, cb = data.pair_index
    src = np.concatenate([ia, ib]).astype(np.int64)
    cs = np.concatenate([ca, cb]).astype(np.int64)
    dst = np.concatenate([ib, ia]).astype(np.int64)
    ct = np.concatenate([cb, ca]).astype(np.int64)
    key = src * 256 + cs
    order = np.argsort(key, kind="stable")
    return key[order], dst[order], ct[order]


def greedy_channels(
    data: ConstraintData, bands: Mapping[int, tuple[int, ...]], rng: np.random.Generator
) -> dict[int, int]:
    """DSatur colouring: station -> channel of ``bands[station]``; unplaceable ones left out.

    Next is always the station with the fewest free channels left (ties: most
    neighbours, then random); it takes, among its free channels, one that takes the
    fewest free channels from unplaced neighbours (ties random).
    """
    key, dst, ct = _directed(data)
    n = len(data.ids)
    width = data.max_channel + 2
    allowed = np.zeros((n, width), dtype=bool)
    for k, station in enumerate(data.ids.tolist()):
        allowed[k, list(bands[station])] = True
    free = allowed.copy()
    free_count = free.sum(axis=1).astype(float)
    degree = np.bincount(data.pair_index[0], minlength=n) + np.bincount(
        data.pair_index[2], minlength=n
    )
    tie = degree / (degree.max(initial=0) + 1.0) + rng.random(n) * 1e-3
    done = np.zeros(n, dtype=bool)
    placed: dict[int, int] = {}
    for _ in range(n):
        k = int(np.argmin(np.where(done, np.inf, free_count - tie)))
        done[k] = True
        options = np.flatnonzero(free[k])
        if options.size == 0:
            continue
        slices = [
            (np.searchsorted(key, k * 256 + c), np.searchsorted(key, k * 256 + c, side="right"))
            for c in options.tolist()
        ]
        damage = np.array(
            [np.count_nonzero(free[dst[lo:hi], ct[lo:hi]] & ~done[dst[lo:hi]]) for lo, hi in slices]
        )
        best = np.flatnonzero(damage == damage.min())
        pick = int(best[int(rng.integers(best.size))])
        placed[int(data.ids[k])] = int(options[pick])
        lo, hi = slices[pick]
        t, c = dst[lo:hi], ct[lo:hi]
        hit = free[t, c]
        free[t[hit], c[hit]] = False
        np.subtract.at(free_count, t[hit], 1)
    return placed


#: The checker is asked to complete the greedy colouring in one check when it left this
#: few out; more, and it places them one at a time.
CHECKER_MAX_MISSING = 10
#: Seconds for placing one left-out station (its band is the placed ones plus itself).
ONE_STATION_SECONDS = 1.0


def home_channels(
    data: ConstraintData,
    bands: Mapping[int, tuple[int, ...]],
    rng: np.random.Generator,
    cutoff: float = 5.0,
    max_dropped: float = 0.0,
) -> tuple[dict[int, int], dict[str, int]]:
    """A verified interference-free assignment of stations to channels of their home band.

    Stations the greedy pass leaves out go to the checker: a handful in one check of the
    whole world, more one at a time against the stations placed so far (the greedy pass
    is a heuristic: it leaves out stations the checker can place). Those it cannot place
    either, up to ``max_dropped`` (a share of all stations), are left out of the
    assignment: a station that fits nowhere would never have been licensed. More than
    that is a :class:`RunError` (the world is too dense to have existed).
    """
    from auctool.check import Checker

    placed = greedy_channels(data, bands, rng)
    stats = {"greedy": len(placed), "checker": 0, "dropped": 0}
    missing = [s for s in bands if s not in placed]
    answer = ""  # the last unplaced station's answer (what the error names)
    allowed = int(max_dropped * len(bands))
    with Checker(data) as checker:
        if 0 < len(missing) <= CHECKER_MAX_MISSING:
            problem = Problem(dict(bands), placed, name="home-channels")
            result = checker.check(problem, cutoff=cutoff)
            if result.assignment is not None:
                stats["checker"] = len(missing)
                placed, missing = dict(result.assignment), []
        dropped: list[int] = []
        for station in missing:
            if len(dropped) > allowed:
                break  # too dense: no need to try the rest
            band = {s: bands[s] for s in placed} | {station: bands[station]}
            result = checker.check(
                Problem(band, placed, name=f"home-{station}"), cutoff=ONE_STATION_SECONDS
            )
            if result.assignment is None:
                dropped.append(station)
                answer = result.answer.value
                continue
            placed = dict(result.assignment)
            stats["checker"] += 1
    if len(dropped) > allowed:
        raise RunError(
            f"no interference-free home channels for this world ({answer} for a station after "
            f"the greedy pass placed {stats['greedy']} of {len(bands)} and the checker "
            f"{stats['checker']} more): it is too dense; use fewer stations, a larger region "
            "or smaller radii"
        )
    stats["dropped"] = len(dropped)
    subset = Problem({s: bands[s] for s in placed})
    bad = violations(placed, subset, data, limit=1)
    if bad:
        raise RunError(f"internal error: home channels do not verify ({bad[0].message})")
    return placed, stats
