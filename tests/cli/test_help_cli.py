"""Every command's --help follows one convention (walked through typer's CliRunner)."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from collections import defaultdict

import pytest
import typer
from typer.testing import CliRunner

from auctool.cli import app

#: Commands other changes own: their help is checked, but not yet for defaults in prose.
PROSE_DEFAULTS_ALLOWED = {"report"}


def _commands() -> list[tuple[tuple[str, ...], object]]:
    """(path, click command) for the root, every group and every command."""
    found = []

    def walk(path: tuple[str, ...], command) -> None:
        found.append((path, command))
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            walk((*path, name), sub)

    walk((), typer.main.get_command(app))
    return found


COMMANDS = _commands()


def _params(path: tuple[str, ...], command) -> list:
    """Every parameter the command's help shows, its help option included."""
    ctx = command.context_class(command, info_name=path[-1] if path else "auctool")
    ctx.help_option_names = ["-h", "--help"]
    return command.get_params(ctx)


def test_every_command_is_walked():
    paths = {" ".join(p) for p, _ in COMMANDS}
    assert {"check", "simulate", "data synth", "instances split", "report"} <= paths


@pytest.mark.parametrize(
    ("path", "command"), COMMANDS, ids=[" ".join(p) or "auctool" for p, _ in COMMANDS]
)
def test_help_follows_the_convention(path, command):
    r = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "250"})
    assert r.exit_code == 0, r.output
    text = r.output
    assert "Usage: auctool" in text
    assert "<bool>" not in text  # a flag takes no value
    assert not re.search(r"\((?:[\s,.])*\)", text), "empty parentheses (markup eaten?)"
    assert not re.search(r"\{[a-z][a-z_]*\}", text), "a lower-case argument name"
    for param in _params(path, command):
        if param.param_type_name == "argument":
            assert param.metavar and param.metavar == param.metavar.upper(), param.name
            assert not param.metavar.endswith("..."), "the usage line adds '...' itself"
        if path and path[0] not in PROSE_DEFAULTS_ALLOWED:
            # a default is shown by typer ([default: ...]), not stated in the help's prose
            assert not re.search(r"Default:|\(default[ :]", param.help or ""), param.name


def test_a_short_flag_means_one_thing_everywhere():
    longs: dict[str, set[str]] = defaultdict(set)
    for path, command in COMMANDS:
        for param in _params(path, command):
            if param.param_type_name != "option":
                continue
            long = next(o for o in param.opts if o.startswith("--"))
            for opt in (*param.opts, *param.secondary_opts):
                if not opt.startswith("--"):
                    longs[opt].add(long)
    assert {"-s", "-t", "-o", "-q", "-h"} <= set(longs)
    assert {short: names for short, names in longs.items() if len(names) > 1} == {}
    assert longs["-s"] == {"--seed"}


def test_settings_help_shows_its_tables():
    r = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "250"})
    assert "TOML file of command defaults ([simulate], [tune], ...)" in r.output


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash not installed")
def test_show_completion_prints_the_script_for_the_shell_it_runs_in():
    """typer detects the shell from the process tree (not $SHELL): run it under bash."""
    command = f"{shlex.quote(sys.executable)} -m auctool --show-completion; exit $?"
    env = {**os.environ, "SHELL": "/bin/bash"}
    out = subprocess.run(["bash", "-c", command], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "complete -o default -F _auctool_completion auctool" in out.stdout
    assert "_AUCTOOL_COMPLETE=complete_bash" in out.stdout


def test_completion_answers_through_the_real_entry_point():
    """What the installed bash script asks: command names, then an option's choices."""
    run = [sys.executable, "-m", "auctool"]
    env = {**os.environ, "_AUCTOOL_COMPLETE": "complete_bash", "COMP_CWORD": "1"}
    out = subprocess.run(
        run, env={**env, "COMP_WORDS": "auctool ch"}, capture_output=True, text=True
    )
    assert (out.returncode, out.stdout.split()) == (0, ["check"]), out.stderr
    env.update(COMP_WORDS="auctool data convert a b --format ", COMP_CWORD="6")
    out = subprocess.run(run, env=env, capture_output=True, text=True)
    assert out.stdout.split() == ["unabridged", "channelspecific"], out.stderr
