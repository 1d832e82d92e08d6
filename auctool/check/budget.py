"""Time budgets: a wall-clock deadline plus an optional stop signal from outside.

Every stage of the pipeline receives a ``Budget``; a parallel portfolio sets the stop
signal when another member has answered, so a loser stops at once instead of at the
deadline.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Protocol


class StopSignal(Protocol):
    """Anything with ``is_set()`` and ``wait(timeout)``: threading or multiprocessing Event."""

    def is_set(self) -> bool: ...

    def wait(self, timeout: float | None = None) -> bool: ...


@dataclass(frozen=True)
class Budget:
    deadline: float  # time.monotonic() seconds; math.inf for none
    stop: StopSignal | None = None

    @classmethod
    def of(cls, seconds: float | None, stop: StopSignal | None = None) -> Budget:
        return cls(math.inf if seconds is None else time.monotonic() + seconds, stop)

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def expired(self) -> bool:
        return time.monotonic() >= self.deadline or (self.stop is not None and self.stop.is_set())

    def at_most(self, seconds: float) -> Budget:
        """A sub-budget of at most ``seconds`` from now (never past this one)."""
        return Budget(min(self.deadline, time.monotonic() + seconds), self.stop)

    def share(self, fraction: float, at_least: float = 0.0) -> Budget:
        """A sub-budget ending after ``fraction`` of what is left (never past this one)."""
        left = self.remaining()
        if math.isinf(left):
            return self
        span = max(at_least, fraction * max(left, 0.0))
        return Budget(min(self.deadline, time.monotonic() + span), self.stop)
