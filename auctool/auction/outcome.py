"""What the auction engine asks and what it returns: questions, round records, outcomes.

Values that travel (to checkers, worker processes, reports and run folders), kept apart
from :mod:`auctool.auction.engine`'s rules so that a reader of either sees one thing.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import IntEnum

import numpy as np

from auctool.auction.market import Market
from auctool.check.result import CheckResult
from auctool.model.problem import Problem


def band_problem(
    items: list[tuple[int, tuple[int, ...]]],
    ids: list[int],
    station: int,
    channels: tuple[int, ...],
    previous: Mapping[int, int],
    interference: str | None,
    cutoff: float | None,
) -> Problem:
    """The band (``items``, sorted by station; ``ids`` their stations) plus one station,
    built without re-normalising the band (the auction's hot path)."""
    items = items.copy()
    items.insert(bisect.bisect(ids, station), (station, channels))
    return Problem.from_canonical(dict(items), previous, interference, cutoff)


class Status(IntEnum):
    NON_PARTICIPANT = 0
    ACTIVE = 1
    EXITED = 2
    FROZEN = 3

    @property
    def label(self) -> str:
        return self.name.lower().replace("_", "-")


@dataclass(frozen=True)
class Question:
    """One feasibility question the auction asks, with where in the auction it arose."""

    round: int
    kind: str  # "initial" (pack the non-participants), "bid" (before a price drop), "status"
    station: int | None  # the station the question is about (None for "initial")
    problem: Problem
    held: bool = False  # asked again: the station's last question timed out (hold / revisit)


#: Answers a question; None: declined, a held question whose round has no time left for
#: re-asking (its TIMEOUT stands, the station stays held).
Ask = Callable[[Question], CheckResult | None]
#: Answers questions about one band, in order (they may run in parallel: none of their
#: answers changes the band the others are about).
AskMany = Callable[[list[Question]], list[CheckResult | None]]


@dataclass(frozen=True)
class RoundRecord:
    """The state after one round (counts are cumulative except ``new_*`` and ``checks``)."""

    round: int
    clock: float
    active: int
    frozen: int
    exited: int
    new_frozen: int
    new_exited: int
    checks: int
    reused: int  # questions not asked again (band unchanged since the station's last SAT)
    pending: int = 0  # active stations whose capped price is below the clock's offer
    frozen_cost: int = 0  # the frozen stations' prices: committed (provisionally winning)
    active_cost: int = 0  # the active stations' current prices
    stage: int = 1
    held: int = 0  # active stations whose last question timed out (hold / revisit rules)


@dataclass(frozen=True, eq=False)
class AuctionOutcome:
    market: Market
    seed: int
    status: np.ndarray  # Status codes per market station
    price: np.ndarray  # the final price; a frozen station's payment
    decided_round: np.ndarray  # round a station exited or froze (-1: never)
    frozen_by: tuple[str | None, ...]  # the answer that froze a station (UNSAT / TIMEOUT)
    assignment: dict[int, int]  # the final packing of the band
    rounds: tuple[RoundRecord, ...] = field(default_factory=tuple)
    reused: tuple[tuple[int, int], ...] = ()  # (round, station) of SAT answers reused
    stage: int = 1
    decided_stage: np.ndarray | None = None  # stage a station exited or froze in (-1: never)
    held_rounds: np.ndarray | None = None  # rounds a station ended held (hold / revisit)

    @property
    def winners(self) -> np.ndarray:
        return self.status == Status.FROZEN

    @property
    def cost(self) -> int:
        return int(self.price[self.winners].sum())

    @property
    def winner_value(self) -> float:
        return float(self.market.value[self.winners].sum())

    def count(self, status: Status) -> int:
        return int((self.status == status).sum())
