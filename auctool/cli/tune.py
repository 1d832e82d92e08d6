"""``auctool tune`` and ``auctool validate``.

Thin: parse options, call ``auctool.tune``, print. The core (and smac, dask, ConfigSpace)
is imported inside the commands so ``auctool --help`` stays instant.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer
from rich.progress import BarColumn, Progress, TextColumn

from auctool.check.budget import BudgetMode
from auctool.cli._common import (
    BUDGET_MODE_OPTION,
    JSON_OPTION,
    QUIET_OPTION,
    Output,
    ProgressLines,
    command_line,
    error_line,
    handle_errors,
)
from auctool.errors import InputError, RunError
from auctool.plots.tables import validation_table
from auctool.tune.objective import Objective

# options tune and validate share (typer reads these as metadata; sharing them is safe)
_DATA = typer.Option(
    None,
    "--data",
    "-d",
    help="Constraint folder, or a folder of them.",
    show_default="the set's manifest",
)
_CUTOFF = typer.Option(
    None,
    "--cutoff",
    "-t",
    help="Seconds per check.",
    show_default="the set's manifest or CUTOFF lines",
)
_REPEATS = typer.Option(1, "--repeats", help="Validation runs per instance.")
_WORKERS = typer.Option(
    1,
    "--workers",
    "-j",
    help="Worker processes at once, here checks (a local dask cluster), as simulate's -j "
    "runs auctions at once. 1 (the default) times each check with every core, as inside "
    "an auction; more finish sooner but time each check on a share of the machine.",
)
_SCHEDULER = typer.Option(None, "--scheduler", help="Address of an existing dask scheduler.")


class _Live:
    """Progress on stderr: a live line on a terminal, a plain line every 10 s otherwise."""

    def __init__(self, out: Output, rounds: int = 1):
        self.out = out
        self.rounds = rounds
        self.bar: Progress | None = None
        self.task: Any = None
        self.text: str | None = None
        self.lines = ProgressLines(out, lambda: self.text)

    def __enter__(self) -> _Live:
        if self.out.live:
            self.bar = Progress(
                TextColumn("{task.description}"), BarColumn(), console=self.out.err, transient=True
            )
            self.bar.start()
            self.task = self.bar.add_task("starting", total=1.0)
        self.lines.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.lines.__exit__(*exc)
        if self.bar is not None:
            self.bar.stop()

    def _show(self, text: str, fraction: float) -> None:
        self.text = text
        if self.bar is not None:
            self.bar.update(self.task, description=text, completed=min(1.0, fraction))
        self.lines.step()

    def tuning(self, p: Any) -> None:
        parts = []
        if self.rounds > 1:
            parts.append(f"round {p.round.rsplit('-', 1)[-1]}/{self.rounds}")
        limit = f"/{p.trials_limit}" if p.trials_limit else ""
        parts.append(f"{p.trials}{limit} trials")
        if p.incumbent_cost is not None:
            # SMAC's estimate over the instances the incumbent has run: it can rise as
            # the incumbent meets harder ones, without anything getting worse
            parts.append(f"incumbent's mean cost so far {p.incumbent_cost:.4g}")
        fraction = p.trials / p.trials_limit if p.trials_limit else 0.0
        if p.budget is not None:
            parts.append(f"{max(0.0, p.budget - p.elapsed):.0f} s left")
            fraction = max(fraction, p.elapsed / p.budget)
        if p.running > 1:
            parts.append(f"{p.running} running")
        self._show("tune: " + ", ".join(parts), fraction)

    def validating(self, done: int, total: int) -> None:
        self._show(f"validate: {done}/{total} checks", done / total if total else 1.0)


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """``kill`` stops a run as cleanly as Ctrl-C (finished trials are kept either way)."""

    def handler(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread (e.g. some test runners)
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@handle_errors
def tune(
    ctx: typer.Context,
    instance_set: Path = typer.Argument(
        ..., metavar="SET", help="Training instance set (folder of .srpk + manifest.json)."
    ),
    test: Path | None = typer.Option(None, "--test", help="Held-out instance set for validation."),
    data: Path | None = _DATA,
    cutoff: float | None = _CUTOFF,
    budget: float | None = typer.Option(
        None,
        "--budget",
        help="Wall seconds of tuning (SMAC's trials); computing the instance features before "
        "and validating on --test after come on top.",
        show_default="600 without --trials",
    ),
    trials: int | None = typer.Option(None, "--trials", help="Number of trials (checks) to run."),
    budget_mode: BudgetMode = BUDGET_MODE_OPTION,
    seed: int = typer.Option(0, "--seed", "-s", help="SMAC's random seed."),
    out: Path | None = typer.Option(
        None, "--out", "-o", help="Run folder.", show_default="runs/tune-<set name>"
    ),
    objective: Objective = typer.Option(
        Objective.PAR10,
        "--objective",
        case_sensitive=False,
        help="What a check costs: par10 (its seconds; unsolved, 10 x the cutoff), runtime "
        "(seconds capped at the cutoff) or solved (1 when unsolved).",
    ),
    workers: int = _WORKERS,
    scheduler: str | None = _SCHEDULER,
    portfolio: int = typer.Option(
        1, "--portfolio", help="Build a K-member parallel portfolio the Hydra way."
    ),
    repeats: int = _REPEATS,
    no_validate: bool = typer.Option(False, "--no-validate", help="Skip the validation."),
    overwrite: bool = typer.Option(
        False, "--overwrite", help="Start afresh instead of continuing."
    ),
    warm_from: Path | None = typer.Option(
        None,
        "--warm-from",
        metavar="RUN",
        help="Start a new run reusing an earlier run's trials that still hold under these "
        "settings (a longer cutoff, other held knobs).",
    ),
    fix: list[str] = typer.Option(
        [],
        "--fix",
        metavar="KNOB=VALUE",
        help="Hold a knob at a value while tuning (repeatable), e.g. --fix solver=kissat404.",
    ),
    free: list[str] = typer.Option(
        [],
        "--free",
        metavar="KNOB",
        help="Tune an auction-only knob too (repeatable: cache, previous, incremental). "
        "They are held at their defaults by default: they pay only across an auction's "
        "questions, which independent problems cannot measure.",
    ),
    fail_if_worse: bool = typer.Option(
        False,
        "--fail-if-worse",
        help="Exit 1 when the incumbent validates worse than the default (for scripts and CI).",
    ),
    json_out: bool = JSON_OPTION,
    quiet: bool = QUIET_OPTION,
) -> None:
    """Tune the checker with SMAC on an instance set, validate, and write a run folder.

    The same command again continues an interrupted run (Ctrl-C, kill) without losing a
    finished trial; --overwrite starts afresh.
    """
    from auctool.check.config.space import parse_fixed
    from auctool.tune.held import check_free
    from auctool.tune.run import TuneSettings, run_tune

    o = Output(json_out, quiet)
    if budget is None and trials is None:
        budget = 600.0
    fixed = parse_fixed(fix)
    settings = TuneSettings(
        train=instance_set,
        out=out or Path("runs") / f"tune-{instance_set.resolve().name}",
        test=test,
        data=data,
        cutoff=cutoff,
        objective=objective,
        budget_mode=budget_mode.value,
        seed=seed,
        budget=budget,
        trials=trials,
        workers=workers,
        scheduler=scheduler,
        portfolio=portfolio,
        repeats=repeats,
        overwrite=overwrite,
        validate=not no_validate,
        fixed=fixed,
        free=check_free(free, fixed),
        warm_from=warm_from,
        command=command_line(ctx),
    )
    try:
        with _sigterm_as_interrupt(), _Live(o, portfolio) as live:
            result = run_tune(settings, live.tuning, live.validating)
    except KeyboardInterrupt:
        error_line(
            f"interrupted; finished trials are kept in {settings.out} "
            "(run the same command to continue)"
        )
        raise typer.Exit(130) from None
    report = result.report
    _say_tuned(o, settings.out, report)
    if fail_if_worse and result.worse:
        raise RunError(result.worse[0] + " (--fail-if-worse)")


def _say_tuned(o: Output, out: Path, report: dict[str, Any]) -> None:
    if o.json:
        o.emit_json(report)
        return
    if report["validation"]:
        o.print(validation_table(report["validation"]))
    t = report["tuning"]
    session = t["this_session"]
    o.info(
        f"{t['trials']} trials in {t['elapsed']:.0f} s (stopped: {report['stopped']}); "
        f"SMAC overhead this session {100 * (session['overhead_share'] or 0):.0f}%"
    )
    for note in report["notes"]:
        o.info(note)
    o.info(f"incumbent: {out / report['incumbent']['file']}")
    o.info(f"report:    {out / 'report.json'}")


@handle_errors
def validate(
    instance_set: Path = typer.Argument(
        ...,
        metavar="SET",
        help="Instance set to validate on (as tune takes it).",
        show_default=False,
    ),
    configs: list[Path] | None = typer.Argument(
        None,
        metavar="CONFIG",
        help="Configuration YAML files to compare with the default.",
        show_default=False,
    ),
    set_option: Path | None = typer.Option(
        None, "--set", hidden=True, help="The instance set (older spelling: every path a CONFIG)."
    ),
    data: Path | None = _DATA,
    cutoff: float | None = _CUTOFF,
    repeats: int = _REPEATS,
    workers: int = _WORKERS,
    scheduler: str | None = _SCHEDULER,
    budget_mode: BudgetMode = BUDGET_MODE_OPTION,
    fail_under: float | None = typer.Option(
        None,
        "--fail-under",
        help="Exit 1 when a configuration solves less than this share (0..1) of the set.",
    ),
    json_out: bool = JSON_OPTION,
    quiet: bool = QUIET_OPTION,
) -> None:
    """Measure configurations side by side with the default: solved %, PAR10, mean, p90."""
    from auctool.tune.validation import validate_files

    o = Output(json_out, quiet)
    instance_set, configs = _set_first(instance_set, list(configs or []), set_option)
    if fail_under is not None and not 0 <= fail_under <= 1:
        raise InputError(f"--fail-under must be a share between 0 and 1, got {fail_under:g}")
    with _Live(o) as live:
        validation = validate_files(
            configs, instance_set, data, cutoff, repeats, workers, scheduler, live.validating,
            budget_mode.value,
        )  # fmt: skip
    if o.json:
        o.emit_json(validation)
    else:
        o.print(validation_table(validation))
    if fail_under is not None:
        low = [r for r in validation["configs"][1:] if r["solved_share"] < fail_under]
        if low:
            r = low[0]
            raise RunError(
                f"{r['name']} solves {100 * r['solved_share']:.1f}% of the set, "
                f"below --fail-under {100 * fail_under:g}%"
            )


def _set_first(first: Path, rest: list[Path], set_option: Path | None) -> tuple[Path, list[Path]]:
    """``SET CONFIG...`` as ``tune SET`` takes a set (``--set SET CONFIG...`` still works)."""
    if set_option is not None:
        return set_option, [first, *rest]
    if first.is_file():
        raise InputError(
            f"{first} is a file: give the instance set first (auctool validate SET CONFIG...)"
        )
    if not rest:
        raise InputError("give the instance set, then at least one configuration file")
    return first, rest
