"""``auctool export``: a problem as DIMACS CNF, so any external solver can be compared."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from auctool.check.config.kinds import EncodingKind
from auctool.cli._common import (
    INTERFERENCE_FORMAT_OPTION,
    JSON_OPTION,
    QUIET_OPTION,
    Output,
    handle_errors,
)
from auctool.errors import InputError
from auctool.formats.fcc.kinds import InterferenceFormat


@handle_errors
def export(
    problem: Path = typer.Argument(..., help="The .srpk problem to export.", show_default=False),
    dimacs: Path = typer.Option(
        ..., "--dimacs", help="Where to write the CNF ('-': stdout).", show_default=False
    ),
    data: Path | None = typer.Option(
        None,
        "--data",
        "-d",
        help="Constraint folder (see `check --help`).",
        show_default="the instance set's manifest",
    ),
    encoding: EncodingKind | None = typer.Option(
        None, "--encoding", help="Encoding.", show_default="the configuration's, else direct"
    ),
    config: Path | None = typer.Option(
        None, "--config", "-c", help="Take the encoding and order from here."
    ),
    interference_format: InterferenceFormat = INTERFERENCE_FORMAT_OPTION,
    json_out: bool = JSON_OPTION,
    quiet: bool = QUIET_OPTION,
) -> None:
    """Write the problem's SAT encoding as DIMACS CNF (variable map in `c var` comments)."""
    out = Output(json_out, quiet)
    to_stdout = str(dimacs) == "-"
    if to_stdout and json_out:
        raise InputError("--dimacs - writes the CNF on stdout: it cannot share it with --json")
    from auctool.check.checker import prepare_problem
    from auctool.check.config.configs import CheckerConfig, PortfolioConfig, load_config
    from auctool.check.methods.complete import order_domains
    from auctool.check.solve.encoding import encode
    from auctool.formats.dimacs import dump_dimacs, write_dimacs
    from auctool.formats.fcc import load_constraints
    from auctool.formats.instances import require_known_stations, resolve_constraints_dir
    from auctool.formats.srpk import read_srpk

    cfg = load_config(config) if config else CheckerConfig()
    if isinstance(cfg, PortfolioConfig):
        cfg = cfg.members[0]
    kind = encoding or EncodingKind(cfg.encoding)
    prob = read_srpk(problem)
    cdata = load_constraints(resolve_constraints_dir(data, prob, problem), interference_format)
    require_known_stations(prob, cdata, problem)

    prepared, warnings = prepare_problem(prob, cdata)
    for w in warnings:
        out.warn(f"{problem}: {w}")
    enc = encode(order_domains(prepared.domains, cdata, cfg.order), cdata, kind)
    clauses = enc.clauses()
    if to_stdout:
        dump_dimacs(sys.stdout, enc.nvars, clauses, comments=enc.comments())
        sys.stdout.flush()
    else:
        write_dimacs(dimacs, enc.nvars, clauses, comments=enc.comments())
    if out.json:
        out.emit_json(
            {
                "instance": str(problem),
                "dimacs": str(dimacs),
                "encoding": kind.value,
                "variables": enc.nvars,
                "clauses": len(clauses),
            }
        )
    else:
        where = "the CNF to stdout" if to_stdout else dimacs
        out.info(
            f"wrote {where}: {enc.nvars} variables, {len(clauses)} clauses ({kind.value} encoding)"
        )
