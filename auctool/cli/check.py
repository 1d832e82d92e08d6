"""``auctool check``: answer feasibility problems, every SAT witness verified."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.text import Text

from auctool.check.budget import BudgetMode
from auctool.check.result import Answer, CheckResult
from auctool.cli._common import (
    BUDGET_MODE_OPTION,
    CONFIG_OPTION,
    INTERFERENCE_FORMAT_OPTION,
    JSON_OPTION,
    QUIET_OPTION,
    Output,
    handle_errors,
)
from auctool.errors import InputError, RunError
from auctool.formats.fcc.kinds import InterferenceFormat
from auctool.model.cutoff import Cutoff

_STYLE = {Answer.SAT: "green", Answer.UNSAT: "red", Answer.TIMEOUT: "yellow"}


@handle_errors
def check(
    problems: list[Path] = typer.Argument(
        ...,
        help=".srpk problem files or instance-set folders (with --dimacs: CNF files).",
        show_default=False,
    ),
    data: Path | None = typer.Option(
        None,
        "--data",
        "-d",
        help="Constraint folder (Domain.csv + Interference_Paired.csv), or a "
        "folder of them picked by each problem's INTERFERENCE line.",
        show_default="the instance set's manifest",
    ),
    config: Path | None = CONFIG_OPTION,
    cutoff: float | None = typer.Option(
        None,
        "--cutoff",
        "-t",
        help="Seconds per problem.",
        show_default="the problem's CUTOFF line, else 60",
    ),
    budget_mode: BudgetMode = BUDGET_MODE_OPTION,
    dimacs: bool = typer.Option(
        False, "--dimacs", help="Arguments are DIMACS CNF files (no station data)."
    ),
    cache: Path | None = typer.Option(
        None, "--cache", help="Persistent containment cache (SQLite file)."
    ),
    interference_format: InterferenceFormat = INTERFERENCE_FORMAT_OPTION,
    assignment: bool = typer.Option(False, "--assignment", help="Also print each SAT assignment."),
    stages: bool = typer.Option(
        False, "--stages", help="Also print where each check spent its time."
    ),
    fail_on_timeout: bool = typer.Option(
        False,
        "--fail-on-timeout",
        help="Exit 1 (after every answer is printed) when any problem timed out: for CI.",
    ),
    json_out: bool = JSON_OPTION,
    jsonl: bool = typer.Option(
        False,
        "--jsonl",
        help="Stream one JSON object per problem as it is answered (JSON Lines) on stdout.",
    ),
    quiet: bool = QUIET_OPTION,
) -> None:
    """Answer SAT (with the channel assignment), UNSAT or TIMEOUT for each problem."""
    if json_out and jsonl:
        raise InputError("--json and --jsonl: give one (a document at the end, or a stream)")
    out = Output(json_out or jsonl, quiet)
    from auctool.check.config.configs import CheckerConfig, load_config
    from auctool.cli._checking import check_cnf_files, check_files, expand_paths

    cutoff = Cutoff.optional(cutoff)
    cfg = load_config(config) if config else CheckerConfig()
    paths = list(problems) if dimacs else expand_paths(problems)
    results = (
        check_cnf_files(paths, cfg, cutoff, budget_mode.value)
        if dimacs
        else check_files(paths, data, cfg, cutoff, interference_format, cache, budget_mode.value)
    )
    # results stream as they come, so the one variable column whose widths are known up
    # front (the problems') comes before the last, free one (the component that answered)
    width = max((len(str(p)) for p in paths), default=0)
    counts = {a: 0 for a in Answer}
    timed_out: list[str] = []
    answered: list[dict] = []  # --json: one document at the end
    for _path, result in results:
        counts[result.answer] += 1
        if result.answer is Answer.TIMEOUT:
            timed_out.append(result.instance)
        for w in result.warnings:
            out.warn(f"{result.instance}: {w}")
        if jsonl:
            out.emit_json(result.to_json())
            continue
        if out.json:
            answered.append(result.to_json())
            continue
        answer = Text(result.answer.value, style=_STYLE[result.answer])
        seconds = f"{result.seconds:8.3f}s"
        out.print(_row(answer, seconds, result.instance, width, result.solved_by or "-"))
        if stages:
            named = max((len(stage.name) for stage in result.stages), default=0)
            for stage in result.stages:
                seconds = f"{stage.seconds:8.4f}s"
                out.print(_row(Text(""), seconds, stage.name, named, stage.outcome))
        if assignment and result.assignment is not None:
            _print_assignment(out, result)
    if json_out:
        out.emit_json({"problems": answered, "counts": {a.value: n for a, n in counts.items()}})
    elif not out.json:
        summary = ", ".join(f"{n} {a.value}" for a, n in counts.items() if n)
        out.info(f"{sum(counts.values())} problem(s): {summary or 'none'}")
    if fail_on_timeout and timed_out:
        raise RunError(
            f"--fail-on-timeout: {len(timed_out)} of {sum(counts.values())} problem(s) "
            f"timed out (first: {timed_out[0]})"
        )


def _row(answer: Text, seconds: str, name: str, width: int, last: str) -> Text:
    """One result (or stage) line: fixed columns, the name padded to its column, then
    the free last column (no markup: names are printed as they are)."""
    answer.pad_right(7 - len(answer))
    return Text.assemble(answer, f" {seconds}  {name:<{width}}  {last}")


def _print_assignment(out: Output, result: CheckResult) -> None:
    assert result.assignment is not None
    pairs = " ".join(f"{s}:{c}" for s, c in result.assignment.items())
    out.print(f"{result.instance} assignment (station:channel): {pairs}", markup=False)
