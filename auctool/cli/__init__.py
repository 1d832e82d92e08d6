"""The command line: thin typer commands over the core (``auctool --help``).

Heavy imports (smac, dask) happen inside the commands that need them, so
``auctool --help`` stays instant.
"""

from __future__ import annotations

import typer

from auctool._version import __version__
from auctool.cli.check import check
from auctool.cli.export import export

app = typer.Typer(
    name="auctool",
    help="Fast, tuned feasibility checking for spectrum clock auctions.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        print(f"auctool {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", "-V", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """auctool: check, tune and simulate repacking feasibility for spectrum auctions."""


app.command()(check)
app.command()(export)


def main() -> None:
    app()
