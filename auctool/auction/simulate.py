"""Running whole auctions: a world, a checker configuration, options -> outcome, checks, timings.

``simulate`` runs the auction once with the configured checker and, optionally, again
with a baseline configuration on the very same market (same values, same seed, hence
the same processing order), so the two can be compared side by side.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auctool.auction.checks import CheckingAsker, CheckRecord, instance_name
from auctool.auction.engine import AuctionOutcome, ClockAuction, Question, RoundRecord
from auctool.auction.market import Market, build_market
from auctool.auction.record import SetRecorder
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
from auctool.check.solvers import check_budget_mode
from auctool.errors import InputError
from auctool.model import Problem
from auctool.model.bands import DEFAULT_CLEARING_TARGET
from auctool.worlds.world import World

DEFAULT_CUTOFF = 60.0  # seconds per check, as SATFC in the real auction


PARTICIPATION = ("values", "packable")


@dataclass(frozen=True)
class SimulationOptions:
    """How an auction is run: band, cutoffs, seed, and who bids at what value."""

    clearing_target: int = DEFAULT_CLEARING_TARGET
    cutoff: float = DEFAULT_CUTOFF
    seed: int = 0
    values_file: Path | None = None
    initial_cutoff: float | None = None  # finding the start packing (default START_SECONDS)
    participants_file: Path | None = None  # who bids (FCC reverse-stations.csv or `station`)
    participation: str = "values"  # "packable": non-bidders that break the start bid
    initial_assignment: Path | None = None  # a known packing for the start
    world_packing: bool = True  # seed the start with the world's packing.csv when present
    budget_mode: str = "time"  # "work": cutoffs in solver conflicts, replays exactly

    def __post_init__(self) -> None:
        for name in ("cutoff", "initial_cutoff"):
            value = getattr(self, name)
            if value is not None and not value > 0:
                what = name.replace("_", " ")
                raise InputError(f"{what} must be a positive number of seconds, got {value:g}")
        check_budget_mode(self.budget_mode, ())
        if self.participation not in PARTICIPATION:
            raise InputError(
                f"participation must be one of {', '.join(PARTICIPATION)}, got {self.participation!r}"
            )

    @property
    def start_seconds(self) -> float:
        return self.initial_cutoff or START_SECONDS

    def to_json(self) -> dict[str, Any]:
        return {
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


@dataclass(frozen=True, eq=False)
class Simulation:
    """One auction: its outcome, every check it asked, and where the time went."""

    outcome: AuctionOutcome
    checks: tuple[CheckRecord, ...]
    config: AnyConfig
    options: SimulationOptions
    wall_seconds: float  # the auction loop, checks included
    check_wall: float  # inside checker.check
    record_wall: float  # writing the recording
    start: StartReport | None = None  # how the non-bidders' first packing was found

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
) -> Simulation:
    """One auction on ``market`` with a fresh checker for ``config`` (from ``start``'s
    packing of the non-bidders when given)."""
    checker = make_checker(world.data, config, cache_file, options.budget_mode)
    try:
        checker.warm(market.problem)  # persistent solvers load before the clock runs
        asker = CheckingAsker(checker, options.cutoff, options.seed, recorder)
        auction = ClockAuction(
            market,
            asker,
            options.seed,
            options.cutoff,
            options.initial_cutoff,
            start=start.packing if start is not None else None,
        )
        began = time.perf_counter()
        outcome = auction.run(on_round)
        wall = time.perf_counter() - began
    finally:
        checker.close()
    return Simulation(
        outcome=outcome,
        checks=tuple(asker.log),
        config=config,
        options=options,
        wall_seconds=wall,
        check_wall=asker.check_wall,
        record_wall=asker.record_wall,
        start=start.report if start is not None else None,
    )


def prepare_market(world: World, options: SimulationOptions) -> Start:
    """The market and a verified packing of its non-bidders to start from."""
    market = build_market(
        world,
        options.clearing_target,
        options.seed,
        options.values_file,
        options.participants_file,
    )
    if options.initial_assignment is not None:
        hint = read_initial_assignment(options.initial_assignment, market, world.data)
    elif options.world_packing and world.packing:
        hint = dict(world.packing)
    else:
        hint = None
    return find_start(
        market,
        world.data,
        hint,
        seconds=options.start_seconds,
        packable=options.participation == "packable",
        seed=options.seed,
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
) -> tuple[Simulation, Simulation | None]:
    """The auction with ``config`` (recorded if ``record_dir``), then with ``baseline``.

    ``on_round(label, record)`` is called after every round ("run" or "baseline").
    A persistent ``cache_file`` serves the first run only: sharing it would hand the
    baseline the first run's answers.
    """
    config = config or CheckerConfig()
    recorder = None
    if record_dir is not None:
        if world_dir is None:
            raise InputError("recording needs the world's folder (the sets point at it)")
        run_meta = {"command": command, "config": config_json(config), **options.to_json()}
        recorder = SetRecorder(record_dir, world_dir, options.seed, run_meta, record_sat_share)
    try:
        start = prepare_market(world, options)
    except StartError as exc:
        if recorder is not None:  # the question the run failed on is worth keeping
            _record_failed_start(recorder, exc, options.seed, world.data.name)
            recorder.close(complete=False)
        raise
    market = start.market

    def hook(label: str) -> Callable[[RoundRecord], None] | None:
        return None if on_round is None else (lambda r: on_round(label, r))

    complete = False
    try:
        main = run_auction(market, world, config, options, recorder, hook("run"), cache_file, start)
        complete = True
    finally:
        if recorder is not None:
            recorder.close(complete)
    other = None
    if baseline is not None:
        other = run_auction(market, world, baseline, options, None, hook("baseline"), start=start)
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
        solved_by="start:clique" if exc.answer == "UNSAT" else None,
        instance=instance_name(seed, 0, question),
    )
    recorder.add(question, record)


def config_json(config: AnyConfig) -> dict[str, Any]:
    if isinstance(config, CheckerConfig):
        return config.to_mapping()
    return {"portfolio": [m.to_mapping() for m in config.members]}
