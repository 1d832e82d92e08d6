"""``auctool report RUN_DIR``: the run's tables again, PNG plots, and (``--html``) one page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from auctool.cli._common import JSON_OPTION, QUIET_OPTION, Output, handle_errors
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
    html: bool = typer.Option(
        False,
        "--html",
        help="Also write report.html beside the plots: one self-contained page (tables and "
        "plots inline) to share.",
    ),
    fcc: Path | None = typer.Option(
        None,
        "--fcc",
        help="A simulation against Auction 1001: the FCC's results folder (e.g. "
        "../shared/data/fcc/auction1001); per stage, simulated vs real rounds, a plot and "
        "a table of the differences.",
    ),
    json_out: bool = JSON_OPTION,
    quiet: bool = QUIET_OPTION,
) -> None:
    """Tables and PNG plots of a tuning run (every trial's cost with the incumbent over
    them; runtime ECDF and cactus of default vs tuned), of a simulation (per round, for run
    and baseline; with --fcc against Auction 1001, stage by stage) or of many seeds (the
    paired differences of cost, TIMEOUTs and wall time)."""
    from auctool.plots import report as draw

    o = Output(json_out, quiet)
    mattered = what_mattered(o, run_dir, ablation, test_set)
    result = draw(run_dir, out, fcc)
    tables = [*_tables(result), *mattered.tables()]
    if result.fcc is not None:
        from auctool.plots.fcc import fcc_table

        tables.append(fcc_table(result.fcc))
    page = None
    if html:
        from auctool.plots.page import write_page

        page = write_page(result, tables)
    if o.json:
        o.emit_json(
            {**result.to_json(), **mattered.to_json(), "html": None if page is None else str(page)}
        )
        return
    for table in tables:
        o.print(table)
    for line in mattered.notes():
        o.info(line)
    for path in (*result.files, *([page] if page else [])):
        o.info(f"wrote {path}")


def _tables(result: Any) -> list[Any]:
    """The run's tables, as ``tune`` / ``simulate`` print them (the page shows the same)."""
    if result.kind == "tune":
        from auctool.plots.tables import knobs_table, tuning_table

        tables = [tuning_table(result.summary)]
        knobs = knobs_table((result.summary.get("incumbent") or {}).get("config") or {})
        if knobs is not None:
            tables.append(knobs)
        if result.summary.get("validation"):
            from auctool.plots.tables import validation_table

            tables.append(validation_table(result.summary["validation"]))
        return tables
    if result.kind == "seeds":
        from auctool.auction.tables import seeds_tables

        return seeds_tables(result.summary)
    from auctool.auction.tables import stages_table, summary_table
    from auctool.plots._figure import read_json

    body = read_json(result.folder / "summary.json")
    return [
        summary_table(body),
        *([stages_table(body)] if len(body.get("clearing_targets") or ()) > 1 else []),
    ]
