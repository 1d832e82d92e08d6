"""Budgets: a wall-clock deadline, or a count of solver conflicts, plus a stop signal.

Every step of the pipeline receives a ``Budget``; a parallel portfolio sets the stop
signal when another member has answered, so a loser stops at once instead of at the
deadline.

Two modes. *Time* (the default): the budget is a ``time.monotonic()`` deadline, as in a
real auction. *Work* (``--budget-mode work``, for experiments): the same cutoff is
converted into solver conflicts at a fixed rate (:data:`CONFLICTS_PER_SECOND`, about what
the solvers do per second on national auction problems on the reference machine) and no
clock is consulted, so the same auction replays to the same outcome on a loaded machine.
Sub-budgets (``at_most``, ``share``) cap what one step may spend; what it spends is
charged to every budget above it.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

#: Work mode: solver conflicts allowed per second of cutoff. Measured: the pysat solvers
#: run 10k-60k conflicts per second on national auction problems (``bench hardtail``).
CONFLICTS_PER_SECOND = 20_000
#: Work mode: local-search moves worth a second of cutoff, charged to the same budget as
#: conflicts. What matters is the ratio to :data:`CONFLICTS_PER_SECOND`: measured on one
#: core (the compiled search against MiniSat 2.2 on the same problems), 580k moves to 14k
#: conflicts a second on national TIMEOUT questions (1,350 stations), 1.4M to 40k on the
#: New York region's (67 stations): 35-42 moves a conflict. (It was 100k and not charged,
#: so each search got the whole remainder but at a fifth of its real speed.) Since the
#: search keeps its conflicted stations on a list on big problems, national questions run
#: ~0.9M moves a second (~64 a conflict). The constant stays New York's (the region work
#: mode tunes and replays on); on national questions work mode overcharges the search by
#: ~1.6x, so it answers fewer of them than the clock does.
FLIPS_PER_SECOND = 700_000


class BudgetMode(StrEnum):
    """What a cutoff counts: wall-clock seconds, or solver work worth that many seconds."""

    TIME = "time"
    WORK = "work"


BUDGET_MODES = tuple(m.value for m in BudgetMode)


class StopSignal(Protocol):
    """Anything with ``is_set()`` and ``wait(timeout)``: threading or multiprocessing Event."""

    def is_set(self) -> bool: ...

    def wait(self, timeout: float | None = None) -> bool: ...


class AnyStop:
    """A stop signal set when any of its signals is (a portfolio's and a race's)."""

    def __init__(self, *signals: Any):
        self.signals = [s for s in signals if s is not None]

    def is_set(self) -> bool:
        return any(s.is_set() for s in self.signals)

    def wait(self, timeout: float | None = None) -> bool:
        end = None if timeout is None else time.monotonic() + timeout
        while not self.is_set():
            left = None if end is None else end - time.monotonic()
            if left is not None and left <= 0:
                return False
            time.sleep(0.002 if left is None else min(0.002, left))
        return True


class _Work:
    """Conflicts left to spend, and the budgets above this one that share the spending."""

    __slots__ = ("left", "parent")

    def __init__(self, left: int, parent: _Work | None = None):
        self.left = left if parent is None else min(left, parent.left)
        self.parent = parent

    def spend(self, conflicts: int) -> None:
        meter: _Work | None = self
        while meter is not None:
            meter.left -= conflicts
            meter = meter.parent


@dataclass(frozen=True)
class Budget:
    deadline: float  # time.monotonic() seconds; math.inf for none (and in work mode)
    stop: StopSignal | None = None
    work: _Work | None = None  # work mode: the conflicts left (no clock is read)

    @classmethod
    def of(cls, seconds: float | None, stop: StopSignal | None = None) -> Budget:
        return cls(math.inf if seconds is None else time.monotonic() + seconds, stop)

    @classmethod
    def of_work(cls, seconds: float | None, stop: StopSignal | None = None) -> Budget:
        """A work budget worth ``seconds`` of cutoff (None: unlimited, like time mode's)."""
        if seconds is None:
            return cls(math.inf, stop)
        return cls(math.inf, stop, _Work(_conflicts(seconds)))

    @property
    def conflicts(self) -> int | None:
        """Work mode: the conflicts a solve under this budget may use (None in time mode)."""
        return None if self.work is None else max(self.work.left, 0)

    def spend(self, conflicts: int) -> None:
        """Charge a solve's conflicts to this budget and those above it (work mode)."""
        if self.work is not None:
            self.work.spend(max(conflicts, 0))

    def spend_flips(self, moves: int) -> None:
        """Charge local-search moves, converted to conflicts at the two rates (work mode)."""
        if self.work is not None and moves > 0:
            self.work.spend(math.ceil(moves * CONFLICTS_PER_SECOND / FLIPS_PER_SECOND))

    def remaining(self) -> float:
        """Seconds left (work mode: the conflicts left, in seconds of cutoff)."""
        if self.work is not None:
            return self.work.left / CONFLICTS_PER_SECOND
        return self.deadline - time.monotonic()

    def expired(self) -> bool:
        if self.stop is not None and self.stop.is_set():
            return True
        if self.work is not None:
            return self.work.left <= 0
        return time.monotonic() >= self.deadline

    def at_most(self, seconds: float) -> Budget:
        """A sub-budget of at most ``seconds`` from now (never past this one)."""
        if self.work is not None:
            return Budget(math.inf, self.stop, _Work(_conflicts(seconds), self.work))
        return Budget(min(self.deadline, time.monotonic() + seconds), self.stop)

    def own_core(self, conflicts: int | None = None) -> Budget:
        """Work mode: a meter of its own holding what is left (or ``conflicts``) that
        charges nothing above it: the work another core of a modelled race spends."""
        if self.work is None:
            raise ValueError("own_core is for work budgets")
        left = self.work.left if conflicts is None else conflicts
        return Budget(math.inf, self.stop, _Work(max(left, 0)))

    def share(self, fraction: float, at_least: float = 0.0) -> Budget:
        """A sub-budget ending after ``fraction`` of what is left (never past this one)."""
        left = self.remaining()
        if math.isinf(left):
            return self
        return self.at_most(max(at_least, fraction * max(left, 0.0)))


def _conflicts(seconds: float) -> int:
    return max(1, round(seconds * CONFLICTS_PER_SECOND))
