"""What a check costs: measurements, their objectives (``auctool.tune.objective``), and
summaries of many checks (solved %, PAR10, ...).

One measured check is a :class:`Measurement`. The objective turns it into the cost SMAC
minimises; :func:`summarise` turns many of them into the figures validation reports.
Crashes are costed like the worst timeout (PAR10 of the cutoff), never infinity: SMAC's
random forest cannot train on an infinite cost (smac 2.4 fails on one).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from auctool.check.result import Answer
from auctool.tune.objective import CRASHED, Crash, Objective, is_solved

__all__ = [
    "CRASHED",
    "Crash",
    "Measured",
    "Measurement",
    "Objective",
    "Summary",
    "is_solved",
    "measured",
    "mode_key",
    "ratios",
    "summarise",
]

#: What one measured check ended with: the checker's :class:`Answer`, or CRASHED.
Measured = Answer | Crash


def measured(text: str) -> Measured:
    """``"SAT"``, ``"UNSAT"``, ``"TIMEOUT"`` or ``"CRASHED"`` (as journals store them) as
    the enum; ValueError for anything else."""
    return CRASHED if text == CRASHED.value else Answer(text)


def mode_key(budget_mode: str) -> dict[str, str]:
    """The budget mode as a journal header or line records it: nothing for time, so what
    was written before work mode existed still matches (and reads back as time)."""
    return {} if budget_mode == "time" else {"budget_mode": budget_mode}


@dataclass(frozen=True)
class Measurement:
    """One check of one configuration on one instance."""

    instance: str
    answer: Measured
    seconds: float
    cutoff: float
    error: str | None = None
    budget_mode: str = "time"  # how the check was bounded (auctool.check.budget)

    def __post_init__(self) -> None:
        object.__setattr__(self, "answer", measured(self.answer))

    @property
    def solved(self) -> bool:
        return is_solved(self.answer, self.seconds, self.cutoff, self.budget_mode)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "instance": self.instance,
            "answer": self.answer.value,
            "seconds": self.seconds,  # exact: a resumed validation equals an uninterrupted one
            "cutoff": self.cutoff,
        }
        if self.error:
            out["error"] = self.error
        return {**out, **mode_key(self.budget_mode)}

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> Measurement:
        return cls(
            str(obj["instance"]),
            measured(str(obj["answer"])),
            float(obj["seconds"]),
            float(obj["cutoff"]),
            obj.get("error"),
            str(obj.get("budget_mode", "time")),
        )


@dataclass(frozen=True)
class Summary:
    """Figures over a set of checks; times capped at the cutoff (PAR10 charges 10x for failures)."""

    n: int
    solved: int
    crashed: int
    par10: float
    mean: float
    p90: float

    @property
    def solved_share(self) -> float:
        return self.solved / self.n if self.n else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "solved": self.solved,
            "solved_share": round(self.solved_share, 6),
            "crashed": self.crashed,
            "par10": round(self.par10, 6),
            "mean": round(self.mean, 6),
            "p90": round(self.p90, 6),
        }


def summarise(measurements: Iterable[Measurement]) -> Summary:
    ms = list(measurements)
    if not ms:
        return Summary(0, 0, 0, math.nan, math.nan, math.nan)
    capped = np.array([min(m.seconds, m.cutoff) if m.solved else m.cutoff for m in ms])
    par = np.array([Objective.PAR10.cost(m.answer, m.seconds, m.cutoff, m.budget_mode) for m in ms])
    return Summary(
        n=len(ms),
        solved=sum(m.solved for m in ms),
        crashed=sum(m.answer is CRASHED for m in ms),
        par10=float(par.mean()),
        mean=float(capped.mean()),
        p90=float(np.percentile(capped, 90)),
    )


def ratios(summary: Summary, baseline: Summary) -> dict[str, float | None]:
    """Each figure relative to the baseline's (None where the baseline's is zero)."""

    def ratio(a: float, b: float) -> float | None:
        return round(a / b, 6) if b and math.isfinite(a) and math.isfinite(b) else None

    return {
        "solved_share": ratio(summary.solved_share, baseline.solved_share),
        "par10": ratio(summary.par10, baseline.par10),
        "mean": ratio(summary.mean, baseline.mean),
        "p90": ratio(summary.p90, baseline.p90),
    }
