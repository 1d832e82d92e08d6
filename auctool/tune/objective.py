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


class Objective(StrEnum):
    """What ``tune`` minimises per check."""

    PAR10 = "par10"  # seconds; a timeout or crash costs 10 x cutoff
    RUNTIME = "runtime"  # seconds capped at the cutoff; a crash costs 10 x cutoff
    SOLVED = "solved"  # 1 for an unsolved check, 0 for a solved one, + 1% of the time share

    def cost(self, answer: Measured, seconds: float, cutoff: float) -> float:
        """The cost SMAC is told for one check under this objective."""
        solved = answer.conclusive and seconds <= cutoff
        capped = min(max(seconds, 0.0), cutoff)
        if answer is CRASHED:
            return self.crash_cost(cutoff)
        if self is Objective.PAR10:
            return capped if solved else PAR_FACTOR * cutoff
        if self is Objective.RUNTIME:
            return capped if solved else cutoff
        return (0.0 if solved else 1.0) + 0.01 * capped / cutoff

    def crash_cost(self, cutoff: float) -> float:
        """Finite, and at least as bad as a timeout."""
        return 1.01 if self is Objective.SOLVED else PAR_FACTOR * cutoff
