"""``auctool tune`` and ``auctool validate``.

Thin: parse options, call ``auctool.tune``, print. The core (and smac, dask, ConfigSpace)
is imported inside the commands so ``auctool --help`` stays instant.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer
from rich.progress import BarColumn, Progress, TextColumn

from auctool.cli._common import JSON_OPTION, QUIET_OPTION, Output, error_line, handle_errors
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
_WORKERS = typer.Option(1, "--workers", "-j", help="Parallel checks (a local dask cluster).")
_SCHEDULER = typer.Option(None, "--scheduler", help="Address of an existing dask scheduler.")


class _Live:
    """Progress on stderr: a live line on a terminal, a plain line every 10 s otherwise."""

    def __init__(self, out: Output, rounds: int = 1):
        self.out = out
        self.rounds = rounds
        self.bar: Progress | None = None
        self.task: Any = None
        self.last = 0.0

    def __enter__(self) -> _Live:
        if self.out.live:
            self.bar = Progress(
                TextColumn("{task.description}"), BarColumn(), console=self.out.err, transient=True
            )
            self.bar.start()
            self.task = self.bar.add_task("starting", total=1.0)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()

    def _show(self, text: str, fraction: float) -> None:
        if self.bar is not None:
            self.bar.update(self.task, description=text, completed=min(1.0, fraction))
        elif not self.out.quiet and time.monotonic() - self.last >= 10:
            self.last = time.monotonic()
            self.out.info(text)

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
    fix: list[str] = typer.Option(
        [],
        "--fix",
        metavar="KNOB=VALUE",
        help="Hold a knob at a value while tuning (repeatable), e.g. --fix cache=true: "
        "a knob that pays only inside an auction cannot be measured on independent problems.",
    ),
    json_out: bool = JSON_OPTION,
    quiet: bool = QUIET_OPTION,
) -> None:
    """Tune the checker with SMAC on an instance set, validate, and write a run folder.

    The same command again continues an interrupted run (Ctrl-C, kill) without losing a
    finished trial; --overwrite starts afresh.
    """
    from auctool.check.config.space import parse_fixed
    from auctool.tune.run import TuneSettings, run_tune

    o = Output(json_out, quiet)
    if budget is None and trials is None:
        budget = 600.0
    settings = TuneSettings(
        train=instance_set,
        out=out or Path("runs") / f"tune-{instance_set.resolve().name}",
        test=test,
        data=data,
        cutoff=cutoff,
        objective=objective,
        seed=seed,
        budget=budget,
        trials=trials,
        workers=workers,
        scheduler=scheduler,
        portfolio=portfolio,
        repeats=repeats,
        overwrite=overwrite,
        validate=not no_validate,
        fixed=parse_fixed(fix),
        command=" ".join(["auctool", *sys.argv[1:]]) if sys.argv else "",
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
    o.info(f"incumbent: {settings.out / report['incumbent']['file']}")
    o.info(f"report:    {settings.out / 'report.json'}")


@handle_errors
def validate(
    configs: list[Path] = typer.Argument(
        ..., metavar="CONFIG", help="Configuration YAML files to compare with the default."
    ),
    instance_set: Path = typer.Option(..., "--set", help="Instance set to validate on."),
    data: Path | None = _DATA,
    cutoff: float | None = _CUTOFF,
    repeats: int = _REPEATS,
    workers: int = _WORKERS,
    scheduler: str | None = _SCHEDULER,
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
    if fail_under is not None and not 0 <= fail_under <= 1:
        raise InputError(f"--fail-under must be a share between 0 and 1, got {fail_under:g}")
    with _Live(o) as live:
        validation = validate_files(
            configs, instance_set, data, cutoff, repeats, workers, scheduler, live.validating
        )
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
