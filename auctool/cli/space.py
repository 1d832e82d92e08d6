"""``auctool space``: the checker's configuration space, printed and exported."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from auctool._atomic import write_text
from auctool.check.config.configs import dump_config
from auctool.check.config.knobs import FORBIDDEN, KNOBS
from auctool.cli._common import JSON_OPTION, QUIET_OPTION, Output, handle_errors
from auctool.errors import InputError


def _domain(knob) -> str:
    if knob.kind == "bool":
        return "true, false"
    if knob.kind == "cat":
        return ", ".join(map(str, knob.choices))
    scale = ", log" if knob.log else ""
    return f"{knob.low:g} .. {knob.high:g}{scale}"


@handle_errors
def space(
    export_json: Path | None = typer.Option(
        None, "--export-json", help="Write the ConfigSpace JSON here."
    ),
    export_pcs: Path | None = typer.Option(
        None, "--export-pcs", help="Write the space in PCS format here."
    ),
    sample: int = typer.Option(0, "--sample", help="Print this many random configurations (YAML)."),
    seed: int = typer.Option(0, "--seed", "-s", help="Seed for --sample."),
    json_out: bool = JSON_OPTION,
    quiet: bool = QUIET_OPTION,
) -> None:
    """Every knob of the checker suite: type, range, default, and when it is active."""
    from auctool.check.config.space import sample_configs, space_as_json, space_as_pcs

    out = Output(json_out, quiet)
    if sample < 0:
        raise InputError("--sample must be 0 or more")
    if export_json:
        write_text(export_json, space_as_json())
        out.info(f"wrote {export_json}")
    if export_pcs:
        write_text(export_pcs, space_as_pcs())
        out.info(f"wrote {export_pcs}")
    configs = sample_configs(sample, seed) if sample else []
    if out.json:
        out.emit_json(
            {
                "knobs": [
                    {
                        "name": k.name,
                        "type": k.kind,
                        "default": k.default,
                        "choices": list(k.choices) or None,
                        "range": None if k.low is None else [k.low, k.high],
                        "log": k.log,
                        "active_when": None
                        if k.parent is None
                        else {k.parent: list(k.parent_values)},
                        "help": k.help,
                    }
                    for k in KNOBS
                ],
                "forbidden": [
                    {"when": {r.knob: r.value}, "not": {r.other: list(r.values)}} for r in FORBIDDEN
                ],
                "samples": [c.to_mapping() for c in configs],
            }
        )
        return
    if configs:
        out.print("\n---\n".join(dump_config(c).rstrip() for c in configs), markup=False)
        return
    if export_json or export_pcs:  # asked to write files: the table is not what was asked
        return
    table = Table(box=None, pad_edge=False)
    table.add_column("knob", no_wrap=True, style="bold")
    table.add_column("default", no_wrap=True)
    table.add_column("values", overflow="fold")
    table.add_column("what it does (active when)", overflow="fold")
    for k in KNOBS:
        when = (
            ""
            if k.parent is None
            else f" (when {k.parent} = {', '.join(map(str, k.parent_values))})"
        )
        table.add_row(k.name, str(k.default), _domain(k), k.help + when)
    out.print(table)
    out.info(f"{len(KNOBS)} knobs; forbidden: " + "; ".join(r.describe() for r in FORBIDDEN))
