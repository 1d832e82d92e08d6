"""Running whole auctions: a world, a checker configuration, options -> outcome, checks, timings.

``simulate`` runs the auction once with the configured checker and, optionally, again
with a baseline configuration on the very same market (same values, same seed, hence
the same processing order), so the two can be compared side by side. An auction is one
stage or, with several clearing targets, a sequence of them (Auction 1001's 126, 114,
108, 84 MHz; :mod:`auctool.auction.stages`), each from the end of the one before.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from auctool.auction.checks import CheckingAsker, CheckRecord, instance_name
from auctool.auction.engine import AuctionOutcome, ClockAuction, Question, RoundRecord
from auctool.auction.market import Market, build_market
from auctool.auction.options import SimulationOptions
from auctool.auction.parallel import CheckWorkers
from auctool.auction.record import SetRecorder
from auctool.auction.stages import (
    StageRun,
    TargetSearch,
    ending,
    find_clearing_target,
    stage_ends,
    stage_market,
)
from auctool.auction.start import (
    Start,
    StartError,
    StartReport,
    find_start,
    read_initial_assignment,
)
from auctool.check.config.configs import AnyConfig, CheckerConfig
from auctool.check.factory import make_checker
from auctool.check.result import Answer, Component, Family
from auctool.errors import InputError
from auctool.model import Problem
from auctool.model.bands import CLEARING_TARGETS
from auctool.worlds.world import World


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
    with contextlib.ExitStack() as stack:  # closed in reverse: the checker, then workers
        workers = None
        processes = options.round_processes()
        if processes > 1:  # forked first: the workers build their own checkers
            workers = stack.enter_context(
                CheckWorkers(
                    processes,
                    lambda: make_checker(world.data, config, None, options.budget_mode),
                    market.problem,
                )
            )
        checker = make_checker(world.data, config, cache_file, options.budget_mode)
        stack.callback(checker.close)
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
