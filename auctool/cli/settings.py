"""Command defaults from a TOML file (``auctool.toml`` or ``--settings FILE``).

Scenario settings live in the repository, as SMAC's and irace's users keep scenario
files: one table per command (``[simulate]``, ``[tune]``, ``[data.synth]``), keys named
as the command's options (``clearing-target`` or ``clearing_target``). Options given on
the command line win. Paths are relative to the working directory. Unknown commands and
keys are errors that name the key, so a typo never silently does nothing.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from auctool.errors import InputError

DEFAULT_FILE = "auctool.toml"

#: (command function, parameter) -> (settings file, "table.key = value", the option's
#: flags): where a default came from, so a value the core refuses later is blamed on
#: the file and key that gave it, not on a flag the user never typed.
ORIGINS: dict[tuple[str, str], tuple[Path, str, tuple[str, ...]]] = {}


_ARGUMENTS: list[str] = []


def remember_arguments(arguments: list[str]) -> None:
    """The words of the command line being run (``auctool.cli.main`` keeps them)."""
    _ARGUMENTS[:] = arguments


def quiet_requested() -> bool:
    """Does the command line being run ask for quiet (``-q`` / ``--quiet``)?"""
    return any(word in ("-q", "--quiet") for word in _ARGUMENTS)


def forget_origins() -> None:
    """A new invocation: no value has come from a settings file yet."""
    ORIGINS.clear()


def blame(command: str, setting: str) -> str | None:
    """``file: table.key = value`` when ``setting`` of ``command`` came from a settings
    file (none of its flags was typed), else None."""
    origin = ORIGINS.get((command, setting))
    if origin is None:
        return None
    source, said, flags = origin
    given = any(a == f or a.startswith(f"{f}=") for a in _ARGUMENTS for f in flags)
    return None if given else f"{source}: {said}"


def read_settings(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise InputError("settings file not found", path) from None
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"not a valid TOML settings file: {exc}", path) from None


def default_map(ctx: Any, table: dict[str, Any], source: Path) -> dict[str, Any]:
    """Check ``table`` against the command tree; return click's ``default_map``.

    ``ctx`` is the root command's context (typer bundles its own click, so commands are
    told apart by duck typing: a group has ``commands``, an option's
    ``param_type_name`` is "option"). Every value goes through its option's own
    conversion here, so a bad one is an error naming this file, not an anonymous
    "Invalid value" when the command runs.
    """
    return _walk(ctx, ctx.command, table, source, prefix="")


def _walk(ctx: Any, group: Any, table: dict[str, Any], source: Path, prefix: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in table.items():
        command = group.commands.get(name)
        where = f"{prefix}{name}"
        if command is None:
            known = ", ".join(sorted(group.commands))
            raise InputError(f"unknown command [{where}] in settings (known: {known})", source)
        if not isinstance(value, dict):
            raise InputError(f"[{where}] must be a table of option = value", source)
        if hasattr(command, "commands"):
            out[name] = _walk(ctx, command, value, source, prefix=f"{where}.")
        else:
            out[name] = _options(ctx, command, value, source, where)
    return out


def _options(
    ctx: Any, command: Any, values: dict[str, Any], source: Path, where: str
) -> dict[str, Any]:
    params: dict[str, Any] = {}
    names: dict[str, str] = {}  # "out", "out-dir", "out_dir" -> out_dir
    shown: list[str] = []
    for p in command.params:
        if p.param_type_name != "option" or p.name == "help":
            continue
        flags = [o[2:] for o in p.opts if o.startswith("--")]
        shown.extend(flags[:1])
        params[p.name] = p
        for alias in (p.name, p.name.replace("_", "-"), *flags):
            names[alias] = p.name
    out: dict[str, Any] = {}
    for key, value in values.items():
        name = names.get(key)
        if name is None:
            known = ", ".join(sorted(shown))
            raise InputError(f"unknown setting {where}.{key} (options: {known})", source)
        if isinstance(value, dict):
            raise InputError(f"{where}.{key} must be a value, not a table", source)
        try:
            params[name].process_value(ctx, value)
        except Exception as exc:
            if not hasattr(exc, "format_message"):  # click's usage errors (typer bundles it)
                raise
            reason = getattr(exc, "message", None) or exc.format_message()
            raise InputError(f"{where}.{key} = {value!r}: {reason}", source) from None
        out[name] = value
        callback = getattr(command, "callback", None)
        if callback is not None:
            flags = tuple(o for o in params[name].opts if o.startswith("-"))
            ORIGINS[(callback.__name__, name)] = (source, f"{where}.{key} = {value!r}", flags)
    return out
