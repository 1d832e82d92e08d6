"""``auctool simulate``: replay the FCC reverse clock auction on a world with a checker configuration."""

from __future__ import annotations

import shlex
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from auctool._runfolder import claimed
from auctool.check.budget import BudgetMode
from auctool.cli._common import (
    BUDGET_MODE_OPTION,
    CONFIG_OPTION,
    JSON_OPTION,
    QUIET_OPTION,
    Output,
    error_line,
    handle_errors,
)
from auctool.errors import InputError, RunError
from auctool.model.bands import DEFAULT_CLEARING_TARGET
from auctool.model.cutoff import DEFAULT_SECONDS


class OnTimeout(StrEnum):  # auction.rules.TimeoutRule's values: --help imports no core
    FREEZE = "freeze"
    HOLD = "hold"
    REVISIT = "revisit"


class Participation(StrEnum):
    values = "values"
    packable = "packable"


@handle_errors
def simulate(
    world: Path = typer.Argument(
        ...,
        help="World folder: Domain.csv + Interference_Paired.csv + stations.csv.",
        show_default=False,
    ),
    config: Path | None = CONFIG_OPTION,
    cutoff: float = typer.Option(
        DEFAULT_SECONDS, "--cutoff", "-t", help="Seconds per feasibility check."
    ),
    budget_mode: BudgetMode = BUDGET_MODE_OPTION,
    max_cutoff: float | None = typer.Option(
        None,
        "--max-cutoff",
        help="Escalate: a question that times out is asked again at doubling cutoffs up to "
        "this many seconds (the persistent solver keeps what it learned); --cutoff's value "
        "escalates nothing.",
        show_default="4x --cutoff under hold and revisit, none under freeze",
    ),
    round_budget: float | None = typer.Option(
        None,
        "--round-budget",
        help="Seconds one round may spend asking timed-out questions again (escalations, "
        "held stations); then a held station's TIMEOUT stands until a later round.",
        show_default="15x --cutoff",
    ),
    round_workers: int | None = typer.Option(
        None,
        "--round-workers",
        help="Processes answering a round's questions in parallel (the bids after the last "
        "that can change the band, then the status update; escalations pass by pass), each "
        "with its own checker kept warm for the auction. Answers can differ from one "
        "process's (a worker learns alone); in work mode they repeat for the same number.",
        show_default="one per core, at most 4; 1 in work mode (exact replay)",
    ),
    on_timeout: OnTimeout = typer.Option(
        OnTimeout.REVISIT,
        "--on-timeout",
        help="What an unanswered question (TIMEOUT) does: freeze (the FCC's rule: the "
        "station wins at its price; with --cutoff alone, the auction as the FCC ran it); "
        "hold (it keeps its price, stays active and is asked again; when only held "
        "stations are left they win); revisit (as hold, but asked again only once the "
        "band has changed).",
    ),
    initial_cutoff: float | None = typer.Option(
        None,
        "--initial-cutoff",
        help="Seconds for finding the first packing of the stations that do not bid.",
        show_default="60",
    ),
    clearing_target: str = typer.Option(
        str(DEFAULT_CLEARING_TARGET),
        "--clearing-target",
        help="MHz cleared (84: UHF channels 14-36 stay for TV); a decreasing list runs the "
        "stages (126,114,108,84, as Auction 1001), each restarting the clock at 900; auto: "
        "the highest target at which the stations that do not bid pack.",
    ),
    stop_below_cost: str | None = typer.Option(
        None,
        "--stop-below-cost",
        metavar="DOLLARS",
        help="With stages: close the auction after a stage that costs less than this (a "
        "stand-in for the forward auction's revenue, e.g. 20e9 or 20B).",
        show_default="every stage runs",
    ),
    seed: int | None = typer.Option(
        None, "--seed", "-s", help="Seeds the values and the tie-breaks.", show_default="0"
    ),
    seeds: str | None = typer.Option(
        None,
        "--seeds",
        help="Many auctions, one per seed (e.g. 1-20 or 1,3,5-7), in parallel; with "
        "--baseline the paired differences (cost, frozen by TIMEOUT, TIMEOUT checks, wall "
        "seconds) with 95% intervals. --out keeps a folder "
        "per seed and resumes.",
    ),
    workers: int | None = typer.Option(
        None,
        "--workers",
        "-j",
        help="With --seeds: worker processes at once, here auctions, each on its share of "
        "the cores (1 gives each auction every core), as tune's -j runs checks at once.",
        show_default="one per core",
    ),
    scheduler: str | None = typer.Option(
        None, "--scheduler", help="With --seeds: run the auctions on this dask scheduler."
    ),
    values: Path | None = typer.Option(
        None,
        "--values",
        help="CSV 'station,value' (unlisted stations do not bid).",
        show_default="the pop-value model",
    ),
    participants: Path | None = typer.Option(
        None,
        "--participants",
        help="Who bids: the FCC's reverse-stations.csv (facility_id) or a CSV with a station "
        "column; values drawn below the opening prices.",
        show_default="the world's participants.csv when it has one, else the value model decides",
    ),
    participation: Participation = typer.Option(
        "values",
        "--participation",
        help="values: a station bids when its opening price exceeds its value; packable: also "
        "the fewest non-bidders that make the start unpackable bid (the report counts them).",
    ),
    initial_assignment: Path | None = typer.Option(
        None,
        "--initial-assignment",
        help="A known feasible packing (post_auction_parameters.csv or station,channel) to "
        "start from.",
        show_default="the world's packing.csv when it has one",
    ),
    record: Path | None = typer.Option(
        None,
        "--record",
        help="Write every question as .srpk plus manifest.json here (other seeds' kept).",
    ),
    record_sat_share: float = typer.Option(
        1.0,
        "--record-sat-share",
        help="With --record: keep this share of the SAT questions (seeded); UNSAT and "
        "TIMEOUT ones are always kept.",
    ),
    out_dir: Path | None = typer.Option(
        None,
        "--out",
        "-o",
        help="Write rounds.csv, checks.csv, stations.csv, summary.json here.",
    ),
    baseline: Path | None = typer.Option(
        None,
        "--baseline",
        help="A second configuration: replay the same auction with it and compare.",
    ),
    baseline_fcc_rule: bool = typer.Option(
        False,
        "--baseline-fcc-rule",
        help="Replay the same auction under the FCC's rule (a TIMEOUT at --cutoff freezes), "
        "with --baseline or the same configuration: what the rules change, paired.",
    ),
    cache: Path | None = typer.Option(
        None, "--cache", help="Persistent containment cache (SQLite file); not for --baseline."
    ),
    json_out: bool = JSON_OPTION,
    quiet: bool = QUIET_OPTION,
) -> None:
    """Run the descending clock auction; report rounds, checks, timings and cost."""
    from auctool.auction.report import run_body, write_outputs
    from auctool.auction.rules import clock_schedule
    from auctool.auction.simulate import SimulationOptions
    from auctool.auction.simulate import simulate as run
    from auctool.check.config.configs import CheckerConfig, load_config
    from auctool.worlds.world import load_world

    out = Output(json_out, quiet)
    if seeds is None and (workers is not None or scheduler is not None):
        raise InputError("--workers and --scheduler go with --seeds")
    if seeds is not None:
        for flag, given in (("--seed", seed), ("--record", record), ("--cache", cache)):
            if given is not None:
                raise InputError(f"--seeds runs one auction per seed: drop {flag}")
    from auctool.auction.stages import parse_clearing_targets, parse_dollars

    targets = parse_clearing_targets(clearing_target)
    options = SimulationOptions(
        clearing_target=targets[0] if targets else DEFAULT_CLEARING_TARGET,
        cutoff=cutoff,
        seed=seed or 0,
        values_file=values,
        initial_cutoff=initial_cutoff,
        participants_file=participants,
        participation=participation.value,
        initial_assignment=initial_assignment,
        budget_mode=budget_mode.value,
        later_targets=targets[1:] if targets else (),
        stop_below_cost=None if stop_below_cost is None else parse_dollars(stop_below_cost),
        auto_target=targets is None,
        on_timeout=on_timeout.value,
        max_cutoff=max_cutoff,
        round_budget=round_budget,
        round_workers=round_workers,
    )
    cfg = load_config(config) if config else CheckerConfig()
    base_cfg = load_config(baseline) if baseline else None
    if seeds is not None:
        from auctool.auction.seedlist import parse_seeds
        from auctool.auction.seeds import SeedJob

        job = SeedJob(
            world, options, cfg, base_cfg, out_dir, _name(config), _name(baseline),
            baseline_fcc_rule,
        )  # fmt: skip
        _many(out, job, parse_seeds(seeds), workers, scheduler)
        return
    loaded = load_world(world)
    with (
        claimed(out_dir, "simulate"),
        claimed(record, "recording", "the recording", "record_folder"),
    ):
        command = _command(world, options, config, record, record_sat_share)
        total = (len(clock_schedule()) + 1) * len(options.targets)
        paired = base_cfg is not None or baseline_fcc_rule
        labels = ["run", "baseline"] if paired else ["run"]
        with out.progress("auction", total * len(labels), unit="rounds") as advance:

            def on_round(label: str, r: Any) -> None:
                stage = f"stage {r.stage}, " if len(options.targets) > 1 else ""
                advance(1, f"{label}: {stage}round {r.round}, {r.active} active")

            main, other = run(
                loaded,
                options,
                cfg,
                base_cfg,
                record_dir=record,
                world_dir=world,
                command=command,
                on_round=on_round,
                cache_file=cache,
                record_sat_share=record_sat_share,
                baseline_fcc_rule=baseline_fcc_rule,
            )
        body = run_body(main, other, config, baseline)
        _participation_notes(out, body)
        if out_dir is not None:
            write_outputs(out_dir, main, other, body)
            out.info(f"wrote rounds.csv, checks.csv, stations.csv, summary.json to {out_dir}")
        if record is not None:
            out.info(f"recorded {len(main.checks)} problem(s) to {record}")
        if out.json:
            out.emit_json(body)
            return
        from auctool.auction.tables import stages_table, summary_table

        out.print(summary_table(body))
        if len(body.get("clearing_targets") or ()) > 1:
            out.print(stages_table(body))


def _name(path: Path | None) -> str | None:
    return None if path is None else str(path)


def _many(out: Output, job: Any, seeds: tuple[int, ...], workers: Any, scheduler: Any) -> None:
    """``--seeds``: every seed's auction, the per-seed table and the paired difference."""
    from auctool.auction.seeds import run_seeds
    from auctool.worlds.world import load_world

    load_world(job.world_dir)  # a bad world is one input error, not a failure per seed
    tally = {"resumed": 0, "failed": 0}
    with out.progress("seeds", len(seeds), unit="done") as advance:

        def done(outcome: Any) -> None:
            tally["failed"] += outcome.error is not None
            tally["resumed"] += outcome.resumed
            advance(1, ", ".join(f"{n} {what}" for what, n in tally.items() if n) or None)

        try:
            result = run_seeds(job, seeds, workers, scheduler, done)
        except KeyboardInterrupt:
            if job.out_dir is None:
                error_line("interrupted (with --out the finished seeds are kept and resumed)")
            else:
                error_line(
                    f"interrupted; finished seeds are kept in {job.out_dir} "
                    "(run the same command to continue)"
                )
            raise typer.Exit(130) from None
    if job.out_dir is not None:
        out.info(f"wrote seeds.csv, summary.json and a folder per seed to {job.out_dir}")
    for o in result.outcomes:
        if o.error:
            out.warn(f"seed {o.seed} failed: {o.error}")
    if out.json:
        out.emit_json(result.to_json())
    else:
        from auctool.auction.tables import seeds_tables

        for table in seeds_tables(result.to_json()):  # the last one's rows: the verdicts
            out.print(table)
    if result.failed:
        raise RunError(f"{len(result.failed)} of {len(seeds)} seeds failed (the others landed)")


def _participation_notes(out: Any, body: dict[str, Any]) -> None:
    """What decided who bids, in a sentence or two (on stderr)."""
    notes, start = body.get("participation") or {}, body.get("start") or {}
    if notes.get("participants_from") == "world":
        out.info(
            f"participants: the world's list ({notes['participants_file']}, {notes['listed']:,} "
            f"stations, {notes['bidding']:,} bidding; --participants overrides it)"
        )
    skipped = notes.get("not_in_uhf_market") or []
    if skipped:
        out.warn(
            f"{len(skipped)} listed participants have a VHF home channel: the simulated market "
            "is the UHF off-air one, so they do not bid (stations in --json)"
        )
    made = start.get("made_to_bid") or []
    if made:
        out.info(f"--participation packable: {len(made)} non-bidders made to bid so the rest pack")
    if start:
        out.info(
            f"start: {start['stations']:,} non-bidders packed by {start['method']} in "
            f"{start['seconds']:.1f} s ({start['seeded']:,} seeded by a known packing)"
        )
    if body.get("target_search"):
        out.info(body["target_search"]["sentence"])
    if len(body.get("clearing_targets") or ()) > 1:
        out.info(f"stages: {body['ended']}")


def _command(
    world: Path, options: Any, config: Path | None, record: Path | None, sat_share: float = 1.0
) -> str:
    """The command line that reproduces this run (recorded in the instance set's manifest)."""
    target = "auto" if options.auto_target else ",".join(map(str, options.targets))
    args = ["auctool", "simulate", str(world), "--clearing-target", target]
    if options.stop_below_cost is not None:
        args += ["--stop-below-cost", f"{options.stop_below_cost:.0f}"]
    args += ["--seed", str(options.seed), "--cutoff", f"{options.cutoff:g}"]
    if options.initial_cutoff:
        args += ["--initial-cutoff", f"{options.initial_cutoff:g}"]
    if options.budget_mode != "time":
        args += ["--budget-mode", options.budget_mode]
    # the rules in full, so the command means the same whatever the defaults become
    args += ["--on-timeout", options.on_timeout]
    esc = options.escalation()
    if esc is not None:
        args += ["--max-cutoff", f"{esc.max_cutoff:g}", "--round-budget", f"{esc.round_budget:g}"]
    if options.round_workers is not None:
        args += ["--round-workers", str(options.round_workers)]
    if config:
        args += ["--config", str(config)]
    if options.values_file:
        args += ["--values", str(options.values_file)]
    if options.participants_file:
        args += ["--participants", str(options.participants_file)]
    if options.participation != "values":
        args += ["--participation", options.participation]
    if options.initial_assignment:
        args += ["--initial-assignment", str(options.initial_assignment)]
    if record:
        args += ["--record", str(record)]
        if sat_share != 1.0:
            args += ["--record-sat-share", f"{sat_share:g}"]
    return shlex.join(args)
