"""The README stays true: every command it shows exists with the options it shows, and the
quick ones run."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import typer

from auctool.cli import app

ROOT = Path(__file__).resolve().parents[2]


def _command_lines() -> list[list[str]]:
    text = ROOT.joinpath("README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", text, flags=re.S)
    lines = []
    for block in blocks:
        joined = block.replace("\\\n", " ")
        for line in joined.splitlines():
            line = line.split(" #", 1)[0].strip()
            words = shlex.split(line) if line else []
            if words and words[0] in ("auctool", ".venv/bin/auctool"):
                lines.append(words[1:])
    return lines


def _resolve(words: list[str]):
    """(click command, its path, the remaining words); root options skipped."""
    command = typer.main.get_command(app)
    path = []
    rest = list(words)
    while hasattr(command, "commands"):
        while rest and rest[0].startswith("-"):
            rest = rest[2:] if rest[0] == "--settings" else rest[1:]
        name = rest.pop(0)
        assert name in command.commands, f"README shows an unknown command: {' '.join(words)}"
        command = command.commands[name]
        path.append(name)
    return command, path, rest


COMMANDS = _command_lines()


def test_readme_shows_commands():
    assert len(COMMANDS) >= 15


@pytest.mark.parametrize("words", COMMANDS, ids=[" ".join(w[:3]) for w in COMMANDS])
def test_every_option_the_readme_shows_exists(words):
    command, path, rest = _resolve(words)
    flags = {o for p in command.params for o in p.opts}
    for word in rest:
        if word.startswith("-"):
            assert word.split("=")[0] in flags, f"auctool {' '.join(path)} has no {word}"


QUICK = ("check", "space", "export", "instances features")


@pytest.mark.parametrize(
    "words",
    [w for w in COMMANDS if any(" ".join(_resolve(w)[1]) == q for q in QUICK)],
    ids=lambda w: " ".join(w[:2]),
)
def test_quick_readme_commands_run(cli, words, tmp_path, monkeypatch):
    """Outputs to /tmp in the README go to a temporary folder here."""
    monkeypatch.chdir(ROOT)
    args = [w.replace("/tmp/", f"{tmp_path}/") for w in words]
    r = cli(*args)
    assert r.code == 0, r.stderr
