"""The command line: thin typer commands over the core (``auctool --help``).

Heavy imports (smac, dask) happen inside the commands that need them, so
``auctool --help`` stays instant.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from auctool._version import __version__
from auctool.cli._common import error_line, handle_errors
from auctool.cli._help import Command, Group
from auctool.cli.check import check
from auctool.cli.data import app as data_app
from auctool.cli.data_region import region
from auctool.cli.export import export
from auctool.cli.instances import instances_app
from auctool.cli.report import report
from auctool.cli.settings import (
    DEFAULT_FILE,
    default_map,
    forget_origins,
    quiet_requested,
    read_settings,
    remember_arguments,
)
from auctool.cli.simulate import simulate
from auctool.cli.space import space
from auctool.cli.tune import tune, validate

app = typer.Typer(
    name="auctool",
    help="Fast, tuned feasibility checking for spectrum clock auctions.",
    cls=Group,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        print(f"auctool {__version__}")
        raise typer.Exit()


@app.callback()
@handle_errors
def _root(
    ctx: typer.Context,
    version: bool = typer.Option(
        False,
        "--version",
        "-V",
        callback=_version,
        is_eager=True,
        help="Print the version and exit.",
    ),
    settings: Path | None = typer.Option(
        None,
        "--settings",
        help="TOML file of command defaults (\\[simulate], \\[tune], ...).",
        show_default="./auctool.toml when present",
    ),
) -> None:
    """auctool: check, tune and simulate repacking feasibility for spectrum auctions."""
    if settings is None and Path(DEFAULT_FILE).is_file():
        settings = Path(DEFAULT_FILE)
        if not quiet_requested():  # found, not named: say so (on stderr, as pytest does)
            print(f"auctool: settings from ./{DEFAULT_FILE}", file=sys.stderr)
    forget_origins()
    if settings is not None:
        ctx.default_map = default_map(ctx, read_settings(settings), settings)


app.command(cls=Command)(check)
app.command(cls=Command)(export)
app.command(cls=Command)(space)
data_app.command(cls=Command)(region)  # in a module of its own; `data region`
app.add_typer(data_app)
app.command(cls=Command)(tune)
app.command(cls=Command)(validate)
app.add_typer(instances_app)
app.command(cls=Command)(simulate)
app.command(cls=Command)(report)


def main(argv: list[str] | None = None) -> None:
    """Entry point: usage errors become one line too (exit 2), like every other error."""
    remember_arguments(list(sys.argv[1:] if argv is None else argv))
    try:
        code = app(args=argv, prog_name="auctool", standalone_mode=False)
    except typer.Abort:
        error_line("aborted")
        sys.exit(1)
    except Exception as exc:
        # typer's bundled click raises usage errors carrying these two attributes
        if hasattr(exc, "format_message") and hasattr(exc, "exit_code"):
            ctx = getattr(exc, "ctx", None)
            where = ctx.command_path if ctx is not None else "auctool"
            error_line(f"{exc.format_message()} (try '{where} --help')")
            sys.exit(exc.exit_code)
        raise
    finally:
        remember_arguments([])
    sys.exit(code if isinstance(code, int) else 0)
