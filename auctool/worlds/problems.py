"""Auction-like problems: a band already packed, one new station to fit in.

This is the question a clock auction asks before every price drop. We replay a simple
sequence: stations arrive in random order; each is checked against those already
packed (their current channels as the previous assignment); if it fits, it stays.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np

from auctool.check.result import CheckResult
from auctool.model import ConstraintData, Problem


def packing_sequence(
    data: ConstraintData,
    channels: tuple[int, ...],
    check: Callable[[Problem], CheckResult],
    seed: int = 0,
    limit: int | None = None,
) -> Iterator[tuple[Problem, CheckResult]]:
    """Yield (problem, answer) as stations are added one by one in a random order."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(np.array(data.stations, dtype=np.int64)).tolist()
    allowed = set(channels)
    packed: dict[int, int] = {}
    for count, station in enumerate(order):
        if limit is not None and count >= limit:
            return
        domains = {s: tuple(c for c in data.domains[s] if c in allowed) for s in [*packed, station]}
        problem = Problem(domains, dict(packed), interference=data.name, name=f"add-{station}")
        result = check(problem)
        if result.assignment is not None:
            packed = dict(result.assignment)
        yield problem, result
