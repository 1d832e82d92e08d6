"""How an auction is run: the options every command and API call builds, checked once.

Band and stages, cutoffs, who bids at what value, the rules for unanswered questions,
and how many processes answer a round: :class:`SimulationOptions`, a frozen value that
travels to seed workers and into run folders (``to_json``, which resume compares).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import pairwise
from pathlib import Path
from typing import Any

from auctool.auction.checks import Escalation
from auctool.auction.rules import TimeoutRule
from auctool.auction.start import START_SECONDS
from auctool.check.solve.processes import cores
from auctool.check.solve.solvers import check_budget_mode
from auctool.errors import InputError
from auctool.model.bands import DEFAULT_CLEARING_TARGET
from auctool.model.cutoff import DEFAULT_SECONDS, Cutoff

PARTICIPATION = ("values", "packable")


#: The default rules for an unanswered question (issue 34; ``python -m bench national``
#: measures them against the FCC's rule in one run, the README says why): a TIMEOUT is
#: asked again at doubling cutoffs up to ESCALATE_CUTOFFS times the cutoff, while
#: ROUND_CUTOFFS cutoffs of such re-asking per round last; still unanswered, the station
#: keeps its price and is asked again once the band has changed (revisit).
DEFAULT_ON_TIMEOUT = TimeoutRule.REVISIT.value
ESCALATE_CUTOFFS = 4.0
ROUND_CUTOFFS = 15.0
#: At most this many processes answer a round's questions unless told (``round_workers``):
#: measured on the national auction (FCC rule, 1 s, 2 cores), two took its wall from 827 s
#: to 557 s; each holds a warm checker.
AUTO_ROUND_WORKERS = 4


@dataclass(frozen=True)
class SimulationOptions:
    """How an auction is run: band, cutoffs, seed, and who bids at what value."""

    clearing_target: int = DEFAULT_CLEARING_TARGET
    cutoff: float = DEFAULT_SECONDS  # per check, as SATFC in the real auction
    seed: int = 0
    values_file: Path | None = None
    initial_cutoff: float | None = None  # finding the start packing (default START_SECONDS)
    participants_file: Path | None = None  # who bids (FCC reverse-stations.csv or `station`)
    participation: str = "values"  # "packable": non-bidders that break the start bid
    initial_assignment: Path | None = None  # a known packing for the start
    world_packing: bool = True  # seed the start with the world's packing.csv when present
    budget_mode: str = "time"  # "work": cutoffs in solver conflicts, replays exactly
    later_targets: tuple[int, ...] = ()  # the stages after the first (each clears less)
    stop_below_cost: float | None = None  # close after a stage that costs less than this
    auto_target: bool = False  # the first target: the highest at which the non-bidders pack
    on_timeout: str = DEFAULT_ON_TIMEOUT  # what a TIMEOUT does: freeze (the FCC), hold, revisit
    # escalate: a TIMEOUT is asked again at doubling cutoffs up to this (None: hold and
    # revisit ESCALATE_CUTOFFS x cutoff, freeze none; the cutoff itself: no escalation)
    max_cutoff: float | None = None
    round_budget: float | None = None  # ... while this many seconds of it per round last
    # processes answering a round's questions about one band (None: see round_processes)
    round_workers: int | None = None

    def __post_init__(self) -> None:
        for name in ("cutoff", "initial_cutoff"):
            Cutoff.optional(getattr(self, name), name.replace("_", " "))
        check_budget_mode(self.budget_mode, ())
        if self.on_timeout not in set(TimeoutRule):
            choices = ", ".join(r.value for r in TimeoutRule)
            raise InputError.of_setting(
                "on_timeout", f"must be one of {choices}, got {self.on_timeout!r}"
            )
        if self.max_cutoff is not None:
            Cutoff.optional(self.max_cutoff, "max_cutoff")
            if self.max_cutoff < self.cutoff:
                raise InputError.of_setting(
                    "max_cutoff", f"must be at least the cutoff ({self.cutoff:g} s)"
                )
        if self.escalation() is None and self.round_budget is not None:
            raise InputError.suggesting(
                "{round_budget} is the time for asking timed-out questions again: under "
                "{on_timeout} freeze (the FCC's rule) give a {max_cutoff} above the cutoff"
            )
        workers = self.round_workers
        if workers is not None and not (isinstance(workers, int) and workers >= 1):
            raise InputError.of_setting(
                "round_workers", f"must be a whole number of at least 1, got {self.round_workers!r}"
            )
        if self.participation not in PARTICIPATION:
            raise InputError(
                f"participation must be one of {', '.join(PARTICIPATION)}, got {self.participation!r}"
            )
        targets = self.targets
        if any(b >= a for a, b in pairwise(targets)):
            raise InputError(f"clearing targets must decrease from stage to stage, got {targets}")
        if self.auto_target and self.later_targets:
            raise InputError("clearing target auto is one stage: give auto or a list, not both")
        if self.stop_below_cost is not None and not self.later_targets:
            raise InputError.suggesting(
                "{stop_below_cost} decides whether the next stage runs: give a sequence of "
                "clearing targets (e.g. 126,114,108,84)"
            )

    def fcc_rule(self) -> SimulationOptions:
        """These options under the FCC's rule: a TIMEOUT at the cutoff freezes its station."""
        return replace(
            self, on_timeout=TimeoutRule.FREEZE.value, max_cutoff=None, round_budget=None
        )

    def escalation(self) -> Escalation | None:
        """How timed-out questions are asked again (None: they are not, the FCC's rule):
        under hold and revisit always (held ones at least, within the round's budget)."""
        holds = self.on_timeout != TimeoutRule.FREEZE
        top = self.max_cutoff
        if top is None and holds:
            top = ESCALATE_CUTOFFS * self.cutoff
        if top is None or (top <= self.cutoff and not holds):
            return None
        budget = self.round_budget
        if budget is None:
            budget = ROUND_CUTOFFS * self.cutoff
        return Escalation(max(top, self.cutoff), budget, in_cutoffs=self.budget_mode == "work")

    @property
    def targets(self) -> tuple[int, ...]:
        """Every stage's clearing target, in order."""
        return (self.clearing_target, *self.later_targets)

    @property
    def start_seconds(self) -> float:
        return self.initial_cutoff or START_SECONDS

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "clearing_target": self.clearing_target,
            "cutoff": self.cutoff,
            "budget_mode": self.budget_mode,
            "initial_cutoff": self.start_seconds,
            "seed": self.seed,
            "values": str(self.values_file) if self.values_file else "pop-value model",
            "participants": str(self.participants_file) if self.participants_file else None,
            "participation": self.participation,
            "initial_assignment": str(self.initial_assignment) if self.initial_assignment else None,
        }
        if self.auto_target:  # keys only when used: older multi-seed folders still resume
            out["clearing_target"] = "auto"
        if self.later_targets:
            out["clearing_targets"] = list(self.targets)
        if self.stop_below_cost is not None:
            out["stop_below_cost"] = self.stop_below_cost
        if self.on_timeout != TimeoutRule.FREEZE:
            out["on_timeout"] = self.on_timeout
        esc = self.escalation()
        if esc is not None:
            out["max_cutoff"], out["round_budget"] = esc.max_cutoff, esc.round_budget
        if self.round_workers is not None:  # answers can differ: a worker learns alone
            out["round_workers"] = self.round_workers
        return out

    def round_processes(self) -> int:
        """Processes for a round's questions: as given, else one per core this process
        may use, at most :data:`AUTO_ROUND_WORKERS` (each holds a checker: ~0.4 GB on
        a national band); in work mode one, so a run replays exactly on any machine."""
        if self.round_workers is not None:
            return self.round_workers
        if self.budget_mode == "work":
            return 1
        return max(1, min(cores(), AUTO_ROUND_WORKERS))
