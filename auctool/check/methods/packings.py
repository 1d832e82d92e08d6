"""The band's recent packings: a pool of witnesses a new question tries as starting points.

Why: a clock auction asks about the same band thousands of times, one more station each
time, and every SAT witness of "band + s" is a packing of the band. The previous
assignment is one of those packings; when the new station finds no free channel around
it, another packing of the same band (the witness of a neighbour's question, or of this
station's own question a round ago) may have moved exactly the stations in its way. Each
try keeps a pooled packing where it is still allowed, places the rest greedily, and is
reported only if the verifier accepts the whole assignment.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping

from auctool.check.budget import Budget
from auctool.check.methods.reductions import greedy_extend
from auctool.model.constraints import ConstraintData
from auctool.model.problem import Problem
from auctool.model.verify import WitnessVerifier

#: Packings kept (most recent first): each try is a greedy pass over the new stations.
POOL_SIZE = 16


class PackingPool:
    """The most recent distinct SAT witnesses this checker has seen, bounded."""

    def __init__(self, size: int = POOL_SIZE):
        self._pool: deque[tuple[int, dict[int, int]]] = deque(maxlen=size)  # (key, packing)

    def __len__(self) -> int:
        return len(self._pool)

    def add(self, assignment: Mapping[int, int]) -> None:
        """Keep a witness (a repeat of one already pooled moves it to the front)."""
        packing = dict(assignment)
        key = hash(frozenset(packing.items()))
        for i, (pooled, _) in enumerate(self._pool):
            if pooled == key:
                del self._pool[i]
                break
        self._pool.appendleft((key, packing))

    def extend(
        self,
        data: ConstraintData,
        p: Problem,
        verifier: WitnessVerifier,
        budget: Budget,
    ) -> dict[int, int] | None:
        """A verified assignment of ``p`` grown from a pooled packing, or None.

        Pooled packings that agree with ``p``'s previous assignment on every station it
        places are skipped: the previous-assignment step has just tried that start.
        """
        previous = p.previous or {}
        for _, packing in list(self._pool):
            if budget.expired():
                return None
            fixed = {s: c for s, c in packing.items() if c in p.domains.get(s, ())}
            if previous and all(fixed.get(s) == c for s, c in previous.items()):
                continue
            candidate = greedy_extend(data, p.domains, fixed)
            if candidate is not None and verifier.is_valid(candidate, p):
                return candidate
        return None
