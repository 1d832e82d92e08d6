"""What ``tune`` minimises per check, and what a check that raised ends with.

Light on purpose (no numpy, no checker import): the CLI takes ``--objective`` as this
enum while ``auctool --help`` stays instant.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from auctool.tune.scoring import Measured

PAR_FACTOR = 10.0


class Crash(StrEnum):
    """What a check that raised ended with: no answer (costed like the worst timeout)."""

    CRASHED = "CRASHED"

    @property
    def conclusive(self) -> bool:
        return False


CRASHED = Crash.CRASHED


def is_solved(answer: Measured, seconds: float, cutoff: float, budget_mode: str = "time") -> bool:
    """Whether a check counts as solved: a conclusive answer within the cutoff.

    In work mode (``auctool.check.budget``) a conclusive answer is solved whatever its
    wall seconds: the conflict budget, not the clock, bounded the check, so which checks
    are answered is exact, and a wall time over the cutoff is the machine's load, not the
    configuration's fault. Its time cost is still its wall seconds capped at the cutoff
    (:meth:`Objective.cost`): a tie-breaker between configurations that answer alike.
    """
    return answer.conclusive and (budget_mode == "work" or seconds <= cutoff)


class Objective(StrEnum):
    """What ``tune`` minimises per check."""

    PAR10 = "par10"  # seconds; a timeout or crash costs 10 x cutoff
    RUNTIME = "runtime"  # seconds capped at the cutoff; a crash costs 10 x cutoff
    SOLVED = "solved"  # 1 for an unsolved check, 0 for a solved one, + 1% of the time share

    def cost(
        self, answer: Measured, seconds: float, cutoff: float, budget_mode: str = "time"
    ) -> float:
        """The cost SMAC is told for one check under this objective (``budget_mode``: how
        the check was bounded, see :func:`is_solved`)."""
        done = is_solved(answer, seconds, cutoff, budget_mode)
        capped = min(max(seconds, 0.0), cutoff)
        if answer is CRASHED:
            return self.crash_cost(cutoff)
        if self is Objective.PAR10:
            return capped if done else PAR_FACTOR * cutoff
        if self is Objective.RUNTIME:
            return capped if done else cutoff
        return (0.0 if done else 1.0) + 0.01 * capped / cutoff

    def crash_cost(self, cutoff: float) -> float:
        """Finite, and at least as bad as a timeout."""
        return 1.01 if self is Objective.SOLVED else PAR_FACTOR * cutoff
