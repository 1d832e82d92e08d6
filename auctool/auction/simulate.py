"""Running whole auctions: a world, a checker configuration, options -> outcome, checks, timings.

``simulate`` runs the auction once with the configured checker and, optionally, again
with a baseline configuration on the very same market (same values, same seed, hence
the same processing order), so the two can be compared side by side. An auction is one
stage or, with several clearing targets, a sequence of them (Auction 1001's 126, 114,
108, 84 MHz; :mod:`auctool.auction.stages`), each from the end of the one before.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import pairwise
from pathlib import Path
from typing import Any

from auctool.auction.checks import CheckingAsker, CheckRecord, Escalation, instance_name
from auctool.auction.engine import AuctionOutcome, ClockAuction, Question, RoundRecord
from auctool.auction.market import Market, build_market
from auctool.auction.parallel import CheckWorkers
from auctool.auction.record import SetRecorder
from auctool.auction.rules import TimeoutRule
from auctool.auction.stages import (
    StageRun,
    TargetSearch,
    ending,
    find_clearing_target,
    stage_ends,
    stage_market,
)
from auctool.auction.start import (
    START_SECONDS,
    Start,
    StartError,
    StartReport,
    find_start,
    read_initial_assignment,
)
from auctool.check.config import AnyConfig, CheckerConfig
from auctool.check.factory import make_checker
from auctool.check.race import cores
from auctool.check.result import Answer, Component, Family
from auctool.check.solvers import check_budget_mode
from auctool.errors import InputError
from auctool.model import Problem
from auctool.model.bands import CLEARING_TARGETS, DEFAULT_CLEARING_TARGET
from auctool.model.cutoff import DEFAULT_SECONDS, Cutoff
from auctool.worlds.world import World

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


@dataclass(frozen=True, eq=False)
class Simulation:
    """One auction: its outcome (the last stage's), every check it asked (all stages'),
    and where the time went."""

    outcome: AuctionOutcome
    checks: tuple[CheckRecord, ...]
    config: AnyConfig
    options: SimulationOptions
    wall_seconds: float  # the auction loop, checks included
    check_wall: float  # inside checker.check
    record_wall: float  # writing the recording
    start: StartReport | None = None  # how the non-bidders' first packing was found
    stages: tuple[StageRun, ...] = ()  # every stage run (empty: the outcome's one stage)
    ended: str | None = None  # why the auction stopped after its last stage
    target_search: TargetSearch | None = None  # --clearing-target auto: how it was found
    declined: int = 0  # held questions not asked again: their round's budget was spent

    @property
    def stage_runs(self) -> tuple[StageRun, ...]:
        """The stages, one at least."""
        if self.stages:
            return self.stages
        target = self.outcome.market.plan.clearing_target_mhz
        one = StageRun(1, target, self.outcome, self.checks, self.wall_seconds, self.check_wall)
        return (one,)

    @property
    def overhead_seconds(self) -> float:
        """The auction's own work: everything but checking and recording."""
        return max(self.wall_seconds - self.check_wall - self.record_wall, 0.0)


def run_auction(
    market: Market,
    world: World,
    config: AnyConfig,
    options: SimulationOptions,
    recorder: SetRecorder | None = None,
    on_round: Callable[[RoundRecord], None] | None = None,
    cache_file: Path | None = None,
    start: Start | None = None,
    stage: int = 1,
    carry: AuctionOutcome | None = None,
    first_seq: int = 0,
) -> Simulation:
    """One auction (or one stage of it, from ``carry``, the previous stage's outcome) on
    ``market`` with a fresh checker for ``config`` (from ``start``'s packing of the
    non-bidders when given)."""
    workers = None
    processes = options.round_processes()
    if processes > 1:  # forked first: the workers build their own checkers
        workers = CheckWorkers(
            processes,
            lambda: make_checker(world.data, config, None, options.budget_mode),
            market.problem,
        )
    try:
        checker = make_checker(world.data, config, cache_file, options.budget_mode)
    except BaseException:
        if workers is not None:
            workers.close()
        raise
    try:
        checker.warm(market.problem)  # persistent solvers load before the clock runs
        asker = CheckingAsker(
            checker,
            options.cutoff,
            options.seed,
            recorder,
            stage,
            first_seq,
            options.escalation(),
            workers,
        )
        auction = ClockAuction(
            market,
            asker,
            options.seed,
            options.cutoff,
            options.initial_cutoff,
            start=start.packing if start is not None else None,
            stage=stage,
            carry=carry,
            on_timeout=options.on_timeout,
            ask_many=asker.many,
        )
        began = time.perf_counter()
        outcome = auction.run(on_round)
        wall = time.perf_counter() - began
    finally:
        checker.close()
        if workers is not None:
            workers.close()
    checks = tuple(asker.log)
    target = market.plan.clearing_target_mhz
    return Simulation(
        outcome=outcome,
        checks=checks,
        config=config,
        options=options,
        wall_seconds=wall,
        check_wall=asker.check_wall,
        record_wall=asker.record_wall,
        start=start.report if start is not None else None,
        stages=(StageRun(stage, target, outcome, checks, wall, asker.check_wall),),
        declined=asker.declined,
    )


def run_stages(
    start: Start,
    world: World,
    config: AnyConfig,
    options: SimulationOptions,
    recorder: SetRecorder | None = None,
    on_round: Callable[[RoundRecord], None] | None = None,
    cache_file: Path | None = None,
    target_search: TargetSearch | None = None,
) -> Simulation:
    """Every stage of the auction: the first from ``start``, each later one on its wider
    band from the end of the one before, until the stage-ending rule closes it or the
    targets run out."""
    runs = [
        run_auction(start.market, world, config, options, recorder, on_round, cache_file, start)
    ]
    for number, target in enumerate(options.later_targets, start=2):
        if stage_ends(runs[-1].outcome.cost, options.stop_below_cost):
            break
        market = stage_market(start.market, world.data, target)
        seq = sum(len(r.checks) for r in runs)
        carry = runs[-1].outcome
        runs.append(
            run_auction(
                market, world, config, options, recorder, on_round, cache_file, None,
                number, carry, seq,
            )
        )  # fmt: skip
    return merge_stages(runs, options, target_search)


def merge_stages(
    runs: list[Simulation], options: SimulationOptions, target_search: TargetSearch | None = None
) -> Simulation:
    """One simulation of the auction from its stages' (each a one-stage run, in order)."""
    stages = tuple(r.stages[0] for r in runs)
    return Simulation(
        outcome=runs[-1].outcome,
        checks=tuple(c for r in runs for c in r.checks),
        config=runs[0].config,
        options=options,
        wall_seconds=sum(r.wall_seconds for r in runs),
        check_wall=sum(r.check_wall for r in runs),
        record_wall=sum(r.record_wall for r in runs),
        start=runs[0].start,
        stages=stages,
        ended=ending(stages, options.targets, options.stop_below_cost),
        target_search=target_search,
        declined=sum(r.declined for r in runs),
    )


def _hint(world: World, options: SimulationOptions, market: Market) -> dict[int, int] | None:
    """A known packing to start from: the user's, else the world's own."""
    if options.initial_assignment is not None:
        return read_initial_assignment(options.initial_assignment, market, world.data)
    if options.world_packing and world.packing:
        return dict(world.packing)
    return None


def _market(world: World, options: SimulationOptions, clearing_target: int) -> Market:
    return build_market(
        world, clearing_target, options.seed, options.values_file, options.participants_file
    )


def prepare_market(world: World, options: SimulationOptions) -> Start:
    """The market and a verified packing of its non-bidders to start from."""
    market = _market(world, options, options.clearing_target)
    hint = _hint(world, options, market)
    return find_start(
        market,
        world.data,
        hint,
        seconds=options.start_seconds,
        packable=options.participation == "packable",
        seed=options.seed,
    )


def automatic_target(world: World, options: SimulationOptions) -> tuple[TargetSearch, Start]:
    """``--clearing-target auto``: the highest target at which the non-bidders pack, and
    the start there (the FCC's initial clearing target; see ``find_clearing_target``)."""
    widest = _market(world, options, min(CLEARING_TARGETS))
    hint = _hint(world, options, widest)  # a known packing is read against the widest band
    return find_clearing_target(
        world,
        lambda target: stage_market(widest, world.data, target),
        hint,
        options.start_seconds,
        options.seed,
    )


def simulate(
    world: World,
    options: SimulationOptions,
    config: AnyConfig | None = None,
    baseline: AnyConfig | None = None,
    record_dir: Path | None = None,
    world_dir: Path | None = None,
    command: str = "",
    on_round: Callable[[str, RoundRecord], None] | None = None,
    cache_file: Path | None = None,
    record_sat_share: float = 1.0,
    baseline_fcc_rule: bool = False,
) -> tuple[Simulation, Simulation | None]:
    """The auction with ``config`` (recorded if ``record_dir``), then with ``baseline``.

    ``on_round(label, record)`` is called after every round ("run" or "baseline").
    A persistent ``cache_file`` serves the first run only: sharing it would hand the
    baseline the first run's answers. ``baseline_fcc_rule``: the baseline runs under the
    FCC's rule (a TIMEOUT at the cutoff freezes), with ``baseline`` or else ``config``,
    so two rule sets are paired on the same market as two configurations are.
    """
    config = config or CheckerConfig()
    recorder = None
    if record_dir is not None:
        if world_dir is None:
            raise InputError("recording needs the world's folder (the sets point at it)")
        run_meta = {"command": command, "config": config_json(config), **options.to_json()}
        recorder = SetRecorder(record_dir, world_dir, options.seed, run_meta, record_sat_share)
    search = None
    try:
        if options.auto_target:
            search, start = automatic_target(world, options)
            options = replace(options, clearing_target=search.clearing_target)
        else:
            start = prepare_market(world, options)
    except StartError as exc:
        if recorder is not None:  # the question the run failed on is worth keeping
            _record_failed_start(recorder, exc, options.seed, world.data.name)
            recorder.close(complete=False)
        raise

    def hook(label: str) -> Callable[[RoundRecord], None] | None:
        return None if on_round is None else (lambda r: on_round(label, r))

    complete = False
    try:
        main = run_stages(start, world, config, options, recorder, hook("run"), cache_file, search)
        complete = True
    finally:
        if recorder is not None:
            recorder.close(complete)
    other = None
    if baseline is not None or baseline_fcc_rule:
        base_options = options.fcc_rule() if baseline_fcc_rule else options
        other = run_stages(
            start, world, baseline or config, base_options, None, hook("baseline"), None, search
        )
    return main, other


def _record_failed_start(recorder: SetRecorder, exc: StartError, seed: int, name: str) -> None:
    problem = Problem.from_canonical(
        exc.problem.domains, exc.problem.previous, name, None, exc.problem.name
    )
    question = Question(0, "initial", None, problem)
    record = CheckRecord(
        seq=0,
        round=0,
        kind="initial",
        station=None,
        stations=len(problem),
        answer=exc.answer,
        seconds=exc.seconds,
        solved_by=Component.of(Family.START, "clique") if exc.answer is Answer.UNSAT else None,
        instance=instance_name(seed, 0, question),
    )
    recorder.add(question, record)


def config_json(config: AnyConfig) -> dict[str, Any]:
    if isinstance(config, CheckerConfig):
        return config.to_mapping()
    return {"portfolio": [m.to_mapping() for m in config.members]}
