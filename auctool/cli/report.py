"""``auctool report RUN_DIR``: the run's tables again, and PNG plots."""

from __future__ import annotations

from pathlib import Path

import typer

from auctool.cli._common import JSON_HELP, QUIET_HELP, Output, handle_errors
from auctool.cli._mattered import ABLATION_HELP, SET_HELP, what_mattered


@handle_errors
def report(
    run_dir: Path = typer.Argument(
        ...,
        metavar="RUN_DIR",
        help="A folder written by 'auctool tune', 'simulate --out' or 'simulate --seeds --out'.",
    ),
    out: Path | None = typer.Option(
        None, "--out", "-o", help="Write the PNG plots here (default: RUN_DIR/plots)."
    ),
    ablation: bool = typer.Option(False, "--ablation", help=ABLATION_HELP),
    test_set: Path | None = typer.Option(None, "--set", help=SET_HELP),
    json_out: bool = typer.Option(False, "--json", help=JSON_HELP),
    quiet: bool = typer.Option(False, "--quiet", "-q", help=QUIET_HELP),
) -> None:
    """Tables and PNG plots of a tuning run (runtime ECDF and cactus of default vs tuned,
    incumbent over time), of a simulation (per round, for run and baseline) or of many
    seeds (the paired cost differences)."""
    from auctool.plots import report as draw

    o = Output(json_out, quiet)
    mattered = what_mattered(o, run_dir, ablation, test_set)
    result = draw(run_dir, out)
    if o.json:
        o.emit_json({**result.to_json(), **mattered.to_json()})
        return
    if result.kind == "tune" and result.summary.get("validation"):
        from auctool.cli.tune import _validation_table

        o.print(_validation_table(result.summary["validation"]))
    elif result.kind == "seeds":
        from auctool.cli.simulate import seeds_table

        o.print(seeds_table(result.summary))
    elif result.kind == "simulate":
        from auctool.cli.simulate import _summary_table
        from auctool.plots._figure import read_json

        o.print(_summary_table(read_json(run_dir / "summary.json")))
    mattered.show(o)
    for path in result.files:
        o.info(f"wrote {path}")
