"""What one SMAC run is about and what it leaves: its spec, its trials, its outcome.

Plain values (no SMAC import): the journal stores :class:`TrialRecord` lines, the report
reads :class:`RoundOutcome`, and :func:`reusable` decides which trials of an earlier run
with other settings still mean the same thing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auctool.check.config.configs import CheckerConfig
from auctool.check.config.space import to_configuration
from auctool.check.result import Answer
from auctool.errors import InputError
from auctool.tune.journal import Journal
from auctool.tune.scoring import CRASHED, Measured, Objective, is_solved, measured, mode_key


@dataclass(frozen=True)
class TrialRecord:
    """One finished trial, as the journal keeps it."""

    config: dict[str, Any]  # the CheckerConfig's active knobs
    instance: str
    seed: int
    answer: Measured  # stored as its string
    seconds: float
    cutoff: float
    cost: float  # what SMAC was told
    own_cost: float  # the configuration's own cost (differs from cost in Hydra rounds)
    elapsed: float  # run wall seconds when it finished (across sessions)
    origin: str = ""
    warm: bool = False  # carried over from an earlier run with other settings
    error: str | None = None
    budget_mode: str = "time"  # how the check was bounded (auctool.check.budget)

    def __post_init__(self) -> None:
        object.__setattr__(self, "answer", measured(self.answer))

    @property
    def solved(self) -> bool:
        return is_solved(self.answer, self.seconds, self.cutoff, self.budget_mode)

    @property
    def status(self) -> str:
        """SMAC's words: SUCCESS, TIMEOUT or CRASHED."""
        if self.answer is CRASHED:
            return CRASHED.value
        return "SUCCESS" if self.solved else Answer.TIMEOUT.value

    def to_json(self) -> dict[str, Any]:
        out = {k: getattr(self, k) for k in self.__dataclass_fields__}
        out["answer"] = self.answer.value
        if not self.error:
            out.pop("error")
        out.pop("budget_mode")  # a time-mode line reads as it did before work mode
        return {**out, **mode_key(self.budget_mode)}

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> TrialRecord:
        return cls(**{k: obj[k] for k in cls.__dataclass_fields__ if k in obj})


@dataclass(frozen=True)
class RoundSpec:
    """What one SMAC run needs: the training set, how trials cost, and its limits."""

    name: str
    instances: tuple[str, ...]
    problems: Mapping[str, tuple[str, str]]  # instance -> (.srpk path, constraint folder)
    digests: Mapping[str, str]  # instance -> content hash (records are reused per file)
    features: Mapping[str, Sequence[float]]
    cutoff: float
    objective: Objective
    seed: int
    trials: int | None = None
    budget: float | None = None  # wall seconds
    floor: Mapping[str, float] | None = None  # Hydra: the portfolio's cost per instance
    extra_key: Mapping[str, Any] = field(default_factory=dict)
    fixed: Mapping[str, Any] = field(default_factory=dict)  # knobs held (build_space)
    budget_mode: str = "time"  # "work": checks bounded by solver work (auctool.check.budget)

    def header(self, space_digest: str) -> dict[str, Any]:
        """What the journal's records are valid for; any change makes a warm-started new run."""
        return {
            "round": self.name,
            "cutoff": self.cutoff,
            "objective": self.objective.value,
            "seed": self.seed,
            "digests": dict(self.digests),
            "space": space_digest,
            "floor": dict(self.floor or {}),
            **mode_key(self.budget_mode),
            **self.extra_key,
        }

    def cost(self, instance: str, answer: Measured, seconds: float) -> tuple[float, float]:
        """(told cost, own cost): in a Hydra round a candidate is charged min(own, portfolio)."""
        own = self.objective.cost(answer, seconds, self.cutoff, self.budget_mode)
        floor = self.floor.get(instance, math.inf) if self.floor else math.inf
        return min(own, floor), own


@dataclass(frozen=True)
class Progress:
    round: str
    trials: int
    trials_limit: int | None
    elapsed: float
    budget: float | None
    incumbent_cost: float | None
    running: int


@dataclass(frozen=True)
class RoundOutcome:
    incumbent: CheckerConfig
    incumbent_cost: float | None  # SMAC's estimate: mean told cost on the instances it ran
    incumbent_runs: int
    records: tuple[TrialRecord, ...]
    elapsed: float  # wall seconds of the whole run (all sessions)
    session_wall: float
    session_check_seconds: float  # time inside the checker, this session
    session_smac_seconds: float  # time in SMAC's ask/tell, this session
    stopped: str  # "trials", "budget", "exhausted" or "interrupted"
    trajectory: tuple[dict[str, Any], ...]
    reused: int  # journal trials told to SMAC at the start
    warm_started: bool


def trial_records(lines: Sequence[Mapping[str, Any]]) -> list[TrialRecord]:
    """The finished trials among a journal's lines (its marks of wall time left out)."""
    return [TrialRecord.from_json(o) for o in lines if "mark" not in o]


def journal_trials(path: Path) -> list[TrialRecord]:
    """The finished trials a journal file holds."""
    return trial_records(Journal(path).read()[1])


def reusable(
    spec: RoundSpec, old: Mapping[str, Any], records: list[TrialRecord], space
) -> list[TrialRecord]:
    """Trials of an earlier run with other settings that still mean the same thing now.

    None of another budget mode holds: a wall-clock TIMEOUT says nothing of a conflict
    budget, nor a work-mode answer of the clock. In work mode an answer holds at a cutoff
    at least its own (a larger budget), a timeout at one at most its own.
    """
    old_digests = old.get("digests", {})
    kept = []
    for r in records:
        if (
            r.budget_mode != spec.budget_mode
            or spec.digests.get(r.instance) is None
            or old_digests.get(r.instance) != spec.digests[r.instance]
        ):
            continue
        try:
            to_configuration(CheckerConfig.from_mapping(r.config), space)
        except Exception:  # a knob that no longer exists, a value now out of range...
            continue
        answer: Measured
        if r.solved and spec.budget_mode == "work":
            if r.cutoff > spec.cutoff:
                continue  # answered with more work than this cutoff buys: unknown here
            answer, seconds = r.answer, r.seconds
        elif r.solved:
            answer, seconds = (
                (r.answer, r.seconds) if r.seconds <= spec.cutoff else (Answer.TIMEOUT, spec.cutoff)
            )
        elif r.answer is CRASHED:
            answer, seconds = r.answer, r.seconds
        elif r.cutoff >= spec.cutoff:
            answer, seconds = Answer.TIMEOUT, spec.cutoff
        else:
            continue  # timed out at a shorter cutoff: unknown at this one
        cost, own = spec.cost(r.instance, answer, seconds)
        kept.append(
            TrialRecord(
                r.config,
                r.instance,
                r.seed,
                answer,
                seconds,
                spec.cutoff,
                cost,
                own,
                0.0,
                r.origin,
                warm=True,
                error=r.error,
                budget_mode=r.budget_mode,
            )
        )
    return kept


def check_limits(trials: int | None, budget: float | None) -> None:
    if trials is None and budget is None:
        raise InputError("say when to stop: a budget in seconds and/or a number of trials")
    if trials is not None and trials < 1:
        raise InputError.of_setting("trials", f"must be at least 1, got {trials}")
    if budget is not None and not (math.isfinite(budget) and budget > 0):
        raise InputError.of_setting(
            "budget", f"must be a positive number of seconds, got {budget:g}"
        )
