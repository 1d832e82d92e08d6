"""Completing a known packing: place the stations a real assignment leaves out.

The real post-auction repack (TVStudy's ``post_auction_parameters.csv``) gives every US
station left on air its channel, but no Canadian station: Canada repacked alongside,
into the same band, and its channels are not in the file. A realistic world must admit a
*complete* post-auction packing, so the stations without one are placed by the checker,
with the known stations fixed:

1. every missing station's channels are cut to those no known station blocks; a station
   left with none contradicts every placement the world allows;
2. the rest are one feasibility problem (their home channels as the previous
   assignment) for auctool's checker; if it cannot answer in the cutoff, a DSatur
   colouring places what it can and the others are treated as in 1;
3. each contradicting station goes on the channel of its band where it breaks the
   fewest constraints, and those constraints are *reported* (stations, pairs), so the
   caller can admit them, as it admits the real assignment's, knowing what it changes.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from auctool.model import ConstraintData, Problem


@dataclass(frozen=True)
class Completion:
    """What completing a packing took."""

    known: int  # stations whose channel was given
    placed: int  # stations placed without breaking a constraint
    contradicting: tuple[int, ...]  # stations every channel of whose band breaks one
    broken_pairs: int  # constraints (station pairs) the contradicting ones break
    answer: str  # the checker's answer on the placeable rest
    seconds: float

    def to_json(self) -> dict[str, object]:
        out = dict(self.__dict__)
        out["contradicting"] = list(self.contradicting)
        out["seconds"] = round(self.seconds, 3)
        return out


def _blocked(data: ConstraintData, k: int, placed: np.ndarray) -> np.ndarray:
    """Per channel 0..max, how many placed stations station index ``k`` conflicts with there."""
    di = data.directed
    sl = di.rows(k)
    dst, cs, ct = di.dst[sl], di.cs[sl], di.ct[sl]
    hit = placed[dst] == ct
    return np.bincount(cs[hit], minlength=data.max_channel + 1)


def complete_packing(
    data: ConstraintData,
    known: Mapping[int, int],
    missing: Mapping[int, tuple[int, ...]],
    home: Mapping[int, int] | None = None,
    cutoff: float = 60.0,
) -> tuple[dict[int, int], Completion]:
    """``known`` plus a channel (of ``missing[s]``) for every missing station."""
    from auctool.check import Checker
    from auctool.worlds.homes import greedy_channels

    start = time.perf_counter()
    index = data.index
    placed = np.full(len(data.ids), -1, dtype=np.int64)
    for s, c in known.items():
        placed[index[s]] = c
    free: dict[int, tuple[int, ...]] = {}
    contradicting: list[int] = []
    for s, chans in missing.items():
        count = _blocked(data, index[s], placed)
        ok = tuple(c for c in chans if count[c] == 0)
        if ok:
            free[s] = ok
        else:
            contradicting.append(s)
    answer = "SAT"
    found: dict[int, int] = {}
    if free:
        home = home or {}
        previous = {s: home[s] for s in free if home.get(s) in free[s]}
        problem = Problem(free, previous, name="complete-packing")
        with Checker(data) as checker:
            result = checker.check(problem, cutoff=cutoff)
        answer = result.answer.value
        if result.assignment is not None:
            found = dict(result.assignment)
        else:
            sub = data.subset(free)
            found = greedy_channels(sub, free, np.random.default_rng(0))
            contradicting += [s for s in free if s not in found]
    for s, c in found.items():
        placed[index[s]] = c
    broken = 0
    for s in sorted(contradicting):
        count = _blocked(data, index[s], placed)
        chans = list(missing[s])
        if not chans:
            continue
        best = min(chans, key=lambda c: (count[c], c))
        broken += int(count[best])
        placed[index[s]] = best
        found[s] = best
    assignment = {**dict(known), **found}
    report = Completion(
        known=len(known),
        placed=len(found) - len(contradicting),
        contradicting=tuple(sorted(contradicting)),
        broken_pairs=broken,
        answer=answer,
        seconds=time.perf_counter() - start,
    )
    return assignment, report
