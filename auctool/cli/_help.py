"""One help convention for every command (``auctool ... --help``).

typer labels a flag's value ``<bool>`` although a flag takes none, and names an
argument after its Python parameter (``{problems}...`` beside an explicit ``{SET}``).
Every command and group is built from these classes, which settle both once: flags
show no value, and arguments show an upper-case METAVAR. The classes only touch a
parameter's display, never its parsing.
"""

from __future__ import annotations

from typing import Any

from typer.core import TyperCommand, TyperGroup


def _tidy(param: Any) -> None:
    if param.param_type_name == "argument" and param.metavar is None:
        param.metavar = param.name.upper()
    elif getattr(param, "is_flag", False) and param.metavar is None:
        param.metavar = ""  # a flag takes no value: nothing to show beside it


class _Convention:
    """``get_params`` tidies every parameter before it is parsed or shown; here rather
    than in ``__init__`` because the help option (and typer's completion options on
    the root) are made after the command is."""

    def get_params(self, ctx: Any) -> list[Any]:
        params = super().get_params(ctx)  # type: ignore[misc]
        for param in params:
            _tidy(param)
        return params


class Command(_Convention, TyperCommand):
    """A typer command whose help follows the convention above."""


class Group(_Convention, TyperGroup):
    """A typer group (``auctool``, ``auctool data``, ...) with the same help convention."""
